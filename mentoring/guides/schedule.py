"""This app's periodic jobs (``manage.py run_periodic``)."""

from datetime import timedelta

from mentoring.periodic.registry import register

from .privacy import enforce_retention

register(
    "guides.retention",
    every=timedelta(days=1),
    run=enforce_retention,
    help="Retention rules of docs/privacy.md: old notes and actions, anonymised years",
)
