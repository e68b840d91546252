"""The check queue of Leistungsnachweise at city scale: a year of statements with their lines.

Run on a migrated PostgreSQL database of its own, empty or a copy of the 100,000-case city
(`createdb -T sr_bench …`; it adds its own regions and rows beside the city's):

    DJANGO_SETTINGS_MODULE=benchmarks.settings SOZIALRAUM_NO_BOOTSTRAP=1 \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_h4_city \\
        python -m benchmarks.billing_queue [--assignments 2500] [--months 12] [--lines 20] [--reuse]

Builds `--regions` regions with one team lead each, `--assignments` running hourly assignments
(cases, helps, commitments) spread over them, and for each assignment one statement per month
with `--lines` lines (2,500 × 12 × 20 = 600,000 lines). The months before the last two are
decided (written as returned, which the queue leaves out exactly as approved ones), the last two
are open. Rows are written with bulk_create, not through the services. Then the team lead of one
region opens the queue (first page and a later page) and one statement's check page through the
test client, `--runs` times each (`benchmarks.pages.page_measure`): p50/p95 server time, the
process's CPU time, the queries and their own time replayed through a cursor (the floor the page
cannot go below, and the figure that holds on a loaded machine). `--reuse` measures again on the
statements of an earlier start. Prints figures; asserts nothing.
"""

import argparse
import datetime
import resource
import time
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignments", type=int, default=2500)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="measure the rows already built")
    args = parser.parse_args()

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.urls import reverse

    from benchmarks.pages import Page, client_for, page_measure
    from billing.models import ServiceLine, ServiceStatement, StatementStatus
    from billing.selectors import statements_to_check
    from sozialraum.models import User

    if args.reuse:
        lead = User.objects.select_related("asd_team").get(username="bench-leitung-0")
        print(
            f"Wiederverwendet: {ServiceStatement.objects.count()} Leistungsnachweise, "
            f"{ServiceLine.objects.count()} Zeilen"
        )
    else:
        if ServiceStatement.objects.exists():
            raise SystemExit(
                "Die Datenbank enthält schon Leistungsnachweise: leer starten oder --reuse."
            )
        lead = _build(args)

    client = client_for(lead.username)
    queue = reverse("billing:check_queue")
    one = ServiceStatement.objects.filter(
        assignment__case__region_id=lead.asd_team.region_id, status=StatementStatus.SUBMITTED
    ).first()
    assert one is not None
    fifth_after = statements_to_check(lead).values_list("pk", flat=True)[4 * 50 - 1]
    pages = [
        Page("Warteschlange Seite 1", "team_lead", queue),
        # Page 5 of 50 rows, as reached by following the "next" link four times.
        Page("Warteschlange Seite 5", "team_lead", f"{queue}?nach={fifth_after}"),
        Page("Prüfseite", "team_lead", reverse("billing:check_detail", args=[one.pk])),
    ]
    for page in pages:
        result = page_measure(client, page, args.runs)
        assert result.status == 200, result.status
        print(
            f"{page.name}: p50 {result.p50:.1f} ms, p95 {result.p95:.1f} ms, "
            f"CPU p50 {result.cpu_p50:.1f} ms, {result.queries} Abfragen, "
            f"SQL p50 {result.sql_p50:.1f} ms, {result.calls} Python-Aufrufe ({args.runs} Läufe)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Spitzenspeicher des Prozesses: {peak:.0f} MB; Last {os.getloadavg()[0]:.1f}")


