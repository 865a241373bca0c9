"""Django admin for foundation staff: program years, regions, schools."""

from __future__ import annotations

from django.contrib import admin

from .models import Enrollment, ProgramYear, Region, School


@admin.register(ProgramYear)
class ProgramYearAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "school_year", "matching_date", "is_archived"]
    list_filter = ["kind", "is_archived"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "brin",
        "vestiging",
        "sector",
        "postcode",
        "place",
        "province",
        "region",
        "phase",
    ]
    list_filter = ["sector", "phase", "province", "region"]
    search_fields = ["name", "brin", "place", "postcode"]
    list_select_related = ["region"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["school", "program", "created_at"]
    list_filter = ["program"]
    raw_id_fields = ["school"]
