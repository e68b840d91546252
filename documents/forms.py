"""Forms of documents and of the hand-over. They check what the page can check at once; the
services (`documents.services`, `documents.handover`) decide."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from cases.forms import date_field
from cases.models import Assignment, HelpPlan, Person, RiskAssessment
from documents.models import Document, DocumentKind
from sozialraum.form_helpers import CHOOSE, form_helper
from sozialraum.models import User

UPLOAD_KINDS = [
    (value, label)
    for value, label in DocumentKind.choices
    if value not in (DocumentKind.LETTER_SENT, DocumentKind.HANDOVER)
]


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.first_name} {obj.last_name} ({obj.get_role_display()})"


class _HelpPlanChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Hilfeplan: {obj.help.help_type} ab {obj.help.starts_on:%d.%m.%Y}"


class _AssessmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Gefährdungseinschätzung vom {obj.assessed_at:%d.%m.%Y}"


class _AssignmentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.provider.name}: {obj.help.help_type} (seit {obj.starts_on:%d.%m.%Y})"


class _DocumentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_kind_display()}, {obj.dated_on:%d.%m.%Y})"


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label="Datei",
        help_text="PDF, PNG, JPEG, ODT oder DOCX. Maßgeblich ist der Inhalt, nicht die Endung.",
        error_messages={
            "required": "Bitte wählen Sie eine Datei aus.",
            "empty": "Die Datei ist leer.",
            "invalid": "Die Datei kam nicht an. Bitte wählen Sie sie erneut aus.",
        },
    )
    title = forms.CharField(label="Titel", max_length=200)
    kind = forms.ChoiceField(label="Art", choices=[("", CHOOSE), *UPLOAD_KINDS])
    dated_on = date_field("Datum des Dokuments")
    source = forms.CharField(
        label="Herkunft",
        max_length=200,
        required=False,
        help_text="Wer hat es geschickt oder verfasst? z. B. Grundschule am Park, Amtsgericht",
    )
    person = _PersonChoice(
        label="betrifft Person", queryset=Person.objects.none(), required=False, empty_label="–"
    )
    help_plan = _HelpPlanChoice(
        label="gehört zum Hilfeplan",
        queryset=HelpPlan.objects.none(),
        required=False,
        empty_label="–",
    )
    assessment = _AssessmentChoice(
        label="gehört zur Gefährdungseinschätzung (§ 8a)",
        queryset=RiskAssessment.objects.none(),
        required=False,
        empty_label="–",
    )

    def __init__(
        self,
        *args: Any,
        persons: QuerySet[Person],
        help_plans: QuerySet[HelpPlan],
        assessments: QuerySet[RiskAssessment],
        max_mb: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        cast(forms.ModelChoiceField, self.fields["help_plan"]).queryset = help_plans
        cast(forms.ModelChoiceField, self.fields["assessment"]).queryset = assessments
        self.fields["file"].help_text = (
            f"PDF, PNG, JPEG, ODT oder DOCX, höchstens {max_mb} MB. "
            "Maßgeblich ist der Inhalt der Datei, nicht die Endung."
        )
        self.helper = form_helper(
            "file",
            "title",
            "kind",
            "dated_on",
            "source",
            "person",
            "help_plan",
            "assessment",
            submit="Hochladen",
            multipart=True,
        )


class DocumentShareForm(forms.Form):
    assignments = _AssignmentChoices(
        label="Freigeben für die laufenden Falldurchführungen",
        queryset=Assignment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Ein Dokument des Hilfeplans dieser Hilfe deckt der Auftrag (§ 36 SGB VIII); "
            "alles andere braucht eine gültige Einwilligung der Familie für diesen Träger."
        ),
    )

    def __init__(self, *args: Any, assignments: QuerySet[Assignment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignments"]).queryset = assignments
        self.helper = form_helper("assignments", submit="Freigaben speichern")


class DocumentRemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label="Ja, dieses Dokument mit seiner Datei löschen (es wurde irrtümlich hochgeladen).",
        error_messages={"required": "Bitte bestätigen Sie das Löschen."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("confirm", submit="Löschen")


class HandoverForm(forms.Form):
    moved_on = date_field("Umzug am")
    receiving_office = forms.CharField(
        label="übernehmendes Jugendamt",
        max_length=200,
        help_text="z. B. Jugendamt der Stadt Musterhausen, Allgemeiner Sozialer Dienst",
    )
    receiving_address = forms.CharField(
        label="Anschrift des übernehmenden Jugendamts",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    receiving_reference = forms.CharField(
        label="Aktenzeichen oder Ansprechperson dort", max_length=200, required=False
    )
    include_assessments = forms.BooleanField(
        label="Gefährdungseinschätzungen (§ 8a SGB VIII) übergeben",
        required=False,
        help_text=(
            "Nach § 8a Abs. 5 SGB VIII, wenn gewichtige Anhaltspunkte für eine Gefährdung "
            "bestehen; das Portal schlägt es vor, wenn eine Einschätzung eine Gefährdung ergab."
        ),
    )
    documents = _DocumentChoices(
        label="Dokumente, die übergeben werden",
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Nur was das übernehmende Amt für die Hilfe braucht (Datensparsamkeit).",
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["documents"]).queryset = documents
        self.helper = form_helper(
            "moved_on",
            "receiving_office",
            "receiving_address",
            "receiving_reference",
            "include_assessments",
            "documents",
            submit="Übergabe erstellen und Fall beenden",
        )


class MoveForm(forms.Form):
    moved_on = date_field("Umzug am")
    street = forms.CharField(label="neue Straße", max_length=120)
    house_number = forms.CharField(label="Hausnummer", max_length=10)
    postcode = forms.CharField(label="PLZ", max_length=5, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "moved_on", "street", "house_number", "postcode", submit="Umzug erfassen"
        )


class MoveDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Entscheidung",
        choices=[("confirm", "Vorschlag bestätigen"), ("reject", "Vorschlag ablehnen")],
        widget=forms.RadioSelect,
    )
    steering_caseworker = forms.ModelChoiceField(
        label="neue fallsteuernde Fachkraft",
        queryset=User.objects.none(),
        required=False,
        empty_label=CHOOSE,
        help_text="Nur nötig, wenn der Fall in eine andere Region wechselt.",
    )
    note = forms.CharField(
        label="Anmerkung",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["steering_caseworker"]).queryset = staff
        self.helper = form_helper("decision", "steering_caseworker", "note", submit="Entscheiden")
