"""Two workers at once, with real commits and threads: every message goes out exactly once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import close_old_connections, connection, connections, transaction

from notifications.delivery import deliver_one, deliver_pending
from notifications.enums import Status
from notifications.models import Notification
from notifications.outbox import notify
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = {"subject": "Onderwerp", "message": "Tekst"}


def run_in_thread(target, results: list, *args) -> threading.Thread:
    def wrapper():
        try:
            results.append(target(*args))
        except Exception as exc:  # surfaced by the assertions below
            results.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=wrapper)
    thread.start()
    return thread


def test_second_worker_cannot_take_a_message_being_sent(dummy_tasks, slow_backend, mailoutbox):
    user = f.make_user("race@school.example")
    with transaction.atomic():
        row = notify("staff_message", user, MESSAGE)

    first: list = []
    a = run_in_thread(deliver_one, first, row.pk)
    assert slow_backend.entered.wait(5), "worker A never reached the ESP"
    # Worker A is inside send(): worker B (and a sweep) find nothing to do.
    second: list = []
    b = run_in_thread(deliver_one, second, row.pk)
    b.join(10)
    sweep: list = []
    c = run_in_thread(deliver_pending, sweep)
    c.join(10)
    slow_backend.release.set()
    a.join(10)
    close_old_connections()
    assert first == [Status.SENT]
    assert second == [None]
    assert sweep[0].sent == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1


def test_many_workers_racing_over_many_messages(dummy_tasks, settings, mailoutbox):
    settings.NOTIFICATIONS = {"BATCH_SIZE": 5}
    users = [f.make_user(f"racer{i}@school.example") for i in range(40)]
    with transaction.atomic():
        for user in users:
            notify("staff_message", user, MESSAGE)
    assert Notification.objects.filter(status=Status.QUEUED).count() == 40

    barrier = threading.Barrier(4)
    results: list = []

    def worker():
        barrier.wait(5)
        return deliver_pending()

    threads = [run_in_thread(worker, results) for _ in range(4)]
    for thread in threads:
        thread.join(30)
    errors = [r for r in results if isinstance(r, Exception)]
    # In-memory SQLite (shared cache) may refuse a concurrent writer ("table is locked");
    # PostgreSQL must not. A worker that hit such an error mid-batch leaves its claimed rows
    # in 'sending' (they become 'unknown' after the lease): never sent twice.
    if connection.vendor == "postgresql":
        assert errors == []
    assert all("locked" in str(e) for e in errors), errors
    deliver_pending()
    sent_to = Counter(m.to[0] for m in mail.outbox)
    assert max(sent_to.values()) == 1  # nobody got a message twice
    statuses = Counter(Notification.objects.values_list("status", flat=True))
    assert statuses[Status.SENT] == len(sent_to) or errors
    assert statuses[Status.SENT] + statuses[Status.SENDING] == 40
    if not errors:
        assert len(sent_to) == 40
