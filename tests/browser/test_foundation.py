"""Journeys of the foundation: a mentor signs up and is approved; staff and roles see their homes."""

from __future__ import annotations

import re

from django.core import mail

from people.enums import MentorStatus
from people.models import MentorProfile
from programs.enums import ProgramKind
from tests import factories as f


def _deliver():
    from notifications.delivery import deliver_pending

    deliver_pending()


def _link_in_last_mail(to: str, pattern: str) -> str:
    _deliver()
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(pattern, message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no mail to {to} with {pattern}: {[m.subject for m in mail.outbox]}")


def test_mentor_signs_up_verifies_fills_profile_and_staff_approves(page, live_server, login):
    program = f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    staff = f.make_staff(program, "staf@leerkracht.example")

    page.goto("/")
    page.click("text=Word mentor")
    page.click("text=Account aanmaken")
    page.fill("input[name=email]", "nieuwe.mentor@bedrijf.example")
    page.fill("input[name=password1]", "Sterk-wachtwoord-2026")
    page.fill("input[name=password2]", "Sterk-wachtwoord-2026")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    link = _link_in_last_mail(
        "nieuwe.mentor@bedrijf.example", r"https?://\S+/accounts/confirm-email/\S+"
    )
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/mentor/profiel/$"))

    # A wrong postcode is refused with a Dutch message, and nothing is lost.
    page.fill("input[name=first_name]", "Fatima")
    page.fill("input[name=last_name]", "El Amrani")
    page.fill("input[name=organisation]", "Zorgverzekeraar Midden")
    page.fill("input[name=job_title]", "Teamleider klantcontact")
    page.check("input[name=methods][value=lean]")
    page.fill("input[name=postcode]", "0000 AA")
    page.fill("input[name=max_travel_km]", "35")
    page.fill("textarea[name=introduction]", "Ik werk tien jaar met dagstarts en verbeterborden.")
    page.click("form.card button[type=submit]")
    assert page.locator("text=geen geldige Nederlandse postcode").is_visible()
    assert page.input_value("input[name=organisation]") == "Zorgverzekeraar Midden"
    page.fill("input[name=postcode]", "3511 AB")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/programma/\d+/$"))
    assert page.locator("text=Wacht op goedkeuring").first.is_visible()

    profile = MentorProfile.objects.get(role__user__email="nieuwe.mentor@bedrijf.example")
    assert profile.status == MentorStatus.PENDING and profile.pc4 == "3511"

    # Staff approves in another session.
    page.context.clear_cookies()
    login(staff.email)
    page.goto(f"/programma/{program.pk}/staf/mentoren/")
    page.click("text=Bekijken")
    page.check("input[name=decision][value=approve]")
    page.click("form button.primary")
    page.wait_for_url(re.compile(r".*/staf/mentoren/\?status=pending$"))
    assert page.locator("text=is goedgekeurd").is_visible()
    profile.refresh_from_db()
    assert profile.status == MentorStatus.APPROVED
    _deliver()
    assert any(
        "nieuwe.mentor@bedrijf.example" in m.to and "goedgekeurd" in m.subject.lower()
        for m in mail.outbox
    )


def test_each_role_lands_on_its_home(page, login):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    mentor = f.make_mentor(program, email="m@bedrijf.example")
    leider = f.make_schoolleider(program, email="s@school.example")
    login(mentor.email)
    assert page.locator("h2:has-text('Uw mentorprofiel')").is_visible()
    page.context.clear_cookies()
    login(leider.email)
    assert page.locator("h2:has-text('Uw school')").is_visible()
