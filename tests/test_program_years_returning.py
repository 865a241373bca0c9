"""Schools are shared across program years: more cases beside ``tests/test_program_years.py``.

``tests/years.py`` builds one school enrolled in two program years with different people in
each, optionally with *returning* people (the same mentor, expertcoach and schoolleider
account in both years: the case where joins through ``User`` leak). The walk visits every
program page the access matrix knows, as each role of year A that may open it, with year A's
own ids (pairs, meetings, webinar sessions and registrations, guides, rounds, outbox rows),
and asserts that none of year B's names, emails or phones appears. Further tests: year A's
emails (publishing, nudges, closing survey), the outbox for a returning person, and the
round page's note on the history it uses on purpose.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from people.enums import RoleKind
from people.models import Role
from tests import factories as f
from tests.test_access_matrix import program_pages
from tests.test_program_years import _text
from tests.years import make_two_years


@pytest.fixture
def two_years(db):
    return make_two_years()


def _client(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _assert_clean(body: str, traces: list[str], where) -> None:
    leaked = [t for t in traces if t in body]
    assert not leaked, (where, leaked)


def test_fixture_really_shares_the_school(two_years):
    a, b = two_years.a, two_years.b
    assert a.pair.school_id == b.pair.school_id == two_years.school.pk
    assert a.assignment.school_id == b.assignment.school_id
    assert set(a.traces()).isdisjoint(b.traces())


def test_coach_schools_lists_only_this_years_schoolleiders(client, two_years):
    a, b = two_years.a, two_years.b
    url = reverse("pairs:coach_schools", args=[a.coaching.pk])
    body = _client(client, a.coach).get(url).content.decode()
    assert a.coach_schoolleider.email in body
    assert a.schoolleider.email not in body  # a leader of the mentoring program, not this one
    _assert_clean(body, b.traces(), url)


def test_outbox_of_year_a_leaves_out_year_b_mail_to_a_returning_person(client, two_years):
    """A mentor taking part again: last year's mail to them (naming last year's partner) is
    not part of this year's outbox, though the recipient has a role in both years."""
    from notifications.models import Notification

    a, b = two_years.a, two_years.b
    f.make_role(a.mentor, b.mentoring, RoleKind.MENTOR)
    old = Notification.objects.get(program=b.mentoring)
    Notification.objects.filter(pk=old.pk).update(recipient=a.mentor, to_email=a.mentor.email)
    staff = _client(client, a.staff)
    outbox = staff.get(reverse("notifications:program_outbox", args=[a.mentoring.pk]))
    assert a.schoolleider.last_name in outbox.content.decode()  # this year's own mail is listed
    _assert_clean(outbox.content.decode(), b.traces(), "outbox")
    detail = staff.get(reverse("notifications:program_detail", args=[a.mentoring.pk, old.pk]))
    assert detail.status_code == 404


def _ids(year, two_years) -> dict[str, int]:
    """Year A's own objects for the URL kwargs of its pages (1 where there is none)."""
    from mentoring.guides.models import Guide
    from mentoring.meetings.models import Meeting
    from notifications.models import Notification
    from people.models import MentorProfile
    from webinars.models import Registration

    first = Meeting.objects.get(pair=year.pair, number=1)
    registration = Registration.objects.get(program=year.mentoring, user=year.mentor)
    return {
        "session_id": registration.session_id,
        "registration_id": registration.pk,
        "profile_id": MentorProfile.objects.get(
            role__user=year.mentor, role__program=year.mentoring
        ).pk,
        "guide_id": Guide.objects.filter(program=year.mentoring).order_by("pk").first().pk,
        "pair_id": year.pair.pk,
        "assignment_id": year.assignment.pk,
        "number": 1,
        "meeting_id": first.pk,
        "role_id": Role.objects.get(user=year.free_mentor, program=year.mentoring).pk,
        "index": 0,
        "region_id": two_years.school.region_id or 1,
        "pk": Notification.objects.get(program=year.mentoring).pk,
    }


