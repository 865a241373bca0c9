from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    """Who in a pair (or, in the expertcoach program, the school) said or did something."""

    MENTOR = "mentor", _("Mentor")
    SCHOOLLEIDER = "schoolleider", _("Schoolleider")
    SCHOOL = "school", _("School (expertcoachprogramma)")


class PairStatus(models.TextChoices):
    ACTIVE = "active", _("Actief")
    ENDED = "ended", _("Beëindigd")
