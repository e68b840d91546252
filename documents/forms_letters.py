"""Forms of the letters: editing a template (preview or save), the Bescheid, the family's
agreement to its Hilfeplan, a batch of invitations."""

from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone

from cases.models import Case, Help, HelpType, Person, PersonRole
from documents.letters_schema import PART_LABELS, parts_of
from documents.models import AgreementWay, DecisionOutcome
from sozialraum.form_helpers import CHOOSE, FormHelper

# Generous, but a template is a letter, not a book.
TEMPLATE_PART_MAX = 20_000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LetterTemplateForm(forms.Form):
    """The parts of one template; "Vorschau" renders them with sample data, "Speichern" stores
    them as a new version. Both check the template first."""

    note = forms.CharField(
        label="Anmerkung zur Änderung",
        max_length=200,
        required=False,
        help_text="Zum Beispiel: „Neue Sprechzeiten ab 1. April“.",
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for part in parts_of(kind):
            self.fields[part] = forms.CharField(
                label=PART_LABELS[part],
                max_length=TEMPLATE_PART_MAX,
                required=part in ("subject", "body"),
                strip=False,
                widget=forms.Textarea(attrs={"rows": 3 if part == "subject" else 12}),
            )
        self.order_fields([*parts_of(kind), "note"])
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(*parts_of(kind), "note")
        self.helper.add_input(Submit("preview", "Vorschau anzeigen", css_class="btn-secondary"))
        self.helper.add_input(Submit("save", "Als neue Version speichern"))


class DecisionNoticeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Entscheidung", choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    help_type = forms.ModelChoiceField(
        label="beantragte Hilfe", queryset=HelpType.objects.none(), empty_label=CHOOSE
    )
    help = forms.ModelChoiceField(
        label="bewilligte Hilfe (bei einer Bewilligung)",
        queryset=Help.objects.none(),
        required=False,
        empty_label=CHOOSE,
    )
    recipient = forms.ModelChoiceField(
        label="Empfänger/in (antragstellende Person)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="die Sorgeberechtigten des Falls",
    )
    legal_basis = forms.CharField(
        label="Rechtsgrundlage",
        max_length=200,
        required=False,
        help_text="Zum Beispiel „§§ 27, 31 SGB VIII“. Leer: die Rechtsgrundlage der Hilfeart. "
        "Ohne Rechtsgrundlage kann kein Bescheid erstellt werden.",
    )
    reasons = forms.CharField(
        label="Begründung", max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    applied_on = forms.DateField(label="Antrag vom", required=False, widget=DATE)
    decided_on = forms.DateField(label="Entscheidung vom", widget=DATE)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["help_type"].queryset = HelpType.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["help"].queryset = case.helps.select_related("help_type")  # type: ignore[attr-defined]
        self.fields["recipient"].queryset = case.persons.exclude(role=PersonRole.CHILD)  # type: ignore[attr-defined]
        self.fields["decided_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", "Bescheid anlegen und Vorschau zeigen"))


class AgreementForm(forms.Form):
    way = forms.ChoiceField(
        label="Wie hat die Familie zugestimmt?",
        choices=AgreementWay.choices,
        widget=forms.RadioSelect,
    )
    given_on = forms.DateField(label="Zustimmung am", widget=DATE)
    given_by = forms.CharField(
        label="Wer hat zugestimmt?",
        max_length=300,
        help_text="Namen, z. B. „Sabine Beispiel (Mutter), Mia Beispiel“.",
    )
    file = forms.FileField(
        label="Unterschriebener Hilfeplan (Scan)",
        required=False,
        help_text="Nur bei „auf Papier unterschrieben“: PDF, PNG oder JPEG.",
    )
    note = forms.CharField(
        label="Anmerkung",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", "Zustimmung festhalten"))


class BatchForm(forms.Form):
    with_combined = forms.BooleanField(
        label="Zusätzlich ein Sammel-PDF mit allen Briefen zum Drucken erstellen", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", "Alle Einladungen erstellen"))
