"""Journeys a real user walks that no other browser test covers (issue 12).

Staff setting up two factors and signing in with them; staff finding people and mails;
a pair that ends and a new match; the expertcoach program from round to schoolcoach; the
interest list while registration is closed; switching language and keeping it.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core import mail
from django.core.cache import cache

from matching import services as matching_services
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import CoachAssignment, Pair
from notifications.delivery import deliver_pending
from people.enums import MentorStatus
from people.models import InterestSignup, MentorProfile, User
from programs.enums import ProgramKind
from tests import factories as f
from tests.matching.matching_helpers import make_round, solve

pytestmark = pytest.mark.browser


def _name(user: User, first: str, last: str) -> User:
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _totp_now(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def _enter_codes(page, secret: str) -> None:
    """A wrong code is refused with a message; the authenticator's current code is accepted."""
    page.fill("input[name=code]", "000000")
    page.click("main form button[type=submit]")
    assert page.locator(".errorlist, .error-summary, [role=alert]").first.is_visible()
    assert page.locator("input[name=code]").is_visible()  # still on the code step
    page.fill("input[name=code]", _totp_now(secret))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_staff_sets_up_two_factors_and_needs_them_at_the_next_login(page, login, settings):
    settings.STAFF_REQUIRE_MFA = True
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    f.make_staff(program, "staf@leerkracht.example")
    login("staf@leerkracht.example")
    # Without a second factor no staff page opens: the way leads to the authenticator.
    page.goto(f"/programma/{program.pk}/staf/mentoren/")
    assert page.locator("text=Stel eerst tweestapsverificatie in").is_visible()
    if "/reauthenticate/" in page.url:  # allauth asks for the password once more
        page.fill("input[name=password]", "geheim-wachtwoord-123")
        page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/"))
    secret = page.input_value("#authenticator_secret")
    assert len(secret) >= 16
    _enter_codes(page, secret)
    page.goto(f"/programma/{program.pk}/staf/mentoren/")
    assert page.locator("h1:has-text('Mentoren')").is_visible()

    # Next time the password alone is not enough.
    page.context.clear_cookies()
    cache.clear()  # a code is accepted once; the next login uses a fresh window's code
    login("staf@leerkracht.example")
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/"))
    _enter_codes(page, secret)
    page.goto(f"/programma/{program.pk}/staf/mentoren/")
    assert page.locator("h1:has-text('Mentoren')").is_visible()


def test_staff_find_a_mentor_by_full_name_approve_several_and_find_the_mails(page, login):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    f.make_staff(program, "staf@leerkracht.example")
    pieter = _name(
        f.make_mentor(program, email="p.dekker@bedrijf.example", status=MentorStatus.PENDING),
        "Pieter",
        "Dekker",
    )
    marieke = _name(
        f.make_mentor(program, email="m.jansen@bedrijf.example", status=MentorStatus.PENDING),
        "Marieke",
        "Jansen",
    )
    _name(f.make_mentor(program, status=MentorStatus.PENDING), "Sanne", "Visser")

    login("staf@leerkracht.example")
    page.goto(f"/programma/{program.pk}/staf/mentoren/?status=pending")
    page.fill("input[name=q]", "Pieter Dekker")
    page.click("form.filters button[type=submit]")
    rows = page.locator("main tbody tr")
    assert rows.count() == 1 and "Pieter Dekker" in rows.first.inner_text()

    # Two at once: all or nothing, the third stays pending.
    page.fill("input[name=q]", "")
    page.click("form.filters button[type=submit]")
    page.check("input[aria-label='Pieter Dekker kiezen']")
    page.check("input[aria-label='Marieke Jansen kiezen']")
    page.click("button:has-text('Gekozen mentoren goedkeuren')")
    page.wait_for_load_state()
    assert "2 mentoren zijn goedgekeurd" in page.locator(".messages").first.inner_text()
    statuses = dict(
        MentorProfile.objects.filter(role__program=program).values_list(
            "role__user__first_name", "status"
        )
    )
    assert statuses == {
        "Pieter": MentorStatus.APPROVED,
        "Marieke": MentorStatus.APPROVED,
        "Sanne": MentorStatus.PENDING,
    }
    deliver_pending()
    assert {m.to[0] for m in mail.outbox} == {pieter.email, marieke.email}

    # The outbox: every kind in Dutch, a search by the recipient's first name.
    page.goto(f"/programma/{program.pk}/staf/berichten/?status=all")
    options = page.locator("select[name=kind] option").all_inner_texts()
    assert options and not any("_" in o for o in options), options
    page.fill("input[type=search][name=q]", "Marieke")
    page.locator("input[type=search][name=q]").press("Enter")
    page.wait_for_load_state()
    body = page.locator("main tbody").inner_text()
    assert marieke.email in body and pieter.email not in body
    page.locator("main tbody tr").first.locator("a:has-text('Bekijken')").click()
    page.wait_for_load_state()
    assert page.locator(f"text={marieke.email}").first.is_visible()


