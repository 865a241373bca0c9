"""services.py was split into planning, reminders and feeds; old import paths still work."""

from __future__ import annotations

from mentoring.meetings import feeds, planning, reminders, services


def test_old_names_are_the_new_objects():
    homes = (planning, reminders, feeds)
    for name in services.__all__:
        value = getattr(services, name)
        owners = [m for m in homes if getattr(m, name, None) is value]
        assert owners, f"{name} is not re-exported from its new module"


def test_each_module_has_its_own_job():
    assert planning.meeting_accept.__module__ == "mentoring.meetings.planning"
    assert reminders.reminders_send_due.__module__ == "mentoring.meetings.reminders"
    assert feeds.feed_regenerate.__module__ == "mentoring.meetings.feeds"
    assert not hasattr(planning, "reminders_send_due")
    assert not hasattr(planning, "feed_enable")
