"""The KJH statistics for a large city: seconds and peak memory per survey.

Run on a database that holds the city of `manage.py bench_city` (PostgreSQL):

    DJANGO_SETTINGS_MODULE=benchmarks.settings DATABASE_URL=postgres://…/bench \\
        python -m benchmarks.kjhstat [--year 2025] [--only teil1]

Each survey runs in a fresh process, the way a Celery worker's pool process builds a delivery
file: the delivery file (`kjhstat.services.delivery_content`, every row), the tables and the
plausibility report, each timed; the process's peak resident memory is reported with them. No
timing is asserted anywhere: this only measures.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time


def _child(key: str, year: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kjhstat.selectors import survey_get
    from kjhstat.services import delivery_content

    survey = survey_get(key)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result: dict = {"survey": key, "year": year, "rss_before_mib": round(baseline / 1024)}
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        content, count = delivery_content(survey=survey, year=year)
        result["seconds_file"] = round(time.perf_counter() - began, 2)
        began = time.perf_counter()
        tables = list(survey.tables(year))
        result["seconds_tables"] = round(time.perf_counter() - began, 2)
        began = time.perf_counter()
        findings = list(survey.plausibility(year))
        result["seconds_plausibility"] = round(time.perf_counter() - began, 2)
    result.update(
        records=count,
        file_kib=round(len(content) / 1024),
        tables=len(tables),
        findings=len(findings),
        queries=len(queries.captured_queries),
        rss_peak_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None, help="Berichtsjahr (Vorgabe: Vorjahr)")
    parser.add_argument("--only", default="", help="nur diese Erhebung (Schlüssel)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    year = args.year or datetime.date.today().year - 1
    if args.child:
        print(json.dumps(_child(args.child, year)))
        return
    import django

    django.setup()
    from django.db import connection

    from kjhstat.selectors import surveys_all

    keys = [s.key for s in surveys_all() if not args.only or s.key == args.only]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
    print(f"KJH-Statistik {year}, {cases} Fälle in der Datenbank")
    for key in keys:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.kjhstat", "--child", key, "--year", str(year)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(done.returncode)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        total = r["seconds_file"] + r["seconds_tables"] + r["seconds_plausibility"]
        print(
            f"{key}: {total:.1f} s (Lieferdatei {r['seconds_file']:.1f} s, Tabellen "
            f"{r['seconds_tables']:.1f} s, Prüfbericht {r['seconds_plausibility']:.1f} s), "
            f"{r['records']} Datensätze, {r['file_kib']} KiB, {r['findings']} Befunde, "
            f"{r['queries']} Abfragen, Spitzenspeicher {r['rss_peak_mib']} MiB "
            f"(vorher {r['rss_before_mib']} MiB)"
        )


if __name__ == "__main__":
    main()
