"""Report requests in the Django admin: for operators to see what is waiting, running or stuck.

Read-only: requests are made, retried and checked through the portal and its services."""

from django.contrib import admin

from budgets.admin import ReadOnlyAdmin
from reports.models import ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "period_start",
        "period_end",
        "state",
        "progress",
        "attempts",
        "requested_at",
        "queued_at",
        "finished_at",
    )
    list_filter = ("state",)
    date_hierarchy = "requested_at"
    fields = (
        "public_id",
        "title",
        "period_start",
        "period_end",
        "requested_by",
        "requested_at",
        "state",
        "progress",
        "step",
        "attempts",
        "queued_at",
        "task_id",
        "lease_until",
        "started_at",
        "finished_at",
        "error",
        "data_as_of",
        "page_count",
        "pdf_size",
    )
    readonly_fields = fields
