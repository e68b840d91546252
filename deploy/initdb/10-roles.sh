#!/bin/bash
# First start of the db service (the postgres image runs /docker-entrypoint-initdb.d/ once, on an
# empty data volume): the portal's two roles.
#   SOZIALRAUM_DB_OWNER (sozialraum_owner)  owns the database and its tables, runs the migrations
#   SOZIALRAUM_DB_APP   (sozialraum_app)    web, worker and beat: rows only, nothing on the schema
# Only what needs the superuser happens here. The app role's grants and the default privileges for
# later tables are given by the owner in the migrate service after every migration
# (`manage.py db_roles_setup --nur-rechte`, privacy/db_roles.py); an existing PostgreSQL gets all
# of it from `manage.py db_roles_setup` run as a superuser.
# CI runs this same script against a fresh database (.ci/smoke-production.sh).
set -euo pipefail

owner=${SOZIALRAUM_DB_OWNER:-sozialraum_owner}
app=${SOZIALRAUM_DB_APP:-sozialraum_app}
: "${SOZIALRAUM_DB_OWNER_PASSWORD:?SOZIALRAUM_DB_OWNER_PASSWORD fehlt (Passwort der Eigentümer-Rolle)}"
: "${SOZIALRAUM_DB_APP_PASSWORD:?SOZIALRAUM_DB_APP_PASSWORD fehlt (Passwort der App-Rolle)}"

psql -v ON_ERROR_STOP=1 -X -q --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    -v owner="$owner" -v app="$app" -v database="${POSTGRES_DB:-postgres}" \
    -v owner_password="$SOZIALRAUM_DB_OWNER_PASSWORD" -v app_password="$SOZIALRAUM_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';
ALTER DATABASE :"database" OWNER TO :"owner";
GRANT USAGE, CREATE ON SCHEMA public TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
echo "Rollen $owner (Eigentümer) und $app (App) angelegt."
