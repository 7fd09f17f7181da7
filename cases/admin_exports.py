"""The export log in the admin: site staff read it; nobody adds, changes or deletes a row."""

from django.contrib import admin

from cases.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "report", "format", "row_count", "case", "filter_query")
    list_filter = ("report", "format", "includes_private", "created_at")
    list_select_related = ("user", "case")
    search_fields = ("user__username", "filter_query", "=case__entry_number")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ExportLog._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.sees_all_organizations

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
