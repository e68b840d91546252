from django.contrib import admin

from corrections.models import Correction


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Read only: the history of corrections is written by the services, never by hand."""

    list_display = ("corrected_at", "kind", "content_type", "object_id", "corrected_by")
    list_filter = ("kind", "content_type")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
