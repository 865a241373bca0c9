"""The permission layer: roles per program year, foundation staff, MFA for staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.access import roles_in
from people.enums import RoleKind
from programs.enums import ProgramKind
from tests import factories as f


def test_role_belongs_to_one_program_year(db):
    this_year = f.make_program(ProgramKind.MENTOR_LEADER, "2026-2027")
    next_year = f.make_program(ProgramKind.MENTOR_LEADER, "2027-2028")
    user = f.make_mentor(this_year)
    assert roles_in(user, this_year) == {RoleKind.MENTOR}
    assert roles_in(user, next_year) == set()


def test_foundation_staff_is_staff_everywhere(foundation_staff, program, coach_program):
    assert RoleKind.STAFF in roles_in(foundation_staff, program)
    assert RoleKind.STAFF in roles_in(foundation_staff, coach_program)


def test_anonymous_is_sent_to_login(client, program):
    response = client.get(reverse("program_home", args=[program.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_without_totp_is_sent_to_mfa_setup(client_for, staff, program, settings):
    settings.STAFF_REQUIRE_MFA = True
    client = client_for(staff)
    for url in [
        reverse("program_home", args=[program.pk]),
        reverse("people:mentor_list", args=[program.pk]),
        reverse("programs:school_list", args=[program.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_totp_gets_in(client_for, staff, program, settings):
    from allauth.mfa.models import Authenticator

    settings.STAFF_REQUIRE_MFA = True
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert (
        client_for(staff).get(reverse("people:mentor_list", args=[program.pk])).status_code == 200
    )


def test_mfa_is_not_required_of_mentors(client_for, mentor, program, settings):
    settings.STAFF_REQUIRE_MFA = True
    assert client_for(mentor).get(reverse("program_home", args=[program.pk])).status_code == 200


def test_program_list_is_for_foundation_staff_only(client_for, staff, foundation_staff):
    assert client_for(staff).get(reverse("programs:program_list")).status_code == 403
    assert client_for(foundation_staff).get(reverse("programs:program_list")).status_code == 200


@pytest.mark.parametrize("who", ["mentor", "schoolleider", "expertcoach"])
def test_home_shows_role_panel(request, client_for, who):
    user = request.getfixturevalue(who)
    program = user.roles.first().program
    response = client_for(user).get(reverse("program_home", args=[program.pk]))
    assert response.status_code == 200
    assert response.context["kind"] == who


def test_staff_home_lists_tasks_with_constant_queries(
    client_for, staff, program, django_assert_max_num_queries
):
    client = client_for(staff)
    url = reverse("program_home", args=[program.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["staff_links"]
    for _ in range(4):
        f.make_mentor(program)
        f.make_schoolleider(program)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_language_switch_remembers_choice(client_for, mentor, program):
    client = client_for(mentor)
    client.post(reverse("people:set_language"), {"language": "en", "next": "/"})
    mentor.refresh_from_db()
    assert mentor.language == "en"
    response = client.get(reverse("program_home", args=[program.pk]))
    assert response.context["LANGUAGE_CODE"] == "en"


def test_language_switch_rejects_foreign_redirect(client):
    response = client.post(
        reverse("people:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_admin_requires_totp_for_staff(client_for, foundation_staff, settings):
    settings.STAFF_REQUIRE_MFA = True
    response = client_for(foundation_staff).get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_admin_refuses_non_staff(client_for, mentor):
    response = client_for(mentor).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_invitation_token_is_not_shown_in_admin(client_for, foundation_staff, mentor):
    from people.models import Invitation

    foundation_staff.is_superuser = True
    foundation_staff.save()
    invitation = Invitation.objects.create(user=mentor)
    response = client_for(foundation_staff).get(f"/admin/people/invitation/{invitation.pk}/change/")
    assert response.status_code == 200
    assert invitation.token not in response.content.decode()
