"""Choices for people and roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    STAFF = "staff", _("Programmastaf")
    MENTOR = "mentor", _("Mentor")
    SCHOOLLEIDER = "schoolleider", _("Schoolleider")
    EXPERTCOACH = "expertcoach", _("Expertcoach")


class MentorStatus(models.TextChoices):
    DRAFT = "draft", _("Profiel nog niet ingevuld")
    PENDING = "pending", _("Wacht op goedkeuring")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgewezen")


class Method(models.TextChoices):
    LEAN = "lean", _("Lean")
    AGILE = "agile", _("Agile-scrum")
    KAIZEN = "kaizen", _("Kaizen")
    SIX_SIGMA = "six_sigma", _("Six Sigma")
    OTHER = "other", _("Anders")


class Language(models.TextChoices):
    NL = "nl", _("Nederlands")
    EN = "en", _("Engels")


MONTHS = [
    (9, _("september")),
    (10, _("oktober")),
    (11, _("november")),
    (12, _("december")),
    (1, _("januari")),
    (2, _("februari")),
    (3, _("maart")),
    (4, _("april")),
]
