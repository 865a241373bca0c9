"""Forms of the webinars app. Times are entered in local time (settings.TIME_ZONE) and stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.timezone import get_default_timezone
from django.utils.translation import gettext_lazy as _

from people.enums import RoleKind
from people.models import Role

from .enums import DEFAULT_DURATION_MINUTES

LOCAL_TZ = get_default_timezone()  # settings.TIME_ZONE
INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M")


def amsterdam_to_utc(naive: datetime) -> datetime:
    """Interpret a wall-clock time in Amsterdam; refuse times the DST change skips or repeats."""
    early = naive.replace(tzinfo=LOCAL_TZ, fold=0)
    late = naive.replace(tzinfo=LOCAL_TZ, fold=1)
    if early.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) != naive:
        raise ValidationError(
            _("Dit tijdstip bestaat niet in Nederland (de klok gaat dan een uur vooruit)."),
            code="nonexistent",
        )
    if early.utcoffset() != late.utcoffset():
        raise ValidationError(
            _(
                "Dit tijdstip komt twee keer voor (de klok gaat dan een uur terug). Kies een ander tijdstip."
            ),
            code="ambiguous",
        )
    return early.astimezone(UTC)


class AmsterdamDateTimeField(forms.Field):
    """A ``datetime-local`` input read as Amsterdam time, cleaned to an aware UTC datetime."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {
        "invalid": _("Vul een datum en tijd in, bijvoorbeeld 14-10-2026 19:30."),
        "required": _("Vul de datum en het begintijdstip in."),
    }

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.astimezone(UTC) if timezone.is_aware(value) else amsterdam_to_utc(value)
        text = str(value).strip()
        for fmt in INPUT_FORMATS:
            try:
                naive = datetime.strptime(text, fmt)  # noqa: DTZ007 (made aware just below)
            except ValueError:
                continue
            return amsterdam_to_utc(naive)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class SessionForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Geef de sessie een titel.")},
    )
    starts_at = AmsterdamDateTimeField(
        label=_("Begint op (Nederlandse tijd)"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duur in minuten"),
        initial=DEFAULT_DURATION_MINUTES,
        min_value=15,
        max_value=480,
        error_messages={
            "required": _("Vul de duur in minuten in."),
            "invalid": _("Vul de duur in hele minuten in."),
            "min_value": _("Een webinar duurt minstens 15 minuten."),
            "max_value": _("Een webinar duurt hoogstens 480 minuten."),
        },
    )
    meeting_url = forms.URLField(
        label=_("Link naar de online bijeenkomst"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": _("Vul de link naar de online bijeenkomst in."),
            "invalid": _("Vul een volledige link in, bijvoorbeeld https://teams.microsoft.com/..."),
        },
    )
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=1,
        max_value=10_000,
        error_messages={
            "required": _("Vul het aantal plaatsen in."),
            "invalid": _("Vul het aantal plaatsen als heel getal in."),
            "min_value": _("Geef minstens één plaats."),
            "max_value": _("Meer dan 10.000 plaatsen kan niet."),
        },
    )
    host = forms.ModelChoiceField(
        label=_("Gastheer/gastvrouw (optioneel)"),
        queryset=get_user_model().objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Kies iemand van de programmastaf.")},
    )
    open_to_schoolleiders = forms.BooleanField(
        label=_("Ook schoolleiders mogen zich voor deze sessie aanmelden"), required=False
    )
    description = forms.CharField(
        label=_("Omschrijving (optioneel)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    outside_window_ok = forms.BooleanField(
        label=_("Toch inplannen buiten de webinarperiode van dit programmajaar"), required=False
    )

    def __init__(self, *args, program, session=None, **kwargs):
        self.program = program
        self.session = session
        super().__init__(*args, **kwargs)
        # A subquery, not a join: an OR across a joined role table with DISTINCT reads every
        # user of a national program (19 ms); this reads the program's staff roles by index.
        staff_ids = Role.objects.filter(program=program, kind=RoleKind.STAFF).values("user_id")
        self.fields["host"].queryset = get_user_model().objects.filter(
            Q(pk__in=staff_ids) | Q(is_staff=True), is_active=True
        )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value is not None and value <= timezone.now():
            raise ValidationError(_("Kies een moment in de toekomst."))
        return value

    def clean(self):
        data = super().clean()
        starts_at = data.get("starts_at")
        if starts_at is not None and not data.get("outside_window_ok"):
            day = starts_at.astimezone(LOCAL_TZ).date()
            if not self.program.webinar_start <= day <= self.program.webinar_end:
                self.add_error(
                    "starts_at",
                    _(
                        "Deze datum valt buiten de webinarperiode van dit programmajaar "
                        "(%(start)s t/m %(end)s). Kies een datum binnen die periode, of vink "
                        "hieronder aan dat u de sessie toch buiten de periode wilt inplannen."
                    )
                    % {
                        "start": self.program.webinar_start.strftime("%d-%m-%Y"),
                        "end": self.program.webinar_end.strftime("%d-%m-%Y"),
                    },
                )
        return data

    def session_values(self) -> dict:
        keys = (
            "title",
            "description",
            "starts_at",
            "duration_minutes",
            "meeting_url",
            "capacity",
            "host",
            "open_to_schoolleiders",
        )
        return {k: self.cleaned_data[k] for k in keys}


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (komt in de e-mail aan de deelnemers)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Aanwezig"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Er is iemand aangevinkt die niet is aangemeld.")},
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        self.fields["attended"].choices = [
            (str(r.pk), r.user.full_name or r.user.email) for r in registrations
        ]
        if not self.is_bound:
            self.initial["attended"] = [str(r.pk) for r in registrations if r.attended]

    def checkboxes(self) -> list[tuple[str, str, bool]]:
        """(value, label, checked) per person: the template writes the inputs itself, as
        Django's widget templates take 0.6 ms a checkbox (0.3 s for a full session)."""
        if self.is_bound:
            ticked = set(self.data.getlist(self.add_prefix("attended")))
        else:
            ticked = set(self.initial.get("attended", []))
        return [(value, label, value in ticked) for value, label in self.fields["attended"].choices]
