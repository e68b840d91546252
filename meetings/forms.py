"""Forms of the Sozialraumteam (crispy, the portal's German FormHelper)."""

from typing import Any

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone

from cases.forms import date_field
from cases.models import AllocationKind
from meetings.models import TeamMeeting
from meetings.selectors import Candidate, asd_of_region, offers_of_area, staff_choosable
from meetings.services import CONFERENCE_FIELDS
from network.models import Offer, Partner
from sozialraum.form_helpers import CHOOSE, CheckboxList, form_helper
from sozialraum.models import Provider, RegionProvider, Sozialraum, User


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        where = (
            obj.provider.short_name if obj.provider else (obj.asd_team.name if obj.asd_team else "")
        )
        return f"{obj.get_full_name() or obj.username} ({where})"


class MeetingForm(forms.Form):
    date = date_field("Datum")
    sozialraum = forms.ModelChoiceField(
        label="Sozialraum",
        queryset=Sozialraum.objects.none(),
        required=False,
        empty_label="– ganze Region –",
    )
    place = forms.CharField(label="Ort", max_length=200, required=False)

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sozialraum"].queryset = Sozialraum.objects.valid_on(  # type: ignore[attr-defined]
            timezone.localdate()
        ).filter(region_id=region_id)
        self.helper = form_helper(
            Row(Column("date", css_class="col-md-4"), Column("sozialraum", css_class="col-md-8")),
            "place",
            submit="Sitzung planen",
        )


