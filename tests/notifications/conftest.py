"""Fixtures of the notifications tests."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.notifications.backends import ScriptedBackend, SlowBackend

WEBHOOK_SECRET = "anymail:s3cret-webhook"
MAILGUN_SIGNING_KEY = "key-mailgun-signing-0123456789"


@pytest.fixture
def person(db):
    return f.make_user("lid@school.example", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def english_person(db):
    return f.make_user("member@company.example", first_name="Alex", language="en")


@pytest.fixture
def scripted_backend(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.ScriptedBackend"
    ScriptedBackend.script.clear()
    yield ScriptedBackend.script
    ScriptedBackend.script.clear()


@pytest.fixture
def slow_backend(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    SlowBackend.entered.clear()
    SlowBackend.release.clear()
    yield SlowBackend
    SlowBackend.release.set()


@pytest.fixture
def webhook_settings(settings):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY,
    }
    return settings


@pytest.fixture
def dummy_tasks(settings):
    """Enqueued tasks are stored, not run: tests drive the workers themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
