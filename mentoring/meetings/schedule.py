"""This app's periodic jobs (``manage.py run_periodic``)."""

from datetime import timedelta

from mentoring.periodic.registry import register

from .reminders import reminders_send_due
from .tasks import refresh_calendars

register(
    "meetings.reminders",
    every=timedelta(minutes=15),
    run=reminders_send_due,
    help="Reminders two days before each meeting",
)
register(
    "meetings.refresh_calendars",
    every=timedelta(hours=1),
    run=refresh_calendars,
    help="Queue a read of connected calendars not read for four hours",
)
