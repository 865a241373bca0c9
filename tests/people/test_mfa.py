"""Two factors for every privileged account, whatever other roles it holds.

An account that is foundation staff (or superuser) or holds a staff role in any program
year opens no page but the account and two-factor pages until TOTP is set up.
"""

from __future__ import annotations

import itertools

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from people.enums import RoleKind
from tests import factories as f

pytestmark = pytest.mark.django_db

KINDS = [RoleKind.STAFF, RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH]
COMBINATIONS = [
    (set(kinds), foundation, staff_elsewhere)
    for n in range(len(KINDS) + 1)
    for kinds in itertools.combinations(KINDS, n)
    for foundation in (False, True)
    for staff_elsewhere in (False, True)
]


def _id(case) -> str:
    kinds, foundation, elsewhere = case
    parts = sorted(kinds) or ["none"]
    return (
        "+".join(parts) + ("-foundation" if foundation else "") + ("-staffB" if elsewhere else "")
    )


def person_with(kinds, foundation, staff_elsewhere, program, other_program):
    user = f.make_user("combi@example.org", is_staff=foundation)
    for kind in kinds:
        f.make_role(user, program, kind)
    if staff_elsewhere:
        f.make_role(user, other_program, RoleKind.STAFF)
    return user


def guarded_urls(program) -> list[str]:
    p = program.pk
    return [
        reverse("home"),
        reverse("program_home", args=[p]),
        reverse("guides:guide_list", args=[p]),  # mentors and schoolleiders read the guides
        reverse("people:mentor_profile", args=[p]),
        reverse("people:mentor_list", args=[p]),  # a staff page
        reverse("notifications:preferences"),
        reverse("privacy:my_data"),
    ]


@pytest.mark.parametrize("case", COMBINATIONS, ids=[_id(c) for c in COMBINATIONS])
def test_every_role_combination(case, client_for, program, coach_program, settings):
    settings.STAFF_REQUIRE_MFA = True
    kinds, foundation, staff_elsewhere = case
    user = person_with(kinds, foundation, staff_elsewhere, program, coach_program)
    privileged = foundation or staff_elsewhere or RoleKind.STAFF in kinds
    c = client_for(user)
    setup = reverse("mfa_activate_totp")
    for url in guarded_urls(program):
        for method in (c.get, c.post):
            response = method(url)
            sent_to_setup = response.status_code == 302 and response["Location"] == setup
            assert sent_to_setup is privileged, (method.__name__, url, response.status_code)
    # The account and two-factor pages stay open for everyone.
    for name in ("mfa_index", "mfa_activate_totp", "account_email", "account_change_password"):
        response = c.get(reverse(name))
        # 200, or allauth's own step (reauthenticate) which is an account page too
        assert response.status_code == 200 or (
            response.status_code == 302 and response["Location"].startswith("/accounts/")
        ), name
    if privileged:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
        response = c.get(reverse("guides:guide_list", args=[program.pk]))
        assert response.status_code != 302 or response["Location"] != setup


def test_staff_who_is_also_mentor_cannot_read_draft_guides_or_pairs_without_totp(
    client_for, program, settings
):
    """The reported hole: granted roles {staff, mentor} skipped the check."""
    settings.STAFF_REQUIRE_MFA = True
    user = f.make_mentor(program, email="staf.en.mentor@leerkracht.example")
    f.make_role(user, program, RoleKind.STAFF)
    c = client_for(user)
    for url in (
        reverse("guides:guide_list", args=[program.pk]),
        reverse("pairs:my_pair", args=[program.pk]),
        reverse("program_home", args=[program.pk]) + "?als=mentor",
    ):
        response = c.get(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "mfa_activate_totp"
        ), url


def test_activating_totp_offers_recovery_codes(client_for, staff, settings):
    """allauth generates recovery codes with the first TOTP and shows them right away."""
    from allauth.mfa.totp.views import ActivateTOTPView

    settings.STAFF_REQUIRE_MFA = True
    assert "recovery_codes" in settings.MFA_SUPPORTED_TYPES
    view = ActivateTOTPView()
    view.did_generate_recovery_codes = True
    assert view.get_success_url() == reverse("mfa_view_recovery_codes")
