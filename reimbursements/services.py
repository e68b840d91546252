"""Writes of cost reimbursement (§§ 89 ff. SGB VIII): claims to other offices and their payments,
other offices' claims on us and their decision.

Who: the planners (in place of the economic-help role, as in `billing`) and the ASD team leads of
the help's region manage claims; the other office's claim on us is decided by the team lead of
the case's region, the same decision as billing's check of a Leistungsnachweis
(`billing.selectors.checker_region_id`).

Money: a claim's amount is what the ledger paid for the help in the period
(`reimbursements.selectors.help_paid_in_period`), frozen when the claim is made. Each payment of
the other office is booked as ledger income (`budgets.income.income_book`) in the region's
budget of the year it came in, against the help's commitment of that budget where there is one.
An approved claim on us binds the amount in the region's budget and becomes a
`billing.PaymentOrder` to the office's IBAN, booked as a payment like every payment order.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from billing.payment_orders import Payee, payment_order_book
from billing.selectors import checker_region_id
from budgets.income import income_book, income_reverse
from budgets.models import Budget, Commitment, CostBasis, IncomeSource, LedgerEntry
from budgets.services import commitment_book
from cases.models import Case, CaseKind, Help
from reimbursements.models import (
    LIVE_STATUSES,
    RECEIVING_STATUSES,
    ClaimReceipt,
    ClaimStatus,
    LegalBasis,
    ReceivedClaim,
    ReceivedStatus,
    ReimbursementClaim,
    YouthOffice,
)
from reimbursements.selectors import (
    claim_received_total,
    help_paid_in_period,
    help_period_end,
    may_maintain_offices,
    may_manage_claims,
    may_manage_help,
)
from sozialraum import banking
from sozialraum.models import User
from sozialraum.money import money_format, money_round
from sozialraum.plausibility import Checks

DATE = "%d.%m.%Y"


def _require_manager(user: User) -> None:
    if not may_manage_claims(user):
        raise PermissionDenied(
            "Kostenerstattung bearbeiten die Jugendhilfeplanung und die Teamleitung der Region."
        )


# Other youth offices ---------------------------------------------------------------------------


@transaction.atomic
def office_save(*, user: User, office: YouthOffice) -> YouthOffice:
    """Create or change another office's master data; the IBAN is checked like a provider's."""
    if not may_maintain_offices(user):
        raise PermissionDenied("Jugendämter pflegen die Jugendhilfeplanung und die Administration.")
    office.full_clean()
    office.save()
    return office


# Our claims to other offices -------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    user: User,
    help_: Help,
    office: YouthOffice,
    legal_basis: str,
    period_start: datetime.date,
    period_end: datetime.date,
    their_reference: str = "",
) -> ReimbursementClaim:
    """Make a claim (draft) for the help and period; its amount is what the ledger paid.

    Refused with German messages when the period lies outside the help, nothing was paid in it,
    or a live claim for the same help already covers part of it. The help row is locked while
    the overlap is checked, so two people claiming the same help at once make one claim.
    """
    if not may_manage_help(user, help_):
        raise PermissionDenied(
            "Kostenerstattung für diese Hilfe fordern die Jugendhilfeplanung und die Teamleitung "
            "der Region an."
        )
    checks = Checks()
    if legal_basis not in LegalBasis.values:
        checks.refuse("legal_basis", "Bitte wählen Sie die Rechtsgrundlage.")
    if not office.is_active:
        checks.refuse("office", "Dieses Jugendamt ist nicht mehr aktiv.")
    if period_end < period_start:
        checks.refuse("period_end", "Das Ende des Zeitraums liegt vor dem Beginn.")
    help_end = help_period_end(help_)
    if period_start < help_.starts_on or period_end > help_end:
        checks.refuse(
            "period_start",
            f"Der Zeitraum muss innerhalb der Hilfe liegen ({help_.starts_on:{DATE}} bis "
            f"{help_end:{DATE}}).",
        )
    checks.raise_if_any()
    # Serialises claims for one help: the second waits here and then sees the first's claim.
    Help.objects.select_for_update().filter(pk=help_.pk).first()
    overlapping = (
        ReimbursementClaim.objects.filter(
            help=help_,
            status__in=LIVE_STATUSES,
            period_start__lte=period_end,
            period_end__gte=period_start,
        )
        .order_by("period_start")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "period_start": (
                    f"Für diese Hilfe gibt es schon den Anspruch {overlapping.number} für "
                    f"{overlapping.period_start:{DATE}} bis {overlapping.period_end:{DATE}}; "
                    "ein Zeitraum wird nur einmal gefordert."
                )
            }
        )
    amount = help_paid_in_period(help_=help_, start=period_start, end=period_end)
    if amount <= 0:
        raise ValidationError(
            {
                "period_start": (
                    "Für diese Hilfe ist in diesem Zeitraum nichts gezahlt worden: es gibt "
                    "nichts zu fordern."
                )
            }
        )
    claim = ReimbursementClaim(
        help=help_,
        office=office,
        legal_basis=legal_basis,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        their_reference=their_reference.strip(),
        created_by=user,
    )
    claim.full_clean()
    claim.save()
    return claim


def _claim_locked(claim: ReimbursementClaim) -> ReimbursementClaim:
    locked = (
        ReimbursementClaim.objects.select_for_update(of=("self",))
        .select_related("help__case", "office")
        .filter(pk=claim.pk)
        .first()
    )
    if locked is None:
        raise Http404("Anspruch nicht gefunden.")
    return locked


def _move(claim: ReimbursementClaim, allowed: tuple[str, ...], to: str) -> None:
    if claim.status not in allowed:
        raise ValidationError(
            f"Der Anspruch steht auf „{claim.get_status_display()}“; "
            f"„{ClaimStatus(to).label}“ ist daraus nicht möglich."
        )
    claim.status = to


@transaction.atomic
def claim_send(
    *, user: User, claim: ReimbursementClaim, sent_on: datetime.date
) -> ReimbursementClaim:
    """The claim letter went out: draft → sent."""
    _require_manager(user)
    claim = _claim_locked(claim)
    checks = Checks()
    checks.not_in_future("sent_on", sent_on, what="Der Versand")
    if sent_on < claim.created_at.date():
        checks.refuse("sent_on", "Der Versand liegt vor dem Anlegen des Anspruchs.")
    checks.raise_if_any()
    _move(claim, (ClaimStatus.DRAFT,), ClaimStatus.SENT)
    claim.sent_on = sent_on
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_acknowledge(
    *,
    user: User,
    claim: ReimbursementClaim,
    acknowledged_on: datetime.date,
    their_reference: str = "",
) -> ReimbursementClaim:
    """The other office accepts the claim (also after a dispute)."""
    _require_manager(user)
    claim = _claim_locked(claim)
    checks = Checks()
    checks.not_in_future("acknowledged_on", acknowledged_on, what="Die Anerkennung")
    checks.raise_if_any()
    _move(claim, (ClaimStatus.SENT, ClaimStatus.DISPUTED), ClaimStatus.ACKNOWLEDGED)
    received = claim_received_total(claim)
    if received > 0:
        claim.status = ClaimStatus.PAID if received >= claim.amount else ClaimStatus.PART_PAID
    claim.acknowledged_on = acknowledged_on
    if their_reference.strip():
        claim.their_reference = their_reference.strip()
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_dispute(*, user: User, claim: ReimbursementClaim, reason: str) -> ReimbursementClaim:
    """The other office objects (to the whole claim or the rest of it)."""
    _require_manager(user)
    claim = _claim_locked(claim)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Bitte halten Sie den Einwand des Jugendamts fest."})
    _move(
        claim,
        (ClaimStatus.SENT, ClaimStatus.ACKNOWLEDGED, ClaimStatus.PART_PAID),
        ClaimStatus.DISPUTED,
    )
    claim.dispute_reason = reason
    claim.full_clean()
    claim.save()
    return claim


def _help_commitment(help_: Help, budget: Budget) -> Commitment | None:
    """The help's commitment in the budget (the newest), where the income is booked against."""
    return (
        Commitment.objects.filter(budget=budget, assignment__help_id=help_.pk, is_cancelled=False)
        .order_by("-starts_on", "-pk")
        .first()
    )


