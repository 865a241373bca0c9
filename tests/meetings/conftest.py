"""Fixtures of the meeting tests: a frozen clock inside the meeting window, and a pair."""

from __future__ import annotations

import pytest

from tests.meetings import helpers as h


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Freeze ``timezone.now`` at ``h.NOW``; ``clock.set(moment)`` moves it."""

    class Clock:
        now = h.NOW

        def set(self, moment):
            self.now = moment

    c = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: c.now)
    return c


@pytest.fixture
def pair(program, mentor, schoolleider):
    return h.make_pair(program, mentor, schoolleider)


@pytest.fixture
def other_pair(program, other_mentor, other_schoolleider):
    return h.make_pair(program, other_mentor, other_schoolleider, city="rotterdam")
