"""The planning rules for a meeting time, each refused with a clear Dutch message.

``check_slot`` is a pure function of its inputs (no queries): the service gathers the
facts (window, region, the pair's other meetings, busy times of both people) and this
module decides. Rules:

- the meeting lies inside the program's meeting window, and in the future;
- on a weekday, between 08:00 and 20:00 Amsterdam time;
- not in the school holidays of the school's region (noord, midden, zuid);
- not on a Dutch public holiday (Nieuwjaarsdag, Pasen, Koningsdag, Bevrijdingsdag in lustrum
  years, Hemelvaart, Pinksteren, Kerst; the ``holidays`` package's official NL calendar),
  named in the message; Goede Vrijdag is allowed with a warning (``slot_warnings``);
- meeting n+1 at least the program's gap after meeting n (default three weeks; n+2 twice
  that after n), and a warning (``span_warnings``) when all three lie within two months;
- no overlap with another meeting or webinar of either person.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import holidays as nl_calendar
from django.utils.formats import date_format
from django.utils.timezone import get_default_timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

# ``mentoring.meetings.holidays`` is an alias of this very module (it replaces itself in
# sys.modules); importing it from its home lets mypy see its functions.
from places import holidays

#: The site's zone (settings.TIME_ZONE, Europe/Amsterdam): days, hours and holidays are local.
LOCAL_TZ = get_default_timezone()
MEETING_LENGTH = dt.timedelta(hours=2)
#: The default spacing between consecutive meetings (a program sets its own).
MIN_GAP = dt.timedelta(days=21)
#: The three meetings should spread over at least this many months (a warning, not a rule).
MIN_SPAN_MONTHS = 2
DAY_START = dt.time(8, 0)
DAY_END = dt.time(20, 0)


@dataclass
class SlotFacts:
    """What the rules need to know about the meeting being planned."""

    number: int
    window_start: dt.date
    window_end: dt.date
    region: str | None
    now: dt.datetime
    #: start times of the pair's other booked meetings, by number
    neighbours: dict[int, dt.datetime] = field(default_factory=dict)
    #: (starts_at, ends_at, label) of other meetings and webinars of either person
    busy: list[tuple[dt.datetime, dt.datetime, str]] = field(default_factory=list)
    #: the program's minimum spacing between consecutive meetings (start to start)
    gap: dt.timedelta = MIN_GAP


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_TZ)


def holiday_label(name: str) -> str:
    """A holiday's name in the page's language ("kerstvakantie", "Christmas holiday")."""
    labels = {
        "herfstvakantie": _("herfstvakantie"),
        "kerstvakantie": _("kerstvakantie"),
        "voorjaarsvakantie": _("voorjaarsvakantie"),
        "meivakantie": _("meivakantie"),
        "zomervakantie": _("zomervakantie"),
    }
    return labels.get(name.lower(), name.lower())


def region_label(region: str | None) -> str:
    """A holiday region in running text, in the page's language ("midden", "central")."""
    from .enums import HolidayRegion

    if region not in HolidayRegion.values:
        return region or ""
    return str(HolidayRegion(region).label).lower()


def show(value: dt.datetime) -> str:
    """A moment as people read it: 'dinsdag 17 november 2026 15:00' in Amsterdam time."""
    return date_format(local(value), "l j F Y H:i")


def show_day(value: dt.date) -> str:
    return date_format(value, "l j F Y")


#: The one public holiday on which meetings are allowed, with a warning: many schools and
#: companies are closed, but it is not a national day off for everyone.
GOOD_FRIDAY = "Goede vrijdag"


@lru_cache(maxsize=64)
def _public_holidays(year: int, language: str) -> dict[dt.date, str]:
    """The Netherlands' public holidays of ``year`` (official calendar of the ``holidays``
    package: Bevrijdingsdag only in lustrum years), named in ``language``."""
    days = nl_calendar.country_holidays("NL", years=year, language="nl")
    names = nl_calendar.country_holidays("NL", years=year, language=language)
    return {day: f"{names.get(day)}|{name}" for day, name in days.items()}


def _holiday(day: dt.date) -> tuple[str, str] | None:
    """(Dutch name, name in the page's language) of the public holiday on ``day``."""
    language = "nl" if (get_language() or "nl").startswith("nl") else "en_US"
    found = _public_holidays(day.year, language).get(day)
    if found is None:
        return None
    shown, dutch = found.split("|", 1)
    return dutch, shown


def public_holiday(day: dt.date) -> str | None:
    """The name (in the page's language) of the public holiday that refuses ``day``."""
    found = _holiday(day)
    if found is None or found[0] == GOOD_FRIDAY:
        return None
    return found[1]


def slot_warnings(starts_at: dt.datetime) -> list[str]:
    """What the planner should know but that does not refuse the time (Goede Vrijdag)."""
    day = local(starts_at).date()
    found = _holiday(day)
    if found is not None and found[0] == GOOD_FRIDAY:
        return [
            _(
                "Let op: %(day)s is Goede Vrijdag. Het is geen officiële vrije dag voor "
                "iedereen, maar veel scholen en bedrijven zijn dan dicht; controleer of het "
                "gesprek door kan gaan."
            )
            % {"day": show_day(day)}
        ]
    return []


class GapProgram(Protocol):
    """What ``min_gap`` reads of a program (a ``ProgramYear``)."""

    @property
    def meeting_gap_days(self) -> int | None: ...


