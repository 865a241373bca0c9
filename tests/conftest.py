"""Shared fixtures: one program of each kind and a person for every role, plus outsiders."""

from __future__ import annotations

import pytest

from programs.enums import ProgramKind
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_defaults(settings):
    settings.STAFF_REQUIRE_MFA = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _dutch_after_each_test():
    """A test that switches language must not leak English into the next one."""
    from django.utils import translation

    yield
    translation.activate("nl")


@pytest.fixture
def program(db):
    return f.make_program(ProgramKind.MENTOR_LEADER)


@pytest.fixture
def coach_program(db):
    return f.make_program(ProgramKind.COACH_SCHOOL)


@pytest.fixture
def staff(program):
    return f.make_staff(program, "staf@leerkracht.example")


@pytest.fixture
def foundation_staff(db):
    return f.make_user("stichting@leerkracht.example", is_staff=True)


@pytest.fixture
def mentor(program):
    return f.make_mentor(program, email="mentor@bedrijf.example")


@pytest.fixture
def other_mentor(program):
    return f.make_mentor(program, email="andere.mentor@bedrijf.example", city="rotterdam")


@pytest.fixture
def schoolleider(program):
    return f.make_schoolleider(program, email="leider@school.example")


@pytest.fixture
def other_schoolleider(program):
    return f.make_schoolleider(program, email="andere.leider@school.example", city="rotterdam")


@pytest.fixture
def expertcoach(coach_program):
    return f.make_expertcoach(coach_program, email="coach@leerkracht.example")


@pytest.fixture
def outsider(db):
    """Signed up, verified, but no role anywhere."""
    return f.make_user("buiten@example.org")


@pytest.fixture
def client_for(client):
    """Log the test client in as a user: ``client_for(user).get(url)``."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
