"""The one way email leaves the platform: a durable outbox.

``notify()`` renders a message now, in the recipient's language, and writes it as a row in
the caller's transaction; after commit a django-tasks task delivers it. Delivery claims a
row atomically (``queued``/``retry`` → ``sending``) so two workers never send the same
message; a failure is retried with exponential backoff and jitter. A worker that dies
leaves its rows in ``sending``; after a lease, rows it never handed to the mail backend go
back to the queue, and the one it was handing over becomes ``unknown`` for staff to check
instead of being resent blindly. See docs/email.md.
"""

from __future__ import annotations

import base64
import logging
import os
import random
import socket
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from .enums import (
    CANCELLABLE_STATUSES,
    DUE_STATUSES,
    RETRYABLE_STATUSES,
    Category,
    Status,
    SuppressionReason,
)
from .models import Notification, NotificationPreference, SuppressedAddress
from .rendering import Rendered, base_context, render_kind

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "MAX_ATTEMPTS": 8,  # then 'failed'
    "RETRY_BASE_SECONDS": 60,  # 1, 2, 4, 8, ... minutes (± jitter)
    "RETRY_MAX_SECONDS": 6 * 3600,
    "LEASE_SECONDS": 15 * 60,  # a row 'sending' longer than this: the worker died
    "BATCH_SIZE": 100,
}


def conf(name: str) -> Any:
    return getattr(settings, "NOTIFICATIONS", {}).get(name, DEFAULTS[name])


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


def normalize_email(email: str) -> str:
    return parseaddr(email or "")[1].strip().lower()


# --- Queueing ---------------------------------------------------------------------------


def category_for(kind: str) -> str:
    """Which opt-out a non-essential kind falls under: reminders, else staff nudges."""
    return Category.REMINDERS if "reminder" in kind else Category.NUDGES


def is_suppressed(email: str) -> bool:
    return SuppressedAddress.objects.filter(email=normalize_email(email)).exists()


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
        category=category if not essential else "",
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


SUPPRESSED_NOTE = "Adres staat op de lijst van onbestelbare adressen."


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


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    for chunk in _chunks(sorted(set(emails.values())), 500):
        suppressed.update(
            SuppressedAddress.objects.filter(email__in=chunk).values_list("email", flat=True)
        )
    opted_out: set[int] = set()
    if not essential:
        for chunk in _chunks([u.pk for u in users], 500):
            for prefs in NotificationPreference.objects.filter(user_id__in=chunk):
                if not prefs.allows(category):
                    opted_out.add(prefs.user_id)
    keys = {u.pk: dedupe_key(u) if callable(dedupe_key) else dedupe_key for u in users}
    taken: set[tuple[str, str]] = set()
    wanted = sorted({k for k in keys.values() if k})
    for chunk in _chunks(wanted, 500):
        taken.update(
            Notification.objects.filter(
                dedupe_key__in=chunk, to_email__in=set(emails.values())
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


_MSGID_DOMAIN: str | None = None


def new_message_id() -> str:
    global _MSGID_DOMAIN
    if _MSGID_DOMAIN is None:
        sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        _MSGID_DOMAIN = (
            sender.rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname or "localhost"
        )
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=_MSGID_DOMAIN)


def enqueue_on_commit(notification_ids: Sequence[int]) -> None:
    """After the caller's commit, hand the messages to the task queue (one task per 100)."""
    if notification_ids:
        transaction.on_commit(partial(enqueue, list(notification_ids)), robust=True)


def enqueue(notification_ids: Sequence[int], run_after: datetime | None = None) -> None:
    """Hand messages to the task queue; if that fails the periodic sweep sends them."""
    from django_tasks import default_task_backend

    from . import tasks

    try:
        if run_after is not None and not default_task_backend.supports_defer:
            return  # the sweep picks it up when due
        for chunk in _chunks(list(notification_ids), conf("BATCH_SIZE")):
            if len(chunk) == 1:
                task = tasks.send_notification
                if run_after is not None:
                    task = task.using(run_after=run_after)
                task.enqueue(chunk[0])
            else:
                task = tasks.send_notifications
                if run_after is not None:
                    task = task.using(run_after=run_after)
                task.enqueue(list(chunk))
    except Exception:
        logger.exception(
            "Could not enqueue notifications %s; the sweep will send them", notification_ids
        )


# --- Delivery ---------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    expired: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, outcome: str) -> None:
        if outcome == Status.SENT:
            self.sent += 1
        elif outcome == Status.RETRY:
            self.retried += 1
        elif outcome == Status.FAILED:
            self.failed += 1
        elif outcome == Status.UNKNOWN:
            self.unknown += 1

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "unknown": self.unknown,
            "expired": self.expired,
        }


