"""Staff outbox pages, the staff home panel, the preferences page and the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.delivery import deliver_pending
from notifications.enums import Status
from notifications.models import Notification, NotificationPreference, SuppressedAddress
from notifications.outbox import notify
from notifications.panels import email_problems
from notifications.suppression import suppress_address
from tests import factories as f

pytestmark = pytest.mark.django_db

MESSAGE = {"subject": "Plan uw gesprekken", "message": "Tekst"}


def failed_row(user, **kwargs) -> Notification:
    row = notify("staff_message", user, MESSAGE, **kwargs)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.FAILED, attempts=8, last_error="ConnectionError: ESP down"
    )
    row.refresh_from_db()
    return row


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["notifications:outbox", "notifications:suppressed"])
def test_foundation_pages_deny_everyone_else(name, client, client_for, outsider, staff, mentor):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous → login
    for user in (outsider, staff, mentor):  # program staff are not foundation staff
        assert client_for(user).get(url).status_code == 403


def test_foundation_detail_and_action_deny_others(client, client_for, mentor):
    row = failed_row(mentor)
    assert client.get(reverse("notifications:detail", args=[row.pk])).status_code == 302
    assert client_for(mentor).get(reverse("notifications:detail", args=[row.pk])).status_code == 403
    response = client_for(mentor).post(
        reverse("notifications:action"), {"action": "retry", "ids": [row.pk]}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == Status.FAILED


@pytest.mark.parametrize(
    "name", ["notifications:program_outbox", "notifications:program_suppressed"]
)
def test_program_pages_deny_non_staff(name, client, client_for, program, mentor, outsider):
    url = reverse(name, args=[program.pk])
    assert client.get(url).status_code == 302
    assert client_for(mentor).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403


def test_program_staff_see_only_their_program(client_for, program, coach_program, staff, mentor):
    mine = failed_row(mentor, program=program)
    stranger = f.make_user("elders@example.org")
    theirs = failed_row(stranger, program=coach_program)
    c = client_for(staff)
    response = c.get(reverse("notifications:program_outbox", args=[program.pk]))
    assert response.status_code == 200
    assert list(response.context["page"]) == [mine]
    assert (
        c.get(reverse("notifications:program_detail", args=[program.pk, theirs.pk])).status_code
        == 404
    )
    c.post(
        reverse("notifications:program_action", args=[program.pk]),
        {"action": "retry", "ids": [theirs.pk]},
    )
    theirs.refresh_from_db()
    assert theirs.status == Status.FAILED
    # Program staff of another program get 403 on this one.
    assert (
        c.get(reverse("notifications:program_outbox", args=[coach_program.pk])).status_code == 403
    )


def test_action_needs_post(client_for, foundation_staff):
    assert client_for(foundation_staff).get(reverse("notifications:action")).status_code == 405


# --- Outbox list and actions ------------------------------------------------------------


def test_outbox_lists_failed_by_default_with_filters(
    client_for, foundation_staff, mentor, schoolleider
):
    failed = failed_row(mentor)
    pending = notify("staff_message", schoolleider, MESSAGE)
    c = client_for(foundation_staff)
    response = c.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [failed]
    assert "ConnectionError: ESP down" in response.content.decode()
    counts = {value: n for value, _label, n in response.context["filters"]}
    assert counts["failed"] == 1 and counts["pending"] == 1 and counts["all"] == 2
    response = c.get(reverse("notifications:outbox"), {"status": "pending"})
    assert list(response.context["page"]) == [pending]
    response = c.get(reverse("notifications:outbox"), {"status": "all", "q": "leider@"})
    assert list(response.context["page"]) == [pending]
    response = c.get(reverse("notifications:outbox"), {"status": "all", "kind": "nope"})
    assert list(response.context["page"]) == []


def test_outbox_query_count_is_constant(
    client_for, foundation_staff, django_assert_max_num_queries
):
    users = [f.make_user(f"veel{i}@example.org") for i in range(30)]
    for user in users:
        failed_row(user)
    c = client_for(foundation_staff)
    with django_assert_max_num_queries(12):
        response = c.get(reverse("notifications:outbox"))
    assert len(response.context["page"]) == 30


def test_retry_one_message(
    client_for, foundation_staff, mentor, mailoutbox, django_capture_on_commit_callbacks
):
    row = failed_row(mentor)
    c = client_for(foundation_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("notifications:action"), {"action": "retry", "ids": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1
    assert len(mailoutbox) == 1


def test_bulk_retry_of_the_filtered_list(
    client_for, foundation_staff, mentor, schoolleider, mailoutbox
):
    rows = [failed_row(mentor), failed_row(schoolleider)]
    sent = notify("staff_message", mentor, MESSAGE)
    deliver_pending()
    mailoutbox.clear()
    response = client_for(foundation_staff).post(
        reverse("notifications:action"),
        {
            "action": "retry",
            "scope": "filtered",
            "status": "failed",
            "next": "/staf/berichten/?status=failed",
        },
    )
    assert response.status_code == 302 and response.url == "/staf/berichten/?status=failed"
    assert (
        Notification.objects.filter(pk__in=[r.pk for r in rows], status=Status.QUEUED).count() == 2
    )
    deliver_pending()
    assert len(mailoutbox) == 2
    sent.refresh_from_db()
    assert sent.status == Status.SENT and sent.attempts == 1


def test_retry_goes_to_the_current_address_but_not_a_suppressed_one(
    client_for, foundation_staff, mentor
):
    row = failed_row(mentor)
    suppress_address(mentor.email, reason="bounced")
    c = client_for(foundation_staff)
    c.post(reverse("notifications:action"), {"action": "retry", "ids": [row.pk]})
    row.refresh_from_db()
    assert row.status == Status.FAILED  # still blocked
    mentor.email = "nieuw@bedrijf.example"
    mentor.save()
    c.post(reverse("notifications:action"), {"action": "retry", "ids": [row.pk]})
    row.refresh_from_db()
    assert row.status in (Status.QUEUED, Status.SENT) and row.to_email == "nieuw@bedrijf.example"


def test_unknown_can_be_marked_sent_or_cancelled(client_for, foundation_staff, mentor):
    a = failed_row(mentor)
    b = failed_row(mentor)
    Notification.objects.filter(pk__in=[a.pk, b.pk]).update(status=Status.UNKNOWN)
    c = client_for(foundation_staff)
    c.post(reverse("notifications:action"), {"action": "mark_sent", "ids": [a.pk]})
    c.post(reverse("notifications:action"), {"action": "cancel", "ids": [b.pk]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Status.SENT and b.status == Status.CANCELLED


def test_a_sent_message_cannot_be_cancelled_or_marked_sent_again(
    client_for, foundation_staff, mentor
):
    row = notify("staff_message", mentor, MESSAGE)
    deliver_pending()
    row.refresh_from_db()
    sent_at = row.sent_at
    assert row.status == Status.SENT
    c = client_for(foundation_staff)
    assert not c.get(reverse("notifications:detail", args=[row.pk])).context["cancellable"]
    c.post(reverse("notifications:action"), {"action": "cancel", "ids": [row.pk]})
    c.post(reverse("notifications:action"), {"action": "mark_sent", "ids": [row.pk]})
    row.refresh_from_db()
    assert row.status == Status.SENT and row.sent_at == sent_at


def test_action_ignores_a_next_address_on_another_site(client_for, foundation_staff, mentor):
    row = failed_row(mentor)
    response = client_for(foundation_staff).post(
        reverse("notifications:action"),
        {"action": "cancel", "ids": [row.pk], "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("notifications:outbox")


def test_unknown_action_or_no_selection_changes_nothing(client_for, foundation_staff, mentor):
    row = failed_row(mentor)
    c = client_for(foundation_staff)
    response = c.post(reverse("notifications:action"), {"action": "delete", "ids": [row.pk]})
    assert response.status_code == 302
    response = c.post(reverse("notifications:action"), {"action": "cancel"}, follow=True)
    assert "Kies eerst een of meer berichten." in response.content.decode()
    row.refresh_from_db()
    assert row.status == Status.FAILED


def test_detail_shows_content(client_for, foundation_staff, mentor):
    row = failed_row(mentor)
    response = client_for(foundation_staff).get(reverse("notifications:detail", args=[row.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Plan uw gesprekken" in body and "srcdoc=" in body and "sandbox" in body


# --- Undeliverable addresses ------------------------------------------------------------


def test_suppressed_list_and_clear(client_for, foundation_staff, mentor):
    suppress_address(
        mentor.email, reason="bounced", description="550 unknown user", esp_name="Postmark"
    )
    c = client_for(foundation_staff)
    response = c.get(reverse("notifications:suppressed"))
    assert response.status_code == 200 and mentor.email in response.content.decode()
    suppression = SuppressedAddress.objects.get()
    c.post(reverse("notifications:suppression_clear", args=[suppression.pk]))
    assert not SuppressedAddress.objects.exists()
    assert notify("staff_message", mentor, MESSAGE).status == Status.QUEUED


def test_program_staff_clear_only_their_peoples_addresses(client_for, program, staff, mentor):
    suppress_address(mentor.email, reason="bounced")
    suppress_address("vreemde@example.org", reason="bounced")
    c = client_for(staff)
    response = c.get(reverse("notifications:program_suppressed", args=[program.pk]))
    assert [s.email for s in response.context["page"]] == [mentor.email]
    stranger = SuppressedAddress.objects.get(email="vreemde@example.org")
    url = reverse("notifications:program_suppression_clear", args=[program.pk, stranger.pk])
    assert c.post(url).status_code == 404
    assert SuppressedAddress.objects.count() == 2


# --- Staff home panel -------------------------------------------------------------------


def test_panel_shows_undeliverable_people_with_reason(
    rf, program, staff, mentor, schoolleider, outsider, django_assert_num_queries
):
    suppress_address(
        mentor.email, reason="bounced", description="550 5.1.1 user unknown", esp_name="Postmark"
    )
    suppress_address(outsider.email, reason="complained")  # not in this program
    failed_row(schoolleider, program=program)
    with django_assert_num_queries(2):
        panel = email_problems(rf.get("/"), program, None)
    assert [p.email for p in panel.context["people"]] == [mentor.email]
    person = panel.context["people"][0]
    assert (
        person.suppression_reason == "bounced" and "user unknown" in person.suppression_description
    )
    assert panel.context["counts"]["failed"] == 1


def test_panel_is_hidden_when_all_is_well(rf, program, staff):
    assert email_problems(rf.get("/"), program, None) is None


def test_panel_and_link_on_the_staff_home(client_for, program, staff, mentor):
    suppress_address(mentor.email, reason="bounced", description="mailbox not found")
    response = client_for(staff).get(reverse("program_home", args=[program.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert mentor.email in body and "mailbox not found" in body
    assert reverse("notifications:program_outbox", args=[program.pk]) in body


# --- Preferences ------------------------------------------------------------------------


def test_preferences_page(client, client_for, mentor):
    url = reverse("notifications:preferences")
    assert url == "/instellingen/berichten/"
    assert client.get(url).status_code == 302
    c = client_for(mentor)
    response = c.get(url)
    assert response.status_code == 200 and "Herinneringen" in response.content.decode()
    response = c.post(url, {"nudges": "on"})  # reminders unticked
    assert response.status_code == 302
    prefs = NotificationPreference.objects.get(user=mentor)
    assert prefs.reminders is False and prefs.nudges is True
    mentor.refresh_from_db()
    assert notify("meeting_reminder", mentor, {}, essential=False).status == Status.SKIPPED


# --- Admin ------------------------------------------------------------------------------


def test_admin_shows_the_outbox_read_only(client_for, mentor):
    admin = f.make_user("admin@leerkracht.example", is_staff=True, is_superuser=True)
    row = failed_row(mentor)
    c = client_for(admin)
    assert c.get(reverse("admin:notifications_notification_changelist")).status_code == 200
    response = c.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert response.status_code == 200
    assert "Plan uw gesprekken" in response.content.decode()
    assert c.get(reverse("admin:notifications_suppressedaddress_changelist")).status_code == 200
