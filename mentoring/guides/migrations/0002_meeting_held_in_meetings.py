"""Carry "held" over from the meeting record to the meeting's status (stored once from 0003).

A record that says held whose meeting is not held marks the meeting held: a meeting planned
on the platform keeps its time; one arranged elsewhere (no meeting row yet, unplanned,
proposed or cancelled) gets the record's date at 15:30 (``planning.SUGGESTED_START``, never
later than now) for two hours, as ``meetings.planning.meeting_record_outcome`` does. A "not held" answer
stays an answer: its record keeps a ``recorded_at``.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import F
from django.utils import timezone

SUGGESTED_START = dt.time(15, 30)
MEETING_LENGTH = dt.timedelta(hours=2)


def carry_over(apps, schema_editor):
    MeetingRecord = apps.get_model("guides", "MeetingRecord")
    Meeting = apps.get_model("meetings", "Meeting")
    Slot = apps.get_model("meetings", "Slot")
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    for record in MeetingRecord.objects.filter(held=True).order_by("pk").iterator():
        meeting = Meeting.objects.filter(pair_id=record.pair_id, number=record.number).first()
        if meeting is None:
            meeting = Meeting(pair_id=record.pair_id, number=record.number)
        if meeting.status == "held":
            continue
        if meeting.status not in ("planned", "not_held") or meeting.starts_at is None:
            answered = record.recorded_at or record.updated_at
            day = record.held_on or timezone.localtime(answered).date()
            start = min(dt.datetime.combine(day, SUGGESTED_START, tzinfo=zone), now)
            if meeting.planned_at is not None:  # cancelled: a new calendar event
                meeting.uid = f"meeting-{uuid.uuid4().hex}@leerkracht-mentoring"
                meeting.sequence = 0
            meeting.starts_at, meeting.ends_at = start, start + MEETING_LENGTH
        meeting.status = "held"
        meeting.outcome_marked_by_id = record.recorded_by_id
        meeting.outcome_marked_at = record.recorded_at or now
        meeting.save()
        Slot.objects.filter(meeting_id=meeting.pk, status="open").update(status="superseded")
    MeetingRecord.objects.filter(held=False, recorded_at__isnull=True).update(
        recorded_at=F("updated_at")
    )


def carry_back(apps, schema_editor):
    MeetingRecord = apps.get_model("guides", "MeetingRecord")
    Meeting = apps.get_model("meetings", "Meeting")
    status = {
        (pair_id, number): value
        for pair_id, number, value in Meeting.objects.values_list("pair_id", "number", "status")
    }
    for record in MeetingRecord.objects.order_by("pk").iterator():
        value = status.get((record.pair_id, record.number))
        if value == "held":
            held = True
        elif value == "not_held" or record.recorded_at is not None:
            held = False
        else:
            held = None
        MeetingRecord.objects.filter(pk=record.pk).update(held=held)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0001_initial"),
        ("meetings", "0002_planning"),
    ]

    operations = [migrations.RunPython(carry_over, carry_back)]
