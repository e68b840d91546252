"""Corrections whose casework moves money: a help's scope, a commission's period, a withdrawn case.

Each is one transaction: the casework half through `cases.corrections` (right, validation,
history, audit), then the ledger — never an edited entry, but reversals and new bookings
(`budgets.services.commitment_correct`, `entry_reverse`) that sum to the corrected amount. If the
budget refuses, the casework correction is rolled back with it and the form shows why.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from budgets.assignments import assignment_commitments_correct
from budgets.models import (
    Commitment,
    EntryKind,
    Figure,
    LedgerEntry,
    ReserveTransferRequest,
    TransferStatus,
)
from budgets.services import entry_reverse
from cases import corrections as casework
from cases.models import Assignment, Case, Help
from corrections.models import Correction
from sozialraum.models import User
from sozialraum.money import money_format


@transaction.atomic
def help_correct(
    *,
    user: User,
    help_: Help,
    starts_on: datetime.date,
    planned_end_on: datetime.date,
    hours_per_week: Decimal | None,
    monthly_cost: Decimal | None,
    placement_location: str,
    rationale: str,
    reason: str,
    confirmed_warnings: bool = False,
) -> Correction:
    """Correct a decided help; the commitments of its commissions are re-booked at the
    corrected hours or monthly cost (reversal and new booking per year)."""
    correction = casework.help_correct_record(
        user=user,
        help_=help_,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        hours_per_week=hours_per_week,
        monthly_cost=monthly_cost,
        placement_location=placement_location,
        rationale=rationale,
        reason=reason,
        confirmed_warnings=confirmed_warnings,
    )
    if {"hours_per_week", "monthly_cost"} & set(correction.before):
        for assignment in Assignment.objects.filter(help_id=help_.pk).order_by("pk"):
            assignment_commitments_correct(
                assignment=assignment, user=user, reason=correction.reason
            )
    return correction


@transaction.atomic
def assignment_correct(
    *,
    user: User,
    assignment: Assignment,
    starts_on: datetime.date,
    ends_on: datetime.date,
    provider_contact: str,
    instructions: str,
    reason: str,
) -> Correction:
    """Correct a commission; a corrected period re-books its commitments for the new period."""
    correction = casework.assignment_correct_record(
        user=user,
        assignment=assignment,
        starts_on=starts_on,
        ends_on=ends_on,
        provider_contact=provider_contact,
        instructions=instructions,
        reason=reason,
    )
    if {"starts_on", "ends_on"} & set(correction.before):
        assignment_commitments_correct(assignment=assignment, user=user, reason=correction.reason)
    return correction


def _case_commitments(case: Case) -> list[Commitment]:
    return list(
        Commitment.objects.filter(assignment__case_id=case.pk, is_cancelled=False)
        .select_related("budget__fiscal_year")
        .order_by("pk")
    )


@dataclass(frozen=True)
class WithdrawalPreview:
    """What withdrawing a case will do, shown before it happens."""

    consequences: list[str]
    refusal: str = ""


def case_withdraw_preview(*, user: User, case: Case) -> WithdrawalPreview:
    """The consequences of withdrawing the case, in German, or why it cannot be withdrawn."""
    refusal = casework.withdraw_refusal(user, case) or ""
    commitments = _case_commitments(case)
    paid = sum((c.cached_paid for c in commitments), Decimal("0.00"))
    if paid:
        refusal = refusal or (
            f"Auf diesen Fall wurden bereits {money_format(paid)} gezahlt. Ein Fall mit "
            "Zahlungen wird nicht zurückgenommen, sondern beendet."
        )
    consequences = [
        "Der Fall verschwindet aus der Fallliste, den Startseiten und allen Zahlen. "
        "Im Zugriffsprotokoll und in der Verwaltung bleibt er erhalten, bis die "
        "Löschfristen ihn entfernen."
    ]
    bound = sum((c.cached_bound for c in commitments), Decimal("0.00"))
    if bound:
        consequences.append(
            f"Die Bindung von {money_format(bound)} wird aufgelöst (Storno der "
            f"{'Bewilligung' if len(commitments) == 1 else f'{len(commitments)} Bewilligungen'})."
        )
    return WithdrawalPreview(consequences=consequences, refusal=refusal)


@transaction.atomic
def case_withdraw(*, user: User, case: Case, reason: str) -> Correction:
    """Withdraw a case created by mistake (team lead, with a reason): what its commissions bind
    is reversed in the same step; a case with payments is refused (it is ended instead)."""
    preview = case_withdraw_preview(user=user, case=case)
    if preview.refusal and casework.withdraw_refusal(user, case) is None:
        raise ValidationError(preview.refusal)
    correction = casework.case_withdraw_record(user=user, case=case, reason=reason)
    for commitment in _case_commitments(case):
        entries = LedgerEntry.objects.filter(
            commitment=commitment,
            figure=Figure.COMMITTED,
            kind__in=(EntryKind.RELEASE, EntryKind.COMMITMENT),
            reversed_by__isnull=True,
        ).order_by("-pk")
        for entry in entries:  # the releases first: the Bewilligung's storno then frees it all
            entry_reverse(entry=entry, by=user, reason=f"Fall zurückgenommen: {correction.reason}")
    return correction


def reserve_decision_preview(
    *, request: ReserveTransferRequest, approve: bool, reserve_free: Decimal
) -> list[str]:
    """What a planner's decision on a request for reserve money will do, shown before it is
    saved (in German)."""
    region = request.budget.region.name if request.budget.region else ""
    amount = money_format(request.amount)
    revisited = request.status != TransferStatus.PENDING
    if approve:
        return [
            f"{amount} werden aus dem Vorwegabzug in das Budget der Region {region} umgebucht; "
            f"im Vorwegabzug bleiben {money_format(reserve_free - request.amount)} frei.",
            *(["Die frühere Ablehnung bleibt in der Geschichte des Antrags sichtbar."] * revisited),
        ]
    if request.status == TransferStatus.APPROVED:
        return [
            f"Die Umbuchung von {amount} an die Region {region} wird storniert: das Geld geht "
            "zurück in den Vorwegabzug.",
            "Die frühere Genehmigung bleibt in der Geschichte des Antrags sichtbar.",
        ]
    return [
        f"Der Antrag über {amount} wird abgelehnt; es wird nichts gebucht. Die Region sieht "
        "Ihre Begründung.",
        *(["Die frühere Entscheidung bleibt in der Geschichte des Antrags sichtbar."] * revisited),
    ]
