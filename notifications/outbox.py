"""The one way email leaves the platform: a durable outbox.

``notify()`` renders a message now, in the recipient's language, and writes it as a row in
the caller's transaction; after commit a django-tasks task (``notifications.tasks``) hands
it to ``notifications.delivery``. Staff actions on the outbox (retry, cancel, mark sent)
live here too. See docs/email.md.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .delivery import chunks, new_message_id
from .enums import (
    CANCELLABLE_STATUSES,
    RETRYABLE_STATUSES,
    Category,
    Status,
)
from .models import Notification, NotificationPreference, SuppressedAddress
from .rendering import Rendered, base_context, render_kind
from .suppression import SUPPRESSED_NOTE, is_suppressed, normalize_email
from .tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a notification (e.g. an .ics invitation)."""

    filename: str
    content: bytes | str
    mimetype: str = "application/octet-stream"

    def as_json(self) -> dict[str, str]:
        raw = self.content.encode("utf-8") if isinstance(self.content, str) else self.content
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content_b64": base64.b64encode(raw).decode("ascii"),
        }


# --- Queueing ---------------------------------------------------------------------------


def category_for(kind: str) -> str:
    """Which opt-out a non-essential kind falls under: reminders, else staff nudges."""
    return Category.REMINDERS if "reminder" in kind else Category.NUDGES


def wants(user, category: str) -> bool:
    """Whether ``user`` receives non-essential messages of ``category`` (default: yes)."""
    prefs = NotificationPreference.objects.filter(user=user).first()
    return True if prefs is None else prefs.allows(category)


def notify(
    kind: str,
    recipient,
    context: dict[str, Any] | None = None,
    *,
    essential: bool = True,
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
    program=None,
    category: str | None = None,
) -> Notification | None:
    """Queue ``kind`` for ``recipient`` (a User) in the caller's transaction.

    Renders ``templates/notifications/<kind>/`` now in the recipient's language. Returns the
    outbox row, or None when ``dedupe_key`` was already used for this address.
    A non-essential message to someone who opted out is stored as ``skipped``.
    """
    email = normalize_email(recipient.email)
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    if not essential:
        category = category or category_for(kind)
        if not wants(recipient, category):
            return _store(
                Notification(
                    kind=kind,
                    recipient=recipient,
                    to_email=email,
                    language=language,
                    program=program,
                    essential=False,
                    category=category,
                    dedupe_key=dedupe_key,
                    status=Status.SKIPPED,
                )
            )
    return queue_message(
        kind,
        email,
        context=context,
        user=recipient,
        language=language,
        essential=essential,
        category=(category or "") if not essential else "",
        attachments=attachments,
        dedupe_key=dedupe_key,
        program=program,
    )


def notify_address(
    kind: str,
    email: str,
    context: dict[str, Any] | None = None,
    *,
    language: str | None = None,
    essential: bool = True,
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
    program=None,
) -> Notification | None:
    """Queue ``kind`` for a bare address (no account yet); Dutch unless told otherwise.

    If an account with that address exists, its language is used.
    """
    from django.contrib.auth import get_user_model

    address = normalize_email(email)
    user = get_user_model().objects.filter(email__iexact=address).first()
    if language is None:
        language = (user.language if user is not None else "") or settings.LANGUAGE_CODE
    return queue_message(
        kind,
        address,
        context=context,
        user=user,
        language=language,
        essential=essential,
        attachments=attachments,
        dedupe_key=dedupe_key,
        program=program,
    )


