"""Django admin for foundation staff: raw access to people and roles."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ExpertcoachProfile, Invitation, MentorProfile, Role, SchoolleiderProfile, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "language",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoon"), {"fields": ["first_name", "last_name", "phone", "language"]}),
        (
            _("Rechten"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MentorProfileInline(admin.StackedInline):
    model = MentorProfile
    extra = 0
    raw_id_fields = ["reviewed_by"]


class SchoolleiderProfileInline(admin.StackedInline):
    model = SchoolleiderProfile
    extra = 0
    raw_id_fields = ["school"]


class ExpertcoachProfileInline(admin.StackedInline):
    model = ExpertcoachProfile
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "program", "created_at"]
    list_filter = ["kind", "program"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "program"]
    inlines = [MentorProfileInline, SchoolleiderProfileInline, ExpertcoachProfileInline]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["role", "organisation", "status", "pc4", "max_travel_km", "online_only"]
    list_filter = ["status", "online_only", "role__program"]
    search_fields = ["role__user__email", "organisation"]
    raw_id_fields = ["role", "reviewed_by"]
    list_select_related = ["role__user", "role__program"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]  # a live token must not be readable, even by staff