def new_worker_token() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def claim(ids: Iterable[int], token: str, now: datetime) -> int:
    """Atomically take due rows: only rows still queued/retry and due change hands.

    The conditional UPDATE is the lock: of two workers racing for a row, the database
    lets exactly one see it as ``queued``; the other updates nothing.
    """
    return Notification.objects.filter(
        pk__in=list(ids), status__in=DUE_STATUSES, next_attempt_at__lte=now
    ).update(
        status=Status.SENDING,
        claimed_by=token,
        claimed_at=now,
        handed_at=None,
        attempts=F("attempts") + 1,
    )


def _claim_batch(token: str, now: datetime, size: int) -> list[Notification]:
    due = Notification.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: workers skip each other's rows instead of queueing behind them.
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
            if not ids or not claim(ids, token, now):
                return []
    else:
        ids = list(due.values_list("pk", flat=True)[:size])
        if not ids or not claim(ids, token, now):
            return []
    return list(Notification.objects.filter(claimed_by=token, status=Status.SENDING).order_by("pk"))


def expire_leases(now: datetime | None = None) -> int:
    """Settle rows stuck in ``sending`` past the lease (the worker died or hangs).

    - Never handed to the mail backend (``handed_at`` empty): back to the queue. A worker
      that is merely slow cannot send it any more: it re-checks its claim right before
      handing a message over (``begin_send``).
    - Handed over: the ESP may have accepted it, and most ESP APIs have no idempotency key,
      so sending again could deliver it twice. It becomes ``unknown``: staff check the ESP's
      log and send it again or mark it sent; a tracking event from the ESP (delivered,
      bounced) settles it by itself.

    Returns how many rows were settled.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=conf("LEASE_SECONDS"))
    stale = Notification.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    released = stale.filter(handed_at__isnull=True).update(
        status=Status.QUEUED,
        claimed_by="",
        claimed_at=None,
        attempts=Greatest(F("attempts") - 1, 0),
        next_attempt_at=now,
        updated_at=now,
    )
    unknown = stale.filter(handed_at__isnull=False).update(
        status=Status.UNKNOWN,
        last_error="Het verzendproces stopte tijdens het versturen; controleer bij de "
        "verzenddienst of het bericht is aangekomen.",
        updated_at=now,
    )
    return released + unknown


def begin_send(pk: int, token: str, now: datetime) -> bool:
    """Mark the moment of handing over; False if this worker no longer owns the row."""
    return bool(record_outcome(pk, token, {"handed_at": now}, only_sending=True))


def deliver_one(notification_id: int, *, now: datetime | None = None) -> str | None:
    """Send one message if it is still due; return its new status (None: nothing to do)."""
    outcomes = deliver_ids([notification_id], now=now)
    return outcomes.get(notification_id)


def deliver_ids(notification_ids: Sequence[int], *, now: datetime | None = None) -> dict[int, str]:
    """Send those of the given messages that are still due; {id: new status}."""
    now = now or timezone.now()
    outcomes: dict[int, str] = {}
    for chunk in _chunks(list(notification_ids), conf("BATCH_SIZE")):
        token = new_worker_token()
        if not claim(chunk, token, now):
            continue
        rows = list(
            Notification.objects.filter(claimed_by=token, status=Status.SENDING).order_by("pk")
        )
        with get_connection(fail_silently=False) as conn:
            for row in rows:
                outcome = send_claimed(row, conn, token, now)
                if outcome != RELEASED:
                    outcomes[row.pk] = outcome
    return outcomes


def deliver_pending(now: datetime | None = None, *, limit: int | None = None) -> DeliveryReport:
    """Send every due message now (the sweep; tests call it directly)."""
    now = now or timezone.now()
    report = DeliveryReport(expired=expire_leases(now))
    size = conf("BATCH_SIZE")
    done = 0
    while limit is None or done < limit:
        batch = _claim_batch(
            new_worker_token(), now, size if limit is None else min(size, limit - done)
        )
        if not batch:
            break
        conn = get_connection(fail_silently=False)
        try:
            conn.open()
            for row in batch:
                outcome = send_claimed(row, conn, row.claimed_by, now)
                report.add(outcome)
                if outcome != Status.SENT and row.last_error:
                    report.errors.append(f"{row.pk}: {row.last_error[:200]}")
        finally:
            conn.close()
        done += len(batch)
    return report


def build_email(row: Notification, conn=None) -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        connection=conn,
        headers={"Message-ID": row.message_id} if row.message_id else None,
    )
    if row.body_html:
        msg.attach_alternative(row.body_html, "text/html")
    for item in row.attachments or []:
        msg.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    # anymail: per-kind tag and metadata, so ESP reports can be filtered and tracking
    # events map back to this row. Plain Django backends ignore these attributes.
    msg.tags = [row.kind]
    msg.metadata = {"notification_id": str(row.pk), "kind": row.kind}
    return msg


def _is_ambiguous(exc: BaseException) -> bool:
    """The ESP may have accepted the message: the request went out, no answer came."""
    import requests

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, requests.exceptions.ReadTimeout):
            return True
        current = current.__cause__ or current.__context__
    return False


def _is_permanent(exc: BaseException) -> bool:
    from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused

    return isinstance(exc, AnymailRecipientsRefused | AnymailInvalidAddress)


def _is_refused(exc: BaseException) -> bool:
    from anymail.exceptions import AnymailRecipientsRefused

    return isinstance(exc, AnymailRecipientsRefused)


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: base·2^(n-1), capped, ±25 %."""
    base = conf("RETRY_BASE_SECONDS") * (2 ** max(attempts - 1, 0))
    delay = min(base, conf("RETRY_MAX_SECONDS"))
    return delay * random.uniform(0.75, 1.25)


