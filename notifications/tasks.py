"""Background delivery (django-tasks): one task per message, and a sweep."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_notification(notification_id: int) -> str | None:
    """Send one outbox row if it is still due (quietly nothing if it is gone or taken)."""
    return services.deliver_one(notification_id)


@task()
def send_notifications(notification_ids: list[int]) -> dict[str, str]:
    """Send a batch of outbox rows queued in one transaction (those still due)."""
    return {str(pk): status for pk, status in services.deliver_ids(notification_ids).items()}


@task()
def sweep_notifications() -> dict[str, int]:
    """Send everything due: rows whose enqueue was lost and retries that came due."""
    return services.deliver_pending().as_dict()
