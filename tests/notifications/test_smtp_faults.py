"""Email faults against real servers on 127.0.0.1: refused, hanging, answering 4xx.

Each leaves every claimed message queued (``retry``) with its error and next retry time at
once — nothing waits for a lease, nothing is sent twice — and the sweep does not hang.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from notifications.delivery import deliver_ids, deliver_pending
from notifications.enums import Status
from notifications.models import Notification
from notifications.outbox import notify

pytestmark = pytest.mark.django_db
MESSAGE = {"subject": "Uw gesprek", "message": "Tekst"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A TCP server that never answers (hang) or greets with a 4xx line."""

    def __init__(self, greeting: bytes | None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.greeting = greeting
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.greeting is not None:
                conn.sendall(self.greeting)

    def close(self):
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_USE_TLS = False
    servers = []

    def use(kind: str):
        if kind == "refused":
            settings.EMAIL_PORT = free_port()
        else:
            server = Server(None if kind == "hang" else b"421 4.3.2 Service busy, try later\r\n")
            servers.append(server)
            settings.EMAIL_PORT = server.port

    yield use
    for s in servers:
        s.close()


@pytest.mark.parametrize("kind", ["refused", "hang", "4xx"])
def test_unreachable_server_leaves_messages_queued_with_error_and_retry(smtp, person, kind):
    smtp(kind)
    rows = [notify("staff_message", person, MESSAGE) for _ in range(3)]
    Notification.objects.update(status=Status.QUEUED)  # ImmediateBackend already tried once
    started = time.monotonic()
    report = deliver_pending()
    assert time.monotonic() - started < 10  # EMAIL_TIMEOUT: never hangs
    assert report.sent == 0 and report.retried == 3
    for row in rows:
        row.refresh_from_db()
        assert row.status == Status.RETRY, kind  # not 'sending' waiting for a lease
        assert row.last_error and row.handed_at is None
        assert row.next_attempt_at > row.created_at


def test_worker_task_path_also_requeues_at_once(smtp, person):
    smtp("refused")
    row = notify("staff_message", person, MESSAGE)
    Notification.objects.filter(pk=row.pk).update(status=Status.QUEUED)
    assert deliver_ids([row.pk]) == {row.pk: Status.RETRY}
    row.refresh_from_db()
    assert row.status == Status.RETRY and "Connection" in row.last_error


def test_email_timeout_is_configured():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT <= 60
