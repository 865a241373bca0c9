"""Forms of the matching pages; every error message is Dutch and says what to do."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import RuleKind
from .models import SETTING_FIELDS, MatchingRound


class RoundCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de ronde"),
        max_length=200,
        error_messages={"required": _("Geef de ronde een naam, bijvoorbeeld ‘Matching november’.")},
    )


def _number_errors() -> dict:
    return {
        "required": _("Vul een getal in."),
        "invalid": _("Vul een getal in, bijvoorbeeld 10 of 2,5."),
        "min_value": _("Het getal moet minimaal %(limit_value)s zijn."),
        "max_value": _("Het getal mag hoogstens %(limit_value)s zijn."),
    }


class RoundSettingsForm(forms.ModelForm):
    class Meta:
        model = MatchingRound
        fields = SETTING_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.FloatField | forms.IntegerField):
                field.error_messages.update(_number_errors())
                field.widget.attrs.setdefault(
                    "step", "any" if isinstance(field, forms.FloatField) else "1"
                )


class RuleForm(forms.Form):
    kind = forms.ChoiceField(
        choices=RuleKind.choices,
        error_messages={"invalid_choice": _("Kies vastzetten of verbieden.")},
    )
    supporter = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Kies een mentor of expertcoach."),
            "invalid": _("Kies een mentor of expertcoach."),
        },
    )
    row = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Kies een schoolleider of school."),
            "invalid": _("Kies een schoolleider of school."),
        },
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class PublishForm(forms.Form):
    solution = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(
        label=_("Ik weet dat alle koppels nu zichtbaar worden en iedereen een e-mail krijgt."),
        error_messages={"required": _("Vink aan dat u wilt publiceren.")},
    )
