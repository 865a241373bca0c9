"""Journeys of the meetings app: propose, accept, move and cancel a meeting; subscribe to
the private calendar feed (and see the old link die after regenerating it)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from mentoring.meetings.enums import MeetingStatus
from programs.enums import ProgramKind
from tests import factories as f
from tests.meetings import helpers as h

pytestmark = pytest.mark.browser


@pytest.fixture
def frozen():
    """The live server runs in this process: its clock starts at ``h.NOW``, inside the
    meeting window (time-machine; the browser's own clock is untouched)."""
    with time_machine.travel(h.NOW, tick=True):
        yield


def _switch(page, login, email):
    page.context.clear_cookies()
    login(email)


def test_propose_accept_move_and_cancel_a_meeting(page, login, frozen):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    mentor = f.make_mentor(program, email="mentor@bedrijf.example")
    leider = f.make_schoolleider(program, email="leider@school.example")
    pair = f.make_pair(program, mentor, leider)
    pair_url = f"/programma/{program.pk}/koppel/{pair.pk}/gesprekken/"

    # The mentor proposes a Saturday first: refused in Dutch, input kept; then a weekday.
    login("mentor@bedrijf.example")
    page.goto(pair_url)
    assert page.locator("text=Neem dit plan over").is_visible()
    page.locator("#gesprek-1").get_by_role("link", name="Tijden voorstellen").click()
    page.fill("input[name=slot1_date]", "2026-12-05")
    page.fill("input[name=slot1_time]", "15:00")
    page.select_option("select[name=slot1_mode]", "school")
    page.click("form.card button[type=submit]")
    assert page.locator("text=weekenddag").is_visible()
    assert page.input_value("input[name=slot1_date]") == "2026-12-05"
    page.fill("input[name=slot1_date]", "2026-12-01")
    page.fill("input[name=slot2_date]", "2026-12-02")
    page.fill("input[name=slot2_time]", "10:00")
    page.select_option("select[name=slot2_mode]", "online")
    page.fill("input[name=slot2_online_url]", "https://meet.example.org/gesprek")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/gesprekken/$"))
    assert page.locator("text=Uw voorstel voor gesprek 1 is verstuurd").is_visible()

    # The schoolleider picks the online slot, confirms, and can add it to the calendar.
    _switch(page, login, "leider@school.example")
    page.goto(pair_url)
    page.locator("#gesprek-1").get_by_role("link", name="Kies dit tijdstip").nth(1).click()
    assert h.meeting(pair, 1).status == MeetingStatus.PROPOSED  # opening the page did nothing
    page.click("text=Ja, dit tijdstip accepteren")
    page.wait_for_url(re.compile(r".*/1/bevestigd/$"))
    assert page.locator("text=Toevoegen aan agenda").is_visible()
    with page.expect_download() as download:
        page.click("text=Toevoegen aan agenda")
    assert download.value.suggested_filename == "gesprek-1.ics"
    planned = h.meeting(pair, 1)
    assert planned.status == MeetingStatus.PLANNED and planned.starts_at == h.ams(2026, 12, 2, 10)

    # The schoolleider moves it, with a reason; to the same time and place is refused first.
    page.goto(pair_url)
    page.locator("#gesprek-1").get_by_role("link", name="Verplaatsen").click()
    move_url = page.url
    page.fill("textarea[name=reason]", "Toch liever anders")
    page.click("text=Gesprek verplaatsen")
    assert page.locator("text=Dit is hetzelfde tijdstip en dezelfde plek").first.is_visible()
    assert h.meeting(pair, 1).sequence == planned.sequence
    page.goto(move_url)
    page.fill("input[name=date]", "2026-12-03")
    page.fill("input[name=time]", "14:00")
    page.select_option("select[name=mode]", "school")
    page.fill("textarea[name=reason]", "Teamvergadering verschoven")
    page.click("text=Gesprek verplaatsen")
    page.wait_for_url(re.compile(r".*/1/bevestigd/$"))
    moved = h.meeting(pair, 1)
    assert moved.starts_at == h.ams(2026, 12, 3, 14) and moved.uid == planned.uid
    assert moved.sequence == planned.sequence + 1

    # The mentor cancels it; the page asks first.
    _switch(page, login, "mentor@bedrijf.example")
    page.goto(pair_url)
    page.locator("#gesprek-1").get_by_role("link", name="Annuleren").click()
    assert h.meeting(pair, 1).status == MeetingStatus.PLANNED
    page.click("text=Ja, gesprek annuleren")
    assert page.locator("text=Geef kort de reden van het annuleren.").is_visible()
    page.fill("textarea[name=reason]", "Ziek")
    page.click("text=Ja, gesprek annuleren")
    page.wait_for_url(re.compile(r".*/gesprekken/$"))
    assert page.locator("#gesprek-1 .badge.err").inner_text() == "Geannuleerd"
    assert h.meeting(pair, 1).status == MeetingStatus.CANCELLED
    # The meeting's guide page says it is cancelled, with the way to plan it again.
    page.goto(reverse("guides:pair_meeting", args=[program.pk, pair.pk, 1]))
    assert "is geannuleerd" in page.locator("main .lead").first.inner_text()
    page.get_by_role("link", name="Plan het opnieuw").click()
    page.wait_for_url(re.compile(r".*/gesprekken/1/voorstellen/$"))


def test_subscribe_to_the_calendar_feed_and_regenerate_it(page, login, frozen):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    mentor = f.make_mentor(program, email="mentor@bedrijf.example")
    pair = f.make_pair(program, mentor)
    meeting = h.plan(pair, 1, h.ams(2026, 12, 1))

    login("mentor@bedrijf.example")
    page.goto(f"/programma/{program.pk}/koppel/{pair.pk}/gesprekken/")
    page.click("text=Alle gesprekken in uw eigen agenda")
    page.click("text=Maak mijn agenda-link")
    feed_url = page.locator("#feed-url").inner_text().strip()
    assert page.locator("a[href^='webcal://']").count() == 1
    path = "/" + feed_url.split("/", 3)[3]
    response = page.request.get(path)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert meeting.uid in response.text()

    page.click("text=Nieuwe link maken")
    new_url = page.locator("#feed-url").inner_text().strip()
    assert new_url != feed_url
    assert page.request.get(path).status == 404
    assert page.request.get("/" + new_url.split("/", 3)[3]).status == 200
