import datetime as dt

from django.utils import timezone

from mentoring.guides.models import Action, MeetingNote, MeetingRecord
from mentoring.guides.services import action_add, meeting_record_save
from mentoring.meetings.models import Meeting

from .conftest import meeting_url

DAY = dt.date(2026, 11, 20)


def test_pair_page_shows_guide_and_own_checklist(program, pair, mentor, schoolleider, client_for):
    html = client_for(mentor).get(meeting_url(program, pair, 1)).content.decode()
    assert "Kennismaken en de ambitie scherp krijgen" in html
    assert "Bedenk een voorbeeld uit uw eigen werk" in html  # mentor's checklist
    assert "Kijk terug op je agenda" not in html  # not the schoolleider's


def test_checklist_is_saved_per_side(program, pair, mentor, schoolleider, client_for):
    client_for(mentor).post(meeting_url(program, pair, 1), {"done": ["0", "2", "99", "x"]})
    record = MeetingRecord.objects.get(pair=pair, number=1)
    assert record.prep_mentor_done == [0, 2]
    assert record.prep_schoolleider_done == []
    html = client_for(schoolleider).get(meeting_url(program, pair, 1)).content.decode()
    assert "2 van 4 punten voorbereid" in html


def test_record_meeting_with_themes_and_note(program, pair, mentor, schoolleider, client_for):
    r = client_for(mentor).post(
        meeting_url(program, pair, 1, "verslag/"),
        {
            "held": "yes",
            "held_on": "2026-11-20",
            "themes": ["overtuiging", "facilitering"],
            "note": "Schoolleider wil meer bij bordsessies zijn.",
        },
    )
    assert r.status_code == 302
    record = MeetingRecord.objects.get(pair=pair, number=1)
    assert record.held_on == DAY
    assert Meeting.objects.get(pair=pair, number=1).status == "held"  # stored once, there
    assert record.themes == ["overtuiging", "facilitering"]
    # The other side of the pair reads the note.
    html = client_for(schoolleider).get(meeting_url(program, pair, 1)).content.decode()
    assert "Schoolleider wil meer bij bordsessies zijn." in html


def test_record_requires_date_when_held(program, pair, mentor, client_for):
    r = client_for(mentor).post(meeting_url(program, pair, 1, "verslag/"), {"held": "yes"})
    assert r.status_code == 400
    assert "Vul de datum van het gesprek in." in r.content.decode()
    assert not Meeting.objects.filter(pair=pair, status="held").exists()


def test_record_refuses_future_date(program, pair, mentor, client_for):
    r = client_for(mentor).post(
        meeting_url(program, pair, 1, "verslag/"), {"held": "yes", "held_on": "2999-01-01"}
    )
    assert r.status_code == 400
    assert "niet in de toekomst" in r.content.decode()


def test_actions_carry_over_to_next_meeting(program, pair, mentor, schoolleider, client_for):
    r = client_for(mentor).post(
        meeting_url(program, pair, 1, "afspraken/"),
        {"description": "Rooster bekijken met MT", "owner": "schoolleider", "due_on": "2026-12-01"},
    )
    assert r.status_code == 302
    action = Action.objects.get(pair=pair)
    assert MeetingRecord.objects.get(pair=pair, number=1).action_count == 1
    html = client_for(schoolleider).get(meeting_url(program, pair, 2)).content.decode()
    assert "Openstaand uit eerdere gesprekken" in html and "Rooster bekijken met MT" in html
    client_for(schoolleider).post(
        f"/programma/{program.pk}/koppel/{pair.pk}/afspraken/{action.pk}/",
        {"done": "1", "number": "2"},
    )
    action.refresh_from_db()
    assert action.done_at is not None
    html = client_for(schoolleider).get(meeting_url(program, pair, 2)).content.decode()
    assert "Openstaand uit eerdere gesprekken" not in html


def test_action_needs_description(program, pair, mentor, client_for):
    r = client_for(mentor).post(
        meeting_url(program, pair, 1, "afspraken/"), {"description": "", "owner": "both"}
    )
    assert r.status_code == 400
    assert "Dit veld is verplicht." in r.content.decode()
    assert not Action.objects.exists()


def test_other_pair_cannot_open_or_write_my_meeting(
    program, pair, other_pair, other_mentor, client_for
):
    c = client_for(other_mentor)
    assert c.get(meeting_url(program, pair, 1)).status_code == 404
    assert c.post(meeting_url(program, pair, 1), {"done": ["0"]}).status_code == 404
    assert (
        c.post(
            meeting_url(program, pair, 1, "verslag/"), {"held": "yes", "held_on": "2026-11-20"}
        ).status_code
        == 404
    )
    assert (
        c.post(
            meeting_url(program, pair, 1, "afspraken/"), {"description": "x", "owner": "both"}
        ).status_code
        == 404
    )
    assert c.get(meeting_url(program, pair, 1, "feedback/")).status_code == 404
    assert not MeetingRecord.objects.filter(pair=pair).exists()


def test_someone_elses_action_is_404(program, pair, other_pair, mentor, other_mentor, client_for):
    action = action_add(
        pair=pair, number=1, by=mentor, description="Geheim", owner="both", due_on=None
    )
    c = client_for(other_mentor)
    # via the other pair's own id and via the real pair id: both unknown to them
    assert (
        c.post(
            f"/programma/{program.pk}/koppel/{other_pair.pk}/afspraken/{action.pk}/", {"done": "1"}
        ).status_code
        == 404
    )
    assert (
        c.post(
            f"/programma/{program.pk}/koppel/{pair.pk}/afspraken/{action.pk}/", {"done": "1"}
        ).status_code
        == 404
    )
    action.refresh_from_db()
    assert action.done_at is None


