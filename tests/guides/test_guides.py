import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from mentoring.guides.models import Guide
from mentoring.guides.services import (
    guide_create,
    guide_publish,
    guide_save_draft,
    guides_seed,
    meeting_record_save,
    preparation_save,
)
from programs.enums import ProgramKind
from tests import factories as f

from .conftest import meeting_url


def test_seed_guides_creates_three_published_mentoring_guides(program):
    assert guides_seed(program=program) == 3
    guides = list(Guide.objects.filter(program=program).select_related("published_version"))
    assert [g.number for g in guides] == [1, 2, 3]
    assert all(g.published_version and g.published_version.is_published for g in guides)
    text = " ".join(g.published_version.questions for g in guides)
    for word in ("Overtuiging", "Voorbeeldgedrag", "Facilitering", "Vaardigheden"):
        assert word in text


def test_seed_guides_is_idempotent_and_keeps_staff_edits(program, staff):
    guides_seed(program=program)
    guide = Guide.objects.get(program=program, number=1)
    guide_save_draft(guide=guide, by=staff, title="Eigen titel")
    assert guides_seed(program=program) == 0
    assert guide.versions.count() == 2


def test_seed_guides_for_coach_program_has_four_phases(coach_program):
    call_command("seed_guides", str(coach_program.pk))
    phases = list(Guide.objects.filter(program=coach_program).values_list("phase", flat=True))
    assert phases == ["start", "training", "verdieping", "continu"]


def test_published_version_is_frozen_and_edit_makes_new_version(program, staff):
    guide = guide_create(program=program, number=1, by=staff, title="Een", goal="Doel")
    v1 = guide.versions.get()
    guide_publish(version=v1, by=staff)
    v2 = guide_save_draft(guide=guide, by=staff, title="Twee")
    assert v2.version == 2 and v2.status == "draft"
    v1.refresh_from_db()
    assert v1.title == "Een"
    # Editing the open draft changes that draft, not a third version.
    assert guide_save_draft(guide=guide, by=staff, goal="Nieuw doel").pk == v2.pk
    with pytest.raises(ValidationError):
        guide_publish(version=v1, by=staff)


def test_pair_keeps_the_version_it_used(program, staff, pair, mentor):
    guide = Guide.objects.get(program=program, number=1)
    used = guide.published_version
    preparation_save(pair=pair, number=1, by=mentor, done=[0])
    new = guide_save_draft(guide=guide, by=staff, title="Nieuwe versie")
    guide_publish(version=new, by=staff)
    record = pair.meeting_records.get(number=1)
    assert record.guide_version_id == used.pk
    # Meeting 2 was not opened yet: it gets whatever is published when first used.
    meeting_record_save(
        pair=pair,
        number=1,
        by=mentor,
        held=True,
        held_on=dt.date(2026, 11, 20),
        themes=["overtuiging"],
    )
    record.refresh_from_db()
    assert record.guide_version_id == used.pk


def test_pair_page_shows_pinned_version(program, staff, pair, mentor, client_for):
    guide = Guide.objects.get(program=program, number=1)
    preparation_save(pair=pair, number=1, by=mentor, done=[])
    new = guide_save_draft(guide=guide, by=staff, title="Heel andere titel")
    guide_publish(version=new, by=staff)
    html = client_for(mentor).get(meeting_url(program, pair, 1)).content.decode()
    assert "U gebruikt versie 1" in html
    assert "Heel andere titel" not in html


def test_staff_create_edit_publish_through_views(program, staff, client_for):
    c = client_for(staff)
    r = c.post(
        f"/programma/{program.pk}/staf/handvatten/nieuw/",
        {"number": "1", "title": "Start", "goal": "Kennismaken", "themes": ["overtuiging"]},
    )
    assert r.status_code == 302
    guide = Guide.objects.get(program=program, number=1)
    r = c.post(f"/programma/{program.pk}/staf/handvatten/{guide.pk}/publiceren/", {"versie": "1"})
    assert r.status_code == 302
    guide.refresh_from_db()
    assert guide.published_version.version == 1
    r = c.post(
        f"/programma/{program.pk}/staf/handvatten/{guide.pk}/bewerken/",
        {"title": "Start 2", "goal": "Kennismaken", "themes": ["overtuiging"]},
    )
    assert r.status_code == 302
    assert list(guide.versions.values_list("version", "status")) == [(2, "draft"), (1, "published")]


def test_guide_form_errors_are_dutch(program, staff, client_for):
    r = client_for(staff).post(
        f"/programma/{program.pk}/staf/handvatten/nieuw/",
        {"number": "", "title": "", "goal": "", "themes": ["onzin"]},
    )
    html = r.content.decode()
    assert "Dit veld is verplicht." in html
    assert "Kies alleen thema" in html


