"""Fixtures of the guides tests: published pairs and the default guides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mentoring.guides.services import guides_seed
from mentoring.pairs.models import Pair
from people.enums import RoleKind
from people.models import Role, SchoolleiderProfile


def make_pair(program, mentor, schoolleider, *, status="active", published_at=None) -> Pair:
    school = SchoolleiderProfile.objects.get(role__user=schoolleider, role__program=program).school
    return Pair.objects.create(
        program=program,
        mentor=Role.objects.get(user=mentor, program=program, kind=RoleKind.MENTOR),
        schoolleider=Role.objects.get(
            user=schoolleider, program=program, kind=RoleKind.SCHOOLLEIDER
        ),
        school=school,
        status=status,
        published_at=published_at or timezone.now() - dt.timedelta(days=30),
    )


@pytest.fixture
def guides(program):
    guides_seed(program=program)
    return program.guides.order_by("number")


@pytest.fixture
def pair(program, mentor, schoolleider, guides):
    return make_pair(program, mentor, schoolleider)


@pytest.fixture
def other_pair(program, other_mentor, other_schoolleider, guides):
    return make_pair(program, other_mentor, other_schoolleider)


def meeting_url(program, pair, number, suffix=""):
    return f"/programma/{program.pk}/koppel/{pair.pk}/gesprek/{number}/{suffix}"
