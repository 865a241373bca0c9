"""The private calendar feed: token in the URL, revocable, all meetings and webinars."""

from __future__ import annotations

import icalendar
import vobject
from django.urls import reverse

from mentoring.meetings import feeds, planning
from mentoring.meetings.models import CalendarFeed
from tests import factories as f
from tests.meetings import helpers as h


def _feed(client, token):
    return client.get(reverse("meetings:feed", args=(token,)))


def _uids(response):
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]) for e in cal.walk("VEVENT")}


def test_feed_has_own_meetings_and_webinars_and_parses_in_two_parsers(client, pair):
    from tests.webinars.helpers import make_session, place

    m1 = h.plan(pair, 1, h.ams(2026, 12, 1))
    session = make_session(pair.program, starts_at=h.ams(2026, 12, 10, 19))
    registration = place(session, pair.mentor.user)
    feed = feeds.feed_enable(user=pair.mentor.user)
    response = _feed(client, feed.token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert _uids(response) == {m1.uid, registration.uid}
    parsed = vobject.readOne(response.content.decode())
    assert {v.uid.value for v in parsed.vevent_list} == {m1.uid, registration.uid}
    assert b"METHOD" not in response.content  # a feed, not an invitation
    assert b"X-WR-CALNAME" in response.content


def test_feed_shows_a_cancelled_meeting_as_cancelled(client, pair):
    m1 = h.plan(pair, 1, h.ams(2026, 12, 1))
    planning.meeting_cancel(meeting=m1, by=pair.mentor.user, reason="Ziek")
    feed = feeds.feed_enable(user=pair.schoolleider.user)
    cal = icalendar.Calendar.from_ical(_feed(client, feed.token).content)
    [event] = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and str(event["UID"]) == m1.uid


def test_someone_elses_token_shows_only_their_meetings(client, pair, other_pair):
    mine = h.plan(pair, 1, h.ams(2026, 12, 1))
    theirs = h.plan(other_pair, 1, h.ams(2026, 12, 2))
    feed = feeds.feed_enable(user=other_pair.mentor.user)
    assert _uids(_feed(client, feed.token)) == {theirs.uid}
    assert mine.uid not in _feed(client, feed.token).content.decode()


def test_unknown_token_is_404(client, db):
    assert _feed(client, "geen-geldig-token").status_code == 404


def test_stale_token_after_regeneration_is_404(client, pair):
    old = feeds.feed_enable(user=pair.mentor.user).token
    new = feeds.feed_regenerate(user=pair.mentor.user).token
    assert old != new
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200


def test_revoked_feed_is_404(client, pair):
    token = feeds.feed_enable(user=pair.mentor.user).token
    feeds.feed_revoke(user=pair.mentor.user)
    assert _feed(client, token).status_code == 404
    assert not CalendarFeed.objects.filter(user=pair.mentor.user).exists()


def test_staff_following_a_program_get_all_its_meetings(client, staff, pair, other_pair):
    a = h.plan(pair, 1, h.ams(2026, 12, 1))
    b = h.plan(other_pair, 1, h.ams(2026, 12, 2))
    feed = feeds.feed_follow(user=staff, program=pair.program, follow=True)
    assert {a.uid, b.uid} <= _uids(_feed(client, feed.token))
    feeds.feed_follow(user=staff, program=pair.program, follow=False)
    assert not ({a.uid, b.uid} & _uids(_feed(client, feed.token)))


def test_followed_program_drops_out_when_the_staff_role_is_gone(client, pair):
    former = f.make_staff(pair.program)
    a = h.plan(pair, 1, h.ams(2026, 12, 1))
    feed = feeds.feed_follow(user=former, program=pair.program, follow=True)
    former.roles.all().delete()
    assert a.uid not in _uids(_feed(client, feed.token))


def test_feed_query_count_is_constant(client, staff, program, django_assert_max_num_queries):
    first = f.make_pair(program)
    h.plan(first, 1, h.ams(2026, 12, 1))
    feed = feeds.feed_follow(user=staff, program=program, follow=True)
    with django_assert_max_num_queries(15) as one:
        _feed(client, feed.token)
    for day in (2, 3, 4):
        h.plan(f.make_pair(program), 1, h.ams(2026, 12, day))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = _feed(client, feed.token)
    assert len(_uids(response)) == 4


def test_feed_settings_page_creates_regenerates_and_revokes(client_for, mentor):
    client = client_for(mentor)
    url = reverse("meetings:feed_settings")
    assert "Maak mijn agenda-link" in client.get(url).content.decode()
    client.post(url, {"action": "enable"})
    token = CalendarFeed.objects.get(user=mentor).token
    page = client.get(url).content.decode()
    assert token in page and "webcal://" in page
    client.post(url, {"action": "regenerate"})
    assert CalendarFeed.objects.get(user=mentor).token != token
    client.post(url, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=mentor).exists()


def test_feed_settings_needs_login(client, db):
    response = client.get(reverse("meetings:feed_settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_feed_actions_only_touch_ones_own_feed(client_for, mentor, other_mentor):
    theirs = feeds.feed_enable(user=other_mentor).token
    client = client_for(mentor)
    for action in ("regenerate", "revoke"):
        client.post(reverse("meetings:feed_settings"), {"action": action})
    assert CalendarFeed.objects.get(user=other_mentor).token == theirs
    assert other_mentor.email not in client.get(reverse("meetings:feed_settings")).content.decode()


def test_feed_shows_changes_at_once_despite_its_cache(client, pair):
    m1 = h.plan(pair, 1, h.ams(2026, 12, 1))
    feed = feeds.feed_enable(user=pair.mentor.user)
    assert b"DTSTART:20261201T140000Z" in _feed(client, feed.token).content
    planning.meeting_move(
        meeting=m1,
        by=pair.mentor.user,
        starts_at=h.ams(2026, 12, 2),
        mode="school",
        reason="Studiedag",
    )
    moved = _feed(client, feed.token).content
    assert b"DTSTART:20261202T140000Z" in moved and b"20261201T140000Z" not in moved
    m2 = h.plan(pair, 2, h.ams(2027, 1, 12))
    assert m2.uid in _feed(client, feed.token).content.decode()


def test_feed_dtstamp_is_each_events_last_change_not_the_fetch_time(client, pair, clock):
    import datetime as dt

    from mentoring.meetings.models import Meeting

    m1 = h.plan(pair, 1, h.ams(2026, 12, 1))
    changed = Meeting.objects.get(pk=m1.pk).updated_at
    feed = feeds.feed_enable(user=pair.mentor.user)
    first = _feed(client, feed.token).content
    clock.set(h.NOW + dt.timedelta(hours=5))
    second = _feed(client, feed.token).content
    [event] = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert event["DTSTAMP"].dt == changed.astimezone(dt.UTC).replace(microsecond=0)
    assert first == second  # nothing changed, so the feed reads the same


def test_a_cancelled_meeting_leaves_the_feed_thirty_days_after_its_cancellation(
    client, pair, clock
):
    import datetime as dt

    m1 = h.plan(pair, 1, h.ams(2026, 12, 1))
    planning.meeting_cancel(meeting=m1, by=pair.mentor.user, reason="Ziek")
    feed = feeds.feed_enable(user=pair.mentor.user)
    clock.set(h.NOW + dt.timedelta(days=29))
    assert _uids(_feed(client, feed.token)) == {m1.uid}
    clock.set(h.NOW + dt.timedelta(days=31))
    assert _uids(_feed(client, feed.token)) == set()
