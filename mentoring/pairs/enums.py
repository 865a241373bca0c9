from django.db import models
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    ACTIVE = "active", _("Actief")
    ENDED = "ended", _("Beëindigd")
