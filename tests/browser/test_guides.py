"""Journeys of the guides app: prepare with the guide, record a meeting, give feedback,
read the report, export it, download my data."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from mentoring.guides.models import Feedback, MeetingRecord
from mentoring.guides.services import feedback_submit, guides_seed, meeting_record_save
from mentoring.meetings.enums import MeetingStatus
from mentoring.meetings.models import Meeting
from mentoring.pairs.models import Pair
from people.enums import RoleKind
from people.models import Role
from programs.enums import ProgramKind
from tests import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def setup():
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    guides_seed(program=program)
    mentor = f.make_mentor(program, email="mentor@bedrijf.example")
    leader = f.make_schoolleider(program, email="leider@school.example")
    pair = Pair.objects.create(
        program=program,
        mentor=Role.objects.get(user=mentor, kind=RoleKind.MENTOR),
        schoolleider=Role.objects.get(user=leader, kind=RoleKind.SCHOOLLEIDER),
        school=leader.roles.get().schoolleider_profile.school,
        published_at=timezone.now() - dt.timedelta(days=20),
    )
    staff = f.make_staff(program, "staf@leerkracht.example")
    return program, pair, mentor, leader, staff


def test_mentor_prepares_records_and_gives_feedback(page, login, setup):
    program, pair, mentor, leader, _staff = setup
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/koppel/{pair.pk}/gesprek/1/")
    assert page.locator("h2:has-text('Doel van het gesprek')").is_visible()
    assert page.locator("text=Kennismaken en de ambitie scherp krijgen").first.is_visible()

    # Prepare: tick two checklist items.
    boxes = page.locator("ul.checklist input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("text=Voorbereiding opslaan")
    page.wait_for_load_state()
    assert page.locator("text=Uw voorbereiding is opgeslagen.").is_visible()
    assert page.locator("ul.checklist input[type=checkbox]").nth(1).is_checked()

    # An action for the next meeting.
    page.fill("input[name=description]", "Rooster doorlopen met het MT")
    page.select_option("select[name=owner]", "schoolleider")
    page.click("text=Afspraak toevoegen")
    page.wait_for_load_state()
    assert page.locator("text=Rooster doorlopen met het MT").is_visible()

    # Record without a date: a Dutch error, then with a date.
    page.check("input[name=held][value=yes]")
    page.click("text=Gesprek vastleggen")
    assert page.locator("text=Vul de datum van het gesprek in.").is_visible()
    page.check("input[name=held][value=yes]")
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.check("input[name=themes][value=overtuiging]")
    page.fill("textarea[name=note]", "Ambitie: alle teams wekelijks een bordsessie.")
    page.click("text=Gesprek vastleggen")
    page.wait_for_load_state()
    assert page.locator("text=Het gesprek is vastgelegd.").is_visible()
    record = MeetingRecord.objects.get(pair=pair, number=1)
    assert record.themes == ["overtuiging"] and record.prep_mentor_done == [0, 1]
    assert Meeting.objects.get(pair=pair, number=1).status == MeetingStatus.HELD

    # Feedback.
    page.click("text=Feedback geven")
    page.check("input[name=usefulness][value='4']")
    page.fill("textarea[name=helped]", "De vragen over voorbeeldgedrag")
    page.click("text=Versturen")
    page.wait_for_load_state()
    assert page.locator("text=Dank u wel voor uw feedback!").is_visible()
    assert Feedback.objects.get().usefulness == 4

    # The carried-over action shows on meeting 2.
    page.goto(f"/programma/{program.pk}/koppel/{pair.pk}/gesprek/2/")
    assert page.locator("text=Openstaand uit eerdere gesprekken").is_visible()


def test_staff_reads_report_and_exports(page, login, setup):
    program, pair, mentor, leader, staff = setup
    meeting_record_save(
        pair=pair,
        number=1,
        by=mentor,
        held=True,
        held_on=dt.date(2026, 11, 20),
        themes=["facilitering"],
        note="GEHEIME-NOTITIE",
    )
    feedback_submit(
        program=program,
        kind="meeting",
        side="schoolleider",
        respondent=leader,
        pair=pair,
        number=1,
        usefulness=5,
    )
    login(staff.email)
    page.goto(f"/programma/{program.pk}/staf/rapport/")
    assert page.locator("h1:has-text('Rapportage')").is_visible()
    assert page.locator("svg.chart").first.is_visible()
    assert page.locator("td:has-text('Facilitering')").is_visible()
    assert "GEHEIME-NOTITIE" not in page.content()
    with page.expect_download() as download:
        page.click("text=Koppels als CSV")
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "GEHEIME-NOTITIE" not in body and mentor.full_name in body
    with page.expect_download() as download:
        page.click("text=Alles als Excel (XLSX)")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"


def test_person_downloads_own_data(page, login, setup):
    program, pair, mentor, leader, _staff = setup
    meeting_record_save(
        pair=pair,
        number=1,
        by=leader,
        held=True,
        held_on=dt.date(2026, 11, 20),
        themes=[],
        note="Mijn eigen notitie",
    )
    login(leader.email)
    page.goto("/mijn-gegevens/")
    with page.expect_download() as download:
        page.click("text=Mijn gegevens downloaden")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == leader.email
    assert data["notes"][0]["text"] == "Mijn eigen notitie"


def test_staff_publishes_a_new_guide_version(page, login, setup):
    program, pair, mentor, leader, staff = setup
    login(staff.email)
    page.goto(f"/programma/{program.pk}/handvatten/")
    page.click("text=Ruimte maken: tijd in het rooster en bewaken")
    page.click("text=Bewerken")
    page.fill("input[name=title]", "Ruimte maken (herzien)")
    page.click("text=Concept opslaan")
    page.wait_for_url(re.compile(r".*versie=2$"))
    page.click("text=Versie 2 publiceren")
    page.wait_for_load_state()
    assert page.locator("text=Versie 2 is gepubliceerd.").is_visible()
