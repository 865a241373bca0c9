import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from mentoring.guides.models import (
    Action,
    Feedback,
    MeetingNote,
    MeetingRecord,
    ProgramAnonymisation,
)
from mentoring.guides.privacy import anonymise_program, enforce_retention, erase_user
from mentoring.guides.report import build_report
from mentoring.guides.services import action_add, feedback_submit, meeting_record_save
from people.models import MentorProfile, User
from tests import factories as f

DAY = dt.date(2026, 11, 20)
AFTER = dt.date(2027, 4, 15)  # after the program's meeting period (ends 2027-03-31)


@pytest.fixture
def activity(program, pair, mentor, schoolleider):
    meeting_record_save(
        pair=pair,
        number=1,
        by=mentor,
        held=True,
        held_on=DAY,
        themes=["overtuiging"],
        note="MIJN-NOTITIE",
    )
    meeting_record_save(
        pair=pair,
        number=1,
        by=schoolleider,
        held=True,
        held_on=DAY,
        themes=["overtuiging"],
        note="NOTITIE-VAN-LEIDER",
    )
    action_add(pair=pair, number=1, by=mentor, description="AFSPRAAK-1", owner="both", due_on=None)
    feedback_submit(
        program=program,
        kind="meeting",
        side="mentor",
        respondent=mentor,
        pair=pair,
        number=1,
        usefulness=4,
        helped="HIELP-TEKST",
        share_name=True,
    )
    return pair


def test_download_my_data(program, activity, mentor, client_for):
    r = client_for(mentor).get("/mijn-gegevens/download.json")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    data = json.loads(r.content)
    assert data["account"]["email"] == mentor.email
    assert data["roles"][0]["profile"]["organisation"] == "Bakkerij Verbeter BV"
    assert data["pairs"][0]["side"] == "mentor"
    assert data["meeting_records"][0]["held"] is True
    assert [n["text"] for n in data["notes"]] == ["MIJN-NOTITIE"]
    assert data["actions"][0]["description"] == "AFSPRAAK-1"
    assert data["feedback"][0]["helped"] == "HIELP-TEKST"
    assert "NOTITIE-VAN-LEIDER" not in r.content.decode()  # the other person's words
    assert "password" not in r.content.decode()
    for section in ("meetings", "webinars", "notifications", "matching"):
        assert section in data, section


def test_my_data_has_nothing_of_other_pairs(
    program, activity, other_pair, other_mentor, client_for
):
    body = client_for(other_mentor).get("/mijn-gegevens/download.json").content.decode()
    for secret in ("MIJN-NOTITIE", "NOTITIE-VAN-LEIDER", "AFSPRAAK-1", "HIELP-TEKST"):
        assert secret not in body


def test_my_data_requires_login(client):
    assert client.get("/mijn-gegevens/download.json").status_code == 302
    assert client.get("/mijn-gegevens/").status_code == 302


def test_erase_account_through_page(program, activity, mentor, client_for):
    c = client_for(mentor)
    r = c.post("/mijn-gegevens/verwijderen/", {"confirm": "verkeerd@example.org"})
    assert r.status_code == 400 and "Dit is niet het e-mailadres" in r.content.decode()
    r = c.post("/mijn-gegevens/verwijderen/", {"confirm": mentor.email})
    assert r.status_code == 302
    mentor.refresh_from_db()
    assert not mentor.is_active and mentor.email.endswith(".invalid") and not mentor.first_name
    assert not mentor.has_usable_password()
    assert MentorProfile.objects.get(role__user=mentor).organisation == ""
    assert not MeetingNote.objects.filter(author=mentor).exists()
    assert MeetingNote.objects.filter(body="NOTITIE-VAN-LEIDER").exists()  # the other side's own
    assert not Action.objects.exists()
    fb = Feedback.objects.get()
    assert fb.respondent is None and fb.helped == "" and fb.usefulness == 4  # the count stays
    assert MeetingRecord.objects.get(pair=activity, number=1).action_count == 1


def test_staff_account_is_not_erased_by_self_service(foundation_staff):
    with pytest.raises(ValidationError):
        erase_user(user=foundation_staff)


def test_anonymise_refuses_running_program(program, activity):
    with pytest.raises(ValidationError):
        anonymise_program(program=program, today=DAY)


def test_anonymise_program_keeps_counts(program, activity, staff, mentor, schoolleider):
    before = build_report(program)
    counts = anonymise_program(program=program, by=staff, today=AFTER)
    assert counts["notes_deleted"] == 2 and counts["actions_deleted"] == 1
    assert counts["people_erased"] == 2
    after = build_report(program)
    assert after.meetings_held == before.meetings_held
    assert after.themes == before.themes
    assert after.status_counts == before.status_counts
    assert [r["cells"] for r in after.feedback_rows] == [r["cells"] for r in before.feedback_rows]
    assert not User.objects.filter(email__in=[mentor.email, schoolleider.email]).exists()
    assert not Feedback.objects.exclude(helped="").exists()
    with pytest.raises(ValidationError):
        anonymise_program(program=program, by=staff, today=AFTER)


