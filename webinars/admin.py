"""Admin for webinars: read-mostly; changes go through the staff pages (they send email)."""

from django.contrib import admin

from .models import Registration, WebinarSession


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ("user", "status", "waitlisted_at", "confirmed_at", "attended")
    readonly_fields = fields
    can_delete = False
    show_change_link = False


@admin.register(WebinarSession)
class WebinarSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "starts_at", "capacity", "status", "sequence")
    list_filter = ("program", "status", "open_to_schoolleiders")
    search_fields = ("title",)
    readonly_fields = ("uid", "sequence", "ends_at", "cancelled_at", "attendance_recorded_at")
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("user", "session", "status", "attended", "confirmed_at")
    list_filter = ("status", "program")
    search_fields = ("user__email", "user__last_name", "session__title")
    raw_id_fields = ("session", "role", "user")
    readonly_fields = ("uid", "sequence")