def _build(args):
    """The regions, cases, helps, assignments, commitments and a year of statements; returns
    the team lead of the first region."""
    from django.db import connection, transaction

    from billing.models import LineKind, ServiceLine, ServiceStatement, StatementStatus
    from budgets.models import Budget, Commitment, CostBasis, FiscalYear
    from cases.models import Assignment, Case, CaseKind, CaseStatus, Help, HelpType
    from sozialraum.models import AsdTeam, Provider, Region, Role, Sozialraum, User

    today = datetime.date.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    months = [last_month]
    while len(months) < args.months:
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    months.reverse()
    start = months[0]
    t0 = time.perf_counter()
    with transaction.atomic():
        # The city's planner where the city is there (`bench_city` makes one).
        planner = User.objects.get_or_create(
            username="bench-planung", defaults={"role": Role.PLANNER}
        )[0]
        help_type = HelpType.objects.get_or_create(
            code="31", defaults={"name": "Sozialpädagogische Familienhilfe", "paragraph": "§ 31"}
        )[0]
        providers = Provider.objects.bulk_create(
            Provider(name=f"Bench-Träger {i}", short_name=f"BT{i}") for i in range(50)
        )
        regions, teams, sozialraeume, leads = [], [], [], []
        for r in range(args.regions):
            region = Region.objects.create(code=f"B{r}", name=f"Bench {r}")
            team = AsdTeam.objects.create(region=region, name=f"ASD Bench {r}")
            regions.append(region)
            teams.append(team)
            sozialraeume.append(
                Sozialraum.objects.create(
                    region=region, asd_team=team, code=f"B{r}S", name=f"SR {r}",
                    valid_from=datetime.date(2000, 1, 1),
                )
            )  # fmt: skip
            leads.append(
                User.objects.create(
                    username=f"bench-leitung-{r}", role=Role.TEAM_LEAD, asd_team=team
                )
            )
        fiscal_years = {
            year: FiscalYear.objects.get_or_create(
                year=year, defaults={"total": Decimal("1e9"), "created_by": planner}
            )[0]
            for year in {m.year for m in months}
        }
        budgets = {
            (year, region.pk): Budget.objects.create(fiscal_year=fy, region=region)
            for year, fy in fiscal_years.items()
            for region in regions
        }
        n = args.assignments
        cases = Case.all_objects.bulk_create(
            Case(
                number=f"B-{i:07d}",
                kind=CaseKind.INDIVIDUAL,
                status=CaseStatus.RUNNING,
                region=regions[i % args.regions],
                sozialraum=sozialraeume[i % args.regions],
                steering_caseworker=leads[i % args.regions],
                opened_on=start,
                created_by=planner,
            )
            for i in range(n)
        )
        helps = Help.objects.bulk_create(
            Help(
                case=case,
                sozialraum_id=case.sozialraum_id,
                region_id=case.region_id,
                help_type=help_type,
                hours_per_week=Decimal(5),
                starts_on=start,
                planned_end_on=today + datetime.timedelta(days=365),
                decided_by=planner,
            )
            for case in cases
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                case=case,
                help=help_,
                provider=providers[i % len(providers)],
                starts_on=start,
                ends_on=today + datetime.timedelta(days=365),
                commissioned_by=planner,
            )
            for i, (case, help_) in enumerate(zip(cases, helps, strict=True))
        )
        Commitment.objects.bulk_create(
            Commitment(
                budget=budgets[(year, a.case.region_id)],
                kind=CaseKind.INDIVIDUAL,
                title=f"SPFH · {a.case.number}",
                provider_id=a.provider_id,
                basis=CostBasis.HOURS,
                hours_per_week=Decimal(5),
                hourly_rate=Decimal("62.50"),
                starts_on=max(start, datetime.date(year, 1, 1)),
                year_end_amount=Decimal("16000.00"),
                cached_bound=Decimal("16000.00"),
                cached_paid=Decimal("4000.00"),
                created_by=planner,
                assignment=a,
            )
            for year in fiscal_years
            for a in assignments
        )
    built_cases = time.perf_counter() - t0
    t1 = time.perf_counter()
    line_count = 0
    open_months = set(months[-2:])
    for month in months:
        with transaction.atomic():
            statements = ServiceStatement.objects.bulk_create(
                ServiceStatement(
                    assignment=a,
                    month=month,
                    status=StatementStatus.SUBMITTED
                    if month in open_months
                    else StatementStatus.RETURNED,
                    return_reason="" if month in open_months else "Benchmark",
                    claimed_amount=Decimal(args.lines) * Decimal("62.50"),
                    submitted_by=planner,
                )
                for a in assignments
            )
            ServiceLine.objects.bulk_create(
                (
                    ServiceLine(
                        statement=s,
                        day=month + datetime.timedelta(days=d % 28),
                        kind=LineKind.FACE_TO_FACE if d % 3 else LineKind.WITH_FAMILY,
                        quantity=Decimal(1),
                        rate=Decimal("62.50"),
                        amount=Decimal("62.50"),
                    )
                    for s in statements
                    for d in range(args.lines)
                ),
                batch_size=5000,
            )
            line_count += len(statements) * args.lines
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built_lines = time.perf_counter() - t1

    print(
        f"Stadt: {args.assignments} Falldurchführungen in {args.regions} Regionen, "
        f"{ServiceStatement.objects.count()} Leistungsnachweise, {line_count} Zeilen "
        f"(Aufbau {built_cases:.0f} s + {built_lines:.0f} s)"
    )
    return leads[0]


if __name__ == "__main__":
    main()
