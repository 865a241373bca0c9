"""Pages: what each person sees, what they may do, and every object-level denial."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from people.enums import RoleKind
from tests import factories as f
from webinars import services
from webinars.enums import RegistrationStatus, SessionStatus
from webinars.models import Registration, WebinarSession

from .helpers import make_session, place, role_of, sent_mail


def url(name, program, *args):
    return reverse(f"webinars:{name}", args=[program.pk, *args])


# --- Participant pages --------------------------------------------------------------------


def test_choose_lists_sessions_with_places_left_and_full_badge(
    client_for, program, mentor, other_mentor
):
    free = make_session(program, title="Vrije sessie", capacity=5)
    full = make_session(program, title="Volle sessie", capacity=1)
    place(full, other_mentor)
    make_session(program, title="Geweest", starts_at=timezone.now() - dt.timedelta(days=1))
    page = client_for(mentor).get(url("choose", program))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vrije sessie" in html and "nog 5 plaatsen" in html
    assert "Volle sessie" in html and "Vol" in html and "Op de wachtlijst" in html
    assert "Geweest" not in html
    assert reverse("webinars:register", args=[program.pk, free.pk]) in html


def test_choose_for_schoolleider_shows_only_opened_sessions(client_for, program, schoolleider):
    make_session(program, title="Alleen mentoren")
    make_session(program, title="Voor iedereen", open_to_schoolleiders=True)
    html = client_for(schoolleider).get(url("choose", program)).content.decode()
    assert "Voor iedereen" in html and "Alleen mentoren" not in html


def test_choose_is_forbidden_for_staff_only_and_outsiders(client_for, program, staff, outsider):
    assert client_for(staff).get(url("choose", program)).status_code == 403
    assert client_for(outsider).get(url("choose", program)).status_code == 403


def test_choose_query_count_is_constant(client_for, program, mentor, django_assert_max_num_queries):
    client = client_for(mentor)
    make_session(program)
    with django_assert_max_num_queries(12) as one:
        client.get(url("choose", program))
    for i in range(6):
        s = make_session(program, starts_at=timezone.now() + dt.timedelta(days=3 + i))
        place(s, f.make_mentor(program))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url("choose", program))


def test_register_get_shows_confirm_page_and_changes_nothing(client_for, program, mentor):
    session = make_session(program)
    page = client_for(mentor).get(url("register", program, session.pk))
    assert page.status_code == 200 and "Ja, meld mij aan" in page.content.decode()
    assert not Registration.objects.exists()


def test_register_post_confirms_and_redirects_to_confirmation(client_for, program, mentor):
    session = make_session(program)
    response = client_for(mentor).post(url("register", program, session.pk))
    reg = Registration.objects.get()
    assert reg.is_confirmed and reg.user == mentor
    assert response["Location"] == url("confirmation", program, reg.pk)
    page = client_for(mentor).get(response["Location"]).content.decode()
    assert "Toevoegen aan agenda" in page and url("registration_ics", program, reg.pk) in page


def test_register_post_when_full_sends_to_waitlist_page(client_for, program, mentor, other_mentor):
    session = make_session(program, capacity=1)
    place(session, other_mentor)
    response = client_for(mentor).post(url("register", program, session.pk), follow=True)
    html = response.content.decode()
    assert "Deze sessie is vol" in html and "Ja, zet mij op de wachtlijst" in html
    assert not Registration.objects.filter(user=mentor).exists()


def test_waitlist_get_changes_nothing_and_post_queues(client_for, program, mentor, other_mentor):
    session = make_session(program, capacity=1)
    place(session, other_mentor)
    client = client_for(mentor)
    assert client.get(url("waitlist", program, session.pk)).status_code == 200
    assert not Registration.objects.filter(user=mentor).exists()
    client.post(url("waitlist", program, session.pk))
    assert Registration.objects.get(user=mentor).status == RegistrationStatus.WAITLISTED


def test_participant_session_pages_404_for_other_program_and_closed_sessions(
    client_for, program, coach_program, mentor, schoolleider
):
    foreign = make_session(coach_program)
    closed = make_session(program)
    for name in ("register", "waitlist"):
        assert client_for(mentor).get(url(name, program, foreign.pk)).status_code == 404
        assert client_for(mentor).post(url(name, program, foreign.pk)).status_code == 404
        assert client_for(schoolleider).get(url(name, program, closed.pk)).status_code == 404
        assert client_for(schoolleider).post(url(name, program, closed.pk)).status_code == 404
    assert not Registration.objects.exists()


def test_someone_elses_registration_is_404_everywhere(client_for, program, mentor, other_mentor):
    session = make_session(program)
    theirs = place(session, other_mentor)
    client = client_for(mentor)
    for name in ("confirmation", "withdraw", "registration_ics"):
        assert client.get(url(name, program, theirs.pk)).status_code == 404, name
    assert client.post(url("withdraw", program, theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_confirmed


def test_own_registration_under_another_program_url_is_404(client_for, program, mentor):
    other_program = f.make_program(school_year="2027-2028")
    f.make_role(mentor, other_program, RoleKind.MENTOR)
    reg = place(make_session(program), mentor)
    assert client_for(mentor).get(url("confirmation", other_program, reg.pk)).status_code == 404


def test_withdraw_get_asks_and_post_withdraws(client_for, program, mentor):
    session = make_session(program)
    reg = services.register(session=session, role=role_of(mentor, program, RoleKind.MENTOR))
    client = client_for(mentor)
    page = client.get(url("withdraw", program, reg.pk))
    assert "Ja, meld mij af" in page.content.decode()
    reg.refresh_from_db()
    assert reg.is_confirmed
    client.post(url("withdraw", program, reg.pk))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.WITHDRAWN


def test_registration_ics_download_is_published_then_shows_the_cancellation(
    client_for, program, mentor
):
    import icalendar

    reg = services.register(
        session=make_session(program), role=role_of(mentor, program, RoleKind.MENTOR)
    )
    client = client_for(mentor)
    response = client.get(url("registration_ics", program, reg.pk))
    # A download is METHOD:PUBLISH, and the HTTP type says so exactly as the body does.
    assert response["Content-Type"] == "text/calendar; method=PUBLISH; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == reg.uid and str(event["STATUS"]) == "CONFIRMED"
    services.withdraw(registration=reg)
    response = client.get(url("registration_ics", program, reg.pk))
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == reg.uid and str(event["STATUS"]) == "CANCELLED"


def test_email_links_open_pages_that_change_nothing(client_for, program, mentor):
    import re

    services.register(session=make_session(program), role=role_of(mentor, program, RoleKind.MENTOR))
    [msg] = sent_mail()
    links = set(re.findall(r"http://[^\s\"<]+", msg.body + msg.alternatives[0][0]))
    client = client_for(mentor)
    before = list(Registration.objects.values_list("pk", "status", "sequence"))
    from urllib.parse import urlsplit

    visited = []
    for link in links:
        path = urlsplit(link).path
        if path.startswith("/programma/"):
            assert client.get(path).status_code == 200, path
            visited.append(path)
    assert any("/aanmelding/" in p for p in visited)
    assert list(Registration.objects.values_list("pk", "status", "sequence")) == before
    assert sent_mail() == []


# --- Staff pages ------------------------------------------------------------------------


def test_staff_list_shows_counts(client_for, program, staff, mentor, other_mentor):
    s = make_session(program, title="Sessie een", capacity=1)
    place(s, mentor)
    place(s, other_mentor, status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    html = client_for(staff).get(url("staff_list", program)).content.decode()
    assert "Sessie een" in html and "1 / 1" in html


def test_staff_list_query_count_is_constant(
    client_for, program, staff, django_assert_max_num_queries
):
    client = client_for(staff)
    place(make_session(program), f.make_mentor(program))
    with django_assert_max_num_queries(12) as one:
        client.get(url("staff_list", program))
    for i in range(5):
        s = make_session(program, starts_at=timezone.now() + dt.timedelta(days=2 + i), host=staff)
        place(s, f.make_mentor(program))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url("staff_list", program))


def test_session_detail_query_count_is_constant(
    client_for, program, staff, django_assert_max_num_queries
):
    client = client_for(staff)
    s = make_session(program, capacity=3)
    place(s, f.make_mentor(program))
    with django_assert_max_num_queries(12) as one:
        client.get(url("session_detail", program, s.pk))
    for _ in range(2):
        place(s, f.make_mentor(program))
    for _ in range(3):
        place(s, f.make_mentor(program), status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("session_detail", program, s.pk))
    assert response.content.decode().count("<tr>") >= 6


def test_staff_pages_404_for_another_programs_session(client_for, program, coach_program, staff):
    foreign = make_session(coach_program)
    client = client_for(staff)
    for name in ("session_detail", "session_edit", "session_cancel", "attendance"):
        assert client.get(url(name, program, foreign.pk)).status_code == 404, name
        assert client.post(url(name, program, foreign.pk)).status_code == 404, name
    foreign.refresh_from_db()
    assert not foreign.is_cancelled


def test_staff_pages_forbidden_for_participants(client_for, program, mentor, schoolleider):
    s = make_session(program)
    for user in (mentor, schoolleider):
        for name in ("session_detail", "session_edit", "session_cancel", "attendance"):
            assert client_for(user).post(url(name, program, s.pk)).status_code == 403
        assert client_for(user).post(url("session_create", program)).status_code == 403
    s.refresh_from_db()
    assert not s.is_cancelled


def _form(starts_at="", **extra):
    data = {
        "title": "Webinar oktober",
        "starts_at": starts_at,
        "duration_minutes": "90",
        "meeting_url": "https://teams.example.org/abc",
        "capacity": "20",
    }
    data.update(extra)
    return data


def test_session_create_stores_amsterdam_input_as_utc(client_for, staff, db):
    program = f.make_program(school_year="2030-2031")
    f.make_role(staff, program, RoleKind.STAFF)
    response = client_for(staff).post(url("session_create", program), _form("2030-10-14T19:30"))
    session = WebinarSession.objects.get()
    assert response.status_code == 302
    assert session.starts_at == dt.datetime(2030, 10, 14, 17, 30, tzinfo=dt.UTC)
    assert session.duration_minutes == 90 and session.ends_at.hour == 19


def test_session_create_refuses_outside_webinar_window_unless_confirmed(client_for, staff, db):
    program = f.make_program(school_year="2030-2031")
    f.make_role(staff, program, RoleKind.STAFF)
    client = client_for(staff)
    page = client.post(url("session_create", program), _form("2030-11-20T19:30"))
    assert page.status_code == 200 and "buiten de webinarperiode" in page.content.decode()
    assert not WebinarSession.objects.exists()
    client.post(url("session_create", program), _form("2030-11-20T19:30", outside_window_ok="on"))
    assert WebinarSession.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Vul de datum en het begintijdstip in."),
        ("morgen", "Vul een datum en tijd in"),
        ("2030-03-31T02:30", "bestaat niet in Nederland"),
        ("2030-10-27T02:30", "komt twee keer voor"),
        ("2020-10-14T19:30", "Kies een moment in de toekomst."),
    ],
)
def test_session_create_explains_bad_times_in_dutch(client_for, staff, db, value, message):
    program = f.make_program(school_year="2030-2031")
    f.make_role(staff, program, RoleKind.STAFF)
    page = client_for(staff).post(
        url("session_create", program), _form(value, outside_window_ok="on")
    )
    assert message in page.content.decode()
    assert not WebinarSession.objects.exists()


def test_session_create_explains_other_fields_in_dutch(client_for, program, staff):
    page = client_for(staff).post(
        url("session_create", program),
        {
            "title": "",
            "starts_at": "2026-10-14T19:30",
            "duration_minutes": "5",
            "meeting_url": "geen link",
            "capacity": "0",
        },
    )
    html = page.content.decode()
    for text in (
        "Geef de sessie een titel.",
        "minstens 15 minuten",
        "Vul een volledige link in",
        "Geef minstens één plaats.",
    ):
        assert text in html


def test_session_edit_shows_amsterdam_time_and_saves(client_for, program, staff):
    s = make_session(program, starts_at=dt.datetime(2027, 11, 1, 18, 0, tzinfo=dt.UTC))
    client = client_for(staff)
    assert (
        'value="2027-11-01T19:00"'
        in client.get(url("session_edit", program, s.pk)).content.decode()
    )
    client.post(
        url("session_edit", program, s.pk),
        _form("2027-11-01T20:00", title="Nieuw", outside_window_ok="on"),
    )
    s.refresh_from_db()
    assert s.title == "Nieuw" and s.starts_at == dt.datetime(2027, 11, 1, 19, 0, tzinfo=dt.UTC)


def test_session_cancel_get_asks_post_cancels(client_for, program, staff):
    s = make_session(program)
    client = client_for(staff)
    assert "Ja, annuleer" in client.get(url("session_cancel", program, s.pk)).content.decode()
    s.refresh_from_db()
    assert not s.is_cancelled
    client.post(url("session_cancel", program, s.pk), {"reason": "Te weinig aanmeldingen"})
    s.refresh_from_db()
    assert s.is_cancelled and s.cancel_reason == "Te weinig aanmeldingen"


def test_attendance_one_submit_for_all(client_for, program, staff, mentor, other_mentor):
    s = make_session(program, starts_at=timezone.now() - dt.timedelta(hours=2))
    a = place(s, mentor)
    b = place(s, other_mentor)
    client = client_for(staff)
    page = client.get(url("attendance", program, s.pk)).content.decode()
    assert page.count('type="checkbox"') == 2 and mentor.full_name in page
    client.post(url("attendance", program, s.pk), {"attended": [str(a.pk)]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.attended, b.attended) == (True, False)


def test_attendance_refuses_a_registration_of_another_session(
    client_for, program, staff, mentor, other_mentor
):
    s = make_session(program, starts_at=timezone.now() - dt.timedelta(hours=2))
    place(s, mentor)
    other = place(make_session(program), other_mentor)
    page = client_for(staff).post(url("attendance", program, s.pk), {"attended": [str(other.pk)]})
    assert page.status_code == 200 and "niet is aangemeld" in page.content.decode()
    other.refresh_from_db()
    assert other.attended is None


def test_not_attended_lists_mentors_without_attendance_before_matching(
    client_for, program, staff, mentor, other_mentor
):
    program.matching_date = timezone.localdate() + dt.timedelta(days=10)
    program.save()
    before = make_session(program, starts_at=timezone.now() - dt.timedelta(days=1))
    place(before, mentor, attended=True)
    place(before, other_mentor, attended=False)
    unapproved = f.make_mentor(program, status="pending")
    html = client_for(staff).get(url("not_attended", program)).content.decode()
    assert f">{other_mentor.email}<" in html and f">{mentor.email}<" not in html
    assert unapproved.email not in html


def test_not_attended_ignores_sessions_after_matching_date(client_for, program, staff, mentor):
    program.matching_date = timezone.localdate() - dt.timedelta(days=5)
    program.save()
    late = make_session(program, starts_at=timezone.now() - dt.timedelta(days=1))
    place(late, mentor, attended=True)
    html = client_for(staff).get(url("not_attended", program)).content.decode()
    assert f">{mentor.email}<" in html


def test_not_attended_query_count_is_constant(
    client_for, program, staff, django_assert_max_num_queries
):
    client = client_for(staff)
    s = make_session(program)
    place(s, f.make_mentor(program))
    with django_assert_max_num_queries(12) as one:
        client.get(url("not_attended", program))
    for _ in range(5):
        place(s, f.make_mentor(program))
    f.make_mentor(program)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url("not_attended", program))


# --- Home panels --------------------------------------------------------------------------


def test_mentor_home_panel_shows_join_link_only_near_the_start(client_for, program, mentor):
    soon = make_session(program, starts_at=timezone.now() + dt.timedelta(minutes=10))
    reg = place(soon, mentor)
    html = client_for(mentor).get(reverse("program_home", args=[program.pk])).content.decode()
    assert "Nu deelnemen" in html and soon.meeting_url in html
    WebinarSession.objects.filter(pk=soon.pk).update(
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
    )
    html = client_for(mentor).get(reverse("program_home", args=[program.pk])).content.decode()
    assert "Nu deelnemen" not in html and url("confirmation", program, reg.pk) in html


def test_mentor_home_panel_invites_to_choose(client_for, program, mentor):
    html = client_for(mentor).get(reverse("program_home", args=[program.pk])).content.decode()
    assert url("choose", program) in html


def test_schoolleider_home_panel_hidden_until_sessions_are_opened(
    client_for, program, schoolleider
):
    home = reverse("program_home", args=[program.pk])
    assert url("choose", program) not in client_for(schoolleider).get(home).content.decode()
    make_session(program, open_to_schoolleiders=True)
    assert url("choose", program) in client_for(schoolleider).get(home).content.decode()


def test_staff_home_shows_webinar_stats_and_links(client_for, program, staff, mentor):
    place(make_session(program), mentor)
    make_session(program, starts_at=timezone.now() - dt.timedelta(days=1))
    html = client_for(staff).get(reverse("program_home", args=[program.pk])).content.decode()
    assert url("staff_list", program) in html and url("not_attended", program) in html
    assert "Bij 1 sessie is de aanwezigheid nog niet ingevuld." in html


def test_panels_run_a_constant_number_of_queries(
    rf, program, mentor, staff, django_assert_max_num_queries
):
    from webinars.panels import my_webinar_panel, staff_webinar_stats

    role = role_of(mentor, program, RoleKind.MENTOR)
    request = rf.get("/")
    with django_assert_max_num_queries(2):
        assert my_webinar_panel(request, program, role) is not None
    with django_assert_max_num_queries(2):
        staff_webinar_stats(request, program, None)
    for i in range(4):
        s = make_session(program, starts_at=timezone.now() + dt.timedelta(days=2 + i))
        place(s, f.make_mentor(program), attended=True)
    place(make_session(program), mentor)
    with django_assert_max_num_queries(2):
        got = my_webinar_panel(request, program, role)
    assert got.context["mine"].place is not None
    with django_assert_max_num_queries(2):
        stats = staff_webinar_stats(request, program, None).context
    assert (stats["sessions"], stats["confirmed"], stats["attended"]) == (5, 5, 4)


def test_staff_panel_absent_in_coach_program(rf, coach_program):
    from webinars.panels import staff_webinar_stats

    assert staff_webinar_stats(rf.get("/"), coach_program, None) is None


def test_choose_tells_a_draft_mentor_to_finish_the_profile_first(client_for, program, mentor):
    from people.models import MentorProfile

    MentorProfile.objects.filter(role__user=mentor).update(status="draft")
    make_session(program)
    html = client_for(mentor).get(url("choose", program)).content.decode()
    assert "Vul eerst uw mentorprofiel in" in html and "Aanmelden</button>" not in html


def test_waitlisted_person_gets_no_calendar_file(client_for, program, mentor, other_mentor):
    session = make_session(program, capacity=1)
    place(session, other_mentor)
    spot = services.join_waitlist(session=session, role=role_of(mentor, program, RoleKind.MENTOR))
    client = client_for(mentor)
    assert client.get(url("registration_ics", program, spot.pk)).status_code == 404
    page = client.get(url("confirmation", program, spot.pk)).content.decode()
    assert "Wachtlijst, plaats 1" in page and "Toevoegen aan agenda" not in page


def test_join_link_hidden_for_a_cancelled_session(client_for, program, mentor):
    soon = make_session(program, starts_at=timezone.now() + dt.timedelta(minutes=10))
    reg = place(soon, mentor)
    page = client_for(mentor).get(url("confirmation", program, reg.pk)).content.decode()
    assert "Nu deelnemen" in page
    WebinarSession.objects.filter(pk=soon.pk).update(status=SessionStatus.CANCELLED)
    home = client_for(mentor).get(reverse("program_home", args=[program.pk])).content.decode()
    page = client_for(mentor).get(url("confirmation", program, reg.pk)).content.decode()
    assert "Nu deelnemen" not in home and "Nu deelnemen" not in page


def test_session_detail_pages_places_by_name_and_counts_all(
    client_for, program, staff, monkeypatch
):
    from webinars import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    s = make_session(program, capacity=10)
    names = ["Zeeman", "Aalders", "Mulder"]
    for last in names:
        user = f.make_mentor(program)
        user.last_name = last
        user.save()
        place(s, user)
    for _ in range(3):
        place(s, f.make_mentor(program), status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    client = client_for(staff)
    first = client.get(url("session_detail", program, s.pk)).content.decode()
    second = client.get(url("session_detail", program, s.pk) + "?page=2").content.decode()
    assert "3 aanmeldingen" in first and "3 / 10" in first and "pagina 1 van 2" in first
    assert first.index("Aalders") < first.index("Mulder") and "Zeeman" not in first
    assert "Zeeman" in second and "Aalders" not in second
    assert "De eerste 2 van 3 op de wachtlijst" in first


def test_attendance_keeps_what_was_ticked_when_the_form_comes_back(
    client_for, program, staff, mentor, other_mentor
):
    s = make_session(program, starts_at=timezone.now() - dt.timedelta(hours=2))
    a = place(s, mentor)
    b = place(s, other_mentor)
    Registration.objects.filter(pk=b.pk).update(attended=True)
    client = client_for(staff)
    page = client.get(url("attendance", program, s.pk)).content.decode()
    assert f'value="{b.pk}" checked' in page and f'value="{a.pk}" checked' not in page
    refused = client.post(url("attendance", program, s.pk), {"attended": [str(a.pk), "999999"]})
    html = refused.content.decode()
    assert refused.status_code == 200 and "niet is aangemeld" in html
    assert f'value="{a.pk}" checked' in html and f'value="{b.pk}" checked' not in html
