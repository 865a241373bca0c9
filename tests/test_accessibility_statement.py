"""The accessibility statement: public, linked in every page's footer, says how to report."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_statement_is_public_and_says_what_was_tested_and_how_to_report(client, settings):
    settings.STAFF_CONTACT_EMAIL = ""  # unset: falls back to the sender address
    settings.DEFAULT_FROM_EMAIL = "leerKRACHT mentoring <mentoring@leerkracht.example>"
    response = client.get(reverse("accessibility_statement"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Toegankelijkheidsverklaring</h1>" in html
    assert "WCAG" in html and "2.1" in html and "axe-core" in html
    assert "390 bij 844" in html
    assert 'href="mailto:mentoring@leerkracht.example"' in html


@pytest.mark.django_db
def test_statement_names_the_staff_contact_address_when_set(client, settings):
    settings.STAFF_CONTACT_EMAIL = "toegankelijkheid@leerkracht.example"
    html = client.get(reverse("accessibility_statement")).content.decode()
    assert 'href="mailto:toegankelijkheid@leerkracht.example"' in html


@pytest.mark.django_db
def test_every_page_links_the_statement_in_its_footer(client, mentor, program):
    link = f'href="{reverse("accessibility_statement")}"'
    for url in ["/", reverse("account_login"), "/bestaat-niet/"]:
        html = client.get(url).content.decode()
        assert link in html.split('class="site-footer"', 1)[1], url
    client.force_login(mentor, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("program_home", args=[program.pk])).content.decode()
    assert link in html.split('class="site-footer"', 1)[1]
