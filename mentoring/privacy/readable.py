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
    "other": gettext_lazy("Overige gegevens"),
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
}
HIDDEN = {"generated_at", "id", "program_id", "pair"}


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


def sections(data: dict) -> list[Section]:
    result: list[Section] = []
    for key, value in data.items():
        if key in HIDDEN:
            continue
        if key == "other":
            other = Section(title=label(key))
            for app, models in (value or {}).items():
                for model, rows in (models or {}).items():
                    other.children.append(_table(f"{label(app)} · {model}", rows))
            result.append(other)
        elif key == "roles":
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
            result.append(
                Section(
                    title=label(key),
                    facts=[(label(k), show(v)) for k, v in value.items() if k not in HIDDEN],
                )
            )
        elif isinstance(value, list):
            result.append(_table(label(key), value))
    return result
