"""Two people taking the last place at once: the session row lock lets only one in.

Runs on PostgreSQL (real row locks, real parallel transactions); SQLite serialises every
writer anyway, so the test is skipped there.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from people.enums import RoleKind
from tests import factories as f
from webinars import services
from webinars.enums import RegistrationStatus
from webinars.models import Registration

from .helpers import make_session, role_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(calls):
    """Run every call at the same moment in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except services.SessionFull:
            outcomes[i] = "full"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            outcomes[i] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_last_place_goes_to_exactly_one_of_many_racers(needs_postgres, program):
    session = make_session(program, capacity=2)
    roles = [role_of(f.make_mentor(program), program, RoleKind.MENTOR) for _ in range(8)]
    outcomes = _race([lambda r=r: services.register(session=session, role=r) for r in roles])
    assert sorted(outcomes) == ["full"] * 6 + ["ok"] * 2, outcomes
    assert (
        Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()
        == 2
    )


def test_withdraw_racing_a_registration_never_overbooks(needs_postgres, program):
    session = make_session(program, capacity=1)
    holder = role_of(f.make_mentor(program), program, RoleKind.MENTOR)
    waiting = role_of(f.make_mentor(program), program, RoleKind.MENTOR)
    newcomer = role_of(f.make_mentor(program), program, RoleKind.MENTOR)
    reg = services.register(session=session, role=holder)
    services.join_waitlist(session=session, role=waiting)
    outcomes = _race(
        [
            lambda: services.withdraw(registration=reg),
            lambda: services.register(session=session, role=newcomer),
        ]
    )
    assert "error" not in " ".join(outcomes), outcomes
    confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 1
    # The waitlist comes first: the freed place went to the person waiting.
    assert confirmed.get().role == waiting
