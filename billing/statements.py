"""Leistungsnachweise from the provider's side: price the lines of a month and submit them.

A provider's staff enter, for an assignment of their own provider and one month, what was
delivered: hours by day and kind (direct, with the family, travel where the agreement allows it),
days present or absent for a placement, a monthly flat rate or group sessions. Each line is priced
with the rate agreement valid on its day (`budgets.rates`), so a rate change inside a month splits
it. Every refusal names the line ("Zeile 3: …"); nothing is stored unless every line is right, and
the form keeps what was typed.
"""

import calendar
import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.models import (
    DAY_KINDS,
    HOUR_KINDS,
    LineKind,
    ServiceLine,
    ServiceStatement,
    StatementStatus,
)
from billing.storage import statement_storage
from budgets.models import Commitment, CostBasis, RateAgreement, ServiceUnit
from budgets.rates import rate_for_day, rate_schedule
from cases.models import Assignment
from documents.uploads import PDF, upload_check
from sozialraum.access import has_role
from sozialraum.models import Role, User
from sozialraum.money import money_round

MAX_HOURS_PER_DAY = Decimal(24)

UNIT_OF_KIND: dict[str, str] = {
    LineKind.FACE_TO_FACE: ServiceUnit.HOURLY,
    LineKind.WITH_FAMILY: ServiceUnit.HOURLY,
    LineKind.TRAVEL: ServiceUnit.HOURLY,
    LineKind.PRESENT: ServiceUnit.DAILY,
    LineKind.ABSENT: ServiceUnit.DAILY,
    LineKind.MONTH: ServiceUnit.MONTHLY,
    LineKind.GROUP_SESSION: ServiceUnit.GROUP_SESSION,
}


@dataclass(frozen=True)
class LineInput:
    """One line as typed or read from a file; `number` is what messages call it ("Zeile 3")."""

    number: int
    day: datetime.date
    kind: str
    quantity: Decimal


@dataclass(frozen=True)
class PricedLine:
    line: LineInput
    rate: Decimal
    amount: Decimal


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def assignment_term(assignment: Assignment) -> tuple[datetime.date, datetime.date]:
    """The days the assignment runs: its start to its end (or planned end)."""
    return assignment.starts_on, assignment.ended_on or assignment.ends_on


def statement_commitment(assignment: Assignment, month: datetime.date) -> Commitment | None:
    """The commitment that pays the month: the assignment's, in that year's budget."""
    return (
        Commitment.objects.filter(
            assignment=assignment, budget__fiscal_year__year=month.year, is_cancelled=False
        )
        .select_related("budget")
        .first()
    )


def _fallback_hourly_rate(assignment: Assignment, month: datetime.date) -> Decimal | None:
    """Without an hourly rate agreement, the rate the commitment was computed with."""
    commitment = statement_commitment(assignment, month)
    if commitment is not None and commitment.basis == CostBasis.HOURS:
        return commitment.hourly_rate
    return None


def _unit_label(unit: str) -> str:
    return ServiceUnit(unit).label


def lines_price(
    *, assignment: Assignment, month: datetime.date, lines: list[LineInput]
) -> tuple[list[PricedLine], dict[int, str]]:
    """Price each line with the agreement of its day; refusals keyed by line number.

    Refused: a day outside the month or outside the assignment's term, a quantity not above
    zero or above 24, more than 24 hours on one day, a day counted twice as present/absent, a
    kind of service the provider has no rate for on that day, travel the agreement does not pay.
    """
    month = month_start(month)
    last = month_end(month)
    term_first, term_last = assignment_term(assignment)
    schedules: dict[str, list[RateAgreement]] = {
        unit: rate_schedule(provider_id=assignment.provider_id, unit=unit, first=month, last=last)
        for unit in ServiceUnit.values
    }
    fallback = _fallback_hourly_rate(assignment, month)
    errors: dict[int, str] = {}
    priced: list[PricedLine] = []
    hours_per_day: dict[datetime.date, Decimal] = defaultdict(Decimal)
    days_counted: dict[datetime.date, int] = {}
    months_counted: int | None = None
    for line in lines:
        where = f"Zeile {line.number}"
        if line.kind not in UNIT_OF_KIND:
            errors[line.number] = f"{where}: unbekannte Art der Leistung."
            continue
        if not (month <= line.day <= last):
            errors[line.number] = (
                f"{where}: Der {line.day:%d.%m.%Y} liegt nicht im Monat {month:%m/%Y}."
            )
            continue
        if not (term_first <= line.day <= term_last):
            errors[line.number] = (
                f"{where}: Der {line.day:%d.%m.%Y} liegt außerhalb der Falldurchführung "
                f"({term_first:%d.%m.%Y} bis {term_last:%d.%m.%Y})."
            )
            continue
        if line.quantity <= 0:
            errors[line.number] = f"{where}: Die Menge muss größer als null sein."
            continue
        if line.quantity > MAX_HOURS_PER_DAY:
            errors[line.number] = f"{where}: Mehr als 24 Stunden an einem Tag sind nicht möglich."
            continue
        unit = UNIT_OF_KIND[line.kind]
        agreement = rate_for_day(schedules[unit], line.day)
        rate = agreement.rate if agreement is not None else None
        if rate is None and unit == ServiceUnit.HOURLY:
            rate = fallback
        if rate is None:
            errors[line.number] = (
                f"{where}: Mit dem Träger ist zum {line.day:%d.%m.%Y} kein Satz für "
                f"„{_unit_label(unit)}“ vereinbart."
            )
            continue
        if line.kind in HOUR_KINDS:
            if line.kind == LineKind.TRAVEL and not (agreement and agreement.travel_billable):
                errors[line.number] = (
                    f"{where}: Fahrzeit ist nach der Entgeltvereinbarung nicht abrechenbar."
                )
                continue
            hours_per_day[line.day] += line.quantity
            if hours_per_day[line.day] > MAX_HOURS_PER_DAY:
                errors[line.number] = (
                    f"{where}: Am {line.day:%d.%m.%Y} wären es zusammen mehr als 24 Stunden."
                )
                continue
            amount = line.quantity * rate
        elif line.kind in DAY_KINDS:
            if line.quantity != 1:
                errors[line.number] = f"{where}: Ein Anwesenheits- oder Abwesenheitstag zählt 1."
                continue
            if line.day in days_counted:
                errors[line.number] = (
                    f"{where}: Der {line.day:%d.%m.%Y} ist schon in Zeile "
                    f"{days_counted[line.day]} gezählt."
                )
                continue
            days_counted[line.day] = line.number
            share = Decimal(1)
            if line.kind == LineKind.ABSENT:
                share = (agreement.absence_percent if agreement else Decimal(0)) / 100
            amount = rate * share
        elif line.kind == LineKind.MONTH:
            if months_counted is not None:
                errors[line.number] = (
                    f"{where}: Die Monatspauschale ist schon in Zeile {months_counted} enthalten."
                )
                continue
            months_counted = line.number
            # Pro rata for the days of the month the assignment runs.
            covered = (min(last, term_last) - max(month, term_first)).days + 1
            amount = rate * Decimal(covered) / Decimal(last.day)
        else:  # group sessions: a count of sessions on the day
            amount = rate * line.quantity
        priced.append(PricedLine(line=line, rate=rate, amount=money_round(amount)))
    return priced, errors


