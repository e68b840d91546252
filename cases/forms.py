"""Forms of case work. They validate input; the services decide what may happen."""

import datetime
from typing import Any, cast

from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from cases import kjh_items
from cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    ContactKind,
    EndReason,
    HelpType,
    Person,
    PersonRole,
    PlacementLocation,
    ResourceKind,
    StepOwner,
)
from cases.selectors import asd_staff_of_region, partners_of_region
from cases.selectors_list import case_filter_choices
from cases.services import PersonInput, ResourceInput, help_checks
from cases.workflow import NEEDS_DECISION, allowed_next
from network.models import Partner, TargetGroup
from sozialraum.access import asd_region_id
from sozialraum.form_helpers import CHOOSE, CheckboxList, DecimalField, FormHelper, form_helper
from sozialraum.forms import form_errors_add
from sozialraum.models import Provider, ProviderAlliance, Region, Sozialraum, User
from sozialraum.plausibility import ConfirmWarningsMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: str, *, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class IntakeForm(forms.Form):
    """The case part of the intake; people, resources and goals come as formsets."""

    street = forms.CharField(label="Straße", max_length=120)
    house_number = forms.CharField(label="Hausnummer", max_length=10)
    postcode = forms.CharField(
        label="PLZ",
        max_length=5,
        required=False,
        help_text="Nur nötig, wenn die Straße mehrdeutig ist.",
    )
    opened_on = date_field("Falleingang am")
    steering_caseworker = StaffChoiceField(
        label="Fallsteuerung", queryset=User.objects.none(), empty_label=None
    )
    sozialraum_override = forms.ModelChoiceField(
        label="Abweichender Sozialraum",
        queryset=Sozialraum.objects.none(),
        required=False,
        empty_label="– wie aus der Adresse ermittelt –",
        help_text="Nur wenn der Fall bewusst einem anderen Sozialraum zugeordnet wird.",
    )
    sozialraum_override_reason = forms.CharField(
        label="Begründung für den abweichenden Sozialraum",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    concern = forms.CharField(
        label="Anliegen",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Was möchte die Familie erreichen? In ihren eigenen Worten.",
    )
    will = forms.CharField(
        label="Wille",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Was will die Familie selbst dafür tun? Möglichst wörtlich.",
    )
    duplicates_confirmed = forms.BooleanField(
        label="Ich habe die möglichen Doppelungen geprüft; es ist ein neuer Fall.",
        required=False,
    )

    def __init__(self, *args, user: User, sozialraeume: QuerySet[Sozialraum], **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["steering_caseworker"]
        ).queryset = asd_staff_of_region(asd_region_id(user))
        self.fields["steering_caseworker"].initial = user.pk
        cast(forms.ModelChoiceField, self.fields["sozialraum_override"]).queryset = sozialraeume
        self.fields["opened_on"].initial = timezone.localdate()
        self.helper = form_helper(
            Fieldset(
                "Adresse und Zuständigkeit",
                Row(
                    Column("street", css_class="col-md-5"),
                    Column("house_number", css_class="col-md-2"),
                    Column("postcode", css_class="col-md-2"),
                    Column("opened_on", css_class="col-md-3"),
                ),
                Row(
                    Column("steering_caseworker", css_class="col-md-4"),
                    Column("sozialraum_override", css_class="col-md-4"),
                    Column("sozialraum_override_reason", css_class="col-md-4"),
                ),
            ),
            form_tag=False,
        )
        self.concern_helper = form_helper(
            Fieldset("Anliegen und Wille der Familie", "concern", "will"), form_tag=False
        )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("sozialraum_override")
            and not data.get("sozialraum_override_reason", "").strip()
        ):
            self.add_error(
                "sozialraum_override_reason",
                "Bitte begründen Sie, warum der Fall einem anderen Sozialraum zugeordnet wird.",
            )
        return data


