"""Hamkke settings, read from the environment (see README, "Configuration").

Development needs no variable at all: SQLite and an embedded Celery broker
under var/, secrets generated once into var/. HAMKKE_ENV=production demands
real values and turns on every transport-security setting.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from ngo.lib import env as envlib
from ngo.schema_enums import SCHEMA_ENUM_NAMES

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("HAMKKE_VAR_DIR", default=str(BASE_DIR / "var")))
# The test suite runs in parallel processes (pytest-xdist sets this): each one, and
# the Celery workers its tests start, get their own files and their own cache.
TEST_PROCESS = env.str("PYTEST_XDIST_WORKER", default="")
if TEST_PROCESS:
    VAR_DIR = VAR_DIR / TEST_PROCESS

HAMKKE_ENV = envlib.read_choice(env, "HAMKKE_ENV", "development", {"development", "production"})
PRODUCTION = HAMKKE_ENV == "production"
DEMO_MODE = envlib.read_bool(env, "HAMKKE_DEMO", False)
if PRODUCTION and DEMO_MODE:
    raise envlib.fail("HAMKKE_DEMO", "cannot be on when HAMKKE_ENV=production.")

DEBUG = envlib.read_bool(env, "DEBUG", False)
if PRODUCTION and DEBUG:
    raise envlib.fail("DEBUG", "cannot be on when HAMKKE_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise envlib.fail(
            "SECRET_KEY", "is required in production (at least 50 random characters)."
        )
    _field_keys = env.str("FIELD_ENCRYPTION_KEY", default="")
    if not _field_keys:
        raise envlib.fail("FIELD_ENCRYPTION_KEY", "is required in production.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or envlib.secret_from_file(
        VAR_DIR / "secret_key", create=envlib.new_secret_key
    )
    _field_keys = env.str("FIELD_ENCRYPTION_KEY", default="") or envlib.secret_from_file(
        VAR_DIR / "field_encryption_key", create=envlib.new_fernet_key
    )
FIELD_ENCRYPTION_KEYS = envlib.parse_fernet_keys(_field_keys)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise envlib.fail("ALLOWED_HOSTS", "is required in production (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Old secret keys still accepted for signatures (sessions, tokens) during a rotation.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_celery_beat",
    "django_countries",
    "ngo.accounts",
    "ngo.audit",
    "ngo.directory",
    "ngo.backups",
    "counselling",
    "counselling.shelters",
    "counselling.programmes",
    "counselling.hotline",
    "counselling.support",
    "counselling.letters",
    "counselling.incidents",
    "counselling.consent_texts",
    "counselling.retention",
    "counselling.rights",
    "counselling.transfers",
    "counselling.approvals",
    "counselling.safety",
    "campaigns",
    "policy_monitor",
    "policy_monitor.statistics",
    # Last: its ready() connects to the deadlines the apps above registered.
    "ngo.reminders",
]

MIDDLEWARE = [
    "ngo.lib.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ngo.accounts.middleware.SessionLimitsMiddleware",
    "ngo.accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ngo.lib.request_context.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ngo.urls"
WSGI_APPLICATION = "ngo.wsgi.application"

# Selects are built in Python: a list of countries is hundreds of options.
FORM_RENDERER = "ngo.lib.forms.FormRenderer"

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
                "ngo.accounts.context_processors.hamkke",
                "ngo.directory.context_processors.directory_nav",
                "ngo.reminders.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": envlib.read_database(env, VAR_DIR / "hamkke.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60 if PRODUCTION else 0)
# Behind PgBouncer in transaction mode a connection is not kept between
# transactions, so exports stream without server-side cursors (still in chunks).
if env.bool("DATABASE_TRANSACTION_POOLING", default=False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The test suite copies its PostgreSQL databases from a migrated template
# (manage.py prepare_test_database) instead of migrating each one.
if _test_template := env.str("HAMKKE_TEST_DB_TEMPLATE", default=""):
    DATABASES["default"]["TEST"] = {"TEMPLATE": _test_template}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Two PostgreSQL roles: `manage.py migrate` connects as the owner of the schema
# (DATABASE_OWNER_URL) and grants the runtime role (HAMKKE_RUNTIME_DB_ROLE, by default
# the user of DATABASE_URL) what web, worker and beat need: no TRUNCATE, no triggers,
# and only SELECT and INSERT on the audit tables. Unset: one role, nothing granted.
DATABASE_OWNER = envlib.read_owner_credentials(env, DATABASES["default"])
RUNTIME_DB_ROLE = envlib.read_runtime_role(env, DATABASES["default"], DATABASE_OWNER)
# HMAC keys of the audit seals (ngo/audit/sealing.py); unset: plain SHA-256.
AUDIT_SEAL_KEYS = envlib.read_seal_keys(env)

REDIS_URL = envlib.read_redis_url(env)
if PRODUCTION and not REDIS_URL:
    raise envlib.fail("REDIS_URL", "is required in production (the Celery broker and cache).")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": envlib.redis_database(REDIS_URL, 1 + int(TEST_PROCESS[2:]))
            if TEST_PROCESS.startswith("gw")
            else REDIS_URL,
            "KEY_PREFIX": "hamkke",
            # Redis down or unreachable: fail within a second or two, not a
            # request's lifetime (callers on request paths carry on without it).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- People, login, sessions -------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ngo.accounts.backends.StaffBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2 for new and changed passwords; a PBKDF2 hash is rehashed at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = envlib.read_int(env, "SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_SECONDS = envlib.read_int(env, "SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# Saved when it changes; the idle limit's clock changes it once a minute at most
# (ngo.accounts.middleware.SessionLimitsMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Lock the account after 5 failures, and also the address that tried them.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False  # its log lines carry e-mail addresses and IPs
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True

OTP_TOTP_ISSUER = "Hamkke"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10

# API tokens (django-rest-knox, hashed at rest): a working day by default.
API_TOKEN_HOURS = envlib.read_int(env, "API_TOKEN_HOURS", 9, minimum=1)
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model name)
# knox's own AuthToken is swapped out for accounts.ApiToken; without this its
# migrations would still create an unused knox_authtoken table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    "TOKEN_PREFIX": "hk_",
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# --- Security headers ----------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = envlib.read_bool(env, "SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envlib.read_int(env, "SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if envlib.read_bool(env, "BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = envlib.read_int(env, "TRUSTED_PROXY_COUNT", 0)

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ngo" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Seoul")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise envlib.fail("TIME_ZONE", f"is not a known time zone (got {TIME_ZONE!r}).") from None
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package.json); only their dist folders are served.
STATICFILES_DIRS = [
    BASE_DIR / "ngo" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded documents: encrypted, outside any public path, never served directly.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# A subject-access export (her copy of her data) is kept this long, then deleted.
RIGHTS_EXPORT_KEEP_DAYS = envlib.read_int(env, "RIGHTS_EXPORT_KEEP_DAYS", 14, minimum=1)
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# The head office's address and telephone, printed on consent forms when neither
# her branch nor the head office's record has an address or telephone.
HEAD_OFFICE_ADDRESS = env.str("HAMKKE_HEAD_OFFICE_ADDRESS", default="")
HEAD_OFFICE_PHONE = env.str("HAMKKE_HEAD_OFFICE_PHONE", default="")
# The NGO's name on the title page of shadow-report drafts (policy_monitor.drafts).
NGO_NAME = env.str("HAMKKE_NGO_NAME", default="Migrant Women Human Rights Centre of Korea")
# `manage.py backup` / `restore`: the folder holding pg_dump and pg_restore. Unset,
# they are looked for in /usr/lib/postgresql/<server major version>/bin, then on PATH.
BACKUP_PG_BIN = env.str("HAMKKE_PG_BIN", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail ----------------------------------------------------------------------
_email_url = env.str("EMAIL_URL", default="consolemail://" if not PRODUCTION else "")
if PRODUCTION and not _email_url:
    raise envlib.fail(
        "EMAIL_URL", "is required in production (e.g. smtp+tls://user:pass@host:587)."
    )
try:
    vars().update(environ.Env.email_url_config(_email_url))
except Exception as exc:
    raise envlib.fail("EMAIL_URL", f"could not be parsed: {exc}") from None
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hamkke@localhost")

# --- API -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "ngo.accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ngo.access.api.IsVerifiedStaff"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "ngo.access.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "ngo.access.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ngo.access.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "ngo.access.api.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": "10/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hamkke API",
    "DESCRIPTION": "Case management and advocacy for a migrant women's human-rights NGO.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs only for signed-in staff (session past the second
    # factor, or a token), as the API itself.
    "SERVE_PERMISSIONS": ["ngo.access.api.IsVerifiedStaff"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields named alike ("status", "kind", "level") with different choices.
    "ENUM_NAME_OVERRIDES": SCHEMA_ENUM_NAMES,
}

# --- Celery ------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A web request hands its task over once: with the broker down it fails in
    # well under a second instead of retrying for ~20 s (the database holds the
    # work, and the periodic scans queue it when the broker is back).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "max_retries": 0,
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
    }
else:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _results_dir = VAR_DIR / "celery" / "results"
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{_results_dir}"
    for _folder in (
        _queue_dir,
        _results_dir,
        VAR_DIR / "celery" / "processed",
        VAR_DIR / "celery" / "control",
    ):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "ngo.health", "schedule": crontab(minute="*/5")},
    "release-expired-bed-holds": {
        "task": "counselling.release_expired_bed_holds",
        "schedule": crontab(minute="*"),
    },
    # Reminders: the database says what is due; these scans deliver it.
    "reminders-refresh": {"task": "reminders.refresh", "schedule": crontab(minute="*/10")},
    "reminders-dispatch": {"task": "reminders.dispatch", "schedule": crontab(minute="*")},
    "audit-seal": {"task": "audit.seal", "schedule": crontab(minute="*")},
    "retention-propose-due": {
        "task": "retention.propose_due",
        "schedule": crontab(hour=3, minute=0),
    },
    "rights-build-waiting-exports": {
        "task": "rights.build_waiting",
        "schedule": crontab(minute="*/5"),
    },
    "rights-delete-expired-exports": {
        "task": "rights.delete_expired",
        "schedule": crontab(hour=3, minute=20),
    },
    "hotline-purge-unlinked-calls": {
        "task": "hotline.purge_unlinked_calls",
        "schedule": crontab(hour=3, minute=40),
    },
    "generate-waiting-datasets": {
        "task": "policy_monitor.generate_waiting_datasets",
        "schedule": crontab(minute="*/5"),
    },
}

# --- Shadow-report statistics ---------------------------------------------------------
# The first month of the centre's case records: a dataset cannot start earlier.
STATISTICS_RECORDS_START = envlib.read_month(env, "STATISTICS_RECORDS_START", "2000-01")

# --- Reminders -----------------------------------------------------------------------
# Whole-day reminders and the daily digest go out at this hour, Seoul time.
REMINDER_MORNING_HOUR = envlib.read_int(env, "REMINDER_MORNING_HOUR", 8)
REMINDER_DIGEST_HOUR = envlib.read_int(env, "REMINDER_DIGEST_HOUR", 8)
for _name in ("REMINDER_MORNING_HOUR", "REMINDER_DIGEST_HOUR"):
    if not 0 <= vars()[_name] <= 23:
        raise envlib.fail(_name, "must be an hour from 0 to 23.")
# Items overdue for longer than this drop out of reminders and digests.
REMINDER_OVERDUE_DAYS = envlib.read_int(env, "REMINDER_OVERDUE_DAYS", 60)
# E-mails claimed, sent over one connection and marked sent together. A worker killed
# in the middle of a batch sends that batch again, so this also bounds the repeats.
REMINDER_EMAIL_BATCH = envlib.read_int(env, "REMINDER_EMAIL_BATCH", 100, minimum=1)
# The address people open Hamkke at; links in e-mails start with it.
SITE_URL = env.str(
    "SITE_URL",
    default=f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000",
)

# --- DV confirmation letters (counselling.letters) -----------------------------------
# The public address of the verification page, printed on every letter with its QR
# code; the page needs no sign-in, so it may be served on another host than SITE_URL.
PUBLIC_URL = env.str("HAMKKE_PUBLIC_URL", default=SITE_URL).rstrip("/")
# Keys of the verification digests (number + birth date): the first digests new
# letters, every one verifies. Default: the field keys. A letter whose records were
# destroyed cannot be digested again, so keep a retired key listed (see README).
LETTER_VERIFICATION_KEYS = env.list("HAMKKE_LETTER_KEYS", default=FIELD_ENCRYPTION_KEYS)
# Verification attempts allowed per client address and per letter number.
LETTER_VERIFY_IP_LIMIT = envlib.read_int(env, "LETTER_VERIFY_IP_LIMIT", 10, minimum=1)
LETTER_VERIFY_IP_MINUTES = envlib.read_int(env, "LETTER_VERIFY_IP_MINUTES", 15, minimum=1)
LETTER_VERIFY_NUMBER_LIMIT = envlib.read_int(env, "LETTER_VERIFY_NUMBER_LIMIT", 5, minimum=1)
LETTER_VERIFY_NUMBER_MINUTES = envlib.read_int(env, "LETTER_VERIFY_NUMBER_MINUTES", 60, minimum=1)

# --- Logging: no personal data; every line carries the request id ---------------
LOG_LEVEL = envlib.read_choice(
    env, "LOG_LEVEL", "info", {"debug", "info", "warning", "error"}
).upper()
# One JSON object per line for a log collector (production), or readable lines.
LOG_FORMAT = envlib.read_choice(
    env, "HAMKKE_LOG_FORMAT", "json" if PRODUCTION else "plain", {"json", "plain"}
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ngo.lib.request_context.RequestIdLogFilter"},
        "withhold_data": {"()": "ngo.lib.log.WithholdDataFilter"},
    },
    "formatters": {
        "plain": {"()": "ngo.lib.log.PlainFormatter"},
        "json": {"()": "ngo.lib.log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "withhold_data"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger can attach the request (with POST data) to
        # records; our filter strips it, and nothing mails errors out.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The development server's lines carry query strings; ngo.request logs
        # every request without them.
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # SQL with its parameters, even at LOG_LEVEL=debug.
        "django.db.backends": {"level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint narrates every step of every PDF at INFO; only its warnings.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
ADMINS = []

# --- Error reporting (optional): only exception types and code locations leave ------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ngo.lib import error_reporting

    error_reporting.start(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=HAMKKE_ENV),
        release=env.str("SENTRY_RELEASE", default="") or None,
    )

# --- Health endpoint -------------------------------------------------------------------
# The beat queues the heartbeat task every 5 minutes; /health/ calls the worker
# failing once its last heartbeat is older than this.
HEALTH_WORKER_SILENCE_MINUTES = envlib.read_int(env, "HEALTH_WORKER_SILENCE_MINUTES", 15, minimum=6)
