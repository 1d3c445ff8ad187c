"""Production: every secret from the environment, HTTPS everywhere, no demo pages."""

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
MIIT_CALLBACK_SECRET = env("MIIT_CALLBACK_SECRET")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DEMO_MODE = env.bool("DEMO_MODE", default=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
