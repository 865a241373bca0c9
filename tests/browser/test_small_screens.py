"""Phone-size screens and the import preview on a laptop.

Every page of every role is also checked at 390x844 for sideways scrolling in
test_accessibility.py (the same crawl as the axe check); these are the interactive parts.
"""

from __future__ import annotations

from tests import factories as f
from tests.browser import a11y

LONG_ROWS = (
    b"brin;vestiging;naam;sector;postcode;schoolleider_voornaam;schoolleider_achternaam;schoolleider_email\n"
    b"12AB;00;Openbare Basisschool De Regenboog van Noord-Oost Groningen;po;1012 AB;Anna-Maria;"
    b"van den Berg-Hoogeveen;anna-maria.vandenberg-hoogeveen@openbare-basisschool-deregenboog.example\n"
    b"34CD;00;Het Baken;vo;35110;;;\n"
)


def test_menu_folds_behind_a_button_on_a_phone(page, login, axe):
    program = f.make_program()
    f.make_staff(program, "staf@leerkracht.example")
    login("staf@leerkracht.example")
    page.set_viewport_size(a11y.PHONE)
    page.goto(f"/programma/{program.pk}/")
    toggle = page.locator("button.menu-toggle")
    nav = page.locator("#main-nav")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "main-nav"
    assert not nav.is_visible()
    # By keyboard: the button comes right after the skip link and the brand.
    a11y.tab_to(page, text="Menu")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and nav.is_visible()
    assert nav.get_by_role("link", name="Mentoring 2026-2027").is_visible()
    assert not a11y.horizontal_overflow(page)
    assert not a11y.axe_violations(axe, page)  # the open menu at phone size
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    # On a laptop the menu is simply there.
    page.set_viewport_size(a11y.DESKTOP)
    assert nav.is_visible() and not toggle.is_visible()


def test_favicon_is_linked_and_served(page):
    page.goto("/")
    href = page.get_attribute("link[rel=icon]", "href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()


def test_import_preview_is_usable_at_1280_and_on_a_phone(page, login):
    program = f.make_program()
    f.make_staff(program, "staf@leerkracht.example")
    login("staf@leerkracht.example")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/programma/{program.pk}/staf/importeren/")
    page.get_by_label("Bestand (CSV of Excel .xlsx)").set_input_files(
        {"name": "scholen.csv", "mimeType": "text/csv", "buffer": LONG_ROWS}
    )
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("heading", name="Controle van de import").wait_for()
    page.get_by_role("link", name="Alle (2)").click()
    page.get_by_role("heading", name="Controle van de import").wait_for()

    # At 1280 px nothing scrolls sideways, not the page and not the table: every column,
    # the long school name and the error can be read at once.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    wraps = page.evaluate(
        "() => [...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)"
    )
    assert wraps and max(wraps) <= 1, wraps
    assert page.get_by_text("‘35110’ is geen geldige Nederlandse postcode").is_visible()
    assert page.get_by_role(
        "cell", name="Openbare Basisschool De Regenboog", exact=False
    ).is_visible()
    assert page.get_by_role("button", name="Controleren").is_visible()

    # On a phone the table scrolls in its own box; the page itself does not.
    assert not a11y.horizontal_overflow(page)
    assert page.locator(".table-wrap[tabindex]").count() == 0  # nothing scrolls: no extra stop


def test_a_table_box_that_scrolls_is_reached_and_scrolled_by_keyboard(page, login):
    """A table box that scrolls sideways (the 'my data' tables with long values do at 1280 px) gets a Tab
    stop and a name (static/js/site.js), so a keyboard user can scroll it with the arrows."""
    program = f.make_program()
    f.make_school(program=program)
    f.make_staff(program, "staf@leerkracht.example")
    login("staf@leerkracht.example")
    page.goto(f"/programma/{program.pk}/staf/scholen/")
    assert page.locator(".table-wrap").count() >= 1
    # Make the tables wider than any screen (long values in real data), then resize.
    page.add_style_tag(content=".table-wrap table { min-width: 2000px; }")
    page.set_viewport_size(a11y.PHONE)
    page.wait_for_function("() => !!document.querySelector('.table-wrap[tabindex]')")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    boxes = page.locator(".table-wrap[tabindex='0'][role=region]")
    assert wide >= 1 and boxes.count() == wide
    assert all(boxes.nth(i).get_attribute("aria-label") for i in range(wide))
    a11y.tab_to(page, within=".table-wrap[role=region]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    # Wide enough again: the extra Tab stop goes away.
    page.add_style_tag(content=".table-wrap table { min-width: 0; }")
    page.set_viewport_size(a11y.DESKTOP)
    page.wait_for_function("() => !document.querySelector('.table-wrap[tabindex]')")
