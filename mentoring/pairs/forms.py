"""Forms of the pair pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EndPairForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom stopt het koppel?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": _("Vertel kort waarom het koppel stopt."),
            "max_length": _("Houd het kort: hoogstens %(limit_value)d tekens."),
        },
    )
    rematch = forms.BooleanField(
        label=_("Ik wil graag een nieuwe match"), required=False, initial=True
    )
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat het koppel hiermee stopt voor ons allebei."),
        error_messages={"required": _("Vink aan dat u het koppel wilt beëindigen.")},
    )


class RematchForm(forms.Form):
    partner = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Kies met wie u wilt koppelen."),
            "invalid": _("Kies met wie u wilt koppelen."),
        },
    )


class SchoolCoachForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de schoolcoach in.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres (optioneel)"),
        required=False,
        error_messages={"invalid": _("Dit is geen geldig e-mailadres.")},
    )
    phone = forms.RegexField(
        label=_("Telefoon (optioneel)"),
        regex=r"^\+?[0-9 ()-]{6,20}$",
        required=False,
        error_messages={
            "invalid": _("Schrijf het telefoonnummer als 06 12345678 of +31 6 12345678.")
        },
    )
