"""Admin: guides and status only.

``MeetingNote`` and ``Action`` are deliberately not registered, and the registered models
list their fields explicitly, so a pair's private words never show up here.
"""

from __future__ import annotations

from django.contrib import admin

from .models import Feedback, Guide, GuideVersion, MeetingRecord, ProgramAnonymisation


class GuideVersionInline(admin.TabularInline):
    model = GuideVersion
    fields = ("version", "status", "title", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ("program", "number", "phase", "published_version")
    list_filter = ("program",)
    fields = ("program", "number", "phase", "published_version")
    readonly_fields = ("published_version",)
    inlines = [GuideVersionInline]


@admin.register(MeetingRecord)
class MeetingRecordAdmin(admin.ModelAdmin):
    """Whether a meeting was held is the meeting's status: see the meetings admin."""

    list_display = ("pair", "number", "held_on", "action_count", "recorded_at")
    list_filter = ("pair__program",)
    fields = ("pair", "number", "guide_version", "held_on", "themes", "action_count")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Scores only: free text and names are read on the staff feedback page, with consent."""

    list_display = ("program", "kind", "number", "side", "region", "usefulness")
    list_filter = ("program", "kind", "side", "region")
    fields = ("program", "kind", "number", "side", "region", "usefulness")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(ProgramAnonymisation)
class ProgramAnonymisationAdmin(admin.ModelAdmin):
    list_display = ("program", "anonymised_at", "anonymised_by")
    readonly_fields = ("program", "anonymised_at", "anonymised_by", "counts")
