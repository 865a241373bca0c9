"""This app's periodic jobs (``manage.py run_periodic``)."""

from datetime import timedelta

from mentoring.periodic.registry import register

from .reminders import send_due_reminders

register(
    "webinars.reminders",
    every=timedelta(minutes=15),
    run=send_due_reminders,
    help="Reminders two days before each webinar (safety net for a lost or early task)",
)
