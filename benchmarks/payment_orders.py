"""Payment orders at city scale: booking orders through the service, one payment run and the cash
office's file (CSV and XLSX) with tens of thousands of lines.

Run on a migrated PostgreSQL database of its own, empty or a copy of the 100,000-case city (it
adds a region of its own with demo-free rows):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_h4 SOZIALRAUM_NO_BOOTSTRAP=1 \\
        python -m benchmarks.payment_orders [--orders 50000] [--booked 300]

The bulk of the orders (`--orders`, one month of a large city: one order per running
assignment) is written with bulk_create beside valid payments, as the city generator does; a
further `--booked` orders go through `payment_order_book` one by one (the approval's path: budget
row lock, ledger entry, caches, forecast), and their per-order time is reported. Then one run
takes every open order and both files are exported twice (the second export must be identical).
Prints seconds and the process's peak memory; nothing is asserted but the identical re-export.
"""

import argparse
import datetime
import resource
import statistics
import time
from decimal import Decimal


def _city_part(args, year: int):
    """Providers with valid IBANs, a region with ten Sozialräume, one budget and one monthly
    commitment per order (written directly, as the city generator writes)."""
    from budgets.demo_provider_budgets import iban_de
    from budgets.models import Budget, Commitment, CostBasis, FiscalYear
    from cases.models import CaseKind
    from sozialraum.models import AsdTeam, Provider, Region, Role, Sozialraum, User

    # The city's planner and fiscal year where the city is there (a copy of `sr_bench`).
    planner, _ = User.objects.get_or_create(
        username="bench-planung", defaults={"role": Role.PLANNER}
    )
    region = Region.objects.create(code="BN", name="Bench Nord")
    team = AsdTeam.objects.create(region=region, name="ASD Bench")
    sozialraeume = [
        Sozialraum.objects.create(
            region=region, asd_team=team, code=f"BN{i}", name=f"SR {i}",
            valid_from=datetime.date(2000, 1, 1),
        )
        for i in range(10)
    ]  # fmt: skip
    providers = Provider.objects.bulk_create(
        Provider(
            name=f"Bench-Kreditor {i}",  # not the queue benchmark's "Bench-Träger"
            short_name=f"BK{i}",
            iban=iban_de("20050550", str(1000000 + i)),
            bic="HASPDEHHXXX",
            creditor_number=str(800000 + i),
        )
        for i in range(args.providers)
    )
    fiscal_year = FiscalYear.objects.get_or_create(
        year=year, defaults={"total": Decimal("1e9"), "created_by": planner}
    )[0]
    budget = Budget.objects.create(fiscal_year=fiscal_year, region=region)
    total = args.orders + args.booked
    commitments = Commitment.objects.bulk_create(
        Commitment(
            budget=budget,
            kind=CaseKind.INDIVIDUAL,
            title=f"Hilfe {i}",
            sozialraum=sozialraeume[i % 10],
            provider=providers[i % args.providers],
            basis=CostBasis.MONTHLY,
            monthly_cost=Decimal("2000"),
            starts_on=datetime.date(year, 1, 1),
            year_end_amount=Decimal("24000"),
            created_by=planner,
        )
        for i in range(total)
    )
    return planner, budget, commitments


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50000)
    parser.add_argument("--booked", type=int, default=300)
    parser.add_argument("--providers", type=int, default=200)
    args = parser.parse_args()

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.db import connection, transaction

    from billing.models import PaymentOrder, PaymentRun
    from billing.payment_orders import payment_order_book
    from billing.payment_runs import payment_orders_open, payment_run_create, payment_run_export
    from budgets.models import Budget, Commitment, Payment
    from sozialraum.models import Region, User

    today = datetime.date.today()
    year = today.year
    period = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    period_end = today.replace(day=1) - datetime.timedelta(days=1)

    t0 = time.perf_counter()
    existing = Region.objects.filter(code="BN").exists()
    if existing:
        # A second start reuses the city part and adds a further month of orders.
        planner = User.objects.get(username="bench-planung")
        budget = Budget.objects.get(region__code="BN", fiscal_year__year=year)
        commitments = list(Commitment.objects.filter(budget=budget).order_by("pk"))
        if len(commitments) != args.orders + args.booked:
            raise SystemExit("Bitte mit denselben --orders/--booked wie beim ersten Lauf starten.")
    with transaction.atomic():
        if not existing:
            planner, budget, commitments = _city_part(args, year)
        payments = Payment.objects.bulk_create(
            (
                Payment(
                    commitment=commitment,
                    amount=Decimal("1876.54"),
                    paid_on=today,
                    period_start=period,
                    period_end=period_end,
                    created_by=planner,
                )
                for commitment in commitments[: args.orders]
            ),
            batch_size=5000,
        )
        PaymentOrder.objects.bulk_create(
            (
                PaymentOrder(
                    commitment_id=payment.commitment_id,
                    payment=payment,
                    amount=payment.amount,
                    period_start=period,
                    period_end=period_end,
                    purpose="Leistungsnachweis",
                    approved_by=planner,
                )
                for payment in payments
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Aufbau: {args.orders} Anordnungen in {time.perf_counter() - t0:.1f} s")

    # The approval's path, order by order: the commitments bind their money through the ledger
    # first (as the budget services would), so the over-commitment check has something to read.
    from budgets.models import EntryKind, Figure
    from budgets.services import entry_book

    booked_commitments = commitments[args.orders :]
    with transaction.atomic():
        Budget.objects.filter(pk=budget.pk).update(cached_allocated=Decimal("1e9"))
        for commitment in booked_commitments:
            entry_book(
                budget=budget, kind=EntryKind.COMMITMENT, figure=Figure.COMMITTED,
                amount=Decimal("24000"), by=planner, text="Bench", commitment=commitment,
            )  # fmt: skip
    times = []
    for commitment in booked_commitments:
        start = time.perf_counter()
        payment_order_book(
            commitment=commitment,
            amount=Decimal("2000"),
            period_start=period,
            period_end=period_end,
            purpose="Leistungsnachweis",
            approved_by=planner,
        )
        times.append(time.perf_counter() - start)
    if times:
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"payment_order_book: {len(times)} Anordnungen, Median "
            f"{statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
        )

    start = time.perf_counter()
    open_count = payment_orders_open().count()
    result = payment_run_create(by=planner)
    run = result.run
    assert run is not None
    print(
        f"Zahllauf {run.label}: {open_count} Anordnungen in "
        f"{time.perf_counter() - start:.1f} s angelegt"
    )
    run = PaymentRun.objects.get(pk=run.pk)
    for extension in ("csv", "xlsx"):
        start = time.perf_counter()
        first = payment_run_export(run=run, extension=extension)
        first_seconds = time.perf_counter() - start
        start = time.perf_counter()
        again = payment_run_export(run=run, extension=extension)
        again_seconds = time.perf_counter() - start
        print(
            f"Datei {extension.upper()}: {len(first) / 1e6:.1f} MB, {first_seconds:.1f} s, "
            f"erneut {again_seconds:.1f} s, identisch: {first == again}"
        )
        if first != again:
            raise SystemExit("Der erneute Export ist nicht identisch.")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Spitze Arbeitsspeicher des Prozesses: {peak:.0f} MB")


if __name__ == "__main__":
    main()