def region_budget(region_id: int, year: int) -> Budget:
    budget = (
        Budget.objects.select_related("fiscal_year", "region")
        .filter(fiscal_year__year=year, region_id=region_id)
        .first()
    )
    if budget is None:
        raise ValidationError(
            f"Für {year} gibt es noch kein Budget der Region: die Jugendhilfeplanung legt das "
            "Haushaltsjahr an."
        )
    return budget


@transaction.atomic
def claim_receipt_book(
    *, user: User, claim: ReimbursementClaim, amount: Decimal, received_on: datetime.date
) -> ClaimReceipt:
    """Record a payment of the other office and book it as income in the ledger.

    A payment below the open amount is kept as a part payment (status „teilweise gezahlt“, or
    still „strittig“ while the dispute lasts); one above the open amount is refused with the
    open amount named, so that nothing is booked twice. The claim row is locked.
    """
    _require_manager(user)
    claim = _claim_locked(claim)
    amount = money_round(amount)
    checks = Checks()
    if claim.status not in RECEIVING_STATUSES:
        checks.refuse(
            None,
            f"Der Anspruch steht auf „{claim.get_status_display()}“: dafür wird keine Zahlung "
            "erfasst.",
        )
    if amount <= 0:
        checks.refuse("amount", "Der Betrag muss größer als null sein.")
    open_amount = claim.amount - claim_received_total(claim)
    if amount > open_amount:
        checks.refuse(
            "amount",
            f"Die Zahlung über {money_format(amount)} ist höher als der noch offene Betrag des "
            f"Anspruchs ({money_format(open_amount)}). Erfassen Sie den offenen Betrag und klären "
            "Sie die Überzahlung mit dem Jugendamt.",
        )
    checks.not_in_future("received_on", received_on, what="Ein Zahlungseingang")
    if claim.sent_on is not None and received_on < claim.sent_on:
        checks.refuse("received_on", "Der Eingang liegt vor dem Versand des Anspruchs.")
    checks.raise_if_any()
    budget = region_budget(claim.help.case.region_id, received_on.year)
    entry = income_book(
        budget=budget,
        amount=amount,
        booked_on=received_on,
        user=user,
        # Our number and the office, never a name: planners read the ledger.
        text=f"Kostenerstattung {claim.number} ({claim.office.name})",
        commitment=_help_commitment(claim.help, budget),
        # Teil IV of the statistics reports it under "Einnahmen Kostenerstattungen".
        source=IncomeSource.REIMBURSEMENT,
    )
    receipt = ClaimReceipt(
        claim=claim, amount=amount, received_on=received_on, entry=entry, created_by=user
    )
    receipt.full_clean()
    receipt.save()
    if claim.status != ClaimStatus.DISPUTED:
        claim.status = ClaimStatus.PAID if amount >= open_amount else ClaimStatus.PART_PAID
        claim.save(update_fields=["status"])
    return receipt


