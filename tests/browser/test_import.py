"""Journey: staff uploads a CSV with a mistake, sees it in the preview, fixes it and imports."""

from __future__ import annotations

import pytest

from programs.models import School
from tests import factories as f

pytestmark = pytest.mark.browser

WITH_ERROR = (
    b"brin;vestiging;naam;sector;postcode;schoolleider_voornaam;schoolleider_achternaam;schoolleider_email\n"
    b"12XA;00;Basisschool De Linde;po;3511 AB;Anna;de Vries;anna@delinde.example\n"
    b"34CD;00;Het Baken;vo;35110;;;\n"
)
CORRECTED = WITH_ERROR.replace(b"35110", b"1012 AB")


def test_staff_imports_schools_after_fixing_an_error(live_browser, login):
    page = live_browser
    program = f.make_program()
    f.make_staff(program, "staf@leerkracht.example")
    login("staf@leerkracht.example")

    page.goto(f"/programma/{program.pk}/")
    page.get_by_role("link", name="Importeren").first.click()
    page.get_by_label("Bestand (CSV of Excel .xlsx)").set_input_files(
        {"name": "scholen.csv", "mimeType": "text/csv", "buffer": WITH_ERROR}
    )
    page.get_by_role("button", name="Controleren").click()

    page.get_by_role("heading", name="Controle van de import").wait_for()
    assert page.get_by_text("‘35110’ is geen geldige Nederlandse postcode").is_visible()
    assert page.get_by_role("button", name="Importeren").count() == 0
    assert School.objects.count() == 0

    page.get_by_label("Bestand (CSV of Excel .xlsx)").set_input_files(
        {"name": "scholen-verbeterd.csv", "mimeType": "text/csv", "buffer": CORRECTED}
    )
    page.get_by_role("button", name="Controleren").click()
    page.get_by_text("scholen-verbeterd.csv").first.wait_for()
    assert page.get_by_text("Bij bevestigen: 2 nieuw").is_visible()
    page.get_by_role("button", name="Importeren").click()

    page.get_by_role("heading", name="Scholen en schoolleiders").wait_for()
    assert page.get_by_text("Import voltooid: 2 nieuw").is_visible()
    assert page.get_by_role("cell", name="Basisschool De Linde").is_visible()
    assert page.get_by_text("anna@delinde.example").is_visible()
    assert School.objects.count() == 2
