"""Django admin: the outbox read-only, suppressions and preferences editable."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import DeliveryEvent, Notification, NotificationPreference, SuppressedAddress
from .secrets import redacted


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    extra = 0
    can_delete = False
    fields = ["received_at", "esp_name", "event_type", "reject_reason", "description"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "status", "attempts", "sent_at", "program"]
    list_filter = ["status", "kind", "essential", "language"]
    # Not the bodies: a search must not become a way to probe for a one-time link.
    search_fields = ["to_email", "subject", "esp_message_id", "message_id", "dedupe_key"]
    date_hierarchy = "created_at"
    list_select_related = ["program"]
    inlines = [DeliveryEventInline]
    actions = ["retry"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "status",
                    "to_email",
                    "recipient",
                    "program",
                    "language",
                    "essential",
                    "category",
                    "dedupe_key",
                ]
            },
        ),
        (
            _("Inhoud"),
            {"fields": ["shown_subject", "shown_text", "shown_html", "attachment_names"]},
        ),
        (
            _("Verzending"),
            {
                "fields": [
                    "attempts",
                    "next_attempt_at",
                    "claimed_by",
                    "claimed_at",
                    "last_error",
                    "message_id",
                    "esp_name",
                    "esp_message_id",
                    "esp_status",
                    "event_type",
                    "event_detail",
                    "created_at",
                    "sent_at",
                    "delivered_at",
                ]
            },
        ),
    ]

    #: Never on any admin page: the stored bodies may hold a one-time link until sent.
    hidden_fields = ("subject", "body_text", "body_html", "attachments")

    def get_readonly_fields(self, request, obj=None):
        shown = [f.name for f in self.model._meta.fields if f.name not in self.hidden_fields]
        return [*shown, "shown_subject", "shown_text", "shown_html", "attachment_names"]

    @admin.display(description=_("onderwerp"))
    def shown_subject(self, obj: Notification) -> str:
        return redacted(obj).subject

    @admin.display(description=_("tekst"))
    def shown_text(self, obj: Notification) -> str:
        return redacted(obj).body_text

    @admin.display(description=_("HTML"))
    def shown_html(self, obj: Notification) -> str:
        return redacted(obj).body_html  # escaped by the admin, shown as source

    @admin.display(description=_("bijlagen"))
    def attachment_names(self, obj: Notification) -> str:
        return ", ".join(a.get("filename", "") for a in obj.attachments or []) or "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # read-only: what was rendered is what was (or will be) sent

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Opnieuw versturen"))
    def retry(self, request, queryset) -> None:
        queued, blocked = outbox.retry_notifications(queryset)
        self.message_user(
            request,
            _("%(n)s opnieuw in de wachtrij, %(b)s geblokkeerd.") % {"n": queued, "b": blocked},
        )


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "esp_name", "created_at"]
    list_filter = ["reason", "esp_name"]
    search_fields = ["email", "description"]
    raw_id_fields = ["notification"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "reminders", "nudges", "updated_at"]
    list_filter = ["reminders", "nudges"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
