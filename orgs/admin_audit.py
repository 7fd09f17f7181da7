"""The audit log in the admin: site staff read it; nobody adds, changes or deletes an event."""

from django.contrib import admin

from casetracker.access import SiteStaffReadOnlyAdmin
from orgs.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(SiteStaffReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address", "target")
    list_filter = ("kind",)
    search_fields = ("username", "target")
    date_hierarchy = "at"
    list_select_related = ("user",)
    fields = ("at", "kind", "user", "username", "ip_address", "target", "details")
    readonly_fields = fields
    show_full_result_count = False
