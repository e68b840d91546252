from typing import cast

from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet

from network.models import Conference, ConferenceAgreement, Offer, Partner, PartnerType, TargetGroup
from network.services import OFFER_FIELDS, PARTNER_FIELDS
from sozialraum.form_helpers import CheckboxList, FormHelper, choose_placeholders
from sozialraum.models import Provider, Region, Sozialraum, User
from sozialraum.selectors import sozialraeume_valid_on

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfferSearchForm(forms.Form):
    text = forms.CharField(
        label="Suchbegriff",
        max_length=100,
        required=False,
        help_text="Sucht in Titel und Beschreibung, z. B. „Eltern“ oder „Hausaufgaben“.",
    )
    sozialraum = forms.ModelChoiceField(
        label="Sozialraum", queryset=Sozialraum.objects.none(), required=False, empty_label="alle"
    )
    include_neighbours = forms.BooleanField(label="und benachbarte Sozialräume", required=False)
    target_group = forms.ChoiceField(
        label="Zielgruppe", choices=[("", "alle"), *TargetGroup.choices], required=False
    )
    age_from = forms.IntegerField(label="Alter von", min_value=0, max_value=120, required=False)
    age_to = forms.IntegerField(label="Alter bis", min_value=0, max_value=120, required=False)
    language = forms.CharField(
        label="Sprache", max_length=40, required=False, help_text="Zum Beispiel „Türkisch“."
    )
    free_only = forms.BooleanField(label="nur kostenfreie Angebote", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["sozialraum"]
        ).queryset = sozialraeume_valid_on().order_by("code")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("text", css_class="col-md-5"),
                Column("sozialraum", css_class="col-md-4"),
                Column("include_neighbours", css_class="col-md-3 pt-md-4"),
            ),
            Row(
                Column("target_group", css_class="col-md-3"),
                Column("age_from", css_class="col-md-2"),
                Column("age_to", css_class="col-md-2"),
                Column("language", css_class="col-md-3"),
                Column("free_only", css_class="col-md-2 pt-md-4"),
            ),
            Submit("suchen", "Angebote suchen"),
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        low, high = cleaned.get("age_from"), cleaned.get("age_to")
        if low is not None and high is not None and high < low:
            self.add_error("age_to", "„Alter bis“ liegt unter „Alter von“.")
        if cleaned.get("include_neighbours") and not cleaned.get("sozialraum"):
            self.add_error("include_neighbours", "Bitte wählen Sie dazu einen Sozialraum aus.")
        return cleaned


