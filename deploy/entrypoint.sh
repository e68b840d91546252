#!/bin/sh
# The portal's processes, one command each. docker-compose.yml's services and CI's production
# smoke run (.ci/smoke-production.sh) start exactly these, so the two cannot drift apart.
#
#   deploy/entrypoint.sh migrate       migrations as the owner role, then the app role's grants
#   deploy/entrypoint.sh web           gunicorn on SOZIALRAUM_BIND (0.0.0.0:8000)
#   deploy/entrypoint.sh worker        Celery worker, node name celery@$HOSTNAME
#   deploy/entrypoint.sh beat          Celery beat (the schedule lives in the code)
#   deploy/entrypoint.sh check-web     health check: GET /health/ must answer 200
#   deploy/entrypoint.sh check-worker  health check: this container's worker answers a ping
#   deploy/entrypoint.sh <command...>  anything else runs as given (e.g. python manage.py shell)
#
# PYTHON names the interpreter (the image: python; CI: the project's .venv/bin/python).
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
BIND=${SOZIALRAUM_BIND:-0.0.0.0:8000}
NODE="celery@${HOSTNAME:-$(hostname)}"

case "${1:-web}" in
migrate)
    "$PYTHON" manage.py migrate --noinput
    # New tables need the app role's grants; the owner gives them (privacy/db_roles.py).
    exec "$PYTHON" manage.py db_roles_setup --nur-rechte
    ;;
web)
    exec "$PYTHON" -m gunicorn portal.wsgi:application --bind "$BIND" --timeout 120
    ;;
worker)
    exec "$PYTHON" -m celery -A portal worker --loglevel INFO --hostname "$NODE"
    ;;
beat)
    exec "$PYTHON" -m celery -A portal beat --loglevel INFO \
        --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}"
    ;;
check-web)
    # As the reverse proxy would ask: an allowed host name and X-Forwarded-Proto (else the
    # portal answers with its redirect to HTTPS).
    exec "$PYTHON" - "$BIND" <<'PY'
import os
import sys
import urllib.request

port = sys.argv[1].rsplit(":", 1)[-1]
host = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/health/",
    headers={"Host": host if host not in {"", "*"} else "localhost", "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        print(response.read().decode())
except Exception as problem:  # 503 included: urlopen raises HTTPError for it
    print(f"Portal nicht gesund: {problem}", file=sys.stderr)
    sys.exit(1)
PY
    ;;
check-worker)
    exec "$PYTHON" -m celery -A portal inspect ping --destination "$NODE" --timeout 5
    ;;
*)
    exec "$@"
    ;;
esac
