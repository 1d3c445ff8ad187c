"""Settings shared by every environment.

Everything that differs between machines is read from the environment here, through django-environ, and nowhere
else. ``dev``, ``test`` and ``production`` only change defaults and switch features on or off.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Runtime state of the embedded run (SQLite file, broker folders, cache, private uploads) lives under var/.
VAR_DIR = Path(env("ICP_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Proxies whose X-Forwarded-For is believed (addresses or networks, e.g. the compose network's nginx); empty: none
# (core.middleware.TrustedProxyMiddleware).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Demo mode shows the simulated phone and the demo hints; production turns it off.
DEMO_MODE = env.bool("DEMO_MODE", default=True)
# The benchmarks' reference page (one row by primary key, a tiny template: bench/README.md); off unless asked for.
BENCH_BASELINE = env.bool("BENCH_BASELINE", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "captcha",
    "csp",
    "django_celery_beat",
    "django_fsm",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework",
    "rest_framework.authtoken",
    "storages",
    # ours, in import order (DESIGN.md)
    "core",
    "accounts",
    "regions",
    "subjects",
    "websites",
    "filings",
    "reviews",
    "notifications",
    "miit",
]

MIDDLEWARE = [
    "core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.RenamedBackendMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # axes must come last (DESIGN.md, known traps)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "icpfiling.urls"
WSGI_APPLICATION = "icpfiling.wsgi.application"
ASGI_APPLICATION = "icpfiling.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# A new PostgreSQL connection costs ~4 ms here: keep connections, check them before use.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process, the worker and beat share one file: WAL lets readers and one writer work at once, and
    # IMMEDIATE transactions take the write lock up front instead of failing with "database is locked" later.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    # Parameters bound by the server, and a statement run a few times on a connection prepared there: PostgreSQL
    # then skips parsing and planning it again (the order page's query took ~5 ms to plan; docs/performance.md,
    # fix 13). Switch it off behind a transaction-pooling PgBouncer, which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 2})

# How many connections a sweep over tens of thousands of orders spreads its writes over, each its own transaction
# (filings.services.transitions.order_expire_due; PostgreSQL only). 1: one transaction, one core of the database.
SWEEP_CONNECTIONS = env.int("SWEEP_CONNECTIONS", default=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis and written through to the database (which keeps them across a Redis restart):
    # a signed-in request no longer reads its session row (docs/performance.md).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
else:
    # One machine, nothing installed: a file cache and kombu's filesystem transport, both shared by every process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }

# An applicant's order list and order pages kept in the shared cache, keyed on a version that database triggers
# move on every change of what they show (filings/pagecache.py; docs/performance.md, fix 24). The triggers exist on
# PostgreSQL only, and the cache must be shared by every process: so only with both.
PAGE_CACHE = env.bool(
    "PAGE_CACHE", default=bool(REDIS_URL) and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
)

# --- Celery -----------------------------------------------------------------------------------------------------
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Every task started arms its soft limit's timer in the worker's main process, kept (about 0.5 KB) until it falls
# due even when the task ended long before: a busy worker holds tasks/s x soft limit of them, then no more
# (docs/performance.md, fix 22).
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Authentication ---------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first (DESIGN.md, known traps)
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's, reading the session's account in one statement (accounts.backends)
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# allauth: e-mail is the login, verified before the first sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# One lock-out mechanism only (axes): allauth's own failed-login limit is switched off.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Second-factor secrets encrypted at rest (keyed on SECRET_KEY and its fallbacks); staff keep their second factor.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# Wrong codes count toward the axes lock-out like wrong passwords (accounts.forms).
MFA_FORMS = {
    "authenticate": "accounts.forms.SecondFactorForm",
    "reauthenticate": "accounts.forms.SecondFactorReauthenticateForm",
}
MFA_TOTP_ISSUER = "ICP Filing Portal"

# axes: 5 failures for one account from one address lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
# templates/accounts/locked_out.html, HTTP 429, saying how long and that a password reset lifts it.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out_response"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Internationalisation ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language choice lasts for the browser session (no URL prefix, no long-lived cookie).
LANGUAGE_COOKIE_AGE = None
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded materials are private: they live outside every URL space and are served only by permission-checking
# views. MEDIA_URL is deliberately unset.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private")))
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default="icpfiling-private"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _private_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ICP 备案 <noreply@icp.example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- REST framework ---------------------------------------------------------------------------------------------
# The REST API (docs/api.md). Staff tokens expire (accounts.tokens); throttles can be switched off for a load or
# fuzzing run (API_THROTTLE_ENABLED=0, as `make schemathesis` does), never per endpoint.
API_STAFF_TOKEN_HOURS = env.int("API_STAFF_TOKEN_HOURS", default=8)
API_THROTTLE_ENABLED = env.bool("API_THROTTLE_ENABLED", default=True)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonThrottle", "core.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
        "public_query": env("API_THROTTLE_PUBLIC_QUERY", default="20/min"),
        "precheck": env("API_THROTTLE_PRECHECK", default="30/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Throttles key anonymous callers by REMOTE_ADDR, which TrustedProxyMiddleware has already resolved; DRF's
    # default (None) would take X-Forwarded-For as the client sends it, so a made-up header would dodge the limits.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICP Filing Portal API",
    "DESCRIPTION": (
        "Applicants' instances, service numbers, orders and materials; the pre-check; webhooks; the back office's "
        "queues and decisions; the public ICP query. Authentication, errors, throttling and webhook signatures: "
        "docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "filings.constants.OrderStatus",
        "OrderTypeEnum": "filings.constants.OrderType",
        "PrecheckOrderTypeEnum": "filings.api.precheck.PRECHECK_TYPE_CHOICES",
        "ServiceNumberStatusEnum": "websites.constants.ServiceNumberStatus",
        "OutboxStatusEnum": "notifications.constants.OutboxStatus",
    },
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 1, "maximum": 999999999999999999},
        "code": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
    },
}
# Webhook receivers must be https on public addresses (notifications.webhooks). Not read from the environment: only
# the test suite's own receiver on 127.0.0.1 may lift the address rule (a test switches it on for itself), with the
# CA of its own certificate.
WEBHOOK_ALLOW_PRIVATE_TARGETS = False
WEBHOOK_CA_BUNDLE = None

# --- CAPTCHA ----------------------------------------------------------------------------------------------------
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_LENGTH = 4
CAPTCHA_TEST_MODE = False

# --- Domain settings (RULES.md) ---------------------------------------------------------------------------------
ICP = {
    "SMS_WINDOW_HOURS": env.int("ICP_SMS_WINDOW_HOURS", default=24),
    "ORDER_VALIDITY_DAYS": 45,
    "MOBILE_CODE_VALID_MINUTES": 5,
    "MOBILE_CODE_RESEND_SECONDS": 60,
}
# The callback secret shared with the (simulated) administration; HMAC-SHA256 (core.signing).
MIIT_CALLBACK_SECRET = env("MIIT_CALLBACK_SECRET", default="")
# How the portal reaches the administration (filings/gateway.py): "inprocess" or "http" (to MIIT_BASE_URL).
MIIT_GATEWAY = env("MIIT_GATEWAY", default="inprocess")
MIIT_BASE_URL = env("MIIT_BASE_URL", default="http://127.0.0.1:8000/miit/")
# The simulated administration (docs/administration.md): where and how it calls the portal back ("http", "inprocess",
# or empty: http when MIIT_GATEWAY is http), and how many seconds a simulated working day of review lasts (0: real
# working days; `make run` sets a demo speed).
PORTAL_CALLBACK_URL = env("PORTAL_CALLBACK_URL", default="http://127.0.0.1:8000/filing/callbacks/administration/")
MIIT_CALLBACK_TRANSPORT = env("MIIT_CALLBACK_TRANSPORT", default="")
MIIT_SECONDS_PER_WORKING_DAY = env.int("MIIT_SECONDS_PER_WORKING_DAY", default=0)
# This provider's name as an access provider (接入商) in the administration's registry.
ICP_PROVIDER_NAME = env("ICP_PROVIDER_NAME", default="示例云计算有限公司")

# --- Logging ----------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

PORTAL_NAME = _("ICP Filing Portal")

# --- Notifications (notifications/conf.py has the defaults) ------------------------------------------------------
NOTIFICATIONS = {
    "SMS_GATEWAY": env("SMS_GATEWAY", default="notifications.sms.PhoneNetworkGateway"),
    "SITE_URL": env("SITE_URL", default="http://localhost:8000"),
}
