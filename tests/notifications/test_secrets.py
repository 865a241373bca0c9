"""One-time links are never shown: not on outbox pages, not in the admin, not once sent.

Program staff see only the messages their program caused, never a person's account mail.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notifications.delivery import deliver_pending
from notifications.enums import Status
from notifications.models import Notification
from notifications.outbox import notify
from notifications.secrets import contains_secret, redact
from people.enums import RoleKind
from people.services import invitation_create
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"'<>]+")


def reset_link(body: str) -> str:
    return next(u for u in URL.findall(body) if "/password/reset/key/" in u)


def request_reset(client, email, capture):
    with capture(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302
    client.logout()


@pytest.fixture
def foundation_also_in_program(program):
    """The foundation's staff account, also holding a role in the program."""
    user = f.make_user("directie@leerkracht.example", is_staff=True)
    f.make_role(user, program, RoleKind.MENTOR)
    return user


def test_program_staff_never_see_a_password_reset_of_someone_in_their_program(
    client,
    client_for,
    program,
    staff,
    foundation_also_in_program,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    request_reset(client, foundation_also_in_program.email, django_capture_on_commit_callbacks)
    row = Notification.objects.get(kind="account_password_reset_key")
    link = reset_link(mailoutbox[0].body)  # the person themself got the real link
    c = client_for(staff)
    response = c.get(reverse("notifications:program_outbox", args=[program.pk]) + "?status=all")
    assert row not in list(response.context["page"])
    assert link not in response.content.decode()
    detail = reverse("notifications:program_detail", args=[program.pk, row.pk])
    assert c.get(detail).status_code == 404
    # Nor through a bulk action on the id.
    c.post(
        reverse("notifications:program_action", args=[program.pk]),
        {"action": "cancel", "ids": [row.pk]},
    )
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_foundation_staff_see_that_a_reset_was_sent_but_not_its_link(
    client, client_for, person, foundation_staff, mailoutbox, django_capture_on_commit_callbacks
):
    request_reset(client, person.email, django_capture_on_commit_callbacks)
    row = Notification.objects.get(kind="account_password_reset_key")
    link = reset_link(mailoutbox[0].body)
    key_part = link.rsplit("/key/", 1)[1].strip("/")
    response = client_for(foundation_staff).get(reverse("notifications:detail", args=[row.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "[eenmalige link verborgen]" in body and "Verstuurd" in body
    assert key_part not in body and "/password/reset/key/" not in body
    # Sent: the stored copy no longer holds the link either (exports, backups, SQL).
    row.refresh_from_db()
    assert key_part not in row.body_text + row.body_html + row.subject


def test_the_admin_never_shows_a_one_time_link_even_before_sending(client_for, program):
    admin = f.make_user("beheer@leerkracht.example", is_staff=True, is_superuser=True)
    person = f.make_user("nieuw@school.example")
    invitation = invitation_create(user=person, program=program)  # queued, not yet sent
    row = Notification.objects.get(kind="invitation")
    assert invitation.token in row.body_text  # the real message is kept until it is sent
    c = client_for(admin)
    response = c.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert invitation.token not in body and "[eenmalige link verborgen]" in body
    response = c.get(reverse("admin:notifications_notification_changelist") + "?q=uitnodiging")
    assert invitation.token not in response.content.decode()


def test_invitation_sent_for_a_program_shows_no_link_to_its_staff(
    client_for, program, staff, mailoutbox
):
    person = f.make_user("nieuw@school.example")
    f.make_role(person, program, RoleKind.SCHOOLLEIDER)
    invitation = invitation_create(user=person, program=program)
    deliver_pending()
    assert invitation.token in mailoutbox[0].body  # the recipient gets a working link
    row = Notification.objects.get(kind="invitation")
    response = client_for(staff).get(
        reverse("notifications:program_detail", args=[program.pk, row.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert invitation.token not in body and "[eenmalige link verborgen]" in body
    row.refresh_from_db()
    assert invitation.token not in row.body_text + row.body_html
    assert row.status == Status.SENT


def test_program_staff_see_only_what_their_program_caused(
    client_for, program, coach_program, staff, mentor
):
    ours = notify("staff_message", mentor, {"subject": "A", "message": "x"}, program=program)
    elsewhere = notify(
        "staff_message", mentor, {"subject": "B", "message": "y"}, program=coach_program
    )
    account = notify("staff_message", mentor, {"subject": "C", "message": "z"})  # no program
    c = client_for(staff)
    response = c.get(reverse("notifications:program_outbox", args=[program.pk]) + "?status=all")
    assert list(response.context["page"]) == [ours]
    for row in (elsewhere, account):
        url = reverse("notifications:program_detail", args=[program.pk, row.pk])
        assert c.get(url).status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "Klik op https://mentoring.example/accounts/password/reset/key/3-abc-def/ nu",
        '<a href="https://x.example/accounts/confirm-email/MTI:1tQ:abc/">bevestig</a>',
        "Uw link: http://testserver/uitnodiging/Zm9vYmFyYmF6/",
        "Agenda: https://x.example/agenda/feedtoken123.ics",
        "Elders: https://other.example/reset?token=abcdef&x=1",
        '<a href="/uitnodiging/abc123/">kies</a>',
    ],
)
def test_redact_hides_every_kind_of_one_time_link(text):
    shown = redact(text)
    assert "[eenmalige link verborgen]" in shown
    for secret in ("3-abc-def", "MTI:1tQ:abc", "Zm9vYmFyYmF6", "feedtoken123", "abcdef", "abc123"):
        assert secret not in shown
    assert contains_secret(text)


def test_redact_leaves_ordinary_links_alone():
    text = "Zie https://mentoring.example/programma/3/ en </p> 1/2"
    assert redact(text) == text and not contains_secret(text)
