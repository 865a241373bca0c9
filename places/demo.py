"""Postcodes for the demo (``manage.py seed_demo``): seeded picks from the postcode table.

The same seed gives the same picks on every run, so the demo's schools, mentors and
expertcoaches live in the same places each time.
"""

from __future__ import annotations

import random
from collections import defaultdict

from .models import Postcode


class Postcodes:
    """The postcode table by province (the PC4s with a municipality), and a seeded way to
    pick from it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_province: dict[str, list[Postcode]] = defaultdict(list)
        # Only PC4s with a municipality, so every demo school has its official holiday region.
        for pc in Postcode.objects.exclude(municipality="").order_by("pc4"):
            self.by_province[pc.province].append(pc)
        self.everywhere = [pc for pcs in self.by_province.values() for pc in pcs]
        self.by_pc4 = {pc.pc4: pc for pc in self.everywhere}

    def pick(self, province: str | None = None) -> Postcode:
        """A postcode in ``province``; without one, weighted by how many postcodes each
        province has (roughly where people live)."""
        if province is None:
            return self.rng.choice(self.everywhere)
        return self.rng.choice(self.by_province[province])

    def get(self, pc4: str) -> Postcode:
        return self.by_pc4[pc4]
