"""The three meetings of each pair, the time slots proposed for them, and calendar feeds."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import MeetingMode, MeetingStatus, SlotStatus

MEETINGS_PER_PAIR = 3


def new_uid() -> str:
    """A calendar UID that stays with the event through every change."""
    return f"meeting-{uuid.uuid4().hex}@leerkracht-mentoring"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Meeting(models.Model):
    """Meeting ``number`` (1..3) of a pair: its status, and once planned its time and place.

    ``uid`` and ``sequence`` are the calendar identity: every change that a calendar must
    see raises ``sequence`` so invites update the existing event instead of adding one.
    """

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("gesprek"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.UNPLANNED
    )
    starts_at = models.DateTimeField(_("begint om"), null=True, blank=True)
    ends_at = models.DateTimeField(_("eindigt om"), null=True, blank=True)
    mode = models.CharField(_("vorm"), max_length=10, choices=MeetingMode.choices, blank=True)
    location = models.CharField(_("adres"), max_length=300, blank=True)
    online_url = models.URLField(_("link voor online gesprek"), max_length=500, blank=True)
    uid = models.CharField(max_length=120, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(default=0)
    suggested_starts_at = models.DateTimeField(_("voorgesteld tijdstip"), null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    change_reason = models.CharField(_("reden van wijziging"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_marked_at = models.DateTimeField(null=True, blank=True)
    reminded_sequence = models.IntegerField(
        null=True, blank=True, help_text="The sequence whose reminder was queued."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ["pair_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "number"], name="unique_meeting_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=MEETINGS_PER_PAIR),
                name="meeting_number_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.pair} — gesprek {self.number}"

    @property
    def is_booked(self) -> bool:
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.HELD)

    @property
    def place(self) -> str:
        """Where it happens, as shown to people: the address or the online link."""
        return self.online_url if self.mode == MeetingMode.ONLINE else self.location


class Slot(models.Model):
    """A time one side proposes for a meeting; the other side accepts one or proposes others."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="slots")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    mode = models.CharField(_("vorm"), max_length=10, choices=MeetingMode.choices)
    location = models.CharField(_("adres"), max_length=300, blank=True)
    online_url = models.URLField(_("link voor online gesprek"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=SlotStatus.choices, default=SlotStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voorgesteld tijdstip")
        verbose_name_plural = _("voorgestelde tijdstippen")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return f"{self.meeting} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def place(self) -> str:
        return self.online_url if self.mode == "online" else self.location


class CalendarFeed(models.Model):
    """A person's private calendar subscription: the secret token in the URL is the key.

    Regenerating replaces the token (the old URL stops working at once); revoking deletes
    the row. Staff may follow whole programs: their meetings then appear in the feed too.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    followed_programs = models.ManyToManyField(
        "programs.ProgramYear", blank=True, related_name="+", verbose_name=_("gevolgde programma's")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agendakoppeling")
        verbose_name_plural = _("agendakoppelingen")

    def __str__(self) -> str:
        return f"{self.user}"


class Nudge(models.Model):
    """Staff reminded a pair to plan meeting ``number`` by ``deadline`` (one per pair)."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("herinnering aan koppel")
        verbose_name_plural = _("herinneringen aan koppels")
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "number", "deadline"], name="one_nudge_per_pair_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pair} gesprek {self.number} vóór {self.deadline}"


from .planning_models import (  # noqa: E402,F401  (registered in this app)
    BusyBlock,
    CalendarConnection,
    MeetingPlan,
    NeverTime,
    PlanItem,
    PlanningRun,
    StudyDay,
)
