"""Pages of planning: connect a calendar, the school's week, a pair's plan, the staff run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mentoring.meetings import planning, plans
from mentoring.meetings.enums import MeetingMode, MeetingStatus
from mentoring.meetings.models import Meeting
from mentoring.meetings.planning_models import (
    BusyBlock,
    CalendarConnection,
    MeetingPlan,
    NeverTime,
    PlanningRun,
    PlanStatus,
    StudyDay,
)
from tests.meetings import helpers as h

pytestmark = pytest.mark.django_db


def plan_url(name, pair, *args):
    return reverse(f"meetings:{name}", args=(pair.program_id, pair.pk, *args))


def test_connection_page_shows_what_is_kept_and_connects(client_for, mentor, monkeypatch):
    monkeypatch.setattr("mentoring.meetings.jobs.schedule_read", lambda c: None)
    client = client_for(mentor)
    page = client.get(reverse("meetings:connection"))
    assert "Nooit de titel, de plaats" in page.content.decode()
    response = client.post(
        reverse("meetings:connection"),
        {"action": "connect", "url": "https://calendar.example.org/private-abc/basic.ics"},
    )
    assert response.status_code == 302
    connection = CalendarConnection.objects.get(user=mentor)
    page = client.get(reverse("meetings:connection")).content.decode()
    assert "https://calendar.example.org/…" in page
    assert "private-abc" not in page  # the secret is never shown again
    assert "Nog niet gelezen." in page
    CalendarConnection.objects.filter(pk=connection.pk).update(
        last_attempt_at=h.NOW, error_code="timeout"
    )
    page = client.get(reverse("meetings:connection")).content.decode()
    assert "De agenda reageerde niet op tijd." in page


def test_connection_refuses_a_bad_address_in_dutch(client_for, mentor):
    response = client_for(mentor).post(
        reverse("meetings:connection"), {"action": "connect", "url": "ftp://example.org/x.ics"}
    )
    assert response.status_code == 200
    assert "Alleen adressen die beginnen met https://" in response.content.decode()
    assert not CalendarConnection.objects.exists()


def test_disconnect_deletes_address_and_blocks(client_for, mentor):
    connection = CalendarConnection.objects.create(user=mentor, url="https://x.example.org/a")
    BusyBlock.objects.create(
        connection=connection, starts_at=h.NOW, ends_at=h.NOW + dt.timedelta(hours=1)
    )
    client_for(mentor).post(reverse("meetings:connection"), {"action": "disconnect"})
    assert not CalendarConnection.objects.exists()
    assert not BusyBlock.objects.exists()


def test_connection_needs_login(client):
    response = client.get(reverse("meetings:connection"))
    assert response.status_code == 302
    assert "login" in response["Location"] or "inloggen" in response["Location"]


def test_school_week_adds_never_times_and_study_days(client_for, schoolleider, program, pair):
    client = client_for(schoolleider)
    url = reverse("meetings:school_week", args=(program.pk,))
    client.post(
        url,
        {
            "action": "add_never",
            "never-weekday": "0",
            "never-start_time": "08:00",
            "never-end_time": "12:00",
            "never-label": "Lesgeven",
        },
    )
    client.post(
        url, {"action": "add_study", "study-date": "2027-01-15", "study-label": "Studiedag"}
    )
    assert NeverTime.objects.get(user=schoolleider).label == "Lesgeven"
    assert StudyDay.objects.get(school=pair.school).date == dt.date(2027, 1, 15)
    response = client.post(url, {"action": "add_study", "study-date": "2027-06-01"})
    assert "Kies een datum in de gespreksperiode" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "add_never",
            "never-weekday": "1",
            "never-start_time": "12:00",
            "never-end_time": "09:00",
        },
    )
    assert "Het eindtijdstip moet na het begintijdstip liggen." in response.content.decode()


def test_school_week_is_for_schoolleiders_only(client_for, mentor, program):
    response = client_for(mentor).get(reverse("meetings:school_week", args=(program.pk,)))
    assert response.status_code == 403


def test_deleting_another_schools_study_day_does_nothing(
    client_for, schoolleider, other_schoolleider, program, pair, other_pair
):
    theirs = StudyDay.objects.create(school=other_pair.school, date=dt.date(2027, 1, 15))
    client_for(schoolleider).post(
        reverse("meetings:school_week", args=(program.pk,)),
        {"action": "delete_study", "id": theirs.pk},
    )
    assert StudyDay.objects.filter(pk=theirs.pk).exists()


def test_plan_made_and_accepted_with_one_click_each(client_for, pair, mentor, schoolleider):
    client = client_for(mentor)
    response = client.post(plan_url("plan_make", pair), {"mode": MeetingMode.ONLINE})
    assert response.status_code == 302
    plan = MeetingPlan.objects.get(pair=pair)
    page = client.get(plan_url("plan", pair)).content.decode()
    assert "Gesprek 3" in page and "Accepteer dit plan" in page
    client.post(plan_url("plan_accept", pair, plan.pk))
    page = client.get(plan_url("plan", pair)).content.decode()
    assert "U heeft dit plan geaccepteerd" in page
    client = client_for(schoolleider)
    response = client.post(plan_url("plan_accept", pair, plan.pk))
    assert response["Location"] == reverse("meetings:pair", args=(pair.program_id, pair.pk))
    assert Meeting.objects.filter(pair=pair, status=MeetingStatus.PLANNED).count() == 3
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED


def test_plan_of_another_pair_is_404(client_for, pair, other_pair, other_mentor, mentor):
    planning.meetings_create_for_pair(pair=pair)
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    client = client_for(other_mentor)
    assert client.get(plan_url("plan", pair)).status_code == 404
    assert client.post(plan_url("plan_accept", pair, plan.pk)).status_code == 404
    # and a plan id of another pair under one's own pair
    assert client.post(plan_url("plan_accept", other_pair, plan.pk)).status_code == 404
    assert client_for(mentor).get(plan_url("plan_accept", pair, plan.pk)).status_code == 405


def test_moving_shows_what_changed(client_for, pair, mentor):
    planning.meetings_create_for_pair(pair=pair)
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    first = {i.number: i.starts_at for i in plan.items.all()}
    target = (first[2] - dt.timedelta(days=6)).astimezone(h.AMS)
    while planning.check_time(Meeting.objects.get(pair=pair, number=1), target):
        target += dt.timedelta(days=1)
    client = client_for(mentor)
    client.post(
        plan_url("plan_move", pair, plan.pk),
        {"number": 1, "date": target.date().isoformat(), "time": target.strftime("%H:%M")},
    )
    page = client.get(plan_url("plan", pair)).content.decode()
    assert "Wat is er veranderd:" in page
    assert "Gesprek 2: van" in page


def test_plan_page_query_count_is_constant(client_for, pair, mentor, django_assert_max_num_queries):
    planning.meetings_create_for_pair(pair=pair)
    plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    client = client_for(mentor)
    with django_assert_max_num_queries(25) as few:
        client.get(plan_url("plan", pair))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(plan_url("plan", pair))


def test_staff_runs_the_planner_and_sees_progress_and_reasons(
    client_for, staff, program, pair, other_pair, other_mentor, django_capture_on_commit_callbacks
):
    connection = CalendarConnection.objects.create(user=other_mentor, url="https://x.example.org/a")
    BusyBlock.objects.create(
        connection=connection, starts_at=h.ams(2026, 11, 1, 0), ends_at=h.ams(2027, 4, 1, 0)
    )
    client = client_for(staff)
    url = reverse("meetings:planning_run", args=(program.pk,))
    assert "2 koppels hebben nog geen plan." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    page = client.get(url).content.decode()
    assert "1 van 2 koppels kregen een volledig plan." in page
    assert "De agenda van de mentor is vol op elke schooldag" in page
    assert PlanningRun.objects.count() == 1


def test_planning_run_is_staff_only(client_for, mentor, program):
    url = reverse("meetings:planning_run", args=(program.pk,))
    assert client_for(mentor).get(url).status_code == 403
    assert client_for(mentor).post(url).status_code == 403
    assert not PlanningRun.objects.exists()


def test_booked_move_page_shows_what_moved(client_for, pair, mentor, schoolleider):
    planning.meetings_create_for_pair(pair=pair)
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    plans.plan_accept(plan=plan, by=mentor)
    plans.plan_accept(plan=plan, by=schoolleider)
    before = {m.number: m.starts_at for m in Meeting.objects.filter(pair=pair)}
    target = (before[2] - dt.timedelta(days=5)).astimezone(h.AMS)
    first = Meeting.objects.get(pair=pair, number=1)
    # A day the day rules allow (weekday, no holiday); the spacing to meeting 2 re-flows.
    while any("weken" not in p for p in planning.check_time(first, target)):
        target += dt.timedelta(days=1)
    client = client_for(mentor)
    page = client.get(plan_url("plan", pair)).content.decode()
    assert "Een gepland gesprek verplaatsen" in page
    response = client.post(
        plan_url("booked_move", pair),
        {
            "number": 1,
            "date": target.date().isoformat(),
            "time": target.strftime("%H:%M"),
            "reason": "Ziek",
        },
        follow=True,
    )
    page = response.content.decode()
    assert Meeting.objects.get(pair=pair, number=1).starts_at == target
    assert Meeting.objects.get(pair=pair, number=2).starts_at != before[2]
    assert "Gesprek 2: van" in page


def test_booked_move_is_for_members_only(client_for, pair, other_mentor, staff):
    data = {"number": 1, "date": "2027-01-12", "time": "15:00", "reason": "x"}
    assert client_for(other_mentor).post(plan_url("booked_move", pair), data).status_code == 404
    assert client_for(staff).post(plan_url("booked_move", pair), data).status_code == 403


def test_connection_page_query_count_is_constant(client_for, mentor, django_assert_max_num_queries):
    connection = CalendarConnection.objects.create(user=mentor, url="https://x.example.org/a")
    client = client_for(mentor)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("meetings:connection"))
    BusyBlock.objects.bulk_create(
        BusyBlock(
            connection=connection,
            starts_at=h.NOW + dt.timedelta(hours=i),
            ends_at=h.NOW + dt.timedelta(hours=i, minutes=30),
        )
        for i in range(50)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("meetings:connection"))


def test_planning_run_page_query_count_is_constant(
    client_for, staff, program, django_assert_max_num_queries
):
    run = PlanningRun.objects.create(program=program, total=3, done=3, planned=1)
    client = client_for(staff)
    url = reverse("meetings:planning_run", args=(program.pk,))
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    run.failures = [
        {"pair": i, "name": f"Koppel {i}", "code": "no_common", "reason": {"code": "no_common"}}
        for i in range(40)
    ]
    run.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "nooit tegelijk vrij: 40" in page


def test_home_panel_reports_a_failing_calendar(client_for, mentor, program):
    client = client_for(mentor)
    home = reverse("program_home", args=(program.pk,))
    assert "Koppel uw eigen agenda" in client.get(home).content.decode()
    CalendarConnection.objects.create(
        user=mentor, url="https://x.example.org/a", error_code="http_error", error_detail="404"
    )
    page = client.get(home).content.decode()
    assert "Uw agenda kon niet worden gelezen:" in page
    assert "foutcode 404" in page


def test_running_job_shows_progress_and_refreshes(client_for, staff, program):
    from mentoring.meetings.planning_models import RunStatus

    PlanningRun.objects.create(
        program=program, status=RunStatus.RUNNING, total=10, done=4, planned=3
    )
    page = client_for(staff).get(reverse("meetings:planning_run", args=(program.pk,)))
    html = page.content.decode()
    assert "4 van 10 koppels bekeken" in html
    assert 'http-equiv="refresh"' in html
    assert "disabled" in html  # no second run while one is busy


def test_progress_is_written_while_the_job_runs(program, staff, monkeypatch, pair, other_pair):
    seen = []
    real = plans.plan_propose

    def watch(**kwargs):
        seen.append(PlanningRun.objects.get().done)
        return real(**kwargs)

    monkeypatch.setattr(plans, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(plans, "plan_propose", watch)
    run = PlanningRun.objects.create(program=program, started_by=staff, total=2)
    plans.run_execute(run.pk)
    assert seen == [0, 1]
    run.refresh_from_db()
    assert (run.done, run.planned) == (2, 2)
