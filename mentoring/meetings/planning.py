"""Writes of planning the meetings: the facts for the rules, the suggested plan, proposing,
accepting, taking over the suggestion, moving, cancelling and marking held.

Every service is all-or-nothing (``transaction.atomic``); emails go through
``notifications.notify`` in the same transaction, so a rolled-back change sends nothing.
Accepting and moving lock both people's user rows first (in id order, so two requests
never deadlock): two acceptances that would together break a rule are serialized and the
second one is checked against the first one's result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.pairs.enums import PairStatus
from notifications import calendar
from notifications.outbox import Attachment, cancel_pending, notify
from webinars.selectors import busy_intervals

from . import ics, rules
from .enums import BOOKED, OPEN_FOR_PROPOSALS, MeetingMode, MeetingStatus, SlotStatus
from .models import MEETINGS_PER_PAIR, Meeting, Slot, new_uid

MAX_SLOTS = 3
SUGGESTED_START = dt.time(15, 30)  # after school hours, well inside 08:00-20:00


@dataclass(frozen=True)
class SlotInput:
    """One proposed time, as the form hands it over (``starts_at`` aware)."""

    starts_at: dt.datetime
    mode: str
    location: str = ""
    online_url: str = ""

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + rules.MEETING_LENGTH


# --- Facts the rules need ------------------------------------------------------------------


def school_region(pair) -> str | None:
    """The holiday region of the pair's school (staff's override, else the official one:
    PC4 for split municipalities, municipality, province; see ``School.holiday_region``)."""
    return pair.school.holiday_region


def _people_ids(pair) -> list[int]:
    return [pair.mentor.user_id, pair.schoolleider.user_id]


def busy_times(
    user_ids: Sequence[int], start: dt.datetime, end: dt.datetime, *, exclude_meeting_id=None
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Other booked meetings and webinars of these people overlapping ``[start, end)``."""

    meetings = (
        Meeting.objects.filter(status__in=BOOKED, starts_at__lt=end, ends_at__gt=start)
        .filter(Q(pair__mentor__user_id__in=user_ids) | Q(pair__schoolleider__user_id__in=user_ids))
        .exclude(pk=exclude_meeting_id)
        .values_list("starts_at", "ends_at", "number")
    )
    busy: list[tuple[dt.datetime, dt.datetime, str]] = []
    for s, e, n in meetings:
        assert s is not None and e is not None  # the range filter leaves out unset times
        busy.append((s, e, _("een ander gesprek (gesprek %(n)s)") % {"n": n}))
    busy += [(s, e, label) for _uid, s, e, label in busy_intervals(user_ids, start, end)]
    return busy


def slot_facts(meeting: Meeting, start: dt.datetime, end: dt.datetime) -> rules.SlotFacts:
    pair = meeting.pair
    # A booked meeting always has its time (accepting a slot sets it); one without, which
    # only an admin edit can make, is left out as in ``suggest_plan``.
    neighbours = {
        number: starts_at
        for number, starts_at in Meeting.objects.filter(pair=pair, status__in=BOOKED)
        .exclude(pk=meeting.pk)
        .values_list("number", "starts_at")
        if starts_at is not None
    }
    return rules.SlotFacts(
        number=meeting.number,
        window_start=pair.program.meetings_start,
        window_end=pair.program.meetings_end,
        region=school_region(pair),
        now=timezone.now(),
        neighbours=neighbours,
        busy=busy_times(_people_ids(pair), start, end, exclude_meeting_id=meeting.pk),
        gap=rules.min_gap(pair.program),
    )


def rhythm_warnings(pair) -> list[str]:
    """The program's rhythm as a warning: the pair's planned meetings lie too close together."""
    starts = [
        s
        for s in Meeting.objects.filter(pair=pair, status__in=BOOKED).values_list(
            "starts_at", flat=True
        )
        if s is not None  # only an admin edit makes a booked meeting without a time
    ]
    return rules.span_warnings(starts, MEETINGS_PER_PAIR)


