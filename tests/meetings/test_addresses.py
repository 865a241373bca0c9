"""The school's street and number shown to the mentor and used as the meeting's LOCATION."""

from __future__ import annotations

from django.urls import reverse

from mentoring.meetings import ics, planning
from mentoring.meetings.enums import MeetingMode
from programs.models import School
from tests.meetings import helpers as h


def test_meeting_at_the_school_uses_the_street_as_location(pair):
    School.objects.filter(pk=pair.school_id).update(street="Kerkstraat", house_number="12a")
    pair.school.refresh_from_db()
    planned = h.plan(pair, 1, h.ams(2026, 12, 1), mode=MeetingMode.SCHOOL)
    assert "Kerkstraat 12a" in planned.location
    invite = ics.meeting_invite(planned).decode()
    assert "LOCATION:" in invite and "Kerkstraat 12a" in invite.replace("\r\n ", "")
    assert planning.default_location(pair, MeetingMode.SCHOOL).startswith(pair.school.name)


def test_mentor_sees_the_schools_street(client_for, pair):
    School.objects.filter(pk=pair.school_id).update(street="Kerkstraat", house_number="12a")
    url = reverse("pairs:my_pair", args=[pair.program_id])
    page = client_for(pair.mentor.user).get(url).content.decode()
    assert "Kerkstraat 12a" in page
