"""Staff approve or reject mentors; the mentor is emailed the decision."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from people.enums import MentorStatus
from people.models import MentorProfile
from tests import factories as f


@pytest.fixture
def pending(program):
    return f.make_mentor(program, email="wacht@bedrijf.example", status=MentorStatus.PENDING)


def _deliver():
    from notifications.delivery import deliver_pending

    deliver_pending()


def test_staff_sees_pending_mentors(client_for, staff, program, pending, mentor):
    response = client_for(staff).get(reverse("people:mentor_list", args=[program.pk]))
    body = response.content.decode()
    assert "wacht@bedrijf.example" not in body  # the list shows names, not addresses
    assert pending.full_name in body
    assert mentor.full_name not in body  # approved, other tab


def test_mentor_list_constant_queries(client_for, staff, program, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("people:mentor_list", args=[program.pk])
    f.make_mentor(program, status=MentorStatus.PENDING)
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for _ in range(5):
        f.make_mentor(program, status=MentorStatus.PENDING)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_approve_emails_mentor(
    client_for, staff, program, pending, django_capture_on_commit_callbacks
):
    profile = MentorProfile.objects.get(role__user=pending)
    url = reverse("people:mentor_review", args=[program.pk, profile.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == MentorStatus.APPROVED and profile.reviewed_by == staff
    _deliver()
    assert [m.to for m in mail.outbox] == [["wacht@bedrijf.example"]]


def test_reject_requires_reason_and_emails_it(
    client_for, staff, program, pending, django_capture_on_commit_callbacks
):
    profile = MentorProfile.objects.get(role__user=pending)
    url = reverse("people:mentor_review", args=[program.pk, profile.pk])
    client = client_for(staff)
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "Geef een reden" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == MentorStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "Geen ervaring met continu verbeteren."})
    profile.refresh_from_db()
    assert profile.status == MentorStatus.REJECTED
    _deliver()
    assert len(mail.outbox) == 1
    assert "Geen ervaring met continu verbeteren." in mail.outbox[0].body


def test_review_of_other_programs_mentor_is_404(client_for, staff, coach_program):
    stranger = f.make_mentor(coach_program, status=MentorStatus.PENDING)
    profile = MentorProfile.objects.get(role__user=stranger)
    response = client_for(staff).get(
        reverse("people:mentor_review", args=[staff.roles.first().program_id, profile.pk])
    )
    assert response.status_code == 404


def test_mentor_cannot_review(client_for, mentor, program, pending):
    profile = MentorProfile.objects.get(role__user=pending)
    url = reverse("people:mentor_review", args=[program.pk, profile.pk])
    assert client_for(mentor).post(url, {"decision": "approve"}).status_code == 403
    profile.refresh_from_db()
    assert profile.status == MentorStatus.PENDING
