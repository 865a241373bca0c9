"""Moved to ``places.holidays`` (school holidays are Dutch calendar data, like postcodes, and
the programs app needs them too): this name stays importable as the very same module."""

import sys

from places import holidays as _holidays

sys.modules[__name__] = _holidays