@transaction.atomic
def claim_settle(
    *, user: User, claim: ReimbursementClaim, settled_on: datetime.date, note: str
) -> ReimbursementClaim:
    """Close the claim with the result of the clarification. What is still open is not booked
    (income is booked when money comes in); the note says why the rest is not paid."""
    _require_manager(user)
    claim = _claim_locked(claim)
    note = note.strip()
    checks = Checks()
    if not note:
        checks.refuse("note", "Bitte halten Sie das Ergebnis der Klärung fest.")
    checks.not_in_future("settled_on", settled_on, what="Der Abschluss")
    checks.raise_if_any()
    _move(
        claim,
        (ClaimStatus.ACKNOWLEDGED, ClaimStatus.PART_PAID, ClaimStatus.PAID, ClaimStatus.DISPUTED),
        ClaimStatus.SETTLED,
    )
    claim.settled_on = settled_on
    claim.settlement_note = note
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_withdraw(*, user: User, claim: ReimbursementClaim, reason: str) -> ReimbursementClaim:
    """Withdraw a claim nothing was paid on (e.g. made in error); its period is free again."""
    _require_manager(user)
    claim = _claim_locked(claim)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Bitte nennen Sie den Grund der Rücknahme."})
    if claim_received_total(claim) > 0:
        raise ValidationError(
            "Auf diesen Anspruch ist schon gezahlt worden; schließen Sie ihn mit dem Ergebnis "
            "der Klärung ab."
        )
    _move(
        claim,
        (ClaimStatus.DRAFT, ClaimStatus.SENT, ClaimStatus.ACKNOWLEDGED, ClaimStatus.DISPUTED),
        ClaimStatus.WITHDRAWN,
    )
    claim.settlement_note = reason
    claim.full_clean()
    claim.save()
    return claim


