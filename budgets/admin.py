"""Budgets in the Django admin: to look at, never to change money by hand."""

from django.contrib import admin

from budgets.models import (
    Budget,
    BudgetSplit,
    Commitment,
    FiscalYear,
    LedgerEntry,
    Payment,
    Reserve,
    ReserveTransferRequest,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money moves only through the portal's services, which book the ledger."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "budget", "kind", "figure", "amount", "text", "created_by"]
    list_filter = ["kind", "figure", "budget__fiscal_year"]
    search_fields = ["free_text__text", "free_text__reason"]
    list_select_related = ["budget__region", "budget__fiscal_year", "created_by", "free_text"]


@admin.register(FiscalYear)
class FiscalYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "total", "created_by", "created_at"]


@admin.register(Reserve)
class ReserveAdmin(ReadOnlyAdmin):
    list_display = ["fiscal_year", "amount", "percentage", "resolved_amount"]


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "cached_allocated", "cached_committed", "cached_paid"]
    list_select_related = ["fiscal_year", "region"]


@admin.register(BudgetSplit)
class BudgetSplitAdmin(ReadOnlyAdmin):
    list_display = ["fiscal_year", "method", "decided_by", "decided_at"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "budget", "kind", "provider", "sozialraum", "starts_on", "ended_on"]
    list_filter = ["kind", "budget__fiscal_year"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["commitment", "amount", "paid_on"]


@admin.register(ReserveTransferRequest)
class ReserveTransferRequestAdmin(ReadOnlyAdmin):
    list_display = ["budget", "amount", "status", "requested_by", "decided_by"]
