"""The notifications app's part of "Mijn gegevens" and of erasure (``mentoring.privacy_registry``).

Export: every e-mail sent to the person (subject, text, the names of attachments, what
happened to it) and their message preferences. Erasure: the address, subject, bodies and
attachments of those e-mails are blanked; the rows stay for the delivery statistics.
"""

from __future__ import annotations

from mentoring.privacy_registry import iter_rows, register, rows
from people.privacy import erased_email

from .models import Notification, NotificationPreference

EMAIL_FIELDS = {
    "kind": "kind",
    "to_email": "to_email",
    "subject": "subject",
    "text": "body_text",
    "attachments": "attachments",
    "status": "status",
    "created_at": "created_at",
    "sent_at": "sent_at",
    "delivered_at": "delivered_at",
    "event_type": "event_type",
}


def export_user(user) -> dict:
    emails = []
    for row in iter_rows(Notification.objects.filter(recipient=user), EMAIL_FIELDS):
        row["attachments"] = [a.get("filename", "") for a in row["attachments"] or []]
        emails.append(row)
    return {
        "notifications": {
            "emails": emails,
            "preferences": rows(
                NotificationPreference.objects.filter(user=user),
                ("reminders", "nudges", "updated_at"),
            ),
        }
    }


def erase_user(user) -> dict[str, int]:
    blanked = Notification.objects.filter(recipient=user).update(
        to_email=erased_email(user), subject="", body_text="", body_html="", attachments=[]
    )
    return {"notifications": blanked}


register("notifications", export=export_user, erase=erase_user, order=60)
