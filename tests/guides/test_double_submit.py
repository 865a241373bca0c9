"""Create forms act once (issue 9 item 11): a double click or a resent POST with the same
form token is carried out once and led to the same page; a new rendering of the form acts
again; a form sent back with errors can be corrected and sent with the same token."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from mentoring.guides.models import Action
from people import submissions
from people.models import FormSubmission
from webinars.models import WebinarSession as Session

from .conftest import meeting_url


def token_in(html: str) -> str:
    match = re.search(r'name="_once" value="([^"]+)"', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


def claim_key(user, path: str, token: str) -> str:
    """The key the middleware claims for ``user`` sending ``token`` to ``path``."""
    request = RequestFactory().post(path)
    request.user = user
    return submissions._key(request, token)


def session_data(token: str, **extra) -> dict:
    return {
        "_once": token,
        "title": "Webinar: de eerste maand",
        "starts_at": "2027-01-20T19:00",
        "outside_window_ok": "on",
        "duration_minutes": "60",
        "meeting_url": "https://meet.example/abc",
        "capacity": "30",
        "description": "",
        **extra,
    }


def test_double_click_on_a_new_webinar_session_creates_one(client_for, program, staff):
    c = client_for(staff)
    url = reverse("webinars:session_create", args=[program.pk])
    token = token_in(c.get(url).content.decode())
    first = c.post(url, session_data(token))
    assert first.status_code == 302, first.content.decode()[:2000]
    second = c.post(url, session_data(token))
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Session.objects.filter(title="Webinar: de eerste maand").count() == 1
    page = c.get(second["Location"]).content.decode()
    assert "al verstuurd" in page


def test_a_new_rendering_of_the_form_creates_again(client_for, program, staff):
    c = client_for(staff)
    url = reverse("webinars:session_create", args=[program.pk])
    for _ in range(2):
        token = token_in(c.get(url).content.decode())
        assert c.post(url, session_data(token)).status_code == 302
    assert Session.objects.filter(title="Webinar: de eerste maand").count() == 2


def test_a_form_with_errors_can_be_corrected_and_sent_with_the_same_token(
    client_for, program, staff
):
    c = client_for(staff)
    url = reverse("webinars:session_create", args=[program.pk])
    token = token_in(c.get(url).content.decode())
    wrong = c.post(url, session_data(token, title=""))
    assert wrong.status_code in (200, 400)
    assert not FormSubmission.objects.exists()  # the claim was released
    assert c.post(url, session_data(token)).status_code == 302
    assert Session.objects.filter(title="Webinar: de eerste maand").count() == 1


def test_double_submit_of_an_action_creates_one(client_for, program, pair, mentor):
    c = client_for(mentor)
    page = c.get(meeting_url(program, pair, 1)).content.decode()
    form = page[page.index(meeting_url(program, pair, 1, "afspraken/")) :]
    token = token_in(form)
    data = {"_once": token, "description": "Rooster delen", "owner": "both", "due_on": ""}
    responses = [c.post(meeting_url(program, pair, 1, "afspraken/"), data) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert Action.objects.filter(pair=pair, description="Rooster delen").count() == 1


def test_the_token_belongs_to_one_person(client_for, program, pair, mentor, schoolleider):
    data = {"_once": "samen-token", "description": "Rooster delen", "owner": "both", "due_on": ""}
    for person in (mentor, schoolleider):
        response = client_for(person).post(meeting_url(program, pair, 1, "afspraken/"), data)
        assert response.status_code == 302
        assert "al verstuurd" not in client_for(person).get(response["Location"]).content.decode()
    assert Action.objects.filter(pair=pair, description="Rooster delen").count() == 2


def test_a_repeat_waits_for_the_first_and_follows_it(client_for, program, staff, monkeypatch):
    """The second of two simultaneous requests finds the claim still open and waits."""
    c = client_for(staff)
    url = reverse("webinars:session_create", args=[program.pk])

    key = claim_key(staff, url, "tok")
    assert submissions.claim(key, url)
    assert not submissions.claim(key, url)  # exactly one of two wins

    def finish():
        FormSubmission.objects.filter(key=key).update(location="/klaar/")

    # While the repeat waits, the first request finishes (in the test, during its first nap).
    monkeypatch.setattr(submissions.time, "sleep", lambda seconds: finish())
    response = c.post(url, session_data("tok"))
    assert response.status_code == 302 and response["Location"] == "/klaar/"
    assert not Session.objects.exists()


def test_a_repeat_of_a_submission_still_running_gets_a_clear_answer(
    client_for, program, staff, monkeypatch
):
    c = client_for(staff)
    url = reverse("webinars:session_create", args=[program.pk])
    monkeypatch.setattr(submissions, "WAIT_SECONDS", 0.0)

    assert submissions.claim(claim_key(staff, url, "tok"), url)
    response = c.post(url, session_data("tok"))
    assert response.status_code == 409
    assert "wordt al verwerkt" in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["webinars:session_create", "programs:program_create", "imports:upload"],
)
def test_staff_create_forms_carry_the_token(client_for, program, foundation_staff, name):
    args = [] if name == "programs:program_create" else [program.pk]
    html = client_for(foundation_staff).get(reverse(name, args=args)).content.decode()
    assert token_in(html)
