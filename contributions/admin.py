"""The income table is data an administrator maintains: a table per validity period, its income
groups inline. Contributions, claims and receipts are case records and have their own pages."""

from django.contrib import admin

from contributions.models import IncomeBracket, IncomeTable


class IncomeBracketInline(admin.TabularInline):
    model = IncomeBracket
    extra = 0


@admin.register(IncomeTable)
class IncomeTableAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_to", "source")
    inlines = [IncomeBracketInline]
