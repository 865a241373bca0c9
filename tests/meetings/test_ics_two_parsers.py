"""Every calendar file the platform writes reads the same in icalendar and vobject, for events
on both sides of the daylight-saving change (Sunday 28 March 2027, CET -> CEST).

The files: the invitation's ``text/calendar; method=REQUEST`` part inside
``multipart/alternative`` and its ``.ics`` attachment, the cancellation (METHOD:CANCEL), the
"add to calendar" downloads (METHOD:PUBLISH, also of a cancelled meeting) and the private
feed (no METHOD). Both parsers must give the same method and, per event, the same UID,
SEQUENCE, STATUS, times (as instants), texts, organizer and attendees with their parameters.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import vobject
from django.urls import reverse

from mentoring.meetings import feeds, planning
from tests.meetings import helpers as h

pytestmark = pytest.mark.django_db

#: Meeting 1 in winter time (UTC+1), meeting 2 in summer time (UTC+2), 26 days apart.
WINTER = h.ams(2027, 3, 4, 15)
SUMMER = h.ams(2027, 3, 30, 15)
TEXTS = ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "ORGANIZER")


def _by_icalendar(raw: bytes):
    cal = icalendar.Calendar.from_ical(raw)
    events = []
    for e in cal.walk("VEVENT"):
        attendees = e.get("ATTENDEE") or []
        if not isinstance(attendees, list):
            attendees = [attendees]
        events.append(
            (
                {k: str(e[k]) if k in e else None for k in TEXTS},
                int(e["SEQUENCE"]) if "SEQUENCE" in e else None,
                e.decoded("DTSTART").astimezone(dt.UTC),
                e.decoded("DTEND").astimezone(dt.UTC),
                e.decoded("DTSTAMP").astimezone(dt.UTC),
                sorted((str(a), a.params.get("PARTSTAT"), a.params.get("RSVP")) for a in attendees),
            )
        )
    method = str(cal["METHOD"]) if "METHOD" in cal else None
    return method, sorted(events, key=lambda x: x[2])


def _by_vobject(raw: bytes):
    cal = vobject.readOne(raw.decode())

    def value(component, name):
        lines = component.contents.get(name.lower())
        return str(lines[0].value) if lines else None

    events = []
    for v in cal.vevent_list:
        attendees = v.contents.get("attendee", [])
        events.append(
            (
                {k: value(v, k) for k in TEXTS},
                int(v.sequence.value) if "sequence" in v.contents else None,
                v.dtstart.value.astimezone(dt.UTC),
                v.dtend.value.astimezone(dt.UTC),
                v.dtstamp.value.astimezone(dt.UTC),
                sorted(
                    (
                        a.value,
                        (a.params.get("PARTSTAT") or [None])[0],
                        (a.params.get("RSVP") or [None])[0],
                    )
                    for a in attendees
                ),
            )
        )
    method = value(cal, "METHOD")
    return method, sorted(events, key=lambda x: x[2])


def _same_in_both(raw: bytes, method: str | None, starts: list[dt.datetime]):
    """Both parsers agree; the method and the instants are the expected ones."""
    ours = _by_icalendar(raw)
    assert ours == _by_vobject(raw)
    assert ours[0] == method
    assert [e[2] for e in ours[1]] == [s.astimezone(dt.UTC) for s in starts]
    # Wall-clock 15:00 in Amsterdam on both sides of the change.
    assert [e[2].astimezone(h.AMS).hour for e in ours[1]] == [15] * len(starts)
    return ours


def _calendar_parts(message):
    """(inside multipart/alternative, attached .ics) calendar bodies of one email."""
    mime = message.message()
    alternative = next(p for p in mime.walk() if p.get_content_type() == "multipart/alternative")
    inner = [p for p in alternative.get_payload() if p.get_content_type() == "text/calendar"]
    attached = [
        p for p in mime.walk() if p.get_content_type() == "text/calendar" and p.get_filename()
    ]
    assert len(inner) == len(attached) == 1
    return inner[0].get_payload(decode=True), attached[0].get_payload(decode=True)


def _mail_to(messages, user):
    return next(m for m in messages if user.email in m.to and m.attachments)


def test_the_dst_change_lies_between_the_two_meetings():
    assert WINTER.utcoffset() == dt.timedelta(hours=1)
    assert SUMMER.utcoffset() == dt.timedelta(hours=2)


def test_every_calendar_file_parses_the_same_in_icalendar_and_vobject_across_dst(client_for, pair):
    user = pair.mentor.user
    h.sent_mail()

    # Invitations: the alternative part and the attachment, for either side of the change.
    first = h.plan(pair, 1, WINTER)
    inner, attached = _calendar_parts(_mail_to(h.sent_mail(), user))
    assert inner == attached
    invite = _same_in_both(inner, "REQUEST", [WINTER])
    assert {a[1:] for a in invite[1][0][5]} == {("NEEDS-ACTION", "FALSE")}

    second = h.plan(pair, 2, SUMMER)
    inner, attached = _calendar_parts(_mail_to(h.sent_mail(), user))
    assert inner == attached
    _same_in_both(inner, "REQUEST", [SUMMER])

    # The feed with both meetings.
    feed = feeds.feed_enable(user=user)
    feed_url = reverse("meetings:feed", args=(feed.token,))
    response = client_for(user).get(feed_url)
    # No METHOD in the body, so none in the Content-Type either.
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"METHOD" not in response.content
    both = _same_in_both(response.content, None, [WINTER, SUMMER])
    assert [e[0]["STATUS"] for e in both[1]] == ["CONFIRMED", "CONFIRMED"]

    # Downloads (METHOD:PUBLISH).
    for number, start in ((1, WINTER), (2, SUMMER)):
        url = reverse("meetings:meeting_ics", args=[pair.program_id, pair.pk, number])
        response = client_for(user).get(url)
        assert response["Content-Type"] == "text/calendar; method=PUBLISH; charset=utf-8"
        _same_in_both(response.content, "PUBLISH", [start])

    # Cancelling the summer meeting: the CANCEL mail, its download and the feed.
    planning.meeting_cancel(meeting=second, by=pair.schoolleider.user, reason="Ziek")
    inner, attached = _calendar_parts(_mail_to(h.sent_mail(), user))
    assert inner == attached
    cancel = _same_in_both(inner, "CANCEL", [SUMMER])
    assert cancel[1][0][0]["STATUS"] == "CANCELLED"
    assert cancel[1][0][0]["UID"] == second.uid

    url = reverse("meetings:meeting_ics", args=[pair.program_id, pair.pk, 2])
    download = _same_in_both(client_for(user).get(url).content, "PUBLISH", [SUMMER])
    assert download[1][0][0]["STATUS"] == "CANCELLED"

    after = _same_in_both(client_for(user).get(feed_url).content, None, [WINTER, SUMMER])
    assert [(e[0]["UID"], e[0]["STATUS"]) for e in after[1]] == [
        (first.uid, "CONFIRMED"),
        (second.uid, "CANCELLED"),
    ]
