"""Connecting a calendar: the guarded fetch, recurring expansion, busy blocks only."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from mentoring.meetings import calendar_fetch as cf
from mentoring.meetings import calendars, jobs
from mentoring.meetings.planning_models import BusyBlock, CalendarConnection
from tests.meetings import helpers as h
from tests.meetings.icsserver import Server

pytestmark = pytest.mark.django_db


@pytest.fixture
def ics():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def loopback(settings):
    settings.CALENDAR_FETCH_ALLOW_LOOPBACK = True
    settings.CALENDAR_FETCH_TIMEOUT = 0.5
    settings.CALENDAR_FETCH_MAX_BYTES = 5 * 1024 * 1024


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Reads are queued on commit; the test transaction never commits, so run them."""
    real = jobs.connect

    def connect(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return real(**kwargs)

    monkeypatch.setattr(jobs, "connect", connect)


def blocks_of(user):
    return [
        (
            b.starts_at.astimezone(h.AMS).strftime("%m-%d %H:%M"),
            b.ends_at.astimezone(h.AMS).strftime("%m-%d %H:%M"),
        )
        for b in BusyBlock.objects.filter(connection__user=user).order_by("starts_at")
    ]


def test_recurring_all_day_and_time_zones_become_busy_blocks(loopback, ics, mentor):
    jobs.connect(user=mentor, url=ics.url("/recurring.ics"))
    connection = CalendarConnection.objects.get(user=mentor)
    assert connection.error_code == ""
    assert connection.last_read_at == h.NOW
    assert blocks_of(mentor) == [
        ("11-23 09:00", "11-23 10:00"),  # weekly, first
        ("11-24 15:00", "11-24 16:00"),  # 09:00 in New York
        ("11-25 13:00", "11-25 14:00"),  # 12:00 UTC
        ("11-26 00:00", "11-28 00:00"),  # all-day, two days, Amsterdam midnight
        ("11-30 14:00", "11-30 15:30"),  # RECURRENCE-ID moved this one
        # 12-07 excluded by EXDATE; transparent and cancelled events are not busy
        ("12-14 09:00", "12-14 10:00"),
        ("12-21 09:00", "12-21 10:00"),
        ("12-28 09:00", "12-28 10:00"),
    ]
    # Only times are kept: the model has no field for titles, places or attendees.
    fields = {f.name for f in BusyBlock._meta.get_fields()}
    assert fields == {"id", "connection", "starts_at", "ends_at"}


def test_loopback_refused_without_the_test_setting(settings, ics, mentor):
    settings.CALENDAR_FETCH_ALLOW_LOOPBACK = False
    jobs.connect(user=mentor, url=ics.url("/simple.ics"))
    connection = CalendarConnection.objects.get(user=mentor)
    assert connection.error_code == cf.BLOCKED_ADDRESS
    assert ics.hits == []  # never connected
    assert "intern of privé netwerk" in calendars.error_message(connection.error_code)


def test_loopback_setting_is_off_outside_tests():
    from django.conf import settings

    assert getattr(settings, "CALENDAR_FETCH_ALLOW_LOOPBACK", False) is False


@pytest.mark.parametrize(
    "target",
    [
        "http://10.1.2.3/cal.ics",
        "http://169.254.169.254/latest/",
        "http://192.168.0.1/x.ics",
        "http://[::1]:9/x.ics",
        "http://0.0.0.0/x.ics",
    ],
)
def test_redirect_towards_a_private_address_is_refused(loopback, settings, ics, mentor, target):
    if target.startswith("http://[::1]"):
        settings.CALENDAR_FETCH_ALLOW_LOOPBACK = False
        with pytest.raises(cf.FetchError) as info:
            cf.fetch(target, calendars.limits())
        assert info.value.code == cf.BLOCKED_ADDRESS
        return
    jobs.connect(user=mentor, url=ics.url("/redirect-to/" + target))
    connection = CalendarConnection.objects.get(user=mentor)
    assert connection.error_code == cf.BLOCKED_ADDRESS
    assert len(ics.hits) == 1


def test_redirect_to_an_allowed_address_is_followed(loopback, ics, mentor):
    jobs.connect(user=mentor, url=ics.url("/redirect-to/" + ics.url("/simple.ics")))
    assert blocks_of(mentor) == [("12-01 11:00", "12-01 12:00")]


def test_ten_megabyte_file_is_refused_and_old_blocks_stay(loopback, ics, mentor):
    jobs.connect(user=mentor, url=ics.url("/simple.ics"))
    connection = CalendarConnection.objects.get(user=mentor)
    CalendarConnection.objects.filter(pk=connection.pk).update(url=ics.url("/big.ics"))
    connection = calendars.read(connection.pk)
    assert connection.error_code == cf.TOO_LARGE
    assert "groter dan 5 MB" in calendars.error_message(cf.TOO_LARGE)
    assert blocks_of(mentor) == [("12-01 11:00", "12-01 12:00")]  # kept from the last read


def test_size_cap_also_without_content_length(loopback, ics):
    with pytest.raises(cf.FetchError) as info:
        cf.fetch(ics.url("/big-chunked.ics"), calendars.limits())
    assert info.value.code == cf.TOO_LARGE


def test_a_hanging_server_times_out(loopback, ics, mentor):
    started = time.monotonic()
    jobs.connect(user=mentor, url=ics.url("/hang.ics"))
    assert time.monotonic() - started < 4
    connection = CalendarConnection.objects.get(user=mentor)
    assert connection.error_code == cf.TIMEOUT
    assert connection.last_read_at is None


def test_etag_is_sent_and_304_keeps_the_blocks(loopback, ics, mentor, clock):
    jobs.connect(user=mentor, url=ics.url("/simple.ics"))
    connection = CalendarConnection.objects.get(user=mentor)
    assert connection.etag == '"v1"'
    clock.set(h.NOW + dt.timedelta(hours=5))
    connection = calendars.read(connection.pk)
    assert ics.hits[-1][1].get("If-None-Match") == '"v1"'
    assert ics.hits[-1][1].get("If-Modified-Since") == "Tue, 01 Dec 2026"
    assert connection.last_read_at == h.NOW + dt.timedelta(hours=5)
    assert blocks_of(mentor) == [("12-01 11:00", "12-01 12:00")]


@pytest.mark.parametrize(
    ("url", "code"),
    [("/nothing.ics", cf.HTTP_ERROR), ("/notical.ics", cf.NOT_ICAL)],
)
def test_broken_addresses_are_reported(loopback, ics, mentor, url, code):
    jobs.connect(user=mentor, url=ics.url(url))
    assert CalendarConnection.objects.get(user=mentor).error_code == code


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/cal.ics",
        "file:///etc/passwd",
        "gopher://x",
        "https://user:pw@example.org/x",
    ],
)
def test_only_http_and_https_addresses_are_accepted(mentor, url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        jobs.connect(user=mentor, url=url)
    assert not CalendarConnection.objects.filter(user=mentor).exists()


def test_webcal_is_read_as_https(mentor, monkeypatch):
    monkeypatch.setattr(jobs, "schedule_read", lambda c: None)
    connection = jobs.connect(user=mentor, url="webcal://calendar.example.org/x.ics")
    assert connection.url == "https://calendar.example.org/x.ics"


def test_disconnect_deletes_every_block(loopback, ics, mentor):
    jobs.connect(user=mentor, url=ics.url("/recurring.ics"))
    assert BusyBlock.objects.count() == 8
    assert calendars.disconnect(user=mentor)
    assert BusyBlock.objects.count() == 0
    assert not CalendarConnection.objects.exists()


def test_refresh_reads_only_calendars_due(loopback, ics, mentor, schoolleider, clock):
    from mentoring.meetings.tasks import refresh_calendars

    jobs.connect(user=mentor, url=ics.url("/simple.ics"))
    jobs.connect(user=schoolleider, url=ics.url("/recurring.ics"))
    clock.set(h.NOW + dt.timedelta(hours=2))
    assert refresh_calendars() == 0
    clock.set(h.NOW + dt.timedelta(hours=4, minutes=1))
    assert refresh_calendars() == 2
    assert (
        CalendarConnection.objects.filter(
            last_read_at=h.NOW + dt.timedelta(hours=4, minutes=1)
        ).count()
        == 2
    )


def test_a_host_name_resolving_to_loopback_is_refused(settings, ics):
    settings.CALENDAR_FETCH_ALLOW_LOOPBACK = False
    port = ics.httpd.server_address[1]
    with pytest.raises(cf.FetchError) as info:
        cf.fetch(f"http://localhost:{port}/simple.ics", calendars.limits())
    assert info.value.code == cf.BLOCKED_ADDRESS
    assert ics.hits == []


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("8.8.8.8", True),
        ("2a00:1450:4001::1", True),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 (an address to refuse, not bound)
    ],
)
def test_address_guard(address, allowed):
    assert cf.address_allowed(address, allow_loopback=False) is allowed


def test_erasing_a_person_deletes_their_calendar_and_busy_blocks(mentor):
    from mentoring.guides.privacy import erase_user

    connection = CalendarConnection.objects.create(user=mentor, url="https://x.example.org/s")
    BusyBlock.objects.create(
        connection=connection, starts_at=h.NOW, ends_at=h.NOW + dt.timedelta(hours=1)
    )
    counts = erase_user(user=mentor)
    assert counts["calendar"] == 1
    assert not CalendarConnection.objects.exists() and not BusyBlock.objects.exists()