def send_claimed(row: Notification, conn, token: str, now: datetime) -> str:
    """Send a row this worker claimed and record the outcome (one UPDATE)."""
    if not row.to_email or not (row.subject or row.body_text):
        # Scrubbed (privacy erasure) or otherwise emptied while it waited: never send.
        record_outcome(
            row.pk, token, {"status": Status.CANCELLED, "last_error": "Geen inhoud of adres meer."}
        )
        row.status = Status.CANCELLED
        return Status.CANCELLED
    msg = build_email(row, conn)
    if not begin_send(row.pk, token, now):
        return RELEASED  # the lease expired and the row went back to the queue
    try:
        sent = conn.send_messages([msg])
        if not sent:
            raise RuntimeError("The mail backend reported that nothing was sent")
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:4000]
        if _is_permanent(exc):
            status = Status.FAILED
            if _is_refused(exc):
                suppress_address(
                    row.to_email,
                    reason=SuppressionReason.REJECTED,
                    event_type="rejected",
                    description=str(exc)[:1000],
                    esp_name=str(getattr(conn, "esp_name", "") or ""),
                    notification=row,
                )
        elif _is_ambiguous(exc):
            status = Status.UNKNOWN
        elif row.attempts >= conf("MAX_ATTEMPTS"):
            status = Status.FAILED
        else:
            status = Status.RETRY
        next_at = now + timedelta(seconds=backoff_seconds(row.attempts))
        changes: dict[str, Any] = {"status": status, "last_error": error}
        if status == Status.RETRY:
            changes["next_attempt_at"] = next_at
        record_outcome(row.pk, token, changes)
        row.status, row.last_error = status, error
        logger.warning("Notification %s (%s) not sent: %s → %s", row.pk, row.kind, error, status)
        if status == Status.RETRY:
            enqueue([row.pk], run_after=next_at)
        return status
    anymail_status = getattr(msg, "anymail_status", None)
    esp_id = getattr(anymail_status, "message_id", None) if anymail_status else None
    if isinstance(esp_id, set):
        esp_id = next(iter(esp_id), None) if len(esp_id) == 1 else None
    esp_status = getattr(anymail_status, "status", None) if anymail_status else None
    record_outcome(
        row.pk,
        token,
        {
            **_without_secrets(row),
            "status": Status.SENT,
            "sent_at": timezone.now(),
            "last_error": "",
            "esp_name": str(getattr(conn, "esp_name", "") or "")[:40],
            "esp_message_id": str(row.message_id if esp_id is None else esp_id)[:255],
            "esp_status": ",".join(sorted(esp_status))[:40] if esp_status else "",
        },
    )
    row.status = Status.SENT
    return Status.SENT


