"""Publishing: all or nothing, emails queued in the same transaction, visibility after."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from matching import services
from matching.enums import RoundStatus
from mentoring.pairs.models import Pair
from notifications.delivery import deliver_pending
from notifications.models import Notification
from tests import factories as f

from .matching_helpers import make_round, solve

pytestmark = pytest.mark.django_db


def run_on_commit():
    connection = transaction.get_connection()
    callbacks, connection.run_on_commit = list(connection.run_on_commit), []
    for _sids, func, _robust in callbacks:
        func()


@pytest.fixture
def solved(program, staff):
    mentors = [
        f.make_mentor(program, city=c, organisation=f"Bedrijf {c}")
        for c in ("utrecht", "rotterdam", "amsterdam")
    ]
    leaders = [f.make_schoolleider(program, city=c) for c in ("utrecht", "rotterdam", "amsterdam")]
    rnd = make_round(program, staff)
    return rnd, solve(rnd, staff), mentors, leaders


def test_publish_makes_every_pair_and_emails_both_sides(solved, staff):
    rnd, solution, mentors, leaders = solved
    assert services.round_publish(rnd=rnd, solution=solution, user=staff) == 3
    run_on_commit()
    pairs = Pair.objects.filter(program=rnd.program, round=rnd)
    assert pairs.count() == 3
    assert {p.mentor.user for p in pairs} == set(mentors)
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.PUBLISHED and rnd.published_solution == solution
    deliver_pending()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in mentors + leaders)
    to_leader = next(m for m in mail.outbox if m.to[0] == leaders[0].email)
    assert "Bedrijf utrecht" in to_leader.body and mentors[0].email in to_leader.body


def test_publish_emails_each_person_their_own_partner_once(solved, staff):
    rnd, solution, mentors, leaders = solved
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    run_on_commit()
    pairs = list(Pair.objects.filter(round=rnd).select_related("mentor", "schoolleider"))
    expected_keys = {f"round:{rnd.pk}:mentor:{p.mentor_id}" for p in pairs} | {
        f"round:{rnd.pk}:schoolleider:{p.schoolleider_id}" for p in pairs
    }
    assert set(Notification.objects.values_list("dedupe_key", flat=True)) == expected_keys
    deliver_pending()
    by_address = {m.to[0]: m.body for m in mail.outbox}
    for pair in pairs:
        mentor, leader = pair.mentor.user, pair.schoolleider.user
        assert leader.email in by_address[mentor.email]
        assert mentor.email in by_address[leader.email]
        for other in pairs:
            if other != pair:
                assert other.schoolleider.user.email not in by_address[mentor.email]
                assert other.mentor.user.email not in by_address[leader.email]


def test_publish_failing_halfway_publishes_nothing_and_emails_nobody(solved, staff, monkeypatch):
    rnd, solution, _mentors, _leaders = solved
    from notifications import outbox as notifications

    real = notifications.notify_many
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # after the mentors' emails were queued
            raise RuntimeError("mail server exploded")
        return real(*args, **kwargs)

    monkeypatch.setattr("matching.services.notify_many", flaky)
    with pytest.raises(RuntimeError):
        services.round_publish(rnd=rnd, solution=solution, user=staff)
    run_on_commit()
    assert calls["n"] == 2
    assert not Pair.objects.filter(program=rnd.program).exists()
    assert not Notification.objects.exists()
    deliver_pending()
    assert mail.outbox == []
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SOLVED and rnd.published_at is None


def test_publish_refuses_when_someone_got_a_pair_meanwhile(solved, staff):
    rnd, solution, mentors, leaders = solved
    other = make_round(rnd.program, staff)
    services.round_publish(rnd=other, solution=solve(other, staff), user=staff)
    with pytest.raises(ValidationError, match="al een actief koppel"):
        services.round_publish(rnd=rnd, solution=solution, user=staff)
    assert Pair.objects.filter(round=rnd).count() == 0


def test_publish_twice_is_refused(solved, staff):
    rnd, solution, *_ = solved
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    with pytest.raises(ValidationError, match="al gepubliceerd"):
        services.round_publish(rnd=rnd, solution=solution, user=staff)


def test_nobody_sees_their_match_before_publication(solved, client_for, staff):
    rnd, solution, mentors, leaders = solved
    program = rnd.program
    for user, partner in ((mentors[0], leaders[0]), (leaders[0], mentors[0])):
        page = client_for(user).get(f"/programma/{program.pk}/koppel/").content.decode()
        assert "nog geen koppel" in page and partner.email not in page
        home = client_for(user).get(f"/programma/{program.pk}/").content.decode()
        assert 'id="mm-h"' not in home and partner.email not in home
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    leader_page = client_for(leaders[0]).get(f"/programma/{program.pk}/koppel/").content.decode()
    profile = mentors[0].roles.get().mentor_profile
    for expected in (
        mentors[0].full_name,
        profile.organisation,
        profile.job_title,
        profile.introduction,
        mentors[0].email,
    ):
        assert expected in leader_page
    mentor_page = client_for(mentors[0]).get(f"/programma/{program.pk}/koppel/").content.decode()
    school = leaders[0].roles.get().schoolleider_profile.school
    for expected in (leaders[0].full_name, leaders[0].email, school.name):
        assert expected in mentor_page
    leader_home = client_for(leaders[0]).get(f"/programma/{program.pk}/").content.decode()
    assert 'id="mm-h"' in leader_home and mentors[0].full_name in leader_home
    mentor_home = client_for(mentors[0]).get(f"/programma/{program.pk}/").content.decode()
    assert 'id="mm-h"' in mentor_home and leaders[0].full_name in mentor_home


def test_publish_gives_every_pair_three_meetings_with_a_suggested_plan(solved, staff):
    from mentoring.meetings.models import Meeting

    rnd, solution, _mentors, _leaders = solved
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    pairs = list(Pair.objects.filter(round=rnd))
    # The loop below must check something: every proposed pair was published.
    assert len(pairs) == 3
    for pair in pairs:
        meetings = list(Meeting.objects.filter(pair=pair).order_by("number"))
        assert [m.number for m in meetings] == [1, 2, 3]
        suggested = [m.suggested_starts_at for m in meetings]
        assert all(suggested), suggested
        assert suggested[0] < suggested[1] < suggested[2]
