"""Fixtures of the guides tests: published pairs and the default guides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mentoring.guides.services import guides_seed
from tests import factories as f


@pytest.fixture
def guides(program):
    guides_seed(program=program)
    return program.guides.order_by("number")


@pytest.fixture
def pair(program, mentor, schoolleider, guides):
    return f.make_pair(
        program, mentor, schoolleider, published_at=timezone.now() - dt.timedelta(days=30)
    )


@pytest.fixture
def other_pair(program, other_mentor, other_schoolleider, guides):
    return f.make_pair(
        program,
        other_mentor,
        other_schoolleider,
        published_at=timezone.now() - dt.timedelta(days=30),
    )


def meeting_url(program, pair, number, suffix=""):
    return f"/programma/{program.pk}/koppel/{pair.pk}/gesprek/{number}/{suffix}"