def min_gap(program: GapProgram | None) -> dt.timedelta:
    """The spacing ``program`` asks between consecutive meetings (start to start)."""
    if program is None or not program.meeting_gap_days:
        return MIN_GAP
    return dt.timedelta(days=program.meeting_gap_days)


def spacing(gap: dt.timedelta) -> str:
    """A spacing in words: "3 weken" when it is whole weeks, else "10 dagen"."""
    days = gap.days
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("%(n)s week", "%(n)s weken", weeks) % {"n": weeks}
    return ngettext("%(n)s dag", "%(n)s dagen", days) % {"n": days}


def _months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def span_warnings(starts: list[dt.datetime], total: int) -> list[str]:
    """A warning when all ``total`` meetings have a time and they lie within less than
    ``MIN_SPAN_MONTHS`` months: the rhythm leaves no time for the actions in between."""
    if total < 2 or len(starts) < total:
        return []
    first, last = local(min(starts)).date(), local(max(starts)).date()
    if last >= _months_later(first, MIN_SPAN_MONTHS):
        return []
    return [
        _(
            "Let op: de %(count)s gesprekken liggen binnen %(weeks)s weken (%(first)s tot en met "
            "%(last)s). Het programma vraagt ze over minstens twee maanden te spreiden, zodat er "
            "tussen de gesprekken tijd is voor de afgesproken acties."
        )
        % {
            "count": total,
            "weeks": max(1, round((last - first).days / 7)),
            "first": show_day(first),
            "last": show_day(last),
        }
    ]


def check_slot(facts: SlotFacts, starts_at: dt.datetime, ends_at: dt.datetime) -> list[str]:
    """Every rule ``[starts_at, ends_at)`` breaks, as Dutch messages (empty: allowed)."""
    errors: list[str] = []
    start, end = local(starts_at), local(ends_at)
    day = start.date()
    if starts_at <= facts.now:
        errors.append(_("Dit tijdstip ligt in het verleden; kies een moment in de toekomst."))
    if not (facts.window_start <= day <= facts.window_end):
        errors.append(
            _("Gesprekken vinden plaats van %(start)s tot en met %(end)s; %(day)s valt daarbuiten.")
            % {
                "start": show_day(facts.window_start),
                "end": show_day(facts.window_end),
                "day": show_day(day),
            }
        )
    if start.weekday() >= 5:
        errors.append(
            _("%(day)s is een weekenddag; kies een dag van maandag tot en met vrijdag.")
            % {"day": show_day(day)}
        )
    holiday_name = public_holiday(day)
    if holiday_name is not None:
        errors.append(
            _("%(day)s is een feestdag (%(name)s); kies een andere dag.")
            % {"day": show_day(day), "name": holiday_name}
        )
    if start.time() < DAY_START or end.date() != day or end.time() > DAY_END:
        errors.append(
            _(
                "Een gesprek valt tussen 08:00 en 20:00 uur (Nederlandse tijd); een gesprek van "
                "twee uur begint dus tussen 08:00 en 18:00 uur."
            )
        )
    if facts.region is None:
        errors.append(
            _(
                "De vakantieregio van de school is onbekend (provincie ontbreekt), dus de "
                "schoolvakanties kunnen niet worden gecontroleerd. Vraag de programmastaf de "
                "provincie van de school in te vullen."
            )
        )
    elif not holidays.covered(day):
        errors.append(
            _(
                "Voor %(day)s zijn de schoolvakanties nog niet vastgelegd; kies een datum in een "
                "schooljaar waarvan de vakanties bekend zijn."
            )
            % {"day": show_day(day)}
        )
    else:
        holiday = holidays.holiday_on(day, facts.region)
        if holiday is not None:
            errors.append(
                _(
                    "%(day)s valt in de %(name)s van regio %(region)s (%(start)s tot en met "
                    "%(end)s); kies een datum buiten de schoolvakantie."
                )
                % {
                    "day": show_day(day),
                    "name": holiday_label(holiday.name),
                    "region": region_label(holiday.region),
                    "start": show_day(holiday.start),
                    "end": show_day(holiday.end),
                }
            )
    for other, other_start in sorted(facts.neighbours.items()):
        if other == facts.number:
            continue
        steps = abs(facts.number - other)
        gap = facts.gap * steps
        too_soon = other < facts.number and starts_at < other_start + gap
        too_late = other > facts.number and other_start < starts_at + gap
        if not (too_soon or too_late):
            continue  # the words are only made for a refusal (a suggested plan tries many)
        values = {
            "n": facts.number,
            "other": other,
            "spacing": spacing(gap),
            "when": show(other_start),
        }
        if too_soon:
            errors.append(
                _(
                    "Gesprek %(n)s moet minstens %(spacing)s na gesprek %(other)s (%(when)s) plaatsvinden."
                )
                % values
            )
        if too_late:
            errors.append(
                _(
                    "Gesprek %(n)s moet minstens %(spacing)s vóór gesprek %(other)s (%(when)s) "
                    "plaatsvinden."
                )
                % values
            )
    for busy_start, busy_end, label in facts.busy:
        if busy_start < ends_at and starts_at < busy_end:
            errors.append(
                _("Dit tijdstip overlapt met %(label)s (%(when)s).")
                % {"label": label, "when": show(busy_start)}
            )
    return errors
