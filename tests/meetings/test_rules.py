"""The planning rules, as a pure function of the facts."""

from __future__ import annotations

import datetime as dt

from mentoring.meetings import rules
from tests.meetings import helpers as h


def _facts(**extra):
    values = {
        "number": 2,
        "window_start": dt.date(2026, 11, 15),
        "window_end": dt.date(2027, 3, 31),
        "region": "midden",
        "now": h.NOW,
    }
    values.update(extra)
    return rules.SlotFacts(**values)


def _check(start, **extra):
    return rules.check_slot(_facts(**extra), start, start + rules.MEETING_LENGTH)


def test_a_good_slot_passes():
    assert _check(h.ams(2027, 1, 12)) == []


def test_day_bounds_are_amsterdam_time_on_both_sides_of_dst():
    assert _check(h.ams(2027, 1, 12, 8)) == []
    assert _check(h.ams(2027, 1, 12, 18)) == []
    assert _check(h.ams(2027, 1, 12, 7, 45))
    assert _check(h.ams(2027, 1, 12, 18, 15))
    # Summer time (CEST) in late March: 08:00 local is still fine.
    assert _check(h.ams(2027, 3, 30, 8)) == []


def test_holiday_depends_on_region():
    # Voorjaarsvakantie 2027: zuid 6-14 Feb; midden 20-28 Feb.
    assert _check(h.ams(2027, 2, 9), region="midden") == []
    assert "voorjaarsvakantie van regio zuid" in " ".join(_check(h.ams(2027, 2, 9), region="zuid"))


def test_unknown_region_is_an_error_not_a_silent_pass():
    assert "vakantieregio" in " ".join(_check(h.ams(2027, 1, 12), region=None))


def test_dates_without_holiday_data_are_refused():
    errors = _check(h.ams(2029, 1, 16), window_end=dt.date(2029, 3, 31))
    assert "nog niet vastgelegd" in " ".join(errors)


def test_spacing_counts_three_weeks_per_meeting_between():
    m1 = h.ams(2027, 1, 5)
    assert _check(h.ams(2027, 1, 26), neighbours={1: m1}) == []
    assert _check(h.ams(2027, 1, 25), neighbours={1: m1})
    # Meeting 3 six weeks after meeting 1 when meeting 2 is still open.
    assert _check(h.ams(2027, 2, 15), number=3, neighbours={1: m1})
    assert _check(h.ams(2027, 2, 16), number=3, neighbours={1: m1}) == []
    # And before a later meeting.
    assert _check(h.ams(2027, 1, 12), number=1, neighbours={2: h.ams(2027, 1, 20)})


def test_the_gap_comes_from_the_facts_and_is_said_in_days_or_weeks():
    m1 = h.ams(2027, 1, 5)
    ten = dt.timedelta(days=10)
    assert _check(h.ams(2027, 1, 15), neighbours={1: m1}, gap=ten) == []
    (message,) = _check(h.ams(2027, 1, 14), neighbours={1: m1}, gap=ten)
    assert "minstens 10 dagen na gesprek 1" in message
    (message,) = _check(h.ams(2027, 1, 18), neighbours={1: m1}, gap=dt.timedelta(days=14))
    assert "minstens 2 weken na gesprek 1" in message


def test_three_meetings_within_two_months_are_a_warning():
    close = [h.ams(2027, 1, 12), h.ams(2027, 2, 2), h.ams(2027, 3, 2)]
    (warning,) = rules.span_warnings(close, 3)
    assert "binnen 7 weken" in warning and "twee maanden" in warning
    assert rules.span_warnings([h.ams(2027, 1, 12), h.ams(2027, 2, 2), h.ams(2027, 3, 12)], 3) == []
    # Not yet all three planned: nothing to say yet.
    assert rules.span_warnings(close[:2], 3) == []


def test_overlap_with_busy_time_is_named():
    busy = [(h.ams(2027, 1, 12, 16), h.ams(2027, 1, 12, 17, 30), "Webinar: Start")]
    assert "Webinar: Start" in " ".join(_check(h.ams(2027, 1, 12, 15), busy=busy))
    assert _check(h.ams(2027, 1, 12, 10), busy=busy) == []
    # Touching ends do not overlap.
    assert (
        _check(h.ams(2027, 1, 12, 14), busy=[(h.ams(2027, 1, 12, 16), h.ams(2027, 1, 12, 17), "x")])
        == []
    )
