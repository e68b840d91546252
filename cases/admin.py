"""Only the help catalogue and the (read-only) audit trail are in Django's admin.

Case records themselves are deliberately not: the admin would bypass the access rule of
`cases.permissions` and the audit trail.
"""

from django.contrib import admin

from cases.models import AuditEntry, HelpType


@admin.register(HelpType)
class HelpTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "paragraph", "name", "is_placement", "is_sozialraum_offer", "active")
    list_filter = ("is_placement", "is_sozialraum_offer", "active")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "case_number", "detail")
    list_filter = ("action", "object_type")
    search_fields = ("case_number", "user__username")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
