"""The items of the § 8a survey on one assessment: asked after the result, with defaults from
what the case already holds, written in one step together with the child's person items.

One `RiskAssessment` is one child (a concern about several children makes one assessment each,
see `cases.protection`), so every item of the questionnaire is per assessment: the situation at
the moment of the assessment (family, where the child lived, help received), the kind of
endangerment and the consequence. The child's sex and origin belong to the person and are
written there.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cases.audit import audit_record
from cases.kjh_items import FamilySituation, ResidenceBefore, Sex, YesNoUnknown
from cases.kjh_protection_items import CONSEQUENCES, ENDANGERMENT_KINDS, PriorHelp
from cases.models import RISK_LEVELS_ACKNOWLEDGED, AuditAction, Help, RiskAssessment
from sozialraum.models import User

Errors = dict[str, list[str]]

NO_KIND = (
    "Bei einer akuten oder latenten Kindeswohlgefährdung wählen Sie bitte mindestens eine Art "
    "der Gefährdung."
)


@dataclass(frozen=True)
class RiskItems:
    family_situation: str = ""
    usual_residence: str = ""
    prior_help: str = ""
    endangerment: Collection[str] = ()  # field names of ENDANGERMENT_KINDS
    consequences: Collection[str] = ()  # field names of CONSEQUENCES
    sex: str = ""
    parent_foreign_origin: str = ""
    german_at_home: str = ""


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def risk_items_errors(*, level: str, items: RiskItems) -> Errors:
    """Codes outside the lists; a kind of endangerment exactly for an acute or latent result;
    "keine weitere Maßnahme" not together with a measure."""
    errors: Errors = {}
    for name, values in (
        ("family_situation", FamilySituation.values),
        ("usual_residence", ResidenceBefore.values),
        ("prior_help", PriorHelp.values),
        ("sex", Sex.values),
        ("parent_foreign_origin", YesNoUnknown.values),
        ("german_at_home", YesNoUnknown.values),
    ):
        value = getattr(items, name)
        if value and value not in values:
            _add(errors, name, "Bitte wählen Sie einen Wert aus der Liste.")
    if any(kind not in ENDANGERMENT_KINDS for kind in items.endangerment):
        _add(errors, "endangerment", "Bitte wählen Sie die Art der Gefährdung aus der Liste.")
    elif level in RISK_LEVELS_ACKNOWLEDGED and not items.endangerment:
        _add(errors, "endangerment", NO_KIND)
    elif level and level not in RISK_LEVELS_ACKNOWLEDGED and items.endangerment:
        _add(
            errors,
            "endangerment",
            "Eine Art der Gefährdung gibt es nur bei akuter oder latenter Kindeswohlgefährdung.",
        )
    if any(name not in CONSEQUENCES for name in items.consequences):
        _add(errors, "consequences", "Bitte wählen Sie die Konsequenz aus der Liste.")
    elif "consequence_none" in items.consequences and len(items.consequences) > 1:
        _add(
            errors,
            "consequences",
            "„keine weitere Maßnahme“ passt nicht zu einer gewählten Maßnahme.",
        )
    return errors


def prior_help_default(assessment: RiskAssessment) -> str:
    """A help of the case running when the concern became known: "Hilfe zur Erziehung …";
    otherwise nothing (the caseworker knows of a Kita place or other services, we do not)."""
    day = assessment.known_on or datetime.date.today()
    running = Help.objects.filter(case_id=assessment.case_id, starts_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    return PriorHelp.EDUCATIONAL.value if running.exists() else ""


def risk_items_initial(assessment: RiskAssessment) -> dict:
    """The form's starting values: what is recorded, else the defaults from the case."""
    child = assessment.child
    return {
        "family_situation": assessment.family_situation,
        "usual_residence": assessment.usual_residence,
        "prior_help": assessment.prior_help or prior_help_default(assessment),
        "endangerment": [name for name in ENDANGERMENT_KINDS if getattr(assessment, name)],
        "consequences": [name for name in CONSEQUENCES if getattr(assessment, name)],
        "sex": child.sex if child else "",
        "parent_foreign_origin": child.parent_foreign_origin if child else "",
        "german_at_home": child.german_at_home if child else "",
    }


@transaction.atomic
def risk_items_update(
    *, user: User, assessment: RiskAssessment, items: RiskItems
) -> RiskAssessment:
    """Write the survey items of one assessment, and the child's person items with them."""
    assessment = (
        RiskAssessment.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=assessment.pk)
    )
    errors = risk_items_errors(level=assessment.level, items=items)
    if errors:
        raise ValidationError(errors)
    assessment.family_situation = items.family_situation
    assessment.usual_residence = items.usual_residence
    assessment.prior_help = items.prior_help
    for name in ENDANGERMENT_KINDS:
        setattr(assessment, name, name in items.endangerment)
    for name in CONSEQUENCES:
        setattr(assessment, name, name in items.consequences)
    assessment.full_clean()
    assessment.save()
    child = assessment.child
    if child is not None:
        child.sex = items.sex
        child.parent_foreign_origin = items.parent_foreign_origin
        child.german_at_home = items.german_at_home
        child.save(update_fields=["sex", "parent_foreign_origin", "german_at_home"])
    audit_record(
        user=user, action=AuditAction.CHANGE, obj=assessment, detail="Angaben für die Statistik"
    )
    return assessment
