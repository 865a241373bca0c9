"""The durable email outbox, delivery tracking, undeliverable addresses and preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Category, Status, SuppressionReason


class Notification(models.Model):
    """One email to one address, rendered when it was queued.

    The rendered subject and bodies are stored, so later template changes or deleted
    objects never change a message that is waiting to go out.
    """

    kind = models.CharField(_("soort"), max_length=100, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ontvanger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    to_email = models.EmailField(_("e-mailadres"), max_length=254, db_index=True)
    language = models.CharField(_("taal"), max_length=8, default="nl")
    program = models.ForeignKey(
        "programs.ProgramYear",
        verbose_name=_("programmajaar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    essential = models.BooleanField(_("essentieel"), default=True)
    category = models.CharField(_("categorie"), max_length=20, choices=Category.choices, blank=True)
    dedupe_key = models.CharField(_("ontdubbelsleutel"), max_length=200, null=True, blank=True)

    subject = models.CharField(_("onderwerp"), max_length=998, blank=True)
    body_text = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    #: [{"filename": str, "mimetype": str, "content_b64": str}, ...]
    attachments = models.JSONField(_("bijlagen"), default=list, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    #: Set right before the message is handed to the mail backend: a row still 'sending'
    #: without it was never handed over and may safely go back in the queue.
    handed_at = models.DateTimeField(_("aangeboden op"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)

    esp_name = models.CharField(_("verzenddienst"), max_length=40, blank=True)
    esp_message_id = models.CharField(_("id bij verzenddienst"), max_length=255, blank=True)
    esp_status = models.CharField(_("status bij verzenddienst"), max_length=40, blank=True)
    event_type = models.CharField(_("laatste gebeurtenis"), max_length=20, blank=True)
    event_detail = models.TextField(_("toelichting"), blank=True)

    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["to_email", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notification_unique_dedupe_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["esp_message_id"], name="notification_esp_id"),
            models.Index(fields=["program", "status"], name="notification_program"),
            models.Index(fields=["status", "claimed_at"], name="notification_claim"),
            # The outbox pages: newest first (a program's, and everyone's for the
            # foundation), and the kinds a program's messages have.
            models.Index(fields=["program", "-created_at", "-id"], name="notification_program_new"),
            models.Index(fields=["-created_at", "-id"], name="notification_newest"),
            models.Index(fields=["program", "kind"], name="notification_program_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email} ({self.get_status_display()})"


class DeliveryEvent(models.Model):
    """One tracking event an ESP reported through the anymail webhook (audit trail)."""

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    esp_name = models.CharField(max_length=40)
    event_type = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255, blank=True)
    recipient = models.EmailField(max_length=254, blank=True)
    reject_reason = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    mta_response = models.TextField(blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("afleverbericht")
        verbose_name_plural = _("afleverberichten")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.esp_name} {self.event_type} {self.recipient}"


class SuppressedAddress(models.Model):
    """An address that bounced, complained or was rejected: nothing more is sent to it.

    Keyed by the lower-cased address, so a person who changes their email address is
    reachable again at once, while the bad address stays blocked.
    """

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    reason = models.CharField(_("reden"), max_length=20, choices=SuppressionReason.choices)
    event_type = models.CharField(_("gebeurtenis"), max_length=20, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    esp_name = models.CharField(_("verzenddienst"), max_length=40, blank=True)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sinds"), default=timezone.now)

    class Meta:
        verbose_name = _("onbestelbaar adres")
        verbose_name_plural = _("onbestelbare adressen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class NotificationPreference(models.Model):
    """Which non-essential messages a person receives (all on by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    reminders = models.BooleanField(
        _("herinneringen"),
        default=True,
        help_text=_("Herinneringen aan gesprekken, webinars en taken die nog openstaan."),
    )
    nudges = models.BooleanField(
        _("berichten van de programmastaf"),
        default=True,
        help_text=_("Aansporingen en nieuws van de programmastaf die niet noodzakelijk zijn."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("berichtvoorkeur")
        verbose_name_plural = _("berichtvoorkeuren")

    def __str__(self) -> str:
        return str(self.user)

    def allows(self, category: str) -> bool:
        if category == Category.REMINDERS:
            return self.reminders
        if category == Category.NUDGES:
            return self.nudges
        return True
