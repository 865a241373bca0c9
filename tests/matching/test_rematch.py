"""After publication: ending a pair, asking for a new match, and re-matching one person."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from matching import services
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import Pair
from notifications.delivery import deliver_pending
from people.models import Role
from tests import factories as f

from .matching_helpers import make_round, solve
from .test_publish import run_on_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(program, staff):
    """Two published pairs in Utrecht and one free mentor nearby."""
    m1 = f.make_mentor(program, email="m1@bedrijf.example")
    m2 = f.make_mentor(program, email="m2@bedrijf.example")
    s1 = f.make_schoolleider(program, email="s1@school.example")
    s2 = f.make_schoolleider(program, email="s2@school.example")
    rnd = make_round(program, staff)
    services.round_publish(rnd=rnd, solution=solve(rnd, staff), user=staff)
    run_on_commit()
    deliver_pending()
    mail.outbox.clear()
    spare = f.make_mentor(program, email="reserve@bedrijf.example")
    return {"m1": m1, "m2": m2, "s1": s1, "s2": s2, "spare": spare}


def pair_of(user):
    return (
        Pair.objects.get(mentor__user=user)
        if Pair.objects.filter(mentor__user=user).exists()
        else Pair.objects.get(schoolleider__user=user)
    )


def test_participant_ends_pair_and_asks_for_new_match(published, client_for, program, staff):
    s1 = published["s1"]
    pair = Pair.objects.get(schoolleider__user=s1)
    other_pair = Pair.objects.exclude(pk=pair.pk).get()
    url = reverse("pairs:pair_end", args=[program.pk, pair.pk])
    client = client_for(s1)
    page = client.post(url, {"reason": "", "rematch": "on"}).content.decode()
    assert "Vertel kort waarom het koppel stopt" in page and "Vink aan" in page
    client.post(url, {"reason": "Klikt niet", "rematch": "on", "confirm": "on"})
    pair.refresh_from_db()
    assert (
        pair.status == PairStatus.ENDED
        and pair.ended_side == "schoolleider"
        and pair.rematch_requested
    )
    other_pair.refresh_from_db()
    assert other_pair.status == PairStatus.ACTIVE  # nobody else moves
    run_on_commit()
    deliver_pending()
    assert [m.to[0] for m in mail.outbox] == [staff.email]
    assert "Klikt niet" in mail.outbox[0].body
    waiting = (
        client_for(staff).get(reverse("pairs:rematch_list", args=[program.pk])).content.decode()
    )
    assert s1.email not in waiting  # names are shown, emails not
    assert str(s1) in waiting and str(pair.mentor.user) in waiting
    assert "vraagt nieuwe match" in waiting and "partner gestopt" in waiting


def test_participant_cannot_end_another_pairs_pair(
    published, client_for, program, other_schoolleider
):
    s1_pair = Pair.objects.get(schoolleider__user=published["s1"])
    url = reverse("pairs:pair_end", args=[program.pk, s1_pair.pk])
    for user in (published["s2"], published["m2"], other_schoolleider):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    s1_pair.refresh_from_db()
    assert s1_pair.status == PairStatus.ACTIVE


def test_staff_rematch_with_one_action_moves_nobody_else(published, client_for, program, staff):
    s1 = published["s1"]
    pair = Pair.objects.get(schoolleider__user=s1)
    client_for(s1).post(
        reverse("pairs:pair_end", args=[program.pk, pair.pk]),
        {"reason": "Verhuisd", "rematch": "on", "confirm": "on"},
    )
    untouched = set(
        Pair.objects.filter(status=PairStatus.ACTIVE).values_list(
            "pk", "mentor_id", "schoolleider_id"
        )
    )
    role = Role.objects.get(user=s1, program=program, kind="schoolleider")
    url = reverse("pairs:rematch_person", args=[program.pk, "schoolleider", role.pk])
    page = client_for(staff).get(url).content.decode()
    assert str(published["spare"]) in page
    assert str(pair.mentor.user) not in page  # the ended pair is never proposed again
    spare_role = Role.objects.get(user=published["spare"], program=program, kind="mentor")
    run_on_commit()
    deliver_pending()  # the staff's "pair ended" message
    mail.outbox.clear()
    client_for(staff).post(url, {"partner": spare_role.pk})
    new = Pair.objects.get(schoolleider__user=s1, status=PairStatus.ACTIVE)
    assert new.mentor == spare_role and new.distance_km is not None
    assert untouched <= set(
        Pair.objects.filter(status=PairStatus.ACTIVE).values_list(
            "pk", "mentor_id", "schoolleider_id"
        )
    )
    run_on_commit()
    deliver_pending()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([s1.email, published["spare"].email])
    # Pairing someone who already has a partner is refused with a message.
    taken = Role.objects.get(user=published["m2"], program=program, kind="mentor")
    response = client_for(staff).post(url, {"partner": taken.pk}, follow=True)
    assert "heeft al een actief koppel" in response.content.decode()


def test_rematch_pages_refuse_non_staff_and_unknown_people(
    published, client_for, program, coach_program
):
    s1_role = Role.objects.get(user=published["s1"], program=program, kind="schoolleider")
    url = reverse("pairs:rematch_person", args=[program.pk, "schoolleider", s1_role.pk])
    for user in (published["s1"], published["m1"], f.make_staff(coach_program), f.make_user()):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"partner": 1}).status_code == 403
    staff = f.make_staff(program)
    assert (
        client_for(staff)
        .get(reverse("pairs:rematch_person", args=[program.pk, "mentor", s1_role.pk]))
        .status_code
        == 404
    )
    foreign = Role.objects.get(user=f.make_schoolleider(f.make_program(school_year="2024-2025")))
    assert (
        client_for(staff)
        .get(reverse("pairs:rematch_person", args=[program.pk, "schoolleider", foreign.pk]))
        .status_code
        == 404
    )


def test_staff_can_end_a_pair_for_a_drop_out(published, client_for, program, staff):
    pair = Pair.objects.get(mentor__user=published["m1"])
    url = reverse("pairs:staff_pair_end", args=[program.pk, pair.pk])
    assert client_for(published["m1"]).post(url, {"reason": "weg"}).status_code == 403
    client_for(staff).post(url, {"reason": "Mentor is ziek"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED and pair.ended_side == "staff"
    waiting = (
        client_for(staff).get(reverse("pairs:rematch_list", args=[program.pk])).content.decode()
    )
    assert str(published["m1"]) in waiting


def test_staff_of_another_program_cannot_end_a_pair(published, client_for, program):
    pair = Pair.objects.get(mentor__user=published["m1"])
    elsewhere = f.make_program(school_year="2024-2025")
    url = reverse("pairs:staff_pair_end", args=[elsewhere.pk, pair.pk])
    assert client_for(f.make_staff(elsewhere)).post(url, {"reason": "weg"}).status_code == 404
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE


def test_staff_pair_list_query_count(
    published, client_for, program, staff, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.pairs.services import pair_rematch

    client = client_for(staff)
    url = reverse("pairs:staff_pair_list", args=[program.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        m, s = f.make_mentor(program), f.make_schoolleider(program)
        pair_rematch(
            program=program,
            user=staff,
            mentor_id=Role.objects.get(user=m, program=program).pk,
            schoolleider_id=Role.objects.get(user=s, program=program).pk,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "5 actieve koppels" in page


def test_rematch_list_query_count(
    published, client_for, program, staff, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.pairs.services import pair_end

    client = client_for(staff)
    url = reverse("pairs:rematch_list", args=[program.pk])
    pair_end(pair=pair_of(published["m1"]), user=staff, reason="a", rematch=True)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    pair_end(pair=pair_of(published["m2"]), user=staff, reason="b", rematch=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert str(published["s2"]) in client.get(url).content.decode()


def test_a_rematched_pair_gets_its_three_meetings_through_the_meetings_hook(program, staff):
    """pairs never imports meetings: the meetings app registers the step (its ready())."""
    from mentoring.meetings.apps import give_meetings
    from mentoring.meetings.models import Meeting
    from mentoring.pairs.services import PAIR_CREATED, pair_rematch

    assert give_meetings in PAIR_CREATED
    m, s = f.make_mentor(program), f.make_schoolleider(program)
    pair = pair_rematch(
        program=program,
        user=staff,
        mentor_id=Role.objects.get(user=m, program=program).pk,
        schoolleider_id=Role.objects.get(user=s, program=program).pk,
    )
    numbers = sorted(Meeting.objects.filter(pair=pair).values_list("number", flat=True))
    assert numbers == [1, 2, 3]
