# Production image of the Sozialraum portal: migrate, gunicorn (web), Celery worker and beat all run
# from it through deploy/entrypoint.sh.
#
# The Python version is set here and only here: the minor version of this FROM line is the one CI
# tests with (.ci/run refuses to run on another; Debian 12's python3 is 3.11).
FROM python:3.11-slim-bookworm

# The source tree comes first on the path (PYTHONPATH), so BASE_DIR is /app, where templates/ and
# static/ live, even though the packages are also installed into site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SOZIALRAUM_NO_BOOTSTRAP=1 \
    SOZIALRAUM_MODE=production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media \
    PYTHONPATH=/app

# Pango, HarfBuzz and fonts for WeasyPrint (committee reports as PDF).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/sozialraum --uid 10001 sozialraum

WORKDIR /app
# The dependencies from the lock first (a layer that survives code changes): the same pinned
# versions and hashes CI installs from requirements.lock, without the development tools.
COPY requirements-prod.lock /app/
RUN pip install --require-hashes -r requirements-prod.lock
COPY . /app
RUN pip install --no-deps . \
    && rm -rf /app/build /app/*.egg-info

# Static files are collected once at build time and served by whitenoise. Settings only need
# placeholder values here; nothing connects to a database.
RUN SOZIALRAUM_MODE=production \
    DJANGO_SECRET_KEY=build-only-placeholder-never-used-at-runtime-0123456789abcdef \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown sozialraum:sozialraum /app/media

USER sozialraum
EXPOSE 8000

# docker-compose.yml names the command per service: migrate, web, worker or beat.
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