def queue_message(
    kind: str,
    email: str,
    *,
    context: dict[str, Any] | None = None,
    rendered: Rendered | None = None,
    user=None,
    language: str | None = None,
    essential: bool = True,
    category: str = "",
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
    program=None,
) -> Notification | None:
    """Store one message in the outbox and deliver it after commit.

    Give either ``context`` (the kind's templates are rendered) or ``rendered`` (content
    rendered elsewhere, e.g. allauth's messages).
    """
    email = normalize_email(email)
    language = language or settings.LANGUAGE_CODE
    if dedupe_key and Notification.objects.filter(to_email=email, dedupe_key=dedupe_key).exists():
        return None
    row = build_row(
        kind,
        email,
        context=context,
        rendered=rendered,
        user=user,
        language=language,
        essential=essential,
        category=category,
        attachments=[a.as_json() for a in attachments],
        dedupe_key=dedupe_key,
        program=program,
        suppressed=is_suppressed(email),
    )
    stored = _store(row)
    if stored is not None and stored.status == Status.QUEUED:
        enqueue_on_commit([stored.pk])
    return stored


def build_row(
    kind: str,
    email: str,
    *,
    context: dict[str, Any] | None,
    rendered: Rendered | None,
    user,
    language: str,
    essential: bool,
    category: str,
    attachments: list[dict[str, str]],
    dedupe_key: str | None,
    program,
    suppressed: bool,
) -> Notification:
    """Render (unless given) and build an unsaved outbox row."""
    if rendered is None:
        full_context = {
            **base_context(),
            **(context or {}),
            "recipient": user,
            "email": email,
            "essential": essential,
            "kind": kind,
        }
        rendered = render_kind(kind, full_context, language=language)
    return Notification(
        kind=kind,
        recipient=user,
        to_email=email,
        language=language,
        program=program,
        essential=essential,
        category=category,
        dedupe_key=dedupe_key,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        attachments=attachments,
        message_id=new_message_id(),
        status=Status.SUPPRESSED if suppressed else Status.QUEUED,
        last_error=SUPPRESSED_NOTE if suppressed else "",
    )


def _store(row: Notification) -> Notification | None:
    if not row.dedupe_key:
        row.save(force_insert=True)
        return row
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None  # a concurrent notify with the same key won
    return row


def notify_many(
    kind: str,
    recipients: Iterable,
    context: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None,
    *,
    essential: bool = True,
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | Callable[[Any], str | None] | None = None,
    program=None,
    category: str | None = None,
) -> list[Notification]:
    """``notify`` for many users at once (reminders, a published match round).

    Same rules as ``notify`` — rendered per recipient in their language, opt-outs,
    suppression, dedupe — but with a constant number of queries per chunk of users and one
    delivery task per 100 messages. ``context`` and ``dedupe_key`` may be callables taking
    the user. Returns the stored rows (skipped/suppressed included, duplicates left out).
    """
    users = list(recipients)
    if not users:
        return []
    category = "" if essential else (category or category_for(kind))
    payload = [a.as_json() for a in attachments]
    emails = {u.pk: normalize_email(u.email) for u in users}
    suppressed: set[str] = set()
    for chunk in chunks(sorted(set(emails.values())), 500):
        suppressed.update(
            SuppressedAddress.objects.filter(email__in=chunk).values_list("email", flat=True)
        )
    opted_out: set[int] = set()
    if not essential:
        for chunk in chunks([u.pk for u in users], 500):
            for prefs in NotificationPreference.objects.filter(user_id__in=chunk):
                if not prefs.allows(category):
                    opted_out.add(prefs.user_id)
    keys = {u.pk: dedupe_key(u) if callable(dedupe_key) else dedupe_key for u in users}
    taken: set[tuple[str, str | None]] = set()
    # Each chunk asks for its own addresses and keys only (the unique index leads with the
    # address); a hit outside the wanted (address, key) pairs is never looked up below.
    wanted = sorted({(emails[u.pk], key) for u in users if (key := keys[u.pk])})
    for chunk in chunks(wanted, 500):
        taken.update(
            Notification.objects.filter(
                to_email__in={email for email, _key in chunk},
                dedupe_key__in={key for _email, key in chunk},
            ).values_list("to_email", "dedupe_key")
        )
    rows: list[Notification] = []
    seen: set[tuple[str, str]] = set()
    for user in users:
        email, key = emails[user.pk], keys[user.pk]
        if key:
            if (email, key) in taken or (email, key) in seen:
                continue
            seen.add((email, key))
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        if user.pk in opted_out:
            rows.append(
                Notification(
                    kind=kind,
                    recipient=user,
                    to_email=email,
                    language=language,
                    program=program,
                    essential=False,
                    category=category,
                    dedupe_key=key,
                    status=Status.SKIPPED,
                )
            )
            continue
        rows.append(
            build_row(
                kind,
                email,
                context=context(user) if callable(context) else context,
                rendered=None,
                user=user,
                language=language,
                essential=essential,
                category=category,
                attachments=payload,
                dedupe_key=key,
                program=program,
                suppressed=email in suppressed,
            )
        )
    if connection.features.can_return_rows_from_bulk_insert:
        try:
            with transaction.atomic():
                Notification.objects.bulk_create(rows, batch_size=500)
        except IntegrityError:  # a concurrent notify took a dedupe key: go one by one
            rows = [r for r in (_store(_fresh(r)) for r in rows) if r is not None]
    else:
        rows = [r for r in (_store(r) for r in rows) if r is not None]
    enqueue_on_commit([r.pk for r in rows if r.status == Status.QUEUED])
    return rows