def _fill(route: str, program_id: int, ids: dict[str, int], extra: dict[str, int]) -> str:
    url = route.replace("<int:program_id>", str(program_id))

    def number(match):
        return str({**ids, **extra}.get(match.group(1), 1))

    url = re.sub(r"<int:(\w+)>", number, url)
    side = "mentor" if "herkoppelen" in url else "col"
    url = url.replace("<str:side>", side).replace("<str:fmt>", "csv")
    url = re.sub(r"<(?:str|slug|uuid|path):\w+>", "x", url)
    return "/" + url.lstrip("^").rstrip("$")


def _guides(year) -> dict[int, int]:
    """A guide of each of year A's programs: program id -> guide id."""
    from mentoring.guides.models import Guide

    return {
        p.pk: Guide.objects.filter(program=p).order_by("pk").first().pk
        for p in (year.mentoring, year.coaching)
    }


def _rounds(year) -> dict[int, int]:
    """A solved matching round in each of year A's programs: program id -> round id."""
    from matching import services, solving

    out = {}
    for program in (year.mentoring, year.coaching):
        rnd = services.round_create(program=program, name="Ronde", user=year.staff)
        solving.round_solve(round_id=rnd.pk, user_id=year.staff.pk)
        out[program.pk] = rnd.pk
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("returning", [False, True], ids=["new-people", "returning-people"])
def test_no_page_of_year_a_shows_people_of_year_b(client, returning):
    two_years = make_two_years(returning=returning)
    a, b = two_years.a, two_years.b
    traces = b.traces()
    rounds = _rounds(a)
    guides = _guides(a)
    ids = _ids(a, two_years)
    people = {
        RoleKind.STAFF: [(a.staff, a.mentoring), (a.staff, a.coaching)],
        RoleKind.MENTOR: [(a.mentor, a.mentoring), (a.free_mentor, a.mentoring)],
        RoleKind.SCHOOLLEIDER: [(a.schoolleider, a.mentoring), (a.free_schoolleider, a.mentoring)],
        RoleKind.EXPERTCOACH: [(a.coach, a.coaching)],
    }
    visited = 0
    for route, pattern in program_pages():
        for kind in pattern.callback.allowed_roles:
            for user, program in people.get(kind, []):
                extra = {"round_id": rounds[program.pk], "guide_id": guides[program.pk]}
                url = _fill(route, program.pk, ids, extra)
                for fmt_url in (url, url.replace(".csv", ".xlsx")) if ".csv" in url else (url,):
                    response = _client(client, user).get(fmt_url)
                    if response.status_code != 200:
                        continue
                    _assert_clean(_text(response), traces, (fmt_url, user.email))
                    visited += 1
    assert visited > 40, visited
    if returning:
        return  # a returning person's own data and calendar span their years: see below
    from mentoring.meetings import feeds

    for user in {u for pairs in people.values() for u, _program in pairs}:
        feed = feeds.feed_enable(user=user)
        for url in (
            "/mijn-gegevens/",
            "/mijn-gegevens/download.json",
            "/agenda/",
            reverse("meetings:feed", args=[feed.token]),
        ):
            response = _client(client, user).get(url)
            assert response.status_code == 200, url
            _assert_clean(_text(response), traces, (url, user.email))


