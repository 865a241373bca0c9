"""Pages: the pair's planning, confirm-before-change pages, staff overview, denials."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.meetings import planning
from mentoring.meetings.enums import MeetingStatus
from mentoring.meetings.models import Meeting, Nudge, Slot
from tests import factories as f
from tests.meetings import helpers as h


def url(name, pair, *args):
    return reverse(f"meetings:{name}", args=(pair.program_id, pair.pk, *args))


def _propose(pair):
    planning.meetings_create_for_pair(pair=pair)
    [s] = planning.meeting_propose(
        meeting=h.meeting(pair, 1), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 1))]
    )
    return s


# --- The pair page -------------------------------------------------------------------------


def test_pair_page_creates_meetings_lazily_and_offers_the_suggested_plan(client_for, pair):
    response = client_for(pair.mentor.user).get(url("pair", pair))
    assert response.status_code == 200
    assert Meeting.objects.filter(pair=pair).count() == 3
    page = response.content.decode()
    assert "Neem dit plan over" in page and "Gesprek 3" in page


def test_pair_page_of_another_pair_is_404(client_for, pair, other_pair):
    assert client_for(pair.mentor.user).get(url("pair", other_pair)).status_code == 404
    assert client_for(pair.schoolleider.user).get(url("pair", other_pair)).status_code == 404


def test_pair_page_is_read_only_for_staff(client_for, staff, pair):
    page = client_for(staff).get(url("pair", pair)).content.decode()
    assert "alleen het koppel kan plannen" in page
    assert "Tijden voorstellen" not in page


def test_pair_page_query_count_is_constant(client_for, pair, django_assert_max_num_queries):
    client = client_for(pair.mentor.user)
    client.get(url("pair", pair))  # creates the meetings
    with django_assert_max_num_queries(30) as few:
        client.get(url("pair", pair))
    planning.meeting_take_over_suggestion(pair=pair, by=pair.mentor.user)
    planning.meeting_propose(
        meeting=h.meeting(pair, 1),
        by=pair.schoolleider.user,
        slots=[h.slot(h.ams(2026, 12, 1)), h.slot(h.ams(2026, 12, 2)), h.slot(h.ams(2026, 12, 3))],
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("pair", pair))


# --- Propose and accept --------------------------------------------------------------------


def test_propose_form_shows_dutch_errors_and_keeps_input(client_for, pair):
    planning.meetings_create_for_pair(pair=pair)
    response = client_for(pair.mentor.user).post(
        url("propose", pair, 1),
        {
            "slot1_date": "2026-12-05",
            "slot1_time": "15:00",
            "slot1_mode": "school",
            "slot2_date": "2026-12-07",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "weekenddag" in page or "Kies een begintijd" in page
    assert "Kies een begintijd voor dit tijdstip." in page
    assert 'value="2026-12-05"' in page
    assert not Slot.objects.exists()


def test_propose_form_posts_slots(client_for, pair):
    planning.meetings_create_for_pair(pair=pair)
    response = client_for(pair.mentor.user).post(
        url("propose", pair, 1),
        {
            "slot1_date": "2026-12-01",
            "slot1_time": "15:00",
            "slot1_mode": "online",
            "slot1_online_url": "https://meet.example.org/x",
        },
    )
    assert response.status_code == 302
    assert h.meeting(pair, 1).status == MeetingStatus.PROPOSED


def test_accept_link_opened_by_a_mail_scanner_changes_nothing(client_for, pair):
    s = _propose(pair)
    response = client_for(pair.schoolleider.user).get(url("accept", pair, 1, s.pk))
    assert response.status_code == 200
    assert "Ja, dit tijdstip accepteren" in response.content.decode()
    assert h.meeting(pair, 1).status == MeetingStatus.PROPOSED


def test_accept_by_click_plans_and_confirmation_offers_add_to_calendar(client_for, pair):
    s = _propose(pair)
    client = client_for(pair.schoolleider.user)
    response = client.post(url("accept", pair, 1, s.pk), follow=True)
    assert h.meeting(pair, 1).status == MeetingStatus.PLANNED
    page = response.content.decode()
    assert "Toevoegen aan agenda" in page and "bijlage" in page
    ics = client.get(url("meeting_ics", pair, 1))
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
    assert h.meeting(pair, 1).uid.encode() in ics.content


def test_accept_of_someone_elses_slot_is_404(client_for, pair, other_pair):
    s = _propose(other_pair)
    client = client_for(pair.schoolleider.user)
    assert client.get(url("accept", pair, 1, s.pk)).status_code == 404
    assert client.post(url("accept", other_pair, 1, s.pk)).status_code == 404
    assert client.post(url("accept", pair, 1, s.pk)).status_code == 404
    assert h.meeting(other_pair, 1).status == MeetingStatus.PROPOSED


def test_meeting_number_out_of_range_is_404(client_for, pair):
    planning.meetings_create_for_pair(pair=pair)
    assert client_for(pair.mentor.user).get(url("propose", pair, 4)).status_code == 404


# --- Move and cancel: confirm pages ----------------------------------------------------------


def test_cancel_link_asks_for_a_confirming_click(client_for, pair):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    client = client_for(pair.mentor.user)
    response = client.get(url("cancel", pair, 1))
    assert response.status_code == 200 and "Ja, gesprek annuleren" in response.content.decode()
    assert h.meeting(pair, 1).status == MeetingStatus.PLANNED
    client.post(url("cancel", pair, 1), {"reason": "Ziek"})
    assert h.meeting(pair, 1).status == MeetingStatus.CANCELLED


def test_move_link_asks_for_a_confirming_click(client_for, pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    client = client_for(pair.schoolleider.user)
    response = client.get(url("move", pair, 1))
    assert response.status_code == 200 and 'value="2026-12-01"' in response.content.decode()
    assert h.meeting(pair, 1).sequence == planned.sequence
    response = client.post(
        url("move", pair, 1),
        {"date": "2026-12-02", "time": "10:00", "mode": "school", "reason": "Studiedag"},
    )
    assert response.status_code == 302
    assert h.meeting(pair, 1).starts_at == h.ams(2026, 12, 2, 10)


def test_cancel_and_move_of_another_pairs_meeting_are_404(client_for, pair, other_pair):
    h.plan(other_pair, 1, h.ams(2026, 12, 1))
    client = client_for(pair.mentor.user)
    for name in ("cancel", "move", "outcome", "confirmed", "meeting_ics"):
        assert client.get(url(name, other_pair, 1)).status_code == 404, name
    assert client.post(url("cancel", other_pair, 1), {"reason": "x"}).status_code == 404
    assert h.meeting(other_pair, 1).status == MeetingStatus.PLANNED


def test_outcome_after_the_meeting(client_for, pair, clock):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    clock.set(h.ams(2026, 12, 1, 18))
    client_for(pair.mentor.user).post(url("outcome", pair, 1), {"held": "1"})
    assert h.meeting(pair, 1).status == MeetingStatus.HELD


def test_outcome_before_the_meeting_is_refused_with_the_reason_on_the_form(client_for, pair):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    response = client_for(pair.mentor.user).post(url("outcome", pair, 1), {"held": "1"})
    assert response.status_code == 200
    assert "nog niet begonnen" in response.content.decode()
    assert h.meeting(pair, 1).status == MeetingStatus.PLANNED


def test_cancel_confirms_with_a_message_on_the_pair_page(client_for, pair):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    response = client_for(pair.mentor.user).post(
        url("cancel", pair, 1), {"reason": "Ziek"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("pair", pair)
    assert "Gesprek 1 is geannuleerd" in response.content.decode()


def test_staff_cannot_propose_move_cancel_or_record_an_outcome(client_for, staff, pair):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    client = client_for(staff)
    for name in ("propose", "move", "cancel", "outcome"):
        assert client.post(url(name, pair, 1), {"reason": "x"}).status_code == 403, name
    assert h.meeting(pair, 1).status == MeetingStatus.PLANNED


def test_take_over_by_get_changes_nothing(client_for, pair):
    planning.meetings_create_for_pair(pair=pair)
    client = client_for(pair.mentor.user)
    assert client.get(url("take_over", pair)).status_code == 405
    assert not Slot.objects.exists()
    client.post(url("take_over", pair))
    assert Slot.objects.filter(status="open").count() == 3


# --- Staff ------------------------------------------------------------------------------------


def _overview(program):
    return reverse("meetings:overview", args=(program.pk,))


def progress_late(program):
    from mentoring.meetings.selectors import progress_by_region

    return progress_by_region(program)["totals"]["late"]


def test_overview_counts_per_region_and_flags_late_pairs(client_for, staff, program, pair, clock):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    late = f.make_pair(program, city="rotterdam")
    planning.meetings_create_for_pair(pair=late)
    clock.set(h.ams(2026, 12, 20))  # past meeting 1's due date
    page = client_for(staff).get(_overview(program)).content.decode()
    assert "Utrecht" in page and "Zuid-Holland" in page
    assert page.count('class="late"') >= 1 and "te laat" in page
    assert progress_late(pair.program) == 1
    late_only = client_for(staff).get(_overview(program) + "?laat=1").content.decode()
    assert str(late.schoolleider.user) in late_only and str(pair.schoolleider.user) not in late_only


def test_overview_query_count_is_constant(
    client_for, staff, program, django_assert_max_num_queries
):
    client = client_for(staff)
    h.plan(f.make_pair(program), 1, h.ams(2026, 12, 1))
    query = "?number=2&deadline=2027-01-31"
    with django_assert_max_num_queries(40) as few:
        client.get(_overview(program) + query)
    for day in (2, 3, 4):
        h.plan(f.make_pair(program, city="rotterdam"), 1, h.ams(2026, 12, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_overview(program) + query)


def test_nudge_sends_one_email_per_person_once(client_for, staff, program, pair, other_pair):
    h.plan(other_pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    client = client_for(staff)
    listing = client.get(_overview(program) + "?number=1&deadline=2026-12-15").content.decode()
    assert str(pair.mentor.user) in listing
    data = {"number": "1", "deadline": "2026-12-15", "pair": [pair.pk, other_pair.pk]}
    client.post(reverse("meetings:nudge", args=(program.pk,)), data)
    messages = h.sent_mail()
    assert sorted(m.to[0] for m in messages) == sorted(
        [pair.mentor.user.email, pair.schoolleider.user.email]
    )  # other_pair planned meeting 1 already: not nudged
    client.post(reverse("meetings:nudge", args=(program.pk,)), data)
    assert h.sent_mail() == []
    assert Nudge.objects.count() == 1


def test_nudge_is_staff_only_and_scoped_to_the_program(client_for, mentor, pair, coach_program):
    other_staff = f.make_staff(coach_program)
    data = {"number": "1", "deadline": "2026-12-15", "pair": [pair.pk]}
    assert (
        client_for(mentor)
        .post(reverse("meetings:nudge", args=(pair.program_id,)), data)
        .status_code
        == 403
    )
    client_for(other_staff).post(reverse("meetings:nudge", args=(coach_program.pk,)), data)
    assert not Nudge.objects.exists()


def test_follow_program_adds_it_to_the_staff_feed(client_for, staff, program):
    client_for(staff).post(reverse("meetings:follow", args=(program.pk,)), {"follow": "1"})
    assert list(staff.calendar_feed.followed_programs.all()) == [program]


# --- Home panels --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["mentor", "schoolleider"])
def test_home_panel_shows_next_meeting_and_what_to_plan(client_for, pair, who):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    user = getattr(pair, who).user
    page = client_for(user).get(reverse("program_home", args=(pair.program_id,))).content.decode()
    assert "Volgende gesprek: gesprek 1" in page
    assert "Nog te plannen: gesprek 2." in page


@pytest.mark.parametrize("who", ["mentor", "schoolleider"])
def test_home_reads_the_members_pairs_once_for_all_its_panels(client_for, pair, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    h.plan(pair, 1, h.ams(2026, 12, 1))
    client = client_for(getattr(pair, who).user)
    url = reverse("program_home", args=(pair.program_id,))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    # The member's pairs by role ids (pairs.selectors.member_q), once, not once per panel.
    pair_reads = [
        q["sql"] for q in queries.captured_queries if '"pairs_pair"."mentor_id" IN (' in q["sql"]
    ]
    assert len(pair_reads) == 1, pair_reads  # match, meetings and next guide share it
    partner = pair.schoolleider.user if who == "mentor" else pair.mentor.user
    assert partner.full_name in page and "Volgende gesprek: gesprek 1" in page


def test_staff_home_has_meetings_progress_and_link(client_for, staff, pair):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    page = client_for(staff).get(reverse("program_home", args=(pair.program_id,))).content.decode()
    assert reverse("meetings:overview", args=(pair.program_id,)) in page
