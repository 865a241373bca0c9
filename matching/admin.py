from django.contrib import admin

from .models import MatchingRound, RoundRule, Solution


@admin.register(MatchingRound)
class MatchingRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "status", "created_at", "published_at"]
    list_filter = ["status", "program"]
    readonly_fields = [
        "published_solution",
        "published_at",
        "published_by",
        "progress",
        "progress_label",
        "error",
    ]


@admin.register(RoundRule)
class RoundRuleAdmin(admin.ModelAdmin):
    list_display = ["round", "kind", "supporter", "school", "note"]
    list_filter = ["kind"]
    raw_id_fields = ["supporter", "schoolleider", "school", "round"]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = [
        "round",
        "number",
        "matched",
        "unmatched_rows",
        "total_cost",
        "solve_seconds",
        "created_at",
    ]
    exclude = ["snapshot_data"]
    readonly_fields = ["snapshot_meta", "stats", "part_totals"]