class PartnerFilterForm(forms.Form):
    text = forms.CharField(label="Name", max_length=100, required=False)
    sozialraum = forms.ModelChoiceField(
        label="Sozialraum", queryset=Sozialraum.objects.none(), required=False, empty_label="alle"
    )
    partner_type = forms.ChoiceField(
        label="Art", choices=[("", "alle"), *PartnerType.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["sozialraum"]
        ).queryset = sozialraeume_valid_on().order_by("code")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("text", css_class="col-md-4"),
                Column("sozialraum", css_class="col-md-4"),
                Column("partner_type", css_class="col-md-4"),
            ),
            Submit("filtern", "Filtern"),
        )


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    sozialraum_choice = forms.ModelChoiceField(
        label="Sozialraum von Hand",
        queryset=Sozialraum.objects.none(),
        required=False,
        empty_label="aus dem Straßenverzeichnis",
        help_text="Nur wählen, wenn der Sozialraum von der Adresse abweicht "
        "oder die Adresse nicht im Straßenverzeichnis steht.",
    )

    class Meta:
        model = Partner
        fields = list(PARTNER_FIELDS)
        widgets = {
            "reachability": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["sozialraum_choice"]
        ).queryset = sozialraeume_valid_on().order_by("code")
        if self.instance.pk and self.instance.sozialraum_overridden:
            self.fields["sozialraum_choice"].initial = self.instance.sozialraum_id
        choose_placeholders(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("partner_type", css_class="col-md-4")),
            Fieldset(
                "Adresse",
                Row(
                    Column("street", css_class="col-md-5"),
                    Column("house_number", css_class="col-md-2"),
                    Column("postcode", css_class="col-md-2"),
                    Column("city", css_class="col-md-3"),
                ),
                "sozialraum_choice",
                Row(
                    Column("longitude", css_class="col-md-6"),
                    Column("latitude", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                "Kontakt",
                Row(
                    Column("contact_person", css_class="col-md-6"),
                    Column("phone", css_class="col-md-6"),
                ),
                Row(Column("email", css_class="col-md-6"), Column("website", css_class="col-md-6")),
                "reachability",
                "accessibility",
            ),
            "is_active",
        )


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = list(OFFER_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
        }

    def __init__(self, *args, own_provider: Provider | None = None, **kwargs):
        """`own_provider`: provider staff create offers of their own provider only."""
        super().__init__(*args, **kwargs)
        self.own_provider = own_provider
        cast(
            forms.ModelChoiceField, self.fields["sozialraum"]
        ).queryset = sozialraeume_valid_on().order_by("code")
        cast(forms.ModelChoiceField, self.fields["sozialraum"]).empty_label = "beim Netzwerkpartner"
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = Partner.objects.filter(
            is_active=True
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = Provider.objects.filter(
            is_active=True
        )
        # Either a partner or a provider offers it: the other select stays empty, and says so.
        cast(
            forms.ModelChoiceField, self.fields["partner"]
        ).empty_label = "– kein Netzwerkpartner –"
        cast(forms.ModelChoiceField, self.fields["provider"]).empty_label = "– kein Träger –"
        choose_placeholders(self)
        self.fields["age_min"].widget.attrs["min"] = 0
        self.fields["age_max"].widget.attrs["min"] = 0
        owner_fields: list = ["partner", "provider"]
        if own_provider is not None:
            del self.fields["partner"]
            del self.fields["provider"]
            self.instance.provider = own_provider
            self.instance.partner = None
            owner_fields = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            "description",
            Fieldset(
                "Wer bietet es an und wo",
                *(
                    [
                        Row(
                            Column("partner", css_class="col-md-6"),
                            Column("provider", css_class="col-md-6"),
                        )
                    ]
                    if owner_fields
                    else []
                ),
                "sozialraum",
                "place",
            ),
            Fieldset(
                "Für wen",
                Row(
                    Column("target_group", css_class="col-md-4"),
                    Column("age_min", css_class="col-md-2"),
                    Column("age_max", css_class="col-md-2"),
                    Column("languages", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                "Bedingungen",
                Row(
                    Column("is_free", css_class="col-md-3"),
                    Column("fee_note", css_class="col-md-9"),
                ),
                "schedule",
                "referral_required",
                Row(
                    Column("capacity", css_class="col-md-6"),
                    Column("places_free", css_class="col-md-6"),
                ),
                Row(
                    Column("valid_from", css_class="col-md-6"),
                    Column("valid_until", css_class="col-md-6"),
                ),
            ),
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.own_provider is None:
            partner, provider = cleaned.get("partner"), cleaned.get("provider")
            if bool(partner) == bool(provider) and not self.errors.get("partner"):
                self.add_error(
                    "partner",
                    "Bitte wählen Sie entweder einen Netzwerkpartner oder einen Träger "
                    "(genau einen).",
                )
        if not cleaned.get("is_free") and not cleaned.get("fee_note"):
            self.add_error("fee_note", "Bitte nennen Sie die Kosten.")
        return cleaned


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.get_role_display()})"


class ConferenceForm(forms.ModelForm):
    invited_staff = StaffChoiceField(
        label="eingeladene Fachkräfte",
        queryset=User.objects.none(),
        required=False,
        widget=CheckboxList,
    )
    present_staff = StaffChoiceField(
        label="anwesende Fachkräfte",
        queryset=User.objects.none(),
        required=False,
        widget=CheckboxList,
    )

    class Meta:
        model = Conference
        fields = [
            "date",
            "title",
            "sozialraum",
            "region",
            "invited_partners",
            "present_partners",
            "invited_providers",
            "present_providers",
            "invited_staff",
            "present_staff",
            "agenda",
            "minutes",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "invited_partners": CheckboxList,
            "present_partners": CheckboxList,
            "invited_providers": CheckboxList,
            "present_providers": CheckboxList,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    RELATIONS = (
        "invited_partners",
        "present_partners",
        "invited_providers",
        "present_providers",
        "invited_staff",
        "present_staff",
    )

    def __init__(self, *args, staff: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["sozialraum"]
        ).queryset = sozialraeume_valid_on().order_by("code")
        cast(
            forms.ModelChoiceField, self.fields["sozialraum"]
        ).empty_label = "– (Konferenz der Region)"
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = Region.objects.order_by(
            "name"
        )
        cast(
            forms.ModelChoiceField, self.fields["region"]
        ).empty_label = "– (Konferenz eines Sozialraums)"
        partners = Partner.objects.filter(is_active=True).order_by("name")
        providers = Provider.objects.filter(is_active=True).order_by("name")
        for name in ("invited_partners", "present_partners"):
            cast(forms.ModelMultipleChoiceField, self.fields[name]).queryset = partners
        for name in ("invited_providers", "present_providers"):
            cast(forms.ModelMultipleChoiceField, self.fields[name]).queryset = providers
        for name in ("invited_staff", "present_staff"):
            cast(forms.ModelMultipleChoiceField, self.fields[name]).queryset = staff
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-md-3"), Column("title", css_class="col-md-9")),
            Row(Column("sozialraum", css_class="col-md-6"), Column("region", css_class="col-md-6")),
            Fieldset(
                "Teilnehmende",
                Row(
                    Column("invited_partners", css_class="col-md-6"),
                    Column("present_partners", css_class="col-md-6"),
                ),
                Row(
                    Column("invited_providers", css_class="col-md-6"),
                    Column("present_providers", css_class="col-md-6"),
                ),
                Row(
                    Column("invited_staff", css_class="col-md-6"),
                    Column("present_staff", css_class="col-md-6"),
                ),
            ),
            "agenda",
            "minutes",
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if bool(cleaned.get("sozialraum")) == bool(cleaned.get("region")):
            self.add_error(
                "sozialraum",
                "Bitte wählen Sie entweder einen Sozialraum oder eine Region (genau eines).",
            )
        return cleaned


class StaffSingleChoiceField(forms.ModelChoiceField):
    """Colleagues by name and role (a username only where no name is set)."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class AgreementForm(forms.ModelForm):
    class Meta:
        model = ConferenceAgreement
        fields = ["text", "owner", "due_on"]
        field_classes = {"owner": StaffSingleChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DATE_WIDGET}

    def __init__(self, *args, staff: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        cast(StaffSingleChoiceField, self.fields["owner"]).queryset = staff
        choose_placeholders(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "text",
            Row(Column("owner", css_class="col-md-8"), Column("due_on", css_class="col-md-4")),
            Submit("speichern", "Vereinbarung hinzufügen"),
        )
