"""Fixtures for the places tests: the reference data folder and a clean geocoder cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path | None:
    """The project's shared reference data, if present (never on a user's machine).

    Looked for in $MENTORING_SHARED_DATA if set, else next to the repository (as CI lays it
    out) and at /work/shared/data.
    """
    override = os.environ.get("MENTORING_SHARED_DATA")
    # an explicit setting wins, even if it points nowhere (to test the skip paths)
    candidates = (
        [Path(override)]
        if override
        else [REPO.parent / "shared" / "data", Path("/work/shared/data")]
    )
    for candidate in candidates:
        if (candidate / "pc4_geonames.csv").is_file():
            return candidate
    return None


@pytest.fixture
def shared_file():
    """Return a function giving the path of a shared data file, skipping if absent."""

    def get(name: str) -> Path:
        folder = shared_data_dir()
        if folder is None or not (folder / name).is_file():
            pytest.skip(f"shared reference data {name} not available")
        return folder / name

    return get


@pytest.fixture(autouse=True)
def _fresh_postcode_cache():
    """Each test starts and ends with an empty geocoder cache.

    The cache lives per process; without this, rows a test changed (and that the test
    transaction then rolled back) would stay cached for later tests.
    """
    from places.geocoding import invalidate_cache

    invalidate_cache()
    yield
    invalidate_cache()
