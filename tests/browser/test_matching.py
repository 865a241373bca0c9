"""Journey of a matching round: staff run it, lock a pair, publish; the pair sees each other."""

from __future__ import annotations

import re

import pytest

from matching.models import MatchingRound
from mentoring.pairs.models import Pair
from programs.enums import ProgramKind
from tests import factories as f

pytestmark = pytest.mark.browser


def test_staff_run_a_round_lock_publish_and_the_schoolleider_sees_the_mentor(
    page, live_server, login
):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    f.make_staff(program, "staf@leerkracht.example")
    mentor = f.make_mentor(
        program, email="mentor@bedrijf.example", organisation="Verbeterfabriek BV"
    )
    mentor.first_name, mentor.last_name = "Mila", "de Mentor"
    mentor.save()
    f.make_mentor(program, email="mentor2@bedrijf.example", city="rotterdam")
    leader = f.make_schoolleider(program, email="leider@school.example")
    f.make_schoolleider(program, email="leider2@school.example", city="rotterdam")
    f.make_schoolleider(program, email="ver@school.example", city="groningen")

    login("staf@leerkracht.example")
    page.goto(f"/programma/{program.pk}/")
    page.click("text=Matching")
    page.fill("input[name=name]", "   ")  # passes the browser's required check, not ours
    page.click("main button[type=submit]:has-text('Ronde aanmaken')")
    assert page.locator("text=Geef de ronde een naam").is_visible()
    page.fill("input[name=name]", "November")
    page.click("main button[type=submit]:has-text('Ronde aanmaken')")
    page.click("button:has-text('Berekenen')")
    page.wait_for_selector("text=Oplossing 1")
    assert page.locator(".stat dd").first.inner_text() == "2 / 3"

    page.click("nav.tabs >> text=Niet gekoppeld")
    assert page.locator("td", has_text="Niemand binnen bereik die past").is_visible()

    page.click("nav.tabs >> text=Koppels")
    row = page.locator("tbody tr", has_text="Mila de Mentor")
    row.locator("button:has-text('Vastzetten')").click()
    assert page.locator("text=Het koppel is vastgezet").is_visible()
    page.click("nav.tabs >> text=Overzicht")
    page.click("button:has-text('Opnieuw berekenen')")
    page.wait_for_selector("text=Oplossing 2")

    page.click("text=Publiceren…")
    assert page.locator("text=U publiceert oplossing 2: 2 koppels").is_visible()
    page.check("input[name=confirm]")
    page.click("button:has-text('Ja, publiceren')")
    page.wait_for_selector("text=koppels zijn gepubliceerd")
    rnd = MatchingRound.objects.get(program=program)
    assert rnd.status == "published"
    assert Pair.objects.get(schoolleider__user=leader).mentor.user == mentor

    page.context.clear_cookies()
    login("leider@school.example")
    page.goto(f"/programma/{program.pk}/")
    panel = page.locator("section", has=page.locator("#mm-h"))
    assert "Mila de Mentor" in panel.inner_text()
    panel.locator("text=Gegevens en contact").click()
    page.wait_for_url(re.compile(r".*/koppel/$"))
    assert page.locator("text=Verbeterfabriek BV").is_visible()
    assert page.locator("text=mentor@bedrijf.example").first.is_visible()
