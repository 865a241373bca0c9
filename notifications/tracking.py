"""Delivery tracking: anymail's ``tracking`` signal → outbox rows and undeliverable addresses.

anymail's webhook views (mounted at ``/anymail/<esp>/tracking/``) check the shared basic-auth
secret (``ANYMAIL["WEBHOOK_SECRET"]``) and, where the ESP signs its posts (Mailgun), the
signature, and then send one normalized event per recipient. Opens and clicks are ignored
on purpose: we do not track reading behaviour of people.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason, tracking
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from .enums import Status, SuppressionReason
from .models import DeliveryEvent, Notification
from .suppression import normalize_email, suppress_address

logger = logging.getLogger(__name__)

#: Reject reasons that say something about the address (not about our content or account).
ADDRESS_REASONS = {
    RejectReason.BOUNCED,
    RejectReason.INVALID,
    RejectReason.BLOCKED,
    RejectReason.SPAM,
    RejectReason.UNSUBSCRIBED,
    RejectReason.TIMED_OUT,
}
RECORDED = {
    EventType.QUEUED,
    EventType.SENT,
    EventType.DELIVERED,
    EventType.DEFERRED,
    EventType.BOUNCED,
    EventType.REJECTED,
    EventType.FAILED,
    EventType.COMPLAINED,
    EventType.UNSUBSCRIBED,
    EventType.AUTORESPONDED,
}


def _get(raw: Any, key: str) -> Any:
    try:
        return raw.get(key)
    except AttributeError:
        return None


def is_soft_bounce(event: AnymailTrackingEvent) -> bool:
    """A temporary bounce (mailbox full, greylisting) that anymail still calls 'bounced'."""
    raw = event.esp_event
    if _get(raw, "Type") == "SoftBounce":  # Postmark
        return True
    if _get(raw, "event") == "soft_bounce":  # Brevo
        return True
    if _get(raw, "hard_bounce") is False:  # Mailjet
        return True
    if _get(raw, "severity") == "temporary":  # Mailgun (legacy posts)
        return True
    return bool(event.description and str(event.description).startswith("Transient"))  # SES


def find_notification(event: AnymailTrackingEvent) -> Notification | None:
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    raw_id = metadata.get("notification_id")
    if raw_id is not None:
        try:
            found = Notification.objects.filter(pk=int(raw_id)).first()
        except (TypeError, ValueError):
            found = None
        if found is not None and (
            not event.recipient or normalize_email(event.recipient) == found.to_email
        ):
            return found
    if event.message_id:
        candidates = {str(event.message_id), str(event.message_id).strip("<>")}
        candidates |= {f"<{c}>" for c in list(candidates)}
        qs = Notification.objects.filter(esp_message_id__in=candidates)
        if event.recipient:
            qs = qs.filter(to_email=normalize_email(event.recipient))
        return qs.order_by("-pk").first()
    return None


def suppression_reason(event: AnymailTrackingEvent) -> str | None:
    """Whether (and why) this event makes the address undeliverable."""
    if event.event_type == EventType.COMPLAINED:
        return SuppressionReason.COMPLAINED
    if event.event_type == EventType.BOUNCED and not is_soft_bounce(event):
        if event.reject_reason == RejectReason.INVALID:
            return SuppressionReason.INVALID
        return SuppressionReason.BOUNCED
    if event.event_type == EventType.REJECTED and event.reject_reason in ADDRESS_REASONS:
        if event.reject_reason == RejectReason.UNSUBSCRIBED:
            return SuppressionReason.UNSUBSCRIBED
        if event.reject_reason == RejectReason.INVALID:
            return SuppressionReason.INVALID
        return SuppressionReason.REJECTED
    if event.event_type == EventType.UNSUBSCRIBED:
        return SuppressionReason.UNSUBSCRIBED
    return None


def describe(event: AnymailTrackingEvent) -> str:
    parts = [str(p) for p in (event.description, event.mta_response) if p]
    return " — ".join(parts)[:2000]


@receiver(tracking, dispatch_uid="notifications.tracking")
def handle_tracking(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    if event.event_type not in RECORDED:
        if event.event_type in (EventType.OPENED, EventType.CLICKED):
            _settle_unknown(event)  # proof it arrived; nothing else is stored
        return
    with transaction.atomic():
        record_event(event, esp_name)


def _settle_unknown(event: AnymailTrackingEvent) -> None:
    row = find_notification(event)
    if row is not None and row.status in (Status.UNKNOWN, Status.SENT, Status.SENDING):
        Notification.objects.filter(pk=row.pk).update(
            status=Status.DELIVERED, delivered_at=timezone.now(), updated_at=timezone.now()
        )


def record_event(event: AnymailTrackingEvent, esp_name: str) -> DeliveryEvent | None:
    if (
        event.event_id
        and DeliveryEvent.objects.filter(
            esp_name=esp_name, event_id=str(event.event_id)[:255], event_type=event.event_type
        ).exists()
    ):
        return None  # the ESP posted the same event again
    row = find_notification(event)
    recipient = normalize_email(event.recipient or (row.to_email if row else ""))
    detail = describe(event)
    logged = DeliveryEvent.objects.create(
        notification=row,
        esp_name=esp_name[:40],
        event_type=str(event.event_type)[:20],
        event_id=str(event.event_id or "")[:255],
        recipient=recipient,
        reject_reason=str(event.reject_reason or "")[:20],
        description=str(event.description or "")[:2000],
        mta_response=str(event.mta_response or "")[:2000],
        occurred_at=event.timestamp,
    )
    reason = suppression_reason(event)
    if reason and recipient:
        suppress_address(
            recipient,
            reason=reason,
            event_type=str(event.event_type),
            description=detail,
            esp_name=esp_name,
            notification=row,
        )
    if row is not None:
        _update_row(row, event, reason, detail)
    elif event.event_type != EventType.DEFERRED:
        logger.info("Tracking event %s for %s matched no outbox row", event.event_type, recipient)
    return logged


def _update_row(
    row: Notification, event: AnymailTrackingEvent, reason: str | None, detail: str
) -> None:
    now = timezone.now()
    changes: dict[str, Any] = {"event_type": str(event.event_type)[:20], "updated_at": now}
    if detail:
        changes["event_detail"] = detail
    after_send = (Status.SENDING, Status.SENT, Status.UNKNOWN, Status.DELIVERED)
    if event.event_type == EventType.DELIVERED and row.status in (
        Status.SENDING,
        Status.SENT,
        Status.UNKNOWN,
    ):
        changes.update(status=Status.DELIVERED, delivered_at=event.timestamp or now)
    elif event.event_type in (EventType.QUEUED, EventType.SENT) and row.status == Status.UNKNOWN:
        changes.update(status=Status.SENT)
    elif reason and event.event_type != EventType.COMPLAINED and row.status in after_send:
        changes.update(status=Status.BOUNCED, last_error=detail)
    elif event.event_type == EventType.FAILED and row.status in after_send:
        changes.update(
            status=Status.FAILED,
            last_error=detail or "De verzenddienst kon het bericht niet versturen.",
        )
    elif event.event_type == EventType.REJECTED and row.status in after_send:
        changes.update(
            status=Status.FAILED, last_error=detail or "Geweigerd door de verzenddienst."
        )
    Notification.objects.filter(pk=row.pk).update(**changes)