@pytest.mark.django_db
@pytest.mark.parametrize("returning", [False, True], ids=["new-people", "returning-people"])
def test_emails_of_year_a_name_no_people_of_year_b(returning, django_capture_on_commit_callbacks):
    """Publishing both of year A's rounds, nudging its pairs and inviting to the closing
    survey: no email names anyone of year B, and nobody of year B gets one."""
    import datetime as dt

    from matching import services as matching
    from matching.models import MatchingRound
    from mentoring.guides.services import closing_survey_invite
    from mentoring.meetings.reminders import pairs_nudge
    from notifications.delivery import deliver_pending
    from notifications.models import Notification

    two_years = make_two_years(returning=returning)
    a, b = two_years.a, two_years.b
    before = set(Notification.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        for program_id, round_id in _rounds(a).items():
            rnd = MatchingRound.objects.get(pk=round_id)
            solution = rnd.solutions.order_by("-number").first()
            assert solution is not None, program_id
            matching.round_publish(rnd=rnd, solution=solution, user=a.staff)
        pairs_nudge(
            program=a.mentoring,
            number=2,
            deadline=dt.date(2027, 1, 31),
            by=a.staff,
            pair_ids=list(a.mentoring.pairs.values_list("pk", flat=True)),
        )
        closing_survey_invite(program=a.mentoring, by=a.staff)
    deliver_pending()
    new = Notification.objects.exclude(pk__in=before)
    kinds = set(new.values_list("kind", flat=True))
    assert {"match_published_coach", "match_published_mentor", "closing_survey"} <= kinds, kinds
    b_only = {u.pk for u in b.people}
    for row in new:
        assert row.recipient_id not in b_only, (row.kind, row.to_email)
        _assert_clean(row.subject + row.body_text + row.body_html, b.traces(), row.kind)
    from django.core import mail

    for message in mail.outbox:
        assert not set(message.to) & {u.email for u in b.people}
        _assert_clean(message.body, b.traces(), message.subject)


@pytest.mark.django_db
def test_coach_round_uses_last_years_coach_on_purpose_and_says_so(client):
    """History on purpose: a school keeps last year's expertcoach when that coach takes part
    again; the round page says what of last year is used, and shows nobody else of it."""
    two_years = make_two_years(returning=True)
    a, b = two_years.a, two_years.b
    rounds = _rounds(a)
    staff = _client(client, a.staff)
    url = reverse("matching:round_detail", args=[a.coaching.pk, rounds[a.coaching.pk]])
    body = staff.get(url).content.decode()
    assert "alleen welke expertcoach een school vorig jaar had" in body
    _assert_clean(body, b.traces(), url)
    url = reverse("matching:round_detail", args=[a.mentoring.pk, rounds[a.mentoring.pk]])
    body = staff.get(url).content.decode()
    assert "alleen wie al eerder met wie gekoppeld was" in body
    _assert_clean(body, b.traces(), url)


@pytest.mark.django_db
def test_program_staff_cannot_reach_other_years_through_the_admin(client, two_years):
    """Program staff of year A are no foundation staff: the admin (which spans every year)
    is closed to them."""
    staff = _client(client, two_years.a.staff)
    for url in ("/admin/", "/admin/pairs/pair/", "/admin/people/user/", "/admin/people/role/"):
        response = staff.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


@pytest.mark.django_db
def test_admin_labels_every_person_with_their_program_year(client, two_years):
    """Foundation staff see all years in the admin, on purpose; every role says its year."""
    from people.models import Role

    a, b = two_years.a, two_years.b
    admin = f.make_user("stichting@leerkracht.example", is_staff=True, is_superuser=True)
    body = _client(client, admin).get("/admin/pairs/pair/").content.decode()
    for year in (a, b):
        role = Role.objects.get(user=year.schoolleider, program=year.mentoring)
        assert year.mentoring.school_year in str(role)
        assert str(role) in body, str(role)


@pytest.mark.django_db
def test_my_data_of_a_returning_person_labels_each_pair_with_its_year(client):
    """The JSON export covers the person's own pairs of every year (their own history, on
    purpose), and each pair says which program year it belongs to."""
    two_years = make_two_years(returning=True)
    a, b = two_years.a, two_years.b
    data = _client(client, a.mentor).get("/mijn-gegevens/download.json").json()
    by_program = {p["program"]: p["partner"] for p in data["pairs"] if p["status"] == "active"}
    assert by_program == {
        str(a.mentoring): str(a.schoolleider),
        str(b.mentoring): str(b.schoolleider),
    }
    # Only the person's own partners: nobody else of last year (its staff, spare people).
    text = str(data)
    others = [b.staff, b.free_schoolleider, b.free_mentor]
    assert not [u.email for u in others if u.email in text or u.last_name in text]
