"""Accounts and shared records across programs (docs/security.md, items 2 and 3).

- Program staff never give a role to a staff or foundation-staff account.
- An existing account an import adds is told by email and may decline.
- A role in B gives B's staff no view of the person's mail from A.
- A program's import never changes the master data of a school another program uses.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from notifications.delivery import deliver_pending
from notifications.models import Notification
from notifications.outbox import notify
from people.enums import RoleKind
from people.models import Role
from programs.enums import ProgramKind
from programs.importing.enums import ImportKind
from programs.importing.services import ImportBlocked, import_run_commit, import_run_create
from programs.models import Enrollment, School
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = "brin,vestiging,naam,sector,postcode,plaats,schoolleider_voornaam,schoolleider_achternaam,schoolleider_email"
COACH_HEADER = "voornaam;achternaam;email;postcode;capaciteit"


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def school_file(*rows: str) -> bytes:
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


def run_for(program, content, kind=ImportKind.SCHOOLS):
    return import_run_create(
        program=program, kind=kind, content=content, file_name="f.csv", user=None
    )


@pytest.fixture
def program_b(db):
    return f.make_program(ProgramKind.MENTOR_LEADER, school_year="2027-2028")


@pytest.mark.parametrize("who", ["foundation", "superuser", "staff_of_a", "staff_of_b_itself"])
def test_import_never_gives_a_role_to_a_staff_account(who, program, program_b):
    email = "beheer@leerkracht.example"
    if who == "foundation":
        f.make_user(email, is_staff=True)
    elif who == "superuser":
        f.make_user(email, is_superuser=True)
    elif who == "staff_of_a":
        f.make_staff(program, email)
    else:
        f.make_staff(program_b, email)
    content = school_file(f"12XA,00,De Linde,po,3511 AB,Utrecht,Eva,Beheer,{email.upper()}")
    run = run_for(program_b, content)
    with pytest.raises(ImportBlocked) as blocked:
        import_run_commit(run=run)
    [row] = blocked.value.plan.rows
    assert "account van programmastaf of van de stichting" in " ".join(row.errors)
    assert not Role.objects.filter(
        user__email=email, program=program_b, kind=RoleKind.SCHOOLLEIDER
    ).exists()
    assert not School.objects.exists()


def test_coach_import_never_gives_a_role_to_a_staff_account(coach_program, program):
    f.make_staff(program, "staf@leerkracht.example")
    content = f"{COACH_HEADER}\nSem;Staf;staf@leerkracht.example;3511 AB;3\n".encode()
    with pytest.raises(ImportBlocked):
        import_run_commit(run=run_for(coach_program, content, ImportKind.COACHES))
    assert not Role.objects.filter(program=coach_program).exists()


def test_existing_account_is_told_and_may_decline(
    client_for, program, program_b, django_capture_on_commit_callbacks
):
    person = f.make_mentor(program, email="anna@delinde.example")
    content = school_file("12XA,00,De Linde,po,3511 AB,Utrecht,Anna,de Vries,anna@delinde.example")
    with django_capture_on_commit_callbacks(execute=True):
        import_run_commit(run=run_for(program_b, content))
    deliver_pending()
    [told] = [m for m in mail.outbox if m.to == [person.email]]
    decline = reverse("imports:role_decline", args=[program_b.pk])
    assert str(program_b) in told.subject and decline in told.body
    assert Notification.objects.get(kind="role_added").program == program_b
    c = client_for(person)
    assert c.get(decline).status_code == 200
    assert c.post(decline).status_code == 302
    assert not Role.objects.filter(user=person, program=program_b).exists()
    assert Role.objects.filter(user=person, program=program, kind=RoleKind.MENTOR).exists()
    # Declining is only for one's own role in that program: others get 403.
    stranger = f.make_user("x@example.org")
    assert client_for(stranger).post(decline).status_code == 403


def test_decline_is_refused_once_the_role_is_in_a_pair(client_for, program):
    from tests.factories import make_pair

    pair = make_pair(program)
    leader = pair.schoolleider.user
    url = reverse("imports:role_decline", args=[program.pk])
    response = client_for(leader).post(url)
    assert response.status_code == 302 and response["Location"] == url
    assert Role.objects.filter(pk=pair.schoolleider_id).exists()


def test_a_role_in_b_shows_b_staff_nothing_of_a(client_for, program, program_b):
    """B's staff see no mail A caused, and no account mail, of a person they imported."""
    person = f.make_mentor(program, email="anna@delinde.example")
    from_a = notify("staff_message", person, {"subject": "Uit A", "message": "x"}, program=program)
    account = notify("staff_message", person, {"subject": "Account", "message": "y"})
    import_run_commit(
        run=run_for(
            program_b,
            school_file("12XA,00,De Linde,po,3511 AB,Utrecht,Anna,de Vries,anna@delinde.example"),
        )
    )
    staff_b = f.make_staff(program_b, "staf.b@leerkracht.example")
    c = client_for(staff_b)
    page = c.get(reverse("notifications:program_outbox", args=[program_b.pk]) + "?status=all")
    shown = list(page.context["page"])
    assert from_a not in shown and account not in shown
    for row in (from_a, account):
        url = reverse("notifications:program_detail", args=[program_b.pk, row.pk])
        assert c.get(url).status_code == 404
    # Nor A's profile of the person: B's mentor list shows nobody (the person is no mentor in B).
    mentors = c.get(reverse("people:mentor_list", args=[program_b.pk]))
    assert person.email not in mentors.content.decode()