def _fresh(row: Notification) -> Notification:
    row.pk = None
    row._state.adding = True
    return row


# --- Staff actions ----------------------------------------------------------------------


def retry_notifications(rows: QuerySet[Notification] | Iterable[Notification]) -> tuple[int, int]:
    """Put failed/unknown/suppressed messages back in the queue, to the recipient's current
    address. Returns (queued, still_suppressed)."""
    queued = blocked = 0
    now = timezone.now()
    rows = list(
        rows.filter(status__in=RETRYABLE_STATUSES).select_related("recipient")
        if isinstance(rows, QuerySet)
        else [r for r in rows if r.status in RETRYABLE_STATUSES]
    )
    if not rows:
        return 0, 0
    suppressed = set(
        SuppressedAddress.objects.filter(
            email__in={
                normalize_email(r.recipient.email) if r.recipient else r.to_email for r in rows
            }
        ).values_list("email", flat=True)
    )
    requeued: list[int] = []
    with transaction.atomic():
        for row in rows:
            email = normalize_email(row.recipient.email) if row.recipient else row.to_email
            if email in suppressed:
                blocked += 1
                continue
            changed = Notification.objects.filter(pk=row.pk, status=row.status).update(
                status=Status.QUEUED,
                to_email=email,
                attempts=0,
                next_attempt_at=now,
                claimed_by="",
                claimed_at=None,
                last_error="",
                updated_at=now,
            )
            if changed:
                queued += 1
                requeued.append(row.pk)
        enqueue_on_commit(requeued)
    return queued, blocked


def cancel_notifications(rows: QuerySet[Notification]) -> int:
    return rows.filter(status__in=CANCELLABLE_STATUSES).update(
        status=Status.CANCELLED, updated_at=timezone.now()
    )


def mark_sent(rows: QuerySet[Notification]) -> int:
    """Staff checked the ESP's log: an ``unknown`` message did go out."""
    now = timezone.now()
    return rows.filter(status=Status.UNKNOWN).update(
        status=Status.SENT, sent_at=F("claimed_at"), last_error="", updated_at=now
    )


def set_preferences(*, user, reminders: bool, nudges: bool) -> NotificationPreference:
    prefs, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"reminders": reminders, "nudges": nudges}
    )
    return prefs


def cancel_pending(kind: str, dedupe_prefix: str) -> int:
    """Cancel the messages of ``kind`` still waiting whose dedupe key starts with
    ``dedupe_prefix``: a moved or cancelled meeting or session must never get the reminder
    queued for its old time. Returns how many were cancelled."""
    return cancel_notifications(
        Notification.objects.filter(kind=kind, dedupe_key__startswith=dedupe_prefix)
    )
