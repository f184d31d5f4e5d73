# Production image: gunicorn serving guide.wsgi, static files served by WhiteNoise.
# Build: docker build -t career-guide .   Run: see compose.yaml and docs/deploy.md.

# --- build: dependencies into a virtualenv, static files collected -------------
FROM python:3.13-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/venv/bin:$PATH

RUN python -m venv /venv

WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
# pyproject.toml lists dependencies only ([tool.setuptools] packages = []).
COPY pyproject.toml ./
RUN pip install --no-cache-dir .

COPY . .
# Production storage (hashed names, gzip and brotli) needs production settings;
# these values (and the example "who we are" of deploy/example.env) exist for this
# one command and are not kept in the image.
RUN set -a && . deploy/example.env && set +a \
    && DJANGO_ENV=production DJANGO_SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost/build SITE_URL=https://localhost TRUSTED_PROXY_COUNT=1 \
    python manage.py collectstatic --no-input

# --- runtime -----------------------------------------------------------------
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    DJANGO_ENV=production \
    PORT=8000

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build /app /app
# The code stays root-owned (read-only to the app); only uploads are writable.
RUN mkdir -p /app/media && chown app:app /app/media

USER 10001:10001
EXPOSE 8000

# Liveness only (no database): see deploy/healthcheck.py and guide/health.py.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "guide.wsgi"]
