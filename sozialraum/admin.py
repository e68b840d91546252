from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sozialraum.models import (
    Agreement,
    AsdTeam,
    Population,
    Provider,
    ProviderAlliance,
    Region,
    RegionProvider,
    Sozialraum,
    StreetSegment,
    User,
)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "asd_team",
        "provider",
        "is_active",
    ]
    list_filter = ["role", "asd_team", "provider", "is_active"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),  # always set on UserAdmin; the stubs allow None
        ("Rolle und Zugehörigkeit", {"fields": ("role", "asd_team", "provider")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Rolle und Zugehörigkeit", {"fields": ("role", "asd_team", "provider")}),
    )


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(AsdTeam)
class AsdTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "email", "phone"]
    list_filter = ["region"]


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 0


@admin.register(Sozialraum)
class SozialraumAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "asd_team", "valid_from", "valid_until"]
    list_filter = ["region"]
    filter_horizontal = ["predecessors"]
    inlines = [PopulationInline]


@admin.register(StreetSegment)
class StreetSegmentAdmin(admin.ModelAdmin):
    list_display = ["street", "postcode", "number_from", "number_to", "parity", "sozialraum"]
    list_filter = ["sozialraum", "parity"]
    search_fields = ["street", "postcode"]
    list_select_related = ["sozialraum"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "contact_person", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name"]


@admin.register(RegionProvider)
class RegionProviderAdmin(admin.ModelAdmin):
    list_display = ["provider", "region", "is_lead", "valid_from", "valid_until"]
    list_filter = ["region", "is_lead"]


@admin.register(ProviderAlliance)
class ProviderAllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "lead_provider", "valid_from", "valid_until"]
    filter_horizontal = ["members"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "provider",
        "kind",
        "region",
        "hourly_rate",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["kind", "region"]
