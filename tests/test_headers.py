"""Security headers: CSP without inline script, Permissions-Policy, Referrer-Policy, and
``Cache-Control: private, no-store`` on personal downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders


@pytest.mark.django_db
def test_pages_send_csp_permissions_and_referrer_policy(client):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_personal_downloads_are_private_and_not_stored(client_for, program, staff, mentor):
    c = client_for(staff)
    for url in (
        reverse("guides:report_csv", args=[program.pk]),
        reverse("guides:report_xlsx", args=[program.pk]),
        reverse("imports:template", args=[program.pk, "scholen.csv"]),
    ):
        response = c.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
    response = client_for(mentor).get(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