def test_import_of_b_does_not_rename_a_school_enrolled_in_a(program, program_b):
    school = f.make_school(program=program, name="De Linde")
    content = school_file(
        f"{school.brin},{school.vestiging},Hernoemd door B,po,9711 AB,Groningen,,,"
    )
    result = import_run_commit(run=run_for(program_b, content))
    school.refresh_from_db()
    assert school.name == "De Linde" and school.pc4 != "9711"
    assert Enrollment.objects.filter(program=program_b, school=school).exists()
    assert result.counts["updated"] == 1  # only its enrollment in B
    again = run_for(program_b, content)
    from programs.importing.services import import_run_plan

    [row] = import_run_plan(run=again).rows
    assert "ook mee aan een ander programma" in " ".join(row.warnings)


def test_import_may_change_a_school_only_its_own_program_uses(program):
    school = f.make_school(program=program, name="De Linde")
    content = school_file(f"{school.brin},{school.vestiging},Nieuwe naam,po,3511 AB,Utrecht,,,")
    import_run_commit(run=run_for(program, content))
    school.refresh_from_db()
    assert school.name == "Nieuwe naam"


def test_program_staff_cannot_change_the_shared_region_table(client_for, staff, program):
    from programs.models import Region

    region = Region.objects.first()
    before = list(Region.objects.values_list("pk", "name", "provinces", "municipalities"))
    c = client_for(staff)
    edit = reverse("programs:region_edit", args=[program.pk, region.pk])
    create = reverse("programs:region_create", args=[program.pk])
    for url in (edit, create):
        assert c.get(url).status_code == 403
        response = c.post(
            url,
            {
                "name": "Hernoemd",
                "provinces": [],
                "sort_order": 1,
                "municipalities_text": "Utrecht",
            },
        )
        assert response.status_code == 403
    assert list(Region.objects.values_list("pk", "name", "provinces", "municipalities")) == before
    listing = c.get(reverse("programs:region_list", args=[program.pk]))
    assert listing.status_code == 200 and edit not in listing.content.decode()


def test_region_service_refuses_program_staff_whatever_the_caller(staff, foundation_staff):
    from django.core.exceptions import PermissionDenied

    from programs.forms import RegionForm
    from programs.models import Region
    from programs.services import region_save

    form = RegionForm(
        {"name": "Nieuw", "provinces": [], "municipalities_text": "Utrecht", "sort_order": 3}
    )
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        region_save(user=staff, form=form)
    assert not Region.objects.filter(name="Nieuw").exists()
    assert region_save(user=foundation_staff, form=form).name == "Nieuw"
