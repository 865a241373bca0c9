"""Measure the built-in table against an exact GeoNames postal-code file.

``python -m places.accuracy PATH`` prints the error figures quoted in docs/geocoding.md.
PATH is a GeoNames NL export (``NL.txt``) or its CSV variant with a header; it is only read
for the comparison, never used to build the table.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from places.builtin import builtin_places
from places.geo import Place, haversine_km


@dataclass(frozen=True)
class Accuracy:
    """Error figures in km of a PC4 table against a reference."""

    compared: int  # PC4 in both
    reference: int  # PC4 in the reference
    median: float
    p90: float
    p99: float
    max: float
    within_5km: float  # fractions of the compared PC4s
    within_25km: float
    worst: tuple[tuple[str, float], ...]  # (pc4, km), largest errors first

    @property
    def coverage(self) -> float:
        """Fraction of reference PC4s present in the table."""
        return self.compared / self.reference


def read_reference(path: Path) -> dict[str, tuple[float, float]]:
    """Mean (lat, lon) per PC4 from a GeoNames file (TSV without or CSV with header)."""
    acc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        fh.seek(0)
        if first.lower().startswith("pc4,"):
            for row in csv.DictReader(fh):
                acc[row["pc4"].strip()[:4]].append((float(row["lat"]), float(row["lon"])))
        else:
            for line in fh:
                cols = line.rstrip("\r\n").split("\t")
                if len(cols) >= 11:
                    acc[cols[1].strip()[:4]].append((float(cols[9]), float(cols[10])))
    return {
        k: (float(np.mean([p[0] for p in v])), float(np.mean([p[1] for p in v])))
        for k, v in acc.items()
    }


def measure(
    reference: Mapping[str, tuple[float, float]],
    table: Mapping[str, Place] | None = None,
    worst: int = 10,
) -> Accuracy:
    """Compare ``table`` (default: the built-in table) with ``reference`` coordinates."""
    table = builtin_places() if table is None else table
    codes = sorted(set(reference) & set(table))
    ref = np.array([reference[c] for c in codes])
    got = np.array([(table[c].lat, table[c].lon) for c in codes])
    err = haversine_km(got[:, 0], got[:, 1], ref[:, 0], ref[:, 1])
    order = np.argsort(-err, kind="stable")[:worst]
    return Accuracy(
        compared=len(codes),
        reference=len(reference),
        median=float(np.median(err)),
        p90=float(np.percentile(err, 90)),
        p99=float(np.percentile(err, 99)),
        max=float(err.max()),
        within_5km=float(np.mean(err <= 5.0)),
        within_25km=float(np.mean(err <= 25.0)),
        worst=tuple((codes[i], float(err[i])) for i in order),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the accuracy of the built-in table against the given reference file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", type=Path)
    args = parser.parse_args(argv)
    a = measure(read_reference(args.reference))
    print(f"compared {a.compared} of {a.reference} reference PC4 (coverage {a.coverage:.2%})")
    print(f"median {a.median:.2f} km, p90 {a.p90:.2f} km, p99 {a.p99:.2f} km, max {a.max:.1f} km")
    print(f"within 5 km {a.within_5km:.1%}, within 25 km {a.within_25km:.2%}")
    print("worst: " + ", ".join(f"{c} ({km:.1f} km)" for c, km in a.worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
