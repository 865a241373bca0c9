"""Colour contrast of the stylesheet, computed (WCAG 2.1: 1.4.3 text 4.5:1, 1.4.11 non-text 3:1).

Three checks over ``static/css/*.css``:

* every rule that sets both a text colour and a background (also in :hover, :focus and
  :disabled rules, and every stop of a gradient) reaches 4.5:1;
* a rule for an interactive state that changes the background also sets the text colour, so
  no state inherits a text colour that was chosen for another background;
* the pairs that only meet through the cascade (muted text on a card, a link on a message,
  the focus ring on each surface, chart marks on white, field borders) reach their minimum.

axe-core checks the rendered pages as well (tests/browser/test_accessibility.py); this test
also covers states that axe never sees (hover, disabled, the focus ring, chart colours).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parents[1] / "static" / "css"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TEXT = 4.5
NON_TEXT = 3.0
STATES = (":hover", ":focus", ":active", ":disabled", "[aria-disabled")


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(value: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in hex_to_rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#fff", "#fff") == pytest.approx(1.0)
    # The violation the outside axe run reported: dark text on the teal button.
    assert contrast("#1d2a33", "#0d6e7a") == pytest.approx(2.47, abs=0.01)
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)


def _strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def parse_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) for every plain rule, also those inside @media blocks."""
    css = _strip_comments(css)
    rules: list[tuple[str, dict[str, str]]] = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        selector = selector.strip()
        if selector.startswith("@media"):
            selector = ""
        # "@media (...) { .a { ... } }" leaves ".a" after the at-rule's own brace.
        selector = re.sub(r"^@[^{]*", "", selector).strip()
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                name, value = decl.split(":", 1)
                decls[name.strip().lower()] = value.strip()
        rules.append((selector, decls))
    return rules


def load_stylesheets() -> tuple[dict[str, str], list[tuple[str, str, dict[str, str]]]]:
    variables: dict[str, str] = {}
    rules: list[tuple[str, str, dict[str, str]]] = []
    sources = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CSS_DIR.glob("*.css"))]
    # <style> blocks in page templates count as stylesheet too.
    for path in sorted(TEMPLATES.rglob("*.html")):
        rel = path.relative_to(TEMPLATES).as_posix()
        if "email" in rel or rel.startswith("notifications/"):
            continue
        for block in re.findall(
            r"<style[^>]*>(.*?)</style>", path.read_text(encoding="utf-8"), re.S
        ):
            sources.append((rel, block))
    for name, css in sources:
        for selector, decls in parse_rules(css):
            if selector == ":root":
                variables.update({k: v for k, v in decls.items() if k.startswith("--")})
            rules.append((name, selector, decls))
    return variables, rules


VARIABLES, RULES = load_stylesheets()
NAMED = {"#fff": "#ffffff", "white": "#ffffff", "black": "#000000"}


def resolve(value: str) -> str | None:
    """A CSS value to one #rrggbb colour, following var(); None when it is not one colour."""
    value = value.strip().removesuffix("!important").strip()
    for _ in range(10):
        match = re.fullmatch(r"var\((--[\w-]+)(?:,\s*([^)]+))?\)", value)
        if not match:
            break
        value = VARIABLES.get(match.group(1), match.group(2) or "").strip()
    value = NAMED.get(value.lower(), value)
    if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
        return value.lower()
    return None


def colours_in(value: str) -> list[str]:
    """Every colour named in a background value (each stop of a gradient)."""
    found = []
    for token in re.findall(r"var\([^)]*\)|#[0-9a-fA-F]{3,6}\b|\bwhite\b", value):
        colour = resolve(token)
        if colour:
            found.append(colour)
    return found


def background_of(decls: dict[str, str]) -> list[str]:
    value = decls.get("background-color") or decls.get("background") or ""
    if value in ("", "none", "transparent", "inherit"):
        return []
    return colours_in(value)


def var(name: str) -> str:
    colour = resolve(f"var({name})")
    assert colour, f"{name} is not defined as a colour in :root"
    return colour


def test_the_stylesheets_are_parsed():
    assert len(RULES) > 100
    assert var("--brand") and var("--ink") and var("--muted")
    selectors = {s for _f, s, _d in RULES}
    assert ".button, button.primary, input[type=submit]" in selectors
    assert any(f.startswith("programs/") for f, _s, _d in RULES), "template <style> blocks"


def test_every_rule_with_text_and_background_reaches_4_5():
    failures = []
    checked = 0
    for filename, selector, decls in RULES:
        fg = decls.get("color")
        if not fg or fg in ("inherit", "currentColor"):
            continue
        fg_colour = resolve(fg)
        backgrounds = background_of(decls)
        if not fg_colour or not backgrounds:
            continue
        for bg in backgrounds:
            checked += 1
            ratio = contrast(fg_colour, bg)
            if ratio < TEXT:
                failures.append(f"{filename} {selector}: {fg_colour} on {bg} = {ratio:.2f}")
    assert checked >= 15
    assert not failures, "\n".join(failures)


