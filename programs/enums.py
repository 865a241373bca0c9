"""Choices for programs, importable anywhere without cycles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from places.geo import PROVINCES as GEO_PROVINCES


class ProgramKind(models.TextChoices):
    COACH_SCHOOL = "coach_school", _("Expertcoach → school")
    MENTOR_LEADER = "mentor_leader", _("Bedrijfsmentor → schoolleider")


class Sector(models.TextChoices):
    PO = "po", _("Primair onderwijs (po)")
    VO = "vo", _("Voortgezet onderwijs (vo)")
    MBO = "mbo", _("Middelbaar beroepsonderwijs (mbo)")
    HBO = "hbo", _("Hoger beroepsonderwijs / pabo (hbo)")


class Phase(models.TextChoices):
    START = "start", _("Start")
    TRAINING = "training", _("Training")
    VERDIEPING = "verdieping", _("Verdieping")
    CONTINU = "continu", _("Continu verbeteren")


#: The twelve provinces (canonical Dutch names), the default regions.
PROVINCES = list(GEO_PROVINCES)