def test_duplicate_guide_number_is_refused_with_message(program, staff, client_for, guides):
    r = client_for(staff).post(
        f"/programma/{program.pk}/staf/handvatten/nieuw/",
        {"number": "1", "title": "x", "goal": "y"},
    )
    assert r.status_code == 200
    assert "Er is al een handvat voor dit gesprek" in r.content.decode()


def test_drafts_are_hidden_from_mentors(program, staff, mentor, client_for):
    guide = guide_create(program=program, number=1, by=staff, title="Geheim concept", goal="x")
    c = client_for(mentor)
    assert c.get(f"/programma/{program.pk}/handvatten/{guide.pk}/").status_code == 404
    assert "Geheim concept" not in c.get(f"/programma/{program.pk}/handvatten/").content.decode()


def test_guide_of_another_program_is_404(program, coach_program, staff, client_for):
    guides_seed(program=coach_program)
    other = Guide.objects.filter(program=coach_program).first()
    c = client_for(staff)
    assert c.get(f"/programma/{program.pk}/handvatten/{other.pk}/").status_code == 404
    assert c.get(f"/programma/{program.pk}/staf/handvatten/{other.pk}/bewerken/").status_code == 404


def test_expertcoach_reads_phase_guides(coach_program, expertcoach, client_for):
    guides_seed(program=coach_program)
    html = (
        client_for(expertcoach).get(f"/programma/{coach_program.pk}/handvatten/").content.decode()
    )
    assert "Verdieping" in html


def test_guide_list_query_count_is_constant(
    program, staff, client_for, django_assert_max_num_queries
):
    c = client_for(staff)
    guide_create(program=program, number=1, by=staff, title="Een", goal="x")
    c.get(f"/programma/{program.pk}/handvatten/")
    with django_assert_max_num_queries(12) as one:
        c.get(f"/programma/{program.pk}/handvatten/")
    for n in range(2, 8):
        guide_create(program=program, number=n, by=staff, title=f"G{n}", goal="x")
    with django_assert_max_num_queries(len(one.captured_queries)):
        c.get(f"/programma/{program.pk}/handvatten/")


def test_seed_button_for_staff(program, staff, client_for):
    r = client_for(staff).post(f"/programma/{program.pk}/staf/handvatten/standaardset/")
    assert r.status_code == 302
    assert Guide.objects.filter(program=program).count() == 3


def test_mentor_cannot_use_the_seed_button(program, mentor, client_for):
    assert (
        client_for(mentor)
        .post(f"/programma/{program.pk}/staf/handvatten/standaardset/")
        .status_code
        == 403
    )
    assert not Guide.objects.filter(program=program).exists()


@pytest.mark.parametrize("kind", [ProgramKind.MENTOR_LEADER, ProgramKind.COACH_SCHOOL])
def test_seed_texts_are_substantive(kind):
    from mentoring.guides.seed import default_guides

    for spec in default_guides(kind):
        assert len(spec["goal"]) > 200
        assert spec["questions"].count("?") >= 4
        assert spec["prep_mentor"] and spec["prep_schoolleider"]


def test_publish_refuses_a_version_of_another_guide(program, staff, client_for, guides):
    one, two = list(guides)[:2]
    draft = guide_save_draft(guide=two, by=staff, title="Concept van twee")
    r = client_for(staff).post(
        f"/programma/{program.pk}/staf/handvatten/{one.pk}/publiceren/", {"versie": "9"}
    )
    assert r.status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_staff_of_another_program_cannot_edit_guides(program, coach_program, client_for, guides):
    other_staff = f.make_staff(coach_program)
    guide = guides.first()
    c = client_for(other_staff)
    assert c.get(f"/programma/{program.pk}/staf/handvatten/{guide.pk}/bewerken/").status_code == 403
    assert (
        c.post(
            f"/programma/{program.pk}/staf/handvatten/{guide.pk}/bewerken/",
            {"title": "x", "goal": "y"},
        ).status_code
        == 403
    )
    assert guide.versions.count() == 1


def test_default_guides_address_the_reader_as_u_not_jij():
    """One form of address: the guides say "u", like the rest of the platform."""
    import re

    from mentoring.guides.seed import COACH, MENTORING

    informal = re.compile(r"\b(je|jij|jou|jouw|jullie|jezelf)\b", re.IGNORECASE)
    for guide in [*MENTORING, *COACH]:
        for key, text in guide.items():
            if isinstance(text, str):
                assert not informal.search(text), (guide["number"], key, informal.findall(text))
