#!/usr/bin/env bash
# CI proof that a backup restores (called from .ci/run): build the demo town in a fresh database,
# back it up with deploy/backup.sh, drop the database and the files, restore with
# deploy/restore.sh into a new database and an empty folder, and compare the row count of every
# table and the checksum of every stored file. Exits non-zero on any difference.
# Databases: <CI_DB_PREFIX>_bsrc and _bdst, created here and dropped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

prefix=${CI_DB_PREFIX:-sozialraum_ci_$$}
source_db="${prefix}_bsrc"
restored_db="${prefix}_bdst"
server=postgres://postgres@127.0.0.1:5432
work=$(mktemp -d)
psql() { PGOPTIONS="-c client_min_messages=warning" command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    psql -d "$server/postgres" -c "DROP DATABASE IF EXISTS $source_db WITH (FORCE)" \
        -c "DROP DATABASE IF EXISTS $restored_db WITH (FORCE)" || true
    rm -rf "$work"
}
trap cleanup EXIT

python3 manage.py version >/dev/null  # a fresh clone gets its .venv from the lock here
PYTHON=$PWD/.venv/bin/python
export SOZIALRAUM_NO_BOOTSTRAP=1 SOZIALRAUM_MODE=demo
unset REDIS_URL  # the demo renders its report in-process

# Row counts of every table, one "table count" line each, and the checksums of every file.
inventory() {  # inventory <database url> <media folder> <output prefix>
    psql -d "$1" -A -t -F ' ' -c "
        SELECT table_name, (xpath('/row/n/text()', query_to_xml(
            format('SELECT count(*) AS n FROM public.%I', table_name), false, true, '')))[1]::text
        FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1" >"$3.rows"
    (cd "$2" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) >"$3.files"
}

echo "-- Demo-Stadt in $source_db"
psql -d "$server/postgres" -c "CREATE DATABASE $source_db"
export DATABASE_URL="$server/$source_db" DJANGO_MEDIA_ROOT="$work/media"
"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" manage.py demo_town >/dev/null
inventory "$DATABASE_URL" "$DJANGO_MEDIA_ROOT" "$work/before"
tables=$(wc -l <"$work/before.rows")
rows=$(awk '{ n += $2 } END { print n }' "$work/before.rows")
files=$(wc -l <"$work/before.files")
if [ "$files" -lt 1 ] || [ "$rows" -lt 100 ]; then
    echo "!! Die Demo-Stadt ist zu klein für einen Beweis ($rows Zeilen, $files Dateien)" >&2
    exit 1
fi

echo "-- Sichern, Datenbank und Dateien löschen"
deploy/backup.sh "$work/backups"
backup=$(find "$work/backups" -mindepth 1 -maxdepth 1 -type d -name 'sozialraum-*')
psql -d "$server/postgres" -c "DROP DATABASE $source_db WITH (FORCE)"
rm -rf "$work/media"

echo "-- Wiederherstellen in $restored_db"
psql -d "$server/postgres" -c "CREATE DATABASE $restored_db"
export DATABASE_URL="$server/$restored_db" DJANGO_MEDIA_ROOT="$work/media-restored"
deploy/restore.sh "$backup"
inventory "$DATABASE_URL" "$DJANGO_MEDIA_ROOT" "$work/after"

differences=$(cat <(diff "$work/before.rows" "$work/after.rows") \
    <(diff "$work/before.files" "$work/after.files") | grep -c '^[<>]' || true)
if [ "$differences" -ne 0 ]; then
    diff "$work/before.rows" "$work/after.rows" || true
    diff "$work/before.files" "$work/after.files" || true
    echo "!! $differences Unterschiede nach der Wiederherstellung" >&2
    exit 1
fi
if deploy/restore.sh "$backup" 2>/dev/null; then
    echo "!! restore.sh hat in eine nicht leere Datenbank wiederhergestellt" >&2
    exit 1
fi
echo "-- $tables Tabellen, $rows Zeilen, $files Dateien: 0 Unterschiede"
