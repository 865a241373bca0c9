"""The "download my data" JSON as a page a person can read: sections, labels, tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Dutch labels of the export's keys; a key without one is shown with spaces.
LABELS = {
    "account": gettext_lazy("Account"),
    "roles": gettext_lazy("Rollen en profielen"),
    "pairs": gettext_lazy("Koppels"),
    "meeting_records": gettext_lazy("Gespreksverslagen"),
    "notes": gettext_lazy("Uw aantekeningen"),
    "actions": gettext_lazy("Afspraken van uw koppel"),
    "feedback": gettext_lazy("Uw feedback"),
    "email": gettext_lazy("E-mailadres"),
    "first_name": gettext_lazy("Voornaam"),
    "last_name": gettext_lazy("Achternaam"),
    "phone": gettext_lazy("Telefoon"),
    "language": gettext_lazy("Taal"),
    "date_joined": gettext_lazy("Account aangemaakt"),
    "last_login": gettext_lazy("Laatst ingelogd"),
    "program": gettext_lazy("Programma"),
    "kind": gettext_lazy("Soort"),
    "since": gettext_lazy("Sinds"),
    "profile": gettext_lazy("Profiel"),
    "side": gettext_lazy("Uw kant"),
    "partner": gettext_lazy("Koppelgenoot"),
    "school": gettext_lazy("School"),
    "status": gettext_lazy("Status"),
    "published_at": gettext_lazy("Bekendgemaakt"),
    "ended_at": gettext_lazy("Beëindigd"),
    "number": gettext_lazy("Gesprek"),
    "meeting": gettext_lazy("Gesprek"),
    "held": gettext_lazy("Gehouden"),
    "held_on": gettext_lazy("Gehouden op"),
    "themes": gettext_lazy("Thema's"),
    "guide_version": gettext_lazy("Versie handvat"),
    "number_of_actions": gettext_lazy("Aantal afspraken"),
    "text": gettext_lazy("Tekst"),
    "updated_at": gettext_lazy("Bijgewerkt"),
    "description": gettext_lazy("Omschrijving"),
    "owner": gettext_lazy("Wie"),
    "due_on": gettext_lazy("Uiterlijk"),
    "done_at": gettext_lazy("Gedaan"),
    "usefulness": gettext_lazy("Nut (1-5)"),
    "helped": gettext_lazy("Wat hielp"),
    "better": gettext_lazy("Wat kan beter"),
    "share_name": gettext_lazy("Naam delen"),
    "given_at": gettext_lazy("Gegeven op"),
    "organisation": gettext_lazy("Organisatie"),
    "job_title": gettext_lazy("Functie"),
    "postcode": gettext_lazy("Postcode"),
    "introduction": gettext_lazy("Introductie"),
    "months_available": gettext_lazy("Beschikbare maanden"),
    "methods": gettext_lazy("Verbetermethoden"),
    "meetings": gettext_lazy("Gesprekken"),
    "webinars": gettext_lazy("Webinars"),
    "notifications": gettext_lazy("E-mails"),
    "matching": gettext_lazy("Matching"),
    "imports": gettext_lazy("Imports die u uploadde"),
    "file_name": gettext_lazy("Bestand"),
    "committed_at": gettext_lazy("Geïmporteerd"),
    # meetings
    "starts_at": gettext_lazy("Begint om"),
    "ends_at": gettext_lazy("Eindigt om"),
    "mode": gettext_lazy("Vorm"),
    "location": gettext_lazy("Adres"),
    "online_url": gettext_lazy("Link"),
    "uid": gettext_lazy("Agenda-id"),
    "planned_at": gettext_lazy("Gepland op"),
    "change_reason": gettext_lazy("Reden van wijziging"),
    "outcome_marked_at": gettext_lazy("Uitkomst vastgelegd"),
    "proposed_times": gettext_lazy("Door u voorgestelde tijden"),
    "calendar_feed": gettext_lazy("Agenda-abonnement"),
    "calendar_connection": gettext_lazy("Gekoppelde agenda"),
    "never_times": gettext_lazy("Vaste bezette momenten"),
    "nudges_to_pair": gettext_lazy("Herinneringen aan uw koppel"),
    "plans": gettext_lazy("Gespreksplannen"),
    "planning_runs": gettext_lazy("Planningsrondes"),
    "address": gettext_lazy("Adres"),
    "created_at": gettext_lazy("Aangemaakt"),
    "last_read_at": gettext_lazy("Laatst gelezen"),
    "last_fetched_at": gettext_lazy("Laatst opgehaald"),
    "error_code": gettext_lazy("Fout"),
    "weekday": gettext_lazy("Dag"),
    "start_time": gettext_lazy("Van"),
    "end_time": gettext_lazy("Tot"),
    "label": gettext_lazy("Omschrijving"),
    "deadline": gettext_lazy("Uiterlijk"),
    "sent_at": gettext_lazy("Verstuurd"),
    "mentor_accepted_at": gettext_lazy("Akkoord mentor"),
    "schoolleider_accepted_at": gettext_lazy("Akkoord schoolleider"),
    "finished_at": gettext_lazy("Klaar"),
    # webinars
    "registrations": gettext_lazy("Aanmeldingen"),
    "hosted_sessions": gettext_lazy("Sessies die u host"),
    "session": gettext_lazy("Sessie"),
    "title": gettext_lazy("Titel"),
    "waitlisted_at": gettext_lazy("Op de wachtlijst"),
    "confirmed_at": gettext_lazy("Bevestigd"),
    "attended": gettext_lazy("Aanwezig"),
    # notifications
    "emails": gettext_lazy("E-mails"),
    "preferences": gettext_lazy("Berichtvoorkeuren"),
    "to_email": gettext_lazy("Aan"),
    "subject": gettext_lazy("Onderwerp"),
    "attachments": gettext_lazy("Bijlagen"),
    "delivered_at": gettext_lazy("Afgeleverd"),
    "event_type": gettext_lazy("Laatste gebeurtenis"),
    "reminders": gettext_lazy("Herinneringen"),
    "nudges": gettext_lazy("Berichten van de staf"),
    # matching
    "rules": gettext_lazy("Regels van de staf"),
    "proposals": gettext_lazy("Voorstellen"),
    "unmatched": gettext_lazy("Niet gekoppeld"),
    "rounds": gettext_lazy("Matchingrondes"),
    "round": gettext_lazy("Ronde"),
    "solution": gettext_lazy("Oplossing"),
    "distance_km": gettext_lazy("Afstand (km)"),
    "total": gettext_lazy("Kosten"),
    "locked": gettext_lazy("Vastgezet"),
    "reason": gettext_lazy("Reden"),
    "note": gettext_lazy("Toelichting"),
    "name": gettext_lazy("Naam"),
}
HIDDEN = {"generated_at", "id", "program_id", "pair", "school_id"}


def label(key: str) -> str:
    found = LABELS.get(key)
    return str(found) if found is not None else key.replace("_", " ")


def show(value: Any) -> str:
    """A JSON value as text: dates in the page's language, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {show(v)}" for k, v in value.items())
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return date_format(moment.date(), "j F Y")
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "j F Y H:i")
    return str(value)


