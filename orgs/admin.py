from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from orgs.models import AdvocacyAction, Country, Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Organizations"), {"fields": ("is_site_staff",)}),
    )
    list_display = ("username", "email", "is_staff", "is_site_staff", "is_active")
    list_filter = ("is_staff", "is_site_staff", "is_superuser", "is_active")
    inlines = [MembershipInline]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_ru")
    search_fields = ("code", "name", "name_ru", "name_local")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "city", "kind")
    list_filter = ("kind", "country")
    list_select_related = ("country",)
    search_fields = ("name", "city")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization")
    list_select_related = ("user", "organization")
    autocomplete_fields = ["user", "organization"]


@admin.register(AdvocacyAction)
class AdvocacyActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organization", "kind", "date", "outcome", "is_public")
    list_filter = ("kind", "outcome", "is_public", "organization")
    list_select_related = ("organization",)
    search_fields = ("title", "reference_number", "addressee")
    autocomplete_fields = ["organization", "cases"]
    date_hierarchy = "date"
