from django.contrib import admin

from ngo.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor", "action", "object_type", "object_id", "branch", "ip"]
    list_filter = ["action", "object_type", "branch"]
    search_fields = ["object_id", "request_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "branch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
