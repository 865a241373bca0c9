import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mentoring.guides.models import Feedback
from mentoring.guides.services import feedback_submit, meeting_record_save
from mentoring.pairs.models import CoachAssignment
from tests import factories as f

from .conftest import meeting_url

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def held(pair, mentor):
    meeting_record_save(pair=pair, number=1, by=mentor, held=True, held_on=DAY, themes=[])
    return pair


def give_meeting_feedback(program, pair, respondent, side, **answers):
    """``respondent`` answers the feedback form of meeting 1 of ``pair``."""
    return feedback_submit(
        program=program,
        kind="meeting",
        side=side,
        respondent=respondent,
        pair=pair,
        number=1,
        **answers,
    )


def test_feedback_after_meeting(program, held, mentor, client_for):
    r = client_for(mentor).post(
        meeting_url(program, held, 1, "feedback/"),
        {"usefulness": "4", "helped": "Goede vragen", "better": ""},
    )
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert (fb.side, fb.usefulness, fb.number, fb.share_name) == ("mentor", 4, 1, False)
    assert fb.region_id == held.school.region_id


def test_feedback_once_per_side(program, held, mentor, schoolleider, client_for):
    client_for(mentor).post(meeting_url(program, held, 1, "feedback/"), {"usefulness": "4"})
    client_for(mentor).post(meeting_url(program, held, 1, "feedback/"), {"usefulness": "1"})
    client_for(schoolleider).post(meeting_url(program, held, 1, "feedback/"), {"usefulness": "5"})
    assert sorted(Feedback.objects.values_list("side", "usefulness")) == [
        ("mentor", 4),
        ("schoolleider", 5),
    ]
    with pytest.raises(ValidationError):
        feedback_submit(
            program=program,
            kind="meeting",
            side="mentor",
            respondent=mentor,
            pair=held,
            number=1,
            usefulness=3,
        )


def test_feedback_needs_a_held_meeting(program, pair, mentor, client_for):
    r = client_for(mentor).post(meeting_url(program, pair, 2, "feedback/"), {"usefulness": "4"})
    assert r.status_code == 200
    assert "nadat het gesprek is vastgelegd" in r.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_score_must_be_1_to_5(program, held, mentor, client_for):
    r = client_for(mentor).post(meeting_url(program, held, 1, "feedback/"), {"usefulness": "9"})
    assert "Kies een cijfer van 1 tot en met 5." in r.content.decode()
    assert not Feedback.objects.exists()


def test_other_side_never_sees_my_answers(program, held, mentor, schoolleider, client_for):
    give_meeting_feedback(
        program,
        held,
        mentor,
        "mentor",
        usefulness=2,
        helped="GEHEIM-HIELP",
        better="GEHEIM-BETER",
        share_name=True,
    )
    c = client_for(schoolleider)
    for url in (
        meeting_url(program, held, 1),
        meeting_url(program, held, 1, "feedback/"),
        f"/programma/{program.pk}/",
    ):
        assert "GEHEIM" not in c.get(url).content.decode()
    assert c.get(f"/programma/{program.pk}/staf/feedback/").status_code == 403


def test_staff_see_names_only_with_consent(program, held, staff, mentor, schoolleider, client_for):
    give_meeting_feedback(
        program, held, mentor, "mentor", usefulness=4, helped="Mentor hielp", share_name=True
    )
    give_meeting_feedback(
        program,
        held,
        schoolleider,
        "schoolleider",
        usefulness=5,
        helped="Leider hielp",
        share_name=False,
    )
    html = client_for(staff).get(f"/programma/{program.pk}/staf/feedback/").content.decode()
    assert "Mentor hielp" in html and "Leider hielp" in html
    assert mentor.full_name in html
    assert schoolleider.full_name not in html


def test_staff_feedback_filters_by_region(program, held, staff, mentor, client_for):
    give_meeting_feedback(program, held, mentor, "mentor", usefulness=4, helped="in regio")
    c = client_for(staff)
    html = c.get(f"/programma/{program.pk}/staf/feedback/?regio=999999").content.decode()
    assert "in regio" not in html