def test_state_rules_that_change_the_background_set_the_text_colour():
    missing = [
        f"{filename} {selector}"
        for filename, selector, decls in RULES
        if any(state in selector for state in STATES)
        and background_of(decls)
        and "color" not in decls
    ]
    assert not missing, missing


def test_buttons_have_hover_and_disabled_states_that_are_checked():
    selectors = " ".join(s for _f, s, _d in RULES)
    for needed in (
        ".button:hover",
        ".button.secondary:hover",
        ".button.danger:hover",
        "button:disabled",
        ".hero .button:hover",
    ):
        assert needed in selectors, needed


SURFACES = ["--bg", "--card", "--brand-soft", "#fafbfc", "--ok-soft", "--warn-soft", "--err-soft"]
# Text colours that reach any surface through the cascade (inherited or set without a
# background of their own): body text, muted text, links, headings in the brand colour.
CASCADED_TEXT = ["--ink", "--muted", "--brand", "--brand-dark", "--err", "--ok", "--warn"]


@pytest.mark.parametrize("text", CASCADED_TEXT)
@pytest.mark.parametrize("surface", SURFACES)
def test_cascaded_text_on_every_surface(text, surface):
    surface_colour = var(surface) if surface.startswith("--") else surface
    ratio = contrast(var(text), surface_colour)
    assert ratio >= TEXT, f"{text} on {surface}: {ratio:.2f}"


def _rule(selector: str) -> dict[str, str]:
    for _f, s, decls in RULES:
        if s == selector:
            return decls
    raise AssertionError(f"no rule {selector!r}")


def test_focus_ring_is_visible_on_every_surface_and_on_the_brand_colour():
    decls = _rule(":focus-visible")
    outline = colours_in(decls["outline"])
    assert outline, decls
    ring = outline[0]
    halo = colours_in(decls.get("box-shadow", ""))
    for surface in [*SURFACES, "--line"]:
        colour = var(surface) if surface.startswith("--") else surface
        assert contrast(ring, colour) >= NON_TEXT, (surface, contrast(ring, colour))
    # On a brand-coloured background (hero, buttons side by side) the white halo between the
    # element and the ring carries the contrast.
    assert halo, "the focus ring needs a halo for dark backgrounds"
    assert contrast(halo[0], var("--brand")) >= NON_TEXT
    assert contrast(halo[0], var("--brand-dark")) >= NON_TEXT
    assert contrast(halo[0], ring) >= NON_TEXT


def test_non_text_marks_reach_3_to_1():
    white = "#ffffff"
    pairs = {
        "field border on a card": (var("--field-border"), white),
        "field border on the page": (var("--field-border"), var("--bg")),
        "secondary button border": (var("--brand"), white),
        "progress bar fill on its track": (var("--brand"), var("--line")),
        "timeline dot (upcoming) border": (var("--muted"), white),
        "timeline dot (done)": (var("--ok"), white),
        "timeline dot (now)": (var("--warn"), white),
        "disabled button dashed border": (var("--field-border"), var("--disabled-bg")),
    }
    for css_selector in (".chart .val", ".chart .ref"):
        decls = _rule(css_selector)
        colour = resolve(decls.get("fill") or decls.get("stroke") or "")
        assert colour, css_selector
        pairs[f"chart {css_selector}"] = (colour, white)
    chart_text = resolve(_rule(".chart .lbl, .chart .num, .chart .lbl-l")["fill"])
    assert contrast(chart_text, white) >= TEXT
    failures = {
        name: round(contrast(a, b), 2)
        for name, (a, b) in pairs.items()
        if contrast(a, b) < NON_TEXT
    }
    assert not failures, failures


def test_disabled_controls_keep_readable_text():
    decls = _rule(
        "button:disabled, input[type=submit]:disabled, .button[aria-disabled=true], "
        "button.primary:disabled, button.secondary:disabled, button.danger:disabled"
    )
    assert contrast(resolve(decls["color"]), resolve(decls["background"])) >= TEXT


def test_no_hard_coded_colours_that_fail_in_templates():
    """Inline style colours in page templates (not e-mails) are checked as well."""
    templates = TEMPLATES
    failures = []
    for path in templates.rglob("*.html"):
        rel = path.relative_to(templates).as_posix()
        if "email" in rel or rel.startswith("notifications/"):
            continue
        for style in re.findall(r'style="([^"]*)"', path.read_text(encoding="utf-8")):
            decls = {
                k.strip(): v.strip()
                for k, v in (d.split(":", 1) for d in style.split(";") if ":" in d)
            }
            for bg in background_of(decls):
                fg = resolve(decls.get("color", "var(--ink)"))
                for text in [fg] if "color" in decls else [var("--ink"), var("--muted")]:
                    if contrast(text, bg) < TEXT:
                        failures.append(f"{rel}: {text} on {bg}")
    assert not failures, failures
