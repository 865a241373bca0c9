"""Addresses that bounce or complained: never mailed again until staff clear them."""

from __future__ import annotations

import logging
from email.utils import parseaddr

from django.utils import timezone

from .enums import (
    DUE_STATUSES,
    Status,
)
from .models import Notification, SuppressedAddress

logger = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    return parseaddr(email or "")[1].strip().lower()


def is_suppressed(email: str) -> bool:
    return SuppressedAddress.objects.filter(email=normalize_email(email)).exists()


SUPPRESSED_NOTE = "Adres staat op de lijst van onbestelbare adressen."


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
