"""Decisions with reasons (issue 24): ending a help and changing a case's status (closing it)
say what will happen before it happens, in German, and keep their reason.

`*_consequences` read what the step would do — which commissions end, how much of each year's
binding is freed or cancelled — without changing anything; `help_end_decide` is the step itself
(`budgets.commissioning.help_end`) with its reason kept in the case's history.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from budgets import commissioning
from budgets.models import Commitment, CostBasis
from budgets.services import commitment_cost
from cases.corrections import decision_log
from cases.models import AssignmentStatus, Case, CaseStatus, Help
from cases.services_kjh import help_end_reason_error
from cases.workflow import refusal_message, transitions_for
from sozialraum.models import User
from sozialraum.money import money_format


def _commitment_consequence(commitment: Commitment, ended_on: datetime.date) -> str | None:
    year = commitment.budget.fiscal_year.year
    bound, paid = commitment.cached_bound, commitment.cached_paid
    if ended_on < commitment.starts_on and not paid:
        return f"Die Bewilligung {year} über {money_format(bound)} wird storniert."
    if commitment.basis == CostBasis.AMOUNT:
        needed = paid
    else:
        end = min(ended_on, commitment.ends_on or ended_on)
        needed, _ = commitment_cost(
            basis=commitment.basis,
            year=year,
            starts_on=commitment.starts_on,
            ends_on=max(end, commitment.starts_on),
            hours_per_week=commitment.hours_per_week,
            hourly_rate=commitment.hourly_rate,
            monthly_cost=commitment.monthly_cost,
            provider_id=commitment.provider_id,
        )
        needed = max(needed, paid)
    release = bound - needed
    if release <= 0:
        return None
    return (
        f"Die Bindung {year} von {money_format(bound)} wird um {money_format(release)} "
        f"verringert; {money_format(release)} werden im Budget der Region wieder frei."
    )


def help_end_consequences(*, help_: Help, ended_on: datetime.date) -> list[str]:
    """What ending the help on `ended_on` will do."""
    lines = [f"Die Hilfe „{help_.help_type}“ endet am {ended_on:%d.%m.%Y}."]
    running = help_.assignments.filter(status=AssignmentStatus.ACTIVE).select_related("provider")
    for assignment in running:
        lines.append(
            f"Die Falldurchführung durch {assignment.provider.short_name} endet mit ihr; "
            "der Träger kann danach nichts mehr eintragen."
        )
        commitments = (
            Commitment.objects.filter(
                assignment=assignment, ended_on__isnull=True, is_cancelled=False
            )
            .select_related("budget__fiscal_year")
            .order_by("starts_on")
        )
        for commitment in commitments:
            line = _commitment_consequence(commitment, ended_on)
            if line:
                lines.append(line)
    if help_.help_plan.reviews.still_open().exists():
        lines.append(
            "Offene Hilfeplangespräche dieser Hilfe werden abgesagt; sie bleiben im Verlauf der "
            "Hilfe sichtbar, ein Abschlussgespräch kann erfasst werden."
        )
    return lines


def case_transition_consequences(*, case: Case, to_status: str) -> list[str]:
    """What moving the case to `to_status` will do (closing it ends its helps); the workflow's
    German refusal when the step is not allowed."""
    if to_status not in transitions_for(case.kind).get(case.status, frozenset()):
        raise ValidationError(refusal_message(case.kind, case.status, to_status))
    lines = [
        f"Der Fall wechselt von „{case.get_status_display()}“ zu „{CaseStatus(to_status).label}“."
    ]
    ends_helps = to_status == CaseStatus.CLOSED or (
        case.status == CaseStatus.HELP_DECIDED
        and to_status in (CaseStatus.CLARIFICATION, CaseStatus.NO_HELP)
    )
    if ends_helps:
        today = timezone.localdate()
        for help_ in case.helps.filter(ended_on__isnull=True).select_related("help_type"):
            lines += help_end_consequences(help_=help_, ended_on=max(today, help_.starts_on))
    if to_status == CaseStatus.CLOSED:
        lines.append(
            "Danach lassen sich keine Hilfen mehr entscheiden und keine Träger beauftragen."
        )
    return lines


@transaction.atomic
def help_end_decide(
    *, user: User, help_: Help, ended_on: datetime.date, reason: str, end_reason: str = ""
) -> Help:
    """End a help with a reason: the step of `commissioning.help_end`, its reason kept in the
    case's history; `end_reason` is the KJH statistics' code of the reason (may come later)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Bitte begründen Sie, warum die Hilfe endet."})
    end_reason_error = help_end_reason_error(help_=help_, end_reason=end_reason)
    if end_reason_error:
        raise ValidationError({"end_reason": end_reason_error})
    help_ = commissioning.help_end(user=user, help_=help_, ended_on=ended_on)
    if end_reason:
        help_.end_reason = end_reason
        help_.save(update_fields=["end_reason"])
    decision_log(
        user=user,
        case=help_.case,
        text=f"Hilfe „{help_.help_type}“ beendet zum {ended_on:%d.%m.%Y}: {reason}",
    )
    return help_
