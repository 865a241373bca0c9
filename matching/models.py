"""Matching rounds: the draft (who, weights, rules), solutions (snapshot + result), publication.

A round belongs to one program year. Staff set weights and rules on the round, then solve:
every solve stores a ``Solution`` with a snapshot of every input (so it can be re-solved and
explained later) and its proposed pairs. Publishing one solution turns its proposals into
``pairs.Pair`` / ``pairs.CoachAssignment`` rows; until then nobody but staff sees anything.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import RoundSide, RoundStatus, RuleKind, UnmatchedReason

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: A solve that shows no progress for this long is taken to be lost (a worker died).
STALE_SOLVE = timedelta(minutes=15)

WEIGHT_FIELDS = ["w_distance", "w_region", "w_sector", "w_method", "w_history", "w_load"]

#: What a round's staff set besides who takes part: copied to a new round from the latest one,
#: saved by the settings form, used by the re-match page.
SETTING_FIELDS = [*WEIGHT_FIELDS, "exclude_other_region", "default_max_km", "min_available_months"]


def _weight(label: StrOrPromise, default: float, help_text: StrOrPromise) -> models.FloatField:
    return models.FloatField(
        label,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=help_text,
    )


class MatchingRound(models.Model):
    """One matching round of a program year, with its weights and settings."""

    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="matching_rounds"
    )
    name = models.CharField(_("naam"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    # Weights: cost points; one km of travel is one point.
    w_distance = _weight(_("gewicht afstand (per km)"), 1.0, _("Punten per kilometer reisafstand."))
    w_region = _weight(_("gewicht andere regio"), 25.0, _("Extra punten als de regio verschilt."))
    w_sector = _weight(
        _("gewicht sectorvoorkeur"),
        15.0,
        _("Extra punten als de sector niet de voorkeur van de mentor is."),
    )
    w_method = _weight(
        _("gewicht methode bij fase"),
        10.0,
        _("Punten bij een slechte aansluiting van methode op leerKRACHT-fase."),
    )
    w_history = _weight(
        _("gewicht continuïteit"),
        150.0,
        _("Extra punten als een school niet de expertcoach van vorig jaar krijgt."),
    )
    w_load = _weight(
        _("gewicht spreiding"),
        20.0,
        _("Punten voor een volledig belaste expertcoach (eerlijke spreiding)."),
    )
    exclude_other_region = models.BooleanField(
        _("alleen binnen de eigen regio koppelen"), default=False
    )
    default_max_km = models.PositiveIntegerField(
        _("standaard maximale reisafstand (km)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
        help_text=_("Voor wie zelf geen maximale reisafstand opgaf."),
    )
    min_available_months = models.PositiveIntegerField(
        _("minimaal aantal beschikbare maanden"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Een mentor moet in zoveel maanden van de gesprekkenperiode beschikbaar zijn."),
    )
    # Who takes part: everyone eligible, minus these (row keys: schoolleider Role or School
    # ids; column keys: mentor/coach Role ids).
    excluded_rows = models.JSONField(default=list, blank=True)
    excluded_cols = models.JSONField(default=list, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    published_solution = models.ForeignKey(
        "Solution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matchingronde")
        verbose_name_plural = _("matchingrondes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.program})"

    @property
    def weights(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in WEIGHT_FIELDS}

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED

    @property
    def is_stale_solve(self) -> bool:
        """Solving, but without progress for STALE_SOLVE: the worker is taken to be lost."""
        return self.status == RoundStatus.SOLVING and (
            self.updated_at is None or timezone.now() - self.updated_at >= STALE_SOLVE
        )

    @property
    def is_editable(self) -> bool:
        if self.status == RoundStatus.SOLVING:
            return self.is_stale_solve
        return self.status != RoundStatus.PUBLISHED


class RoundRule(models.Model):
    """A staff decision on one pair: always make it (lock) or never (forbid)."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("soort"), max_length=10, choices=RuleKind.choices)
    supporter = models.ForeignKey(
        "people.Role",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentor/expertcoach"),
    )
    schoolleider = models.ForeignKey(
        "people.Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("programs.School", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regels")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "supporter", "school"], name="unique_rule_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.supporter_id} ↔ {self.school_id}"


class Solution(models.Model):
    """One solve of a round: the snapshot of every input and the resulting proposals."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="solutions")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Inputs: participants, weights, rules (JSON) and candidate pairs with raw parts (npz).
    snapshot_meta = models.JSONField(default=dict)
    snapshot_data = models.BinaryField()
    total_cost = models.FloatField(default=0)
    part_totals = models.JSONField(default=dict)
    matched = models.PositiveIntegerField(default=0)
    unmatched_rows = models.PositiveIntegerField(default=0)
    n_rows = models.PositiveIntegerField(default=0)
    n_cols = models.PositiveIntegerField(default=0)
    n_candidates = models.PositiveIntegerField(default=0)
    load_seconds = models.FloatField(default=0)
    build_seconds = models.FloatField(default=0)
    solve_seconds = models.FloatField(default=0)
    store_seconds = models.FloatField(default=0)
    backend = models.CharField(max_length=100, blank=True)
    # How optimality over every possible pair was proven when the solver pruned the graph
    # (matching.certify.Certificate.as_dict); null when the whole graph was solved directly.
    certificate = models.JSONField(null=True, blank=True)
    # Beyond the total: nearest-partner counts and the stability audit.
    stats = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("oplossing")
        verbose_name_plural = _("oplossingen")
        ordering = ["round", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="unique_solution_number"),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"


class ProposedPair(models.Model):
    """A pair in a solution, with each part of its cost so it can be explained."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="pairs")
    supporter = models.ForeignKey("people.Role", on_delete=models.CASCADE, related_name="+")
    schoolleider = models.ForeignKey(
        "people.Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("programs.School", on_delete=models.CASCADE, related_name="+")
    row_index = models.PositiveIntegerField()
    col_index = models.PositiveIntegerField()
    distance_km = models.FloatField()
    cost_distance = models.FloatField(default=0)
    cost_region = models.FloatField(default=0)
    cost_sector = models.FloatField(default=0)
    cost_method = models.FloatField(default=0)
    cost_history = models.FloatField(default=0)
    cost_load = models.FloatField(default=0)
    total = models.FloatField(default=0)
    locked = models.BooleanField(default=False)
    partner_rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="1 = the row's nearest suitable partner"
    )

    class Meta:
        ordering = ["solution", "row_index"]
        indexes = [models.Index(fields=["solution", "row_index"])]

    def __str__(self) -> str:
        return f"#{self.row_index} ↔ #{self.col_index} ({self.total:.1f})"

    @property
    def parts(self) -> list[float]:
        return [
            self.cost_distance,
            self.cost_region,
            self.cost_sector,
            self.cost_method,
            self.cost_history,
            self.cost_load,
        ]


class UnmatchedEntry(models.Model):
    """Someone the solution leaves without a partner, and why."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="unmatched")
    side = models.CharField(max_length=3, choices=RoundSide.choices)
    role = models.ForeignKey(
        "people.Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "programs.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    index = models.IntegerField(default=-1)
    reason = models.CharField(max_length=20, choices=UnmatchedReason.choices)

    class Meta:
        ordering = ["solution", "side", "pk"]

    def __str__(self) -> str:
        return f"{self.side} #{self.index}: {self.reason}"