def test_anonymise_keeps_people_active_in_another_year(program, activity, mentor):
    later = f.make_program(school_year="2027-2028")
    f.make_role(mentor, later, "mentor")
    anonymise_program(program=program, today=AFTER)
    mentor.refresh_from_db()
    assert mentor.is_active and mentor.email == "mentor@bedrijf.example"
    assert MentorProfile.objects.get(role__user=mentor, role__program=program).organisation == ""


def test_staff_anonymise_page(program, staff, client_for, mentor):
    c = client_for(staff)
    html = c.get(f"/programma/{program.pk}/staf/privacy/").content.decode()
    assert "loopt nog" in html or "Anonimiseren" in html
    program.meetings_end = dt.date(2020, 1, 1)
    program.meetings_start = dt.date(2019, 11, 1)
    program.save()
    r = c.post(f"/programma/{program.pk}/staf/privacy/", {})
    assert not ProgramAnonymisation.objects.exists()
    r = c.post(f"/programma/{program.pk}/staf/privacy/", {"confirm": "ja"})
    assert r.status_code == 302
    assert ProgramAnonymisation.objects.filter(program=program).exists()


def test_anonymise_page_is_staff_only(program, mentor, client_for):
    assert (
        client_for(mentor)
        .post(f"/programma/{program.pk}/staf/privacy/", {"confirm": "ja"})
        .status_code
        == 403
    )
    assert not ProgramAnonymisation.objects.exists()


def test_retention_deletes_notes_after_a_year_and_anonymises_after_two(program, activity):
    summary = enforce_retention(today=dt.date(2027, 6, 1))
    assert summary == {"notes": 0, "actions": 0, "programs_anonymised": 0}
    summary = enforce_retention(today=dt.date(2028, 4, 2))
    assert summary["notes"] == 2 and summary["actions"] == 1 and summary["programs_anonymised"] == 0
    assert MeetingRecord.objects.get(pair=activity, number=1).action_count == 1
    summary = enforce_retention(today=dt.date(2029, 4, 2))
    assert summary["programs_anonymised"] == 1
    assert ProgramAnonymisation.objects.filter(program=program).exists()


def test_enforce_retention_command_runs(program, capsys):
    call_command("run_periodic", "--job", "guides.retention")
    assert "guides.retention: ok {'notes': 0, 'actions': 0" in capsys.readouterr().out


def test_my_data_gathers_webinars_meetings_and_notifications(program, pair, mentor, client_for):
    from django.utils import timezone

    from mentoring.meetings.models import Meeting
    from notifications.models import Notification
    from people.models import Role
    from webinars.models import Registration, WebinarSession

    start = timezone.now() - dt.timedelta(days=3)
    session = WebinarSession.objects.create(
        program=program,
        title="Webinar oktober",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        meeting_url="https://example.org/w",
        capacity=50,
    )
    Registration.objects.create(
        session=session,
        program=program,
        user=mentor,
        role=Role.objects.get(user=mentor, program=program),
        status="confirmed",
        attended=True,
    )
    Meeting.objects.update_or_create(
        pair=pair,
        number=1,
        defaults={
            "status": "planned",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "mode": "online",
        },
    )
    Notification.objects.create(
        kind="test",
        recipient=mentor,
        to_email=mentor.email,
        subject="Uw gesprek staat gepland",
        body_text="tekst",
    )
    data = client_for(mentor).get("/mijn-gegevens/download.json").json()
    assert data["webinars"]["registrations"][0]["attended"] is True
    assert data["webinars"]["registrations"][0]["session"] == "Webinar oktober"
    assert data["meetings"]["meetings"][0]["number"] == 1
    assert data["notifications"]["emails"][0]["subject"] == "Uw gesprek staat gepland"
    body = json.dumps(data)
    assert '"token"' not in body and "uid" in body  # secrets left out, plain ids kept


def test_erase_blanks_notifications_sent_to_me(program, mentor):
    from notifications.models import Notification

    Notification.objects.create(
        kind="test",
        recipient=mentor,
        to_email=mentor.email,
        subject="Persoonlijk onderwerp",
        body_text="Beste Fatima",
    )
    erase_user(user=mentor)
    n = Notification.objects.get()
    assert n.to_email.endswith(".invalid") and n.subject == "" and n.body_text == ""


def test_home_links_to_my_data(program, mentor, client_for):
    assert "/mijn-gegevens/" in client_for(mentor).get(f"/programma/{program.pk}/").content.decode()