def test_feedback_list_query_count_constant(
    program, held, staff, mentor, schoolleider, client_for, django_assert_max_num_queries
):
    c = client_for(staff)
    give_meeting_feedback(program, held, mentor, "mentor", usefulness=4, share_name=True)
    url = f"/programma/{program.pk}/staf/feedback/"
    c.get(url)
    with django_assert_max_num_queries(20) as one:
        c.get(url)
    give_meeting_feedback(
        program, held, schoolleider, "schoolleider", usefulness=5, share_name=True
    )
    feedback_submit(
        program=program,
        kind="closing",
        side="mentor",
        respondent=mentor,
        pair=held,
        usefulness=3,
        share_name=True,
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        c.get(url)


def test_closing_survey_for_both_sides(program, pair, mentor, schoolleider, client_for):
    for user, score in ((mentor, "5"), (schoolleider, "3")):
        r = client_for(user).post(f"/programma/{program.pk}/terugblik/", {"usefulness": score})
        assert r.status_code == 302
    assert sorted(Feedback.objects.filter(kind="closing").values_list("side", flat=True)) == [
        "mentor",
        "schoolleider",
    ]


def test_closing_survey_404_without_pair(program, mentor, client_for):
    assert client_for(mentor).get(f"/programma/{program.pk}/terugblik/").status_code == 404


def test_closing_survey_for_expertcoach_school(coach_program, expertcoach, client_for):
    from people.enums import RoleKind
    from people.models import Role

    leader = f.make_schoolleider(coach_program)
    school = leader.roles.get().schoolleider_profile.school
    CoachAssignment.objects.create(
        program=coach_program,
        school=school,
        published_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        coach=Role.objects.get(user=expertcoach, kind=RoleKind.EXPERTCOACH),
    )
    r = client_for(leader).post(
        f"/programma/{coach_program.pk}/terugblik/", {"usefulness": "4", "helped": "De coach"}
    )
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert (fb.side, fb.school_id, fb.pair_id) == ("school", school.pk, None)


def test_staff_invite_closing_survey_once_per_person(
    program, pair, other_pair, staff, mentor, client_for
):
    from django.core import mail

    from notifications.delivery import deliver_pending

    feedback_submit(
        program=program, kind="closing", side="mentor", respondent=mentor, pair=pair, usefulness=5
    )
    c = client_for(staff)
    html = c.get(f"/programma/{program.pk}/staf/feedback/").content.decode()
    assert "3 deelnemers hebben de terugblik nog niet ingevuld." in html
    r = c.post(f"/programma/{program.pk}/staf/feedback/terugblik-versturen/")
    assert r.status_code == 302
    deliver_pending()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert mentor.email not in recipients and len(recipients) == 3
    assert f"/programma/{program.pk}/terugblik/" in mail.outbox[0].body
    c.post(f"/programma/{program.pk}/staf/feedback/terugblik-versturen/")
    deliver_pending()
    assert len(mail.outbox) == 3  # deduplicated


def test_only_staff_can_send_the_closing_survey(program, pair, mentor, client_for):
    from notifications.models import Notification

    assert (
        client_for(mentor)
        .post(f"/programma/{program.pk}/staf/feedback/terugblik-versturen/")
        .status_code
        == 403
    )
    assert not Notification.objects.exists()


def test_meeting_feedback_page_says_already_answered(program, held, mentor, client_for):
    c = client_for(mentor)
    url = meeting_url(program, held, 1, "feedback/")
    assert "al ingevuld" not in c.get(url).content.decode()
    give_meeting_feedback(program, held, mentor, "mentor", usefulness=4)
    html = c.get(url).content.decode()
    assert "U heeft deze vragenlijst al ingevuld." in html
    assert 'name="usefulness"' not in html


def test_closing_survey_once_per_side(program, pair, mentor, client_for):
    c = client_for(mentor)
    url = f"/programma/{program.pk}/terugblik/"
    assert c.post(url, {"usefulness": "5"}).status_code == 302
    r = c.post(url, {"usefulness": "1"})
    assert r.status_code == 200
    assert "U heeft deze vragenlijst al ingevuld." in r.content.decode()
    assert list(Feedback.objects.values_list("kind", "usefulness")) == [("closing", 5)]
    assert 'name="usefulness"' not in c.get(url).content.decode()


def test_closing_survey_refused_to_non_participants(program, pair, outsider, client_for):
    r = client_for(outsider).post(f"/programma/{program.pk}/terugblik/", {"usefulness": "5"})
    assert r.status_code == 403
    assert not Feedback.objects.exists()