# Other offices' claims on us -------------------------------------------------------------------


def received_claim_record(
    *,
    user: User,
    office: YouthOffice,
    case: Case,
    legal_basis: str,
    their_reference: str,
    period_start: datetime.date,
    period_end: datetime.date,
    claimed_amount: Decimal,
    received_on: datetime.date,
) -> ReceivedClaim:
    """Record another office's claim on one of our cases; it waits for the team lead's check.
    The same office's claim (reference and period) is recorded once (a constraint)."""
    _require_manager(user)
    checks = Checks()
    if period_end < period_start:
        checks.refuse("period_end", "Das Ende des Zeitraums liegt vor dem Beginn.")
    checks.not_in_future("received_on", received_on, what="Der Eingang")
    claimed_amount = money_round(claimed_amount)
    if claimed_amount <= 0:
        checks.refuse("claimed_amount", "Der Betrag muss größer als null sein.")
    checks.raise_if_any()
    claim = ReceivedClaim(
        office=office,
        case=case,
        legal_basis=legal_basis,
        their_reference=their_reference.strip(),
        period_start=period_start,
        period_end=period_end,
        claimed_amount=claimed_amount,
        received_on=received_on,
        recorded_by=user,
    )
    claim.full_clean()
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as error:
        raise ValidationError(
            "Diese Forderung (Aktenzeichen und Zeitraum) ist gerade schon erfasst worden."
        ) from error
    return claim


def _received_locked(claim_id: int, user: User) -> ReceivedClaim:
    region_id = checker_region_id(user)
    if region_id is None:
        raise PermissionDenied(
            "Erstattungsforderungen anderer Jugendämter prüft die Teamleitung der Region."
        )
    claim = (
        ReceivedClaim.objects.select_for_update(of=("self",))
        .select_related("case", "office")
        .filter(pk=claim_id, case__region_id=region_id)
        .first()
    )
    if claim is None:
        raise Http404("Forderung nicht gefunden.")
    if claim.status != ReceivedStatus.RECEIVED:
        raise ValidationError(
            f"Diese Forderung ist schon entschieden ({claim.get_status_display()})."
        )
    return claim


