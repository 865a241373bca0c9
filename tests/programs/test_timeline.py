"""A timeline that makes sense: the order of the dates is checked, and every "what next"
is worded from the timeline and today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from notifications.delivery import deliver_pending
from people.enums import MentorStatus
from people.models import MentorProfile
from people.services import mentor_review
from programs.models import ProgramYear
from programs.timeline import mentor_next_steps
from tests import factories as f

from .test_views import VALID_PROGRAM


def _post(client, data):
    return client.post(reverse("programs:program_create"), data)


def test_registration_closing_after_the_matching_is_refused(client_for, foundation_staff):
    data = {**VALID_PROGRAM, "registration_closes": "2027-11-20"}
    response = _post(client_for(foundation_staff), data)
    assert response.status_code == 200
    error = response.context["form"].errors["registration_closes"][0]
    assert "sluit na de matching (10 november 2027)" in error
    assert not ProgramYear.objects.filter(school_year="2027-2028").exists()


def test_webinars_after_the_matching_and_meetings_before_it_are_refused(
    client_for, foundation_staff
):
    data = {**VALID_PROGRAM, "webinar_end": "2027-11-12", "meetings_start": "2027-11-01"}
    errors = _post(client_for(foundation_staff), data).context["form"].errors
    assert "na de matching" in errors["webinar_end"][0]
    assert "vóór de matching" in errors["meetings_start"][0]


def test_the_usual_timeline_is_accepted(client_for, foundation_staff):
    assert _post(client_for(foundation_staff), VALID_PROGRAM).status_code == 302


def test_staff_moving_registration_past_matching_on_edit_is_refused(client_for, staff, program):
    url = reverse("programs:program_edit", args=[program.pk])
    form = client_for(staff).get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["registration_closes"] = (program.matching_date + dt.timedelta(days=5)).isoformat()
    response = client_for(staff).post(url, data)
    assert response.status_code == 200
    assert "registration_closes" in response.context["form"].errors
    program.refresh_from_db()
    assert program.registration_closes < program.matching_date


@pytest.mark.parametrize(
    "today,keys",
    [
        (dt.date(2026, 10, 5), ["webinar", "matching_soon", "meetings"]),
        (dt.date(2026, 11, 12), ["webinar_past", "matching_past", "meetings"]),
        (dt.date(2026, 12, 1), ["webinar_past", "matching_past", "meetings_now"]),
        (dt.date(2027, 5, 1), ["webinar_past", "matching_past", "year_over"]),
    ],
)
def test_mentor_next_steps_follow_today(program, today, keys):
    assert [s.key for s in mentor_next_steps(program, today=today)] == keys


def test_approval_on_1_december_does_not_promise_a_match_on_10_november(
    program, staff, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
    user = f.make_mentor(program, status=MentorStatus.PENDING)
    profile = MentorProfile.objects.get(role__user=user)
    mentor_review(profile=profile, reviewer=staff, approve=True)
    deliver_pending(now=dt.datetime(2026, 12, 1, 10, 5, tzinfo=dt.UTC))
    [message] = mail.outbox
    assert "Rond 10 november" not in message.body
    assert "De matching is al geweest" in message.body
    assert "vóór 31 maart 2027" in message.body
    assert "Kies een webinarsessie" not in message.body


def test_approval_in_october_names_the_matching_date(program, staff, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.UTC))
    user = f.make_mentor(program, status=MentorStatus.PENDING)
    mentor_review(profile=MentorProfile.objects.get(role__user=user), reviewer=staff, approve=True)
    deliver_pending(now=dt.datetime(2026, 10, 5, 10, 5, tzinfo=dt.UTC))
    [message] = mail.outbox
    assert "Rond 10 november hoort u wie uw schoolleider is." in message.body
    assert "Kies een webinarsessie" in message.body


def test_mentor_panel_words_what_next_from_today(client_for, program, mentor, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
    page = client_for(mentor).get(f"/programma/{program.pk}/").content.decode()
    assert "De matching is al geweest" in page
    assert "Kies een webinar en wacht op de matching" not in page
