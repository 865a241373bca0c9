"""Forms for profiles, mentor review and invitations. Messages are Dutch."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.enums import Sector

from .enums import MONTHS, Method
from .models import User


class PostcodeField(forms.CharField):
    """A Dutch postcode that must resolve to a known place; cleans to ``(postcode, pc4)``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("label", gettext_lazy("Postcode"))
        kwargs.setdefault("help_text", gettext_lazy("Bijvoorbeeld 3511 AB of 3511."))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return clean_postcode(value)


def clean_postcode(value: str) -> tuple[str, str]:
    """Normalise and geocode a postcode; raise ``ValidationError`` in Dutch otherwise."""
    from places.geo import InvalidPostcode, UnknownPostcode
    from places.geocoding import check_postcode

    try:
        return check_postcode(value)
    except InvalidPostcode as exc:
        raise forms.ValidationError(str(exc), code="invalid_postcode") from None
    except UnknownPostcode as exc:
        raise forms.ValidationError(str(exc), code="unknown_postcode") from None


class MentorProfileForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Voornaam"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Telefoon (optioneel)"), max_length=30, required=False
    )
    organisation = forms.CharField(label=gettext_lazy("Organisatie"), max_length=200)
    job_title = forms.CharField(label=gettext_lazy("Functie"), max_length=200)
    methods = forms.MultipleChoiceField(
        label=gettext_lazy("Verbetermethoden waar u ervaring mee heeft"),
        choices=Method.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    methods_other = forms.CharField(
        label=gettext_lazy("Andere methode"), max_length=200, required=False
    )
    postcode = PostcodeField(
        help_text=gettext_lazy("Van waar u reist: uw werk of woonplaats. Bijvoorbeeld 3511 AB.")
    )
    online_only = forms.BooleanField(
        label=gettext_lazy("Ik spreek alleen online af"), required=False
    )
    max_travel_km = forms.IntegerField(
        label=gettext_lazy("Maximale reisafstand in km (enkele reis)"),
        min_value=1,
        max_value=300,
        required=False,
    )
    sector_preference = forms.MultipleChoiceField(
        label=gettext_lazy("Voorkeur voor sector (leeg laten: geen voorkeur)"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    months_available = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Maanden waarin u beschikbaar bent"),
        choices=MONTHS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    introduction = forms.CharField(
        label=gettext_lazy("Korte introductie voor uw schoolleider"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1500,
        help_text=gettext_lazy(
            "Wie bent u, wat doet u, wat wilt u meegeven? Maximaal 1500 tekens."
        ),
    )

    def __init__(self, *args, meeting_months: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_months = meeting_months or []
        self.fields["methods"].error_messages["required"] = _(
            "Kies minstens één verbetermethode (of ‘Anders’)."
        )
        self.fields["months_available"].error_messages["required"] = _(
            "Kies de maanden waarin u beschikbaar bent."
        )

    def clean(self):
        data = super().clean()
        if "other" in (data.get("methods") or []) and not data.get("methods_other"):
            self.add_error("methods_other", _("Noem de andere methode."))
        if not data.get("online_only") and not data.get("max_travel_km"):
            self.add_error(
                "max_travel_km",
                _("Vul in hoe ver u wilt reizen, of kies ‘Ik spreek alleen online af’."),
            )
        months = data.get("months_available") or []
        if months and self.meeting_months and not set(months) & set(self.meeting_months):
            self.add_error(
                "months_available",
                _("Kies minstens één maand waarin de gesprekken plaatsvinden."),
            )
        return data


class MentorReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Besluit"),
        choices=[("approve", gettext_lazy("Goedkeuren")), ("reject", gettext_lazy("Afwijzen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden (wordt gemaild bij afwijzing)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", _("Geef een reden voor de afwijzing; de mentor krijgt die te lezen.")
            )
        return data


class SchoolleiderProfileForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Voornaam"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Telefoon (optioneel)"), max_length=30, required=False
    )
    job_title = forms.CharField(label=gettext_lazy("Functie"), max_length=200, required=False)
    prefers_online = forms.BooleanField(
        label=gettext_lazy("Ik spreek liefst online af"), required=False
    )
    preferred_methods = forms.MultipleChoiceField(
        label=gettext_lazy("Methoden waar ik meer over wil leren"),
        choices=Method.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wishes = forms.CharField(
        label=gettext_lazy("Wensen voor mijn mentor"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1500,
    )
    school_confirmed = forms.BooleanField(
        label=gettext_lazy("De schoolgegevens hierboven kloppen"),
        error_messages={
            "required": gettext_lazy(
                "Bevestig uw school, of neem contact met ons op als die niet klopt."
            )
        },
    )


class InvitationPasswordForm(SetPasswordForm):
    """Set a first password from an invitation link."""

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("Kies een wachtwoord")
        self.fields["new_password2"].label = _("Herhaal het wachtwoord")


class InterestForm(forms.Form):
    """Name and email of someone who wants to hear when mentor registration opens."""

    name = forms.CharField(label=gettext_lazy("Uw naam"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        error_messages={"invalid": gettext_lazy("Vul een geldig e-mailadres in.")},
    )
