"""What axe cannot see, checked by hand in the browser: keyboard-only journeys with a visible
focus at every stop, the skip link, form errors tied to their fields and announced, the
page language, status messages in a live region."""

from __future__ import annotations

import re

import pytest
import time_machine

from mentoring.meetings.enums import MeetingStatus
from programs.enums import ProgramKind
from tests import factories as f
from tests.browser import a11y
from tests.browser.test_import import CORRECTED, WITH_ERROR
from tests.meetings import helpers as h


@pytest.fixture
def frozen():
    """The live server runs in this process: its clock starts at ``h.NOW``, inside the
    meeting window (time-machine; the browser's own clock is untouched)."""
    with time_machine.travel(h.NOW, tick=True):
        yield


def _switch(page, login, email):
    page.context.clear_cookies()
    login(email)


def _press(page, key: str = "Enter") -> None:
    """Press a key that follows a link or submits a form, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _choose_file(page, payload: dict) -> None:
    """Space on the focused file field opens the file chooser. On a loaded machine Chromium
    now and then drops the first key press, so the key is pressed again (never clicked)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            continue
        chooser.value.set_files(payload)
        return


def _assert_error_tied_to_field(page, name: str, message: str) -> None:
    """The field says it is invalid and points (aria-describedby) at the text of its error."""
    field = page.locator(f"[name={name}]")
    assert field.get_attribute("aria-invalid") == "true", name
    ids = (field.get_attribute("aria-describedby") or "").split()
    texts = [
        page.locator(f"[id='{i}']").inner_text() for i in ids if page.locator(f"[id='{i}']").count()
    ]
    assert any(message in t for t in texts), (name, ids, texts)


def _assert_summary_announced(page, label: str) -> None:
    """After a refused submit the focus is on the error summary, an alert region that
    names the fields to fix (each message is read at its field)."""
    state = a11y.focused(page)
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "error-summary" in (page.evaluate("() => document.activeElement.className") or ""), state
    assert "Controleer het formulier" in summary.inner_text()
    assert summary.get_by_role("link", name=label).count() == 1
    assert page.title().startswith("Fout:")


