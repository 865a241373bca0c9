"""People: accounts, their roles per program year, and the profile behind each role."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.enums import Sector

from .enums import Language, MentorStatus, Method, RoleKind


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


def display_name(first: str | None, last: str | None, email: str = "") -> str:
    """How a person is named on pages and in files: "Anna de Vries", else their e-mail
    (``User.full_name`` and ``str(user)``; exports and feeds that read plain values)."""
    return f"{first or ''} {last or ''}".strip() or email


class User(AbstractBaseUser, PermissionsMixin):
    """An account, identified by email address.

    ``is_staff`` marks foundation staff: they may use the Django admin and act as program
    staff in every program year. Everyone else gets rights through a ``Role``.
    """

    email = models.EmailField(_("e-mailadres"), unique=True)
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    language = models.CharField(
        _("taal"), max_length=2, choices=Language.choices, default=Language.NL
    )
    is_staff = models.BooleanField(_("stichtingsmedewerker"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "email"]
        # Addresses are matched case-insensitively against the suppression list.
        indexes = [models.Index(Lower("email"), name="people_user_email_lower")]

    def __str__(self) -> str:
        return display_name(self.first_name, self.last_name, self.email)

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.last_name)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Role(models.Model):
    """What a person is in one program year (the same person may differ next year)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    program = models.ForeignKey(
        "programs.ProgramYear", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("rol"), max_length=20, choices=RoleKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "kind"], name="unique_role"),
        ]
        indexes = [models.Index(fields=["program", "kind"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} ({self.program})"


class MentorProfile(models.Model):
    """A business mentor's profile for one program year; staff approve it."""

    role = models.OneToOneField(Role, on_delete=models.CASCADE, related_name="mentor_profile")
    organisation = models.CharField(_("organisatie"), max_length=200)
    job_title = models.CharField(_("functie"), max_length=200)
    methods = models.JSONField(_("verbetermethoden"), default=list, blank=True)
    methods_other = models.CharField(_("andere methode"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7)
    pc4 = models.CharField(max_length=4, db_index=True)
    max_travel_km = models.PositiveIntegerField(
        _("maximale reisafstand (km)"), null=True, blank=True
    )
    online_only = models.BooleanField(_("alleen online"), default=False)
    sector_preference = models.JSONField(
        _("voorkeur sector"), default=list, blank=True, help_text=_("Leeg: geen voorkeur.")
    )
    months_available = models.JSONField(_("beschikbare maanden"), default=list, blank=True)
    introduction = models.TextField(_("korte introductie"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MentorStatus.choices, default=MentorStatus.DRAFT
    )
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mentorprofiel")
        verbose_name_plural = _("mentorprofielen")

    def __str__(self) -> str:
        return f"{self.role.user} ({self.organisation})"

    @property
    def method_labels(self) -> list[str]:
        labels = dict(Method.choices)
        return [str(labels.get(m, m)) for m in self.methods]

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels.get(s, s)) for s in self.sector_preference]

    @property
    def month_labels(self) -> list[str]:
        """The months available, in program order (September first)."""
        from .enums import MONTHS

        chosen = set(self.months_available or [])
        return [str(label) for number, label in MONTHS if number in chosen]


class SchoolleiderProfile(models.Model):
    """A schoolleider in one program year, linked to their school."""

    role = models.OneToOneField(Role, on_delete=models.CASCADE, related_name="schoolleider_profile")
    school = models.ForeignKey(
        "programs.School", on_delete=models.PROTECT, related_name="schoolleiders"
    )
    job_title = models.CharField(_("functie"), max_length=200, blank=True)
    prefers_online = models.BooleanField(_("liefst online gesprekken"), default=False)
    preferred_methods = models.JSONField(_("interesse in methoden"), default=list, blank=True)
    wishes = models.TextField(_("wensen voor de mentor"), blank=True)
    confirmed_at = models.DateTimeField(_("gegevens bevestigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("schoolleiderprofiel")
        verbose_name_plural = _("schoolleiderprofielen")

    def __str__(self) -> str:
        return f"{self.role.user} ({self.school.name})"


class ExpertcoachProfile(models.Model):
    """An expertcoach in one program year: where they live, where they go, how many schools."""

    role = models.OneToOneField(Role, on_delete=models.CASCADE, related_name="expertcoach_profile")
    postcode = models.CharField(_("postcode"), max_length=7)
    pc4 = models.CharField(max_length=4, db_index=True)
    regions = models.ManyToManyField("programs.Region", verbose_name=_("regio's"), blank=True)
    capacity = models.PositiveIntegerField(_("capaciteit (scholen)"), default=5)
    max_travel_km = models.PositiveIntegerField(
        _("maximale reisafstand (km)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("expertcoachprofiel")
        verbose_name_plural = _("expertcoachprofielen")

    def __str__(self) -> str:
        return str(self.role.user)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A one-time link for an imported person to set a password; it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = self.created_at + timedelta(days=settings.INVITATION_VALID_DAYS)
        super().save(*args, **kwargs)

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and timezone.now() < self.expires_at


class InterestSignup(models.Model):
    """A visitor who left name and email while mentor registration was closed.

    Everyone on the list gets one email when the next registration window opens
    (``notified_at`` is then set); the entry is deleted a year after it was left.
    """

    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), unique=True)
    language = models.CharField(
        _("taal"), max_length=5, choices=Language.choices, default=Language.NL
    )
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    notified_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)
    notified_program = models.ForeignKey(
        "programs.ProgramYear",
        verbose_name=_("gemaild voor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("belangstellende")
        verbose_name_plural = _("belangstellenden")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["notified_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class FormSubmission(models.Model):
    """One submission of a create form, so a double click or a resent POST acts only once.

    ``key`` is a hash of the person and the form's one-time token (``{% once %}``); the
    row is claimed before the view runs and keeps where the first submission led, so a
    repeat is sent there too. Rows older than a day are removed as new ones arrive.
    """

    key = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=300)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("verzonden formulier")
        verbose_name_plural = _("verzonden formulieren")

    def __str__(self) -> str:
        return self.path
