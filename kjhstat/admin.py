from django.contrib import admin

from kjhstat.models import Delivery, SpendingMapping


@admin.register(SpendingMapping)
class SpendingMappingAdmin(admin.ModelAdmin):
    list_display = ["source", "position", "note", "changed_at"]
    list_editable = ["position"]
    search_fields = ["source", "note"]
    readonly_fields = ["changed_by", "changed_at"]

    def save_model(self, request, obj, form, change) -> None:
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["survey", "year", "is_preview", "state", "record_count", "requested_at"]
    list_filter = ["survey", "year", "state"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
