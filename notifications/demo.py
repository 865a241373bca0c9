"""The demo's emails (``manage.py seed_demo --force``): the outbox rows to demo addresses.

Building the demo queues the emails the services send (invitations, matches, meetings);
rebuilding it removes those, and only those: every demo address is under the reserved
``.example`` domain (``people.demo``).
"""

from __future__ import annotations

from people.demo import demo_address_q

from .models import Notification


def delete_outbox() -> int:
    """Delete every email to a demo address; returns how many."""
    deleted, _rows = Notification.objects.filter(demo_address_q("to_email")).delete()
    return deleted
