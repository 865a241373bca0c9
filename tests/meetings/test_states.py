"""Meeting states that agree: no no-op moves, "U" for the one who acted, cancelled shown as
cancelled (with a way to plan again) and included in the suggested plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.meetings import planning
from mentoring.meetings.enums import MeetingMode, MeetingStatus
from tests.meetings import helpers as h


def _by_recipient(messages):
    return {m.to[0]: m for m in messages}


def test_move_to_the_same_time_and_place_is_refused_and_mails_nobody(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    with pytest.raises(ValidationError) as exc:
        planning.meeting_move(
            meeting=planned,
            by=pair.mentor.user,
            starts_at=h.ams(2026, 12, 1),
            mode=planned.mode,
            location=planned.location,
            reason="Toch niet",
        )
    assert any("hetzelfde tijdstip" in m for m in exc.value.messages)
    after = h.meeting(pair, 1)
    assert after.sequence == planned.sequence and after.change_reason == ""
    assert h.sent_mail() == []


def test_move_of_only_the_place_is_accepted_and_says_where_it_was(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    planning.meeting_move(
        meeting=planned,
        by=pair.mentor.user,
        starts_at=h.ams(2026, 12, 1),
        mode=MeetingMode.ONLINE,
        online_url="https://meet.example.org/y",
        reason="Online is makkelijker",
    )
    messages = h.sent_mail()
    assert len(messages) == 2
    assert all(planned.location in m.body and "meet.example.org/y" in m.body for m in messages)


def test_move_mail_says_u_to_the_mover_and_the_name_to_the_other(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    planning.meeting_move(
        meeting=planned,
        by=pair.schoolleider.user,
        starts_at=h.ams(2026, 12, 3, 10),
        mode=MeetingMode.SCHOOL,
        reason="Teamoverleg",
    )
    mails = _by_recipient(h.sent_mail())
    mover, other = mails[pair.schoolleider.user.email], mails[pair.mentor.user.email]
    name = str(pair.schoolleider.user)
    assert "U heeft gesprek 1 verplaatst." in mover.body and name + " heeft" not in mover.body
    assert f"{name} heeft gesprek 1 verplaatst." in other.body
    assert "U heeft" not in other.body


def test_cancel_mail_says_u_to_the_canceller_and_the_name_to_the_other(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    planning.meeting_cancel(meeting=planned, by=pair.mentor.user, reason="Ziek")
    mails = _by_recipient(h.sent_mail())
    mine, other = mails[pair.mentor.user.email], mails[pair.schoolleider.user.email]
    name = str(pair.mentor.user)
    assert "U heeft gesprek 1 van" in mine.body and f"{name} heeft" not in mine.body
    assert f"{name} heeft gesprek 1 van" in other.body and "U heeft" not in other.body
    assert "U heeft gesprek 1 van" in mine.alternatives[0][0]


def test_cancelled_meeting_is_in_the_suggested_plan_and_take_over_proposes_it(client_for, pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    planning.meeting_cancel(meeting=planned, by=pair.mentor.user, reason="Ziek")
    page = client_for(pair.mentor.user).get(
        reverse("meetings:pair", args=(pair.program_id, pair.pk))
    )
    plan = [m.number for m in page.context["plan"]]
    assert plan == [1, 2, 3]
    assert "opnieuw, na de annulering" in page.content.decode()
    planning.meeting_take_over_suggestion(pair=pair, by=pair.mentor.user)
    assert h.meeting(pair, 1).status == MeetingStatus.PROPOSED


def test_guide_of_a_cancelled_meeting_says_cancelled_with_a_way_to_plan_again(client_for, pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    guide = reverse("guides:pair_meeting", args=(pair.program_id, pair.pk, 1))
    before = client_for(pair.mentor.user).get(guide).content.decode()
    assert "Gepland op" in before
    planning.meeting_cancel(meeting=planned, by=pair.mentor.user, reason="Ziek")
    page = client_for(pair.mentor.user).get(guide).content.decode()
    assert "Gepland op" not in page
    assert "Geannuleerd" in page and "is geannuleerd" in page
    assert reverse("meetings:propose", args=(pair.program_id, pair.pk, 1)) in page
