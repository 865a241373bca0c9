"""One language per page: no English month names on Dutch pages, no Dutch on English ones.

The pages are the ones that showed "1 Dec 18:37" (matching), "27 Nov" (progress) and
"kerstvakantie of region midden" (an English meeting page).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mentoring.guides.report import svg_bars
from mentoring.meetings import rules
from notifications.outbox import notify
from tests.matching.matching_helpers import make_round, solve
from tests.meetings import helpers as h

ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)
DUTCH_MONTHS = re.compile(r"\b(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def busy_program(program, staff, pair):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    rnd = make_round(program, staff)
    solve(rnd, staff)
    notify("staff_message", pair.mentor.user, {"subject": "Hallo", "message": "Tekst"})
    return pair, rnd


def _pages(program, rnd, pair):
    return [
        reverse("matching:round_detail", args=[program.pk, rnd.pk]),
        reverse("matching:round_compare", args=[program.pk, rnd.pk]),
        reverse("meetings:overview", args=[program.pk]),
        reverse("notifications:program_outbox", args=[program.pk]) + "?status=all",
        reverse("guides:report", args=[program.pk]),
    ]


def test_no_english_month_on_a_dutch_staff_page(client_for, staff, program, busy_program):
    pair, rnd = busy_program
    client = client_for(staff)
    for url in _pages(program, rnd, pair):
        response = client.get(url)
        assert response.status_code == 200, url
        found = ENGLISH_MONTHS.findall(visible_text(response.content.decode()))
        assert found == [], f"{url}: {found}"


def test_english_staff_page_uses_english_month_abbreviations(
    client_for, staff, program, busy_program
):
    pair, rnd = busy_program
    client = client_for(staff)
    client.cookies["django_language"] = "en"
    text = visible_text(
        client.get(reverse("meetings:overview", args=[program.pk])).content.decode()
    )
    assert "1 Dec" in text and not DUTCH_MONTHS.findall(text)


def test_holiday_refusal_translates_the_holiday_and_the_region(monkeypatch):
    """The holiday's name and region go through the catalogue (not the data file's Dutch)."""
    from django.utils import translation

    monkeypatch.setattr(rules, "_", lambda text: f"«{text}»")
    facts = rules.SlotFacts(
        number=1,
        window_start=h.ams(2026, 11, 15).date(),
        window_end=h.ams(2027, 3, 31).date(),
        region="midden",
        now=h.NOW,
    )
    with translation.override("en"):
        text = " ".join(rules.check_slot(facts, h.ams(2026, 12, 22), h.ams(2026, 12, 22, 17)))
    assert "«kerstvakantie»" in text
    assert "regio central" in text and "midden" not in text


def test_pair_page_in_english_shows_the_region_in_english(client_for, pair):
    client = client_for(pair.mentor.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("meetings:pair", args=[pair.program_id, pair.pk])).content.decode()
    assert "region midden" not in page


def test_chart_numbers_use_the_decimal_comma_on_a_dutch_page():
    svg = str(svg_bars([("Gesprek 1", 4.2, None)], title="Nut"))
    assert "4,2" in svg and "4.2" not in svg


def test_confirmation_sent_message_is_one_word_in_dutch():
    from django.template.loader import render_to_string

    text = render_to_string("account/messages/email_confirmation_sent.txt", {"email": "a@b.nl"})
    assert "Bevestigingsmail verstuurd naar a@b.nl." in text
