"""Mentor registration: profile form validation and submission."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.enums import MentorStatus, RoleKind
from people.models import MentorProfile, Role
from programs.enums import ProgramKind
from tests import factories as f

VALID = {
    "first_name": "Jan",
    "last_name": "de Vries",
    "phone": "",
    "organisation": "Bouwbedrijf Noord",
    "job_title": "Operations manager",
    "methods": ["lean", "kaizen"],
    "methods_other": "",
    "postcode": "3511ab",
    "max_travel_km": "30",
    "sector_preference": ["po"],
    "months_available": ["11", "1", "3"],
    "introduction": "Ik help teams elke week een beetje beter te worden.",
}


@pytest.fixture
def open_program(db):
    return f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)


@pytest.fixture
def new_mentor(open_program, client_for, outsider):
    client = client_for(outsider)
    response = client.get(reverse("people:mentor_signup_done"))
    assert response.status_code == 302
    return client, Role.objects.get(user=outsider, kind=RoleKind.MENTOR)


def test_signup_done_joins_the_open_program(new_mentor, open_program):
    _client, role = new_mentor
    assert role.program == open_program


def test_signup_done_without_open_program_explains(client_for, outsider, program):
    response = client_for(outsider).get(reverse("people:mentor_signup_done"), follow=True)
    assert "gesloten" in response.content.decode()
    assert not Role.objects.filter(user=outsider).exists()


def test_profile_submit_puts_mentor_in_queue(new_mentor, open_program):
    client, role = new_mentor
    url = reverse("people:mentor_profile", args=[open_program.pk])
    response = client.post(url, VALID)
    assert response.status_code == 302
    profile = MentorProfile.objects.get(role=role)
    assert profile.status == MentorStatus.PENDING
    assert profile.postcode == "3511 AB" and profile.pc4 == "3511"
    assert profile.methods == ["lean", "kaizen"]
    assert profile.months_available == [1, 3, 11]
    role.user.refresh_from_db()
    assert role.user.last_name == "de Vries"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"postcode": "12AB"}, "postcode", "geen geldige Nederlandse postcode"),
        ({"postcode": "0999"}, "postcode", "geen geldige Nederlandse postcode"),
        ({"max_travel_km": ""}, "max_travel_km", "alleen online"),
        ({"methods": ["other"]}, "methods_other", "Noem de andere methode"),
        ({"methods": []}, "methods", "minstens één verbetermethode"),
        ({"months_available": ["9"]}, "months_available", "waarin de gesprekken plaatsvinden"),
        ({"max_travel_km": "900"}, "max_travel_km", "300"),
    ],
)
def test_profile_errors_are_dutch_and_nothing_is_saved(
    new_mentor, open_program, change, field, message
):
    client, role = new_mentor
    data = {**VALID, **change}
    response = client.post(reverse("people:mentor_profile", args=[open_program.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert not MentorProfile.objects.filter(role=role).exists()


def test_online_only_needs_no_distance(new_mentor, open_program):
    client, role = new_mentor
    data = {**VALID, "max_travel_km": "", "online_only": "on"}
    assert (
        client.post(reverse("people:mentor_profile", args=[open_program.pk]), data).status_code
        == 302
    )
    profile = MentorProfile.objects.get(role=role)
    assert profile.online_only and profile.max_travel_km is None


def test_unknown_pc4_is_refused(new_mentor, open_program):
    from places.models import Postcode

    client, role = new_mentor
    free = next(
        str(n) for n in range(9999, 1000, -1) if not Postcode.objects.filter(pc4=str(n)).exists()
    )
    data = {**VALID, "postcode": free}
    response = client.post(reverse("people:mentor_profile", args=[open_program.pk]), data)
    assert "kennen we niet" in " ".join(response.context["form"].errors["postcode"])


def test_mentor_cannot_open_another_program_profile(client_for, mentor, coach_program):
    response = client_for(mentor).get(reverse("people:mentor_profile", args=[coach_program.pk]))
    assert response.status_code == 403


def test_schoolleider_cannot_open_mentor_profile(client_for, schoolleider, program):
    response = client_for(schoolleider).get(reverse("people:mentor_profile", args=[program.pk]))
    assert response.status_code == 403
