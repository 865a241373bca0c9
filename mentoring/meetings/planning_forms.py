"""Forms of planning: connect a calendar, the school's week, the plan's mode, moving a meeting."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import MeetingMode
from .planning_models import NeverTime, StudyDay, Weekday
from .rules import LOCAL_TZ

PLAN_MODES = [(m.value, m.label) for m in MeetingMode if m != MeetingMode.ADDRESS]


class ConnectForm(forms.Form):
    url = forms.CharField(
        label=_("Privé iCal-adres van uw agenda"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…/basic.ics", "autocomplete": "off"}),
        help_text=_(
            "Google Agenda: Instellingen → uw agenda → 'Geheim adres in iCal-indeling'. Outlook: "
            "Instellingen → Agenda → Gedeelde agenda's → Een agenda publiceren → ICS-koppeling. "
            "Apple iCloud: deel de agenda als openbare agenda en kopieer de link."
        ),
    )


class NeverTimeForm(forms.ModelForm):
    class Meta:
        model = NeverTime
        fields = ["weekday", "start_time", "end_time", "label"]
        widgets = {
            "weekday": forms.Select(choices=Weekday.choices),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            raise forms.ValidationError(_("Het eindtijdstip moet na het begintijdstip liggen."))
        return data


class StudyDayForm(forms.ModelForm):
    class Meta:
        model = StudyDay
        fields = ["date", "label"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class PlanForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Hoe vinden de gesprekken plaats?"), choices=PLAN_MODES, initial=MeetingMode.SCHOOL
    )


class PlanMoveForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=3)
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Begintijd"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )

    def starts_at(self) -> dt.datetime:
        local = dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return local.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC)


class BookedMoveForm(PlanMoveForm):
    reason = forms.CharField(
        label=_("Reden (de ander krijgt die te lezen)"), max_length=300, required=False
    )
