"""The tracking webhook gate: 404 until configured, 400 on bad input, an error check in
production. A forged bounce can never suppress a person's mail."""

from __future__ import annotations

import base64

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from notifications.checks import webhook_secret_check
from notifications.models import DeliveryEvent, SuppressedAddress
from notifications.webhooks import ESPS
from tests.notifications.conftest import MAILGUN_SIGNING_KEY, WEBHOOK_SECRET

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning"),
]

FORGED_BOUNCE = (
    b'{"RecordType": "Bounce", "Type": "HardBounce", "Email": "lid@school.example", '
    b'"ID": 1, "MessageID": "x", "BouncedAt": "2026-11-05T16:33:54Z"}'
)


def url(esp: str) -> str:
    return reverse(f"notifications:anymail:{esp}_tracking_webhook")


def post(esp: str, body: bytes, *, secret: str = WEBHOOK_SECRET, content_type="application/json"):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    return Client().post(url(esp), data=body, content_type=content_type, HTTP_AUTHORIZATION=auth)


@pytest.mark.parametrize("esp", sorted(ESPS))
def test_endpoints_answer_404_until_the_secret_is_set(esp, settings, person):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY}
    assert post(esp, FORGED_BOUNCE).status_code == 404
    assert (
        Client().post(url(esp), data=FORGED_BOUNCE, content_type="application/json").status_code
        == 404
    )
    assert not SuppressedAddress.objects.exists() and not DeliveryEvent.objects.exists()


BAD_BODIES = [
    b"",
    b"{",
    b"not json at all",
    b"\xff\xfe\x00",
    b"null",
    b"42",
    b'"a string"',
    b"[]",
    b"{}",
    b"[1, 2]",
    b'[{"a": 1}]',
    b'{"unexpected": {"deeply": [1, 2, {"x": null}]}}',
    b'{"RecordType": "Bounce"}',
    b'{"event-data": "x", "signature": 5}',
    b'{"Type": "Notification", "Message": "{not json"}',
]


@pytest.mark.parametrize("esp", sorted(ESPS))
@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_bad_json_answers_400_never_500(esp, body, webhook_settings):
    response = post(esp, body)
    assert response.status_code in (200, 400), (esp, body, response.status_code)
    # 200 only where anymail read a harmless shape (a batch without events): nothing suppressed.
    assert not SuppressedAddress.objects.exists()


@pytest.mark.parametrize("esp", sorted(ESPS))
@pytest.mark.parametrize("body", [b"", b"{", b"[]", b"{}", b"null"])
def test_malformed_or_empty_json_is_exactly_400(esp, body, webhook_settings):
    assert post(esp, body).status_code == 400


def test_mailgun_without_its_signing_key_answers_400(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}
    body = b'{"signature": {"timestamp": "1", "token": "t", "signature": "s"}, "event-data": {}}'
    assert post("mailgun", body).status_code == 400


def test_ses_without_boto_or_keys_answers_400(webhook_settings):
    body = (
        b'{"Type": "SubscriptionConfirmation", "TopicArn": "arn:aws:sns:eu-west-1:1:t", '
        b'"SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription", '
        b'"Token": "x", "MessageId": "m"}'
    )
    assert post("amazon_ses", body).status_code in (200, 400)
    assert post("amazon_ses", b'{"Type": "Notification", "Message": "[1]"}').status_code == 400


def test_wrong_secret_is_refused(webhook_settings, person):
    assert post("postmark", FORGED_BOUNCE, secret="anymail:guess").status_code == 400
    assert not SuppressedAddress.objects.exists()


def test_missing_secret_is_a_system_check_error_with_debug_off(settings):
    settings.DEBUG = False
    settings.EMAIL_PROVIDER = "postmark"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "x"}
    assert [c.id for c in webhook_secret_check()] == ["notifications.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check")
    settings.EMAIL_PROVIDER = "mailgun"
    settings.ANYMAIL = {"MAILGUN_API_KEY": "x", "WEBHOOK_SECRET": "a:b"}
    assert [c.id for c in webhook_secret_check()] == ["notifications.E002"]
    settings.ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = "k"
    assert webhook_secret_check() == []
