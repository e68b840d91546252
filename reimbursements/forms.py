"""Forms of cost reimbursement: other offices, claims and their steps, claims received."""

from typing import Any

from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet

from budgets.forms import date_field, money_field
from reimbursements.models import ClaimReceipt, LegalBasis, YouthOffice
from sozialraum.form_helpers import CHOOSE, FormHelper, form_helper
from sozialraum.money import money_format


class OfficeForm(forms.ModelForm):
    class Meta:
        model = YouthOffice
        fields = [
            "name",
            "department",
            "street",
            "postcode",
            "city",
            "contact_person",
            "phone",
            "email",
            "iban",
            "bic",
            "creditor_number",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "iban"
        ].help_text = "Für Zahlungen an dieses Jugendamt, z. B. DE89 3704 0044 0532 0130 00."
        self.helper = form_helper(
            "name",
            "department",
            Row(
                Column("street", css_class="col-md-6"),
                Column("postcode", css_class="col-md-2"),
                Column("city", css_class="col-md-4"),
            ),
            Row(Column("contact_person"), Column("phone"), Column("email")),
            Row(Column("iban", css_class="col-md-6"), Column("bic"), Column("creditor_number")),
            "is_active",
            submit="Speichern",
        )


def _legal_basis_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="Rechtsgrundlage", choices=[("", CHOOSE), *LegalBasis.choices])


class ClaimForm(forms.Form):
    office = forms.ModelChoiceField(
        label="Erstattungspflichtiges Jugendamt",
        queryset=YouthOffice.objects.filter(is_active=True),
        empty_label=CHOOSE,
    )
    legal_basis = _legal_basis_field()
    period_start = date_field("Zeitraum von")
    period_end = date_field("Zeitraum bis")
    their_reference = forms.CharField(
        label="Aktenzeichen des Jugendamts", required=False, max_length=60
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "office",
            "legal_basis",
            Row(Column("period_start"), Column("period_end")),
            "their_reference",
            submit="Anspruch anlegen",
        )


class HelpLookupForm(forms.Form):
    number = forms.CharField(label="Fallnummer", max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"  # a case number never goes into a URL
        self.helper.layout = Layout("number", Submit("suchen", "Hilfen des Falls zeigen"))


class SendForm(forms.Form):
    sent_on = date_field("versandt am")

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="send")
        self.helper = form_helper("sent_on", submit="Als versandt erfassen", name="send")


class AcknowledgeForm(forms.Form):
    acknowledged_on = date_field("anerkannt am")
    their_reference = forms.CharField(
        label="Aktenzeichen des Jugendamts", required=False, max_length=60
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="ack")
        self.helper = form_helper(
            "acknowledged_on", "their_reference", submit="Anerkennung erfassen", name="acknowledge"
        )


class ReceiptForm(forms.Form):
    amount = money_field("Eingegangener Betrag (€)")
    received_on = date_field("eingegangen am")

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="receipt")
        self.helper = form_helper(
            Row(Column("amount"), Column("received_on")),
            submit="Zahlungseingang buchen",
            name="receipt",
        )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="Einwand des Jugendamts", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="dispute")
        self.helper = form_helper(
            "reason", submit="Als strittig erfassen", name="dispute", css_class="btn-secondary"
        )


class SettleForm(forms.Form):
    settled_on = date_field("abgeschlossen am")
    note = forms.CharField(
        label="Ergebnis der Klärung", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="settle")
        self.helper = form_helper(
            "settled_on", "note", submit="Anspruch abschließen", name="settle"
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Grund der Rücknahme", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="withdraw")
        self.helper = form_helper(
            "reason", submit="Anspruch zurücknehmen", name="withdraw", css_class="btn-danger"
        )


class ReceiptChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.received_on:%d.%m.%Y}: {money_format(obj.amount)}"


class ReceiptReverseForm(forms.Form):
    receipt = ReceiptChoiceField(
        label="Zahlungseingang", queryset=ClaimReceipt.objects.none(), empty_label=CHOOSE
    )
    reason = forms.CharField(
        label="Grund des Stornos", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data: Any = None, *, receipts: QuerySet[ClaimReceipt]) -> None:
        super().__init__(data, prefix="reverse")
        field = self.fields["receipt"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = receipts
        self.helper = form_helper(
            "receipt",
            "reason",
            submit="Zahlungseingang stornieren",
            name="reverse",
            css_class="btn-danger",
        )


class ReceivedClaimForm(forms.Form):
    office = forms.ModelChoiceField(
        label="Forderndes Jugendamt", queryset=YouthOffice.objects.all(), empty_label=CHOOSE
    )
    case_number = forms.CharField(label="Unsere Fallnummer", max_length=20)
    legal_basis = _legal_basis_field()
    their_reference = forms.CharField(label="Aktenzeichen des Jugendamts", max_length=60)
    period_start = date_field("Zeitraum von")
    period_end = date_field("Zeitraum bis")
    claimed_amount = money_field("Geforderter Betrag (€)")
    received_on = date_field("eingegangen am")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(Column("office"), Column("case_number")),
            Row(Column("legal_basis"), Column("their_reference")),
            Row(Column("period_start"), Column("period_end")),
            Row(Column("claimed_amount"), Column("received_on")),
            submit="Forderung erfassen",
        )


class ReceivedApproveForm(forms.Form):
    amount = money_field(
        "Anerkannter Betrag (€)",
        required=False,
        help_text="Leer: der geforderte Betrag. Ein niedrigerer Betrag braucht eine Begründung.",
    )
    reason = forms.CharField(
        label="Begründung der Kürzung",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="approve")
        self.helper = form_helper(
            "amount", "reason", submit="Anerkennen und Auszahlung anordnen", name="approve"
        )


class ReceivedRejectForm(forms.Form):
    reason = forms.CharField(
        label="Grund der Ablehnung", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="reject")
        self.helper = form_helper(
            "reason", submit="Ablehnen", name="reject", css_class="btn-secondary"
        )
