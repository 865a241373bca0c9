"""Choices for imports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    SCHOOLS = "schools", _("Scholen en schoolleiders")
    COACHES = "coaches", _("Expertcoaches")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Wacht op bevestiging")
    COMMITTED = "committed", _("Geïmporteerd")


class RowStatus(models.TextChoices):
    NEW = "new", _("Nieuw")
    UPDATED = "updated", _("Bijgewerkt")
    UNCHANGED = "unchanged", _("Ongewijzigd")
    ERROR = "error", _("Fout")
