#!/usr/bin/env bash
# Restore a backup of deploy/backup.sh into an EMPTY database and an empty media folder.
#
#   deploy/restore.sh --compose SICHERUNGSORDNER   the Compose stack (README, "Wiederherstellen":
#                                                  stop web, worker and beat, recreate the database)
#   deploy/restore.sh SICHERUNGSORDNER             plain: DATABASE_URL (the owner role of the empty
#                                                  target database) and DJANGO_MEDIA_ROOT
#
# Checks the checksums first and refuses a database that already has tables, so it never mixes a
# backup into live data. Owners and rights are not restored: everything belongs to the role that
# restores (the owner role), and `deploy/entrypoint.sh migrate` (the Compose stack's migrate
# service, on its next start) applies newer migrations and gives the app role its rights.
set -euo pipefail

compose=false
if [ "${1:-}" = "--compose" ]; then
    compose=true
    shift
fi
if [ $# -ne 1 ] || [ ! -f "$1/SHA256SUMS" ]; then
    echo "Aufruf: deploy/restore.sh [--compose] SICHERUNGSORDNER (mit datenbank.dump, dateien.tar, SHA256SUMS)" >&2
    exit 2
fi
backup=$(cd "$1" && pwd)
(cd "$backup" && sha256sum --quiet --check SHA256SUMS) || {
    echo "Die Sicherung in $backup ist beschädigt (Prüfsummen stimmen nicht); nichts wiederhergestellt." >&2
    exit 1
}
owner=${SOZIALRAUM_DB_OWNER:-sozialraum_owner}
count_tables="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
refuse_full() {
    echo "Die Zieldatenbank enthält schon $1 Tabellen. Wiederhergestellt wird nur in eine leere" \
        "Datenbank (README, „Wiederherstellen“)." >&2
    exit 1
}

if $compose; then
    cd "$(dirname "$0")/.."
    tables=$(docker compose exec -T db psql -X -A -t -U "$owner" -d sozialraum -c "$count_tables")
    [ "$tables" = "0" ] || refuse_full "$tables"
    docker compose exec -T db pg_restore --no-owner --no-privileges --single-transaction --exit-on-error \
        --username="$owner" --dbname=sozialraum <"$backup/datenbank.dump"
    files=$(docker compose run --rm --no-deps -T --entrypoint sh web -c 'ls -A /app/media | wc -l')
    [ "$files" = "0" ] || {
        echo "Das Volume media ist nicht leer; Dateien nicht wiederhergestellt." >&2
        exit 1
    }
    docker compose run --rm --no-deps -T --entrypoint tar web -C /app/media -xf - <"$backup/dateien.tar"
else
    : "${DATABASE_URL:?DATABASE_URL fehlt (die leere Zieldatenbank)}"
    : "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT fehlt (leerer Ordner für die Dateien)}"
    tables=$(psql -X -A -t -d "$DATABASE_URL" -c "$count_tables")
    [ "$tables" = "0" ] || refuse_full "$tables"
    if [ -d "$DJANGO_MEDIA_ROOT" ] && [ -n "$(ls -A "$DJANGO_MEDIA_ROOT")" ]; then
        echo "$DJANGO_MEDIA_ROOT ist nicht leer; nichts wiederhergestellt." >&2
        exit 1
    fi
    pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$DATABASE_URL" \
        "$backup/datenbank.dump"
    mkdir -p "$DJANGO_MEDIA_ROOT"
    tar -C "$DJANGO_MEDIA_ROOT" -xf "$backup/dateien.tar"
fi
echo "Wiederhergestellt aus $backup."
