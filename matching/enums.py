"""Choices of the matching app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SOLVING = "solving", _("Wordt berekend")
    SOLVED = "solved", _("Berekend")
    FAILED = "failed", _("Berekening mislukt")
    PUBLISHED = "published", _("Gepubliceerd")


class RuleKind(models.TextChoices):
    LOCK = "lock", _("Vastgezet")
    FORBID = "forbid", _("Verboden")


class RoundSide(models.TextChoices):
    """The two sides of a matching round (not a pair's members: that is ``pairs.enums.Side``).

    Rows are the people who need a partner (schoolleiders, or schools); columns give it."""

    ROW = "row", _("Vraagzijde")
    COL = "col", _("Aanbodzijde")


class UnmatchedReason(models.TextChoices):
    NO_CANDIDATE = "no_candidate", _("Niemand binnen bereik die past")
    ALL_FULL = "all_full", _("Alle passende kandidaten zijn al aan een ander gekoppeld")
    NOT_AVAILABLE = "not_available", _("Niet beschikbaar in de maanden van de gesprekken")
    UNKNOWN_POSTCODE = "unknown_postcode", _("Postcode onbekend, afstand niet te bepalen")
    NOT_NEEDED = "not_needed", _("Niet nodig: alle passende schoolleiders zijn al gekoppeld")
    NO_CAPACITY = "no_capacity", _("Geen capaciteit (0 scholen)")


#: The parts of a pair's cost, in display order: (field suffix, label).
COST_PARTS: list[tuple[str, str]] = [
    ("distance", _("Afstand")),
    ("region", _("Regio")),
    ("sector", _("Sector")),
    ("method", _("Methode/fase")),
    ("history", _("Historie")),
    ("load", _("Spreiding")),
]


#: The parts that can differ in each kind of program (the others are always 0 there).
MENTOR_PARTS = ("distance", "region", "sector", "method")
COACH_PARTS = ("distance", "region", "history", "load")


def parts_for(coach: bool) -> list[tuple[str, str]]:
    keys = COACH_PARTS if coach else MENTOR_PARTS
    return [(key, label) for key, label in COST_PARTS if key in keys]
