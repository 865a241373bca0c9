from django.contrib import admin

from places.models import Postcode


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    """Browse and correct the postcode table (bulk changes go through load_postcodes)."""

    list_display = ("pc4", "place", "municipality", "province", "lat", "lon", "source")
    list_filter = ("source", "province")
    search_fields = ("pc4", "place", "municipality")
    ordering = ("pc4",)
