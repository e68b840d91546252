"""The planners' form for a new rate from a date (Entgeltvereinbarung)."""

from decimal import Decimal
from typing import cast

from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet

from budgets.forms import date_field, money_field
from budgets.models import ServiceUnit
from sozialraum.form_helpers import CHOOSE, DecimalField, FormHelper
from sozialraum.models import Provider


class RateAgreementForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Träger", queryset=Provider.objects.none(), empty_label=CHOOSE
    )
    unit = forms.ChoiceField(label="Leistungsart", choices=[("", CHOOSE), *ServiceUnit.choices])
    valid_from = date_field(
        "gültig ab", help_text="Der neue Satz gilt ab diesem Tag; frühere Sätze bleiben."
    )
    rate = money_field("Satz (€)", help_text="Je Stunde, Tag, Monat oder Sitzung, z. B. 62,50")
    travel_billable = forms.BooleanField(
        label="Fahrzeit ist abrechenbar (nur Fachleistungsstunde)", required=False
    )
    absence_percent = DecimalField(
        label="Vergütung bei Abwesenheit in % des Tagessatzes (nur Tagessatz)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(label="Bezeichnung der Vereinbarung", max_length=200, required=False)

    def __init__(self, *args, providers: QuerySet[Provider], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Row(Column("provider", css_class="col-md-6"), Column("unit", css_class="col-md-6")),
            Row(Column("valid_from", css_class="col-md-6"), Column("rate", css_class="col-md-6")),
            "travel_billable",
            "absence_percent",
            "note",
            Submit("speichern", "Satz eintragen"),
        )
