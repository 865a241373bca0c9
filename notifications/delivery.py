"""Delivery of the outbox: claiming rows with a lease, sending, retrying with backoff.

A worker claims a row atomically (``queued``/``retry`` -> ``sending``) so two workers never
send the same message; a failure is retried with exponential backoff and jitter. A worker
that dies leaves its rows in ``sending``; after a lease, rows it never handed to the mail
backend go back to the queue, and the one it was handing over becomes ``unknown`` for staff
to check instead of being resent blindly. See docs/email.md.
"""

from __future__ import annotations

import base64
import logging
import os
import random
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .enums import (
    DUE_STATUSES,
    Status,
    SuppressionReason,
)
from .models import Notification
from .suppression import suppress_address

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


_MSGID_DOMAIN: str | None = None


def new_message_id() -> str:
    global _MSGID_DOMAIN
    if _MSGID_DOMAIN is None:
        sender = parseaddr(settings.DEFAULT_FROM_EMAIL or "")[1]
        _MSGID_DOMAIN = (
            sender.rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname or "localhost"
        )
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=_MSGID_DOMAIN)


def chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    for chunk in chunks(list(notification_ids), conf("BATCH_SIZE")):
        token = new_worker_token()
        if not claim(chunk, token, now):
            continue
        rows = list(
            Notification.objects.filter(claimed_by=token, status=Status.SENDING).order_by("pk")
        )
        conn = get_connection(fail_silently=False)
        try:
            conn.open()
        except Exception as exc:  # noqa: BLE001 - refused, timed out, 4xx greeting, ...
            outcomes.update(release_unsent(rows, exc, now))
            continue
        try:
            for row in rows:
                outcome = send_claimed(row, conn, token, now)
                if outcome != RELEASED:
                    outcomes[row.pk] = outcome
        finally:
            _close_quietly(conn)
    return outcomes


def _close_quietly(conn) -> None:
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - a dead connection may fail to close; nothing was lost
        logger.info("Closing the mail connection failed", exc_info=True)


def release_unsent(rows: Sequence[Notification], exc: BaseException, now: datetime) -> dict:
    """The mail server could not be reached: nothing was handed over, so every claimed row
    goes back to the queue at once with the error and its next retry time (no lease wait,
    nothing sent twice). Rows out of attempts fail."""
    error = f"{type(exc).__name__}: {exc}"[:4000]
    outcomes: dict[int, str] = {}
    for row in rows:
        status = Status.FAILED if row.attempts >= conf("MAX_ATTEMPTS") else Status.RETRY
        next_at = now + timedelta(seconds=backoff_seconds(row.attempts))
        changes: dict[str, Any] = {"status": status, "last_error": error, "handed_at": None}
        if status == Status.RETRY:
            changes["next_attempt_at"] = next_at
        record_outcome(row.pk, row.claimed_by, changes, only_sending=True)
        row.status, row.last_error = status, error
        outcomes[row.pk] = status
    logger.warning("Mail server unreachable, %s message(s) requeued: %s", len(rows), error)
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
        except Exception as exc:  # noqa: BLE001 - refused, timed out, 4xx greeting, ...
            for pk, outcome in release_unsent(batch, exc, now).items():
                report.add(outcome)
                report.errors.append(f"{pk}: {type(exc).__name__}: {str(exc)[:150]}")
            break  # the server is down: the rest waits for its own retry time
        try:
            for row in batch:
                outcome = send_claimed(row, conn, row.claimed_by, now)
                report.add(outcome)
                if outcome != Status.SENT and row.last_error:
                    report.errors.append(f"{row.pk}: {row.last_error[:200]}")
        finally:
            _close_quietly(conn)
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
        content = base64.b64decode(item["content_b64"])
        mimetype = item["mimetype"]
        if mimetype.startswith("text/calendar") and "method=" in mimetype:
            # Outlook shows a meeting with Accept/Decline only for a text/calendar part inside
            # multipart/alternative; other clients read the .ics attachment, so send both.
            msg.attach_alternative(content.decode("utf-8"), mimetype)
        msg.attach(item["filename"], content, mimetype)
    # anymail: per-kind tag and metadata, so ESP reports can be filtered and tracking
    # events map back to this row. Plain Django backends ignore these attributes.
    msg.tags = [row.kind]  # type: ignore[attr-defined]  # anymail's extension attribute
    msg.metadata = {"notification_id": str(row.pk), "kind": row.kind}  # type: ignore[attr-defined]
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
    """Write a send's outcome, only if this worker still holds the row (its lease token);
    with ``only_sending``, only while the row is still ``sending``. Returns rows changed."""
    rows = Notification.objects.filter(pk=pk, claimed_by=token)
    if only_sending:
        rows = rows.filter(status=Status.SENDING)
    return rows.update(**changes, updated_at=timezone.now())