class PersonForm(forms.Form):
    role = forms.ChoiceField(label="Rolle", choices=PersonRole.choices)
    first_name = forms.CharField(label="Vorname", max_length=80)
    last_name = forms.CharField(label="Nachname", max_length=80)
    birth_date = date_field("Geburtsdatum", required=False)
    relation = forms.CharField(label="Beziehung", max_length=80, required=False)
    phone = forms.CharField(label="Telefon", max_length=40, required=False)
    # KJH statistics items of a child (cases.kjh_items); empty = not yet known.
    sex = forms.ChoiceField(
        label="Geschlecht (Statistik)",
        choices=[("", "– nicht angegeben –"), *kjh_items.Sex.choices],
        required=False,
    )
    parent_foreign_origin = forms.ChoiceField(
        label="Ausländische Herkunft mind. eines Elternteils (Statistik)",
        choices=[("", "– nicht angegeben –"), *kjh_items.YesNoUnknown.choices],
        required=False,
    )
    german_at_home = forms.ChoiceField(
        label="Zu Hause vorrangig Deutsch (Statistik)",
        choices=[("", "– nicht angegeben –"), *kjh_items.YesNoUnknown.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(
                Column("role", css_class="col-md-2"),
                Column("first_name", css_class="col-md-2"),
                Column("last_name", css_class="col-md-2"),
                Column("birth_date", css_class="col-md-2"),
                Column("relation", css_class="col-md-2"),
                Column("phone", css_class="col-md-2"),
            ),
            Row(
                Column("sex", css_class="col-md-2"),
                Column("parent_foreign_origin", css_class="col-md-4"),
                Column("german_at_home", css_class="col-md-3"),
            ),
            form_tag=False,
        )

    def has_changed(self) -> bool:
        # The preselected role alone does not make an empty row a person.
        return any(name in self.changed_data for name in ("first_name", "last_name", "birth_date"))

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        birth_date = data.get("birth_date")
        if data.get("role") == PersonRole.CHILD and not birth_date:
            self.add_error("birth_date", "Für Kinder und Jugendliche ist das Geburtsdatum nötig.")
        if birth_date and birth_date > timezone.localdate():
            self.add_error("birth_date", "Das Geburtsdatum liegt in der Zukunft.")
        return data

    def to_input(self) -> PersonInput:
        return PersonInput(**self.cleaned_data)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label="Ressource", choices=ResourceKind.choices)
    description = forms.CharField(
        label="Beschreibung", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    partner = forms.ModelChoiceField(
        label="Netzwerkpartner (optional)",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="–",
    )

    def __init__(self, *args, partners: QuerySet[Partner] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = (
            partners if partners is not None else Partner.objects.none()
        )
        self.helper = form_helper(
            Row(
                Column("kind", css_class="col-md-3"),
                Column("description", css_class="col-md-6"),
                Column("partner", css_class="col-md-3"),
            ),
            form_tag=False,
        )

    def has_changed(self) -> bool:
        return "description" in self.changed_data

    def to_input(self) -> ResourceInput:
        return ResourceInput(**self.cleaned_data)


class GoalForm(forms.Form):
    text = forms.CharField(
        label="Grobziel (in den Worten der Familie)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("text", form_tag=False)


class BasePersonFormSet(forms.BaseFormSet):
    """The first rows suggest a child and a guardian; every row may stay empty."""

    ROLE_SUGGESTIONS = (PersonRole.CHILD, PersonRole.GUARDIAN, PersonRole.CHILD)

    def get_form_kwargs(self, index: int | None) -> dict:
        roles = self.ROLE_SUGGESTIONS
        suggested = roles[index] if index is not None and index < len(roles) else PersonRole.OTHER
        return {"initial": {"role": suggested}}


PersonFormSet = forms.formset_factory(PersonForm, formset=BasePersonFormSet, extra=5, max_num=20)
ResourceFormSet = forms.formset_factory(ResourceForm, extra=3, max_num=20)
GoalFormSet = forms.formset_factory(GoalForm, extra=3, max_num=20)


class ProjectForm(forms.Form):
    """Cross-case and case-independent work: no personal data."""

    kind = forms.ChoiceField(
        label="Art der Arbeit",
        choices=[c for c in CaseKind.choices if c[0] != CaseKind.INDIVIDUAL],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label="Titel", max_length=200)
    sozialraum = forms.ModelChoiceField(
        label="Sozialraum", queryset=Sozialraum.objects.none(), empty_label=CHOOSE
    )
    steering_caseworker = StaffChoiceField(
        label="Verantwortlich im ASD", queryset=User.objects.none(), empty_label=None
    )
    opened_on = date_field("Beginn")
    target_group = forms.CharField(label="Zielgruppe", max_length=200, required=False)
    participants_count = forms.IntegerField(
        label="Zahl der Teilnehmenden", min_value=0, required=False
    )
    project_goals = forms.CharField(
        label="Ziele", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    providers = forms.ModelMultipleChoiceField(
        label="Beteiligte Träger",
        queryset=Provider.objects.none(),
        required=False,
        widget=CheckboxList,
    )
    partners = forms.ModelMultipleChoiceField(
        label="Beteiligte Netzwerkpartner",
        queryset=Partner.objects.none(),
        required=False,
        widget=CheckboxList,
    )

    def __init__(self, *args, user: User, sozialraeume: QuerySet[Sozialraum], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partners"]).queryset = partners_of_region(
            asd_region_id(user)
        )
        cast(forms.ModelChoiceField, self.fields["sozialraum"]).queryset = sozialraeume
        cast(
            forms.ModelChoiceField, self.fields["steering_caseworker"]
        ).queryset = asd_staff_of_region(asd_region_id(user))
        self.fields["steering_caseworker"].initial = user.pk
        cast(forms.ModelChoiceField, self.fields["providers"]).queryset = Provider.objects.filter(
            is_active=True
        )
        self.fields["opened_on"].initial = timezone.localdate()
        self.helper = form_helper(
            "kind",
            Row(Column("title", css_class="col-md-8"), Column("opened_on", css_class="col-md-4")),
            Row(
                Column("sozialraum", css_class="col-md-6"),
                Column("steering_caseworker", css_class="col-md-6"),
            ),
            Row(
                Column("target_group", css_class="col-md-8"),
                Column("participants_count", css_class="col-md-4"),
            ),
            "project_goals",
            Row(
                Column("providers", css_class="col-md-6"), Column("partners", css_class="col-md-6")
            ),
            submit="Anlegen",
        )


class ProjectEditForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    target_group = forms.CharField(label="Zielgruppe", max_length=200, required=False)
    participants_count = forms.IntegerField(
        label="Zahl der Teilnehmenden", min_value=0, required=False
    )
    project_goals = forms.CharField(
        label="Ziele", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.CharField(
        label="Ergebnis", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    providers = forms.ModelMultipleChoiceField(
        label="Beteiligte Träger",
        queryset=Provider.objects.filter(is_active=True),
        required=False,
        widget=CheckboxList,
    )
    partners = forms.ModelMultipleChoiceField(
        label="Beteiligte Netzwerkpartner",
        queryset=Partner.objects.none(),
        required=False,
        widget=CheckboxList,
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": case.title,
                "target_group": case.target_group,
                "participants_count": case.participants_count,
                "project_goals": case.project_goals,
                "outcome": case.outcome,
                "providers": list(case.providers.all()),
                "partners": list(case.partners.all()),
            },
        )
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partners"]).queryset = partners_of_region(
            case.region_id
        )
        self.helper = form_helper(
            "title",
            Row(
                Column("target_group", css_class="col-md-8"),
                Column("participants_count", css_class="col-md-4"),
            ),
            "project_goals",
            "outcome",
            Row(
                Column("providers", css_class="col-md-6"), Column("partners", css_class="col-md-6")
            ),
            submit="Speichern",
        )


def _id_choice_field(label: str) -> forms.TypedChoiceField:
    """An optional choice of one id from the options the form sets (None for "alle"); any other
    value is a German field error."""
    return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)


class CaseFilterForm(forms.Form):
    """The case list's filter. Posted, so a name searched for never appears in a URL; the
    choices are what the caseworker's region offers on the day."""

    q = forms.CharField(
        label="Suche",
        required=False,
        max_length=80,
        help_text="Fallnummer oder Name; der Anfang genügt („Schm“ findet Schmidt)",
    )
    # Ids with their names, not model choice fields: the four lists hold some 250 options on
    # every list page, and model instances for each of them were most of the page's work.
    region = _id_choice_field("Region")
    sozialraum = _id_choice_field("Sozialraum")
    kind = forms.ChoiceField(label="Art", required=False, choices=[("", "alle"), *CaseKind.choices])
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "alle"), *CaseStatus.choices]
    )
    help_type = _id_choice_field("Hilfeart")
    provider = _id_choice_field("Träger")
    review_overdue = forms.BooleanField(label="Hilfeplangespräch überfällig", required=False)
    risk_open = forms.BooleanField(label="§ 8a offen", required=False)
    mine = forms.BooleanField(label="nur meine Fälle", required=False)

    def __init__(self, *args, region: Region, on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self._region, self._on, self._choices_set = region, on, False
        # A chosen id is checked against the region's choices of the day. Without one (the list
        # unfiltered or filtered by kind or status, the pages opened most) the choices are only
        # needed to draw the selects, which the page keeps for a while (case_filter_form.html):
        # they are read then.
        if self.is_bound and any(self.data.get(name) for name in self.REGION_CHOICES):
            self._choices_load()
        # No crispy helper: templates/cases/partials/case_filter_form.html lays it out.

    # The selects whose options are the region's (`case_filter_choices`).
    REGION_CHOICES = ("region", "sozialraum", "help_type", "provider")

    def _choices_load(self) -> None:
        if self._choices_set:
            return
        options = case_filter_choices(region=self._region, on=self._on)
        for name, rows in options.items():
            cast(forms.TypedChoiceField, self.fields[name]).choices = [("", "alle"), *rows]
        self._choices_set = True

    def select_options(self) -> dict[str, list[tuple[str, str, bool]]]:
        """Each select's options as (value, label, chosen) for the hand-laid template: the
        comparison with the chosen value runs here once per option, not as template filters."""
        self._choices_load()
        result = {}
        for name in ("region", "sozialraum", "kind", "status", "help_type", "provider"):
            bound = self[name]
            chosen = "" if bound.value() is None else str(bound.value())
            # Set in __init__ as a list of (value, label) pairs.
            choices = cast(list[tuple[Any, Any]], cast(forms.ChoiceField, bound.field).choices)
            result[name] = [(str(v), str(label), str(v) == chosen) for v, label in choices]
        return result


class TransitionForm(forms.Form):
    to_status = forms.CharField(label="Neuer Status", widget=forms.Select)
    end_reason = forms.ChoiceField(
        label="Beendigungsgrund (nur bei „beendet“)",
        choices=[("", "–"), *EndReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Begründung", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (s, CaseStatus(s).label)
            for s in allowed_next(case.kind, case.status)
            if s not in NEEDS_DECISION
        ]
        self.fields["to_status"].widget.choices = choices
        self.helper = form_helper(
            Row(
                Column("to_status", css_class="col-md-4"),
                Column("end_reason", css_class="col-md-4"),
            ),
            "reason",
            submit="Status ändern",
        )

    def clean_to_status(self) -> str:
        # Not one of the statuses at all (a tampered form): the workflow's own refusal names the
        # statuses by their labels and needs a known one. Known but not allowed now: its message.
        value = self.cleaned_data["to_status"]
        if value not in CaseStatus.values:
            raise forms.ValidationError("Bitte wählen Sie einen der angebotenen Status.")
        return value


class SteeringForm(forms.Form):
    caseworker = StaffChoiceField(
        label="Neue fallsteuernde Fachkraft", queryset=User.objects.none(), empty_label=CHOOSE
    )
    reason = forms.CharField(label="Begründung", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["caseworker"]).queryset = asd_staff_of_region(
            case.region_id
        ).exclude(pk=case.steering_caseworker_id)
        self.helper = form_helper("caseworker", "reason", submit="Fallsteuerung übergeben")


class StandaloneMixin:
    """A formset row used on a page of its own: with its form tag and a submit button."""

    submit_label = "Speichern"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = True
        self.helper.layout.append(Submit("speichern", self.submit_label))


class PersonEditForm(StandaloneMixin, PersonForm):
    pass


class ResourceAddForm(StandaloneMixin, ResourceForm):
    submit_label = "Ressource speichern"


class GoalAddForm(StandaloneMixin, GoalForm):
    submit_label = "Ziel speichern"


class ActionStepForm(forms.Form):
    text = forms.CharField(label="Handlungsschritt", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(label="Wer", choices=StepOwner.choices)
    due_on = date_field("bis", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "text",
            Row(Column("owner", css_class="col-md-6"), Column("due_on", css_class="col-md-6")),
            submit="Schritt speichern",
        )


def hours_per_week_field() -> DecimalField:
    """A help's Fachleistungsstunden, as deciding and correcting a help ask for them."""
    return DecimalField(
        label="Fachleistungsstunden pro Woche",
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        localize=True,
    )


def monthly_cost_field(label: str) -> DecimalField:
    """A placement's monthly cost in euros, as deciding and correcting a help ask for it."""
    return DecimalField(
        label=label, required=False, min_value=0, max_digits=14, decimal_places=2, localize=True
    )


class HelpDecisionForm(ConfirmWarningsMixin, forms.Form):
    help_type = forms.ModelChoiceField(
        label="Hilfeart", queryset=HelpType.objects.filter(active=True), empty_label=CHOOSE
    )
    hours_per_week = hours_per_week_field()
    monthly_cost = monthly_cost_field("Kosten pro Monat (€, nur Unterbringung)")
    placement_location = forms.ChoiceField(
        label="Ort der Unterbringung",
        choices=[("", "–"), *PlacementLocation.choices],
        required=False,
    )
    starts_on = date_field("Beginn")
    planned_end_on = date_field("geplantes Ende")
    rationale = forms.CharField(
        label="Begründung", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "help_type",
            Row(
                Column("hours_per_week", css_class="col-md-4"),
                Column("monthly_cost", css_class="col-md-4"),
                Column("placement_location", css_class="col-md-4"),
            ),
            Row(
                Column("starts_on", css_class="col-md-6"),
                Column("planned_end_on", css_class="col-md-6"),
            ),
            "rationale",
            submit="Hilfe entscheiden",
        )
        self.fields["hours_per_week"].help_text = (
            f"Höchstens {settings.HOURS_PER_WEEK_MAX}; über {settings.HOURS_PER_WEEK_WARNING} "
            "bitten wir um eine Bestätigung."
        )

    # The case the help is decided for. A form that knows it (HelpPlanDecisionForm) checks the
    # help's period and hours with the service's own rules (cases.services.help_checks) along
    # with every other part, so all problems show after one submit; the service checks again.
    case: Case | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_on, planned_end_on = data.get("starts_on"), data.get("planned_end_on")
        if self.case is not None and starts_on and planned_end_on:
            help_type = data.get("help_type")
            placement = help_type is not None and help_type.is_placement
            try:
                help_checks(
                    case=self.case,
                    starts_on=starts_on,
                    planned_end_on=planned_end_on,
                    hours_per_week=None if placement else data.get("hours_per_week"),
                ).raise_if_any(confirmed_warnings=data.get("confirmed_warnings", False))
            except ValidationError as error:
                form_errors_add(self, error)
        return data


class HelpEndForm(forms.Form):
    ended_on = date_field("Hilfe beendet am")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        self.helper = form_helper("ended_on", submit="Hilfe beenden")


class CommissionForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Träger", queryset=Provider.objects.none(), empty_label=CHOOSE
    )
    alliance = forms.ModelChoiceField(
        label="über den Trägerverbund",
        queryset=ProviderAlliance.objects.none(),
        required=False,
        empty_label="– direkt –",
    )
    starts_on = date_field("Beginn")
    ends_on = date_field("geplantes Ende")
    provider_contact = forms.CharField(
        label="Ansprechperson beim Träger", max_length=120, required=False
    )
    instructions = forms.CharField(
        label="Auftrag an den Träger",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Was soll der Träger mit der Familie erreichen? Die Grobziele sieht er ohnehin.",
    )
    help_extension_reason = forms.CharField(
        label="Begründung einer Verlängerung der Hilfe",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
        help_text="Nur nötig, wenn der Auftrag nach dem geplanten Ende der Hilfe endet: die Hilfe "
        "wird dann bis zum Ende des Auftrags verlängert (höchstens 500 Zeichen).",
    )
    with_home_visits = forms.BooleanField(
        label="mit Hausbesuchen",
        required=False,
        help_text="Dann sieht der Träger die Anschrift und die Telefonnummern der Familie, "
        "solange die Falldurchführung läuft (Auftrag nach § 36 SGB VIII).",
    )
    override_reason = forms.CharField(
        label="Begründung einer Budgetüberschreitung",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        help_text="Nur für die Teamleitung: übersteigt die Bewilligung das freie Budget der "
        "Region, gibt die Teamleitung sie mit Begründung frei.",
    )

    def __init__(self, *args, providers: list[Provider], alliances: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = Provider.objects.filter(
            pk__in=[p.pk for p in providers]
        )
        cast(forms.ModelChoiceField, self.fields["alliance"]).queryset = alliances
        self.helper = form_helper(
            Row(Column("provider", css_class="col-md-6"), Column("alliance", css_class="col-md-6")),
            Row(Column("starts_on", css_class="col-md-6"), Column("ends_on", css_class="col-md-6")),
            "provider_contact",
            "instructions",
            "help_extension_reason",
            "with_home_visits",
            "override_reason",
            submit="Träger beauftragen",
        )


class PersonPresentField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.first_name} {obj.last_name} ({obj.relation or obj.get_role_display()})"


class NoteContactForm(forms.Form):
    """When and with whom: the contact fields every note form shares. `persons` are the case's
    people the author may see; None (a project) leaves the checkbox list out."""

    contact_on = date_field(
        "Datum des Kontakts",
        required=False,
    )
    contact_kind = forms.ChoiceField(
        label="Art des Kontakts",
        choices=[("", "kein Kontakt (Aktenvermerk)"), *ContactKind.choices],
        required=False,
    )
    persons_present = PersonPresentField(
        label="Anwesende Personen",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    others_present = forms.CharField(
        label="Weitere Anwesende",
        max_length=300,
        required=False,
        help_text="z. B. Klassenlehrerin, Fachkraft des Trägers, Dolmetscher",
    )

    def __init__(self, *args, persons: QuerySet[Person] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_on"].initial = timezone.localdate()
        self.fields["contact_on"].help_text = (
            f"Leer: heute. Höchstens {settings.NOTE_BACKDATE_DAYS} Tage zurück, nicht in der "
            "Zukunft."
        )
        if persons is None:
            del self.fields["persons_present"]
        else:
            cast(forms.ModelMultipleChoiceField, self.fields["persons_present"]).queryset = persons

    def contact_layout(self) -> list[Any]:
        return [
            Row(
                Column("contact_on", css_class="col-md-6"),
                Column("contact_kind", css_class="col-md-6"),
            ),
            *(["persons_present"] if "persons_present" in self.fields else []),
            "others_present",
        ]


class NoteForm(NoteContactForm):
    text = forms.CharField(label="Vermerk", widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(
        label="Nur für den ASD (Träger sehen diesen Vermerk nicht)", required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            *self.contact_layout(), "text", "internal", submit="Vermerk speichern"
        )


class ProviderNoteForm(NoteContactForm):
    kind = forms.ChoiceField(
        label="Art",
        choices=[("progress", "Verlaufsnotiz"), ("report", "Bericht")],
        widget=forms.RadioSelect,
        initial="progress",
    )
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("kind", *self.contact_layout(), "text", submit="Speichern")


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Colleagues by their names (a username only where no name is set)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ConsultationForm(forms.Form):
    held_on = date_field("Beratung am")
    participants = StaffMultipleChoiceField(
        label="Teilnehmende", queryset=User.objects.none(), widget=CheckboxList
    )
    question = forms.CharField(label="Fragestellung", widget=forms.Textarea(attrs={"rows": 2}))
    ideas = forms.CharField(label="Ideen und Hypothesen", widget=forms.Textarea(attrs={"rows": 4}))
    next_step = forms.CharField(
        label="Vereinbarter nächster Schritt", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["participants"]).queryset = asd_staff_of_region(
            case.region_id
        )
        self.fields["held_on"].initial = timezone.localdate()
        self.helper = form_helper(
            "held_on", "participants", "question", "ideas", "next_step", submit="Beratung speichern"
        )


class AuditFilterForm(forms.Form):
    user = forms.CharField(label="Benutzername", required=False, max_length=150)
    case_number = forms.CharField(label="Fallnummer", required=False, max_length=20)
    action = forms.ChoiceField(label="Aktion", required=False)
    since = date_field("von", required=False)
    until = date_field("bis", required=False)

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", "alle"), *actions]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("user", css_class="col-md-3"),
                Column("case_number", css_class="col-md-3"),
                Column("action", css_class="col-md-2"),
                Column("since", css_class="col-md-2"),
                Column("until", css_class="col-md-2"),
            ),
            Submit("filtern", "Filtern"),
        )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "Das Ende liegt vor dem Anfang.")
        return data


class NearbyOfferFilterForm(forms.Form):
    """Narrows "Angebote in der Nähe" of a case; the place and the ages come from the case."""

    text = forms.CharField(
        label="Suchbegriff",
        max_length=100,
        required=False,
        help_text="Sucht in Titel und Beschreibung, z. B. „Eltern“ oder „Hausaufgaben“.",
    )
    target_group = forms.ChoiceField(
        label="Zielgruppe", choices=[("", "alle"), *TargetGroup.choices], required=False
    )
    language = forms.CharField(label="Sprache", max_length=40, required=False)
    free_only = forms.BooleanField(label="nur kostenfreie Angebote", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(
                Column("text", css_class="col-md-4"),
                Column("target_group", css_class="col-md-3"),
                Column("language", css_class="col-md-3"),
                Column("free_only", css_class="col-md-2 pt-md-4"),
            ),
            submit="Angebote filtern",
        )
        self.helper.form_method = "get"
        self.helper.disable_csrf = True


class CaseReopenForm(forms.Form):
    """Reopening a closed case: always with a reason (it stays in the status history)."""

    reason = forms.CharField(
        label="Begründung",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Warum wird der beendete Fall wieder geöffnet? Die Begründung steht im Verlauf.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason", submit="Fall wieder öffnen")
