"""Refusals and missing pages explain themselves in Dutch and offer a way on."""

from __future__ import annotations

from django.urls import reverse


def test_forbidden_page_is_dutch_with_a_way_on(client_for, mentor, program):
    response = client_for(mentor).get(reverse("people:mentor_list", args=[program.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Geen toegang" in body
    assert reverse("home") in body


def test_not_found_page_is_dutch_with_a_way_on(client_for, mentor):
    response = client_for(mentor).get("/programma/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "bestaat niet" in body and reverse("home") in body


def test_server_error_page_renders_without_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Er ging iets mis" in html
