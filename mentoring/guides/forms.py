"""Forms of the guides app; every error message is Dutch and says what to do."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.enums import Phase, ProgramKind

from .enums import USEFULNESS, ActionOwner

REQUIRED = {"required": _("Dit veld is verplicht.")}
DATE_ERRORS = {"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")}


def _prep_field(label) -> forms.CharField:
    """A preparation checklist of one side: one item per line."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Eén punt per regel; elke regel wordt een vinkje op de checklist."),
    )


class GuideForm(forms.Form):
    number = forms.IntegerField(
        label=_("Gesprek (volgnummer)"),
        min_value=1,
        max_value=12,
        error_messages={
            **REQUIRED,
            "invalid": _("Vul een volgnummer in."),
            "min_value": _("Het volgnummer is minstens 1."),
            "max_value": _("Het volgnummer is hoogstens 12."),
        },
    )
    phase = forms.ChoiceField(
        label=_("Fase (expertcoachprogramma)"), choices=[("", "—"), *Phase.choices], required=False
    )
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages=REQUIRED)
    goal = forms.CharField(
        label=_("Doel van het gesprek"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=REQUIRED,
        help_text=_("Markdown is toegestaan."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Thema's"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Kies alleen thema's uit de lijst.")},
    )
    questions = forms.CharField(
        label=_("Vragen om te bespreken"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Markdown is toegestaan."),
    )
    prep_mentor = _prep_field(_("Voorbereiding mentor"))
    prep_schoolleider = _prep_field(_("Voorbereiding schoolleider"))
    links = forms.CharField(
        label=_("Links"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Markdown, bijvoorbeeld: - [Titel](https://...)"),
    )

    def __init__(self, *args, program, themes, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = themes
        if editing:
            del self.fields["number"]
        if program.kind == ProgramKind.MENTOR_LEADER:
            del self.fields["phase"]
        else:
            self.fields["prep_mentor"].label = _("Voorbereiding expertcoach")
            self.fields["prep_schoolleider"].label = _("Voorbereiding school")


class RecordForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Heeft het gesprek plaatsgevonden?"),
        choices=[("yes", _("Ja, het gesprek is gehouden")), ("no", _("Nee, het ging niet door"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={**REQUIRED, "invalid_choice": _("Kies ja of nee.")},
    )
    held_on = forms.DateField(
        label=_("Datum van het gesprek"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    themes = forms.MultipleChoiceField(
        label=_("Besproken thema's"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Kies alleen thema's uit de lijst.")},
    )
    note = forms.CharField(
        label=_("Mijn aantekeningen"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        help_text=_("Alleen zichtbaar voor u en uw koppelgenoot, nooit voor de stichting."),
        error_messages={"max_length": _("Houd de aantekeningen korter dan 10.000 tekens.")},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = themes

    def clean(self):
        data = super().clean()
        if data.get("held") is True and not data.get("held_on"):
            self.add_error("held_on", _("Vul de datum van het gesprek in."))
        return data


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Afspraak"),
        max_length=500,
        error_messages={**REQUIRED, "max_length": _("Houd de afspraak korter dan 500 tekens.")},
    )
    owner = forms.ChoiceField(
        label=_("Wie pakt het op?"),
        choices=ActionOwner.choices,
        initial=ActionOwner.BOTH,
        error_messages={**REQUIRED, "invalid_choice": _("Kies wie de afspraak oppakt.")},
    )
    due_on = forms.DateField(
        label=_("Uiterlijk op (optioneel)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("Hoe nuttig was het?"),
        choices=USEFULNESS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een cijfer van 1 tot en met 5."),
            "invalid_choice": _("Kies een cijfer van 1 tot en met 5."),
        },
    )
    helped = forms.CharField(
        label=_("Wat hielp?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        error_messages={"max_length": _("Houd het antwoord korter dan 5.000 tekens.")},
    )
    better = forms.CharField(
        label=_("Wat kan beter?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        error_messages={"max_length": _("Houd het antwoord korter dan 5.000 tekens.")},
    )
    share_name = forms.BooleanField(
        label=_("De stichting mag mijn naam bij deze antwoorden zien"),
        required=False,
        help_text=_(
            "Zonder vinkje ziet de stichting alleen uw antwoorden, zonder naam. "
            "Uw koppelgenoot ziet uw antwoorden nooit."
        ),
    )
