"""Forms of sharings and consents. They check what the page can check at once; the service
(`cases.consent`) decides."""

from typing import cast

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cases.forms import date_field
from cases.models import Person, SharingBasis, SharingCategory
from sozialraum.form_helpers import form_helper
from sozialraum.models import Provider

NOT_A_PERSON_OF_THE_CASE = (
    "Bitte wählen Sie eine Person dieses Falls; die gewählte gehört nicht dazu."
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.first_name} {obj.last_name} ({obj.get_role_display()})"


class SharingForm(forms.Form):
    basis = forms.ChoiceField(
        label="Rechtsgrundlage",
        choices=SharingBasis.choices,
        widget=forms.RadioSelect,
        initial=SharingBasis.CONSENT,
    )
    provider = forms.ModelChoiceField(
        label="Empfänger: Träger",
        queryset=Provider.objects.none(),
        required=False,
        empty_label="– kein Träger –",
    )
    recipient = forms.CharField(
        label="oder andere Stelle",
        max_length=200,
        required=False,
        help_text="z. B. Grundschule am Park, Kinderarztpraxis Dr. Meier",
    )
    categories = forms.MultipleChoiceField(
        label="Welche Daten",
        choices=SharingCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Bitte wählen Sie mindestens eine Art von Daten."},
    )
    purpose = forms.CharField(
        label="Zweck",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Bitte nennen Sie den Zweck der Weitergabe."},
    )
    given_by = PersonChoiceField(
        label="Einwilligung erteilt von",
        queryset=Person.objects.none(),
        required=False,
        empty_label="–",
        help_text="Nur bei einer Einwilligung: eine Person des Falls.",
        error_messages={"invalid_choice": NOT_A_PERSON_OF_THE_CASE},
    )
    given_on = date_field("erteilt bzw. weitergegeben am")
    valid_until = date_field(
        "gültig bis",
        required=False,
        help_text="Leer lassen, wenn die Einwilligung unbefristet ist.",
    )

    def __init__(
        self, *args, persons: QuerySet[Person], providers: QuerySet[Provider], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["given_by"]).queryset = persons
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
        self.fields["given_on"].initial = timezone.localdate()
        self.helper = form_helper(
            "basis",
            Fieldset(
                "Empfänger",
                Row(
                    Column("provider", css_class="col-md-6"),
                    Column("recipient", css_class="col-md-6"),
                ),
            ),
            "categories",
            "purpose",
            Row(
                Column("given_by", css_class="col-md-4"),
                Column("given_on", css_class="col-md-4"),
                Column("valid_until", css_class="col-md-4"),
            ),
            submit="Weitergabe speichern",
        )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        provider, recipient = data.get("provider"), (data.get("recipient") or "").strip()
        if (provider is None) == (not recipient):
            self.add_error(
                "recipient",
                "Bitte wählen Sie entweder einen Träger oder nennen Sie eine andere Stelle.",
            )
        if (
            data.get("basis") == SharingBasis.CONSENT
            and data.get("given_by") is None
            and "given_by" not in self.errors
        ):
            self.add_error("given_by", "Bitte geben Sie an, wer die Einwilligung erteilt hat.")
        given_on, until = data.get("given_on"), data.get("valid_until")
        if given_on and given_on > timezone.localdate():
            self.add_error("given_on", "Das Datum liegt in der Zukunft.")
        if given_on and until and until < given_on:
            self.add_error("valid_until", "„Gültig bis“ liegt vor dem Datum der Erteilung.")
        return data


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = date_field(
        "widerrufen am", help_text="Ab diesem Tag deckt die Einwilligung nichts mehr."
    )
    confirm = forms.BooleanField(
        label="Ja, die Familie hat diese Einwilligung widerrufen.",
        error_messages={"required": "Bitte bestätigen Sie den Widerruf."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()
        self.helper = form_helper("withdrawn_on", "confirm", submit="Widerruf speichern")
