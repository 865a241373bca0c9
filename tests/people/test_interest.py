"""No dead ends at sign-up: the interest list while registration is closed, "registreer"
leading to the same flow, and an account without a program that sees what to do next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import deliver_pending
from people.models import InterestSignup, User
from people.services import interest_notify_open, interest_prune
from programs.enums import ProgramKind
from tests import factories as f

INFO = reverse("people:mentor_signup_info")


def _deliver():
    deliver_pending(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))


def test_closed_registration_offers_the_interest_list_and_stores_the_entry(client, program):
    page = client.get(INFO).content.decode()
    assert "Kom in september terug" not in page
    assert "Zet mij op de lijst" in page
    response = client.post(INFO, {"name": "Pieter Dekker", "email": "Pieter@Bedrijf.example"})
    assert response.status_code == 302
    entry = InterestSignup.objects.get()
    assert (entry.name, entry.email, entry.notified_at) == (
        "Pieter Dekker",
        "pieter@bedrijf.example",
        None,
    )
    page = client.get(INFO).content.decode()
    assert "U staat op de lijst" in page


def test_interest_form_refuses_a_bad_address_in_dutch(client, program):
    response = client.post(INFO, {"name": "Pieter", "email": "geen-adres"})
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in." in response.content.decode()
    assert not InterestSignup.objects.exists()


def test_registering_twice_keeps_one_entry(client, program):
    for name in ("Pieter", "Pieter Dekker"):
        client.post(INFO, {"name": name, "email": "pieter@bedrijf.example"})
    assert InterestSignup.objects.get().name == "Pieter Dekker"


def test_open_registration_mails_everyone_once_in_their_language(db, client):
    client.post(INFO, {"name": "Pieter", "email": "pieter@bedrijf.example"})
    client.post(INFO, {"name": "Anne", "email": "anne@company.example"}, HTTP_ACCEPT_LANGUAGE="en")
    assert InterestSignup.objects.get(email="anne@company.example").language == "en"
    assert interest_notify_open() == 0  # still closed: nobody is mailed
    opened = f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    assert interest_notify_open() == 2
    assert interest_notify_open() == 0  # a second run sends nothing
    _deliver()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"pieter@bedrijf.example", "anne@company.example"}
    assert "is open" in by_to["pieter@bedrijf.example"].subject
    assert INFO in by_to["pieter@bedrijf.example"].body
    assert InterestSignup.objects.filter(notified_program=opened).count() == 2


def test_daily_command_mails_and_prunes_entries_older_than_a_year(db, capsys):
    old = InterestSignup.objects.create(
        name="Oud", email="oud@example.org", created_at=timezone.now() - dt.timedelta(days=400)
    )
    InterestSignup.objects.create(name="Nieuw", email="nieuw@example.org")
    f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    call_command("run_periodic", "--job", "people.interest_list")
    assert "people.interest_list: ok {'pruned': 1, 'mailed': 1}" in capsys.readouterr().out
    assert not InterestSignup.objects.filter(pk=old.pk).exists()
    assert interest_prune() == 0


def test_registreer_while_closed_leads_to_the_interest_list_and_creates_no_account(client, program):
    page = client.get(reverse("account_signup"))
    assert "Zet mij op de lijst" in page.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@bedrijf.example",
            "password1": "Sterk-ww-2026!",
            "password2": "Sterk-ww-2026!",
        },
    )
    assert not User.objects.filter(email="nieuw@bedrijf.example").exists()


def test_registreer_while_open_creates_the_account(client, db):
    f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    assert "password1" in client.get(reverse("account_signup")).content.decode()


def test_account_without_program_sees_what_it_can_do_next(client_for, outsider, settings):
    settings.STAFF_CONTACT_EMAIL = "staf@leerkracht.example"
    page = client_for(outsider).get(reverse("home")).content.decode()
    assert "U neemt nog niet deel aan een programma." in page
    assert "Wat kunt u nu doen?" in page
    assert "Zet mij op de lijst" in page
    assert "mailto:staf@leerkracht.example" in page


def test_account_without_program_is_offered_to_join_when_registration_is_open(client_for, outsider):
    f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    page = client_for(outsider).get(reverse("home")).content.decode()
    assert "Meld mij aan als mentor" in page and "Zet mij op de lijst" not in page


def test_staff_see_the_interest_list_and_others_do_not(
    client_for, staff, mentor, program, django_assert_max_num_queries
):
    for i in range(30):
        InterestSignup.objects.create(name=f"Persoon {i}", email=f"p{i}@example.org")
    url = reverse("people:interest_list", args=[program.pk])
    staff_client = client_for(staff)
    staff_client.get(url)
    with django_assert_max_num_queries(12):
        page = staff_client.get(url)
    assert page.status_code == 200 and "p29@example.org" in page.content.decode()
    assert "30 personen wachten" in page.content.decode()
    assert client_for(mentor).get(url).status_code == 403


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_signup_closed_page_renders_in_both_languages(client, program, lang):
    response = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
