import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from mentoring.guides.report import build_report
from mentoring.guides.services import action_add, feedback_submit, meeting_record_save
from tests import factories as f
from tests.factories import make_pair

SECRET_NOTE = "NOTITIE-ZEER-PRIVE"
SECRET_ACTION = "ACTIE-ZEER-PRIVE"


def _fill(program, pair, mentor, schoolleider, n_meetings=2):
    for n in range(1, n_meetings + 1):
        meeting_record_save(
            pair=pair,
            number=n,
            by=mentor,
            held=True,
            held_on=dt.date(2026, 11, 15 + 3 * n),
            themes=["overtuiging", "facilitering"] if n == 1 else ["vaardigheden"],
            note=SECRET_NOTE,
        )
        action_add(
            pair=pair,
            number=n,
            by=schoolleider,
            description=SECRET_ACTION,
            owner="both",
            due_on=None,
        )
    feedback_submit(
        program=program,
        kind="meeting",
        side="mentor",
        respondent=mentor,
        pair=pair,
        number=1,
        usefulness=4,
        helped="FEEDBACK-TEKST",
    )
    feedback_submit(
        program=program,
        kind="meeting",
        side="schoolleider",
        respondent=schoolleider,
        pair=pair,
        number=1,
        usefulness=2,
    )


def test_report_figures(program, pair, mentor, schoolleider):
    _fill(program, pair, mentor, schoolleider)
    ended = make_pair(program, f.make_mentor(program), f.make_schoolleider(program), status="ended")
    # a re-match: the ended pair's schoolleider gets a new mentor later
    make_pair(
        program,
        f.make_mentor(program),
        ended.schoolleider.user,
        published_at=ended.published_at + dt.timedelta(days=5),
    )
    report = build_report(program)
    assert dict(report.status_counts) == {"Actief": 2, "Beëindigd": 1}
    assert report.dropouts == 1 and report.rematches == 1
    assert report.meetings_held == 2
    assert (
        report.meetings_target == 2 * 3
    )  # three schoolleiders... one re-matched: 2 distinct people
    months = {m["month"]: m["held"] for m in report.months}
    assert months[dt.date(2026, 11, 1)] == 2 and months[dt.date(2026, 12, 1)] == 0
    assert [m["month"].month for m in report.months] == [11, 12, 1, 2, 3]
    assert report.months[-1]["cum_target"] == 6 and report.months[-1]["cum_held"] == 2
    assert dict(report.themes) == {"Overtuiging": 1, "Facilitering": 1, "Vaardigheden": 1}
    region_rows = [r for r in report.feedback_rows if not r.get("total")]
    assert region_rows[0]["cells"][0] == {"avg": 3.0, "n": 2}
    assert "<svg" in report.charts["months"]
    assert "Gesprek 1: 3,0" in report.charts["feedback"]


def test_report_page_never_shows_notes_or_actions(
    program, pair, staff, mentor, schoolleider, client_for
):
    _fill(program, pair, mentor, schoolleider)
    c = client_for(staff)
    html = c.get(f"/programma/{program.pk}/staf/rapport/").content.decode()
    assert "Gesprekken per maand" in html and "<table" in html and "<svg" in html
    assert SECRET_NOTE not in html and SECRET_ACTION not in html


