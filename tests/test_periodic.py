"""Periodic work in one place: ``manage.py run_periodic`` runs each registered job at most
once per interval, keeps going when one fails, and knows every app's jobs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from mentoring.periodic import registry, runner
from mentoring.periodic.models import JobRun

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def test_every_apps_jobs_are_registered_with_their_intervals():
    every = {job.name: job.every for job in registry.jobs()}
    assert every == {
        "guides.retention": dt.timedelta(days=1),
        "meetings.refresh_calendars": dt.timedelta(hours=1),
        "meetings.reminders": dt.timedelta(minutes=15),
        "notifications.send_due": dt.timedelta(minutes=1),
        "people.form_submissions": dt.timedelta(days=1),
        "people.interest_list": dt.timedelta(hours=1),
        "tasks.prune_results": dt.timedelta(days=1),
        "webinars.reminders": dt.timedelta(minutes=15),
    }


@pytest.fixture
def counted(monkeypatch):
    calls: list[str] = []
    monkeypatch.setitem(
        registry._JOBS,
        "test.count",
        registry.Job("test.count", dt.timedelta(minutes=15), lambda: calls.append("x") or 7),
    )
    return calls


def test_a_job_runs_once_per_interval_however_often_cron_starts(counted):
    with time_machine.travel(T0, tick=False):
        assert runner.run_due(only=["test.count"])[0].ran
        assert not runner.run_due(only=["test.count"])[0].ran  # a second cron, same minute
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        assert not runner.run_due(only=["test.count"])[0].ran
    # Cron starts a few seconds late or early: the grace keeps it at 15, not 16 minutes.
    with time_machine.travel(T0 + dt.timedelta(minutes=14, seconds=50), tick=False):
        assert runner.run_due(only=["test.count"])[0].ran
    assert counted == ["x", "x"]
    row = JobRun.objects.get(name="test.count")
    assert row.ok and row.result == "7" and row.finished_at is not None


def test_a_second_process_that_lost_the_claim_does_not_run_the_job(counted):
    job = registry.get("test.count")
    now = timezone.now()
    assert runner.claim(job, now)
    assert not runner.claim(job, now)  # what the other process sees
    assert runner.claim(job, now, force=True)  # --now


def test_a_failing_job_is_recorded_and_the_others_still_run(monkeypatch, counted, capsys):
    def broken():
        raise RuntimeError("kapot")

    monkeypatch.setitem(
        registry._JOBS, "test.broken", registry.Job("test.broken", dt.timedelta(hours=1), broken)
    )
    with pytest.raises(CommandError):
        call_command("run_periodic", "--job", "test.broken", "--job", "test.count")
    out = capsys.readouterr().out
    assert "test.broken: FAILED RuntimeError: kapot" in out
    assert "test.count: ok 7" in out
    assert counted == ["x"]
    assert not JobRun.objects.get(name="test.broken").ok


def test_an_unknown_job_name_is_refused():
    with pytest.raises(CommandError, match="no periodic job 'nope'"):
        call_command("run_periodic", "--job", "nope")


def test_the_list_shows_every_job(capsys):
    call_command("run_periodic", "--list")
    out = capsys.readouterr().out
    assert all(job.name in out for job in registry.jobs())


def test_registering_a_zero_interval_is_refused():
    with pytest.raises(ValueError):
        registry.register("test.zero", every=dt.timedelta(0), run=lambda: None)
