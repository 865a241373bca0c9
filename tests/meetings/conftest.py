"""Fixtures of the meeting tests: a frozen clock inside the meeting window, and a pair."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from tests import factories as f
from tests.meetings import helpers as h


class Clock:
    """The frozen time of a test (time-machine): ``clock.set(moment)`` moves it."""

    def __init__(self, traveller):
        self._traveller = traveller

    @property
    def now(self):
        return timezone.now()

    def set(self, moment):
        self._traveller.move_to(moment)


@pytest.fixture(autouse=True)
def clock():
    """Freeze the clock (every ``now``, not only Django's) at ``h.NOW``."""
    with time_machine.travel(h.NOW, tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture
def pair(program, mentor, schoolleider):
    return f.make_pair(program, mentor, schoolleider)


@pytest.fixture
def other_pair(program, other_mentor, other_schoolleider):
    return f.make_pair(program, other_mentor, other_schoolleider, city="rotterdam")
