"""This app's periodic jobs (``manage.py run_periodic``)."""

from datetime import timedelta

from mentoring.periodic.registry import register

from . import submissions
from .services import interest_notify_open, interest_prune


def interest_list() -> dict[str, int]:
    return {"pruned": interest_prune(), "mailed": interest_notify_open()}


register(
    "people.interest_list",
    every=timedelta(hours=1),
    run=interest_list,
    help="Mail the interest list once mentor registration opens; drop entries over a year old",
)
register(
    "people.form_submissions",
    every=timedelta(days=1),
    run=submissions.prune,
    help="Forget the once-only tokens of form posts older than a day",
)
