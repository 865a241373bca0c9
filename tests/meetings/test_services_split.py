"""The meetings app's writes live in one module per job; there is no catch-all services.py."""

from __future__ import annotations

import importlib

import pytest

from mentoring.meetings import feeds, planning, reminders


def test_each_module_has_its_own_job():
    assert planning.meeting_accept.__module__ == "mentoring.meetings.planning"
    assert reminders.reminders_send_due.__module__ == "mentoring.meetings.reminders"
    assert feeds.feed_regenerate.__module__ == "mentoring.meetings.feeds"
    assert not hasattr(planning, "reminders_send_due")
    assert not hasattr(planning, "feed_enable")


def test_the_old_catch_all_module_is_gone():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("mentoring.meetings.services")
