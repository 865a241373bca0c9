"""Conversation guides (versioned), meeting records, actions, notes, feedback, anonymisation.

Privacy boundary: ``MeetingNote`` and ``Action`` hold what a pair said to each other. Only
the two members of the pair read them (through ``selectors.get_pair_meeting``); staff pages,
the admin, the report and the exports read ``MeetingRecord`` status fields and counts only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.pairs.enums import Side
from programs.enums import Phase

from .enums import ActionOwner, FeedbackKind, VersionStatus


class Guide(models.Model):
    """The guide ("handvat") for one meeting number (or phase) of a program year."""

    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="guides"
    )
    number = models.PositiveSmallIntegerField(_("gesprek / volgorde"))
    phase = models.CharField(_("fase"), max_length=12, choices=Phase.choices, blank=True)
    published_version = models.ForeignKey(
        "GuideVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gepubliceerde versie"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handvat")
        verbose_name_plural = _("handvatten")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_guide_number"),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.number}"


class GuideVersion(models.Model):
    """One version of a guide. A published version is frozen: editing makes a new version."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.CharField(_("titel"), max_length=200)
    goal = models.TextField(_("doel van het gesprek"))
    themes = models.JSONField(_("thema's"), default=list, blank=True)
    questions = models.TextField(_("vragen om te bespreken"), blank=True)
    prep_mentor = models.TextField(_("voorbereiding mentor"), blank=True)
    prep_schoolleider = models.TextField(_("voorbereiding schoolleider"), blank=True)
    links = models.TextField(_("links"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("versie van een handvat")
        verbose_name_plural = _("versies van handvatten")
        ordering = ["guide", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "version"], name="unique_guide_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def checklist(self, side: str) -> list[str]:
        """The preparation checklist of one side: one item per non-empty line."""
        text = self.prep_mentor if side == Side.MENTOR else self.prep_schoolleider
        items = []
        for line in (text or "").splitlines():
            line = line.strip().lstrip("-*").strip()
            if line:
                items.append(line)
        return items


class MeetingRecord(models.Model):
    """What a pair recorded about meeting ``number``: status fields staff may see.

    Whether the meeting was held is not here: it is the meeting's status in the meetings
    app (``Meeting.status``), stored once; ``outcomes`` reads and writes it.
    """

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="meeting_records")
    number = models.PositiveSmallIntegerField(_("gesprek"))
    guide_version = models.ForeignKey(
        GuideVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("gebruikte versie van het handvat"),
    )
    held_on = models.DateField(_("datum van het gesprek"), null=True, blank=True)
    themes = models.JSONField(_("besproken thema's"), default=list, blank=True)
    # Kept as a count so staff and the report see it without reading the actions, and so
    # it survives the deletion of the actions at the end of the retention period.
    action_count = models.PositiveIntegerField(_("aantal afspraken"), default=0)
    prep_mentor_done = models.JSONField(default=list, blank=True)
    prep_schoolleider_done = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gespreksverslag (status)")
        verbose_name_plural = _("gespreksverslagen (status)")
        constraints = [
            models.UniqueConstraint(fields=["pair", "number"], name="unique_record_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.pair_id} #{self.number}"


class MeetingNote(models.Model):
    """A side's private notes about a meeting; only the pair reads them."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="notes")
    side = models.CharField(max_length=12, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "side"], name="one_note_per_side"),
        ]

    def __str__(self) -> str:  # never the body: this string may end up in logs
        return f"note {self.pk} ({self.side})"


class Action(models.Model):
    """An action a pair agreed on in meeting ``number``; open ones carry over."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=500)
    owner = models.CharField(max_length=12, choices=ActionOwner.choices, default=ActionOwner.BOTH)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "created_at", "pk"]
        indexes = [models.Index(fields=["pair", "number"])]

    def __str__(self) -> str:  # never the description: this string may end up in logs
        return f"action {self.pk}"


class Feedback(models.Model):
    """One answer to a feedback form; never shown to the other side.

    ``region`` and ``side`` are copied in so the averages per region survive anonymisation,
    when ``respondent`` and the free text are removed.
    """

    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="feedback"
    )
    kind = models.CharField(max_length=10, choices=FeedbackKind.choices)
    key = models.CharField(max_length=80)
    pair = models.ForeignKey(
        "pairs.Pair", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    school = models.ForeignKey(
        "programs.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.PositiveSmallIntegerField(default=0)
    side = models.CharField(max_length=12, choices=Side.choices)
    region = models.ForeignKey(
        "programs.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    usefulness = models.PositiveSmallIntegerField(
        _("hoe nuttig"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    helped = models.TextField(_("wat hielp"), blank=True)
    better = models.TextField(_("wat kan beter"), blank=True)
    share_name = models.BooleanField(_("naam mag gedeeld worden met de stichting"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="one_feedback_per_form"),
        ]
        indexes = [models.Index(fields=["program", "kind", "number"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or ''} ({self.get_side_display()})"


class ProgramAnonymisation(models.Model):
    """A program year whose personal data has been removed (by staff or by retention)."""

    program = models.OneToOneField(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="anonymisation"
    )
    anonymised_at = models.DateTimeField()
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("geanonimiseerd programmajaar")
        verbose_name_plural = _("geanonimiseerde programmajaren")

    def __str__(self) -> str:
        return str(self.program)
