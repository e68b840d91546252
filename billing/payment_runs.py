"""Payment runs (Zahlläufe): open payment orders handed to the town's cash office as one file.

A run freezes, per order, what the cash office's file says (creditor, IBAN, BIC, creditor
number, amount, purpose, cost centre, budget line) in a `PaymentRunLine`, so the file is built
from the run alone and comes out byte for byte the same whenever it is exported again, even after
the provider's bank details changed. The line's one-to-one link to its order is the database's
guarantee that an order goes into one run only; two runs made at the same moment cannot both
take an order (the second is refused and changes nothing).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from billing.models import PaymentOrder, PaymentRun, PaymentRunLine, order_number
from billing.payment_orders import may_order_payments
from billing.xlsx import xlsx_write
from budgets.exports import MONEY, TEXT, Table, table_csv
from cases.models import CaseKind
from sozialraum.banking import iban_normalise, iban_validate
from sozialraum.models import User

# Haushaltsstellen of the youth-welfare budget by kind of work; a town sets its own in
# `settings.BILLING_BUDGET_LINES` (same keys).
DEFAULT_BUDGET_LINES: dict[str, str] = {
    CaseKind.INDIVIDUAL: "3630.7690.01",
    CaseKind.CROSS_CASE: "3630.7690.02",
    CaseKind.CASE_INDEPENDENT: "3630.7690.03",
}
DATE_DE = "%d.%m.%Y"


def budget_line_for(kind: str) -> str:
    lines = getattr(settings, "BILLING_BUDGET_LINES", DEFAULT_BUDGET_LINES)
    return lines.get(kind, DEFAULT_BUDGET_LINES.get(kind, ""))


def cost_centre_for(order: PaymentOrder) -> str:
    """Region code, and the Sozialraum's code where the commitment names one."""
    commitment = order.commitment
    region = commitment.budget.region
    code = region.code if region is not None else "VWA"
    if commitment.sozialraum is not None:
        code = f"{code}-{commitment.sozialraum.code}"
    return code


def cash_office_purpose(order: PaymentOrder) -> str:
    """The purpose on the transfer: order number, commitment number and period — never a name
    (commitment titles and the internal purpose may name the case, so neither is used)."""
    return (
        f"{order.number} Bewilligung {order.commitment_id} Leistungszeitraum "
        f"{order.period_start:{DATE_DE}}-{order.period_end:{DATE_DE}}"
    )


def payment_orders_open() -> QuerySet[PaymentOrder]:
    """Orders not yet in a run whose payment has not been reversed."""
    return (
        PaymentOrder.objects.filter(run_line__isnull=True, payment__entry__reversed_by__isnull=True)
        .select_related(
            "commitment__provider", "commitment__sozialraum", "commitment__budget__region"
        )
        .order_by("pk")
    )


@dataclass
class RunResult:
    run: PaymentRun | None
    held_back: list[str] = field(default_factory=list)  # why some orders stay open


def payment_run_create(*, by: User) -> RunResult:
    """Put every open order whose provider has valid bank details into a new numbered run.

    Orders of providers without a valid IBAN stay open (named in `held_back`) and go into a later
    run once the master data are complete. Refused with a German message when nothing can go in,
    or when another run took the same orders at the same moment.
    """
    if not may_order_payments(by):
        raise ValidationError(
            "Zahlläufe legen die Wirtschaftliche Jugendhilfe, die Teamleitung und die "
            "Jugendhilfeplanung an."
        )
    try:
        with transaction.atomic():
            return _run_create(by=by)
    except IntegrityError as error:
        raise ValidationError(
            "Gleichzeitig wurde ein anderer Zahllauf mit denselben Auszahlungsanordnungen "
            "angelegt. Es wurde nichts verändert; bitte sehen Sie in der Liste der Zahlläufe nach."
        ) from error


