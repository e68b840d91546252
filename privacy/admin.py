"""Read-only views of the privacy records for the Django admin; changes go through the portal's
pages (services with checks and audit), never through here."""

from django.contrib import admin

from privacy.models import LegalHold, RetentionClass, RetentionRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionClass)
class RetentionClassAdmin(ReadOnlyAdmin):
    list_display = ["record_type", "period_years", "period_months", "anchor", "action", "is_active"]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["case", "placed_at", "placed_by", "lifted_at"]
    list_select_related = ["case", "placed_by"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "created_at", "trigger", "is_preview", "status"]