def month_refusal(*, assignment: Assignment, month: datetime.date) -> str | None:
    """Why no statement can be submitted for the month, or None."""
    month = month_start(month)
    term_first, term_last = assignment_term(assignment)
    if month_end(month) < term_first or month > term_last:
        return (
            f"Der Monat {month:%m/%Y} liegt außerhalb der Falldurchführung "
            f"({term_first:%d.%m.%Y} bis {term_last:%d.%m.%Y})."
        )
    if month > month_start(timezone.localdate()):
        return f"Der Monat {month:%m/%Y} hat noch nicht begonnen."
    taken = ServiceStatement.objects.filter(assignment=assignment, month=month).exclude(
        status=StatementStatus.RETURNED
    )
    if taken.exists():
        return (
            f"Für {month:%m/%Y} ist schon ein Leistungsnachweis eingereicht. Eine Korrektur ist "
            "möglich, wenn die Prüfung ihn zurückgibt."
        )
    return None


def _document_store(document: UploadedFile) -> tuple[str, str]:
    checked = upload_check(
        uploaded=document, allowed=frozenset({PDF}), max_bytes=settings.DOCUMENTS_MAX_BYTES
    )
    name = statement_storage().save(f"nachweise/{uuid.uuid4().hex}.pdf", document)
    return name, checked.name


def statement_document_check(document: UploadedFile) -> None:
    """Refuse a file that is not a PDF by its content, too large, or badly named (German)."""
    upload_check(
        uploaded=document, allowed=frozenset({PDF}), max_bytes=settings.DOCUMENTS_MAX_BYTES
    )


@transaction.atomic
def statement_submit(
    *,
    user: User,
    assignment: Assignment,
    month: datetime.date,
    lines: list[LineInput],
    document: UploadedFile | None = None,
) -> ServiceStatement:
    """Submit a provider's Leistungsnachweis for one assignment and month.

    Only the staff of the assignment's provider submit; one statement per assignment and month
    (a returned one may be replaced; the database refuses a second at the same moment).
    Raises ValidationError with the refusals: `month`, `lines` (one message per bad line),
    `document`.
    """
    if not (has_role(user, Role.PROVIDER_STAFF) and user.provider_id == assignment.provider_id):
        raise ValidationError("Leistungsnachweise reicht nur der beauftragte Träger ein.")
    month = month_start(month)
    refusal = month_refusal(assignment=assignment, month=month)
    if refusal:
        raise ValidationError({"month": refusal})
    if not lines:
        raise ValidationError({"lines": "Bitte tragen Sie mindestens eine Zeile ein."})
    priced, errors = lines_price(assignment=assignment, month=month, lines=lines)
    if errors:
        raise ValidationError({"lines": [errors[number] for number in sorted(errors)]})
    stored, original = ("", "")
    if document is not None:
        try:
            stored, original = _document_store(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from None
    statement = ServiceStatement(
        assignment=assignment,
        month=month,
        claimed_amount=sum((p.amount for p in priced), Decimal("0.00")),
        document=stored,
        document_name=original,
        submitted_by=user,
    )
    try:
        with transaction.atomic():
            statement.save()
    except IntegrityError:
        if stored:
            statement_storage().delete(stored)
        raise ValidationError(
            {"month": f"Für {month:%m/%Y} ist gerade ein Leistungsnachweis eingereicht worden."}
        ) from None
    ServiceLine.objects.bulk_create(
        ServiceLine(
            statement=statement,
            day=p.line.day,
            kind=p.line.kind,
            quantity=p.line.quantity,
            rate=p.rate,
            amount=p.amount,
        )
        for p in priced
    )
    return statement
