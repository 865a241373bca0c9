import datetime as dt

import pytest

from mentoring.guides.selectors import mentor_day
from mentoring.guides.services import meeting_record_save
from mentoring.pairs.services import first_contact_confirm


def _hold(pair, mentor, n):
    for i in range(1, n + 1):
        meeting_record_save(
            pair=pair, number=i, by=mentor, held=True, held_on=dt.date(2026, 11, 20), themes=[]
        )


def test_mentor_day_counts_matching_and_meetings(program, pair, mentor, schoolleider):
    first_contact_confirm(pair=pair, user=schoolleider)
    _hold(pair, mentor, 2)
    day = mentor_day(mentor, program)
    assert (day.matching, day.meetings, day.meetings_held) == (1.0, 4.0, 2)
    assert day.total == 5.0 + day.webinar
    assert day.budget == 8.0  # one working day


def test_mentor_without_pair_has_given_nothing_yet(program, mentor):
    day = mentor_day(mentor, program)
    assert day.total == 0 and day.pair is None


def test_mentor_day_page_and_panel(program, pair, mentor, client_for):
    _hold(pair, mentor, 1)
    c = client_for(mentor)
    html = c.get(f"/programma/{program.pk}/mentor/mijn-dag/").content.decode()
    assert "uur gegeven" in html and "Gesprekken (1 van 3)" in html
    assert "bewijs-van-deelname.pdf" not in html
    assert "uur gegeven" in c.get(f"/programma/{program.pk}/").content.decode()


def test_certificate_only_when_done(program, pair, mentor, client_for):
    c = client_for(mentor)
    url = f"/programma/{program.pk}/mentor/mijn-dag/bewijs-van-deelname.pdf"
    assert c.get(url).status_code == 404
    _hold(pair, mentor, 3)
    r = c.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_certificate_is_for_mentors_only(program, pair, schoolleider, staff, client_for):
    url = f"/programma/{program.pk}/mentor/mijn-dag/bewijs-van-deelname.pdf"
    assert client_for(schoolleider).get(url).status_code == 403
    assert client_for(staff).get(url).status_code == 403


def test_certificate_reflects_own_pair_only(
    program, pair, other_pair, mentor, other_mentor, client_for
):
    _hold(pair, mentor, 3)
    assert (
        client_for(other_mentor)
        .get(f"/programma/{program.pk}/mentor/mijn-dag/bewijs-van-deelname.pdf")
        .status_code
        == 404
    )
    assert mentor_day(other_mentor, program).meetings_held == 0


def test_attended_webinar_counts_one_and_a_half_hours(program, pair, mentor):
    from django.utils import timezone

    from people.models import Role
    from webinars.models import Registration, WebinarSession

    start = timezone.now() - dt.timedelta(days=30)
    session = WebinarSession.objects.create(
        program=program,
        title="Webinar",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        meeting_url="https://example.org/w",
        capacity=50,
    )
    reg = Registration.objects.create(
        session=session,
        program=program,
        user=mentor,
        role=Role.objects.get(user=mentor, program=program),
        status="confirmed",
        attended=None,
    )
    assert mentor_day(mentor, program).webinar == 0
    reg.attended = True
    reg.save()
    assert mentor_day(mentor, program).webinar == 1.5


def test_the_matching_hour_counts_only_once_first_contact_is_confirmed(
    program, pair, mentor, schoolleider, client_for
):
    assert mentor_day(mentor, program).matching == 0.0
    page = client_for(schoolleider).get(f"/programma/{program.pk}/koppel/").content.decode()
    assert "We hebben elkaar gesproken" in page
    response = client_for(schoolleider).post(
        f"/programma/{program.pk}/koppel/{pair.pk}/eerste-contact/"
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.first_contact_by == schoolleider and pair.first_contact_at is not None
    assert mentor_day(mentor, program).matching == 1.0
    # The mentor confirming again changes nothing: the first confirmation stays.
    first = pair.first_contact_at
    assert first_contact_confirm(pair=pair, user=mentor) is False
    pair.refresh_from_db()
    assert (pair.first_contact_by, pair.first_contact_at) == (schoolleider, first)
    page = client_for(mentor).get(f"/programma/{program.pk}/koppel/").content.decode()
    assert "Eerste contact bevestigd op" in page


def test_only_the_pair_confirms_its_first_contact(
    program, pair, other_pair, other_mentor, staff, outsider, client_for
):
    url = f"/programma/{program.pk}/koppel/{pair.pk}/eerste-contact/"
    assert client_for(other_mentor).post(url).status_code == 404
    assert client_for(staff).post(url).status_code in (403, 404)
    assert client_for(outsider).post(url).status_code in (403, 404)
    assert client_for(other_mentor).get(url).status_code in (404, 405)
    pair.refresh_from_db()
    assert pair.first_contact_at is None


def test_the_closing_date_opens_the_closing_survey(program, pair, staff, schoolleider, client_for):
    import time_machine
    from django.core.exceptions import ValidationError

    from mentoring.guides.services import closing_survey_invite

    program.closing_date = dt.date(2027, 4, 2)
    program.save(update_fields=["closing_date"])
    with time_machine.travel(dt.datetime(2027, 4, 1, 12), tick=False):
        program.refresh_from_db()
        assert not program.closing_survey_open
        with pytest.raises(ValidationError, match="gaat open op 2 april 2027"):
            closing_survey_invite(program=program, by=staff)
        page = client_for(schoolleider).get(f"/programma/{program.pk}/terugblik/")
        assert page.status_code == 302
        listing = client_for(staff).get(f"/programma/{program.pk}/staf/feedback/")
        assert "gaat open op 2 april 2027" in listing.content.decode()
    with time_machine.travel(dt.datetime(2027, 4, 2, 12), tick=False):
        assert program.closing_survey_open
        assert closing_survey_invite(program=program, by=staff) >= 1
    timeline = [label for label, _start, _end in program.timeline()]
    assert "Afsluiting en vragenlijst" in timeline
