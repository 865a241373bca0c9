"""Background delivery (django-tasks): handing outbox rows to the queue, one task per batch.

The outbox (``notifications.outbox``) calls ``enqueue_on_commit``; the tasks send through
``notifications.delivery`` and put a message that must be tried again back in the queue for
its retry time. A row whose enqueue was lost is sent by the periodic sweep
(``manage.py run_periodic``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial

from django.db import transaction
from django_tasks import default_task_backend, task

from . import delivery
from .enums import Status
from .models import Notification

logger = logging.getLogger(__name__)


@task()
def send_notification(notification_id: int) -> str | None:
    """Send one outbox row if it is still due (quietly nothing if it is gone or taken)."""
    outcomes = delivery.deliver_ids([notification_id])
    schedule_retries(outcomes)
    return outcomes.get(notification_id)


@task()
def send_notifications(notification_ids: list[int]) -> dict[str, str]:
    """Send a batch of outbox rows queued in one transaction (those still due)."""
    outcomes = delivery.deliver_ids(notification_ids)
    schedule_retries(outcomes)
    return {str(pk): status for pk, status in outcomes.items()}


def enqueue_on_commit(notification_ids: Sequence[int]) -> None:
    """After the caller's commit, hand the messages to the task queue (one task per 100)."""
    if notification_ids:
        transaction.on_commit(partial(enqueue, list(notification_ids)), robust=True)


def enqueue(notification_ids: Sequence[int], run_after: datetime | None = None) -> None:
    """Hand messages to the task queue; if that fails the periodic sweep sends them."""
    try:
        if run_after is not None and not default_task_backend.supports_defer:
            return  # the sweep picks it up when due
        for chunk in delivery.chunks(list(notification_ids), delivery.conf("BATCH_SIZE")):
            if len(chunk) == 1:
                one = send_notification
                if run_after is not None:
                    one = one.using(run_after=run_after)
                one.enqueue(chunk[0])
            else:
                many = send_notifications
                if run_after is not None:
                    many = many.using(run_after=run_after)
                many.enqueue(list(chunk))
    except Exception:
        logger.exception(
            "Could not enqueue notifications %s; the sweep will send them", notification_ids
        )


def schedule_retries(outcomes: Mapping[int, str]) -> None:
    """Each message that failed for now goes back in the queue for its next attempt time."""
    retry = [pk for pk, status in outcomes.items() if status == Status.RETRY]
    if not retry:
        return
    due = Notification.objects.filter(pk__in=retry, status=Status.RETRY)
    for pk, at in due.values_list("pk", "next_attempt_at"):
        enqueue([pk], run_after=at)