def test_a_schoolleider_ends_the_pair_and_staff_match_again_in_one_click(page, login):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    staff = f.make_staff(program, "staf@leerkracht.example")
    _name(f.make_mentor(program, email="eerste@bedrijf.example"), "Ellen", "Eerste")
    leider = f.make_schoolleider(program, email="leider@school.example")
    rnd = make_round(program, staff)
    matching_services.round_publish(rnd=rnd, solution=solve(rnd, staff), user=staff)
    assert Pair.objects.filter(schoolleider__user=leider, status=PairStatus.ACTIVE).exists()
    spare = _name(f.make_mentor(program, email="reserve@bedrijf.example"), "Rik", "Reserve")

    login("leider@school.example")
    page.goto(f"/programma/{program.pk}/koppel/")
    page.click("text=Koppel beëindigen of een nieuwe match vragen")
    page.fill("textarea[name=reason]", "We vinden geen tijd die past.")
    page.check("input[name=rematch]")
    page.check("input[name=confirm]")
    page.click("main form button.danger")
    assert page.locator("text=De programmastaf zoekt een nieuwe match").is_visible()

    page.context.clear_cookies()
    login("staf@leerkracht.example")
    page.goto(f"/programma/{program.pk}/staf/herkoppelen/")
    waiting = page.locator("main tbody tr", has_text=str(leider))
    assert "vraagt nieuwe match" in waiting.inner_text()
    waiting.locator("text=Nieuwe match zoeken").click()
    first = page.locator("main tbody tr").first
    assert "Rik Reserve" in first.inner_text()
    assert "Ellen Eerste" not in page.locator("main tbody").inner_text()
    first.locator("button:has-text('Koppelen')").click()
    assert page.locator("text=Het nieuwe koppel is gemaakt").is_visible()

    new = Pair.objects.get(schoolleider__user=leider, status=PairStatus.ACTIVE)
    assert new.mentor.user == spare
    page.context.clear_cookies()
    login("leider@school.example")
    page.goto(f"/programma/{program.pk}/")
    assert "Rik Reserve" in page.locator("section", has=page.locator("#mm-h")).inner_text()


