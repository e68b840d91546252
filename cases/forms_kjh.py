"""Form pieces for the KJH statistics Teil I items: the fields the help decision, the intake's
person rows and the help's statistics page share (cases.kjh_items, cases.services_kjh).

None of them is required: an item not yet known stays empty and shows in the plausibility report;
"unbekannt" is an answer of its own where the questionnaire allows it.
"""

from typing import Any, cast

from crispy_forms.layout import Column, Fieldset, Row, Submit
from django import forms

from cases import kjh_items
from cases.models import Case, Help, HelpType, Person, PersonRole
from cases.services_kjh import (
    HELP_ITEM_FIELDS,
    PERSON_ITEM_FIELDS,
    HelpItems,
    help_statistics_errors,
)
from sozialraum.form_helpers import form_helper
from sozialraum.forms import form_errors_add

LATER = "– später angeben –"


def _choice(label: str, choices: Any, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", LATER), *choices], required=False, help_text=help_text
    )


class YoungPersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        born = f", geb. {obj.birth_date:%m/%Y}" if obj.birth_date else ""
        return f"{obj.first_name} {obj.last_name}{born}"


def help_item_fields() -> dict[str, forms.Field]:
    return {
        "young_person": YoungPersonField(
            label="Junger Mensch, für den die Hilfe ist",
            queryset=Person.objects.none(),
            required=False,
            empty_label=LATER,
            help_text="Bei der Familienhilfe zählt die Statistik alle Kinder des Falls.",
        ),
        "residence_before": _choice(
            "Aufenthaltsort vor der Hilfe", kjh_items.ResidenceBefore.choices
        ),
        "family_situation": _choice(
            "Situation der Herkunftsfamilie", kjh_items.FamilySituation.choices
        ),
        "transfer_payments": _choice(
            "Lebt die Familie ganz oder teilweise von Transferleistungen?",
            kjh_items.YesNoUnknown.choices,
            help_text="Bürgergeld (SGB II), Grundsicherung oder Sozialhilfe (SGB XII), "
            "Kinderzuschlag",
        ),
        "suggested_by": _choice("Die Hilfe wurde angeregt von", kjh_items.SuggestedBy.choices),
        "reason_main": _choice("Hauptgrund der Hilfe", kjh_items.HelpReason.choices),
        "reason_second": _choice("zweiter Grund", kjh_items.HelpReason.choices),
        "reason_third": _choice("dritter Grund", kjh_items.HelpReason.choices),
        "previous_help": _choice(
            "Gab es vorher bereits eine Hilfe zur Erziehung?", kjh_items.YesNoUnknown.choices
        ),
    }


def person_item_fields() -> dict[str, forms.Field]:
    return {
        "sex": _choice("Geschlecht", kjh_items.Sex.choices),
        "parent_foreign_origin": _choice(
            "Ausländische Herkunft mindestens eines Elternteils", kjh_items.YesNoUnknown.choices
        ),
        "german_at_home": _choice(
            "In der Familie wird vorrangig Deutsch gesprochen", kjh_items.YesNoUnknown.choices
        ),
    }


def help_items_layout() -> Fieldset:
    return Fieldset(
        "Angaben für die Kinder- und Jugendhilfestatistik",
        Row(
            Column("young_person", css_class="col-md-6"),
            Column("residence_before", css_class="col-md-6"),
        ),
        Row(
            Column("family_situation", css_class="col-md-4"),
            Column("transfer_payments", css_class="col-md-4"),
            Column("previous_help", css_class="col-md-4"),
        ),
        "suggested_by",
        Row(
            Column("reason_main", css_class="col-md-4"),
            Column("reason_second", css_class="col-md-4"),
            Column("reason_third", css_class="col-md-4"),
        ),
    )


def help_items_setup(form: forms.Form, *, case: Case, help_: Help | None = None) -> None:
    """Add the items' fields to a form of this case; the young person is offered from the
    case's children (preselected when there is one)."""
    form.fields.update(help_item_fields())
    children = case.persons.filter(role=PersonRole.CHILD).order_by("birth_date", "id")
    field = cast(forms.ModelChoiceField, form.fields["young_person"])
    field.queryset = children
    if help_ is not None:
        for name in (*HELP_ITEM_FIELDS, "young_person"):
            form.fields[name].initial = getattr(help_, name)
    elif len(children) == 1:
        field.initial = children[0].pk


def help_items_clean(
    form: forms.Form, *, case: Case, help_type: HelpType | None, starts_on: Any
) -> HelpItems:
    """The items as typed, checked with the service's rules; problems go on their fields."""
    data = form.cleaned_data
    items = HelpItems(
        young_person=data.get("young_person"),
        **{name: data.get(name) or "" for name in HELP_ITEM_FIELDS},
    )
    errors = help_statistics_errors(
        case=case, help_type=help_type, starts_on=starts_on, items=items
    )
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
    return items


class HelpStatisticsForm(forms.Form):
    """The help's statistics page: complete or correct its Teil I items and those of its young
    person, e.g. from a line of the plausibility report."""

    def __init__(self, *args: Any, help_: Help, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = help_
        help_items_setup(self, case=help_.case, help_=help_)
        self.fields.update(person_item_fields())
        person = help_.young_person
        for name in PERSON_ITEM_FIELDS:
            self.fields[name].initial = getattr(person, name) if person else ""
            self.fields[name].help_text = "Angabe zum oben gewählten jungen Menschen."
        parts: list[Any] = [
            help_items_layout(),
            Fieldset(
                "Zum jungen Menschen",
                Row(*(Column(name, css_class="col-md-4") for name in PERSON_ITEM_FIELDS)),
            ),
        ]
        if help_.ended_on:
            self.fields["end_reason"] = _choice(
                "Grund der Beendigung", kjh_items.HelpEndReason.choices
            )
            self.fields["end_reason"].initial = help_.end_reason
            parts.append(Fieldset("Ende der Hilfe", "end_reason"))
        self.helper = form_helper(*parts, submit="Speichern")
        self.items = HelpItems()

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.items = help_items_clean(
            self, case=self.help.case, help_type=self.help.help_type, starts_on=self.help.starts_on
        )
        return self.cleaned_data

    def person_items(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in PERSON_ITEM_FIELDS}


__all__ = ["Submit", "form_errors_add"]
