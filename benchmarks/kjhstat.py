"""The KJH statistics for a large city: seconds and peak memory per survey.

Run on a database that holds the city of `manage.py bench_city` (PostgreSQL):

    DJANGO_SETTINGS_MODULE=benchmarks.settings DATABASE_URL=postgres://…/bench \\
        python -m benchmarks.kjhstat [--year 2025] [--only teil1]

Each survey runs in a fresh process, the way a Celery worker's pool process builds a delivery
file: first the delivery file, the tables and the plausibility report from one read of the
records (`kjhstat.services.delivery_with_report`), with the process's peak resident memory
(`resource.getrusage` maxrss) after it; then, timed apart, the delivery file alone (what the
Celery task builds) and the statistics page (`kjhstat.selectors.survey_year`). No timing is
asserted anywhere: this only measures.

`bench_city` writes no statistics items (no sex of a child, no reasons of a help, no § 8a source)
and no Inobhutnahme at all, so `--seed-items` first fills them in, the way a year of casework
would: most records complete, about one in twenty with an item left open (the plausibility report
then has realistic work), and about 1,900 Inobhutnahmen per year, some following an acute § 8a
result. It only fills empty items and adds measures once, so running it twice changes nothing.
Deterministic: every choice is a hash of the row's id.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time


# Deterministic choices in SQL: `_pick(salt, codes)` picks one code by a hash of the row's id;
# `_pct(salt)` is 0..99 by a hash of the row's id and the salt.
def _pct(salt: str, column: str = "id") -> str:
    return f"(abs(hashtext({column}::text || '{salt}')) % 100)"


def _pick(salt: str, codes: list[str], column: str = "id") -> str:
    array = ",".join(f"'{code}'" for code in codes)
    return f"(ARRAY[{array}])[1 + abs(hashtext({column}::text || '{salt}')) % {len(codes)}]"


def _blank_unless(salt: str, percent: int, value: str) -> str:
    """`value` for `percent` % of the rows, "" (not yet known) for the others."""
    return f"CASE WHEN {_pct(salt)} < {percent} THEN {value} ELSE '' END"


# Code lists, repeated codes are the frequent answers (cases.kjh_items, kjh_protection_items).
RESIDENCES = ["1", "1", "2", "3", "3", "4", "5", "6", "9"]
SUGGESTED = ["1", "2", "2", "3", "4", "4", "5", "6", "7", "8"]
REASONS = ["2", "3", "4", "4", "5", "6", "7", "8", "9"]
END_REASONS = ["1", "1", "1", "2", "3", "4", "5", "7", "8"]
SOURCES = [
    *("school", "kita", "police", "police", "health", "youth_welfare"),
    *("neighbour", "relatives", "parents", "child", "anonymous", "other"),
]
INITIATORS = ["1", "2", "3", "3", "4", "4", "5", "6", "7", "8"]
CUSTODY_REASONS = ["1", "1", "2", "3", "4", "5", "6", "7", "9", "10", "11", "12", "13", "14"]
PLACEMENTS = ["1", "1", "1", "2", "2", "3"]
OUTCOMES = ["1", "1", "1", "2", "3", "4", "4", "5", "5", "6", "7", "8"]

# The statements are built from the constants above only (no input): S608 does not apply.
SEED_STATEMENTS = [
    # The children: sex and origin (about 3-5 % not yet recorded).
    f"""UPDATE cases_person SET
        sex = {_blank_unless("sx", 97, _pick("sx2", ["1"] * 10 + ["2"] * 9 + ["3"]))},
        parent_foreign_origin = {_blank_unless("fo", 95, _pick("fo2", ["1", "2", "2", "9"]))},
        german_at_home = {_blank_unless("gh", 95, _pick("gh2", ["1", "1", "1", "2", "9"]))}
      WHERE role = 'child' AND sex = '' AND parent_foreign_origin = '' AND german_at_home = ''""",  # noqa: S608
    # The helps: the young person (the case's youngest child; family helps count all children),
    # the items of the decision and, for ended helps, the reason for ending.
    """UPDATE cases_help h SET young_person_id = (
            SELECT p.id FROM cases_person p WHERE p.case_id = h.case_id AND p.role = 'child'
            ORDER BY p.birth_date DESC, p.id LIMIT 1)
      FROM cases_helptype t
      WHERE t.id = h.help_type_id AND t.code <> '31' AND h.young_person_id IS NULL""",
    f"""UPDATE cases_help SET
        residence_before = {_blank_unless("rb", 96, _pick("rb2", RESIDENCES))},
        family_situation = {_blank_unless("fs", 96, _pick("fs2", ["1", "2", "2", "3", "4", "9"]))},
        transfer_payments = {_blank_unless("tp", 96, _pick("tp2", ["1", "1", "2", "9"]))},
        suggested_by = {_blank_unless("sb", 96, _pick("sb2", SUGGESTED))},
        reason_main = {_blank_unless("rm", 97, _pick("rm2", REASONS))},
        reason_second = {_blank_unless("r2", 60, _pick("r22", ["1", "6", "10", "11"]))},
        reason_third = {_blank_unless("r3", 25, _pick("r32", ["1", "10"]))},
        previous_help = {_blank_unless("ph", 96, _pick("ph2", ["1", "2", "2", "9"]))},
        end_reason = CASE WHEN ended_on IS NULL THEN ''
            ELSE {_blank_unless("er", 93, _pick("er2", END_REASONS))} END
      WHERE reason_main = '' AND residence_before = '' AND end_reason = ''""",  # noqa: S608
    # The § 8a assessments: the child (the case's youngest), the items of parts B-D, the kinds
    # of endangerment for a latent or acute result, the consequence.
    """UPDATE cases_riskassessment r SET child_id = (
            SELECT p.id FROM cases_person p WHERE p.case_id = r.case_id AND p.role = 'child'
            ORDER BY p.birth_date DESC, p.id LIMIT 1)
      WHERE r.child_id IS NULL""",
    f"""UPDATE cases_riskassessment SET
        source = {_blank_unless("so", 97, _pick("so2", SOURCES))},
        family_situation = {_blank_unless("fs", 95, _pick("fs2", ["1", "2", "2", "3", "9"]))},
        usual_residence = {_blank_unless("ur", 95, _pick("ur2", ["1", "2", "3", "3", "4", "9"]))},
        prior_help = {_blank_unless("pr", 95, _pick("pr2", ["1", "2", "3", "4", "4", "9"]))},
        endangerment_neglect = level IN ('latent', 'acute') AND {_pct("en")} < 65,
        endangerment_physical = level IN ('latent', 'acute') AND {_pct("ep")} < 28,
        endangerment_psychological = level IN ('latent', 'acute') AND {_pct("eps")} < 35,
        endangerment_sexual = level IN ('latent', 'acute') AND {_pct("es")} < 6,
        consequence_new_help = level <> 'none' AND {_pct("cn")} < 45,
        consequence_continued_help = level <> 'none' AND {_pct("cc")} < 30,
        consequence_other_service = {_pct("co")} < 15,
        consequence_none = level = 'none' AND {_pct("cx")} < 90,
        family_court_on = CASE WHEN level = 'acute' AND {_pct("fc")} < 25
            THEN (concluded_at AT TIME ZONE 'Europe/Berlin')::date + 3 END,
        family_court = CASE WHEN level = 'acute' AND {_pct("fc")} < 25
            THEN 'Amtsgericht, Familiengericht, F ' || id ELSE '' END
      WHERE level <> '' AND source = '' AND family_situation = ''""",  # noqa: S608
]
# About 60 % of the acute results lead to an Inobhutnahme, and about 2.5 % of all children are
# taken into care over the three years without a recorded assessment (police at night, a young
# person asking for it, unaccompanied minors). Duration: from a night to several months.
SEED_CUSTODIES = f"""
WITH source AS (
    SELECT r.case_id, r.child_id, r.id AS assessment_id,
           (r.concluded_at AT TIME ZONE 'Europe/Berlin')::date AS started_on, r.id * 7 AS salt
      FROM cases_riskassessment r
     WHERE r.level = 'acute' AND r.child_id IS NOT NULL AND {_pct("ih")} < 60
    UNION ALL
    SELECT p.case_id, p.id, NULL, DATE '2024-01-01' + (abs(hashtext(p.id::text || 'day')) % 1065),
           p.id * 7 + 1
      FROM cases_person p
     WHERE p.role = 'child' AND abs(hashtext(p.id::text || 'ih2')) % 1000 < 25
), measure AS (
    SELECT s.*, c.steering_caseworker_id AS recorded_by_id,
           s.started_on + (ARRAY[0, 1, 1, 3, 5, 6, 10, 12, 20, 35, 60, 80, 120, 200])
               [1 + abs(hashtext(s.salt::text || 'du')) % 14] AS end_day,
           abs(hashtext(s.salt::text || 'k')) % 100 AS k,
           abs(hashtext(s.salt::text || 'q')) % 100 AS q
      FROM source s JOIN cases_case c ON c.id = s.case_id
)
INSERT INTO cases_protectionmeasure (
    case_id, child_id, assessment_id, started_on, kind, started_time, taken_by, initiator,
    reasons, residence_before, placement, placement_name, parents_informed_on, parents_object,
    family_court_on, ended_on, outcome, recorded_by_id, recorded_at)
