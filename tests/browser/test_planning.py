"""Journeys of planning: connect one's own calendar (served from 127.0.0.1), and both
people accepting the platform's plan for the three meetings with one click each."""

from __future__ import annotations

import re

import pytest
import time_machine

from mentoring.meetings.enums import MeetingStatus
from mentoring.meetings.models import Meeting
from mentoring.meetings.planning_models import BusyBlock, CalendarConnection
from programs.enums import ProgramKind
from tests import factories as f
from tests.meetings import helpers as h
from tests.meetings.icsserver import Server

pytestmark = pytest.mark.browser


@pytest.fixture
def frozen():
    """Django's clock at ``h.NOW`` (time-machine; the browser's own clock is untouched)."""
    with time_machine.travel(h.NOW, tick=True):
        yield


@pytest.fixture
def ics(settings):
    settings.CALENDAR_FETCH_ALLOW_LOOPBACK = True  # only in tests
    settings.CALENDAR_FETCH_TIMEOUT = 1
    server = Server()
    yield server
    server.close()


def test_connect_and_disconnect_a_calendar(page, login, frozen, ics):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    mentor = f.make_mentor(program, email="mentor@bedrijf.example")
    login("mentor@bedrijf.example")
    page.goto("/agenda/koppelen/")
    assert page.get_by_text("Nooit de titel, de plaats").is_visible()
    # A broken address first: the Dutch error stays on the page.
    page.fill("input[name=url]", "ftp://example.org/agenda.ics")
    page.get_by_role("button", name="Agenda koppelen").click()
    assert page.get_by_text("Alleen adressen die beginnen met https://").is_visible()
    page.fill("input[name=url]", ics.url("/recurring.ics"))
    page.get_by_role("button", name="Agenda koppelen").click()
    page.wait_for_url(re.compile(r".*/agenda/koppelen/$"))
    assert page.locator("#last-read").inner_text().startswith("Laatst gelezen op")
    assert "8 bezette momenten bewaard" in page.locator("#last-read").inner_text()
    assert BusyBlock.objects.filter(connection__user=mentor).count() == 8
    page.get_by_role("button", name="Ontkoppelen en alles verwijderen").click()
    assert page.get_by_text("Uw agenda is ontkoppeld").is_visible()
    assert not CalendarConnection.objects.exists() and not BusyBlock.objects.exists()


def test_unreachable_calendar_is_reported(page, login, frozen, ics):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    f.make_mentor(program, email="mentor@bedrijf.example")
    login("mentor@bedrijf.example")
    page.goto("/agenda/koppelen/")
    page.fill("input[name=url]", ics.url("/hang.ics"))
    page.get_by_role("button", name="Agenda koppelen").click()
    page.wait_for_url(re.compile(r".*/agenda/koppelen/$"))
    assert "De agenda reageerde niet op tijd" in page.locator("#connection-error").inner_text()


def test_both_accept_the_plan_with_one_click_each(page, login, frozen):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    mentor = f.make_mentor(program, email="mentor@bedrijf.example")
    leider = f.make_schoolleider(program, email="leider@school.example")
    pair = f.make_pair(program, mentor, leider)

    login("mentor@bedrijf.example")
    page.goto(f"/programma/{program.pk}/koppel/{pair.pk}/gesprekken/")
    page.get_by_role("link", name="Plan alle gesprekken in één keer").click()
    page.select_option("select[name=mode]", "online")
    page.click("#make-plan")
    assert page.locator("#plan-items li").count() == 3
    page.click("#accept-plan")
    assert page.get_by_text("nu de ander nog").is_visible()

    page.context.clear_cookies()
    login("leider@school.example")
    page.goto(f"/programma/{program.pk}/koppel/{pair.pk}/gesprekken/plan/")
    assert page.get_by_text("De mentor heeft geaccepteerd.").is_visible()
    page.click("#accept-plan")
    page.wait_for_url(re.compile(r".*/gesprekken/$"))
    assert page.get_by_text("De gesprekken zijn gepland").is_visible()
    assert set(Meeting.objects.filter(pair=pair).values_list("status", flat=True)) == {
        MeetingStatus.PLANNED
    }
