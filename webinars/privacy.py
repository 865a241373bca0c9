"""The webinars app's part of "Mijn gegevens" (``mentoring.privacy_registry``).

Export: the person's registrations (with the session) and the sessions they host.
Nothing is erased: a registration says only that a role took a seat and was there, and
the program's attendance figures count it.
"""

from __future__ import annotations

from django.db.models import Q

from mentoring.privacy_registry import register, rows
from people.access import role_ids

from .models import Registration, WebinarSession


def export_user(user) -> dict:
    return {
        "webinars": {
            "registrations": rows(
                # By role ids, not a join: an OR across the joined role table reads every
                # registration of a national program (29 ms); this is two index lookups.
                Registration.objects.filter(Q(user=user) | Q(role_id__in=role_ids(user))),
                {
                    "program_id": "program_id",
                    "session": "session__title",
                    "starts_at": "session__starts_at",
                    "status": "status",
                    "waitlisted_at": "waitlisted_at",
                    "confirmed_at": "confirmed_at",
                    "ended_at": "ended_at",
                    "attended": "attended",
                    "created_at": "created_at",
                    "uid": "uid",
                },
            ),
            "hosted_sessions": rows(
                WebinarSession.objects.filter(host=user),
                ("program_id", "title", "starts_at", "ends_at", "status"),
            ),
        }
    }


register("webinars", export=export_user, order=50)