def test_csv_exports_have_status_but_no_private_content(
    program, pair, staff, mentor, schoolleider, client_for
):
    _fill(program, pair, mentor, schoolleider)
    c = client_for(staff)
    for table in ("koppels", "status", "maanden", "themas", "feedback"):
        r = c.get(f"/programma/{program.pk}/staf/rapport/export.csv?tabel={table}")
        assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
        body = r.content.decode("utf-8-sig")
        assert (
            SECRET_NOTE not in body and SECRET_ACTION not in body and "FEEDBACK-TEKST" not in body
        )
    rows = list(
        csv.reader(
            io.StringIO(
                c.get(
                    f"/programma/{program.pk}/staf/rapport/export.csv?tabel=koppels"
                ).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[1][6] == "2" and rows[1][8] == "2"  # meetings held, number of actions
    assert c.get(f"/programma/{program.pk}/staf/rapport/export.csv?tabel=onzin").status_code == 404


def test_xlsx_export_has_all_sheets_without_private_content(
    program, pair, staff, mentor, schoolleider, client_for
):
    _fill(program, pair, mentor, schoolleider)
    r = client_for(staff).get(f"/programma/{program.pk}/staf/rapport/export.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["koppels", "status", "maanden", "themas", "feedback"]
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    assert SECRET_NOTE not in text and SECRET_ACTION not in text and "FEEDBACK-TEKST" not in text


def test_csv_neutralises_formulas(program, staff, client_for, guides):
    evil = f.make_mentor(program)
    evil.first_name = "=HYPERLINK(1)"
    evil.save()
    make_pair(program, evil, f.make_schoolleider(program))
    body = (
        client_for(staff)
        .get(f"/programma/{program.pk}/staf/rapport/export.csv?tabel=koppels")
        .content.decode("utf-8-sig")
    )
    assert ";'=HYPERLINK(1)" in body


@pytest.mark.parametrize(
    "url", ["staf/rapport/", "staf/rapport/export.csv", "staf/rapport/export.xlsx"]
)
def test_report_is_staff_only(program, mentor, schoolleider, url, client_for):
    assert client_for(mentor).get(f"/programma/{program.pk}/{url}").status_code == 403
    assert client_for(schoolleider).get(f"/programma/{program.pk}/{url}").status_code == 403


def test_report_query_count_is_constant(
    program, staff, mentor, schoolleider, pair, client_for, django_assert_max_num_queries
):
    c = client_for(staff)
    url = f"/programma/{program.pk}/staf/rapport/"
    _fill(program, pair, mentor, schoolleider, n_meetings=1)
    c.get(url)
    with django_assert_max_num_queries(25) as one:
        c.get(url)
    for _ in range(4):
        m, s = f.make_mentor(program), f.make_schoolleider(program)
        p = make_pair(program, m, s)
        _fill(program, p, m, s, n_meetings=3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        c.get(url)


def test_admin_shows_no_notes_actions_or_feedback_text(
    program, pair, mentor, schoolleider, client, foundation_staff
):
    from django.contrib import admin

    from mentoring.guides.models import Action, MeetingNote, MeetingRecord

    foundation_staff.is_superuser = True
    foundation_staff.save()
    assert MeetingNote not in admin.site._registry
    assert Action not in admin.site._registry
    _fill(program, pair, mentor, schoolleider)
    client.force_login(foundation_staff, backend="django.contrib.auth.backends.ModelBackend")
    record = MeetingRecord.objects.get(pair=pair, number=1)
    from mentoring.guides.models import Feedback

    fb = Feedback.objects.first()
    for url in (
        "/admin/guides/meetingrecord/",
        f"/admin/guides/meetingrecord/{record.pk}/change/",
        "/admin/guides/feedback/",
        f"/admin/guides/feedback/{fb.pk}/change/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        assert (
            SECRET_NOTE not in body and SECRET_ACTION not in body and "FEEDBACK-TEKST" not in body
        )
    assert client.get("/admin/guides/meetingnote/").status_code == 404
    assert client.get("/admin/guides/action/").status_code == 404


def test_report_counts_webinar_attendance(program, mentor, other_mentor, staff, client_for):
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
    for user, attended in ((mentor, True), (other_mentor, False)):
        Registration.objects.create(
            session=session,
            program=program,
            user=user,
            role=Role.objects.get(user=user, program=program),
            status="confirmed",
            attended=attended,
        )
    report = build_report(program)
    assert report.webinars == {"registered": 2, "attended": 1}
    html = client_for(staff).get(f"/programma/{program.pk}/staf/rapport/").content.decode()
    assert "1 van de 2 aangemelde deelnemers waren aanwezig." in html


def test_pair_progress_page_shows_status_not_content(
    program, pair, staff, mentor, schoolleider, client_for, django_assert_max_num_queries
):
    _fill(program, pair, mentor, schoolleider, n_meetings=1)
    c = client_for(staff)
    url = f"/programma/{program.pk}/staf/rapport/koppels/"
    html = c.get(url).content.decode()
    assert "gehouden" in html and "Overtuiging" in html and "1 afspraak" in html
    assert SECRET_NOTE not in html and SECRET_ACTION not in html
    with django_assert_max_num_queries(20) as one:
        c.get(url)
    for _ in range(3):
        m, s = f.make_mentor(program), f.make_schoolleider(program)
        _fill(program, make_pair(program, m, s), m, s, n_meetings=2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        c.get(url)
    assert client_for(mentor).get(url).status_code == 403


def test_report_shows_meetings_planned_per_month(program, pair):
    from mentoring.meetings.models import Meeting

    start = dt.datetime(2026, 12, 10, 14, 0, tzinfo=dt.UTC)
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
    Meeting.objects.update_or_create(pair=pair, number=2, defaults={"status": "cancelled"})
    months = {m["month"]: m["planned"] for m in build_report(program).months}
    assert months[dt.date(2026, 12, 1)] == 1 and months[dt.date(2026, 11, 1)] == 0
