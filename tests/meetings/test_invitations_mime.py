"""Invitations that calendar clients understand (Outlook, Google, Apple).

Outlook shows Accept/Decline only for a ``text/calendar; method=REQUEST`` part inside
``multipart/alternative``; Google and Apple read the attached .ics. Both are sent. The
invitee's answer is open (PARTSTAT=NEEDS-ACTION) and no calendar reply is asked for
(RSVP=FALSE: people answer on the platform). Downloads are METHOD:PUBLISH and say so in
their Content-Type.
"""

from __future__ import annotations

import icalendar
import pytest
import vobject
from django.urls import reverse

from mentoring.meetings.enums import MeetingStatus
from tests.meetings import helpers as h

pytestmark = pytest.mark.django_db


def _invite_for(pair, user):
    h.sent_mail()
    h.plan(pair, 1, h.ams(2026, 12, 1, 15))
    mails = [m for m in h.sent_mail() if user.email in m.to]
    return next(m for m in mails if any("calendar" in a[2] for a in m.attachments if len(a) > 2))


def _parts(message):
    return [(part.get_content_type(), part.get_param("method")) for part in message.walk()]


def test_invite_has_a_calendar_alternative_and_an_ics_attachment(pair):
    mail = _invite_for(pair, pair.schoolleider.user)
    message = mail.message()
    assert message.get_content_type() == "multipart/mixed"
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    inner = [(p.get_content_type(), p.get_param("method")) for p in alternative.get_payload()]
    assert inner == [("text/plain", None), ("text/html", None), ("text/calendar", "REQUEST")]
    attached = [
        p for p in message.walk() if p.get_content_type() == "text/calendar" and p.get_filename()
    ]
    assert len(attached) == 1 and attached[0].get_filename().endswith(".ics")
    # The same calendar in both places.
    body = alternative.get_payload()[2].get_payload(decode=True)
    assert body == attached[0].get_payload(decode=True)


def test_attendees_need_action_and_no_reply_is_asked(pair):
    mail = _invite_for(pair, pair.mentor.user)
    ics = next(a[1] for a in mail.attachments if "calendar" in a[2])
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    attendees = event.get("attendee")
    assert len(attendees) == 2
    for attendee in attendees:
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "FALSE"
    parsed = vobject.readOne(ics.decode() if isinstance(ics, bytes) else ics)
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.uid.value == event["uid"]


def test_download_is_publish_and_its_content_type_says_so(client_for, pair):
    meeting = h.plan(pair, 1, h.ams(2026, 12, 1, 15))
    url = reverse("meetings:meeting_ics", args=[pair.program_id, pair.pk, 1])
    response = client_for(pair.mentor.user).get(url)
    assert response["Content-Type"] == "text/calendar; method=PUBLISH; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    assert cal["method"] == "PUBLISH"
    assert cal.walk("VEVENT")[0]["uid"] == meeting.uid


def test_a_cancelled_meetings_download_is_publish_with_status_cancelled(client_for, pair):
    from mentoring.meetings import planning

    meeting = h.plan(pair, 1, h.ams(2026, 12, 1, 15))
    planning.meeting_cancel(meeting=meeting, by=pair.mentor.user, reason="Ziek")
    assert h.meeting(pair, 1).status == MeetingStatus.CANCELLED
    url = reverse("meetings:meeting_ics", args=[pair.program_id, pair.pk, 1])
    response = client_for(pair.mentor.user).get(url)
    assert response["Content-Type"] == "text/calendar; method=PUBLISH; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    assert cal["method"] == "PUBLISH"
    assert cal.walk("VEVENT")[0]["status"] == "CANCELLED"
