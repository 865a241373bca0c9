"""Which columns each import expects, and how file headers map onto them.

Headers match regardless of case, spaces, punctuation and accents, and through aliases, so
our own template, DUO's primary-school export (instellingscode, vestigingscode,
vestigingsnaam, plaatsnaam, gemeentenaam, provincie) and the derived secondary-school file
(vestigings_id, brin, school_name, city, municipality, province) all read without editing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .enums import ImportKind


def header_key(text: str) -> str:
    """Fold a header (or a choice value) for comparison: no accents, case or punctuation."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the name in our template
    label: object  # Dutch label for messages
    aliases: tuple[str, ...] = ()
    required: bool = False

    def header_keys(self) -> list[str]:
        """Accepted header keys, the preferred first (when a file has two that fit)."""
        return [header_key(self.header), *(header_key(a) for a in self.aliases)]


SCHOOL_COLUMNS: tuple[Column, ...] = (
    Column(
        "brin", "brin", _("BRIN"), ("brincode", "brinnummer", "brinnr", "instellingscode"), True
    ),
    Column(
        "vestiging",
        "vestiging",
        _("vestiging"),
        ("vestigingsnummer", "vestigingsnr", "vestigingscode", "vestigings_id", "vestigingid"),
    ),
    Column(
        "name",
        "naam",
        _("naam"),
        ("schoolnaam", "vestigingsnaam", "naam vestiging", "name", "school_name", "school"),
        True,
    ),
    Column("sector", "sector", _("sector"), ("onderwijssector",)),
    Column(
        "postcode",
        "postcode",
        _("postcode"),
        ("postcode vestiging", "zipcode", "postal_code"),
        True,
    ),
    Column("street", "straat", _("straat"), ("straatnaam", "street", "adres", "straat vestiging")),
    Column(
        "house_number",
        "huisnummer",
        _("huisnummer"),
        ("huisnummer-toevoeging", "huisnummer toevoeging", "huisnr", "house_number", "nummer"),
    ),
    Column(
        "place", "plaats", _("plaats"), ("plaatsnaam", "woonplaats", "city", "plaats vestiging")
    ),
    Column("municipality", "gemeente", _("gemeente"), ("gemeentenaam", "municipality")),
    Column("province", "provincie", _("provincie"), ("province",)),
    Column("phase", "fase", _("fase"), ("leerkracht fase", "phase")),
    Column(
        "joined_year", "jaar_deelname", _("jaar van deelname"), ("jaar van deelname", "startjaar")
    ),
    Column(
        "leader_first_name",
        "schoolleider_voornaam",
        _("voornaam schoolleider"),
        ("voornaam schoolleider", "voornaam"),
    ),
    Column(
        "leader_last_name",
        "schoolleider_achternaam",
        _("achternaam schoolleider"),
        ("achternaam schoolleider", "achternaam"),
    ),
    Column(
        "leader_email",
        "schoolleider_email",
        _("e-mailadres schoolleider"),
        ("schoolleider_e-mailadres", "e-mail schoolleider", "e-mailadres schoolleider", "email"),
    ),
)

COACH_COLUMNS: tuple[Column, ...] = (
    Column("first_name", "voornaam", _("voornaam"), ("first_name",), True),
    Column("last_name", "achternaam", _("achternaam"), ("last_name",), True),
    Column("email", "email", _("e-mailadres"), ("e-mailadres", "e-mail", "mail"), True),
    Column("postcode", "postcode", _("postcode"), ("postcode woonplaats",), True),
    Column("capacity", "capaciteit", _("capaciteit"), ("aantal scholen", "max scholen")),
    Column("regions", "regio's", _("regio's"), ("regios", "regio")),
    Column(
        "max_travel_km",
        "max_reisafstand",
        _("maximale reisafstand"),
        ("max_reisafstand_km", "reisafstand", "maximale reisafstand"),
    ),
)


def columns_for(kind: str) -> tuple[Column, ...]:
    return COACH_COLUMNS if kind == ImportKind.COACHES else SCHOOL_COLUMNS


@dataclass
class HeaderMap:
    """Where each field sits in the file; ``ignored`` lists headers we do not use."""

    index: dict[str, int]
    source: dict[str, str]  # field -> header as written in the file
    ignored: list[str]

    def has(self, field: str) -> bool:
        return field in self.index


def map_headers(headers: list[str], columns: tuple[Column, ...]) -> HeaderMap:
    """Map file headers to fields; the earliest alias wins when two headers fit one field."""
    position: dict[str, int] = {}
    for i, header in enumerate(headers):
        position.setdefault(header_key(header), i)
    index: dict[str, int] = {}
    for column in columns:
        for key in column.header_keys():
            if key in position and position[key] not in index.values():
                index[column.field] = position[key]
                break
    used = set(index.values())
    ignored = [h for i, h in enumerate(headers) if i not in used and h]
    return HeaderMap(index=index, source={f: headers[i] for f, i in index.items()}, ignored=ignored)


def looks_like_header(columns: tuple[Column, ...]):
    """A predicate for ``read_table``: a row naming two or more known columns."""
    known = {key for column in columns for key in column.header_keys()}

    def is_header(cells: list[str]) -> bool:
        return sum(1 for c in cells if header_key(c) in known) >= 2

    return is_header