SELECT case_id, child_id, assessment_id, started_on,
       CASE WHEN k < 72 THEN '2' WHEN k < 86 THEN '1' WHEN k < 95 THEN '3' ELSE '4' END,
       NULL, '', CASE WHEN q < 4 THEN '' ELSE {_pick("in", INITIATORS, "salt")} END,
       CASE WHEN k >= 86 THEN jsonb_build_array('8')
            WHEN q < 3 THEN '[]'::jsonb
            ELSE jsonb_build_array({_pick("r1", CUSTODY_REASONS, "salt")},
                                   {_pick("r2", ["1", "2", "9", "14"], "salt")}) END,
       {_pick("rb", ["1", "2", "3", "3", "4", "5", "6", "9"], "salt")},
       CASE WHEN q BETWEEN 3 AND 5 THEN '' ELSE {_pick("pl", PLACEMENTS, "salt")} END,
       '', started_on + 1,
       CASE WHEN q < 20 THEN TRUE WHEN q < 90 THEN FALSE END,
       CASE WHEN q < 18 THEN started_on + 2 END,
       CASE WHEN end_day <= DATE '2026-12-04' AND q < 97 THEN end_day END,
       CASE WHEN end_day > DATE '2026-12-04' OR q >= 97 THEN ''
            WHEN q BETWEEN 6 AND 8 THEN ''
            ELSE {_pick("oc", OUTCOMES, "salt")} END,
       recorded_by_id, started_on::timestamp AT TIME ZONE 'Europe/Berlin'
  FROM measure
