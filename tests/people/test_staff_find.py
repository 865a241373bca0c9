"""Staff who find things: full-name search of mentors and of the outbox, Dutch labels for
every kind of message, approving several mentors at once, the whole profile on review."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from notifications.delivery import deliver_pending
from notifications.kinds import KIND_LABELS, kind_label
from notifications.outbox import notify
from people.enums import MentorStatus
from people.models import MentorProfile, User
from tests import factories as f


def _pending(program, first, last, **extra):
    user = f.make_mentor(program, status=MentorStatus.PENDING, **extra)
    User.objects.filter(pk=user.pk).update(first_name=first, last_name=last)
    return MentorProfile.objects.get(role__user=user)


def test_mentor_search_by_full_name(client_for, staff, program):
    _pending(program, "Pieter", "Dekker")
    _pending(program, "Pieter", "Jansen")
    _pending(program, "Anna", "van Dijk")
    url = reverse("people:mentor_list", args=[program.pk])
    c = client_for(staff)
    page = c.get(url, {"status": "pending", "q": "Pieter Dekker"}).content.decode()
    assert "Pieter Dekker" in page and "Pieter Jansen" not in page
    page = c.get(url, {"status": "pending", "q": "anna van dijk"}).content.decode()
    assert "Anna van Dijk" in page
    page = c.get(url, {"status": "pending", "q": "Pieter Visser"}).content.decode()
    assert "Geen mentoren in deze lijst." in page


def test_bulk_approve_approves_the_ticked_mentors_and_emails_each(
    client_for, staff, program, django_capture_on_commit_callbacks
):
    a, b, c = (_pending(program, "Mentor", n) for n in ("Een", "Twee", "Drie"))
    url = reverse("people:mentor_bulk_approve", args=[program.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url, {"ids": [a.pk, b.pk]}, follow=True)
    assert "2 mentoren zijn goedgekeurd" in response.content.decode()
    statuses = dict(MentorProfile.objects.values_list("pk", "status"))
    assert statuses[a.pk] == statuses[b.pk] == MentorStatus.APPROVED
    assert statuses[c.pk] == MentorStatus.PENDING
    deliver_pending()
    assert len(mail.outbox) == 2


def test_bulk_approve_is_all_or_nothing(client_for, staff, program, coach_program, mentor):
    a = _pending(program, "Mentor", "Een")
    approved = MentorProfile.objects.get(role__user=mentor)
    url = reverse("people:mentor_bulk_approve", args=[program.pk])
    response = client_for(staff).post(url, {"ids": [a.pk, approved.pk]}, follow=True)
    assert "er is niemand goedgekeurd" in response.content.decode()
    assert MentorProfile.objects.get(pk=a.pk).status == MentorStatus.PENDING
    response = client_for(staff).post(url, {}, follow=True)
    assert "Kies eerst een of meer mentoren." in response.content.decode()


def test_bulk_approve_refuses_a_mentor_of_another_program(client_for, staff, program):
    other = f.make_program(program.kind, "2027-2028")
    foreign = _pending(other, "Ander", "Programma")
    url = reverse("people:mentor_bulk_approve", args=[program.pk])
    client_for(staff).post(url, {"ids": [foreign.pk]})
    assert MentorProfile.objects.get(pk=foreign.pk).status == MentorStatus.PENDING


def test_bulk_approve_denied_to_non_staff_and_needs_post(client_for, client, program, mentor):
    a = _pending(program, "Mentor", "Een")
    url = reverse("people:mentor_bulk_approve", args=[program.pk])
    assert client_for(mentor).post(url, {"ids": [a.pk]}).status_code == 403
    assert MentorProfile.objects.get(pk=a.pk).status == MentorStatus.PENDING


def test_review_page_shows_every_profile_field(client_for, staff, program):
    profile = _pending(program, "Pieter", "Dekker", months_available=[1, 11, 2])
    User.objects.filter(pk=profile.role.user_id).update(phone="06 1234 5678")
    url = reverse("people:mentor_review", args=[program.pk, profile.pk])
    page = client_for(staff).get(url).content.decode()
    assert "06 1234 5678" in page
    assert "november, januari, februari" in page


def test_outbox_search_finds_a_recipient_by_name(client_for, staff, program, mentor):
    User.objects.filter(pk=mentor.pk).update(first_name="Marieke", last_name="Jansen")
    mentor.refresh_from_db()
    for i in range(7):
        notify(
            "staff_message",
            mentor,
            {"subject": f"Bericht {i}", "message": "Tekst"},
            program=program,
        )
    url = reverse("notifications:program_outbox", args=[program.pk])
    c = client_for(staff)
    page = c.get(url, {"status": "all", "q": "Marieke"})
    assert len(page.context["page"].object_list) == 7
    page = c.get(url, {"status": "all", "q": "marieke jansen"})
    assert len(page.context["page"].object_list) == 7
    page = c.get(url, {"status": "all", "q": "Marieke Dekker"})
    assert len(page.context["page"].object_list) == 0


def test_outbox_shows_dutch_kind_labels_not_codes(client_for, staff, program, mentor):
    notify("staff_message", mentor, {"subject": "Hallo", "message": "Tekst"}, program=program)
    url = reverse("notifications:program_outbox", args=[program.pk])
    page = client_for(staff).get(url, {"status": "all"}).content.decode()
    assert "Bericht van de programmastaf" in page
    assert ">staff_message<" not in page and "<code>staff_message</code>" not in page


def _all_kinds() -> set[str]:
    root = Path(settings.BASE_DIR) / "templates"
    kinds = {p.parent.name for p in (root / "notifications").glob("*/subject.txt")}
    kinds |= {
        "account_" + p.name.removesuffix("_subject.txt")
        for p in (root / "account" / "email").glob("*_subject.txt")
    }
    return kinds


def test_every_kind_of_message_has_a_dutch_label():
    missing = sorted(_all_kinds() - set(KIND_LABELS))
    assert missing == []


@pytest.mark.parametrize("kind", ["match_published_mentor", "account_password_reset_key"])
def test_kind_label_is_not_the_code(kind):
    assert kind_label(kind) != kind
