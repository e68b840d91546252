"""Payment runs (Zahlläufe): open payment orders handed to the town's cash office as one file.

A run freezes, per order, what the cash office's file says (creditor, IBAN, BIC, creditor
number, amount, purpose, cost centre, budget line) in a `PaymentRunLine`, so the file is built
from the run alone and comes out byte for byte the same whenever it is exported again, even after
the provider's bank details changed. The line's one-to-one link to its order is the database's
guarantee that an order goes into one run only; two runs made at the same moment cannot both
take an order (the second is refused and changes nothing).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from billing.models import PaymentOrder, PaymentRun, PaymentRunLine, order_number
from billing.payment_orders import Payee, may_order_payments
from billing.xlsx import xlsx_write
from budgets.exports import MONEY, TEXT, Table, table_csv
from cases.models import CaseKind
from sozialraum.banking import iban_normalise, iban_validate
from sozialraum.models import Provider, User

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


def cost_centre_for(*, region_code: str | None, sozialraum_code: str | None) -> str:
    """Region code, and the Sozialraum's code where the commitment names one."""
    code = region_code if region_code is not None else "VWA"
    if sozialraum_code is not None:
        code = f"{code}-{sozialraum_code}"
    return code


def cash_office_purpose(
    *, number: str, commitment_id: int, period_start: datetime.date, period_end: datetime.date
) -> str:
    """The purpose on the transfer: order number, commitment number and period — never a name
    (commitment titles and the internal purpose may name the case, so neither is used)."""
    return (
        f"{number} Bewilligung {commitment_id} Leistungszeitraum "
        f"{period_start:{DATE_DE}}-{period_end:{DATE_DE}}"
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


def _valid_iban(iban: str) -> str | None:
    iban = iban_normalise(iban) or ""
    try:
        iban_validate(iban)
    except ValidationError:
        return None
    return iban


def _not_payable(name: str) -> str:
    return f"{name}: keine gültige IBAN in den Stammdaten – die Anordnungen bleiben offen."


def _provider_payees(orders: QuerySet[PaymentOrder]) -> tuple[dict[int, Payee], dict[str, str]]:
    """The orders' providers with a valid IBAN in the master data as payees, by id, and why the
    others' orders stay open; each provider is checked once, not per order."""
    payees: dict[int, Payee] = {}
    held_back: dict[str, str] = {}
    for provider in Provider.objects.filter(pk__in=orders.values("commitment__provider_id")):
        iban = _valid_iban(provider.iban)
        if iban is None:
            held_back[provider.name] = _not_payable(provider.name)
        else:
            payees[provider.pk] = Payee(
                name=provider.name,
                iban=iban,
                bic=provider.bic,
                creditor_number=provider.creditor_number,
            )
    return payees, held_back


def _run_create(*, by: User) -> RunResult:
    # Plain tuples, not model instances: a run of a large city takes tens of thousands of
    # orders, and six model instances per order (order, commitment, provider, budget, region,
    # Sozialraum) made up most of the time.
    orders = payment_orders_open()
    payees, held_back = _provider_payees(orders)
    # Orders that name their own payee (another youth office): its frozen bank details.
    own_payees: dict[tuple[str, str, str, str], Payee | None] = {}
    rows = orders.values_list(
        "pk",
        "created_at",
        "amount",
        "period_start",
        "period_end",
        "commitment_id",
        "commitment__kind",
        "commitment__provider_id",
        "commitment__budget__region__code",
        "commitment__sozialraum__code",
        "payee_name",
        "payee_iban",
        "payee_bic",
        "payee_creditor_number",
    )
    lines: list[PaymentRunLine] = []
    for (
        pk,
        created_at,
        amount,
        period_start,
        period_end,
        commitment_id,
        kind,
        provider_id,
        region_code,
        sozialraum_code,
        payee_name,
        payee_iban,
        payee_bic,
        payee_creditor_number,
    ) in rows.iterator(chunk_size=5000):
        if payee_name:
            key = (payee_name, payee_iban, payee_bic, payee_creditor_number)
            if key not in own_payees:
                iban = _valid_iban(payee_iban)
                if iban is None:
                    held_back[payee_name] = _not_payable(payee_name)
                own_payees[key] = (
                    Payee(payee_name, iban, payee_bic, payee_creditor_number) if iban else None
                )
            payee = own_payees[key]
        else:
            payee = payees.get(provider_id)
        if payee is None:  # no valid IBAN: named in held_back
            continue
        lines.append(
            PaymentRunLine(
                order_id=pk,
                position=len(lines) + 1,
                creditor=payee.name,
                creditor_number=payee.creditor_number,
                iban=payee.iban,
                bic=payee.bic,
                amount=amount,
                purpose=cash_office_purpose(
                    number=order_number(pk, created_at),
                    commitment_id=commitment_id,
                    period_start=period_start,
                    period_end=period_end,
                )[:140],
                cost_centre=cost_centre_for(
                    region_code=region_code, sozialraum_code=sozialraum_code
                ),
                budget_line=budget_line_for(kind),
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
    total = run.lines.aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


RUN_PAGE_SIZE = 100


def payment_run_lines_page(
    *, run: PaymentRun, after: int | None = None, size: int = RUN_PAGE_SIZE
) -> tuple[list[PaymentRunLine], int | None]:
    """One page of a run's lines after the position `after`, and the last position shown when
    more follow: a run of a large city has tens of thousands (the whole list is the file)."""
    lines = run.lines.select_related("order").order_by("position")
    if after is not None:
        lines = lines.filter(position__gt=after)
    page = list(lines[: size + 1])
    return page[:size], (page[size - 1].position if len(page) > size else None)


def payment_runs_with_totals() -> QuerySet[PaymentRun]:
    """Every run with its number of orders and its sum, newest first (two aggregates, one query)."""
    return PaymentRun.objects.select_related("created_by").annotate(
        order_count=Count("lines"), total=Sum("lines__amount")
    )
