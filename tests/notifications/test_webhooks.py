"""anymail tracking webhooks with real-shaped payloads from Postmark, Mailgun, Brevo, SendGrid."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import warnings

import pytest
from django.urls import reverse

from notifications.delivery import deliver_pending
from notifications.enums import Status
from notifications.models import DeliveryEvent, Notification, SuppressedAddress
from notifications.outbox import notify
from tests.notifications.conftest import MAILGUN_SIGNING_KEY, WEBHOOK_SECRET

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning"),
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning"),
]

MESSAGE = {"subject": "Uw match is bekend", "message": "Tekst"}


def auth(secret: str = WEBHOOK_SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(esp: str, payload, secret: str = WEBHOOK_SECRET):
    from django.test import Client

    url = reverse(f"notifications:anymail:{esp}_tracking_webhook")
    return Client().post(
        url, data=json.dumps(payload), content_type="application/json", **auth(secret)
    )


@pytest.fixture
def sent(person, webhook_settings, mailoutbox) -> Notification:
    row = notify("staff_message", person, MESSAGE)
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.SENT
    return row


# --- Postmark ---------------------------------------------------------------------------


def postmark_bounce(row: Notification, *, bounce_type: str = "HardBounce") -> dict:
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": bounce_type,
        "TypeCode": 1 if bounce_type == "HardBounce" else 4096,
        "Name": "Hard bounce" if bounce_type == "HardBounce" else "Soft bounce",
        "Tag": row.kind,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"notification_id": str(row.pk), "kind": row.kind},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": row.to_email,
        "From": "mentoring@example.org",
        "BouncedAt": "2026-11-05T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": bounce_type == "HardBounce",
        "CanActivate": True,
        "Subject": row.subject,
        "Content": "Return-Path: <>\n...",
    }


def test_postmark_hard_bounce_marks_the_address_undeliverable(sent, person, mailoutbox):
    response = post("postmark", postmark_bounce(sent))
    assert response.status_code == 200
    suppression = SuppressedAddress.objects.get(email=person.email)
    assert suppression.reason == "bounced" and suppression.esp_name == "Postmark"
    assert "does not exist" in suppression.description
    sent.refresh_from_db()
    assert sent.status == Status.BOUNCED and sent.event_type == "bounced"
    assert DeliveryEvent.objects.get().notification == sent
    # Nothing more goes to that address...
    mailoutbox.clear()
    assert notify("staff_message", person, MESSAGE).status == Status.SUPPRESSED
    deliver_pending()
    assert mailoutbox == []
    # ...until the person's address changes.
    person.email = "nieuw@school.example"
    person.save()
    assert notify("staff_message", person, MESSAGE).status == Status.QUEUED


def test_postmark_soft_bounce_does_not_suppress(sent, person):
    assert post("postmark", postmark_bounce(sent, bounce_type="SoftBounce")).status_code == 200
    assert not SuppressedAddress.objects.exists()
    sent.refresh_from_db()
    assert sent.status == Status.SENT and sent.event_type == "bounced"


def test_postmark_delivery_marks_delivered(sent):
    payload = {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Recipient": sent.to_email,
        "Tag": sent.kind,
        "DeliveredAt": "2026-11-05T16:33:54.9070259Z",
        "Details": "Test delivery webhook details",
        "Metadata": {"notification_id": str(sent.pk), "kind": sent.kind},
    }
    assert post("postmark", payload).status_code == 200
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED and sent.delivered_at.year == 2026


def test_postmark_spam_complaint_suppresses(sent, person):
    payload = {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": sent.kind,
        "MessageID": "00000000-0000-0000-0000-000000000000",
        "Metadata": {"notification_id": str(sent.pk)},
        "ServerID": 1234,
        "Description": "The subscriber explicitly marked this message as spam.",
        "Details": "Test spam complaint details",
        "Email": person.email,
        "From": "mentoring@example.org",
        "BouncedAt": "2026-11-05T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": sent.subject,
        "Content": "",
    }
    assert post("postmark", payload).status_code == 200
    assert SuppressedAddress.objects.get(email=person.email).reason == "complained"


def test_wrong_secret_is_refused_and_changes_nothing(sent, person):
    response = post("postmark", postmark_bounce(sent), secret="anymail:wrong")
    assert response.status_code in (400, 403)
    from django.test import Client

    url = reverse("notifications:anymail:postmark_tracking_webhook")
    no_auth = Client().post(
        url, data=json.dumps(postmark_bounce(sent)), content_type="application/json"
    )
    assert no_auth.status_code in (400, 403)
    assert not SuppressedAddress.objects.exists()
    assert not DeliveryEvent.objects.exists()
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_same_event_posted_twice_is_recorded_once(sent):
    post("postmark", postmark_bounce(sent))
    post("postmark", postmark_bounce(sent))
    assert DeliveryEvent.objects.count() == 1


def test_delivery_event_settles_an_unknown_message(sent):
    Notification.objects.filter(pk=sent.pk).update(status=Status.UNKNOWN)
    payload = {
        "RecordType": "Delivery",
        "MessageID": "abc",
        "Recipient": sent.to_email,
        "DeliveredAt": "2026-11-05T16:33:54Z",
        "Metadata": {"notification_id": str(sent.pk)},
    }
    post("postmark", payload)
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED


def test_event_for_another_address_does_not_touch_the_row(sent):
    payload = postmark_bounce(sent)
    payload["Email"] = "iemand.anders@example.org"
    post("postmark", payload)
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    assert SuppressedAddress.objects.get().email == "iemand.anders@example.org"


# --- Mailgun (signed) -------------------------------------------------------------------


def mailgun_failed(
    row: Notification, *, severity: str = "permanent", key: str = MAILGUN_SIGNING_KEY
) -> dict:
    timestamp, token = "1529006854", "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {
            "event": "failed",
            "id": "G9Bn5sl1TC6LhRp7eKs6Lg",
            "timestamp": 1521472262.908181,
            "log-level": "error",
            "severity": severity,
            "reason": "bounce",
            "recipient": row.to_email,
            "recipient-domain": row.to_email.split("@")[1],
            "envelope": {
                "transport": "smtp",
                "sender": "mentoring@mg.example.org",
                "targets": row.to_email,
            },
            "delivery-status": {
                "attempt-no": 1,
                "message": "550 5.1.1 The email account that you tried to reach does not exist.",
                "code": 550,
                "description": "",
                "session-seconds": 0.43,
            },
            "flags": {
                "is-routed": False,
                "is-authenticated": True,
                "is-system-test": False,
                "is-test-mode": False,
            },
            "message": {
                "headers": {
                    "to": row.to_email,
                    "message-id": "20261105163354.1.ABCDEF@mg.example.org",
                    "from": "leerKRACHT mentoring <mentoring@example.org>",
                    "subject": row.subject,
                },
                "attachments": [],
                "size": 1422,
            },
            "tags": [row.kind],
            "user-variables": {"notification_id": str(row.pk), "kind": row.kind},
            "campaigns": [],
        },
    }


def test_mailgun_permanent_failure_suppresses(sent, person):
    assert post("mailgun", mailgun_failed(sent)).status_code == 200
    suppression = SuppressedAddress.objects.get(email=person.email)
    assert suppression.reason == "bounced" and suppression.esp_name == "Mailgun"
    sent.refresh_from_db()
    assert sent.status == Status.BOUNCED


def test_mailgun_temporary_failure_does_not_suppress(sent):
    assert post("mailgun", mailgun_failed(sent, severity="temporary")).status_code == 200
    assert not SuppressedAddress.objects.exists()
    assert DeliveryEvent.objects.get().event_type == "deferred"


def test_mailgun_bad_signature_is_refused(sent):
    response = post("mailgun", mailgun_failed(sent, key="not-the-key"))
    assert response.status_code == 400
    assert not SuppressedAddress.objects.exists()


# --- Brevo ------------------------------------------------------------------------------


def test_brevo_hard_bounce_suppresses(sent, person):
    payload = {
        "event": "hard_bounce",
        "email": person.email,
        "id": 123456,
        "date": "2026-11-05 17:33:54",
        "ts": 1793900034,
        "message-id": "<202611051633.12345678901@smtp-relay.mailin.fr>",
        "ts_event": 1793900034,
        "subject": sent.subject,
        "X-Mailin-custom": json.dumps({"notification_id": str(sent.pk), "kind": sent.kind}),
        "sending_ip": "185.41.28.109",
        "ts_epoch": 1793900034000,
        "template_id": None,
        "tags": [sent.kind],
        "reason": "550 5.1.1 <lid@school.example>: Recipient address rejected: User unknown",
    }
    assert post("brevo", payload).status_code == 200
    suppression = SuppressedAddress.objects.get(email=person.email)
    assert suppression.reason == "bounced" and suppression.esp_name == "Brevo"
    assert "User unknown" in suppression.description
    sent.refresh_from_db()
    assert sent.status == Status.BOUNCED


# --- SendGrid ---------------------------------------------------------------------------


def test_sendgrid_batch_with_delivered_and_bounce(sent, person):
    other = notify("staff_message", person, MESSAGE)
    deliver_pending()
    payload = [
        {
            "email": person.email,
            "timestamp": 1793900034,
            "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
            "event": "delivered",
            "category": [sent.kind],
            "sg_event_id": "rbtnWrG1DVDGGGFHFyun0A==",
            "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.000000000000000000000",
            "response": "250 OK",
            "notification_id": str(sent.pk),
            "kind": sent.kind,
        },
        {
            "email": person.email,
            "timestamp": 1793900040,
            "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-556>",
            "event": "bounce",
            "category": [other.kind],
            "sg_event_id": "6g4ZI7SA-xmRDv57GoPIPw==",
            "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
            "reason": "500 unknown recipient",
            "status": "5.0.0",
            "type": "bounce",
            "notification_id": str(other.pk),
            "kind": other.kind,
        },
    ]
    assert post("sendgrid", payload).status_code == 200
    sent.refresh_from_db()
    other.refresh_from_db()
    assert sent.status == Status.DELIVERED
    assert other.status == Status.BOUNCED
    assert SuppressedAddress.objects.get(email=person.email).esp_name == "SendGrid"


def test_missing_secret_is_flagged_by_a_system_check(settings):
    from notifications.checks import webhook_secret_check

    settings.DEBUG = True
    settings.EMAIL_PROVIDER = "postmark"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "x"}
    assert [w.id for w in webhook_secret_check()] == ["notifications.W001"]
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "x", "WEBHOOK_SECRET": "a:b"}
    assert webhook_secret_check() == []
    with warnings.catch_warnings():
        settings.EMAIL_PROVIDER = "console"
        assert webhook_secret_check() == []