def test_booking_journey_by_keyboard_alone(page, login, frozen):
    program = f.make_program(ProgramKind.MENTOR_LEADER)
    mentor = f.make_mentor(program, email="mentor@bedrijf.example")
    leider = f.make_schoolleider(program, email="leider@school.example")
    pair = f.make_pair(program, mentor, leider)
    pair_url = f"/programma/{program.pk}/koppel/{pair.pk}/gesprekken/"

    # Propose: the first Tab stop is the skip link, which jumps past the menu.
    login("mentor@bedrijf.example")
    page.goto(pair_url)
    page.keyboard.press("Tab")
    first = a11y.focused(page)
    assert first["text"] == "Naar de inhoud" and first["visible"] and first["inView"], first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    a11y.tab_to(page, text="Tijden voorstellen", within="#gesprek-1")
    _press(page)
    page.wait_for_url(re.compile(r".*/1/voorstellen/$"))

    # Only a date: refused; the summary is announced, each error is tied to its field.
    a11y.tab_to(page, name="slot1_date")
    a11y.type_date(page, "2026-12-01")
    a11y.tab_to(page, text="Voorstel versturen")
    _press(page)
    _assert_summary_announced(page, "Begintijd")
    _assert_error_tied_to_field(page, "slot1_time", "Kies een begintijd.")
    _assert_error_tied_to_field(page, "slot1_mode", "Kies waar het gesprek plaatsvindt.")
    assert page.input_value("input[name=slot1_date]") == "2026-12-01"
    # The summary's link takes the focus to the field.
    a11y.tab_to(page, text="Begintijd", within=".error-summary")
    page.keyboard.press("Enter")
    assert a11y.focused(page)["name"] == "slot1_time"
    a11y.type_into(page, "1500")
    a11y.tab_to(page, name="slot1_mode")
    a11y.choose_option(page, "school")
    a11y.tab_to(page, text="Voorstel versturen")
    _press(page)
    page.wait_for_url(re.compile(r".*/gesprekken/(#.*)?$"))
    status = page.locator(".messages[role=status]")
    assert "Uw voorstel voor gesprek 1 is verstuurd" in status.inner_text()
    assert h.meeting(pair, 1).status == MeetingStatus.PROPOSED

    # Accept, as the schoolleider.
    _switch(page, login, "leider@school.example")
    page.goto(pair_url)
    a11y.tab_to(page, text="Kies dit tijdstip", within="#gesprek-1")
    _press(page)
    a11y.tab_to(page, text="Ja, dit tijdstip accepteren")
    _press(page)
    page.wait_for_url(re.compile(r".*/1/bevestigd/(#.*)?$"))
    assert h.meeting(pair, 1).status == MeetingStatus.PLANNED

    # Move, with a reason.
    page.goto(pair_url)
    a11y.tab_to(page, text="Verplaatsen", within="#gesprek-1")
    _press(page)
    a11y.tab_to(page, name="date")
    a11y.type_date(page, "2026-12-03")
    a11y.tab_to(page, name="time")
    a11y.type_into(page, "1400")
    a11y.tab_to(page, name="mode")
    a11y.choose_option(page, "school")
    a11y.tab_to(page, name="reason")
    a11y.type_into(page, "Teamvergadering verschoven")
    a11y.tab_to(page, text="Gesprek verplaatsen")
    _press(page)
    page.wait_for_url(re.compile(r".*/1/bevestigd/(#.*)?$"))
    assert h.meeting(pair, 1).starts_at == h.ams(2026, 12, 3, 14)

    # Cancel, as the mentor: without a reason it is refused, with one it is done.
    _switch(page, login, "mentor@bedrijf.example")
    page.goto(pair_url)
    a11y.tab_to(page, text="Annuleren", within="#gesprek-1")
    _press(page)
    a11y.tab_to(page, text="Ja, gesprek annuleren")
    _press(page)
    _assert_summary_announced(page, "Reden")
    _assert_error_tied_to_field(page, "reason", "Geef kort de reden van het annuleren.")
    a11y.tab_to(page, text="Reden", within=".error-summary")
    page.keyboard.press("Enter")
    assert a11y.focused(page)["name"] == "reason"
    a11y.type_into(page, "Ziek")
    a11y.tab_to(page, text="Ja, gesprek annuleren")
    _press(page)
    page.wait_for_url(re.compile(r".*/gesprekken/(#.*)?$"))
    assert h.meeting(pair, 1).status == MeetingStatus.CANCELLED
    assert page.locator(".messages[role=status] .message").count() >= 1


def test_import_preview_by_keyboard_alone(page, login):
    program = f.make_program()
    f.make_staff(program, "staf@leerkracht.example")
    login("staf@leerkracht.example")
    page.goto(f"/programma/{program.pk}/")

    a11y.tab_to(page, text="Importeren", within="main")
    _press(page)
    a11y.tab_to(page, name="file")
    _choose_file(page, {"name": "scholen.csv", "mimeType": "text/csv", "buffer": WITH_ERROR})
    a11y.tab_to(page, text="Controleren")
    _press(page)
    page.get_by_role("heading", name="Controle van de import").wait_for()
    assert page.get_by_text("‘35110’ is geen geldige Nederlandse postcode").is_visible()

    # The preview: every row and tab is reachable, and the wide table scrolls in its own box.
    a11y.tab_to(page, text="Fouten", within="main")
    _press(page)
    assert "toon=fouten" in page.url
    a11y.tab_to(page, name="file")
    _choose_file(
        page, {"name": "scholen-verbeterd.csv", "mimeType": "text/csv", "buffer": CORRECTED}
    )
    a11y.tab_to(page, text="Controleren")
    _press(page)
    page.get_by_text("scholen-verbeterd.csv").first.wait_for()
    a11y.tab_to(page, text="Importeren", within="main form")
    _press(page)
    page.get_by_role("heading", name="Scholen en schoolleiders").wait_for()
    assert "Import voltooid: 2 nieuw" in page.locator(".messages[role=status]").inner_text()


def test_page_language_follows_the_choice(page, login):
    program = f.make_program()
    f.make_mentor(program, email="mentor@bedrijf.example")
    page.goto("/")
    assert page.get_attribute("html", "lang") == "nl"
    a11y.tab_to(page, text="English")
    _press(page)
    assert page.get_attribute("html", "lang") == "en"
    # The switch back names itself in its own language.
    assert page.locator("button[lang=nl]").inner_text() == "Nederlands"
