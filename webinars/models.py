"""Webinar sessions of a program year, and the people registered for them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import (
    DEFAULT_DURATION_MINUTES,
    JOIN_LINK_LEAD_MINUTES,
    RegistrationStatus,
    SessionStatus,
)


def _new_uid() -> str:
    return f"{uuid.uuid4()}@webinar.leerkracht-mentoring"


class WebinarSession(models.Model):
    """One scheduled online webinar; ``ends_at`` is stored so overlap queries stay simple.

    ``sequence`` is the iCalendar SEQUENCE: it rises on every change attendees must see
    (time, duration, link, cancellation), and the reminder dedupe key includes it.
    """

    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="webinar_sessions"
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    starts_at = models.DateTimeField(_("begint om"))
    duration_minutes = models.PositiveIntegerField(
        _("duur (minuten)"), default=DEFAULT_DURATION_MINUTES
    )
    ends_at = models.DateTimeField(_("eindigt om"))
    meeting_url = models.URLField(_("link naar de online bijeenkomst"), max_length=500)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"))
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gastheer/gastvrouw"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_webinars",
    )
    open_to_schoolleiders = models.BooleanField(_("ook open voor schoolleiders"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    uid = models.CharField(max_length=100, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("reden van annulering"), blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webinarsessie")
        verbose_name_plural = _("webinarsessies")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["program", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="webinar_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.title} ({local:%d-%m-%Y %H:%M})"

    def save(self, *args, **kwargs):
        self.ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
        super().save(*args, **kwargs)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def join_link_open(self, now=None) -> bool:
        """Whether the join link is shown: from shortly before the start until the end."""
        now = now or timezone.now()
        lead = timedelta(minutes=JOIN_LINK_LEAD_MINUTES)
        return not self.is_cancelled and self.starts_at - lead <= now < self.ends_at


class Registration(models.Model):
    """A person (by their role in the program) on a session: a place or a waitlist spot.

    Rows are never deleted: withdrawing, switching and cancellation change the status, so
    the calendar UID stays known and a later CANCEL can refer to it. A person holds at most
    one place and at most one waitlist spot per program (they may hold a place in one
    session while waiting for a place in another; promotion then moves them).
    """

    session = models.ForeignKey(
        WebinarSession, on_delete=models.CASCADE, related_name="registrations"
    )
    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    role = models.ForeignKey(
        "people.Role", on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # Per-person calendar identity: a new row (re-registration) gets a new UID, so a client
    # that saw a CANCEL for the old one never ignores the new invitation.
    uid = models.CharField(max_length=100, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["session", "waitlisted_at", "pk"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["program", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(status=RegistrationStatus.CONFIRMED),
                name="webinar_one_place_per_role",
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(status=RegistrationStatus.WAITLISTED),
                name="webinar_one_waitlist_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED
