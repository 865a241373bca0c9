"""Dutch public holidays: refused by name (in the page's language); Goede Vrijdag warns.

Official values: the public holidays of the Netherlands (Rijksoverheid, "Officiële feestdagen";
Bevrijdingsdag is a national day off only in lustrum years, 2025 and 2030), as the ``holidays``
package's NL calendar gives them. One assertion per official day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from mentoring.meetings import rules
from tests.meetings import helpers as h

D = dt.date
OFFICIAL = [
    (D(2025, 1, 1), "Nieuwjaarsdag"),
    (D(2025, 4, 20), "Eerste paasdag"),
    (D(2025, 4, 21), "Tweede paasdag"),
    (D(2025, 4, 26), "Koningsdag"),  # 27 April 2025 is a Sunday
    (D(2025, 5, 5), "Bevrijdingsdag"),  # lustrum year
    (D(2025, 5, 29), "Hemelvaartsdag"),
    (D(2025, 6, 8), "Eerste pinksterdag"),
    (D(2025, 6, 9), "Tweede pinksterdag"),
    (D(2025, 12, 25), "Eerste kerstdag"),
    (D(2025, 12, 26), "Tweede kerstdag"),
    (D(2026, 1, 1), "Nieuwjaarsdag"),
    (D(2026, 4, 5), "Eerste paasdag"),
    (D(2026, 4, 6), "Tweede paasdag"),
    (D(2026, 4, 27), "Koningsdag"),
    (D(2026, 5, 14), "Hemelvaartsdag"),
    (D(2026, 5, 24), "Eerste pinksterdag"),
    (D(2026, 5, 25), "Tweede pinksterdag"),
    (D(2026, 12, 25), "Eerste kerstdag"),
    (D(2026, 12, 26), "Tweede kerstdag"),
    (D(2027, 1, 1), "Nieuwjaarsdag"),
    (D(2027, 3, 28), "Eerste paasdag"),
    (D(2027, 3, 29), "Tweede paasdag"),
    (D(2027, 4, 27), "Koningsdag"),
    (D(2027, 5, 6), "Hemelvaartsdag"),
    (D(2027, 5, 16), "Eerste pinksterdag"),
    (D(2027, 5, 17), "Tweede pinksterdag"),
    (D(2027, 12, 25), "Eerste kerstdag"),
    (D(2027, 12, 26), "Tweede kerstdag"),
]


@pytest.mark.parametrize(("day", "name"), OFFICIAL, ids=[f"{d}-{n}" for d, n in OFFICIAL])
def test_every_official_public_holiday_is_refused_by_name(day, name):
    with translation.override("nl"):
        assert rules.public_holiday(day) == name


@pytest.mark.parametrize("day", [D(2026, 5, 5), D(2027, 5, 5), D(2026, 4, 3), D(2027, 3, 26)])
def test_bevrijdingsdag_outside_lustrum_years_and_goede_vrijdag_are_not_refused(day):
    assert rules.public_holiday(day) is None


def test_a_meeting_on_tweede_paasdag_is_refused_with_the_days_name():
    start = h.ams(2027, 3, 29, 10)  # Monday, no school holiday in any region
    facts = rules.SlotFacts(
        number=1,
        window_start=D(2026, 11, 15),
        window_end=D(2027, 3, 31),
        region="midden",
        now=h.NOW,
    )
    with translation.override("nl"):
        errors = rules.check_slot(facts, start, start + rules.MEETING_LENGTH)
    assert errors == [
        "maandag 29 maart 2027 is een feestdag (Tweede paasdag); kies een andere dag."
    ]
    with translation.override("en"):
        errors = rules.check_slot(facts, start, start + rules.MEETING_LENGTH)
    assert any("Easter Monday" in e for e in errors), errors


def test_goede_vrijdag_is_allowed_with_a_warning():
    start = h.ams(2027, 3, 26, 10)
    facts = rules.SlotFacts(
        number=1,
        window_start=D(2026, 11, 15),
        window_end=D(2027, 3, 31),
        region="midden",
        now=h.NOW,
    )
    assert rules.check_slot(facts, start, start + rules.MEETING_LENGTH) == []
    with translation.override("nl"):
        [warning] = rules.slot_warnings(start)
    assert "Goede Vrijdag" in warning and "26 maart 2027" in warning
    assert rules.slot_warnings(h.ams(2027, 3, 25, 10)) == []


@pytest.mark.django_db
def test_proposing_and_accepting_on_goede_vrijdag_shows_the_warning(client_for, pair):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from mentoring.meetings import planning
    from mentoring.meetings.enums import MeetingStatus
    from mentoring.meetings.models import Slot

    planning.meetings_create_for_pair(pair=pair)
    base = [pair.program_id, pair.pk, 1]
    client = client_for(pair.mentor.user)
    response = client.post(
        reverse("meetings:propose", args=base),
        {
            "slot1_date": "2027-03-26",
            "slot1_time": "10:00",
            "slot1_mode": "online",
            "slot1_online_url": "https://meet.example.org/x",
        },
    )
    assert response.status_code == 302
    assert any("Goede Vrijdag" in str(m) for m in get_messages(response.wsgi_request))
    slot = Slot.objects.get(meeting__pair=pair, meeting__number=1)
    client = client_for(pair.schoolleider.user)
    response = client.post(reverse("meetings:accept", args=[*base, slot.pk]))
    assert response.status_code == 302
    assert h.meeting(pair, 1).status == MeetingStatus.PLANNED
    assert any("Goede Vrijdag" in str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_proposing_on_tweede_paasdag_is_refused_on_the_form(client_for, pair):
    from django.urls import reverse

    from mentoring.meetings import planning

    planning.meetings_create_for_pair(pair=pair)
    response = client_for(pair.mentor.user).post(
        reverse("meetings:propose", args=[pair.program_id, pair.pk, 1]),
        {
            "slot1_date": "2027-03-29",
            "slot1_time": "10:00",
            "slot1_mode": "online",
            "slot1_online_url": "https://meet.example.org/x",
        },
    )
    assert response.status_code == 200
    assert "is een feestdag (Tweede paasdag)" in response.content.decode()