def test_meeting_number_out_of_range_is_404(program, pair, mentor, client_for):
    assert client_for(mentor).get(meeting_url(program, pair, 4)).status_code == 404
    assert client_for(mentor).get(meeting_url(program, pair, 0)).status_code == 404


def test_other_pairs_notes_never_on_my_page(
    program, pair, other_pair, mentor, other_mentor, client_for
):
    meeting_record_save(
        pair=pair, number=1, by=mentor, held=True, held_on=DAY, themes=[], note="VERTROUWELIJK-A"
    )
    action_add(
        pair=pair, number=1, by=mentor, description="VERTROUWELIJK-B", owner="both", due_on=None
    )
    html = client_for(other_mentor).get(meeting_url(program, other_pair, 1)).content.decode()
    assert "VERTROUWELIJK" not in html
    html = client_for(other_mentor).get(meeting_url(program, other_pair, 2)).content.decode()
    assert "VERTROUWELIJK" not in html


def test_clearing_the_note_deletes_it(program, pair, mentor):
    meeting_record_save(pair=pair, number=1, by=mentor, held=True, held_on=DAY, themes=[], note="x")
    meeting_record_save(pair=pair, number=1, by=mentor, held=True, held_on=DAY, themes=[], note="")
    assert not MeetingNote.objects.exists()


def test_next_guide_panel_on_home(program, pair, mentor, schoolleider, client_for):
    html = client_for(schoolleider).get(f"/programma/{program.pk}/").content.decode()
    assert meeting_url(program, pair, 1) in html
    meeting_record_save(pair=pair, number=1, by=mentor, held=True, held_on=DAY, themes=[])
    html = client_for(schoolleider).get(f"/programma/{program.pk}/").content.decode()
    assert meeting_url(program, pair, 2) in html


def _meeting(pair, number, *, status="planned", hours_ago=3):
    from django.utils import timezone

    from mentoring.meetings.models import Meeting

    start = timezone.now() - dt.timedelta(hours=hours_ago)
    meeting, _created = Meeting.objects.update_or_create(
        pair=pair,
        number=number,
        defaults={
            "status": status,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "mode": "online",
        },
    )
    return meeting


def test_recording_held_marks_the_planned_meeting_held(program, pair, mentor, client_for):
    meeting = _meeting(pair, 1)
    today = timezone.localdate().isoformat()
    r = client_for(mentor).post(
        meeting_url(program, pair, 1, "verslag/"), {"held": "yes", "held_on": today}
    )
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_recording_not_held_marks_meeting_not_held(program, pair, schoolleider, client_for):
    meeting = _meeting(pair, 1)
    client_for(schoolleider).post(meeting_url(program, pair, 1, "verslag/"), {"held": "no"})
    meeting.refresh_from_db()
    assert meeting.status == "not_held"


def test_a_planned_meeting_cannot_be_recorded_before_it_starts(program, pair, mentor):
    from django.core.exceptions import ValidationError

    meeting = _meeting(pair, 2, hours_ago=-48)
    try:
        meeting_record_save(pair=pair, number=2, by=mentor, held=True, held_on=DAY, themes=[])
    except ValidationError as exc:
        assert "nog niet begonnen" in " ".join(exc.messages)
    else:
        raise AssertionError("a planned meeting in the future was recorded as held")
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    assert not MeetingRecord.objects.filter(pair=pair, number=2, recorded_at__isnull=False)


def test_a_meeting_arranged_elsewhere_is_held_on_the_day_the_pair_gives(
    program, pair, mentor, schoolleider, client_for
):
    meeting_record_save(pair=pair, number=1, by=mentor, held=True, held_on=DAY, themes=[])
    meeting = Meeting.objects.get(pair=pair, number=1)
    assert meeting.status == "held" and meeting.outcome_marked_by == mentor
    assert timezone.localtime(meeting.starts_at).date() == DAY
    # The other side may correct it at once.
    meeting_record_save(pair=pair, number=1, by=schoolleider, held=False, held_on=None, themes=[])
    meeting.refresh_from_db()
    assert meeting.status == "not_held"


def test_not_held_leaves_an_unplanned_meeting_open_and_shows_the_answer(
    program, pair, mentor, client_for
):
    from mentoring.meetings.planning import meetings_create_for_pair

    meetings_create_for_pair(pair=pair)
    meeting_record_save(pair=pair, number=1, by=mentor, held=False, held_on=None, themes=[])
    assert Meeting.objects.get(pair=pair, number=1).status == "unplanned"
    html = client_for(mentor).get(meeting_url(program, pair, 1)).content.decode()
    assert "Niet doorgegaan" in html


def test_a_meeting_marked_held_in_the_meetings_app_shows_as_held(program, pair, mentor, client_for):
    _meeting(pair, 1, status="held")
    html = client_for(mentor).get(meeting_url(program, pair, 1)).content.decode()
    assert "Gehouden" in html and "Feedback geven" in html


def test_meeting_page_shows_planned_time(program, pair, mentor, client_for):
    _meeting(pair, 1)
    assert "Gepland op" in client_for(mentor).get(meeting_url(program, pair, 1)).content.decode()