def check_time(meeting: Meeting, starts_at: dt.datetime) -> list[str]:
    """Every rule a 2-hour meeting at ``starts_at`` would break (empty: allowed)."""
    ends_at = starts_at + rules.MEETING_LENGTH
    return rules.check_slot(slot_facts(meeting, starts_at, ends_at), starts_at, ends_at)


def _check_place(slot: SlotInput) -> list[str]:
    if slot.mode not in MeetingMode.values:
        return [_("Kies hoe het gesprek plaatsvindt.")]
    if slot.mode == MeetingMode.ONLINE and not slot.online_url:
        return [_("Geef de link voor het online gesprek (bijvoorbeeld Teams, Zoom of Meet).")]
    if slot.mode == MeetingMode.ONLINE and not slot.online_url.startswith("https://"):
        return [_("De link voor het online gesprek moet beginnen met https://.")]
    if slot.mode == MeetingMode.ADDRESS and not slot.location.strip():
        return [_("Geef het adres waar het gesprek plaatsvindt.")]
    return []


def default_location(pair, mode: str) -> str:
    """The address people see for 'at the company' or 'at the school' when none was typed."""
    if mode == MeetingMode.SCHOOL:
        school = pair.school
        return ", ".join(p for p in (school.name, school.address) if p)
    if mode == MeetingMode.COMPANY:
        profile = getattr(pair.mentor, "mentor_profile", None)
        if profile is not None:
            return ", ".join(p for p in (profile.organisation, profile.postcode) if p)
    return ""


def _member_side(pair, user) -> str:
    side = pair.side_of(user)
    if side is None:
        raise PermissionDenied(_("Alleen de mentor en de schoolleider van dit koppel kunnen dit."))
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(
            _("Dit koppel is beëindigd; gesprekken kunnen niet meer worden gepland.")
        )
    return side


