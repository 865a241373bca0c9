"""Forms for program years and regions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import PROVINCES
from .models import ProgramYear, Region


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgramYearForm(forms.ModelForm):
    class Meta:
        model = ProgramYear
        fields = [
            "name",
            "kind",
            "school_year",
            "registration_opens",
            "registration_closes",
            "webinar_start",
            "webinar_end",
            "matching_date",
            "meetings_start",
            "meetings_end",
            "meeting_gap_days",
            "closing_date",
        ]
        widgets = {
            name: DateInput()
            for name in fields
            if name not in {"name", "kind", "school_year", "meeting_gap_days"}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_gap_days"].required = False

    def clean_meeting_gap_days(self):
        value = self.cleaned_data.get("meeting_gap_days")
        return value or ProgramYear._meta.get_field("meeting_gap_days").default


class RegionForm(forms.ModelForm):
    provinces = forms.MultipleChoiceField(
        label=gettext_lazy("Provincies"),
        choices=[(p, p) for p in PROVINCES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    municipalities_text = forms.CharField(
        label=gettext_lazy("Gemeenten (één per regel)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy(
            "Gemeenten gaan voor provincies: zo kunt u een deel van een provincie apart nemen."
        ),
    )

    class Meta:
        model = Region
        fields = ["name", "provinces", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["municipalities_text"].initial = "\n".join(self.instance.municipalities)

    def clean(self):
        data = super().clean()
        municipalities = [
            line.strip()
            for line in (data.get("municipalities_text") or "").splitlines()
            if line.strip()
        ]
        if not data.get("provinces") and not municipalities:
            raise forms.ValidationError(
                _("Kies minstens één provincie of noem minstens één gemeente.")
            )
        data["municipalities"] = municipalities
        return data

    def save(self, commit=True):
        self.instance.municipalities = self.cleaned_data["municipalities"]
        return super().save(commit)


class HolidayRegionForm(forms.Form):
    """Staff's override of a school's holiday region, with the reason (required)."""

    region = forms.ChoiceField(
        label=gettext_lazy("Vakantieregio"),
        choices=[
            ("", gettext_lazy("Volgens de officiële indeling")),
            ("noord", "noord"),
            ("midden", "midden"),
            ("zuid", "zuid"),
        ],
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": gettext_lazy("Houd de reden kort: hoogstens 300 tekens.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("region") and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                gettext_lazy("Zeg waarom deze school een andere vakantieregio heeft."),
            )
        return data
