"""How long queueing and sending 5,000 notifications takes, and queries per message.

Runs on a temporary SQLite database (or the configured one with --use-configured-db),
with the locmem email backend and the django-tasks database backend (as in production:
every message is also a task row). Usage:

    .venv/bin/python bench/notifications.py [--count 5000] [--single 500]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(use_configured_db: bool) -> str | None:
    tmpdir = None
    if not use_configured_db:
        tmpdir = tempfile.mkdtemp(prefix="bench-notifications-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ["EMAIL_PROVIDER"] = "locmem"
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return tmpdir


class QueryCounter:
    """Counts queries without Django's 9,000-entry query log limit (CaptureQueriesContext
    per chunk, summed)."""

    def __init__(self) -> None:
        self.count = 0

    def run(self, func, *args, **kwargs):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        connection.queries_log.clear()  # stay under the log's 9,000-entry limit
        with CaptureQueriesContext(connection) as captured:
            result = func(*args, **kwargs)
        self.count += len(captured)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--chunk", type=int, default=500, help="Users per queueing transaction.")
    parser.add_argument(
        "--single",
        type=int,
        default=500,
        help="Also queue this many with notify(), one transaction each.",
    )
    parser.add_argument("--use-configured-db", action="store_true")
    args = parser.parse_args()
    tmpdir = setup(args.use_configured_db)

    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    from notifications.delivery import deliver_pending
    from notifications.enums import Status
    from notifications.models import Notification
    from notifications.outbox import notify, notify_many

    mail.outbox = []
    User = get_user_model()
    run = str(int(time.time()))
    n = args.count
    User.objects.bulk_create(
        [
            User(email=f"bench{run}.{i}@example.org", first_name=f"Naam{i}", password="!")  # noqa: S106 (unusable)
            for i in range(n + args.single)
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__startswith=f"bench{run}.").order_by("pk"))
    bulk_users, single_users = users[:n], users[n:]
    context = {
        "subject": "Herinnering: plan uw gesprek",
        "message": "Plan uw eerste gesprek met uw schoolleider.",
    }
    DBTaskResult.objects.all().delete()

    # 1. Queue 5,000 as a bulk sender does (a reminder run, a published match round):
    #    notify_many in transactions of 500; after each commit the delivery tasks are written.
    queue_counter = QueryCounter()

    def queue_chunk(chunk):
        with transaction.atomic():
            notify_many("staff_message", chunk, context)

    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, n, args.chunk):
        queue_counter.run(queue_chunk, bulk_users[i : i + args.chunk])
    queue_seconds, queue_cpu = time.perf_counter() - start, time.process_time() - cpu
    task_rows = list(DBTaskResult.objects.ready().order_by("enqueued_at"))

    # 2. Send: run the enqueued tasks the way `manage.py db_worker` does (claim the task row,
    #    call it, record the result).
    send_counter = QueryCounter()

    def run_task(result):
        result.claim("bench-worker")
        value = result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.set_successful(value)

    start, cpu = time.perf_counter(), time.process_time()
    for result in task_rows:
        send_counter.run(run_task, result)
    send_seconds, send_cpu = time.perf_counter() - start, time.process_time() - cpu
    sent = Notification.objects.filter(recipient__in=bulk_users, status=Status.SENT).count()

    # 3. The single path: notify() once per transaction (one event, one message), then
    #    the sweep sends them.
    single_counter = QueryCounter()

    def queue_one(user):
        with transaction.atomic():
            notify("staff_message", user, context)

    start, cpu = time.perf_counter(), time.process_time()
    for user in single_users:
        single_counter.run(queue_one, user)
    single_seconds, single_cpu = time.perf_counter() - start, time.process_time() - cpu
    sweep_counter = QueryCounter()
    start, cpu = time.perf_counter(), time.process_time()
    report = sweep_counter.run(deliver_pending)
    sweep_seconds, sweep_cpu = time.perf_counter() - start, time.process_time() - cpu

    total = queue_seconds + send_seconds
    m = len(single_users)

    def line(
        label: str, count: int, wall: float, cpu: float, queries: int, extra: str = ""
    ) -> None:
        print(
            f"  {label:<34} {count:>5}  {wall:7.2f} s wall  {cpu:7.2f} s CPU  "
            f"{count / max(wall, 1e-9):6.0f}/s  {queries / max(count, 1):5.2f} queries/message{extra}"
        )

    print(
        f"notifications bench on {connection.vendor}, locmem email backend "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    line(
        "queue: notify_many, 500 per txn",
        n,
        queue_seconds,
        queue_cpu,
        queue_counter.count,
        f"  ({len(task_rows)} delivery tasks)",
    )
    line("send: the delivery tasks", sent, send_seconds, send_cpu, send_counter.count)
    print(
        f"  total queue + send of {n}: {total:.2f} s wall, {queue_cpu + send_cpu:.2f} s CPU "
        f"(target < 30 s: {'met' if total < 30 and sent == n else 'NOT met'})"
    )
    if m:
        line(
            "queue: notify, one txn each",
            m,
            single_seconds,
            single_cpu,
            single_counter.count,
            "  (incl. its task row)",
        )
        line("send: the sweep", report.sent, sweep_seconds, sweep_cpu, sweep_counter.count)
    print(f"  emails in the locmem outbox: {len(mail.outbox)}")
    if tmpdir:
        import shutil

        connection.close()
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
