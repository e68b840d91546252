#!/usr/bin/env bash
# Every benchmark in one command: a fresh database with the large city, then the page benchmark,
# the load run and the committee report. Figures go to stdout (see benchmarks/README.md).
#
#   bash benchmarks/run.sh              # build the city (a few minutes), then measure
#   BENCH_REUSE=1 bash benchmarks/run.sh   # measure again on the city already built
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
echo "== bench_pages"
"$PY" manage.py bench_pages --runs "${BENCH_RUNS:-30}"
echo "== bench_load"
"$PY" manage.py bench_load --seconds "${BENCH_SECONDS:-30}"
echo "== report_benchmark"
"$PY" -m benchmarks.report_benchmark --runs 1
