"""The record of one upload: kept between preview and commit, then as the import log.

The model lives in the ``programs`` app (``app_label``); it is registered when
``programs.importing.panels`` is imported from ``ProgramsConfig.ready()``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ImportKind, ImportStatus


class ImportRun(models.Model):
    """An uploaded file of schools or expertcoaches for one program year.

    While ``status`` is ``preview`` the file itself is kept in ``content`` (in the database,
    so every app server sees it and nothing travels through hidden form fields); it belongs
    to the staff member who uploaded it. Committing clears the content and the
    parsed table (they hold personal data) and keeps the counts and the hash as the log of
    what was imported.
    """

    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="import_runs"
    )
    kind = models.CharField(_("soort import"), max_length=12, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    committed_at = models.DateTimeField(_("geïmporteerd op"), null=True, blank=True)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveIntegerField(default=0)
    content = models.BinaryField(default=b"", blank=True)
    # The file read once at upload: {"table": ...} or {"problem": ...}. Every view of the
    # preview and the commit plan from this, never from ``content`` (an XLSX is parsed once).
    parsed = models.JSONField(null=True, blank=True, editable=False)
    sector = models.CharField(
        _("sector voor het hele bestand"),
        max_length=3,
        blank=True,
        help_text=_("Leeg: de sector staat per regel in het bestand."),
    )
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)

    class Meta:
        app_label = "programs"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()}, {self.created_at:%Y-%m-%d})"
