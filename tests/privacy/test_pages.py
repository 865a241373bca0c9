"""Privacy people can read: the public statement, who sees my data, my data as a page."""

from __future__ import annotations

import json
import re

from django.urls import reverse

from people.models import User
from programs.enums import ProgramKind
from tests import factories as f


def test_privacy_statement_is_public_and_linked_in_the_footer(client, db, settings):
    settings.STAFF_CONTACT_EMAIL = "privacy@leerkracht.example"
    response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Privacyverklaring" in page
    assert "alleen uw koppel; nooit de programmastaf" in page  # who sees the notes
    assert "tot een jaar na het einde van de gesprekken" in page  # how long
    assert "mailto:privacy@leerkracht.example" in page
    landing = client.get(reverse("home")).content.decode()
    assert 'href="/privacy/"' in landing


def test_sign_up_pages_link_the_statement(client, db):
    f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    for url in (reverse("account_signup"), reverse("people:mentor_signup_info")):
        page = client.get(url).content.decode()
        assert "privacyverklaring</a>" in page, url


def test_sign_up_closed_interest_form_links_the_statement(client, program):
    page = client.get(reverse("people:mentor_signup_info")).content.decode()
    assert 'href="/privacy/"' in page and "verwijderen ze na een jaar" in page


def test_who_sees_lists_the_parts_for_the_persons_roles(client_for, mentor, schoolleider):
    url = reverse("privacy:who_sees")
    page = client_for(mentor).get(url).content.decode()
    assert 'id="deel-mentor_profile"' in page and 'id="deel-notes"' in page
    assert 'id="deel-schoolleider_profile"' not in page
    assert "uw schoolleider, zodra de koppeling bekend is" in page
    page = client_for(schoolleider).get(url).content.decode()
    assert 'id="deel-schoolleider_profile"' in page and 'id="deel-mentor_profile"' not in page


def test_who_sees_for_someone_without_a_role_shows_the_account_only(client_for, outsider):
    page = client_for(outsider).get(reverse("privacy:who_sees")).content.decode()
    assert 'id="deel-account"' in page and 'id="deel-pair"' not in page
    assert "U heeft nog geen rol in een programma." in page


def test_my_data_page_shows_what_the_json_holds_in_readable_form(client_for, mentor):
    User.objects.filter(pk=mentor.pk).update(phone="06 1234 5678")
    client = client_for(mentor)
    data = json.loads(client.get(reverse("privacy:my_data_download")).content)
    page = client.get(reverse("privacy:my_data_page")).content.decode()
    assert data["account"]["phone"] == "06 1234 5678" and "06 1234 5678" in page
    assert "Rollen en profielen" in page and "Bakkerij Verbeter BV" in page
    assert "first_name" not in page and "Voornaam" in page
    assert "Account aangemaakt" in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", page)  # dates as people write them
    mydata = client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:my_data_page") in mydata and reverse("privacy:who_sees") in mydata


def test_personal_privacy_pages_need_login(client, db):
    for name in ("privacy:who_sees", "privacy:my_data_page"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_data_page_shows_only_the_persons_own_data(client_for, mentor, other_mentor):
    page = client_for(mentor).get(reverse("privacy:my_data_page")).content.decode()
    assert mentor.email in page and other_mentor.email not in page


def test_forbidden_page_and_schoolleider_details_give_the_staff_address(
    client_for, mentor, program, settings
):
    settings.STAFF_CONTACT_EMAIL = "staf@leerkracht.example"
    response = client_for(mentor).get(reverse("people:mentor_list", args=[program.pk]))
    assert response.status_code == 403
    assert "mailto:staf@leerkracht.example" in response.content.decode()
