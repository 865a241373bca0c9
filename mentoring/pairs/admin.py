from django.contrib import admin

from .models import CoachAssignment, Pair


@admin.register(Pair)
class PairAdmin(admin.ModelAdmin):
    list_display = ["mentor", "schoolleider", "school", "program", "status", "published_at"]
    list_filter = ["status", "program"]
    raw_id_fields = ["mentor", "schoolleider", "school", "ended_by", "round"]


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(admin.ModelAdmin):
    list_display = ["coach", "school", "program", "status", "published_at"]
    list_filter = ["status", "program"]
    raw_id_fields = ["coach", "school", "round"]
