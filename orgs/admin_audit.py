"""The audit log in the admin: site staff read it; nobody adds, changes or deletes an event."""

from django.contrib import admin

from orgs.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address", "target")
    list_filter = ("kind",)
    search_fields = ("username", "target")
    date_hierarchy = "at"
    list_select_related = ("user",)
    fields = ("at", "kind", "user", "username", "ip_address", "target", "details")
    readonly_fields = fields
    show_full_result_count = False

    def has_module_permission(self, request):
        return getattr(request.user, "sees_all_organizations", False)

    def has_view_permission(self, request, obj=None):
        return getattr(request.user, "sees_all_organizations", False)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
