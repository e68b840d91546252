"""The monthly claim run of the cost contributions at city scale.

Run on a migrated copy of the 100,000-case city (never on a database you want to keep):

    createdb -h 127.0.0.1 -U postgres -T sr_bench sr_h1_city
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_h1_city SOZIALRAUM_NO_BOOTSTRAP=1 \\
        .venv/bin/python manage.py migrate
    DJANGO_SETTINGS_MODULE=benchmarks.settings SOZIALRAUM_NO_BOOTSTRAP=1 \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_h1_city \\
        .venv/bin/python -m benchmarks.contributions [--month 2026-03]

First gives every placement help of the city (help types with `is_placement`) an income
evidence and a contribution for one person of its case, amounts from the official income table
(rows written with bulk_create, not through the services: the set-up is not what is measured).
Then times `claims_create_for_month` for the month (wall seconds, CPU seconds, the process's
peak resident memory before and after), and a second run of the same month (idempotent: it
creates nothing). Prints figures; asserts nothing.
"""

import argparse
import datetime
import os
import resource
import time


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--month", default="2026-03", help="JJJJ-MM")
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from decimal import Decimal

    from django.db import transaction

    from cases.models import Help, Person
    from contributions.models import ContributionClaim, CostContribution, IncomeEvidence
    from contributions.services import claims_create_for_month, month_last, table_amount
    from contributions.table_seed import official_table_load
    from sozialraum.models import User

    month = datetime.datetime.strptime(args.month, "%Y-%m").date()
    table = official_table_load()
    user = User.objects.filter(role="caseworker").order_by("pk").first()
    assert user is not None, "the city has no caseworker"
    if not CostContribution.objects.exists():
        started = time.perf_counter()
        helps = list(
            Help.objects.filter(help_type__is_placement=True)
            .values_list("pk", "case_id", "starts_on", "planned_end_on", "ended_on")
            .order_by("pk")
        )
        person_of = dict(
            Person.objects.filter(case_id__in={h[1] for h in helps})
            .order_by("case_id", "-role", "pk")
            .values_list("case_id", "pk")
        )
        incomes = [Decimal(1000 + (i * 137) % 6000) for i in range(97)]
        amounts = {
            income: table_amount(table=table, monthly_income=income, stage=1) for income in incomes
        }
        with transaction.atomic():
            evidence = IncomeEvidence.objects.bulk_create(
                IncomeEvidence(
                    case_id=case_id,
                    person_id=person_of[case_id],
                    monthly_income=incomes[index % len(incomes)],
                    period_start=datetime.date(2025, 1, 1),
                    period_end=datetime.date(2025, 12, 31),
                    submitted_on=datetime.date(2026, 1, 10),
                    created_by=user,
                )
                for index, (_, case_id, *_) in enumerate(helps)
                if case_id in person_of
            )
            by_case = {e.case_id: e for e in evidence}
            contributions = []
            for pk, case_id, starts_on, planned_end_on, ended_on in helps:
                proof = by_case.get(case_id)
                if proof is None:
                    continue
                group, amount = amounts[proof.monthly_income]
                contributions.append(
                    CostContribution(
                        case_id=case_id,
                        help_id=pk,
                        person_id=proof.person_id,
                        evidence=proof,
                        table=table,
                        group=group,
                        stage=1,
                        table_amount=amount,
                        amount=amount,
                        starts_on=starts_on,
                        ends_on=ended_on or planned_end_on,
                        created_by=user,
                    )
                )
            CostContribution.objects.bulk_create(contributions, batch_size=5000)
        print(
            f"Angelegt: {len(contributions)} Kostenbeiträge zu {len(helps)} Unterbringungen "
            f"in {time.perf_counter() - started:.1f} s"
        )
    running = (
        # The set-up gives no child benefit part: the income contribution decides what runs.
        CostContribution.objects.filter(starts_on__lte=month_last(month), amount__gt=0)
        .exclude(ends_on__lt=month)
        .count()
    )
    print(f"Kostenbeiträge gesamt: {CostContribution.objects.count()}, im Monat laufend: {running}")
    for label in ("erster Lauf", "zweiter Lauf (idempotent)"):
        before_mb = _peak_mb()
        cpu = time.process_time()
        started = time.perf_counter()
        created = claims_create_for_month(month=month)
        wall = time.perf_counter() - started
        print(
            f"Sollstellung {month:%m/%Y}, {label}: {created} Forderungen in {wall:.2f} s "
            f"(CPU {time.process_time() - cpu:.2f} s), Spitzenspeicher des Prozesses "
            f"{before_mb:.0f} → {_peak_mb():.0f} MB"
        )
    print(f"Forderungen im Monat: {ContributionClaim.objects.filter(month=month).count()}")


if __name__ == "__main__":
    main()
