"""Published matches: a mentor with a schoolleider, an expertcoach with a school.

A row exists only once a matching round is published (or staff re-match someone after a
drop-out); before that, proposals live in the matching app and nobody but staff sees them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import PairStatus, Side


class Pair(models.Model):
    """One business mentor paired one to one with one schoolleider in a program year."""

    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="pairs"
    )
    mentor = models.ForeignKey(
        "people.Role",
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
        verbose_name=_("mentor"),
    )
    schoolleider = models.ForeignKey(
        "people.Role",
        on_delete=models.PROTECT,
        related_name="schoolleider_pairs",
        verbose_name=_("schoolleider"),
    )
    school = models.ForeignKey("programs.School", on_delete=models.PROTECT, related_name="pairs")
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.ACTIVE
    )
    published_at = models.DateTimeField(_("gepubliceerd op"))
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(_("reden van beëindiging"), blank=True)
    distance_km = models.FloatField(_("afstand (km)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Added by the matching app: where the pair came from, and drop-out handling.
    round = models.ForeignKey(
        "matching.MatchingRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_side = models.CharField(_("beëindigd door"), max_length=12, blank=True)
    rematch_requested = models.BooleanField(_("vraagt een nieuwe match"), default=False)
    #: The November step "matching and planning": the pair has had its first contact.
    first_contact_at = models.DateTimeField(_("eerste contact bevestigd op"), null=True, blank=True)
    first_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("eerste contact bevestigd door"),
    )

    class Meta:
        verbose_name = _("koppel")
        verbose_name_plural = _("koppels")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentor"],
                condition=Q(status=PairStatus.ACTIVE),
                name="one_active_pair_per_mentor",
            ),
            models.UniqueConstraint(
                fields=["program", "schoolleider"],
                condition=Q(status=PairStatus.ACTIVE),
                name="one_active_pair_per_schoolleider",
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor.user} ↔ {self.schoolleider.user}"

    @property
    def is_active(self) -> bool:
        return self.status == PairStatus.ACTIVE

    def side_of(self, user) -> str | None:
        """``Side.MENTOR`` or ``Side.SCHOOLLEIDER`` for a member of the pair, else None."""
        if self.mentor.user_id == user.pk:
            return Side.MENTOR
        if self.schoolleider.user_id == user.pk:
            return Side.SCHOOLLEIDER
        return None

    def other_user(self, user):
        return self.schoolleider.user if self.mentor.user_id == user.pk else self.mentor.user


class CoachAssignment(models.Model):
    """An expertcoach guiding a school in a program year (a coach has several schools)."""

    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="coach_assignments"
    )
    coach = models.ForeignKey(
        "people.Role", on_delete=models.PROTECT, related_name="coach_assignments"
    )
    school = models.ForeignKey(
        "programs.School", on_delete=models.PROTECT, related_name="coach_assignments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.ACTIVE
    )
    published_at = models.DateTimeField(_("gepubliceerd op"))
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.TextField(_("reden van beëindiging"), blank=True)
    distance_km = models.FloatField(_("afstand (km)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    round = models.ForeignKey(
        "matching.MatchingRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("toewijzing expertcoach")
        verbose_name_plural = _("toewijzingen expertcoaches")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "school"],
                condition=Q(status=PairStatus.ACTIVE),
                name="one_active_coach_per_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach.user} → {self.school}"
