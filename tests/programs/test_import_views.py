"""The staff pages of the import: upload, preview, commit, discard, templates, and who may see what."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.enums import RoleKind
from programs.enums import ProgramKind
from programs.importing.enums import ImportKind, ImportStatus
from programs.importing.models import ImportRun
from programs.importing.planning import plan_import
from programs.importing.services import import_run_commit, import_run_create
from programs.models import School
from tests import factories as f

GOOD = (
    b"brin,vestiging,naam,sector,postcode,schoolleider_voornaam,schoolleider_achternaam,schoolleider_email\n"
    b"12XA,00,De Linde,po,3511 AB,Anna,de Vries,anna@delinde.example\n"
    b"34CD,00,Het Baken,vo,1012 AB,,,\n"
)
BAD = GOOD + b"56EF,00,De Eik,po,12345,,,\n"


def upload_url(program) -> str:
    return reverse("imports:upload", args=[program.pk])


def post_file(client, program, content: bytes, name: str = "scholen.csv", **extra):
    data = {
        "kind": ImportKind.SCHOOLS,
        "sector": "",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(upload_url(program), data)


def make_run(program, user, content: bytes = GOOD, *, kind=ImportKind.SCHOOLS) -> ImportRun:
    return import_run_create(
        program=program, kind=kind, content=content, file_name="scholen.csv", user=user
    )


@pytest.mark.django_db
def test_upload_preview_and_commit_journey(client_for, program, staff):
    client = client_for(staff)
    page = client.get(upload_url(program))
    assert page.status_code == 200 and "Scholen en mensen importeren" in page.text
    response = post_file(client, program, BAD)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:preview", args=[program.pk, run.pk]
    )
    preview = client.get(response["Location"])
    assert "‘12345’ is geen geldige Nederlandse postcode" in preview.text
    assert (
        reverse("imports:commit", args=[program.pk, run.pk]) not in preview.text
    )  # no commit button
    assert School.objects.count() == 0

    refused = client.post(reverse("imports:commit", args=[program.pk, run.pk]), {"digest": "x"})
    assert refused.status_code == 302 and School.objects.count() == 0

    post_file(client, program, GOOD)
    good = ImportRun.objects.filter(status=ImportStatus.PREVIEW).latest("id")
    preview = client.get(reverse("imports:preview", args=[program.pk, good.pk]))
    assert preview.context["counts"]["new"] == 2 and preview.context["counts"]["invitations"] == 1
    digest = preview.context["plan"].digest
    done = client.post(reverse("imports:commit", args=[program.pk, good.pk]), {"digest": digest})
    assert done["Location"] == reverse("programs:school_list", args=[program.pk])
    assert School.objects.count() == 2
    listing = client.get(done["Location"])
    assert "De Linde" in listing.text and "anna@delinde.example" in listing.text
    history = client.get(upload_url(program))
    assert "scholen.csv" in history.text


@pytest.mark.django_db
def test_commit_with_a_stale_digest_asks_to_look_again(client_for, program, staff):
    run = make_run(program, staff)
    client = client_for(staff)
    response = client.post(
        reverse("imports:commit", args=[program.pk, run.pk]), {"digest": "oud"}, follow=True
    )
    assert "De gegevens zijn gewijzigd" in response.text
    assert School.objects.count() == 0


@pytest.mark.django_db
def test_upload_form_refuses_xls_and_other_files(client_for, program, staff):
    client = client_for(staff)
    old = post_file(client, program, b"\xd0\xcf\x11\xe0", name="scholen.xls")
    assert old.status_code == 200 and "(.xls) worden niet ondersteund" in old.text
    pdf = post_file(client, program, b"%PDF-1.4", name="scholen.pdf")
    assert "Kies een CSV-bestand" in pdf.text
    assert ImportRun.objects.count() == 0


@pytest.mark.django_db
def test_coach_import_is_not_offered_in_a_mentoring_program(client_for, program, staff):
    response = post_file(client_for(staff), program, GOOD, kind=ImportKind.COACHES)
    assert response.status_code == 200 and ImportRun.objects.count() == 0


@pytest.mark.django_db
def test_discard_removes_the_stored_file(client_for, program, staff):
    run = make_run(program, staff)
    response = client_for(staff).post(reverse("imports:discard", args=[program.pk, run.pk]))
    assert response.status_code == 302 and not ImportRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filename", ["scholen.csv", "scholen.xlsx", "expertcoaches.csv", "expertcoaches.xlsx"]
)
def test_template_downloads_import_cleanly(client_for, coach_program, filename):
    staff = f.make_staff(coach_program)
    response = client_for(staff).get(reverse("imports:template", args=[coach_program.pk, filename]))
    assert response.status_code == 200
    assert filename in response["Content-Disposition"]
    kind = ImportKind.SCHOOLS if filename.startswith("scholen") else ImportKind.COACHES
    plan = plan_import(content=response.content, kind=kind, program=coach_program)
    assert not plan.has_errors, (plan.file_errors, [r.errors for r in plan.rows])
    assert plan.counts["rows"] == 1


@pytest.mark.django_db
def test_unknown_template_is_404(client_for, program, staff):
    assert (
        client_for(staff).get(reverse("imports:template", args=[program.pk, "x.exe"])).status_code
        == 404
    )


# --- denials ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_non_staff_are_refused_on_every_import_page(
    client_for, program, staff, schoolleider, mentor, outsider
):
    run = make_run(program, staff)
    schools = School.objects.count()  # the schoolleider fixture has one
    urls = [
        upload_url(program),
        reverse("imports:preview", args=[program.pk, run.pk]),
        reverse("imports:template", args=[program.pk, "scholen.csv"]),
    ]
    for user in (schoolleider, mentor, outsider):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("imports:commit", args=[program.pk, run.pk])).status_code == 403
        assert client.post(upload_url(program), {"kind": "schools"}).status_code == 403
    assert School.objects.count() == schools
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEW


@pytest.mark.django_db
def test_staff_of_another_program_is_refused(client_for, program, coach_program, staff):
    other_staff = f.make_staff(coach_program)
    run = make_run(program, staff)
    client = client_for(other_staff)
    assert client.get(upload_url(program)).status_code == 403
    assert client.get(reverse("imports:preview", args=[program.pk, run.pk])).status_code == 403
    # Their own program's URL with our run id: the run is not theirs to know about.
    assert (
        client.get(reverse("imports:preview", args=[coach_program.pk, run.pk])).status_code == 404
    )
    assert (
        client.post(reverse("imports:commit", args=[coach_program.pk, run.pk])).status_code == 404
    )
    assert (
        client.post(reverse("imports:discard", args=[coach_program.pk, run.pk])).status_code == 404
    )
    assert School.objects.count() == 0 and ImportRun.objects.filter(pk=run.pk).exists()


@pytest.mark.django_db
def test_a_preview_belongs_to_the_staff_member_who_uploaded_it(client_for, program, staff):
    colleague = f.make_staff(program)
    run = make_run(program, staff)
    client = client_for(colleague)
    assert client.get(reverse("imports:preview", args=[program.pk, run.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[program.pk, run.pk])).status_code == 404
    assert client.post(reverse("imports:discard", args=[program.pk, run.pk])).status_code == 404
    assert School.objects.count() == 0
    import_run_commit(run=run)
    # Once imported, the record is part of the program's log for every staff member.
    assert client.get(reverse("imports:preview", args=[program.pk, run.pk])).status_code == 200


@pytest.mark.django_db
def test_commit_and_discard_need_post(client_for, program, staff):
    run = make_run(program, staff)
    client = client_for(staff)
    assert client.get(reverse("imports:commit", args=[program.pk, run.pk])).status_code == 405
    assert client.get(reverse("imports:discard", args=[program.pk, run.pk])).status_code == 405


@pytest.mark.django_db
def test_staff_home_links_to_the_import(client_for, program, staff):
    response = client_for(staff).get(reverse("program_home", args=[program.pk]))
    assert upload_url(program) in response.text


# --- query counts -------------------------------------------------------------------------


def _committed_runs(program, user, n: int) -> None:
    for i in range(n):
        content = GOOD.replace(b"De Linde", f"De Linde {i}".encode())
        import_run_commit(run=make_run(program, user, content))


@pytest.mark.django_db
def test_upload_page_query_count_does_not_grow_with_history(
    client_for, program, staff, django_assert_max_num_queries
):
    client = client_for(staff)
    _committed_runs(program, staff, 1)
    client.get(upload_url(program))
    with django_assert_max_num_queries(12) as one:
        client.get(upload_url(program))
    _committed_runs(program, staff, 4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(upload_url(program))
    assert response.text.count("scholen.csv") >= 5


@pytest.mark.django_db
def test_preview_query_count_does_not_grow_with_rows(
    client_for, program, staff, django_assert_max_num_queries
):
    client = client_for(staff)
    small = make_run(program, staff)
    lines = [
        f"{n:02d}XY,00,School {n},po,3511 AB,Voor,Naam,leider{n}@school.example".encode()
        for n in range(10, 70)
    ]
    big = make_run(program, staff, GOOD + b"\n".join(lines) + b"\n")
    client.get(reverse("imports:preview", args=[program.pk, small.pk]))
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("imports:preview", args=[program.pk, small.pk]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("imports:preview", args=[program.pk, big.pk]) + "?toon=alle")
    assert response.context["counts"]["new"] == 62


@pytest.mark.django_db
def test_large_preview_is_paginated(client_for, program, staff):
    lines = [
        f"{n:02d}XY,{v:02d},School {n}-{v},po,3511 AB,,,".encode()
        for n in range(10, 60)
        for v in range(5)
    ]
    run = make_run(program, staff, GOOD + b"\n".join(lines) + b"\n")
    response = client_for(staff).get(
        reverse("imports:preview", args=[program.pk, run.pk]) + "?toon=alle&page=2"
    )
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 100
    assert response.context["counts"]["rows"] == 252


@pytest.mark.django_db
def test_foundation_staff_may_import_in_any_program(client_for, foundation_staff):
    coach_program = f.make_program(ProgramKind.COACH_SCHOOL)
    response = post_file(client_for(foundation_staff), coach_program, GOOD)
    assert response.status_code == 302
    assert ImportRun.objects.get().created_by == foundation_staff
    assert RoleKind.STAFF  # foundation staff act as staff without a Role row
