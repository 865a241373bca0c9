"""Forms of the privacy pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    """Erasing one's own account: confirmed by typing the account's e-mail address."""

    confirm = forms.CharField(
        label=_("Typ ter bevestiging uw e-mailadres"),
        error_messages={"required": _("Dit veld is verplicht.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(_("Dit is niet het e-mailadres van uw account."))
        return value
