"""Committing an import: all or nothing, idempotent, upserts by BRIN+vestiging, invites new people."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from people.enums import RoleKind
from people.models import ExpertcoachProfile, Invitation, Role, SchoolleiderProfile, User
from programs.importing import services
from programs.importing.enums import ImportKind, ImportStatus
from programs.importing.services import (
    ImportBlocked,
    import_run_commit,
    import_run_create,
    import_run_plan,
)
from programs.models import Enrollment, Region, School
from tests import factories as f

HEADER = "brin,vestiging,naam,sector,postcode,plaats,fase,schoolleider_voornaam,schoolleider_achternaam,schoolleider_email"
FILE = (
    HEADER
    + "\n12XA,00,De Linde,po,3511 AB,Utrecht,training,Anna,de Vries,anna@delinde.example"
    + "\n34CD,00,Het Baken,vo,1012 AB,Amsterdam,,Bert,Bakker,bert@baken.example"
    + "\n56EF,01,De Eik,po,3011 AB,Rotterdam,,,,\n"
).encode()
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(autouse=True)
def _dutch():
    """Messages are asserted in Dutch whatever language an earlier test left active."""
    with translation.override("nl"):
        yield


def deliver() -> None:
    from notifications.delivery import deliver_pending

    deliver_pending()


def run_for(program, content=FILE, *, kind=ImportKind.SCHOOLS, user=None, sector=""):
    return import_run_create(
        program=program,
        kind=kind,
        content=content,
        file_name="scholen.csv",
        user=user,
        sector=sector,
    )


def commit(program, content=FILE, **kwargs):
    with_commit = kwargs.pop("on_commit", None)
    run = run_for(program, content, **kwargs)
    if with_commit is not None:
        with with_commit(execute=True):
            return import_run_commit(run=run)
    return import_run_commit(run=run)


@pytest.mark.django_db
def test_commit_creates_schools_enrollments_people_and_one_invitation_each(
    program, staff, django_capture_on_commit_callbacks
):
    result = commit(program, user=staff, on_commit=django_capture_on_commit_callbacks)
    assert result.counts["new"] == 3 and result.counts["invitations"] == 2
    linde = School.objects.get(brin="12XA", vestiging="00")
    assert (linde.name, linde.sector, linde.pc4, linde.phase) == (
        "De Linde",
        "po",
        "3511",
        "training",
    )
    assert linde.province == "Utrecht" and linde.region == Region.objects.get(name="Utrecht")
    assert Enrollment.objects.filter(program=program).count() == 3
    anna = User.objects.get(email="anna@delinde.example")
    assert not anna.has_usable_password()
    profile = SchoolleiderProfile.objects.get(role__user=anna, role__program=program)
    assert profile.school == linde
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@delinde.example", "bert@baken.example"]
    message = next(m for m in mail.outbox if m.to == ["anna@delinde.example"])
    assert "Uitnodiging voor Mentoring 2026-2027" in message.subject
    assert re.search(r"https?://\S+/uitnodiging/\S+/", message.body)
    run = result.run
    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED and bytes(run.content) == b""
    assert run.counts["new"] == 3 and run.created_by == staff


@pytest.mark.django_db
def test_commit_same_file_twice_changes_nothing_and_sends_nothing(
    program, django_capture_on_commit_callbacks
):
    commit(program, on_commit=django_capture_on_commit_callbacks)
    deliver()
    mail.outbox.clear()
    before = (
        School.objects.count(),
        User.objects.count(),
        Role.objects.count(),
        Invitation.objects.count(),
    )
    stamps = dict(School.objects.values_list("pk", "updated_at"))
    result = commit(program, on_commit=django_capture_on_commit_callbacks)
    deliver()
    assert result.counts == {
        "rows": 3,
        "new": 0,
        "updated": 0,
        "unchanged": 3,
        "errors": 0,
        "warnings": 0,
        "invitations": 0,
    }
    after = (
        School.objects.count(),
        User.objects.count(),
        Role.objects.count(),
        Invitation.objects.count(),
    )
    assert after == before
    assert dict(School.objects.values_list("pk", "updated_at")) == stamps
    assert mail.outbox == []


@pytest.mark.django_db
def test_commit_updated_file_updates_by_brin_and_vestiging(program):
    commit(program)
    linde = School.objects.get(brin="12XA", vestiging="00")
    updated = FILE.replace(
        b"De Linde,po,3511 AB,Utrecht,training", b"De Linde (nieuw),po,5611 AB,Eindhoven,verdieping"
    )
    result = commit(program, updated)
    assert (result.counts["updated"], result.counts["unchanged"], result.counts["new"]) == (1, 2, 0)
    linde.refresh_from_db()
    assert (linde.name, linde.pc4, linde.place, linde.phase) == (
        "De Linde (nieuw)",
        "5611",
        "Eindhoven",
        "verdieping",
    )
    assert linde.province == "Noord-Brabant" and linde.region.name == "Noord-Brabant"
    assert School.objects.count() == 3


@pytest.mark.django_db
def test_commit_existing_school_in_another_program_is_enrolled_not_duplicated(
    program, coach_program
):
    commit(coach_program)
    result = commit(program)
    assert result.counts["updated"] == 3  # enrolled in this program; schoolleiders added
    assert School.objects.count() == 3
    assert Enrollment.objects.filter(program=program).count() == 3
    assert Invitation.objects.count() == 2  # the people already had accounts: no new invitations
    assert Role.objects.filter(program=program, kind=RoleKind.SCHOOLLEIDER).count() == 2


@pytest.mark.django_db
def test_commit_failure_mid_way_writes_nothing_and_sends_nothing(
    program, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    real = services.invitation_create

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("mail server exploded")
        return real(**kwargs)

    monkeypatch.setattr(services, "invitation_create", failing)
    run = run_for(program)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        import_run_commit(run=run)
    deliver()
    assert len(calls) == 2  # the failure came after schools, users and one invitation
    assert School.objects.count() == 0
    assert Enrollment.objects.count() == 0
    assert User.objects.filter(email__endswith=".example").count() == 0
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEW and bytes(run.content) == FILE


@pytest.mark.django_db
def test_commit_refuses_a_file_with_errors(program):
    bad = FILE + b"78GH,00,Kapot,po,nope,Utrecht,,,,\n"
    with pytest.raises(ImportBlocked) as blocked:
        commit(program, bad)
    assert not blocked.value.stale
    assert (
        School.objects.count() == 0 and User.objects.filter(email__endswith=".example").count() == 0
    )


@pytest.mark.django_db
def test_commit_refuses_when_the_data_changed_since_the_preview(program):
    run = run_for(program)
    digest = import_run_plan(run=run).digest
    f.make_school(brin="12XA", vestiging="00", name="Al aangemaakt")
    with pytest.raises(ImportBlocked) as blocked:
        import_run_commit(run=run, expected_digest=digest)
    assert blocked.value.stale
    assert School.objects.count() == 1


@pytest.mark.django_db
def test_commit_twice_on_the_same_run_is_refused(program):
    run = run_for(program)
    import_run_commit(run=run)
    with pytest.raises(ImportBlocked):
        import_run_commit(run=run)


@pytest.mark.django_db
def test_commit_xlsx_file(program):
    from openpyxl import Workbook

    workbook = Workbook()
    for line in FILE.decode().strip().splitlines():
        workbook.active.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = commit(program, buffer.getvalue())
    assert result.counts["new"] == 3
    assert School.objects.filter(brin="34CD", sector="vo").exists()


@pytest.mark.django_db
def test_commit_cp1252_semicolon_file(program):
    content = (
        FILE.decode().replace(",", ";").replace("De Eik", "Cbs Ds. Büchnerschool").encode("cp1252")
    )
    result = commit(program, content)
    assert result.counts["new"] == 3
    assert School.objects.filter(name="Cbs Ds. Büchnerschool").exists()


# --- the invitation link ------------------------------------------------------------------


def invitation_link(email: str) -> str:
    deliver()
    message = next(m for m in mail.outbox if m.to == [email])
    return re.search(r"/uitnodiging/[^/\s]+/", message.body).group(0)


@pytest.mark.django_db
def test_invitation_link_sets_password_once_and_logs_in(
    program, client, django_capture_on_commit_callbacks
):
    commit(program, on_commit=django_capture_on_commit_callbacks)
    link = invitation_link("anna@delinde.example")
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"new_password1": "Zomer-in-Utrecht-2026", "new_password2": "Zomer-in-Utrecht-2026"}
    )
    assert response.status_code == 302
    assert client.get(f"/programma/{program.pk}/").status_code == 200  # logged in as schoolleider
    assert User.objects.get(email="anna@delinde.example").check_password("Zomer-in-Utrecht-2026")
    client.logout()
    assert client.get(link).status_code == 410
    assert (
        client.post(
            link, {"new_password1": "x-Other-2026!", "new_password2": "x-Other-2026!"}
        ).status_code
        == 410
    )


@pytest.mark.django_db
def test_invitation_link_expires(program, client, django_capture_on_commit_callbacks):
    commit(program, on_commit=django_capture_on_commit_callbacks)
    link = invitation_link("bert@baken.example")
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(link).status_code == 410
    assert User.objects.get(email="bert@baken.example").has_usable_password() is False


# --- expertcoaches ------------------------------------------------------------------------

COACHES = (
    b"voornaam;achternaam;email;postcode;capaciteit;regio's;max_reisafstand\n"
    b"Jan;Jansen;jan@coach.example;3511 AB;4;Utrecht, Noord-Holland;60\n"
    b"Els;Smit;coach@leerkracht.example;9711 AB;;Groningen;\n"
)


@pytest.mark.django_db
def test_commit_coaches_creates_profiles_regions_and_invites_only_new_accounts(
    coach_program, expertcoach, django_capture_on_commit_callbacks
):
    run = run_for(coach_program, COACHES, kind=ImportKind.COACHES)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_run_commit(run=run)
    assert (result.counts["new"], result.counts["updated"], result.counts["invitations"]) == (
        1,
        1,
        1,
    )
    jan = ExpertcoachProfile.objects.get(role__user__email="jan@coach.example")
    assert (jan.capacity, jan.max_travel_km, jan.pc4) == (4, 60, "3511")
    assert sorted(r.name for r in jan.regions.all()) == ["Noord-Holland", "Utrecht"]
    els = ExpertcoachProfile.objects.get(role__user=expertcoach)
    assert els.pc4 == "9711" and [r.name for r in els.regions.all()] == ["Groningen"]
    assert els.capacity == 5  # empty cell keeps the stored value
    deliver()
    assert [m.to for m in mail.outbox] == [["jan@coach.example"]]
    again = run_for(coach_program, COACHES, kind=ImportKind.COACHES)
    assert import_run_commit(run=again).counts["unchanged"] == 2


# --- command line -------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_previews_then_commits(program, tmp_path):
    path = tmp_path / "scholen.csv"
    path.write_bytes(FILE)
    out = io.StringIO()
    call_command("import_schools", str(path), program=program.pk, stdout=out)
    assert "nieuw: 3" in out.getvalue() and School.objects.count() == 0
    call_command("import_schools", str(path), program=program.pk, commit=True, stdout=out)
    assert School.objects.count() == 3


@pytest.mark.django_db
def test_command_refuses_a_file_with_errors(program, tmp_path):
    path = tmp_path / "scholen.csv"
    path.write_bytes(b"brin,naam\n12XA,De Linde\n")
    with pytest.raises(CommandError, match="Kolom ontbreekt"):
        call_command(
            "import_schools", str(path), program=program.pk, commit=True, stdout=io.StringIO()
        )
    assert School.objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not available")
def test_commit_duo_po_file_imports_every_location_and_again_changes_nothing(coach_program):
    content = (DATA / "schools_po_duo.csv").read_bytes()
    first = commit(coach_program, content, sector="po")
    assert first.counts["new"] == 6122
    assert School.objects.filter(sector="po").count() == 6122
    assert not School.objects.filter(region__isnull=True).exists()
    again = import_run_plan(run=run_for(coach_program, content, sector="po"))
    assert again.counts["unchanged"] == 6122 and not again.has_errors


@pytest.mark.django_db
def test_digest_does_not_depend_on_the_interface_language(program):
    f.make_school(brin="12XA", vestiging="00", name="Oude naam", program=program)
    run = run_for(program)
    with translation.override("nl"):
        dutch = import_run_plan(run=run)
    with translation.override("en"):
        english = import_run_plan(run=run)
    assert dutch.digest == english.digest
    assert import_run_commit(run=run, expected_digest=dutch.digest).counts["updated"] == 1


@pytest.mark.django_db
def test_commit_racing_another_import_is_rolled_back_and_asks_to_look_again(program, monkeypatch):
    run = run_for(program)
    stale_plan = import_run_plan(run=run)
    f.make_school(brin="56EF", vestiging="01", name="Net door een collega geïmporteerd")
    real = services.import_run_plan
    plans = iter([stale_plan])
    monkeypatch.setattr(
        services, "import_run_plan", lambda *, run: next(plans, None) or real(run=run)
    )
    with pytest.raises(ImportBlocked) as blocked:
        import_run_commit(run=run)
    assert blocked.value.stale
    assert School.objects.count() == 1
    assert not User.objects.filter(email__endswith=".example").exists()
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEW


@pytest.mark.django_db
def test_commit_new_schoolleider_at_a_school_that_has_one_keeps_both_with_a_warning(program):
    school = f.make_school(brin="12XA", vestiging="00", name="De Linde", program=program)
    f.make_schoolleider(program, school=school, email="oud@delinde.example")
    run = run_for(program)
    plan = import_run_plan(run=run)
    row = plan.rows[0]
    assert row.warnings == (
        "Deze school heeft in dit programma al schoolleider oud@delinde.example; die blijft gekoppeld.",
    )
    import_run_commit(run=run)
    leaders = SchoolleiderProfile.objects.filter(school=school, role__program=program)
    assert sorted(p.role.user.email for p in leaders) == [
        "anna@delinde.example",
        "oud@delinde.example",
    ]


@pytest.mark.django_db
def test_invitation_html_has_the_absolute_one_time_link(
    program, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mentoring.example"
    commit(program, on_commit=django_capture_on_commit_callbacks)
    deliver()
    message = next(m for m in mail.outbox if m.to == ["anna@delinde.example"])
    token = Invitation.objects.get(user__email="anna@delinde.example").token
    html = message.alternatives[0][0]
    assert f"https://mentoring.example/uitnodiging/{token}/" in message.body
    assert f"https://mentoring.example/uitnodiging/{token}/" in html
    assert "Beste Anna" in message.body and "als schoolleider" in message.body


@pytest.mark.django_db
def test_invitation_in_an_expertcoach_program_speaks_of_the_expertcoach(
    coach_program, django_capture_on_commit_callbacks
):
    commit(coach_program, on_commit=django_capture_on_commit_callbacks)
    deliver()
    message = next(m for m in mail.outbox if m.to == ["anna@delinde.example"])
    assert "wie uw expertcoach is" in message.body and "mentor" not in message.body


@pytest.mark.django_db
def test_commit_file_without_place_columns_keeps_the_stored_place_names(program):
    duo = (
        b"instellingscode,vestigingscode,vestigingsnaam,postcode,plaatsnaam,gemeentenaam,provincie\n"
        b"32JK,32JK00,BBS de Verwondering,9306 TC,ALTEVEER GEM NOORDENVELD,NOORDENVELD,Drenthe\n"
    )
    commit(program, duo, sector="po")
    school = School.objects.get(brin="32JK")
    assert (school.place, school.municipality) == ("Alteveer Gem Noordenveld", "Noordenveld")
    ours = b"brin,vestiging,naam,postcode,fase\n32JK,00,BBS de Verwondering,9306 TC,training\n"
    result = commit(program, ours, sector="po")
    assert result.counts["updated"] == 1
    school.refresh_from_db()
    assert (school.place, school.municipality, school.phase) == (
        "Alteveer Gem Noordenveld",
        "Noordenveld",
        "training",
    )
    moved = b"brin,vestiging,naam,postcode\n32JK,00,BBS de Verwondering,3511 AB\n"
    commit(program, moved, sector="po")
    school.refresh_from_db()
    assert (school.pc4, school.province) == (
        "3511",
        "Utrecht",
    )  # a new area: from the postcode table


@pytest.mark.django_db
def test_commit_update_keeps_created_at_and_stamps_updated_at(program):
    commit(program)
    before = School.objects.get(brin="56EF")
    result = commit(program, FILE.replace(b"De Eik", b"De Eik (nieuw)"))
    assert result.counts["updated"] == 1
    after = School.objects.get(brin="56EF")
    assert after.name == "De Eik (nieuw)"
    assert after.created_at == before.created_at and after.updated_at > before.updated_at
    assert School.objects.get(brin="12XA").updated_at < after.updated_at  # unchanged rows


@pytest.mark.django_db
def test_commit_does_not_recreate_a_school_removed_after_the_plan(program, monkeypatch):
    commit(program)
    run = run_for(program, FILE.replace(b"De Eik", b"De Eik (nieuw)"))
    stale_plan = import_run_plan(run=run)
    School.objects.filter(brin="56EF").delete()
    real = services.import_run_plan
    plans = iter([stale_plan])
    monkeypatch.setattr(
        services, "import_run_plan", lambda *, run: next(plans, None) or real(run=run)
    )
    with pytest.raises(ImportBlocked) as blocked:
        import_run_commit(run=run)
    assert blocked.value.stale
    assert not School.objects.filter(brin="56EF").exists()
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEW
