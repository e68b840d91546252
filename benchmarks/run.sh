#!/usr/bin/env bash
# Every benchmark in one command: a fresh database with the large city, then the page benchmark,
# the load run and the committee report. Figures go to stdout (see benchmarks/README.md).
#
#   bash benchmarks/run.sh              # build the city (a few minutes), then measure
#   BENCH_REUSE=1 bash benchmarks/run.sh   # measure again on the city already built
#   BENCH_GROWTH=1 bash benchmarks/run.sh  # also a 10,000-case city, and the growth 10k → 100k
#   BENCH_GROWTH=1 BENCH_MILLION=1 ...     # and a 1,000,000-case city (builds for ~25 minutes)
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and the project's .venv; wrk is installed
# with apt when missing. Never point it at a database you want to keep: it is dropped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DB=${BENCH_DB:-sr_bench}
export SOZIALRAUM_NO_BOOTSTRAP=1
export DJANGO_SETTINGS_MODULE=benchmarks.settings
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/11}
PY=${PYTHON:-.venv/bin/python}

echo "== $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB," \
    "$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version') PostgreSQL"
if [ -z "${BENCH_REUSE:-}" ]; then
    psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
        -c "CREATE DATABASE $DB"
    "$PY" manage.py migrate -v0
    echo "== bench_city"
    "$PY" manage.py bench_city --seed "${BENCH_SEED:-8}"
fi
OUT=${BENCH_OUT:-/tmp/sozialraum-bench}
mkdir -p "$OUT"
"$PY" manage.py migrate -v0  # a reused city gets the code's newer indexes
echo "== bench_pages"
"$PY" manage.py bench_pages --runs "${BENCH_RUNS:-30}" --json "$OUT/100k.json"
echo "== bench_load"
"$PY" manage.py bench_load --seconds "${BENCH_SECONDS:-30}"
echo "== report_benchmark"
"$PY" -m benchmarks.report_benchmark --runs 1
echo "== contributions (monthly claims of the cost contributions; adds contributions to the city)"
"$PY" -m benchmarks.contributions --month 2026-03

# Growth: the same pages on a city of 10,000 cases (and, behind BENCH_MILLION, 1,000,000),
# measured in the order 10k, 1m, 1m, 10k so that both cities meet the machine's drift alike;
# benchmarks.growth counts each page with the lower p95 of a city's two runs.
measure() {  # measure <label> <run>: bench_pages on the city <label> into $OUT/<run>.json
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/${DB}_$1
    echo "== bench_pages ($2)"
    "$PY" manage.py bench_pages --runs "${BENCH_RUNS:-30}" --json "$OUT/$2.json"
}
growth_city() {  # growth_city <label> <cases> <ledger entries>
    local db="${DB}_$1"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
    if [ -z "${BENCH_REUSE:-}" ] || ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$db"; then
        psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
            -c "CREATE DATABASE $db"
        "$PY" manage.py migrate -v0
        echo "== bench_city ($1)"
        "$PY" manage.py bench_city --seed "${BENCH_SEED:-8}" --cases "$2" --ledger-entries "$3"
    fi
    "$PY" manage.py migrate -v0
    measure "$1" "$1"
}
if [ -n "${BENCH_GROWTH:-}" ]; then
    growth_city 10k 10000 100000
    if [ -n "${BENCH_MILLION:-}" ]; then
        growth_city 1m 1000000 10000000
        measure 1m 1m-b
    fi
    measure 10k 10k-b
    echo "== growth 10k → 100k"
    "$PY" -m benchmarks.growth "$OUT/10k.json,$OUT/10k-b.json" "$OUT/100k.json"
    if [ -n "${BENCH_MILLION:-}" ]; then
        echo "== growth 10k → 1m"
        "$PY" -m benchmarks.growth "$OUT/10k.json,$OUT/10k-b.json" "$OUT/1m.json,$OUT/1m-b.json"
    fi
fi
