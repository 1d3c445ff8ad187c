# One image for every process of the portal: web (gunicorn, the default command), the Celery worker and Celery
# beat. docker-compose.yml runs all three from it; docs/deployment.md explains the environment it expects.
#
# Written for the classic builder as well as BuildKit: no RUN heredocs, no cache mounts.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=icpfiling.settings.production \
    ICP_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# An unprivileged user with a fixed id (volumes and file permissions stay predictable across rebuilds).
RUN groupadd --system --gid 10001 icp \
    && useradd --system --uid 10001 --gid icp --home-dir /app --no-create-home --shell /usr/sbin/nologin icp

# Dependencies first, from pyproject.toml alone, so this layer is rebuilt only when they change. The project itself
# is not installed (`packages = []`; the code runs from /app), so the dependency list is read straight from
# [project].dependencies: no build backend, no README needed at this stage. The compiled dependencies ship
# manylinux wheels for CPython 3.11 (psycopg[binary], Pillow), so no compiler is installed; on a platform without
# wheels, add build-essential to this step.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code, owned by root and read-only for the runtime user (.dockerignore keeps out .git, .venv, var/, .env, tests).
COPY . .

# Build-time steps under the production settings. Those refuse to load without SECRET_KEY, MIIT_CALLBACK_SECRET and
# ALLOWED_HOSTS, so throwaway values are exported in this one RUN shell only; they are not ENV and do not reach the
# image's runtime environment. Nothing here touches a database or the broker. ICP_VAR_DIR points at a scratch folder
# so the folders the apps create on start-up do not land in the image.
#  - compile_catalogues: locale/*/LC_MESSAGES/*.po -> .mo with polib (no gettext in the image);
#  - collectstatic: into STATIC_ROOT (/app/staticfiles) with whitenoise's CompressedManifestStaticFilesStorage, which
#    writes the hashed names, the manifest and the compressed copies that whitenoise serves at run time.
RUN export SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0123456789 \
        MIIT_CALLBACK_SECRET=build-only-not-a-secret \
        ALLOWED_HOSTS=localhost \
        DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
        ICP_VAR_DIR=/tmp/build-var \
    && python manage.py compile_catalogues \
    && python manage.py collectstatic --noinput --verbosity 1 \
    && rm -rf /tmp/build-var /tmp/build-only.sqlite3 \
    && mkdir -p /app/var \
    && chown icp:icp /app/var

# Numeric, so an orchestrator can verify it is not root (Kubernetes runAsNonRoot).
USER 10001:10001

EXPOSE 8000

# /healthz answers 200 when the database and the broker answer, 503 otherwise. The script sends a Host header taken
# from ALLOWED_HOSTS, so the check passes whatever host names production allows. Worker and beat containers run the
# same image: docker-compose.yml gives them their own check (or none).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

# gunicorn, gthread workers; workers, threads and timeout come from GUNICORN_* variables (docker/gunicorn.conf.py).
# Worker:  celery -A icpfiling worker --loglevel=INFO
# Beat:    celery -A icpfiling beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler
CMD ["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "icpfiling.wsgi"]