@dataclass
class Section:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


def _table(title: str, items: list[dict]) -> Section:
    keys: list[str] = []
    for item in items:
        keys += [k for k in item if k not in keys and k not in HIDDEN]
    return Section(
        title=title,
        header=[label(k) for k in keys],
        rows=[[show(item.get(k)) for k in keys] for item in items],
    )


def _dict_section(title: str, value: dict) -> Section:
    """Facts for plain values; a table for each list (an app's rows of one kind)."""
    section = Section(title=title)
    for key, item in value.items():
        if key in HIDDEN:
            continue
        if isinstance(item, list) and all(isinstance(row, dict) for row in item):
            if item:  # an empty kind of row says nothing: left out
                section.children.append(_table(label(key), item))
        elif isinstance(item, dict):
            section.children.append(_dict_section(label(key), item))
        else:
            section.facts.append((label(key), show(item)))
    return section


def sections(data: dict) -> list[Section]:
    result: list[Section] = []
    for key, value in data.items():
        if key in HIDDEN:
            continue
        if key == "roles":
            section = Section(title=label(key))
            for role in value:
                child = Section(title=f"{show(role.get('program'))} · {show(role.get('kind'))}")
                child.facts = [
                    (label(k), show(v))
                    for k, v in {**role, **(role.get("profile") or {})}.items()
                    if k not in HIDDEN and k != "profile"
                ]
                section.children.append(child)
            result.append(section)
        elif isinstance(value, dict):
            result.append(_dict_section(label(key), value))
        elif isinstance(value, list):
            result.append(_table(label(key), value))
    return result
