"""The program outbox at size: paged, filtered and sorted in the database, the query string
kept across pages, and as many queries for 5 messages as for 50."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import views as outbox_views
from notifications.enums import Status
from notifications.models import Notification
from notifications.outbox import notify
from tests import factories as f

pytestmark = pytest.mark.django_db


def _messages(program, n: int, start: int = 0) -> None:
    """Failed messages with subjects "Onderwerp-000", "Onderwerp-001", ... (oldest first, a
    minute apart: the order never rests on two rows made in the same instant). The subject
    is not "Bericht NNN": each row's checkbox is labelled "Bericht <id> kiezen", which such a
    pattern would match once the database's ids reach three digits (PostgreSQL sequences
    are not rolled back between tests)."""
    base = timezone.now() - dt.timedelta(days=1)
    for i in range(start, start + n):
        user = f.make_user()
        row = notify(
            "staff_message",
            user,
            {"subject": f"Onderwerp-{i:03d}", "message": "Tekst"},
            program=program,
        )
        Notification.objects.filter(pk=row.pk).update(
            status=Status.FAILED, attempts=i % 4, created_at=base + dt.timedelta(minutes=i)
        )


def _subjects(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"Onderwerp-\d{3}", html)))


def test_outbox_pages_filter_and_sort(client_for, staff, program, monkeypatch):
    monkeypatch.setattr(outbox_views, "PAGE_SIZE", 5)
    _messages(program, 12)
    client = client_for(staff)
    url = reverse("notifications:program_outbox", args=[program.pk])
    first = client.get(url).content.decode()
    assert _subjects(first) == [f"Onderwerp-{i:03d}" for i in range(11, 6, -1)]  # newest first
    second = client.get(url, {"status": "failed", "page": 2}).content.decode()
    assert _subjects(second) == [f"Onderwerp-{i:03d}" for i in range(6, 1, -1)]
    assert "status=failed" in second and "page=3" in second
    oldest = client.get(url, {"sorteer": "aangemaakt"}).content.decode()
    assert _subjects(oldest) == [f"Onderwerp-{i:03d}" for i in range(5)]
    found = client.get(url, {"q": "Onderwerp-004"}).content.decode()
    assert _subjects(found) == ["Onderwerp-004"]
    assert _subjects(client.get(url, {"status": "sent"}).content.decode()) == []
    # The status tabs keep the search and the sort.
    searched = client.get(url, {"q": "Onderwerp", "sorteer": "aangemaakt"}).content.decode()
    assert "q=Onderwerp&amp;sorteer=aangemaakt&amp;status=sent" in searched


def test_outbox_queries_do_not_grow_with_messages(client_for, staff, program):
    client = client_for(staff)
    url = reverse("notifications:program_outbox", args=[program.pk])

    def count(**params) -> int:
        client.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    _messages(program, 5)
    five = count()
    five_sorted = count(sorteer="-pogingen", q="Onderwerp")
    _messages(program, 45, start=5)
    assert count() == five
    assert count(sorteer="-pogingen", q="Onderwerp") == five_sorted


def test_suppressed_list_names_people_in_constant_queries(client_for, staff, program):
    from notifications.suppression import suppress_address

    client = client_for(staff)
    url = reverse("notifications:program_suppressed", args=[program.pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def people(n: int, start: int = 0) -> None:
        for i in range(start, start + n):
            user = f.make_mentor(program, email=f"Persoon{i}@Bedrijf.example")
            user.first_name, user.last_name = "Persoon", f"{i:03d}"
            user.save(update_fields=["first_name", "last_name"])
            suppress_address(user.email, reason="bounced")  # stored lower-cased

    people(5)
    suppress_address("vreemde@example.org", reason="bounced")  # nobody of this program
    five = count()
    page = client.get(url).content.decode()
    assert "Persoon 004" in page and "vreemde@example.org" not in page
    people(45, start=5)
    assert count() == five
    assert "Persoon 049" in client.get(url).content.decode()
