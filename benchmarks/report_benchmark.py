"""The committee report for a large city: seconds and peak memory of one yearly report.

Run on a database that holds the city of `manage.py bench_city` (PostgreSQL):

    DJANGO_SETTINGS_MODULE=benchmarks.settings DATABASE_URL=postgres://…/bench \\
        python -m benchmarks.report_benchmark [--year 2025] [--runs 3]

Each run renders the whole yearly report for all regions in a fresh process, the way a Celery
worker's pool process does (`reports.services.report_render`), and prints the time of the figures
(database), of the layout (WeasyPrint) and in all, the number of queries, the pages, the PDF's
size and the process's peak resident memory. No timing is asserted anywhere: this only measures.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time


def _child(year: int) -> dict:
    """One render in this (fresh) process; returns the measurements."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports import rendering, selectors
    from reports.models import ReportRequest, ReportState
    from reports.services import report_render
    from sozialraum.models import Region, User

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    planner = User.objects.filter(role="planner").order_by("pk").first()
    report = ReportRequest.objects.create(
        title=f"Benchmark {year}", period_start=start, period_end=end, requested_by=planner
    )
    report.regions.set(Region.objects.all())
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    timings: dict[str, float] = {}
    real_content, real_pdf = selectors.report_content, rendering.report_pdf

    def timed(name, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timings[name] = time.perf_counter() - began

        return wrapper

    selectors.report_content = timed("figures", real_content)
    rendering.report_pdf = timed("layout", real_pdf)
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        outcome = report_render(report_id=report.pk, task_id=f"benchmark-{os.getpid()}")
    total = time.perf_counter() - began
    report.refresh_from_db()
    if report.state != ReportState.DONE:
        raise SystemExit(f"report failed: {outcome} {report.error}")
    result = {
        "seconds_total": round(total, 2),
        "seconds_figures": round(timings["figures"], 2),
        "seconds_layout": round(timings["layout"], 2),
        "queries": len(queries.captured_queries),
        "pages": report.page_count,
        "pdf_kib": round(report.pdf_size / 1024),
        "rss_before_mib": round(baseline / 1024),
        "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "sozialraeume": len(report.content["sections"][2]["tables"][0]["rows"]),
        "at": timezone.localtime().isoformat(timespec="seconds"),
    }
    report.pdf.delete(save=False)
    report.delete()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None, help="Berichtsjahr (Vorgabe: Vorjahr)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    year = args.year or datetime.date.today().year - 1
    if args.child:
        print(json.dumps(_child(year)))
        return
    results = []
    for run in range(1, args.runs + 1):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.report_benchmark", "--child", "--year", str(year)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(done.returncode)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"Lauf {run}: {result['seconds_total']:.1f} s gesamt (Zahlen "
            f"{result['seconds_figures']:.1f} s, Satz {result['seconds_layout']:.1f} s), "
            f"{result['queries']} Abfragen, {result['pages']} Seiten, {result['pdf_kib']} KiB, "
            f"Spitzenspeicher {result['rss_peak_mib']} MiB "
            f"(vorher {result['rss_before_mib']} MiB), "
            f"{result['sozialraeume']} Sozialräume"
        )
    best = min(results, key=lambda r: r["seconds_total"])
    worst_memory = max(r["rss_peak_mib"] for r in results)
    print(
        f"Bericht {year}, {len(results)} Läufe: bester {best['seconds_total']:.1f} s, "
        f"höchster Spitzenspeicher {worst_memory} MiB"
    )


if __name__ == "__main__":
    main()