class AttendeeForm(forms.Form):
    staff = StaffField(
        label="Fachkraft (ASD oder Träger)",
        queryset=User.objects.none(),
        required=False,
        empty_label="– keine Fachkraft –",
    )
    partner = forms.ModelChoiceField(
        label="oder Gast eines Netzwerkpartners",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="– kein Netzwerkpartner –",
    )
    guest_name = forms.CharField(label="Name des Gastes", max_length=120, required=False)

    def __init__(self, *args: Any, meeting: TeamMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choosable(meeting)  # type: ignore[attr-defined]
        self.fields["partner"].queryset = Partner.objects.filter(  # type: ignore[attr-defined]
            is_active=True, sozialraum__region_id=meeting.region_id
        ).order_by("name")
        self.helper = form_helper(
            "staff",
            Row(
                Column("partner", css_class="col-md-6"), Column("guest_name", css_class="col-md-6")
            ),
            submit="Auf die Liste setzen",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("staff")) == bool(cleaned.get("partner")) and not self.errors:
            raise forms.ValidationError(
                "Bitte wählen Sie entweder eine Fachkraft oder einen Netzwerkpartner (genau eines)."
            )
        return cleaned


class AgendaForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label="Fälle für die Tagesordnung", widget=CheckboxList, choices=()
    )

    def __init__(
        self, *args: Any, candidates: list[Candidate], labels: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {c.key: c for c in candidates}
        self.fields["cases"].choices = [(c.key, labels[c.key]) for c in candidates]  # type: ignore[attr-defined]
        self.fields["cases"].initial = list(self.candidates)
        self.fields["cases"].error_messages["required"] = "Bitte wählen Sie mindestens einen Fall."
        self.fields["cases"].error_messages["invalid_choice"] = (
            "Dieser Fall steht nicht (mehr) zur Auswahl. Bitte laden Sie die Seite neu."
        )
        self.helper = form_helper("cases", submit="Auf die Tagesordnung setzen")

    def chosen(self) -> list[Candidate]:
        return [self.candidates[key] for key in self.cleaned_data["cases"]]


class IdeaForm(forms.Form):
    text = forms.CharField(
        label="Idee für diese Familie",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ohne Namen der Familie.",
    )
    partner = forms.ModelChoiceField(
        label="Netzwerkpartner",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="– kein Netzwerkpartner –",
    )
    offer = forms.ModelChoiceField(
        label="Angebot",
        queryset=Offer.objects.none(),
        required=False,
        empty_label="– kein Angebot –",
    )

    def __init__(self, *args: Any, meeting: TeamMeeting, prefix_id: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"idee{prefix_id}"  # one form per agenda item: distinct field ids
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(  # type: ignore[attr-defined]
            is_active=True, sozialraum__region_id=meeting.region_id
        ).order_by("name")
        self.fields["offer"].queryset = offers_of_area(meeting)  # type: ignore[attr-defined]
        self.helper = form_helper(
            "text",
            Row(Column("partner", css_class="col-md-6"), Column("offer", css_class="col-md-6")),
            submit="Idee festhalten",
        )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="Entscheidung", choices=[("", CHOOSE), *AllocationKind.choices])
    responsible = forms.ModelChoiceField(
        label="verantwortliche Fachkraft",
        queryset=User.objects.none(),
        required=False,
        empty_label=CHOOSE,
        help_text="Sie bestätigt den Vorschlag in der Fallakte.",
    )
    provider = forms.ModelChoiceField(
        label="vorgeschlagener Träger (bei Einzelhilfe)",
        queryset=Provider.objects.none(),
        required=False,
        empty_label="– kein Träger –",
    )
    offer = forms.ModelChoiceField(
        label="Angebot (bei Partner- oder Gruppenangebot)",
        queryset=Offer.objects.none(),
        required=False,
        empty_label="– kein Angebot –",
    )
    note = forms.CharField(
        label="Begründung (ohne Namen)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, meeting: TeamMeeting, initial_responsible: User | None, **kwargs: Any
    ) -> None:
        kwargs["initial"] = {"responsible": initial_responsible}
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = asd_of_region(meeting.region_id)  # type: ignore[attr-defined]
        self.fields["provider"].queryset = Provider.objects.filter(  # type: ignore[attr-defined]
            is_active=True,
            pk__in=RegionProvider.objects.valid_on(meeting.date)
            .filter(region_id=meeting.region_id)
            .values("provider_id"),
        )
        self.fields["offer"].queryset = offers_of_area(meeting)  # type: ignore[attr-defined]
        self.helper = form_helper(
            Row(Column("kind", css_class="col-md-6"), Column("responsible", css_class="col-md-6")),
            Row(Column("provider", css_class="col-md-6"), Column("offer", css_class="col-md-6")),
            "note",
            submit="Entscheidung festhalten",
        )


class DiscussionForm(forms.Form):
    discussion = forms.CharField(
        label="Beratung (ohne Namen)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("discussion", submit="Beratung speichern")


class ProviderSummaryForm(forms.Form):
    text = forms.CharField(
        label="Fallvorstellung für die Träger (ohne Namen)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Das lesen die Fachkräfte der Träger, die für den Fall noch nicht beauftragt sind: "
            "Anliegen, Wille und Ressourcen der Familie ohne Namen, Straße und Daten, auch "
            "nicht die von Großeltern, Lehrkräften oder Nachbarn."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("text", submit="Fallvorstellung freigeben")


class MinutesForm(forms.Form):
    note = forms.CharField(
        label="Allgemeines zum Protokoll (ohne Namen von Familien)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("note", submit="Protokoll abschließen")


class PutForwardForm(forms.Form):
    question = forms.CharField(
        label="Fragestellung an das Team (ohne Namen)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].error_messages["required"] = "Bitte nennen Sie Ihre Fragestellung."
        self.helper = form_helper("question", submit="Für die nächste Sitzung vormerken")


class ConferenceForm(forms.Form):
    coordinator_name = forms.CharField(label="Koordination: Name", max_length=120)
    coordinator_organisation = forms.CharField(label="Koordination: Organisation", max_length=200)
    preparation_on = date_field("Vorbereitung ab", required=False)
    information_on = date_field("Informationsphase am", required=False)
    family_time_on = date_field("Family-Time am", required=False)
    presentation_on = date_field("Vorstellung des Plans am", required=False)
    participants = forms.CharField(
        label="Teilnehmende aus Familie und Netzwerk",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plan = forms.CharField(
        label="Plan der Familie (in ihren Worten)",
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    plan_goals = forms.CharField(
        label="Ziele aus dem Plan (eines je Zeile)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mit der Zustimmung des Jugendamts werden sie zu Grobzielen des Falls.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator_name"].error_messages["required"] = (
            "Bitte nennen Sie die Koordination des Familienrats."
        )
        self.fields["coordinator_organisation"].error_messages["required"] = (
            "Bitte nennen Sie die Organisation der Koordination."
        )
        self.helper = form_helper(
            Row(
                Column("coordinator_name", css_class="col-md-6"),
                Column("coordinator_organisation", css_class="col-md-6"),
            ),
            Row(
                Column("preparation_on", css_class="col-md-3"),
                Column("information_on", css_class="col-md-3"),
                Column("family_time_on", css_class="col-md-3"),
                Column("presentation_on", css_class="col-md-3"),
            ),
            "participants",
            "plan",
            "plan_goals",
            submit="Familienrat speichern",
        )


assert set(CONFERENCE_FIELDS) == set(ConferenceForm.base_fields)
