"""Cells to values, checked without the database: codes, names, numbers, postcodes, and the
same key twice in one file. Every problem is appended to ``errors`` as a Dutch message."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from places.geo import InvalidPostcode, normalize_postcode
from places.geocoding import invalid_postcode_message
from programs.enums import Phase, Sector

from .columns import header_key
from .rows import PersonRow, SchoolRow

BRIN_RE = re.compile(r"^[0-9]{2}[A-Z0-9]{2}$")
VESTIGING_RE = re.compile(r"^[0-9]{2}$")

SECTOR_WORDS: dict[str, str] = {
    **{header_key(v): v for v in Sector.values},
    **{header_key(str(label)): value for value, label in Sector.choices},
    "primaironderwijs": Sector.PO,
    "basisonderwijs": Sector.PO,
    "bao": Sector.PO,
    "bo": Sector.PO,
    "sbo": Sector.PO,
    "voortgezetonderwijs": Sector.VO,
    "middelbaarberoepsonderwijs": Sector.MBO,
    "hogerberoepsonderwijs": Sector.HBO,
    "pabo": Sector.HBO,
}
PHASE_WORDS: dict[str, str] = {
    **{header_key(v): v for v in Phase.values},
    **{header_key(str(label)): value for value, label in Phase.choices},
    "continuverbeteren": Phase.CONTINU,
}
# Words that stay lower case inside Dutch place names ("Bergen op Zoom", "Capelle aan den IJssel").
_LOWER_WORDS = {
    "aan",
    "de",
    "den",
    "der",
    "het",
    "in",
    "op",
    "van",
    "bij",
    "ter",
    "ten",
    "en",
    "onder",
    "over",
}

Row = TypeVar("Row", SchoolRow, PersonRow)


def tidy_name(text: str) -> str:
    """Title-case a name written in capitals (DUO writes "CAPELLE AAN DEN IJSSEL")."""
    if not text or text != text.upper() or not any(c.isalpha() for c in text):
        return text
    out: list[str] = []
    first = True
    for part in re.split(r"(\s+|-)", text.lower()):
        if not part or part.isspace() or part == "-":
            out.append(part)
            continue
        if part in ("'s", "'t") or (not first and part in _LOWER_WORDS):
            out.append(part)
        elif part.startswith("ij"):
            out.append("IJ" + part[2:])
        else:
            out.append(part[0].upper() + part[1:])
        first = False
    return "".join(out)


def clean_email(value: str, errors: list[str], *, label: str) -> str:
    """The address in lower case; "" when empty or invalid (an invalid one is an error)."""
    email = value.strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        errors.append(
            _("%(label)s ‘%(value)s’ is geen geldig e-mailadres.")
            % {"label": label, "value": value}
        )
        return ""
    return email


def clean_int(value: str, errors: list[str], *, label: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` ("5", "5.0", "60 km"); None when empty or wrong."""
    text = value.strip().replace(" ", "").lower().removesuffix("km").replace(",", ".")
    if not text:
        return None
    # Spreadsheets turn 5 into "5.0"; a real fraction is still refused.
    if not re.fullmatch(r"\d+(\.0+)?", text):
        errors.append(
            _("%(label)s ‘%(value)s’ is geen heel getal.") % {"label": label, "value": value}
        )
        return None
    number = int(text.split(".")[0])
    if not low <= number <= high:
        errors.append(
            _("%(label)s %(value)s ligt niet tussen %(low)s en %(high)s.")
            % {"label": label, "value": number, "low": low, "high": high}
        )
        return None
    return number


def clean_postcode(value: str, errors: list[str]) -> tuple[str, str]:
    """(postcode as "1234 AB", its four digits); ("", "") when missing or invalid."""
    if not value.strip():
        errors.append(_("De postcode ontbreekt."))
        return "", ""
    try:
        postcode = normalize_postcode(value)
    except InvalidPostcode:
        errors.append(invalid_postcode_message(value))
        return "", ""
    return postcode, postcode[:4]


def split_code(raw_brin: str, raw_vestiging: str, errors: list[str]) -> tuple[str, str]:
    """(BRIN, two-digit vestiging) from the cells as written; "" for a part that is wrong.

    Accepts a six-character BRIN+vestiging in either cell and DUO's vestigingscode (the BRIN
    followed by the number); an empty vestiging is "00", "1" becomes "01".
    """
    brin = raw_brin.upper().replace(" ", "")
    vestiging = raw_vestiging.upper().replace(" ", "")
    if len(brin) == 6 and not vestiging:
        brin, vestiging = brin[:4], brin[4:]
    if len(vestiging) == 6:
        # DUO's vestigingscode is often the BRIN followed by the two-digit number.
        if brin and vestiging[:4] != brin:
            errors.append(
                _("Vestigingscode %(code)s hoort niet bij BRIN %(brin)s.")
                % {"code": vestiging, "brin": brin}
            )
            return brin, ""
        brin = brin or vestiging[:4]
        vestiging = vestiging[4:]
    if not brin:
        errors.append(_("De BRIN-code ontbreekt."))
    elif not BRIN_RE.match(brin):
        errors.append(
            _("‘%(value)s’ is geen geldige BRIN-code (vier tekens, zoals 12AB).")
            % {"value": raw_brin}
        )
        brin = ""
    if not vestiging:
        vestiging = "00"
    elif vestiging.isdigit() and len(vestiging) == 1:
        vestiging = "0" + vestiging
    if not VESTIGING_RE.match(vestiging):
        errors.append(
            _("‘%(value)s’ is geen geldig vestigingsnummer (twee cijfers, zoals 00 of 01).")
            % {"value": raw_vestiging}
        )
        vestiging = ""
    return brin, vestiging


def repeats(
    rows: Sequence[Row],
    key_of: Callable[[Row], str],
    message_for: Callable[[str, str], str],
) -> list[list[str]]:
    """Per row (same order), an error when its non-empty key also occurs on another line;
    ``message_for(key, other lines)`` words it."""
    lines: dict[str, list[int]] = defaultdict(list)
    keys = [key_of(row) for row in rows]
    for row, key in zip(rows, keys, strict=True):
        if key:
            lines[key].append(row.line)
    found: list[list[str]] = []
    for row, key in zip(rows, keys, strict=True):
        if key and len(lines[key]) > 1:
            others = ", ".join(str(n) for n in lines[key] if n != row.line)
            found.append([message_for(key, others)])
        else:
            found.append([])
    return found
