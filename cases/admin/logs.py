"""Records kept for the record, in the admin: the export log and the publication records (what
the public site showed, when, and who published or took it down). Site staff read them; nobody
adds, changes or deletes a row."""

from django.contrib import admin

from cases.models import ExportLog, PublicationRecord
from orgs.access import SiteStaffReadOnlyAdmin


@admin.register(ExportLog)
class ExportLogAdmin(SiteStaffReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("created_at", "user", "report", "format", "row_count", "case", "filter_query")
    list_filter = ("report", "format", "includes_private", "created_at")
    list_select_related = ("user", "case")
    search_fields = ("user__username", "filter_query", "=case__entry_number")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ExportLog._meta.fields]


@admin.register(PublicationRecord)
class PublicationRecordAdmin(SiteStaffReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("at", "entry_number", "revision", "action", "by", "reason")
    list_filter = ("action", "at")
    list_select_related = ("by",)
    search_fields = ("=entry_number",)
    date_hierarchy = "at"
    readonly_fields = [field.name for field in PublicationRecord._meta.fields]
    show_full_result_count = False
