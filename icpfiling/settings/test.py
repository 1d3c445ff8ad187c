"""The test suite. SQLite and the filesystem broker by default; PostgreSQL and Redis when DATABASE_URL / REDIS_URL
are set (that is what .ci/run does)."""

from .base import *
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH"
MIIT_CALLBACK_SECRET = "test-callback-secret"
ALLOWED_HOSTS = ["*"]
DEMO_MODE = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests keep their uploads and broker folders apart from a developer's `make run` data.
_TEST_VAR = VAR_DIR / "test"
PRIVATE_STORAGE_ROOT = _TEST_VAR / "private"
STORAGES["default"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_TEST_VAR / "broker" / "queue"),
        "data_folder_out": str(_TEST_VAR / "broker" / "queue"),
        "control_folder": str(_TEST_VAR / "broker" / "control"),
        "store_processed": False,
    }

# Most tests run tasks in-process; tests marked `integration` start a real worker with eager mode off.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True

CAPTCHA_TEST_MODE = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "TEST_REQUEST_DEFAULT_FORMAT": "json"}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
