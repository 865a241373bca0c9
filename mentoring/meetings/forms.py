"""Forms of the meetings app: parse input into service arguments, with Dutch messages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import MeetingMode
from .planning import MAX_SLOTS, SlotInput
from .rules import LOCAL_TZ

TIME_HELP = _("Een gesprek duurt twee uur en valt tussen 08:00 en 20:00 uur.")


def _date_field(required: bool) -> forms.DateField:
    return forms.DateField(
        label=_("Datum"),
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Kies een datum."),
            "invalid": _("Vul een geldige datum in (dd-mm-jjjj)."),
        },
    )


def _time_field(required: bool) -> forms.TimeField:
    return forms.TimeField(
        label=_("Begintijd"),
        required=required,
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
        help_text=TIME_HELP,
        error_messages={
            "required": _("Kies een begintijd."),
            "invalid": _("Vul een geldige tijd in, bijvoorbeeld 15:30."),
        },
    )


def _mode_field(required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Waar"),
        required=required,
        choices=[("", "—"), *MeetingMode.choices],
        error_messages={"required": _("Kies waar het gesprek plaatsvindt.")},
    )


def _location_field() -> forms.CharField:
    return forms.CharField(
        label=_("Adres"),
        required=False,
        max_length=300,
        help_text=_("Nodig bij 'op een ander adres'; bij bedrijf of school mag het leeg blijven."),
        error_messages={"max_length": _("Het adres mag hoogstens 300 tekens zijn.")},
    )


def _url_field() -> forms.URLField:
    return forms.URLField(
        label=_("Link voor online gesprek"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Vul een geldige link in, beginnend met https://.")},
    )


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    """Amsterdam wall-clock time as an aware datetime (stored in UTC by the ORM)."""
    return dt.datetime.combine(day, time, tzinfo=LOCAL_TZ)


class ProposeForm(forms.Form):
    """One to three proposed times, each with its own place or link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_SLOTS + 1):
            first = i == 1
            self.fields[f"slot{i}_date"] = _date_field(first)
            self.fields[f"slot{i}_time"] = _time_field(first)
            self.fields[f"slot{i}_mode"] = _mode_field(first)
            self.fields[f"slot{i}_location"] = _location_field()
            self.fields[f"slot{i}_online_url"] = _url_field()

    def groups(self):
        return [
            (
                i,
                [
                    self[f"slot{i}_{name}"]
                    for name in ("date", "time", "mode", "location", "online_url")
                ],
            )
            for i in range(1, MAX_SLOTS + 1)
        ]

    def clean(self):
        data = super().clean()
        slots = []
        for i in range(1, MAX_SLOTS + 1):
            day, time, mode = (data.get(f"slot{i}_{k}") for k in ("date", "time", "mode"))
            filled = [v for v in (day, time, mode) if v]
            if not filled:
                continue
            if not (day and time and mode):
                if f"slot{i}_date" not in self.errors and not day:
                    self.add_error(f"slot{i}_date", _("Kies een datum voor dit tijdstip."))
                if f"slot{i}_time" not in self.errors and not time:
                    self.add_error(f"slot{i}_time", _("Kies een begintijd voor dit tijdstip."))
                if not mode:
                    self.add_error(f"slot{i}_mode", _("Kies waar het gesprek plaatsvindt."))
                continue
            slots.append(
                SlotInput(
                    starts_at=aware(day, time),
                    mode=mode,
                    location=data.get(f"slot{i}_location") or "",
                    online_url=data.get(f"slot{i}_online_url") or "",
                )
            )
        data["slots"] = slots
        return data


class MoveForm(forms.Form):
    date = _date_field(True)
    time = _time_field(True)
    mode = _mode_field(True)
    location = _location_field()
    online_url = _url_field()
    reason = forms.CharField(
        label=_("Reden (de ander leest dit)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Geef kort de reden van het verplaatsen."),
            "max_length": _("Houd de reden kort: hoogstens 300 tekens."),
        },
    )

    def starts_at(self) -> dt.datetime:
        return aware(self.cleaned_data["date"], self.cleaned_data["time"])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (de ander leest dit)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Geef kort de reden van het annuleren."),
            "max_length": _("Houd de reden kort: hoogstens 300 tekens."),
        },
    )


class OutcomeForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Is het gesprek doorgegaan?"),
        choices=[("1", _("Ja, het gesprek is gehouden")), ("0", _("Nee, het ging niet door"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of het gesprek is doorgegaan.")},
    )


class NudgeFilterForm(forms.Form):
    number = forms.TypedChoiceField(
        label=_("Gesprek"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        error_messages={"invalid_choice": _("Kies gesprek 1, 2 of 3.")},
    )
    deadline = forms.DateField(
        label=_("Gepland vóór"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Kies de datum waarvoor het gesprek gepland moet zijn."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
