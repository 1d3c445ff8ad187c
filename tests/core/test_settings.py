"""Settings come from the environment (django-environ), and production settings pass the deploy checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": db["NAME"], "host": db.get("HOST"), "conn_max_age": db["CONN_MAX_AGE"],
    "health_checks": db["CONN_HEALTH_CHECKS"], "options": db.get("OPTIONS", {}),
    "broker": settings.CELERY_BROKER_URL, "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG, "hosts": settings.ALLOWED_HOSTS, "tz": settings.TIME_ZONE,
    "email": settings.EMAIL_BACKEND, "storage": settings.STORAGES["default"]["BACKEND"],
    "secret": settings.SECRET_KEY,
}))
"""


def _settings_under(env: dict, module: str = "icpfiling.settings.dev") -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_SETTINGS], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_configuration_the_portal_runs_on_sqlite_and_the_filesystem_broker():
    values = _settings_under({})
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in values["options"]["init_command"]
    assert values["options"]["timeout"] == 20
    assert values["broker"] == "filesystem://"
    assert values["cache"].endswith("FileBasedCache")
    assert values["tz"] == "Asia/Shanghai"


def test_database_url_and_redis_url_switch_to_postgresql_and_redis():
    values = _settings_under(
        {"DATABASE_URL": "postgres://icp:pw@db.internal:5432/icpfiling", "REDIS_URL": "redis://cache.internal:6379/2"}
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("icpfiling", "db.internal")
    assert values["conn_max_age"] == 60
    assert values["health_checks"] is True
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["cache"].endswith("RedisCache")


def test_debug_hosts_secret_email_and_storage_come_from_the_environment():
    values = _settings_under(
        {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "icp.example.com,www.icp.example.com",
            "SECRET_KEY": "from-the-environment",
            "EMAIL_URL": "smtp://mail.internal:1025",
            "STORAGE_BACKEND": "s3",
        }
    )
    assert values["debug"] is False
    assert values["hosts"] == ["icp.example.com", "www.icp.example.com"]
    assert values["secret"] == "from-the-environment"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["storage"] == "storages.backends.s3.S3Storage"


def test_production_settings_pass_check_deploy_without_warnings():
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' own switch, never a deployment's.
    dropped = {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="icpfiling.settings.production",
        SECRET_KEY="x9!v" + "k3#Qz7pL0sR2tY8uW4eA6dF1gH5jK9mN3bV7cX2zQ8wE4rT6yU1iO0pA",
        MIIT_CALLBACK_SECRET="a-long-random-callback-secret",
        ALLOWED_HOSTS="icp.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_prepares_a_statement_a_connection_runs_again_so_it_is_not_planned_every_time():
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    for _ in range(3):
        list(ContentType.objects.filter(app_label="filings").values_list("model", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "django_content_type"' in statement and "$1" in statement for statement in prepared), prepared
