"""The export log in the admin: site staff read it; nobody adds, changes or deletes a row."""

from django.contrib import admin

from cases.models import ExportLog
from orgs.access import SiteStaffReadOnlyAdmin


@admin.register(ExportLog)
class ExportLogAdmin(SiteStaffReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("created_at", "user", "report", "format", "row_count", "case", "filter_query")
    list_filter = ("report", "format", "includes_private", "created_at")
    list_select_related = ("user", "case")
    search_fields = ("user__username", "filter_query", "=case__entry_number")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ExportLog._meta.fields]
