"""Forms of corrections (Berichtigung) and withdrawals: the record's fields plus the reason.

The forms only check the input; who may correct and what is plausible is decided by the services
(`cases.corrections`, `budgets.corrections`).
"""

from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from cases import kjh_items
from cases.forms import TransitionForm, date_field, hours_per_week_field, monthly_cost_field
from cases.models import CaseStatus, PlacementLocation
from sozialraum.form_helpers import CHOOSE, FormHelper, form_helper
from sozialraum.plausibility import ConfirmWarningsMixin

REASON_HELP = (
    "Pflichtangabe. Die bisherige Fassung bleibt mit Ihrem Namen, dem Zeitpunkt und diesem "
    "Grund in der Akte sichtbar."
)


def reason_field(label: str = "Grund der Berichtigung", help_text: str = REASON_HELP):
    return forms.CharField(
        label=label,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
        error_messages={"required": "Bitte geben Sie den Grund an."},
    )


def _helper(*fields: object, submit: str = "Berichtigung speichern") -> FormHelper:
    # Every correction asks for its reason last, before the button.
    return form_helper(*fields, "reason", submit=submit)


class NoteCorrectionForm(forms.Form):
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 5}))
    internal = forms.BooleanField(
        label="Nur für den ASD (Träger sehen diesen Vermerk nicht)", required=False
    )
    reason = reason_field()

    def __init__(self, *args, asd_note: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not asd_note:  # a provider's entry is always shared with the ASD
            del self.fields["internal"]
        self.helper = _helper("text", *(["internal"] if asd_note else []))


class HelpCorrectionForm(ConfirmWarningsMixin, forms.Form):
    hours_per_week = hours_per_week_field()
    monthly_cost = monthly_cost_field("Kosten pro Monat (€)")
    placement_location = forms.ChoiceField(
        label="Ort der Unterbringung",
        choices=[("", CHOOSE), *PlacementLocation.choices],
        required=False,
    )
    starts_on = date_field("Beginn")
    planned_end_on = date_field("geplantes Ende")
    rationale = forms.CharField(
        label="Begründung der Entscheidung",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reason = reason_field(
        help_text=REASON_HELP + " Ändert sich der Umfang, wird die Bindung im Budget storniert "
        "und mit dem berichtigten Betrag neu gebucht."
    )

    def __init__(self, *args, placement: bool, **kwargs):
        super().__init__(*args, **kwargs)
        scope = ["monthly_cost", "placement_location"] if placement else ["hours_per_week"]
        for name in {"hours_per_week", "monthly_cost", "placement_location"} - set(scope):
            del self.fields[name]
        self.helper = _helper(
            Row(*(Column(name, css_class="col-md-6") for name in scope)),
            Row(
                Column("starts_on", css_class="col-md-6"),
                Column("planned_end_on", css_class="col-md-6"),
            ),
            "rationale",
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        data.setdefault("hours_per_week", None)
        data.setdefault("monthly_cost", None)
        data.setdefault("placement_location", "")
        return data


class AssignmentCorrectionForm(forms.Form):
    starts_on = date_field("Beginn")
    ends_on = date_field("geplantes Ende")
    provider_contact = forms.CharField(
        label="Ansprechperson beim Träger", max_length=120, required=False
    )
    instructions = forms.CharField(
        label="Auftrag an den Träger", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = reason_field(
        help_text=REASON_HELP + " Ändert sich der Zeitraum, wird die Bindung im Budget storniert "
        "und für den berichtigten Zeitraum neu gebucht."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("starts_on", css_class="col-md-6"), Column("ends_on", css_class="col-md-6")),
            "provider_contact",
            "instructions",
        )


class ReviewCorrectionForm(forms.Form):
    held_on = date_field("Gespräch am")
    participants = forms.CharField(
        label="Teilnehmende", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    summary = forms.CharField(label="Ergebnis", widget=forms.Textarea(attrs={"rows": 4}))
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("held_on", "participants", "summary")


class RiskCorrectionForm(forms.Form):
    facts = forms.CharField(
        label="Gewichtige Anhaltspunkte / Sachverhalt", widget=forms.Textarea(attrs={"rows": 5})
    )
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            HTML(
                '<p class="form-text">Ein anderes Ergebnis der Einschätzung ist eine neue '
                "Einschätzung, keine Berichtigung.</p>"
            ),
            "facts",
        )


class WithdrawForm(forms.Form):
    reason = reason_field(
        label="Grund der Rücknahme",
        help_text="Pflichtangabe, z. B. „irrtümlich angelegt (falsche Hausnummer)“.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "reason", Submit("zuruecknehmen", "Fall zurücknehmen", css_class="btn-danger")
        )


class HelpEndDecisionForm(forms.Form):
    """Ending a help: the day and the reason; saved after its consequences were shown
    (`budgets.casework_views.decision_step`)."""

    ended_on = date_field("Hilfe beendet am")
    reason = reason_field(
        label="Begründung",
        help_text="Pflichtangabe; sie steht im Verlauf des Falls.",
    )
    # The KJH statistics' reason for ending (cases.kjh_items); may be given later.
    end_reason = forms.ChoiceField(
        label="Grund der Beendigung (Statistik)",
        choices=[("", "– später angeben –"), *kjh_items.HelpEndReason.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "ended_on", "reason", "end_reason", Submit("weiter", "Weiter: Folgen prüfen")
        )


class CaseTransitionDecisionForm(TransitionForm):
    """A status change, shown with its consequences before it is saved; closing needs a reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = "Pflicht, wenn der Fall beendet wird."
        self.helper.layout[-1] = Submit("weiter", "Weiter: Folgen prüfen")

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("to_status") == CaseStatus.CLOSED:
            if not data.get("end_reason"):
                self.add_error("end_reason", "Bitte wählen Sie einen Beendigungsgrund.")
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Bitte begründen Sie, warum der Fall endet.")
        return data
