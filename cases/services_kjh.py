"""Writes of the KJH statistics Teil I items of a help and its young person (cases.kjh_items).

The checks are one function (`help_statistics_errors`) that the forms and the services share, so
a wrong combination is refused with the same German sentence wherever it is typed.
"""

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction

from cases import kjh_items
from cases.audit import audit_record
from cases.models import AuditAction, Case, Help, HelpType, Person, PersonRole
from sozialraum.models import User

HELP_ITEM_FIELDS = (
    "residence_before",
    "family_situation",
    "transfer_payments",
    "suggested_by",
    "reason_main",
    "reason_second",
    "reason_third",
    "previous_help",
)
PERSON_ITEM_FIELDS = ("sex", "parent_foreign_origin", "german_at_home")

_CHOICES = {
    "residence_before": kjh_items.ResidenceBefore,
    "family_situation": kjh_items.FamilySituation,
    "transfer_payments": kjh_items.YesNoUnknown,
    "suggested_by": kjh_items.SuggestedBy,
    "reason_main": kjh_items.HelpReason,
    "reason_second": kjh_items.HelpReason,
    "reason_third": kjh_items.HelpReason,
    "previous_help": kjh_items.YesNoUnknown,
    "end_reason": kjh_items.HelpEndReason,
    "sex": kjh_items.Sex,
    "parent_foreign_origin": kjh_items.YesNoUnknown,
    "german_at_home": kjh_items.YesNoUnknown,
}


@dataclass(frozen=True)
class HelpItems:
    """The Teil I items asked with the help decision; "" = not yet known."""

    young_person: Person | None = None
    residence_before: str = ""
    family_situation: str = ""
    transfer_payments: str = ""
    suggested_by: str = ""
    reason_main: str = ""
    reason_second: str = ""
    reason_third: str = ""
    previous_help: str = ""


def code_error(field: str, value: str) -> str:
    """A code outside the questionnaire's list for this item; "" when it is in it (or empty)."""
    if value and value not in _CHOICES[field].values:
        return (
            "Diese Angabe steht nicht in der Liste der Statistik; bitte wählen Sie aus der Liste."
        )
    return ""


def help_statistics_errors(
    *,
    case: Case,
    help_type: HelpType | None,
    starts_on: datetime.date | None,
    items: HelpItems,
) -> dict[str, str]:
    """What is wrong with the Teil I items of a help, keyed by field; empty when nothing is."""
    errors: dict[str, str] = {}
    for item in fields(HelpItems):
        if item.name != "young_person":
            message = code_error(item.name, getattr(items, item.name))
            if message:
                errors[item.name] = message
    person = items.young_person
    if person is not None and (person.case_id != case.pk or person.role != PersonRole.CHILD):
        errors["young_person"] = "Bitte wählen Sie ein Kind oder eine Jugendliche dieses Falls."
    elif person is not None and help_type is not None and starts_on is not None:
        if person.birth_date and person.birth_date > starts_on:
            errors["young_person"] = "Der junge Mensch ist bei Beginn der Hilfe noch nicht geboren."
        else:
            message = kjh_items.help_kind_age_error(
                kind=kjh_items.help_kind_of(help_type.code),
                age=kjh_items.age_on(person.birth_date, starts_on),
            )
            if message:
                errors["help_type"] = message
    reasons = [items.reason_main, items.reason_second, items.reason_third]
    if items.reason_second and not items.reason_main:
        errors["reason_second"] = "Bitte geben Sie zuerst den Hauptgrund an."
    if items.reason_third and not items.reason_second:
        errors["reason_third"] = "Bitte geben Sie den dritten Grund erst nach dem zweiten an."
    if items.reason_second and items.reason_second == items.reason_main:
        errors["reason_second"] = "Der zweite Grund ist derselbe wie der Hauptgrund."
    if items.reason_third and items.reason_third in reasons[:2]:
        errors["reason_third"] = "Der dritte Grund wiederholt einen der anderen Gründe."
    return errors


def help_items_apply(help_: Help, items: HelpItems) -> None:
    """Set the items on an unsaved or saved help (the caller saves)."""
    help_.young_person = items.young_person
    for name in HELP_ITEM_FIELDS:
        setattr(help_, name, getattr(items, name))


def young_person_default(case: Case) -> Person | None:
    """The case's only child: the help is for them. With several children the caseworker says
    which one (a family help counts all of them anyway)."""
    children = list(case.persons.filter(role=PersonRole.CHILD)[:2])
    return children[0] if len(children) == 1 else None


@transaction.atomic
def help_statistics_update(
    *,
    user: User,
    help_: Help,
    items: HelpItems,
    person_items: dict[str, str],
    end_reason: str = "",
) -> Help:
    """Correct or complete the Teil I items of a help and of its young person (the fix page of
    the plausibility report). Every refusal comes at once; nothing is stored then."""
    errors = help_statistics_errors(
        case=help_.case, help_type=help_.help_type, starts_on=help_.starts_on, items=items
    )
    for name, value in person_items.items():
        if name not in PERSON_ITEM_FIELDS:
            raise ValueError(name)
        message = code_error(name, value)
        if message:
            errors[name] = message
    if end_reason:
        message = code_error("end_reason", end_reason)
        if message:
            errors["end_reason"] = message
        elif help_.ended_on is None:
            errors["end_reason"] = (
                "Einen Grund der Beendigung gibt es erst, wenn die Hilfe beendet ist."
            )
    if errors:
        raise ValidationError(errors)
    help_items_apply(help_, items)
    help_.end_reason = end_reason if help_.ended_on else ""
    help_.save(update_fields=[*HELP_ITEM_FIELDS, "young_person", "end_reason"])
    audit_record(user=user, action=AuditAction.CHANGE, obj=help_, detail="Statistikangaben")
    person = items.young_person
    if person is not None and person_items:
        for name, value in person_items.items():
            setattr(person, name, value)
        person.save(update_fields=list(person_items))
        audit_record(user=user, action=AuditAction.CHANGE, obj=person, detail="Statistikangaben")
    return help_


def help_end_reason_error(*, help_: Help, end_reason: str) -> str:
    return code_error("end_reason", end_reason)