def _run_create(*, by: User) -> RunResult:
    lines: list[PaymentRunLine] = []
    held_back: dict[str, str] = {}
    ibans: dict[int, str | None] = {}  # provider id → its valid IBAN, checked once per provider
    for order in payment_orders_open().iterator(chunk_size=5000):
        provider = order.commitment.provider
        assert provider is not None  # payment_order_book refuses commitments without one
        if provider.pk not in ibans:
            ibans[provider.pk] = iban_normalise(provider.iban)
            try:
                iban_validate(ibans[provider.pk] or "")
            except ValidationError:
                ibans[provider.pk] = None
        iban = ibans[provider.pk]
        if iban is None:
            held_back[provider.name] = (
                f"{provider.name}: keine gültige IBAN in den Stammdaten – die Anordnungen "
                "bleiben offen."
            )
            continue
        lines.append(
            PaymentRunLine(
                order=order,
                position=len(lines) + 1,
                creditor=provider.name,
                creditor_number=provider.creditor_number,
                iban=iban,
                bic=provider.bic,
                amount=order.amount,
                purpose=cash_office_purpose(order)[:140],
                cost_centre=cost_centre_for(order),
                budget_line=budget_line_for(order.commitment.kind),
            )
        )
    if not lines:
        raise ValidationError(
            "Es gibt keine offenen Auszahlungsanordnungen mit vollständigen Bankdaten. "
            + " ".join(held_back.values())
        )
    year = timezone.localdate().year
    last = PaymentRun.objects.filter(year=year).aggregate(last=Max("number"))["last"] or 0
    run = PaymentRun.objects.create(year=year, number=last + 1, created_by=by)
    for line in lines:
        line.run = run
    PaymentRunLine.objects.bulk_create(lines, batch_size=2000)
    return RunResult(run=run, held_back=sorted(held_back.values()))


def payment_run_table(run: PaymentRun) -> Table:
    # Plain tuples: a run of a large city has tens of thousands of lines.
    lines = run.lines.order_by("position").values_list(
        "position",
        "order_id",
        "order__created_at",
        "creditor",
        "creditor_number",
        "iban",
        "bic",
        "amount",
        "purpose",
        "cost_centre",
        "budget_line",
    )
    rows = [
        [
            run.label,
            position,
            order_number(order_id, created_at),
            *rest,
        ]
        for position, order_id, created_at, *rest in lines.iterator(chunk_size=5000)
    ]
    return Table(
        f"Zahllauf {run.label}",
        [
            ("Zahllauf", TEXT),
            ("Position", TEXT),
            ("Anordnungsnummer", TEXT),
            ("Zahlungsempfänger", TEXT),
            ("Kreditorennummer", TEXT),
            ("IBAN", TEXT),
            ("BIC", TEXT),
            ("Betrag (€)", MONEY),
            ("Verwendungszweck", TEXT),
            ("Kostenstelle", TEXT),
            ("Haushaltsstelle", TEXT),
        ],
        rows,
    )


def payment_run_export(*, run: PaymentRun, extension: str) -> bytes:
    """The cash office's file of a run, CSV (German Excel) or XLSX; the same bytes every time."""
    table = payment_run_table(run)
    if extension == "csv":
        return table_csv(table)
    if extension == "xlsx":
        return xlsx_write(
            title=table.title,
            headers=[header for header, _ in table.columns],
            money_columns={i for i, (_, kind) in enumerate(table.columns) if kind == MONEY},
            rows=table.rows,
        )
    raise ValueError(f"unknown extension {extension!r}")


def payment_run_filename(run: PaymentRun, extension: str) -> str:
    return f"zahllauf-{run.label}.{extension}"


def payment_run_total(run: PaymentRun) -> Decimal:
    return sum((line.amount for line in run.lines.all()), Decimal("0.00"))


def payment_runs_with_totals() -> QuerySet[PaymentRun]:
    """Every run with its number of orders and its sum, newest first (two aggregates, one query)."""
    return PaymentRun.objects.select_related("created_by").annotate(
        order_count=Count("lines"), total=Sum("lines__amount")
    )
