# Production image of the Sozialraum portal: gunicorn (web), Celery worker and beat all run from it.
FROM python:3.12-slim-bookworm

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
COPY . /app
RUN pip install . \
    && rm -rf /app/build /app/*.egg-info

# Static files are collected once at build time and served by whitenoise. Settings only need
# placeholder values here; nothing connects to a database.
RUN SOZIALRAUM_MODE=production \
    DJANGO_SECRET_KEY=build-only-placeholder-never-used-at-runtime-0123456789abcdef \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown sozialraum:sozialraum /app/media

USER sozialraum
EXPOSE 8000

# docker-compose.yml sets the command per service; this default is the web process.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn portal.wsgi:application --bind 0.0.0.0:8000"]
