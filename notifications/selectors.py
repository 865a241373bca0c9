"""Reads for the staff pages and the staff home panel."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, QuerySet, Subquery
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


#: Sort orders of the outbox list (``?sorteer=``).
OUTBOX_SORTS: dict[str, tuple[str, ...]] = {
    "aangemaakt": ("created_at", "pk"),
    "pogingen": ("attempts", "created_at", "pk"),
}


def outbox_rows(
    *,
    program=None,
    status: str = "failed",
    kind: str = "",
    query: str = "",
    order: tuple[str, ...] = (),
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
                qs.model,
            )
        )
    return qs.order_by(*(order or ("-created_at", "-pk"))).defer(
        "body_text", "body_html", "attachments"
    )


def status_counts(program=None) -> dict[str, int]:
    """How many rows have each status (one grouped query, an index-only scan of the
    program's (program, status) index at 50,000 messages)."""
    return dict(
        scoped_notifications(program)
        .order_by()
        .values_list("status")
        .annotate(n=Count("status"))  # not Count("pk"): the id is not in that index
        .values_list("status", "n")
    )


def filter_counts(program=None) -> dict[str, int]:
    """How many rows each filter shows (one query)."""
    by_status = status_counts(program)
    return {
        value: sum(n for status, n in by_status.items() if statuses is None or status in statuses)
        for value, _label, statuses in FILTERS
    }


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
    reason (one query: the few suppressed addresses are matched first, the suppression's
    details are read for those people only)."""
    return (
        get_user_model()
        .objects.filter(pk__in=program_people(program))
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=SuppressedAddress.objects.values("email"))
        .annotate(
            suppression_id=_suppression("pk"),
            suppression_reason=_suppression("reason"),
            suppression_description=_suppression("description"),
            suppression_since=_suppression("created_at"),
        )
        .order_by("last_name", "first_name", "email")
    )


def suppressed_addresses(*, program=None, query: str = "") -> QuerySet[SuppressedAddress]:
    """The suppression list, or the addresses of ``program``'s people on it; page it, then
    :func:`names_by_email` names the people of one page."""
    User = get_user_model()
    qs = SuppressedAddress.objects.all()
    if program is not None:
        emails = (
            User.objects.filter(pk__in=program_people(program))
            .annotate(email_lower=Lower("email"))
            .values("email_lower")
        )
        qs = qs.filter(email__in=emails)
    if query:
        qs = qs.filter(email__icontains=query)
    return qs.order_by("-created_at", "-pk")


def names_by_email(emails: list[str]) -> dict[str, tuple[str, str]]:
    """``{lower-cased address: (first name, last name)}`` of the people with these
    addresses (one query, whatever the number of people)."""
    if not emails:
        return {}
    rows = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[e.lower() for e in emails])
        .order_by("pk")
        .values_list("email_lower", "first_name", "last_name")
    )
    names: dict[str, tuple[str, str]] = {}
    for email, first, last in rows:
        names.setdefault(email, (first, last))
    return names


def program_failure_counts(program) -> dict[str, int]:
    by_status = status_counts(program)
    return {
        "failed": by_status.get(Status.FAILED, 0),
        "unknown": by_status.get(Status.UNKNOWN, 0),
        "bounced": by_status.get(Status.BOUNCED, 0) + by_status.get(Status.SUPPRESSED, 0),
        "pending": sum(by_status.get(s, 0) for s in PENDING_STATUSES),
    }
