"""Migration 0002 carries "held" from the meeting record to the meeting's status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("guides", "0001_initial"), ("meetings", "0002_planning")]
AFTER = [("guides", "0003_held_only_on_the_meeting")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_held_records_mark_their_meetings_held(program, pair, other_pair, mentor):
    old = _migrate(BEFORE)
    Record = old.get_model("guides", "MeetingRecord")
    Meeting = old.get_model("meetings", "Meeting")
    now = timezone.now()
    planned = Meeting.objects.create(
        pair_id=pair.pk,
        number=1,
        status="planned",
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=2) + dt.timedelta(hours=2),
        planned_at=now - dt.timedelta(days=9),
        uid="meeting-a@test",
    )
    Record.objects.create(pair_id=pair.pk, number=1, held=True, held_on=now.date())
    # Arranged elsewhere: no meeting row yet.
    Record.objects.create(pair_id=pair.pk, number=2, held=True, held_on=dt.date(2026, 11, 20))
    # "Not held", answered before recorded_at existed everywhere.
    Record.objects.create(pair_id=other_pair.pk, number=1, held=False)
    new = _migrate(AFTER)
    Meeting = new.get_model("meetings", "Meeting")
    Record = new.get_model("guides", "MeetingRecord")
    first = Meeting.objects.get(pk=planned.pk)
    assert first.status == "held" and first.starts_at == planned.starts_at  # kept its time
    second = Meeting.objects.get(pair_id=pair.pk, number=2)
    assert second.status == "held"
    assert timezone.localtime(second.starts_at).date() == dt.date(2026, 11, 20)
    answered = Record.objects.get(pair_id=other_pair.pk, number=1)
    assert answered.recorded_at is not None  # still reads as "not held"
    assert not Meeting.objects.filter(pair_id=other_pair.pk).exists()
