"""The meetings app's writes, kept importable from their old place.

The code lives in one module per job: ``planning`` (facts for the rules, the suggested
plan, propose / accept / take over / move / cancel / mark held), ``reminders`` (meeting
reminders and staff nudges) and ``feeds`` (the private calendar feed, its writes too).
New code imports from those modules; this one only re-exports them.
"""

from __future__ import annotations

from .feeds import feed_enable, feed_follow, feed_regenerate, feed_revoke
from .planning import (
    MAX_SLOTS,
    SUGGESTED_START,
    SlotInput,
    _cancel_pending_reminders,
    _check_place,
    _context,
    _lock_meeting,
    _lock_people,
    _member_side,
    _people_ids,
    _refresh_suggestions,
    _send_invites,
    busy_times,
    check_time,
    default_location,
    meeting_accept,
    meeting_cancel,
    meeting_mark_held,
    meeting_move,
    meeting_propose,
    meeting_take_over_suggestion,
    meetings_create_for_pair,
    school_region,
    slot_facts,
    suggest_plan,
)
from .reminders import REMINDER_BEFORE, pairs_nudge, reminder_key, reminders_send_due

__all__ = [
    "MAX_SLOTS",
    "REMINDER_BEFORE",
    "SUGGESTED_START",
    "SlotInput",
    "_cancel_pending_reminders",
    "_check_place",
    "_context",
    "_lock_meeting",
    "_lock_people",
    "_member_side",
    "_people_ids",
    "_refresh_suggestions",
    "_send_invites",
    "busy_times",
    "check_time",
    "default_location",
    "feed_enable",
    "feed_follow",
    "feed_regenerate",
    "feed_revoke",
    "meeting_accept",
    "meeting_cancel",
    "meeting_mark_held",
    "meeting_move",
    "meeting_propose",
    "meeting_take_over_suggestion",
    "meetings_create_for_pair",
    "pairs_nudge",
    "reminder_key",
    "reminders_send_due",
    "school_region",
    "slot_facts",
    "suggest_plan",
]
