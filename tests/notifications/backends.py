"""Mail backends that misbehave on purpose, for the outbox tests."""

from __future__ import annotations

import threading
from collections import deque

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class WorkerDied(BaseException):  # noqa: N818  (like SystemExit: not an Exception)
    """Stands in for a worker process killed in the middle of a send."""


class ScriptedBackend(LocmemBackend):
    """Raises the queued exceptions one per send, then behaves like locmem."""

    script: deque = deque()

    def send_messages(self, messages):
        if ScriptedBackend.script:
            raise ScriptedBackend.script.popleft()
        return super().send_messages(messages)


class DyingBackend(LocmemBackend):
    """The ESP receives the message, then the worker dies before recording it."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerDied()


class SlowBackend(LocmemBackend):
    """Blocks inside send until released, so a second worker can try to interfere."""

    entered = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        SlowBackend.entered.set()
        SlowBackend.release.wait(timeout=10)
        return super().send_messages(messages)
