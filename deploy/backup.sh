#!/usr/bin/env bash
# Backup of the portal: the database (pg_dump, custom format) and the stored files (media: report
# PDFs, later documents). Safe to run while the portal works; suitable for cron.
#
#   deploy/backup.sh --compose ZIELORDNER   the Compose stack beside this folder (pg_dump in the db
#                                           service, the media volume read through the web image)
#   deploy/backup.sh ZIELORDNER             plain: DATABASE_URL and DJANGO_MEDIA_ROOT from the
#                                           environment (used by CI, .ci/backup-roundtrip.sh)
#
# Writes ZIELORDNER/sozialraum-JJJJMMTT-HHMMSS/ with datenbank.dump, dateien.tar and SHA256SUMS;
# the folder appears only when all three are complete. SICHERUNG_BEHALTEN_TAGE=N deletes backups
# older than N days from ZIELORDNER afterwards. Restore with deploy/restore.sh.
set -euo pipefail

compose=false
if [ "${1:-}" = "--compose" ]; then
    compose=true
    shift
fi
if [ $# -ne 1 ]; then
    echo "Aufruf: deploy/backup.sh [--compose] ZIELORDNER" >&2
    exit 2
fi
umask 077
target=$1
mkdir -p "$target"
name="sozialraum-$(date +%Y%m%d-%H%M%S)"
work="$target/.$name.unvollstaendig"
trap 'rm -rf "$work"' EXIT
mkdir "$work"

if $compose; then
    cd "$(dirname "$0")/.."
    docker compose exec -T db pg_dump --format=custom --username="${SOZIALRAUM_DB_OWNER:-sozialraum_owner}" \
        --dbname=sozialraum >"$work/datenbank.dump"
    docker compose run --rm --no-deps -T --entrypoint tar web -C /app/media -cf - . >"$work/dateien.tar"
    cd - >/dev/null
else
    : "${DATABASE_URL:?DATABASE_URL fehlt (postgres://rolle:passwort@rechner:5432/datenbank)}"
    : "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT fehlt (Ordner der gespeicherten Dateien)}"
    pg_dump --format=custom --dbname="$DATABASE_URL" --file="$work/datenbank.dump"
    if [ -d "$DJANGO_MEDIA_ROOT" ]; then
        tar -C "$DJANGO_MEDIA_ROOT" -cf "$work/dateien.tar" .
    else
        echo "Hinweis: $DJANGO_MEDIA_ROOT gibt es nicht; die Sicherung enthält keine Dateien." >&2
        tar -cf "$work/dateien.tar" --files-from /dev/null
    fi
fi

(cd "$work" && sha256sum datenbank.dump dateien.tar >SHA256SUMS)
mv "$work" "$target/$name"
trap - EXIT
echo "Sicherung geschrieben: $target/$name ($(du -sh "$target/$name" | cut -f1))"

if [ -n "${SICHERUNG_BEHALTEN_TAGE:-}" ]; then
    find "$target" -mindepth 1 -maxdepth 1 -type d -name 'sozialraum-*' \
        -mtime "+$SICHERUNG_BEHALTEN_TAGE" -print -exec rm -rf {} + |
        sed 's/^/Alte Sicherung gelöscht: /'
fi
