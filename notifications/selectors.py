"""Reads for the staff pages and the staff home panel."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from people.models import Role
from people.search import words_query

from .enums import PENDING_STATUSES, Status
from .models import Notification, SuppressedAddress

#: Outbox filters staff choose from: (value, label, statuses or None for all).
FILTERS: list[tuple[str, object, tuple[str, ...] | None]] = [
    ("failed", _("Mislukt"), (Status.FAILED,)),
    ("pending", _("Wachtend"), PENDING_STATUSES),
    ("unknown", _("Onzeker"), (Status.UNKNOWN,)),
    ("suppressed", _("Onbestelbaar"), (Status.SUPPRESSED, Status.BOUNCED)),
    ("sent", _("Verstuurd"), (Status.SENT, Status.DELIVERED)),
    ("skipped", _("Afgemeld of geannuleerd"), (Status.SKIPPED, Status.CANCELLED)),
    ("all", _("Alles"), None),
]
FILTER_STATUSES = {value: statuses for value, _label, statuses in FILTERS}


def program_people(program) -> QuerySet:
    return Role.objects.filter(program=program).values("user_id")


def scoped_notifications(program=None) -> QuerySet[Notification]:
    """All outbox rows (foundation staff) or those one program year caused (tagged with it).

    Never "rows to anyone with a role in it": a person's account mail (password reset,
    email confirmation) and mail caused by another program are not program business.
    """
    qs = Notification.objects.all()
    if program is not None:
        qs = qs.filter(program=program)
    return qs


def outbox_rows(
    *, program=None, status: str = "failed", kind: str = "", query: str = ""
) -> QuerySet[Notification]:
    qs = scoped_notifications(program).select_related("recipient", "program")
    statuses = FILTER_STATUSES.get(status)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(
            words_query(
                query,
                ("to_email", "subject", "recipient__first_name", "recipient__last_name"),
            )
        )
    return qs.order_by("-created_at", "-pk").defer("body_text", "body_html", "attachments")


def filter_counts(program=None) -> dict[str, int]:
    """How many rows each filter shows (one query)."""
    aggregates = {
        value: Count("pk", filter=Q(status__in=statuses)) if statuses else Count("pk")
        for value, _label, statuses in FILTERS
    }
    return scoped_notifications(program).aggregate(**aggregates)


def kinds_in_use(program=None) -> list[str]:
    return list(
        scoped_notifications(program).order_by("kind").values_list("kind", flat=True).distinct()
    )


def _suppression(field: str) -> Subquery:
    return Subquery(
        SuppressedAddress.objects.filter(email=OuterRef("email_lower")).values(field)[:1]
    )


def undeliverable_people(program) -> QuerySet:
    """People with a role in ``program`` whose address is on the suppression list, with the
    reason (one query)."""
    return (
        get_user_model()
        .objects.filter(pk__in=program_people(program))
        .annotate(email_lower=Lower("email"))
        .annotate(
            suppression_id=_suppression("pk"),
            suppression_reason=_suppression("reason"),
            suppression_description=_suppression("description"),
            suppression_since=_suppression("created_at"),
        )
        .filter(suppression_id__isnull=False)
        .order_by("last_name", "first_name", "email")
    )


def suppressed_addresses(*, program=None, query: str = "") -> QuerySet[SuppressedAddress]:
    User = get_user_model()
    qs = SuppressedAddress.objects.annotate(
        person_first=Subquery(
            User.objects.filter(email__iexact=OuterRef("email")).values("first_name")[:1]
        ),
        person_last=Subquery(
            User.objects.filter(email__iexact=OuterRef("email")).values("last_name")[:1]
        ),
    )
    if program is not None:
        emails = (
            User.objects.filter(pk__in=program_people(program))
            .annotate(email_lower=Lower("email"))
            .values("email_lower")
        )
        qs = qs.filter(email__in=emails)
    if query:
        qs = qs.filter(email__icontains=query)
    return qs.order_by("-created_at")


def program_failure_counts(program) -> dict[str, int]:
    return scoped_notifications(program).aggregate(
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        unknown=Count("pk", filter=Q(status=Status.UNKNOWN)),
        bounced=Count("pk", filter=Q(status__in=(Status.BOUNCED, Status.SUPPRESSED))),
        pending=Count("pk", filter=Q(status__in=PENDING_STATUSES)),
    )
