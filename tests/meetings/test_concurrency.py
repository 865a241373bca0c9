"""Two people accepting conflicting slots at the same moment: only one may succeed.

Meeting 1 (proposed by the mentor for 1 December) and meeting 2 (proposed by the
schoolleider for 8 December) are each fine alone, but together break the program's gap
(three weeks by default).
The schoolleider accepts meeting 1 while the mentor accepts meeting 2, in two concurrent
transactions on PostgreSQL. A barrier inside the rule check makes both requests read the
database before either writes, so without the lock both would pass.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mentoring.meetings import planning
from mentoring.meetings.enums import MeetingStatus
from tests.meetings import helpers as h

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


def _race(pair, monkeypatch, *, lock: bool):
    planning.meetings_create_for_pair(pair=pair)
    [s1] = planning.meeting_propose(
        meeting=h.meeting(pair, 1), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 1))]
    )
    [s2] = planning.meeting_propose(
        meeting=h.meeting(pair, 2), by=pair.schoolleider.user, slots=[h.slot(h.ams(2026, 12, 8))]
    )
    barrier = threading.Barrier(2)
    real_check = planning.check_time

    def check_then_wait(meeting, starts_at):
        problems = real_check(meeting, starts_at)
        # Both have read; with the lock the other one is blocked, so the wait times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return problems

    monkeypatch.setattr(planning, "check_time", check_then_wait)
    if not lock:
        monkeypatch.setattr(planning, "_lock_people", lambda pair: None)
    outcomes: dict[str, object] = {}

    def accept(name, slot, user):
        try:
            planning.meeting_accept(slot=slot, by=user)
            outcomes[name] = "ok"
        except ValidationError as error:
            outcomes[name] = error.messages
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=("m1", s1, pair.schoolleider.user)),
        threading.Thread(target=accept, args=("m2", s2, pair.mentor.user)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_conflicting_accepts_at_the_same_moment_do_not_both_succeed(pair, monkeypatch):
    outcomes = _race(pair, monkeypatch, lock=True)
    assert sorted(v == "ok" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "ok")
    assert "minstens 3 weken" in " ".join(loser)
    planned = [n for n in (1, 2) if h.meeting(pair, n).status == MeetingStatus.PLANNED]
    assert len(planned) == 1


def test_the_race_is_real_without_the_lock(pair, monkeypatch):
    """Guards the test above: with the lock switched off, both acceptances get through."""
    outcomes = _race(pair, monkeypatch, lock=False)
    assert outcomes == {"m1": "ok", "m2": "ok"}
