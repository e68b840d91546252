"""The check of a Leistungsnachweis against what was commissioned, and its decision.

Who checks: the ASD team lead of the case's region (decision in docs/architecture.md and the
README): the team lead already decides over the region's budget, may exceed it with a reason and
is one of the roles that order payments (`billing.payment_orders`). An approval above
`settings.FOUR_EYES_THRESHOLD` euros needs a second team lead of the region (four eyes, also a
database constraint). The approval books the payment order in the same transaction
(`payment_order_book`); the statement row is locked, and its payment order is unique, so two
approvals at the same moment make one payment, never two.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from billing.models import HOUR_KINDS, ServiceStatement, StatementStatus
from billing.payment_orders import payment_order_book
from billing.selectors import OPEN, checker_region_id
from billing.statements import assignment_term, month_end, statement_commitment
from budgets.calculations import DAYS_PER_WEEK
from budgets.models import Commitment, RateAgreement
from sozialraum.models import User
from sozialraum.money import money_format, money_round


@dataclass(frozen=True)
class Finding:
    """One point of the check: what it compares, the figures, whether it holds."""

    label: str
    delivered: str
    allowed: str
    ok: bool


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    commitment: Commitment | None = None
    open_amount: Decimal = Decimal("0.00")
    needs_second: bool = False

    @property
    def differences(self) -> int:
        return sum(1 for finding in self.findings if not finding.ok)


def approved_hours(statement: ServiceStatement) -> Decimal | None:
    """The hours the help allows in the statement's month (hours a week × days in term / 7)."""
    first, last = assignment_term(statement.assignment)
    return hours_allowed(
        hours_per_week=statement.assignment.help.hours_per_week,
        month=statement.month,
        first=first,
        last=last,
    )


def hours_allowed(
    *,
    hours_per_week: Decimal | None,
    month: datetime.date,
    first: datetime.date,
    last: datetime.date,
) -> Decimal | None:
    """`approved_hours` from plain values (the queue's rows): None without approved hours."""
    if not hours_per_week:
        return None
    start = max(first, month)
    end = min(last, month_end(month))
    if end < start:
        return Decimal(0)
    return (hours_per_week * Decimal((end - start).days + 1) / DAYS_PER_WEEK).quantize(
        Decimal("0.01")
    )


def statement_check(statement: ServiceStatement) -> CheckResult:
    """Compare the statement with the commission: term, hours, rates, commitment."""
    result = CheckResult()
    lines = list(statement.lines.all())
    first, last = assignment_term(statement.assignment)
    outside = [line for line in lines if not (first <= line.day <= last)]
    result.findings.append(
        Finding(
            "Zeitraum innerhalb der Falldurchführung",
            f"{statement.month:%m/%Y}",
            f"{first:%d.%m.%Y} bis {last:%d.%m.%Y}",
            not outside,
        )
    )
    allowed = approved_hours(statement)
    if allowed is not None:
        delivered = sum((line.quantity for line in lines if line.kind in HOUR_KINDS), Decimal(0))
        result.findings.append(
            Finding(
                "Fachleistungsstunden im Monat",
                f"{delivered:.2f}".replace(".", ","),
                f"{allowed:.2f}".replace(".", ",") + " (bewilligte Stunden je Woche anteilig)",
                delivered <= allowed,
            )
        )
    agreed = {
        (a.unit, a.valid_from): a.rate
        for a in RateAgreement.objects.filter(provider_id=statement.assignment.provider_id)
    }
    rates_used = sorted({line.rate for line in lines})
    unknown = [rate for rate in rates_used if rate not in set(agreed.values())]
    commitment = statement_commitment(statement.assignment, statement.month)
    if commitment is not None and commitment.hourly_rate in unknown:
        unknown.remove(commitment.hourly_rate)
    result.findings.append(
        Finding(
            "Sätze aus der Entgeltvereinbarung",
            ", ".join(money_format(rate) for rate in rates_used),
            "vereinbart"
            if not unknown
            else "nicht vereinbart: " + ", ".join(money_format(rate) for rate in unknown),
            not unknown,
        )
    )
    result.commitment = commitment
    if commitment is not None:
        result.open_amount = commitment.cached_bound - commitment.cached_paid
    amount = statement.approved_amount or statement.claimed_amount
    result.findings.append(
        Finding(
            "Betrag innerhalb der Bewilligung",
            money_format(amount),
            money_format(result.open_amount) + " noch offen"
            if commitment
            else "keine Bewilligung für das Jahr",
            commitment is not None and amount <= result.open_amount,
        )
    )
    result.needs_second = amount > Decimal(settings.FOUR_EYES_THRESHOLD)
    return result