def test_the_expertcoach_program_from_round_to_schoolcoach(page, login):
    program = f.make_program(ProgramKind.COACH_SCHOOL)
    f.make_staff(program, "staf@leerkracht.example")
    coach = _name(
        f.make_expertcoach(program, email="coach@leerkracht.example", capacity=2), "Eva", "Coach"
    )
    school = f.make_school(
        program=program, name="OBS De Klimop", street="Dorpsweg", house_number="3"
    )
    f.make_schoolleider(program, school=school, email="leider@klimop.example")

    login("staf@leerkracht.example")
    page.goto(f"/programma/{program.pk}/")
    page.click("text=Matching")
    page.fill("input[name=name]", "Indeling expertcoaches")
    page.click("main button[type=submit]:has-text('Ronde aanmaken')")
    page.click("button:has-text('Berekenen')")
    page.wait_for_selector("text=Oplossing 1")
    page.click("text=Publiceren…")
    page.check("input[name=confirm]")
    page.click("button:has-text('Ja, publiceren')")
    page.wait_for_selector("text=gepubliceerd")
    assignment = CoachAssignment.objects.get(program=program)
    assert assignment.coach.user == coach and assignment.school == school

    # The schoolleider sees the coach and names a schoolcoach (a wrong phone first).
    page.context.clear_cookies()
    login("leider@klimop.example")
    page.goto(f"/programma/{program.pk}/")
    mine = page.locator("section", has=page.locator("#ec-mine-h"))
    assert "Eva Coach" in mine.inner_text() and "coach@leerkracht.example" in mine.inner_text()
    page.click("text=Schoolcoaches beheren")
    page.fill("input[name=name]", "Fatima el Amrani")
    page.fill("input[name=phone]", "bel me")
    page.click("main form button:has-text('Toevoegen')")
    assert page.locator("text=Schrijf het telefoonnummer").is_visible()
    assert page.input_value("input[name=name]") == "Fatima el Amrani"
    page.fill("input[name=phone]", "06 1234 5678")
    page.click("main form button:has-text('Toevoegen')")
    page.wait_for_load_state()
    assert page.locator("main li, main td", has_text="Fatima el Amrani").first.is_visible()

    # The coach sees the school, its address and both contacts, and downloads the list.
    page.context.clear_cookies()
    login("coach@leerkracht.example")
    page.goto(f"/programma/{program.pk}/")
    page.click("text=Scholen en contactpersonen")
    main = page.locator("main").inner_text()
    assert "OBS De Klimop" in main and "Dorpsweg 3" in main and "Fatima el Amrani" in main
    with page.expect_download() as download_info:
        page.click("text=Download (CSV)")
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "OBS De Klimop"
    assert any("Fatima el Amrani" in row for row in rows)


def test_while_registration_is_closed_a_visitor_joins_the_interest_list(page, live_server):
    f.make_program(ProgramKind.MENTOR_LEADER, registration_open=False)
    page.goto("/accounts/signup/")
    assert page.locator("text=Een account aanmaken kan nu niet").is_visible()
    page.click("text=Wat houdt het mentorschap in?")
    page.click("button:has-text('Zet mij op de lijst')")  # empty: refused, in Dutch
    assert "Controleer het formulier" in page.locator(".error-summary").inner_text()
    page.fill("input[name=name]", "Joost de Vries")
    page.fill("input[name=email]", "joost@bedrijf.example")
    page.click("button:has-text('Zet mij op de lijst')")
    assert page.locator("text=U staat op de lijst").is_visible()
    assert InterestSignup.objects.filter(email="joost@bedrijf.example").exists()
    assert not User.objects.filter(email="joost@bedrijf.example").exists()

    # When the next round's registration opens, everyone on the list gets one mail.
    from people.services import interest_notify_open

    f.make_program(ProgramKind.MENTOR_LEADER, school_year="2027-2028", registration_open=True)
    interest_notify_open()
    interest_notify_open()
    deliver_pending()
    assert [m.to for m in mail.outbox] == [["joost@bedrijf.example"]]


def test_switching_language_is_kept_on_the_account(page, login):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    mentor = f.make_mentor(program, email="mentor@bedrijf.example")
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/")
    assert page.get_attribute("html", "lang") == "nl"
    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h2:has-text('Your mentor profile')").is_visible()
    mentor.refresh_from_db()
    assert mentor.language == "en"
    # A new browser session picks the account's language up again.
    page.context.clear_cookies()
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/")
    assert page.get_attribute("html", "lang") == "en"
    page.click("button[lang=nl]")
    page.wait_for_load_state()
    assert page.locator("h2:has-text('Uw mentorprofiel')").is_visible()
