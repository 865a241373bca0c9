"""A schoolleider confirms their school and preferences."""

from __future__ import annotations

from django.urls import reverse

from people.models import SchoolleiderProfile

DATA = {
    "first_name": "Els",
    "last_name": "Bakker",
    "phone": "",
    "job_title": "Directeur",
    "prefers_online": "on",
    "preferred_methods": ["lean"],
    "wishes": "Hulp bij het vasthouden van de bordsessies.",
    "school_confirmed": "on",
}


def test_schoolleider_confirms_details(client_for, schoolleider, program):
    url = reverse("people:schoolleider_profile", args=[program.pk])
    response = client_for(schoolleider).post(url, DATA)
    assert response.status_code == 302
    profile = SchoolleiderProfile.objects.get(role__user=schoolleider)
    assert profile.confirmed_at is not None
    assert profile.prefers_online and profile.preferred_methods == ["lean"]
    schoolleider.refresh_from_db()
    assert schoolleider.last_name == "Bakker"


def test_unconfirmed_school_is_refused_with_a_way_on(client_for, schoolleider, program):
    url = reverse("people:schoolleider_profile", args=[program.pk])
    response = client_for(schoolleider).post(url, {**DATA, "school_confirmed": ""})
    assert response.status_code == 200
    assert "neem contact met ons op" in response.content.decode()
    assert SchoolleiderProfile.objects.get(role__user=schoolleider).confirmed_at is None


def test_mentor_cannot_open_schoolleider_details(client_for, mentor, program):
    url = reverse("people:schoolleider_profile", args=[program.pk])
    assert client_for(mentor).post(url, DATA).status_code == 403


def test_review_of_a_draft_profile_is_refused(client_for, staff, program):
    from people.enums import MentorStatus
    from people.models import MentorProfile
    from tests import factories as f

    draft = f.make_mentor(program, status=MentorStatus.DRAFT)
    profile = MentorProfile.objects.get(role__user=draft)
    url = reverse("people:mentor_review", args=[program.pk, profile.pk])
    response = client_for(staff).post(url, {"decision": "approve"}, follow=True)
    assert "nog niet ingediend" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == MentorStatus.DRAFT