@transaction.atomic
def received_claim_approve(
    *, user: User, claim_id: int, amount: Decimal | None = None, reason: str = ""
) -> ReceivedClaim:
    """Accept the claim (or a lower amount, with a reason): bind it in the region's budget of
    this year and order its payment to the office's IBAN (`billing.payment_order_book`). The
    claim row is locked and its order is unique, so two approvals make one payment."""
    claim = _received_locked(claim_id, user)
    reason = reason.strip()
    final = money_round(amount) if amount is not None else claim.claimed_amount
    checks = Checks()
    if final <= 0:
        checks.refuse("amount", "Der anerkannte Betrag muss größer als null sein.")
    if final > claim.claimed_amount:
        checks.refuse("amount", "Anerkannt wird höchstens der geforderte Betrag.")
    if final != claim.claimed_amount and not reason:
        checks.refuse(
            "reason",
            f"Sie erkennen {money_format(final)} statt {money_format(claim.claimed_amount)} an: "
            "bitte begründen Sie die Kürzung.",
        )
    office = claim.office
    try:
        banking.iban_validate(office.iban)
    except ValidationError:
        checks.refuse(
            None,
            f"Für {office.name} ist keine gültige IBAN hinterlegt: die Jugendhilfeplanung "
            "ergänzt sie in den Stammdaten des Jugendamts, dann kann angeordnet werden.",
        )
    checks.raise_if_any()
    today = timezone.localdate()
    budget = region_budget(claim.case.region_id, today.year)
    basis = LegalBasis(claim.legal_basis).label
    commitment = commitment_book(
        budget=budget,
        kind=CaseKind.INDIVIDUAL,
        # The case number and the office, never a name.
        title=f"Kostenerstattung an {office.name} · {claim.case.number}",
        by=user,
        starts_on=today,
        basis=CostBasis.AMOUNT,
        amount=final,
        # A legal duty to reimburse: the team lead's approval may exceed the free budget.
        override_reason=f"Erstattungspflicht nach {basis}",
    )
    order = payment_order_book(
        commitment=commitment,
        amount=final,
        period_start=claim.period_start,
        period_end=claim.period_end,
        purpose=f"Kostenerstattung Az. {claim.their_reference}",
        approved_by=user,
        payee=Payee(
            name=office.name,
            iban=banking.iban_normalise(office.iban),
            bic=office.bic,
            creditor_number=office.creditor_number,
        ),
    )
    updated = ReceivedClaim.objects.filter(
        pk=claim.pk, status=ReceivedStatus.RECEIVED, payment_order__isnull=True
    ).update(
        status=ReceivedStatus.APPROVED,
        approved_amount=final,
        decision_reason=reason if final != claim.claimed_amount else "",
        payment_order=order,
        checked_by=user,
        checked_at=timezone.now(),
    )
    if updated != 1:
        raise ValidationError("Diese Forderung ist gerade entschieden worden.")
    claim.refresh_from_db()
    return claim


@transaction.atomic
def received_claim_reject(*, user: User, claim_id: int, reason: str) -> ReceivedClaim:
    """Refuse the claim with a reason (e.g. we are not the responsible office)."""
    claim = _received_locked(claim_id, user)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Bitte begründen Sie die Ablehnung."})
    claim.status = ReceivedStatus.REJECTED
    claim.decision_reason = reason
    claim.checked_by = user
    claim.checked_at = timezone.now()
    claim.full_clean()
    claim.save()
    return claim


def outstanding(claim: ReimbursementClaim) -> Decimal:
    return claim.amount - claim_received_total(claim)


def reimbursements_erase_for_cases(*, case_ids: list[int], placeholder: str) -> None:
    """Anonymising a case: the free texts of its claims (objections, results, reasons) may name
    people and become the placeholder; amounts, periods, offices and statuses stay for the
    accounts. The ledger and its income entries are untouched (their texts carry no names)."""
    claims = ReimbursementClaim.objects.filter(help__case_id__in=case_ids)
    claims.exclude(dispute_reason="").update(dispute_reason=placeholder)
    claims.exclude(settlement_note="").update(settlement_note=placeholder)
    ReceivedClaim.objects.filter(case_id__in=case_ids).exclude(decision_reason="").update(
        decision_reason=placeholder
    )


@transaction.atomic
def claim_receipt_reverse(*, user: User, receipt: ClaimReceipt, reason: str) -> ClaimReceipt:
    """Reverse a wrongly recorded payment: the ledger's Storno of its income entry
    (`budgets.income.income_reverse`), with a reason; the receipt stays, marked by the Storno,
    and the claim's status follows what is still received."""
    _require_manager(user)
    claim = _claim_locked(receipt.claim)
    if claim.status in (ClaimStatus.SETTLED, ClaimStatus.WITHDRAWN):
        raise ValidationError(
            f"Der Anspruch ist {claim.get_status_display()}: seine Zahlungen bleiben, wie sie sind."
        )
    if LedgerEntry.objects.filter(reverses_id=receipt.entry_id).exists():
        raise ValidationError("Dieser Zahlungseingang ist schon storniert.")
    income_reverse(entry=receipt.entry, user=user, reason=reason)
    if claim.status != ClaimStatus.DISPUTED:
        received = claim_received_total(claim)
        if received >= claim.amount:
            claim.status = ClaimStatus.PAID
        elif received > 0:
            claim.status = ClaimStatus.PART_PAID
        else:
            claim.status = ClaimStatus.ACKNOWLEDGED if claim.acknowledged_on else ClaimStatus.SENT
        claim.save(update_fields=["status"])
    return receipt
