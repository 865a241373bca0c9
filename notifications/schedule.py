"""This app's periodic jobs (``manage.py run_periodic``)."""

from datetime import timedelta

from mentoring.periodic.registry import register

from .delivery import deliver_pending

register(
    "notifications.send_due",
    every=timedelta(minutes=1),
    run=lambda: deliver_pending().as_dict(),
    help="Send due outbox messages: retries that came due, rows whose task was lost",
)
