"""English interface: the catalogue in locale/en is complete, compiled and actually used.

Source strings (msgids) are Dutch; see docs/i18n.md for how the catalogue is maintained.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from programs.enums import ProgramKind
from tests import factories as f

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"


# --- a small .po reader (no third-party dependency) -------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def pairs(self) -> list[tuple[str, str]]:
        """(source, translation) for each form: singular with msgid, plural forms with msgid_plural."""
        if self.msgid_plural is None:
            return [(self.msgid, self.msgstr.get(0, ""))]
        return [
            (self.msgid if n == 0 else self.msgid_plural, s) for n, s in sorted(self.msgstr.items())
        ]


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which field a continuation line "..." belongs to

    def finish():
        nonlocal current
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current = None

    def put(entry: Entry, where: tuple[str, int], text: str):
        name, n = where
        if name == "msgstr":
            entry.msgstr[n] = entry.msgstr.get(n, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):  # obsolete entry: not part of the catalogue
            target = None
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:  # a comment after msgstr starts a new entry
                finish()
            if current is None:
                current = Entry(line=lineno)
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        if match:
            keyword, index, quoted = match.groups()
            if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
                finish()
            if current is None:
                current = Entry(line=lineno)
            target = (keyword, int(index or 0))
            if keyword in ("msgctxt", "msgid_plural"):
                setattr(current, keyword, "")
            put(current, target, ast.literal_eval(quoted))
            continue
        if line.startswith('"') and current is not None and target is not None:
            put(current, target, ast.literal_eval(line))
            continue
        raise AssertionError(f"{path}:{lineno}: cannot parse {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_FILE.exists(), "run makemessages -l en (see docs/i18n.md)"
    return [e for e in read_po(PO_FILE) if not e.is_header]


def mo_catalog(path: Path) -> dict:
    with path.open("rb") as fp:
        return dict(gettext.GNUTranslations(fp)._catalog)


def mo_key(entry: Entry, n: int | None = None):
    msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    return msgid if n is None else (msgid, n)


# --- the catalogue itself ---------------------------------------------------------------------


def test_catalogue_is_substantial_and_has_english_plural_rule(po_entries):
    assert len(po_entries) > 1000
    header = PO_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert "Language: en" in header


def test_every_msgid_has_a_translation(po_entries):
    missing = [
        (e.line, e.msgid)
        for e in po_entries
        if not e.msgstr or any(not s for _src, s in e.pairs()) or "fuzzy" in e.flags
    ]
    assert not missing, f"{len(missing)} untranslated or fuzzy entries, e.g. {missing[:5]}"


def test_plural_entries_have_both_forms(po_entries):
    plurals = [e for e in po_entries if e.msgid_plural is not None]
    assert plurals
    assert all(sorted(e.msgstr) == [0, 1] for e in plurals)


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{[^}]*\}\}|\{\w*\}")
HTML_TAG = re.compile(r"</?\w+[^>]*>")


@pytest.mark.parametrize("pattern", [PLACEHOLDER, HTML_TAG], ids=["placeholders", "html"])
def test_translations_keep_placeholders_and_markup(po_entries, pattern):
    wrong = []
    for entry in po_entries:
        for source, translated in entry.pairs():
            if sorted(pattern.findall(source)) != sorted(pattern.findall(translated)):
                wrong.append((entry.line, source, translated))
    assert not wrong, f"{len(wrong)} entries change placeholders or markup, e.g. {wrong[:3]}"


def test_translations_keep_surrounding_whitespace(po_entries):
    wrong = [
        (e.line, src)
        for e in po_entries
        for src, dst in e.pairs()
        if (src[:1].isspace(), src[-1:].isspace(), src.endswith("\n"))
        != (dst[:1].isspace(), dst[-1:].isspace(), dst.endswith("\n"))
    ]
    assert not wrong, wrong[:5]


def test_committed_mo_matches_the_po(po_entries):
    """The .mo is what Django reads; it must carry exactly the .po's translations."""
    assert MO_FILE.exists(), "run compilemessages -l en (see docs/i18n.md)"
    catalog = mo_catalog(MO_FILE)
    stale = []
    for entry in po_entries:
        if entry.msgid_plural is None:
            if catalog.get(mo_key(entry)) != entry.msgstr.get(0):
                stale.append(entry.msgid)
        else:
            for n, text in entry.msgstr.items():
                if catalog.get(mo_key(entry, n)) != text:
                    stale.append(entry.msgid)
    assert not stale, f".mo is older than the .po for {len(stale)} entries, e.g. {stale[:3]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
def test_committed_mo_equals_a_fresh_compile(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO_FILE)], check=True)
    assert mo_catalog(fresh) == mo_catalog(MO_FILE), "recompile: compilemessages -l en"


def test_gettext_uses_the_english_catalogue(db):
    with translation.override("en"):
        assert translation.gettext("Inloggen") == "Log in"
        assert translation.gettext("Schoolleider") == "School leader"
        assert translation.ngettext("%(n)s koppel", "%(n)s koppels", 2) % {"n": 2} == "2 pairs"
    with translation.override("nl"):
        assert translation.gettext("Inloggen") == "Inloggen"


# --- pages in English ------------------------------------------------------------------------

LANDING_EN = ["Making schools better together", "Log in", "For mentors", "For school leaders"]
LANDING_NL = ["Samen scholen beter maken", "Inloggen", "Voor mentoren", "Voor schoolleiders"]


def dutch_texts_in(content: str, entries: list[Entry]) -> list[str]:
    """Dutch source strings (that differ from their English translation) left in a page."""
    found = []
    for entry in entries:
        for source, translated in entry.pairs():
            text = PLACEHOLDER.split(source)[0].strip()  # the literal text before any variable
            if len(text) >= 12 and text != translated.strip() and text in content:
                found.append(text)
    return found


def test_landing_page_in_english_by_cookie(client, db, po_entries):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in content
    for text in LANDING_EN:
        assert text in content
    for text in LANDING_NL:
        assert text not in content
    assert not dutch_texts_in(content, po_entries)


def test_landing_page_in_english_after_switching_language(client, db):
    response = client.post(
        reverse("people:set_language"), {"language": "en", "next": "/"}, follow=True
    )
    content = response.content.decode()
    assert "Making schools better together" in content
    assert "Samen scholen beter maken" not in content
    assert 'value="nl"' in content  # the switch now offers Dutch


def test_landing_page_stays_dutch_by_default(client, db, po_entries):
    content = client.get(reverse("home")).content.decode()
    assert "Samen scholen beter maken" in content
    assert "Making schools better together" not in content
    assert dutch_texts_in(content, po_entries)  # the detector used above does find Dutch


def test_form_errors_and_labels_in_english(client_for, outsider, po_entries):
    program = f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    client = client_for(outsider)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("people:mentor_signup_done")).status_code == 302
    response = client.post(
        reverse("people:mentor_profile", args=[program.pk]),
        {"first_name": "Jan", "last_name": "de Vries", "postcode": "12AB", "methods": []},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "is not a valid Dutch postcode" in " ".join(errors["postcode"])
    assert "Choose at least one improvement method" in " ".join(errors["methods"])
    content = response.content.decode()
    assert "First name" in content
    assert "geen geldige Nederlandse postcode" not in content
    assert not re.search(r"\bVoornaam\b", content)  # the label (the user is called Voornaam<n>)
    assert not dutch_texts_in(content, po_entries)
