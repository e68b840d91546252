from django.contrib import admin

from network.models import (
    Conference,
    ConferenceAgreement,
    Offer,
    Partner,
    RegionBoundary,
    SozialraumBoundary,
)


class OfferInline(admin.TabularInline):
    model = Offer
    fields = ["title", "target_group", "age_min", "age_max", "is_free", "sozialraum"]
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "partner_type", "sozialraum", "contact_person", "is_active"]
    list_filter = ["partner_type", "sozialraum", "is_active"]
    search_fields = ["name", "street", "contact_person"]
    inlines = [OfferInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "provider", "sozialraum", "target_group", "is_free"]
    list_filter = ["target_group", "is_free", "referral_required", "sozialraum"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["partner"]


class ConferenceAgreementInline(admin.TabularInline):
    model = ConferenceAgreement
    extra = 0


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "sozialraum", "region"]
    list_filter = ["sozialraum", "region"]
    filter_horizontal = [
        "invited_partners",
        "present_partners",
        "invited_providers",
        "present_providers",
        "invited_staff",
        "present_staff",
    ]
    inlines = [ConferenceAgreementInline]


@admin.register(ConferenceAgreement)
class ConferenceAgreementAdmin(admin.ModelAdmin):
    list_display = ["text", "owner", "due_on", "done_on", "conference"]
    list_filter = ["done_on"]


@admin.register(SozialraumBoundary)
class SozialraumBoundaryAdmin(admin.ModelAdmin):
    list_display = ["sozialraum", "imported_at"]
    filter_horizontal = ["neighbours"]


@admin.register(RegionBoundary)
class RegionBoundaryAdmin(admin.ModelAdmin):
    list_display = ["region", "imported_at"]
