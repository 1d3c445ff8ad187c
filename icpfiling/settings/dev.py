"""The embedded run (`make run`) and local development: SQLite, the filesystem broker, a file cache."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz")
MIIT_CALLBACK_SECRET = env("MIIT_CALLBACK_SECRET", default="dev-only-callback-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "0.0.0.0"])  # noqa: S104

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