RELEASED = "released"


def _without_secrets(row: Notification) -> dict[str, str]:
    """Once sent, a one-time link is not kept: the stored copy becomes the redacted one."""
    from .secrets import redacted

    shown = redacted(row)
    if not shown.has_secret:
        return {}
    return {"subject": shown.subject, "body_text": shown.body_text, "body_html": shown.body_html}


def record_outcome(
    pk: int, token: str, changes: dict[str, Any], *, only_sending: bool = False
) -> int:
    """``UPDATE … WHERE id = pk AND claimed_by = token`` — the hot path of sending, written
    as one plain statement (the ORM's per-call query building costs more than the query)."""
    changes = {**changes, "updated_at": timezone.now()}
    meta = Notification._meta
    columns, params = [], []
    for name, value in changes.items():
        model_field = meta.get_field(name)
        columns.append(f"{connection.ops.quote_name(model_field.column)} = %s")
        params.append(model_field.get_db_prep_save(value, connection))
    # Identifiers come from the model; values are parameters.
    table = connection.ops.quote_name(meta.db_table)
    pk_col = connection.ops.quote_name(meta.pk.column)
    token_col = connection.ops.quote_name(meta.get_field("claimed_by").column)
    sql = f"UPDATE {table} SET {', '.join(columns)} WHERE {pk_col} = %s AND {token_col} = %s"  # noqa: S608
    where_params = [pk, token]
    if only_sending:
        status_col = connection.ops.quote_name(meta.get_field("status").column)
        sql += f" AND {status_col} = %s"
        where_params.append(Status.SENDING)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        return cursor.rowcount


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


# --- Suppression ------------------------------------------------------------------------


def suppress_address(
    email: str,
    *,
    reason: str,
    event_type: str = "",
    description: str = "",
    esp_name: str = "",
    notification: Notification | None = None,
) -> SuppressedAddress:
    address = normalize_email(email)
    obj, _ = SuppressedAddress.objects.update_or_create(
        email=address,
        defaults={
            "reason": reason,
            "event_type": event_type,
            "description": description,
            "esp_name": esp_name,
            "notification": notification,
            "created_at": timezone.now(),
        },
    )
    # Anything still waiting for this address would only bounce again.
    Notification.objects.filter(to_email=address, status__in=DUE_STATUSES).update(
        status=Status.SUPPRESSED, updated_at=timezone.now()
    )
    return obj


def clear_suppression(email: str) -> int:
    deleted, _ = SuppressedAddress.objects.filter(email=normalize_email(email)).delete()
    return deleted


def set_preferences(*, user, reminders: bool, nudges: bool) -> NotificationPreference:
    prefs, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"reminders": reminders, "nudges": nudges}
    )
    return prefs
