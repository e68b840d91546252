#!/usr/bin/env bash
# Production smoke run (called from .ci/run; there is no Docker daemon in CI, so it starts what the
# Compose services run, with the same deploy/ scripts): a fresh database gets its two roles from
# deploy/initdb/10-roles.sh, `deploy/entrypoint.sh migrate` migrates as the owner and grants the
# app role, and tests/production/smoke.py starts web, worker and beat as the app role in
# production mode on loopback and drives them over HTTP.
# Database <CI_DB_PREFIX>_smoke and roles <CI_DB_PREFIX>_owner/_app are created here and dropped
# on exit; Redis database SMOKE_REDIS_DB (3) is emptied before and after.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

prefix=${CI_DB_PREFIX:-sozialraum_ci_$$}
database="${prefix}_smoke"
owner="${prefix}_owner"
app="${prefix}_app"
redis_db=${SMOKE_REDIS_DB:-3}
server=postgres://postgres@127.0.0.1:5432
work=$(mktemp -d)
random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
psql() { PGOPTIONS="-c client_min_messages=warning" command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    psql -d "$server/postgres" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" \
        -c "DROP ROLE IF EXISTS $app" -c "DROP ROLE IF EXISTS $owner" || true
    redis-cli -h 127.0.0.1 -n "$redis_db" flushdb >/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

python3 manage.py version >/dev/null  # a fresh clone gets its .venv from the lock here
export PYTHON=$PWD/.venv/bin/python SOZIALRAUM_NO_BOOTSTRAP=1
redis-cli -h 127.0.0.1 -n "$redis_db" flushdb >/dev/null

echo "-- Datenbank $database, Rollen $owner und $app (deploy/initdb/10-roles.sh)"
psql -d "$server/postgres" -c "CREATE DATABASE $database"
owner_password=$(random)
app_password=$(random)
PGHOST=127.0.0.1 POSTGRES_USER=postgres POSTGRES_DB=$database \
    SOZIALRAUM_DB_OWNER=$owner SOZIALRAUM_DB_APP=$app \
    SOZIALRAUM_DB_OWNER_PASSWORD=$owner_password SOZIALRAUM_DB_APP_PASSWORD=$app_password \
    deploy/initdb/10-roles.sh

owner_url="postgres://$owner:$owner_password@127.0.0.1:5432/$database"
app_url="postgres://$app:$app_password@127.0.0.1:5432/$database"
# Production settings as in docker-compose.yml; the report limits are shortened so that Redis
# hands the killed worker's report on within half a minute.
export SOZIALRAUM_MODE=production \
    DJANGO_SECRET_KEY="$(random)" \
    DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost \
    REDIS_URL="redis://127.0.0.1:6379/$redis_db" \
    DJANGO_MEDIA_ROOT="$work/media" \
    DJANGO_STATIC_ROOT="$work/static" \
    CELERY_VISIBILITY_TIMEOUT=30 \
    SOZIALRAUM_REPORT_TIME_LIMIT=25 \
    SOZIALRAUM_DB_APP=$app

echo "-- collectstatic (im Image beim Bau)"
DATABASE_URL=$app_url "$PYTHON" manage.py collectstatic --noinput -v 0
echo "-- deploy/entrypoint.sh migrate (als $owner)"
DATABASE_URL=$owner_url deploy/entrypoint.sh migrate
echo "-- Demo-Stadt als Datenbestand, TOTP-Gerät für planung (als $owner)"
DATABASE_URL=$owner_url SOZIALRAUM_MODE=demo REDIS_URL='' "$PYTHON" manage.py demo_town >/dev/null
totp_key=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
DATABASE_URL=$owner_url SMOKE_TOTP_KEY=$totp_key "$PYTHON" manage.py shell -v 0 -c "
import os
from django_otp.plugins.otp_totp.models import TOTPDevice
from sozialraum.models import User
user = User.objects.get(username='planung')
TOTPDevice.objects.filter(user=user).delete()
TOTPDevice.objects.create(user=user, name='Probelauf', key=os.environ['SMOKE_TOTP_KEY'], confirmed=True)
"

SMOKE_WORK="$work/run" SMOKE_APP_URL=$app_url SMOKE_OWNER_URL=$owner_url \
    SMOKE_USER=planung SMOKE_PASSWORD=demo-passwort SMOKE_TOTP_KEY=$totp_key \
    "$PYTHON" tests/production/smoke.py
