"""Choices of the guides app: themes, feedback kinds, the mentor's day (``Side`` is the pairs app's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """What a conversation can be about.

    The first four are the schoolleider's new role in the mentoring project; the last four
    are the leerKRACHT instruments the expertcoach program works with. Stored as keys so the
    report can count them after all free text has been removed.
    """

    CONVICTION = "overtuiging", _("Overtuiging")
    ROLE_MODEL = "voorbeeldgedrag", _("Voorbeeldgedrag")
    FACILITATION = "facilitering", _("Facilitering")
    SKILLS = "vaardigheden", _("Vaardigheden")
    BOARD_SESSION = "bordsessie", _("Bordsessie")
    LESSON_DESIGN = "lesontwerp", _("Gezamenlijk lesontwerp")
    LESSON_VISIT = "lesbezoek", _("Lesbezoek en feedback")
    STUDENT_VOICE = "stem_leerling", _("Stem van de leerling")


class ActionOwner(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    SCHOOLLEIDER = "schoolleider", _("Schoolleider")
    BOTH = "both", _("Samen")


class FeedbackKind(models.TextChoices):
    MEETING = "meeting", _("Na een gesprek")
    CLOSING = "closing", _("Afsluiting van het programma")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")


USEFULNESS = [
    (1, _("1 — niet nuttig")),
    (2, _("2")),
    (3, _("3 — redelijk")),
    (4, _("4")),
    (5, _("5 — zeer nuttig")),
]

# The mentor's working day, in hours (MISSION.md / the source text on the mentoring project).
WEBINAR_HOURS = 1.5
MATCHING_HOURS = 1.0
MEETING_HOURS = 2.0
# "One working day": the parts add up to 8.5 hours, the promise to employers is a day.
DAY_BUDGET_HOURS = 8.0
