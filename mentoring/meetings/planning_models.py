"""Models of planning: connected calendars (busy blocks only), the school's week, plans, runs.

Imported by ``models.py`` so Django registers them in the ``meetings`` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import MeetingMode


class CalendarConnection(models.Model):
    """A person's own calendar, read through its private iCal address.

    The platform keeps only the address (a secret, never shown again in full), when it was
    read, and busy blocks (start and end) inside the meeting window: never titles, places,
    descriptions or attendees. Disconnecting deletes the row and with it every block.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connection"
    )
    url = models.URLField(_("iCal-adres"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(_("laatst gelezen"), null=True, blank=True)
    #: why the last attempt failed (a code from ``calendar_fetch``), empty when it worked
    error_code = models.CharField(max_length=40, blank=True)
    error_detail = models.CharField(max_length=200, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("gekoppelde agenda")
        verbose_name_plural = _("gekoppelde agenda's")

    def __str__(self) -> str:
        return f"{self.user}"


class BusyBlock(models.Model):
    """One busy interval from a connected calendar: only when, nothing about what."""

    connection = models.ForeignKey(
        CalendarConnection, on_delete=models.CASCADE, related_name="blocks"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["connection", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="busy_block_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")


class NeverTime(models.Model):
    """A weekly time a person can never meet (teaching on Monday morning, the bordsessie)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="never_times"
    )
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    start_time = models.TimeField(_("van"))
    end_time = models.TimeField(_("tot"))
    label = models.CharField(_("omschrijving"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("vast bezet moment")
        verbose_name_plural = _("vaste bezette momenten")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="never_time_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class StudyDay(models.Model):
    """A day the school has set aside (studiedag): no meeting with its schoolleider then."""

    school = models.ForeignKey("programs.School", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("datum"))
    label = models.CharField(_("omschrijving"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("studiedag")
        verbose_name_plural = _("studiedagen")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="one_study_day_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.date}"


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Wacht op akkoord")
    ACCEPTED = "accepted", _("Door beiden geaccepteerd")
    SUPERSEDED = "superseded", _("Vervangen door een nieuw plan")


class MeetingPlan(models.Model):
    """The platform's proposal for all meetings of a pair still to plan; both accept it once.

    ``changes`` lists, after a re-flow, what moved: ``[{"number", "before", "after"}]`` (ISO
    times), so the pair is shown what changed.
    """

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    mode = models.CharField(_("vorm"), max_length=10, choices=MeetingMode.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    schoolleider_accepted_at = models.DateTimeField(null=True, blank=True)
    changes = models.JSONField(default=list, blank=True)
    run = models.ForeignKey(
        "meetings.PlanningRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("gespreksplan")
        verbose_name_plural = _("gespreksplannen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair"], condition=Q(status="open"), name="one_open_plan_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pair} plan {self.pk}"


class PlanItem(models.Model):
    plan = models.ForeignKey(MeetingPlan, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_item_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.number}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class PlanningRun(models.Model):
    """Staff ran the planner for every pair that has not planned yet (one background job)."""

    program = models.ForeignKey("programs.ProgramYear", on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    planned = models.PositiveIntegerField(default=0)
    #: per pair without a full plan: {"pair": id, "name": str, "code": str, ...reason facts}
    failures = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("planningsronde")
        verbose_name_plural = _("planningsrondes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.program_id} run {self.pk}"
