"""Time the school import on the real DUO files: preview and commit, then a re-import.

    .venv/bin/python bench/import_duo.py                 # fresh SQLite database (temp file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring .venv/bin/python bench/import_duo.py
                                                         # fresh PostgreSQL test database

Needs /work/shared/data (or DUO_DATA_DIR); prints figures, asserts nothing about speed.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("DUO_DATA_DIR", ROOT.parent / "shared" / "data"))
FILES = [("schools_po_duo.csv", "po"), ("schools_vo_duo_derived.csv", "vo")]

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
if not POSTGRES:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
os.environ.setdefault("EMAIL_PROVIDER", "locmem")
os.environ.setdefault("DEBUG", "true")


def as_duo_raw(content: bytes) -> bytes:
    """The same rows the way DUO publishes them: ';'-separated Windows-1252."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp1252", errors="replace")


def renamed(content: bytes) -> bytes:
    """Every school renamed: the worst case for an updated file."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    name_col = rows[0].index("vestigingsnaam") if "vestigingsnaam" in rows[0] else 3
    for row in rows[1:]:
        row[name_col] += " (nieuw)"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    test_db = None
    if POSTGRES:
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        run_bench(connection.vendor)
    finally:
        if test_db:
            connection.creation.destroy_test_db(test_db, verbosity=0)


def timed(func):
    """Wall-clock seconds; on a busy machine compare the CPU seconds printed beside them."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    timed.cpu = time.process_time() - cpu
    return result, time.perf_counter() - start


def run_bench(vendor: str) -> None:
    import datetime as dt

    from programs.enums import ProgramKind
    from programs.importing.enums import ImportKind
    from programs.importing.services import import_run_commit, import_run_create, import_run_plan
    from programs.models import ProgramYear, School

    program = ProgramYear.objects.create(
        name="Bench",
        kind=ProgramKind.COACH_SCHOOL,
        school_year="2026-2027",
        registration_opens=dt.date(2026, 9, 1),
        registration_closes=dt.date(2026, 10, 1),
        webinar_start=dt.date(2026, 10, 1),
        webinar_end=dt.date(2026, 10, 31),
        matching_date=dt.date(2026, 11, 10),
        meetings_start=dt.date(2026, 11, 15),
        meetings_end=dt.date(2027, 3, 31),
    )
    print(f"database: {vendor}")
    for name, sector in FILES:
        path = DATA / name
        if not path.exists():
            print(f"{name}: not found in {DATA}, skipped")
            continue
        content = path.read_bytes()
        variants = [("as shipped", content)]
        if sector == "po":
            variants.insert(0, ("DUO raw ';' cp1252", as_duo_raw(content)))
            variants.append(("every name changed", renamed(content)))
        for label, data in variants:
            run = import_run_create(
                program=program,
                kind=ImportKind.SCHOOLS,
                content=data,
                file_name=name,
                user=None,
                sector=sector,
            )
            plan, t_preview = timed(lambda run=run: import_run_plan(run=run))
            c = plan.counts
            print(
                f"{name} ({label}): {c['rows']} rows; preview {t_preview:.2f} s (cpu {timed.cpu:.2f}) "
                f"(new {c['new']}, updated {c['updated']}, unchanged {c['unchanged']}, "
                f"errors {c['errors']})"
            )
            if plan.has_errors:
                for row in [r for r in plan.rows if r.errors][:5]:
                    print(f"  line {row.line}: {'; '.join(row.errors)}")
                print("  ", plan.file_errors)
                continue
            result, t_commit = timed(lambda run=run: import_run_commit(run=run))
            print(f"  commit {t_commit:.2f} s (cpu {timed.cpu:.2f}) -> {result.counts}")
    print(f"schools in database: {School.objects.count()}")


if __name__ == "__main__":
    main()
