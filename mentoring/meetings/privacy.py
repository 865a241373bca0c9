"""The meetings app's part of "Mijn gegevens" and of erasure (``mentoring.privacy_registry``).

Export: the meetings of the person's pairs, the times they proposed, their calendar feed
and connected calendar (the address shortened, as on the settings page; never the feed
token), their never-times, the nudges and plans of their pairs, planning runs they started.
Erasure: the connected calendar goes, with every busy block read from it.
"""

from __future__ import annotations

from django.db.models import Q

from mentoring.pairs.selectors import member_q
from mentoring.privacy_registry import plain, register, rows

from . import calendars
from .models import CalendarFeed, Meeting, Nudge, Slot
from .planning_models import CalendarConnection, MeetingPlan, NeverTime, PlanningRun


def _own_pairs(user) -> Q:
    return member_q(user, "pair__")


def export_user(user) -> dict:
    connection = CalendarConnection.objects.filter(user=user).first()
    return {
        "meetings": {
            "meetings": rows(
                Meeting.objects.filter(_own_pairs(user)).distinct(),
                {
                    "pair": "pair_id",
                    "number": "number",
                    "status": "status",
                    "starts_at": "starts_at",
                    "ends_at": "ends_at",
                    "mode": "mode",
                    "location": "location",
                    "online_url": "online_url",
                    "uid": "uid",
                    "planned_at": "planned_at",
                    "change_reason": "change_reason",
                    "outcome_marked_at": "outcome_marked_at",
                },
            ),
            "proposed_times": rows(
                Slot.objects.filter(proposed_by=user),
                {
                    "pair": "meeting__pair_id",
                    "meeting": "meeting__number",
                    "starts_at": "starts_at",
                    "ends_at": "ends_at",
                    "mode": "mode",
                    "location": "location",
                    "online_url": "online_url",
                    "status": "status",
                    "created_at": "created_at",
                },
            ),
            "calendar_feed": rows(
                CalendarFeed.objects.filter(user=user), ("created_at", "last_fetched_at")
            ),
            "calendar_connection": [
                {
                    "address": calendars.short_url(connection.url),
                    "created_at": plain(connection.created_at),
                    "last_read_at": plain(connection.last_read_at),
                    "error_code": connection.error_code,
                }
            ]
            if connection
            else [],
            "never_times": rows(
                NeverTime.objects.filter(user=user), ("weekday", "start_time", "end_time", "label")
            ),
            "nudges_to_pair": rows(
                Nudge.objects.filter(_own_pairs(user)).distinct(),
                {
                    "pair": "pair_id",
                    "number": "number",
                    "deadline": "deadline",
                    "sent_at": "sent_at",
                },
            ),
            "plans": rows(
                MeetingPlan.objects.filter(_own_pairs(user)).distinct(),
                {
                    "pair": "pair_id",
                    "status": "status",
                    "mode": "mode",
                    "created_at": "created_at",
                    "mentor_accepted_at": "mentor_accepted_at",
                    "schoolleider_accepted_at": "schoolleider_accepted_at",
                },
            ),
            "planning_runs": rows(
                PlanningRun.objects.filter(started_by=user),
                ("program_id", "status", "created_at", "finished_at"),
            ),
        }
    }


def erase_user(user) -> dict[str, int]:
    return {"calendar": int(calendars.disconnect(user=user))}


register("meetings", export=export_user, erase=erase_user, order=40)