def _lock_people(pair) -> None:
    """Serialize every booking that involves either person (ids in order: no deadlocks)."""
    User = get_user_model()
    list(
        User.objects.select_for_update()
        .filter(pk__in=_people_ids(pair))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Creating the three meetings and the suggested plan --------------------------------------


def _plan_targets(program, published_at: dt.datetime | None) -> tuple[dt.date, dict[int, dt.date]]:
    """The first day a suggestion may fall on, and each meeting's target day from which the
    suggestion looks for the first possible day."""
    today = timezone.localdate()
    published = timezone.localtime(published_at).date() if published_at else today
    first = max(program.meetings_start, published, today) + dt.timedelta(days=2)
    year = program.start_year + 1
    targets = {1: first, 2: dt.date(year, 1, 11), 3: dt.date(year, 3, 8)}
    span = (program.meetings_end - first).days
    if not (first < targets[2] < targets[3] <= program.meetings_end):
        targets = {n: first + dt.timedelta(days=span * (n - 1) // 3) for n in (1, 2, 3)}
    return first, targets


def _busy_window(program, first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The stretch whose busy times a suggestion has to step around."""
    return (
        dt.datetime.combine(first, dt.time(0), tzinfo=rules.LOCAL_TZ),
        dt.datetime.combine(program.meetings_end, dt.time(23, 59), tzinfo=rules.LOCAL_TZ),
    )


#: (region, start) -> whether the rules that read neither the pair's other meetings nor busy
#: times (window, past, weekday, hours, public and school holidays) allow a meeting there.
#: Only valid for one program and one ``now``: ``meetings_create_for_new_pairs`` keeps one.
DayRules = dict[tuple[str | None, dt.datetime], bool]


def _suggest(
    program,
    meetings: Sequence[Meeting],
    *,
    targets: dict[int, dt.date],
    region: str | None,
    busy: list[tuple[dt.datetime, dt.datetime, str]],
    now: dt.datetime,
    day_rules: DayRules | None = None,
) -> dict[int, dt.datetime]:
    """The suggested plan from its facts alone (no queries): each meeting still to plan takes
    the first weekday from its target on, at 15:30 Amsterdam time, that passes every rule
    given the meetings already booked or suggested before it.

    ``day_rules`` caches the verdict of the rules that are the same for every pair of a
    program and region; a time they refuse is refused whatever the rest, so the outcome is
    the one without the cache.
    """
    booked = {m.number: m.starts_at for m in meetings if m.status in BOOKED and m.starts_at}
    suggestion: dict[int, dt.datetime] = {}
    gap = rules.min_gap(program)
    for meeting in sorted(meetings, key=lambda m: m.number):
        if meeting.status not in OPEN_FOR_PROPOSALS:
            continue
        day = targets[meeting.number]
        while day <= program.meetings_end:
            start = dt.datetime.combine(day, SUGGESTED_START, tzinfo=rules.LOCAL_TZ)
            end = start + rules.MEETING_LENGTH
            facts = rules.SlotFacts(
                number=meeting.number,
                window_start=program.meetings_start,
                window_end=program.meetings_end,
                region=region,
                now=now,
                neighbours={**booked, **suggestion},
                busy=busy,
                gap=gap,
            )
            if day_rules is not None:
                key = (region, start)
                allowed = day_rules.get(key)
                if allowed is None:
                    alone = dataclasses.replace(facts, neighbours={}, busy=[])
                    allowed = day_rules[key] = not rules.check_slot(alone, start, end)
                if not allowed:
                    day += dt.timedelta(days=1)
                    continue
            if not rules.check_slot(facts, start, end):
                suggestion[meeting.number] = start.astimezone(dt.UTC)
                break
            day += dt.timedelta(days=1)
    return suggestion


def suggest_plan(pair, meetings: Sequence[Meeting]) -> dict[int, dt.datetime]:
    """A spread that respects the rules: meeting 1 within about three weeks of publication,
    meeting 2 in January and meeting 3 in March (or evenly over the window if it differs).

    Each meeting takes the first weekday from its target date on, at 15:30 Amsterdam time,
    that passes every rule given the meetings already booked or suggested before it.
    """
    program = pair.program
    first, targets = _plan_targets(program, pair.published_at)
    region = school_region(pair)
    now = timezone.now()
    busy_all = busy_times(_people_ids(pair), *_busy_window(program, first))
    return _suggest(program, meetings, targets=targets, region=region, busy=busy_all, now=now)


def _refresh_suggestions(pair, meetings: Sequence[Meeting] | None = None) -> None:
    """Recompute the suggested times of the meetings still to plan, given what is booked.

    Called whenever the pair's bookings change, so a suggestion never breaks a rule
    because of a meeting planned after it was made.
    """
    meetings = list(meetings if meetings is not None else Meeting.objects.filter(pair=pair))
    suggestion = suggest_plan(pair, meetings)
    for meeting in meetings:
        new = suggestion.get(meeting.number) if meeting.status in OPEN_FOR_PROPOSALS else None
        if new != meeting.suggested_starts_at:
            meeting.suggested_starts_at = new
            Meeting.objects.filter(pk=meeting.pk).update(suggested_starts_at=new)


@transaction.atomic
def meetings_create_for_pair(*, pair) -> list[Meeting]:
    """Create the pair's three meetings with a suggested plan; safe to call again.

    Called when a pair is published, and whenever a pair page opens (then it only
    refreshes suggestions whose time has passed).
    """
    existing = {m.number: m for m in Meeting.objects.filter(pair=pair)}
    missing = [n for n in range(1, MEETINGS_PER_PAIR + 1) if n not in existing]
    if missing:
        Meeting.objects.bulk_create(
            [Meeting(pair=pair, number=n) for n in missing], ignore_conflicts=True
        )
        existing = {m.number: m for m in Meeting.objects.filter(pair=pair)}
    meetings = [existing[n] for n in sorted(existing)]
    now = timezone.now()
    stale = any(
        m.status in OPEN_FOR_PROPOSALS
        and (m.suggested_starts_at is None or m.suggested_starts_at <= now)
        for m in meetings
    )
    if missing or stale:
        _refresh_suggestions(pair, meetings)
    return meetings


#: People per query when busy times are read for many pairs at once.
BUSY_CHUNK = 5000


def busy_times_by_user(
    user_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> tuple[
    dict[int, dict[int, tuple[dt.datetime, dt.datetime, str]]],
    dict[int, list[tuple[dt.datetime, dt.datetime, str]]],
]:
    """``busy_times`` of many people at once, two queries per 5,000 people: each one's booked
    meetings (by meeting id, so a meeting of both members of a pair counts once) and
    webinars overlapping ``[start, end)``."""
    meetings: dict[int, dict[int, tuple[dt.datetime, dt.datetime, str]]] = defaultdict(dict)
    webinars: dict[int, list[tuple[dt.datetime, dt.datetime, str]]] = defaultdict(list)
    ids = sorted(set(user_ids))
    for begin in range(0, len(ids), BUSY_CHUNK):
        chunk = ids[begin : begin + BUSY_CHUNK]
        members = set(chunk)
        rows = (
            Meeting.objects.filter(status__in=BOOKED, starts_at__lt=end, ends_at__gt=start)
            .filter(Q(pair__mentor__user_id__in=chunk) | Q(pair__schoolleider__user_id__in=chunk))
            .values_list(
                "pk",
                "pair__mentor__user_id",
                "pair__schoolleider__user_id",
                "starts_at",
                "ends_at",
                "number",
            )
        )
        for pk, mentor_id, leader_id, s, e, n in rows:
            assert s is not None and e is not None  # the range filter leaves out unset times
            entry = (s, e, _("een ander gesprek (gesprek %(n)s)") % {"n": n})
            for uid in {mentor_id, leader_id} & members:
                meetings[uid][pk] = entry
        for uid, s, e, label in busy_intervals(chunk, start, end):
            webinars[uid].append((s, e, label))
    return meetings, webinars


@transaction.atomic
def meetings_create_for_new_pairs(*, pairs: Sequence) -> list[Meeting]:
    """Give each of ``pairs`` (just made, without meetings: a published round) its three
    meetings with a suggested plan, exactly as ``meetings_create_for_pair`` would one by
    one, but with every fact read once: a constant number of queries and one insert.

    Raises IntegrityError when one of the pairs already has meetings.
    """
    if not pairs:
        return []
    now = timezone.now()
    plans = {}
    for pair in pairs:
        key = (pair.program_id, pair.published_at)
        if key not in plans:
            first, targets = _plan_targets(pair.program, pair.published_at)
            plans[key] = (targets, *_busy_window(pair.program, first))
    start = min(window_start for _targets, window_start, _end in plans.values())
    end = max(window_end for _targets, _start, window_end in plans.values())
    meetings_of, webinars_of = busy_times_by_user(
        [uid for pair in pairs for uid in _people_ids(pair)], start, end
    )
    regions: dict[int, str | None] = {}
    day_rules: dict[int, DayRules] = defaultdict(dict)  # per program (one ``now``)
    created: list[Meeting] = []
    for pair in pairs:
        targets, window_start, window_end = plans[(pair.program_id, pair.published_at)]
        if pair.school_id not in regions:
            regions[pair.school_id] = school_region(pair)
        mentor_id, leader_id = _people_ids(pair)
        busy = [
            (s, e, label)
            for s, e, label in (
                *{**meetings_of.get(mentor_id, {}), **meetings_of.get(leader_id, {})}.values(),
                *webinars_of.get(mentor_id, ()),
                *webinars_of.get(leader_id, ()),
            )
            if s < window_end and e > window_start
        ]
        meetings = [Meeting(pair=pair, number=n) for n in range(1, MEETINGS_PER_PAIR + 1)]
        suggestion = _suggest(
            pair.program,
            meetings,
            targets=targets,
            region=regions[pair.school_id],
            busy=busy,
            now=now,
            day_rules=day_rules[pair.program_id],
        )
        for meeting in meetings:
            meeting.suggested_starts_at = suggestion.get(meeting.number)
        created += meetings
    return Meeting.objects.bulk_create(created, batch_size=5000)


# --- Notifications ---------------------------------------------------------------------------


def _context(meeting: Meeting, recipient, **extra) -> dict:
    pair = meeting.pair
    return {
        "meeting": meeting,
        "pair": pair,
        "other": pair.other_user(recipient),
        "pair_url": ics.pair_url(meeting),
        "guide_url": ics.guide_url(meeting),
        "when": rules.show(meeting.starts_at) if meeting.starts_at else "",
        # The one who acted reads "U heeft ...", the other "<name> heeft ...".
        "by_you": extra.get("actor") == recipient,
        **extra,
    }


def _send_invites(meeting: Meeting, kind: str, *, cancel: bool = False, **extra) -> None:

    invite = ics.meeting_invite(meeting, cancel=cancel)
    filename = "annulering.ics" if cancel else "uitnodiging.ics"
    for user in (meeting.pair.mentor.user, meeting.pair.schoolleider.user):
        notify(
            kind=kind,
            recipient=user,
            context=_context(meeting, user, **extra),
            attachments=[Attachment(filename, invite, calendar.invite_mimetype(cancel=cancel))],
            dedupe_key=f"{kind}:{meeting.uid}:{meeting.sequence}",
            program=meeting.pair.program,
        )


def _cancel_pending_reminders(meeting: Meeting) -> None:
    """A moved or cancelled meeting must never get the reminder queued for its old time."""
    cancel_pending("meeting_reminder", f"meeting-reminder:{meeting.uid}:")


# --- Proposing and accepting --------------------------------------------------------------


def _lock_meeting(meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "pair__program", "pair__school", "pair__mentor__user", "pair__schoolleider__user"
        )
        .get(pk=meeting_id)
    )


@transaction.atomic
def meeting_propose(*, meeting: Meeting, by, slots: Sequence[SlotInput]) -> list[Slot]:
    """``by`` proposes one to three times for ``meeting``; earlier open proposals lapse."""
    meeting = _lock_meeting(meeting.pk)
    pair = meeting.pair
    _member_side(pair, by)
    if meeting.status not in OPEN_FOR_PROPOSALS:
        raise ValidationError(
            _("Gesprek %(n)s is al gepland; verplaats het als u een ander tijdstip wilt.")
            % {"n": meeting.number}
        )
    if not 1 <= len(slots) <= MAX_SLOTS:
        raise ValidationError(_("Stel één tot drie tijdstippen voor."))
    errors: list[str] = []
    starts = [s.starts_at for s in slots]
    if len(set(starts)) != len(starts):
        errors.append(_("U heeft hetzelfde tijdstip twee keer voorgesteld."))
    for index, slot in enumerate(slots, start=1):
        problems = _check_place(slot) + check_time(meeting, slot.starts_at)
        errors += [_("Tijdstip %(i)s: %(problem)s") % {"i": index, "problem": p} for p in problems]
    if errors:
        raise ValidationError(errors)
    meeting.slots.filter(status=SlotStatus.OPEN).update(status=SlotStatus.SUPERSEDED)
    created = Slot.objects.bulk_create(
        [
            Slot(
                meeting=meeting,
                proposed_by=by,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                mode=s.mode,
                location=s.location.strip() or default_location(pair, s.mode),
                online_url=s.online_url if s.mode == MeetingMode.ONLINE else "",
            )
            for s in slots
        ]
    )
    meeting.status = MeetingStatus.PROPOSED
    meeting.changed_by = by
    meeting.save(update_fields=["status", "changed_by", "updated_at"])

    other = pair.other_user(by)
    notify(
        kind="meeting_proposed",
        recipient=other,
        context=_context(
            meeting,
            other,
            actor=by,
            slots=[{"when": rules.show(s.starts_at), "slot": s} for s in created],
        ),
        program=pair.program,
    )
    return created


@transaction.atomic
def meeting_accept(*, slot: Slot, by) -> Meeting:
    """The other side accepts one proposed time: the meeting is planned and both get the invite."""
    pair = slot.meeting.pair
    _member_side(pair, by)
    _lock_people(pair)
    meeting = _lock_meeting(slot.meeting_id)
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.status != SlotStatus.OPEN or meeting.status != MeetingStatus.PROPOSED:
        raise ValidationError(
            _("Dit voorstel is niet meer open: het is al geaccepteerd of vervangen.")
        )
    if slot.proposed_by_id == by.pk:
        raise ValidationError(_("U kunt uw eigen voorstel niet accepteren; de ander kiest."))
    problems = check_time(meeting, slot.starts_at)
    if problems:
        raise ValidationError(problems)
    if meeting.planned_at is not None:
        # Planned before and then cancelled: calendars got METHOD:CANCEL for the old UID,
        # and some clients never revive a cancelled UID, so this is a new event.
        meeting.uid = new_uid()
        meeting.sequence = 0
    meeting.status = MeetingStatus.PLANNED
    meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
    meeting.mode, meeting.location, meeting.online_url = slot.mode, slot.location, slot.online_url
    meeting.planned_at = timezone.now()
    meeting.changed_by = by
    meeting.change_reason = ""
    meeting.save()
    slot.status = SlotStatus.ACCEPTED
    slot.save(update_fields=["status"])
    meeting.slots.filter(status=SlotStatus.OPEN).update(status=SlotStatus.SUPERSEDED)
    _refresh_suggestions(pair)
    _send_invites(meeting, "meeting_accepted", actor=by)
    return meeting


@transaction.atomic
def meeting_take_over_suggestion(*, pair, by) -> list[Slot]:
    """One click: propose the suggested time of every meeting not yet planned (at the school)."""
    _member_side(pair, by)
    meetings = [
        m
        for m in Meeting.objects.filter(pair=pair).order_by("number")
        if m.status in OPEN_FOR_PROPOSALS and m.suggested_starts_at
    ]
    if not meetings:
        raise ValidationError(_("Er is geen voorgesteld tijdstip meer om over te nemen."))
    created: list[Slot] = []
    for meeting in meetings:
        assert meeting.suggested_starts_at is not None  # only those with one were picked
        meeting.pair = pair
        created += meeting_propose(
            meeting=meeting,
            by=by,
            slots=[SlotInput(starts_at=meeting.suggested_starts_at, mode=MeetingMode.SCHOOL)],
        )
    return created


# --- Moving, cancelling, marking held ---------------------------------------------------------


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    by,
    starts_at: dt.datetime,
    mode: str,
    location: str = "",
    online_url: str = "",
    reason: str,
) -> Meeting:
    """Move a planned meeting; the calendar event is updated (same UID, higher SEQUENCE)."""
    pair = meeting.pair
    _member_side(pair, by)
    _lock_people(pair)
    meeting = _lock_meeting(meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Alleen een gepland gesprek kan worden verplaatst."))
    assert meeting.starts_at is not None  # a planned meeting has its time (set on accepting)
    if meeting.starts_at <= timezone.now():
        raise ValidationError(
            _("Dit gesprek is al begonnen of voorbij; verplaatsen kan niet meer.")
        )
    reason = (reason or "").strip()
    errors = []
    if not reason:
        errors.append(_("Geef kort de reden van het verplaatsen; de ander krijgt die te lezen."))
    slot = SlotInput(starts_at=starts_at, mode=mode, location=location, online_url=online_url)
    new_location = location.strip() or default_location(pair, mode)
    new_url = online_url if mode == MeetingMode.ONLINE else ""
    if (slot.starts_at, mode, new_location, new_url) == (
        meeting.starts_at,
        meeting.mode,
        meeting.location,
        meeting.online_url,
    ):
        errors.append(
            _(
                "Dit is hetzelfde tijdstip en dezelfde plek als nu gepland; "
                "kies een ander tijdstip of een andere plek."
            )
        )
    else:
        errors += _check_place(slot) + check_time(meeting, starts_at)
    if errors:
        raise ValidationError(errors)
    _cancel_pending_reminders(meeting)
    previous = rules.show(meeting.starts_at)
    previous_place = meeting.place
    meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
    meeting.mode = mode
    meeting.location = new_location
    meeting.online_url = new_url
    meeting.sequence += 1
    meeting.change_reason = reason[:300]
    meeting.changed_by = by
    meeting.save()
    _refresh_suggestions(pair)
    _send_invites(
        meeting,
        "meeting_moved",
        actor=by,
        reason=meeting.change_reason,
        previous=previous,
        previous_place=previous_place if previous_place != meeting.place else "",
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, reason: str) -> Meeting:
    """Cancel a planned meeting; both calendars get METHOD:CANCEL, reminders are withdrawn."""
    meeting = _lock_meeting(meeting.pk)
    _member_side(meeting.pair, by)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Alleen een gepland gesprek kan worden geannuleerd."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Geef kort de reden van het annuleren; de ander krijgt die te lezen.")
        )
    _cancel_pending_reminders(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.change_reason = reason[:300]
    meeting.changed_by = by
    meeting.save()
    _refresh_suggestions(meeting.pair)
    _send_invites(meeting, "meeting_cancelled", cancel=True, actor=by, reason=meeting.change_reason)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by, held: bool) -> Meeting:
    """After its start, either side records whether the meeting took place (may be corrected)."""
    meeting = _lock_meeting(meeting.pk)
    pair = meeting.pair
    if pair.side_of(by) is None:
        raise PermissionDenied(_("Alleen de mentor en de schoolleider van dit koppel kunnen dit."))
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.NOT_HELD):
        raise ValidationError(_("Alleen een gepland gesprek kan als gehouden worden vastgelegd."))
    assert meeting.starts_at is not None  # planned (and so held / not held) ones have a time
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Dit gesprek is nog niet begonnen; leg na afloop vast of het is doorgegaan.")
        )
    meeting.status = MeetingStatus.HELD if held else MeetingStatus.NOT_HELD
    meeting.outcome_marked_by = by
    meeting.outcome_marked_at = timezone.now()
    meeting.save(update_fields=["status", "outcome_marked_by", "outcome_marked_at", "updated_at"])
    return meeting


#: A meeting in one of these statuses gets its outcome from ``meeting_mark_held``.
PLATFORM_OUTCOME = (MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.NOT_HELD)


def meeting_record_outcome(
    *, pair, number: int, by, held: bool, held_on: dt.date | None
) -> Meeting:
    """What a side recorded on the guides page ("was it held?", the date), as the meeting's
    status: the one place "held" is stored.

    * A meeting planned on the platform (planned, held, not held) follows
      ``meeting_mark_held``: after its start, either side, correctable (a planned meeting
      that has not started raises ValidationError).
    * A meeting the pair arranged elsewhere (on the platform still unplanned, proposed or
      cancelled) becomes held on the date they give, at the suggested hour (or now, if that
      is earlier): a booked meeting always has a time. "Not held" leaves it open for planning.

    Runs inside the caller's transaction.
    """
    created, _new = Meeting.objects.get_or_create(pair=pair, number=number)
    meeting = Meeting.objects.select_for_update().get(pk=created.pk)
    if meeting.status in PLATFORM_OUTCOME:
        return meeting_mark_held(meeting=meeting, by=by, held=held)
    if not held or held_on is None:
        return meeting
    # Never later than now: the other side may record (or correct) the outcome at once.
    start = min(
        dt.datetime.combine(held_on, SUGGESTED_START, tzinfo=rules.LOCAL_TZ),
        timezone.now(),
    )
    if meeting.planned_at is not None:
        # Planned once and cancelled: calendars got METHOD:CANCEL for the old UID.
        meeting.uid, meeting.sequence = new_uid(), 0
    meeting.status = MeetingStatus.HELD
    meeting.starts_at, meeting.ends_at = start, start + rules.MEETING_LENGTH
    meeting.outcome_marked_by = by
    meeting.outcome_marked_at = timezone.now()
    meeting.save()
    meeting.slots.filter(status=SlotStatus.OPEN).update(status=SlotStatus.SUPERSEDED)
    return meeting
