"""The outbox: queueing in the caller's transaction, rendering, delivery, retries, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from anymail.exceptions import AnymailRecipientsRefused, AnymailRequestsAPIError
from django.core.management import call_command
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.delivery import backoff_seconds, claim, deliver_one, deliver_pending
from notifications.enums import Status
from notifications.models import Notification, SuppressedAddress
from notifications.outbox import Attachment, notify, notify_address, notify_many, set_preferences
from notifications.suppression import suppress_address
from notifications.tasks import send_notification
from tests import factories as f
from tests.notifications.backends import WorkerDied

pytestmark = pytest.mark.django_db

MESSAGE = {"subject": "Welkom bij het programma", "message": "Hallo & welkom bij <leerKRACHT>!"}


def queue(person, **kwargs) -> Notification:
    return notify("staff_message", person, MESSAGE, **kwargs)


# --- Queueing and rendering -------------------------------------------------------------


def test_notify_writes_a_row_and_sends_after_commit(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = queue(person)
        assert row.status == Status.QUEUED
        assert mailoutbox == []  # nothing leaves before the change commits
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1 and row.sent_at
    [msg] = mailoutbox
    assert msg.to == ["lid@school.example"]
    assert msg.subject == "Welkom bij het programma"
    assert "Hallo & welkom bij <leerKRACHT>!" in msg.body  # text is not HTML-escaped
    assert "Beste Sanne," in msg.body
    html, mimetype = msg.alternatives[0]
    assert mimetype == "text/html"
    assert "Hallo &amp; welkom bij &lt;leerKRACHT&gt;!" in html
    assert '<html lang="nl"' in html
    assert msg.extra_headers["Message-ID"] == row.message_id
    # anymail features: a tag per kind and metadata that maps tracking events back.
    assert msg.tags == ["staff_message"]
    assert msg.metadata == {"notification_id": str(row.pk), "kind": "staff_message"}


def test_rolled_back_change_sends_nothing(person, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue(person)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing_for_real(mailoutbox):
    user = f.make_user("echt@school.example")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify("staff_message", user, MESSAGE)
        raise RuntimeError("rollback")
    assert not Notification.objects.exists()
    deliver_pending()
    assert mailoutbox == []
    with transaction.atomic():
        notify("staff_message", user, MESSAGE)
    assert len(mailoutbox) == 1  # committed: the task (ImmediateBackend in tests) sent it


def test_rendered_in_the_recipients_language(english_person, mailoutbox):
    row = notify("staff_message", english_person, MESSAGE)
    assert row.language == "en"
    assert '<html lang="en"' in row.body_html
    assert "Dear Alex," in row.body_text and "Kind regards," in row.body_text
    assert "Dear Alex," in row.body_html
    dutch = queue(f.make_user("nl@school.example", first_name="Joris"))
    assert "Beste Joris," in dutch.body_text and "Met vriendelijke groet," in dutch.body_text
    deliver_pending()
    assert '<html lang="en"' in mailoutbox[0].alternatives[0][0]


def test_content_is_stored_so_later_changes_do_not_matter(person, mailoutbox):
    row = queue(person)
    person.delete()  # the recipient account disappears before the worker runs
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.SENT and row.recipient is None
    assert mailoutbox[0].to == ["lid@school.example"]
    assert "Hallo & welkom" in mailoutbox[0].body


def test_attachments_are_sent(person, mailoutbox):
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    queue(person, attachments=[Attachment("uitnodiging.ics", ics, "text/calendar; method=REQUEST")])
    deliver_pending()
    [attachment] = mailoutbox[0].attachments
    assert attachment[0] == "uitnodiging.ics"
    assert "BEGIN:VCALENDAR" in (
        attachment[1] if isinstance(attachment[1], str) else attachment[1].decode()
    )
    assert attachment[2].startswith("text/calendar")


def test_dedupe_key_makes_a_second_notify_a_no_op(person, mailoutbox):
    assert queue(person, dedupe_key="meeting:12:proposed:3") is not None
    assert queue(person, dedupe_key="meeting:12:proposed:3") is None
    other = f.make_user("ander@school.example")
    # The key is per address: the other party of the same event still gets theirs.
    assert notify("staff_message", other, MESSAGE, dedupe_key="meeting:12:proposed:3")
    deliver_pending()
    assert sorted(m.to[0] for m in mailoutbox) == ["ander@school.example", "lid@school.example"]


def test_notify_address_for_someone_without_account(mailoutbox):
    row = notify_address("staff_message", "Nieuw@Example.org", MESSAGE)
    assert row.recipient is None and row.to_email == "nieuw@example.org" and row.language == "nl"
    deliver_pending()
    assert mailoutbox[0].to == ["nieuw@example.org"]


def test_program_is_stored(person, program):
    assert queue(person, program=program).program == program


# --- Preferences ------------------------------------------------------------------------


def test_non_essential_respects_opt_out_and_essential_always_goes(person, mailoutbox):
    set_preferences(user=person, reminders=False, nudges=True)
    reminder = notify("meeting_reminder_test", person, {}, essential=False)
    assert reminder.status == Status.SKIPPED and reminder.category == "reminders"
    nudge = notify("staff_message", person, MESSAGE, essential=False)
    assert nudge.status == Status.QUEUED and nudge.category == "nudges"
    essential = queue(person)
    assert essential.status == Status.QUEUED
    deliver_pending()
    assert len(mailoutbox) == 2
    set_preferences(user=person, reminders=True, nudges=False)
    person.refresh_from_db()
    assert notify("staff_message", person, MESSAGE, essential=False).status == Status.SKIPPED


def test_non_essential_footer_links_to_preferences(person):
    row = notify("staff_message", person, MESSAGE, essential=False)
    assert "/instellingen/berichten/" in row.body_html
    assert "/instellingen/berichten/" in row.body_text
    assert "/instellingen/berichten/" not in queue(person).body_html


# --- Suppression ------------------------------------------------------------------------


def test_suppressed_address_is_not_sent_until_the_email_changes(person, mailoutbox):
    suppress_address("LID@school.example", reason="bounced", esp_name="Postmark")
    row = queue(person)
    assert row.status == Status.SUPPRESSED
    deliver_pending()
    assert mailoutbox == []
    person.email = "nieuw.adres@school.example"
    person.save()
    assert queue(person).status == Status.QUEUED
    deliver_pending()
    assert [m.to for m in mailoutbox] == [["nieuw.adres@school.example"]]
    # The bad address itself stays blocked.
    assert SuppressedAddress.objects.filter(email="lid@school.example").exists()


def test_suppressing_an_address_holds_its_queued_messages(person, mailoutbox):
    row = queue(person)
    suppress_address(person.email, reason="complained")
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.SUPPRESSED and mailoutbox == []


# --- Failures and retries ---------------------------------------------------------------


def test_outage_leaves_the_message_queued_and_retried_with_backoff(
    person, mailoutbox, scripted_backend, django_capture_on_commit_callbacks
):
    scripted_backend.extend([ConnectionError("ESP is down"), TimeoutError("timed out")])
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(person)
    row.refresh_from_db()
    assert row.status == Status.RETRY and row.attempts == 1
    assert "ESP is down" in row.last_error
    first_delay = (row.next_attempt_at - before).total_seconds()
    assert 40 <= first_delay <= 80
    assert deliver_pending().sent == 0  # not due yet
    report = deliver_pending(now=row.next_attempt_at)
    assert report.retried == 1
    row.refresh_from_db()
    assert row.status == Status.RETRY and row.attempts == 2
    assert (row.next_attempt_at - before).total_seconds() > first_delay
    assert deliver_pending(now=row.next_attempt_at).sent == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 3 and row.last_error == ""
    assert len(mailoutbox) == 1


def test_gives_up_after_max_attempts(person, mailoutbox, scripted_backend, settings):
    settings.NOTIFICATIONS = {"MAX_ATTEMPTS": 2}
    scripted_backend.extend([OSError("boom"), OSError("boom again"), OSError("never reached")])
    row = queue(person)
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.RETRY
    deliver_pending(now=row.next_attempt_at)
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 2
    assert deliver_pending(now=timezone.now() + timedelta(days=2)).sent == 0
    assert mailoutbox == []


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    assert 45 <= backoff_seconds(1) <= 75
    assert 180 <= backoff_seconds(3) <= 300
    assert backoff_seconds(30) <= 6 * 3600 * 1.25
    assert len({backoff_seconds(4) for _ in range(20)}) > 1  # jitter


def test_connect_timeout_is_retried(person, scripted_backend):
    err = AnymailRequestsAPIError("Error posting to Postmark")
    err.__cause__ = requests.exceptions.ConnectTimeout("connect timed out")
    scripted_backend.append(err)
    row = queue(person)
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.RETRY


def test_read_timeout_is_not_resent_blindly(person, scripted_backend, mailoutbox):
    """The request reached the ESP but no answer came: it may have been sent."""
    err = AnymailRequestsAPIError("Error posting to Postmark")
    err.__cause__ = requests.exceptions.ReadTimeout("read timed out")
    scripted_backend.append(err)
    row = queue(person)
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.UNKNOWN
    deliver_pending(now=timezone.now() + timedelta(days=1))
    assert mailoutbox == []


def test_refused_recipient_fails_at_once_and_suppresses(person, scripted_backend):
    scripted_backend.append(AnymailRecipientsRefused("All message recipients were rejected"))
    row = queue(person)
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 1
    assert SuppressedAddress.objects.get(email="lid@school.example").reason == "rejected"


# --- Never twice ------------------------------------------------------------------------


def test_interleaved_claims_only_one_worker_wins(person):
    row = queue(person)
    now = timezone.now()
    assert claim([row.pk], "worker-a", now) == 1
    assert claim([row.pk], "worker-b", now) == 0
    row.refresh_from_db()
    assert row.status == Status.SENDING and row.claimed_by == "worker-a"


def test_delivering_twice_sends_once(person, mailoutbox):
    row = queue(person)
    assert deliver_one(row.pk) == Status.SENT
    assert deliver_one(row.pk) is None
    assert deliver_pending().sent == 0
    send_notification.enqueue(row.pk)
    assert len(mailoutbox) == 1


def test_task_for_a_vanished_row_is_quiet():
    result = send_notification.enqueue(987654)
    assert result.status == "SUCCESSFUL" and result.return_value is None


def test_worker_dying_mid_send_is_not_resent_blindly(person, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DyingBackend"
    row = queue(person)
    with pytest.raises(WorkerDied):
        deliver_pending()
    assert len(mailoutbox) == 1  # the ESP got it; the worker never recorded that
    row.refresh_from_db()
    assert row.status == Status.SENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Within the lease another worker leaves it alone...
    assert deliver_pending().sent == 0
    assert deliver_one(row.pk) is None
    # ...after the lease it becomes 'unknown' for staff (it was handed to the ESP), and is
    # still not resent.
    report = deliver_pending(now=timezone.now() + timedelta(minutes=16))
    assert report.expired == 1 and report.sent == 0
    row.refresh_from_db()
    assert row.status == Status.UNKNOWN and "stopte" in row.last_error
    deliver_pending(now=timezone.now() + timedelta(days=3))
    assert len(mailoutbox) == 1


def test_lost_enqueue_is_caught_by_the_sweep_command(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        row = queue(person)  # the on_commit enqueue never runs (process crashed)
    call_command("run_periodic", "--job", "notifications.send_due", verbosity=0)
    row.refresh_from_db()
    assert row.status == Status.SENT and len(mailoutbox) == 1


def test_enqueue_failure_does_not_break_the_caller(
    person, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    class BrokenTask:
        def enqueue(self, *args, **kwargs):
            raise RuntimeError("task queue unavailable")

    monkeypatch.setattr("notifications.tasks.send_notification", BrokenTask())
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(person)
    row.refresh_from_db()
    assert row.status == Status.QUEUED
    deliver_pending()
    assert len(mailoutbox) == 1


# --- anymail ----------------------------------------------------------------------------


def test_anymail_tags_metadata_and_esp_id(person, mailoutbox, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    row = queue(person)
    deliver_pending()
    [msg] = mailoutbox
    assert msg.anymail_test_params["tags"] == ["staff_message"]
    assert msg.anymail_test_params["metadata"] == {
        "notification_id": str(row.pk),
        "kind": "staff_message",
    }
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.esp_name == "Test" and row.esp_message_id == "0" and row.esp_status == "sent"


# --- Throughput shape -------------------------------------------------------------------


def _queries_for(n: int, prefix: str) -> tuple[int, int]:
    from django.db import connection

    users = [f.make_user(f"{prefix}{i}@example.org") for i in range(n)]
    with CaptureQueriesContext(connection) as queued:
        for user in users:
            notify("staff_message", user, MESSAGE)
    with CaptureQueriesContext(connection) as sent:
        report = deliver_pending()
    assert report.sent == n
    return len(queued), len(sent)


def test_constant_queries_per_message(mailoutbox):
    queued_10, sent_10 = _queries_for(10, "a")
    queued_30, sent_30 = _queries_for(30, "b")
    # Queueing: a suppression check and an INSERT per message.
    assert queued_30 - queued_10 <= 2 * 20
    # Sending: two UPDATEs per message (handing over, outcome); claiming is a constant per
    # batch of 100.
    assert sent_30 - sent_10 <= 2 * 20
    assert sent_30 <= 2 * 30 + 12


# --- Bulk -------------------------------------------------------------------------------


def test_notify_many_follows_the_same_rules(
    person,
    english_person,
    mailoutbox,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    suppressed = f.make_user("weg@school.example")
    suppress_address(suppressed.email, reason="bounced")
    opted_out = f.make_user("stil@school.example")
    set_preferences(user=opted_out, reminders=False, nudges=True)
    notify("staff_message", person, MESSAGE, dedupe_key="round:1")  # already has it
    mailoutbox.clear()
    users = [person, english_person, suppressed, opted_out]
    users += [f.make_user(f"bulk{i}@school.example") for i in range(20)]
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        django_assert_max_num_queries(8),
    ):
        rows = notify_many(
            "staff_message",
            users,
            lambda user: {"subject": f"Hallo {user.email}", "message": "Tekst"},
            essential=False,
            category="reminders",
            dedupe_key="round:1",
        )
    assert len(callbacks) == 1  # one task for the whole batch
    by_email = {r.to_email: r for r in rows}
    assert "lid@school.example" not in by_email  # dedupe
    assert by_email["weg@school.example"].status == Status.SUPPRESSED
    assert by_email["stil@school.example"].status == Status.SKIPPED
    assert by_email["member@company.example"].language == "en"
    assert '<html lang="en"' in by_email["member@company.example"].body_html
    sent = {m.to[0]: m for m in mailoutbox}
    assert len(sent) == 21 and sent["bulk3@school.example"].subject == "Hallo bulk3@school.example"


def test_scrubbed_message_is_never_sent(person, mailoutbox):
    row = queue(person)
    Notification.objects.filter(pk=row.pk).update(subject="", body_text="", body_html="")
    deliver_pending()
    row.refresh_from_db()
    assert row.status == Status.CANCELLED and mailoutbox == []


def test_worker_dying_before_handing_over_is_requeued(person, mailoutbox):
    """Claimed, then the worker died before giving it to the ESP: safe to send."""
    row = queue(person)
    assert claim([row.pk], "dead-worker", timezone.now()) == 1
    assert deliver_pending().sent == 0  # within the lease: hands off
    report = deliver_pending(now=timezone.now() + timedelta(minutes=16))
    assert report.expired == 1 and report.sent == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1
    assert len(mailoutbox) == 1


def test_slow_worker_past_its_lease_cannot_send_a_released_row(person, mailoutbox):
    from django.core.mail import get_connection

    from notifications.delivery import RELEASED, expire_leases, send_claimed

    row = queue(person)
    start = timezone.now()
    assert claim([row.pk], "slow-worker", start) == 1
    slow_copy = Notification.objects.get(pk=row.pk)
    later = start + timedelta(minutes=16)
    assert expire_leases(later) == 1  # back in the queue
    assert deliver_pending(now=later).sent == 1  # another worker sends it
    with get_connection() as conn:  # the slow worker finally gets to it
        assert send_claimed(slow_copy, conn, "slow-worker", later) == RELEASED
    assert len(mailoutbox) == 1
