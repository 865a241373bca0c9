"""The program's rhythm on the pages: when all three meetings lie within less than two months,
accepting the last one and the pair page show a warning (the time is still accepted)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from mentoring.meetings import planning
from mentoring.meetings.enums import MeetingStatus
from tests.meetings import helpers as h

pytestmark = pytest.mark.django_db

WARNING = "minstens twee maanden te spreiden"


def _accept_third_by_click(client_for, pair, starts_at):
    planning.meetings_create_for_pair(pair=pair)
    [slot] = planning.meeting_propose(
        meeting=h.meeting(pair, 3), by=pair.mentor.user, slots=[h.slot(starts_at)]
    )
    url = reverse("meetings:accept", args=[pair.program_id, pair.pk, 3, slot.pk])
    response = client_for(pair.schoolleider.user).post(url)
    assert response.status_code == 302
    assert h.meeting(pair, 3).status == MeetingStatus.PLANNED
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_three_meetings_within_seven_weeks_warn_on_accepting_and_on_the_pair_page(client_for, pair):
    # The default gap (3 weeks) allows 24 Nov, 15 Dec and 12 Jan: 7 weeks in all.
    assert pair.program.meeting_gap_days == 21
    h.plan(pair, 1, h.ams(2026, 11, 24))
    h.plan(pair, 2, h.ams(2026, 12, 15))
    shown = _accept_third_by_click(client_for, pair, h.ams(2027, 1, 12))
    assert any(WARNING in m and "binnen 7 weken" in m for m in shown)
    page = client_for(pair.mentor.user).get(
        reverse("meetings:pair", args=[pair.program_id, pair.pk])
    )
    assert WARNING in page.content.decode()


def test_three_meetings_over_more_than_two_months_do_not_warn(client_for, pair):
    h.plan(pair, 1, h.ams(2026, 11, 24))
    h.plan(pair, 2, h.ams(2026, 12, 15))
    shown = _accept_third_by_click(client_for, pair, h.ams(2027, 1, 26))
    assert not any(WARNING in m for m in shown)
    page = client_for(pair.mentor.user).get(
        reverse("meetings:pair", args=[pair.program_id, pair.pk])
    )
    assert WARNING not in page.content.decode()
