"""Webinar journeys in a real browser: register, switch, waitlist, withdraw, staff pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from people.enums import RoleKind
from tests.webinars.helpers import make_session, role_of
from webinars import services
from webinars.enums import RegistrationStatus
from webinars.models import Registration, WebinarSession

pytestmark = pytest.mark.browser


def _deliver():
    from notifications.delivery import deliver_pending

    deliver_pending()


def _card(page, session):
    return page.locator(f"[data-testid=session-{session.pk}]")


def test_mentor_registers_for_a_webinar_and_can_add_it_to_the_calendar(
    page, login, program, mentor
):
    session = make_session(program, title="Dinsdagavond", capacity=5)
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/")
    page.click("[data-testid=webinar-panel] >> text=Kies een webinar")
    page.wait_for_url(re.compile(r".*/webinars/$"))
    card = _card(page, session)
    assert "nog 5 plaatsen" in card.inner_text()
    card.locator("button", has_text="Aanmelden").click()
    page.wait_for_url(re.compile(r".*/webinars/aanmelding/\d+/$"))
    assert page.locator("text=U bent aangemeld").is_visible()
    reg = Registration.objects.get(user=mentor)
    assert reg.status == RegistrationStatus.CONFIRMED and reg.session == session

    with page.expect_download() as download_info:
        page.click("text=Toevoegen aan agenda (.ics)")
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    # "Add to calendar" publishes the same event as the invitation (same UID), no reply asked.
    assert b"METHOD:PUBLISH" in content and reg.uid.encode() in content

    _deliver()
    [msg] = [m for m in mail.outbox if m.to == [mentor.email]]
    assert any(name == "uitnodiging.ics" for name, *_ in msg.attachments)


def test_mentor_switches_to_another_session(page, login, program, mentor):
    first = make_session(program, title="Eerste sessie")
    second = make_session(
        program, title="Tweede sessie", starts_at=first.starts_at + dt.timedelta(days=2)
    )
    services.register(session=first, role=role_of(mentor, program, RoleKind.MENTOR))
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/webinars/")
    assert "Uw keuze" in _card(page, first).inner_text()
    _card(page, second).locator("button", has_text="Overstappen naar deze sessie").click()
    page.wait_for_url(re.compile(r".*/webinars/aanmelding/\d+/$"))
    assert page.locator("h2", has_text="Tweede sessie").is_visible()
    page.goto(f"/programma/{program.pk}/webinars/")
    assert "Uw keuze" in _card(page, second).inner_text()
    assert (
        Registration.objects.get(user=mentor, status=RegistrationStatus.CONFIRMED).session == second
    )
    assert (
        Registration.objects.get(user=mentor, session=first).status == RegistrationStatus.SWITCHED
    )


def test_full_session_shows_full_and_waitlist_gets_the_freed_place(
    page, login, program, mentor, other_mentor
):
    session = make_session(program, title="Populaire sessie", capacity=1)
    holder = services.register(
        session=session, role=role_of(other_mentor, program, RoleKind.MENTOR)
    )
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/webinars/")
    card = _card(page, session)
    assert "Vol" in card.inner_text()
    assert card.locator("button", has_text="Aanmelden").count() == 0
    card.locator("button", has_text="Op de wachtlijst").click()
    page.wait_for_url(re.compile(r".*/webinars/$"))
    assert page.locator("[data-testid=my-waitlist]").is_visible()
    assert "U staat op de wachtlijst" in _card(page, session).inner_text()

    # The holder withdraws: the first on the list gets the place, and an email.
    mail.outbox.clear()
    services.withdraw(registration=holder)
    _deliver()
    assert any(m.to == [mentor.email] and "vrijgekomen" in m.subject for m in mail.outbox)
    page.reload()
    assert "Uw keuze" in _card(page, session).inner_text()


def test_withdraw_link_asks_for_a_confirming_click(page, login, program, mentor):
    session = make_session(program, title="Sessie")
    reg = services.register(session=session, role=role_of(mentor, program, RoleKind.MENTOR))
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/webinars/aanmelding/{reg.pk}/afmelden/")
    reg.refresh_from_db()
    assert reg.is_confirmed  # opening the link changed nothing
    page.click("text=Ja, meld mij af")
    page.wait_for_url(re.compile(r".*/webinars/$"))
    assert page.locator("text=U bent afgemeld").is_visible()
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.WITHDRAWN


def test_someone_elses_registration_is_not_found(page, login, program, mentor, other_mentor):
    theirs = services.register(
        session=make_session(program), role=role_of(other_mentor, program, RoleKind.MENTOR)
    )
    login(mentor.email)
    response = page.goto(f"/programma/{program.pk}/webinars/aanmelding/{theirs.pk}/afmelden/")
    assert response.status == 404


def test_staff_schedules_a_session_and_records_attendance(
    page, login, program, staff, mentor, other_mentor
):
    program.matching_date = timezone.localdate() + dt.timedelta(days=30)
    program.save()
    login(staff.email)
    page.goto(f"/programma/{program.pk}/")
    page.click("text=Webinars >> nth=0")
    page.click("text=Nieuwe sessie")
    start = timezone.localtime(timezone.now() + dt.timedelta(days=20)).replace(hour=19, minute=30)
    page.fill("input[name=title]", "Extra sessie")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=meeting_url]", "https://teams.example.org/extra")
    page.fill("input[name=capacity]", "12")
    page.check("input[name=outside_window_ok]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/webinars/beheer/\d+/$"))
    session = WebinarSession.objects.get(title="Extra sessie")
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "19:30"
    assert session.duration_minutes == 90

    # Afterwards: one submit with a checkbox per person.
    a = services.register(session=session, role=role_of(mentor, program, RoleKind.MENTOR))
    b = services.register(session=session, role=role_of(other_mentor, program, RoleKind.MENTOR))
    WebinarSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1, minutes=30),
    )
    page.goto(f"/programma/{program.pk}/webinars/beheer/{session.pk}/aanwezigheid/")
    page.check(f"input[name=attended][value='{a.pk}']")
    page.click("text=Aanwezigheid opslaan")
    page.wait_for_url(re.compile(r".*/webinars/beheer/\d+/$"))
    assert page.locator("text=1 van 2 aanwezig").is_visible()
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.attended, b.attended) == (True, False)
    page.goto(f"/programma/{program.pk}/webinars/beheer/niet-bijgewoond/")
    assert page.locator(f"td:text-is('{other_mentor.email}')").is_visible()
    assert page.locator(f"td:text-is('{mentor.email}')").count() == 0
