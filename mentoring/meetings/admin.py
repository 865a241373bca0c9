from django.contrib import admin

from .models import CalendarFeed, Meeting, Nudge, Slot


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    readonly_fields = (
        "proposed_by",
        "starts_at",
        "ends_at",
        "mode",
        "location",
        "online_url",
        "status",
    )


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("pair", "number", "status", "starts_at", "mode", "sequence")
    list_filter = ("status", "mode", "pair__program")
    raw_id_fields = ("pair", "changed_by", "outcome_marked_by")
    readonly_fields = ("uid", "sequence", "reminded_sequence")
    inlines = [SlotInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_fetched_at")
    raw_id_fields = ("user",)
    exclude = ("token",)  # the secret stays secret, even for admins


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    list_display = ("pair", "number", "deadline", "sent_by", "sent_at")
    raw_id_fields = ("pair", "sent_by")
