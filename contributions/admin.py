"""The income table is data an administrator maintains: a table per validity period, its income
groups inline; the child benefit amounts (§ 94 Abs. 3 SGB VIII) per validity date. Contributions,
claims and receipts are case records and have their own pages."""

from django.contrib import admin

from contributions.models import ChildBenefitRate, IncomeBracket, IncomeTable


class IncomeBracketInline(admin.TabularInline):
    model = IncomeBracket
    extra = 0


@admin.register(IncomeTable)
class IncomeTableAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_to", "source")
    inlines = [IncomeBracketInline]


@admin.register(ChildBenefitRate)
class ChildBenefitRateAdmin(admin.ModelAdmin):
    list_display = ("valid_from", "amount", "source")
