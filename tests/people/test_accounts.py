"""Accounts through allauth: email login, mandatory verification, reset, rate limits, invitations."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from people.models import Invitation, User
from programs.enums import ProgramKind
from tests import factories as f


def _deliver():
    from notifications.delivery import deliver_pending

    deliver_pending()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


def test_signup_requires_email_verification_before_login(
    client, db, django_capture_on_commit_callbacks
):
    # Self-registration is open only while a mentor registration is (tests/people/test_interest.py).
    f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "Nieuw@Bedrijf.example",
                "password1": "Sterk-wachtwoord-2026",
                "password2": "Sterk-wachtwoord-2026",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nieuw@bedrijf.example")
    assert not user.emailaddress_set.get().verified
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "nieuw@bedrijf.example", "password": "Sterk-wachtwoord-2026"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "account_email_verification_sent"
    )
    _deliver()
    assert len(mail.outbox) >= 1 and "confirm-email" in mail.outbox[-1].body


def test_login_is_by_email(client, mentor):
    response = client.post(
        reverse("account_login"), {"login": mentor.email, "password": "geheim-wachtwoord-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_failed_logins_are_rate_limited(client, mentor):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": mentor.email, "password": "fout"})
    response = client.post(
        reverse("account_login"), {"login": mentor.email, "password": "geheim-wachtwoord-123"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_goes_through_outbox(
    client, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": mentor.email})
    _deliver()
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body)
    assert link


def test_invitation_sets_password_once(client, program, django_capture_on_commit_callbacks):
    from people.services import invitation_create

    user = User.objects.create_user("uitgenodigd@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(user=user, program=program)
    _deliver()
    assert invitation.token in mail.outbox[-1].body
    url = reverse("people:invitation_accept", args=[invitation.token])
    assert client.get(url).status_code == 200  # opening the link changes nothing
    invitation.refresh_from_db()
    assert invitation.used_at is None
    response = client.post(
        url, {"new_password1": "Nieuw-wachtwoord-77", "new_password2": "Nieuw-wachtwoord-77"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nieuw-wachtwoord-77")
    assert user.emailaddress_set.get().verified
    client.logout()
    assert client.get(url).status_code == 410


def test_expired_invitation_is_refused(client, program):
    user = f.make_user()
    invitation = Invitation.objects.create(
        user=user, expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    response = client.get(reverse("people:invitation_accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    response = client.post(
        reverse("people:invitation_accept", args=[invitation.token]),
        {"new_password1": "Nieuw-wachtwoord-77", "new_password2": "Nieuw-wachtwoord-77"},
    )
    assert response.status_code == 410
    user.refresh_from_db()
    assert not user.check_password("Nieuw-wachtwoord-77")


def test_unknown_invitation_is_404(client, db):
    assert (
        client.get(reverse("people:invitation_accept", args=["niet-bestaand"])).status_code == 404
    )
