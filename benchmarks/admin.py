"""A plain ModelAdmin for cases: what a team would get from Django's admin over the same table.

Registered only under `benchmarks.settings`; the benchmarks compare the case list with its
changelist (same rows, same filter). Not part of the portal: the portal keeps cases out of its
admin on purpose (see cases/admin.py).
"""

from django.contrib import admin

from cases.models import Case


@admin.register(Case)
class BenchmarkCaseAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "title", "sozialraum", "status", "steering_caseworker")
    list_filter = ("status", "kind", "region")
    list_select_related = ("sozialraum", "steering_caseworker")
    search_fields = ("number",)
    list_per_page = 50