def _locked(statement_id: int, user: User) -> ServiceStatement:
    region_id = checker_region_id(user)
    if region_id is None:
        raise PermissionDenied("Leistungsnachweise prüft die Teamleitung der Region.")
    statement = (
        ServiceStatement.objects.select_for_update(of=("self",))
        .filter(pk=statement_id, assignment__case__region_id=region_id)
        .select_related("assignment__case", "assignment__help__help_type")
        .first()
    )
    if statement is None:
        raise Http404("Leistungsnachweis nicht gefunden.")
    if statement.status not in OPEN:
        raise ValidationError(
            f"Dieser Leistungsnachweis ist schon entschieden ({statement.get_status_display()})."
        )
    return statement


@transaction.atomic
def statement_approve(
    *, user: User, statement_id: int, amount: Decimal | None = None, reason: str = ""
) -> ServiceStatement:
    """Approve a statement (optionally a corrected amount, with a reason) and book its payment.

    Above the four-eyes threshold the first approval only records itself; the second, by
    another team lead of the region, books the payment of the amount the first approved.
    Refused (German ValidationError, nothing booked) when the commitment does not cover it.
    """
    statement = _locked(statement_id, user)
    reason = reason.strip()
    now = timezone.now()
    if statement.status == StatementStatus.FIRST_APPROVED:
        if statement.first_approved_by_id == user.pk:
            raise ValidationError(
                "Vier-Augen-Prinzip: Die zweite Freigabe gibt eine andere Person als die erste."
            )
        assert statement.approved_amount is not None  # set by the first approval
        final = statement.approved_amount
    else:
        final = money_round(amount) if amount is not None else statement.claimed_amount
        if final <= 0:
            raise ValidationError({"amount": "Der freigegebene Betrag muss größer als null sein."})
        if final != statement.claimed_amount and not reason:
            raise ValidationError(
                {
                    "reason": f"Sie geben {money_format(final)} statt "
                    f"{money_format(statement.claimed_amount)} frei: bitte begründen Sie die "
                    "Korrektur."
                }
            )
        if final > statement.claimed_amount:
            raise ValidationError({"amount": "Freigegeben wird höchstens der abgerechnete Betrag."})
        statement.approved_amount = final
        statement.correction_reason = reason if final != statement.claimed_amount else ""
        if final > Decimal(settings.FOUR_EYES_THRESHOLD):
            statement.status = StatementStatus.FIRST_APPROVED
            statement.first_approved_by = user
            statement.first_approved_at = now
            statement.save()
            return statement
    commitment = statement_commitment(statement.assignment, statement.month)
    if commitment is None:
        raise ValidationError(
            f"Für {statement.month.year} ist die Falldurchführung nicht bewilligt; ohne "
            "Bewilligung wird nichts ausgezahlt."
        )
    case = statement.assignment.case
    order = payment_order_book(
        commitment=commitment,
        amount=final,
        period_start=max(statement.month, statement.assignment.starts_on),
        period_end=min(month_end(statement.month), assignment_term(statement.assignment)[1]),
        # The case number, never a name (the ledger text is read by planners).
        purpose=f"Leistungsnachweis {statement.month:%m/%Y} · {case.number}",
        approved_by=user,
        statement=statement,
    )
    # Compare-and-set in the database: only a statement still open and without an order takes
    # this one. A second approval that got past the lock (or a path that forgot it) updates no
    # row and rolls its payment back with it.
    updated = ServiceStatement.objects.filter(
        pk=statement.pk, status__in=OPEN, payment_order__isnull=True
    ).update(
        payment_order=order,
        status=StatementStatus.APPROVED,
        approved_amount=final,
        correction_reason=statement.correction_reason,
        checked_by=user,
        checked_at=now,
    )
    if updated != 1:
        raise ValidationError("Dieser Leistungsnachweis ist gerade freigegeben worden.")
    statement.refresh_from_db()
    return statement


@transaction.atomic
def statement_return(*, user: User, statement_id: int, reason: str) -> ServiceStatement:
    """Return a statement to the provider with a reason; the provider may submit the month anew."""
    statement = _locked(statement_id, user)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Bitte nennen Sie den Grund der Rückgabe."})
    statement.status = StatementStatus.RETURNED
    statement.return_reason = reason
    statement.checked_by = user if statement.first_approved_by_id != user.pk else None
    statement.checked_at = timezone.now()
    statement.save()
    return statement
