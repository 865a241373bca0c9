"""Reading numbers and text from query strings and forms without ever raising.

Every view that reads an id or a number from ``request.GET``/``request.POST`` by hand uses
:func:`parse_int`: non-numeric, signed, beyond 64 bits (``?regio=99999999999999999999``
raised OverflowError in the database driver) or oversized values give ``default``.
:func:`clean_text` drops NUL bytes (PostgreSQL refuses them in a query) and caps the
length. See docs/security.md ("Bad input").
"""

from __future__ import annotations

#: The largest value a database integer column (64-bit, signed) holds.
MAX_DB_INT = 2**63 - 1


def parse_int(
    value, default: int | None = None, *, low: int = 0, high: int = MAX_DB_INT
) -> int | None:
    """``value`` as an int within [low, high], else ``default``."""
    if value is None:
        return default
    text = str(value).strip()
    if not text or len(text) > 20:
        return default
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit():
        return default
    number = sign * int(digits)
    return number if low <= number <= high else default


def clean_text(value, max_length: int = 200) -> str:
    """``value`` stripped, without NUL or other control characters, at most ``max_length``."""
    text = "" if value is None else str(value)
    text = "".join(c for c in text[: max_length * 2] if c >= " " or c in "\t\n")
    return text.strip()[:max_length]


def sort_choice(
    value, options: dict[str, tuple[str, ...]], default: str
) -> tuple[str, tuple[str, ...]]:
    """A list's sort order chosen in a query string: ``(key, order_by fields)``.

    ``options`` maps a key to its ordering fields; ``"-key"`` reverses each of them.
    Anything else (a column name, a typo) gives ``default`` (itself a key, or "-key"), so a
    query string never orders by a column the page does not offer.
    """
    key = clean_text(value, 40)
    if key.removeprefix("-") not in options:
        key = default
    fields = options[key.removeprefix("-")]
    if key.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    return key, fields