"""  # noqa: S608


def seed_items() -> None:
    """Fill the statistics items of the city and add its Inobhutnahmen (see the docstring)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for statement in SEED_STATEMENTS:
            cursor.execute(statement)
            print(f"  {cursor.rowcount} Zeilen: {statement.split(' SET')[0].strip()}")
        cursor.execute("SELECT count(*) FROM cases_protectionmeasure")
        if cursor.fetchone()[0] == 0:
            cursor.execute(SEED_CUSTODIES)
            print(f"  {cursor.rowcount} Inobhutnahmen angelegt")
        cursor.execute(
            "ANALYZE cases_person, cases_help, cases_riskassessment, cases_protectionmeasure"
        )


def _child(key: str, year: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kjhstat.selectors import survey_get, survey_year
    from kjhstat.services import delivery_content, delivery_with_report

    survey = survey_get(key)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result: dict = {"survey": key, "year": year, "rss_before_mib": round(baseline / 1024)}
    # 1. The delivery file, the tables and the plausibility report from one read of the records
    # (kjhstat.survey.survey_walk): the figure against the goal. Peak memory is read after it.
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        content, walked = delivery_with_report(survey=survey, year=year)
        result["seconds_together"] = round(time.perf_counter() - began, 2)
    result.update(
        records=walked.count,
        file_kib=round(len(content) / 1024),
        tables=len(walked.tables),
        findings=len(walked.findings),
        queries=len(queries.captured_queries),
        rss_peak_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    del content, walked
    # 2. The delivery file alone (the Celery task), 3. the statistics page (tables, count and
    # the sorted report).
    began = time.perf_counter()
    delivery_content(survey=survey, year=year)
    result["seconds_file"] = round(time.perf_counter() - began, 2)
    began = time.perf_counter()
    survey_year(survey=survey, year=year)
    result["seconds_page"] = round(time.perf_counter() - began, 2)
    result["rss_end_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None, help="Berichtsjahr (Vorgabe: Vorjahr)")
    parser.add_argument("--only", default="", help="nur diese Erhebung (Schlüssel)")
    parser.add_argument(
        "--seed-items",
        action="store_true",
        help="zuerst die Statistikmerkmale und Inobhutnahmen der Stadt ergänzen",
    )
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

    if args.seed_items:
        print("Statistikmerkmale werden ergänzt")
        seed_items()
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
        print(
            f"{key}: Lieferdatei + Tabellen + Prüfbericht {r['seconds_together']:.1f} s "
            f"(ein Durchgang, {r['queries']} Abfragen, Spitzenspeicher {r['rss_peak_mib']} MiB, "
            f"vorher {r['rss_before_mib']} MiB); Lieferdatei allein {r['seconds_file']:.1f} s, "
            f"Statistikseite {r['seconds_page']:.1f} s; {r['records']} Datensätze, "
            f"{r['file_kib']} KiB, {r['tables']} Tabellen, {r['findings']} Befunde; "
            f"Spitzenspeicher am Ende {r['rss_end_mib']} MiB"
        )


if __name__ == "__main__":
    main()
