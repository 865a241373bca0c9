"""allauth's own messages go through the outbox, restyled, and their links keep working."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from notifications.delivery import deliver_pending
from notifications.enums import Status
from notifications.models import Notification, SuppressedAddress
from notifications.suppression import suppress_address
from programs.enums import ProgramKind
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://\S+")


def links(text: str) -> list[str]:
    return URL.findall(text)


def test_password_reset_goes_through_the_outbox(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "LID@school.example"})
    assert response.status_code == 302
    row = Notification.objects.get()
    assert row.kind == "account_password_reset_key" and row.essential
    assert row.recipient == person and row.status == Status.SENT
    [msg] = mailoutbox
    assert msg.subject == "[leerKRACHT] Nieuw wachtwoord instellen"
    assert "Nieuw wachtwoord instellen" in msg.alternatives[0][0]
    assert "leerKRACHT" in msg.alternatives[0][0]
    reset_url = next(u for u in links(msg.body) if "/password/reset/key/" in u)
    response = client.get(reset_url, follow=True)
    assert response.status_code == 200
    assert response.context["form"] is not None  # the set-password form, not "bad token"
    assert not response.context.get("token_fail")


def test_signup_verification_link_confirms_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # Self-registration is open only while a mentor registration is (tests/people/test_interest.py).
    f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "nieuwe.mentor@bedrijf.example",
                "password1": "een-lang-wachtwoord-42",
                "password2": "een-lang-wachtwoord-42",
            },
        )
    assert response.status_code == 302
    row = Notification.objects.get(to_email="nieuwe.mentor@bedrijf.example")
    assert row.kind == "account_email_confirmation_signup" and row.status == Status.SENT
    [msg] = mailoutbox
    assert msg.subject == "[leerKRACHT] Bevestig uw e-mailadres"
    assert "E-mailadres bevestigen" in msg.alternatives[0][0]
    confirm_url = next(u for u in links(msg.body) if "/confirm-email/" in u)
    client.post(confirm_url)
    assert EmailAddress.objects.get(email="nieuwe.mentor@bedrijf.example").verified


def test_allauth_mail_in_the_users_language(client, english_person, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": english_person.email})
    row = Notification.objects.get()
    assert row.language == "en"
    assert '<html lang="en"' in row.body_html
    assert row.subject == "[leerKRACHT] Set a new password"
    assert "Dear Alex," in row.body_text


def test_allauth_mail_to_a_suppressed_address_is_held(client, person, mailoutbox):
    suppress_address(person.email, reason="bounced")
    client.post(reverse("account_reset_password"), {"email": person.email})
    deliver_pending()
    assert Notification.objects.get().status == Status.SUPPRESSED
    assert mailoutbox == []
    assert SuppressedAddress.objects.exists()


def test_text_only_allauth_messages_get_the_layout(client_for, person, mailoutbox):
    from allauth.account.adapter import get_adapter
    from allauth.core import context
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = person
    with context.request_context(request):
        get_adapter(request).send_mail(
            "account/email/password_changed",
            person.email,
            {"user": person, "ip": "127.0.0.1", "user_agent": "test", "timestamp": "nu"},
        )
    row = Notification.objects.get()
    assert row.kind == "account_password_changed"
    assert "<table" in row.body_html and "leerKRACHT" in row.body_html
    assert row.body_text.strip()
