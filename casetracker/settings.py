"""casetracker settings: one module, every deployment knob read from the environment.

Development works with no environment at all (SQLite file in the project folder, DEBUG off
unless asked for). Production sets at least SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS; a
missing key with DEBUG off stops the process with a clear message instead of running unsafe.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


class StrictEnv(environ.Env):
    """django-environ reads any word it does not know as False ("ture", "yes please"): a typo
    in production would turn a protection off without a word. Only true/false/1/0 (any case)
    are booleans here; anything else stops the process with the variable's name."""

    BOOLEAN_WORDS = {"true": True, "1": True, "false": False, "0": False}

    def bool(self, var, default=environ.Env.NOTSET):
        raw = self.str(var, default="")
        if raw == "":
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable.")
            return default
        value = self.BOOLEAN_WORDS.get(raw.strip().lower())
        if value is None:
            raise ImproperlyConfigured(
                f"{var}={raw!r} is not a boolean: write true or false (or 1 or 0)."
            )
        return value


env = StrictEnv()
# A local .env file is convenient in development; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set "
            "DEBUG=true for local development only."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin, with a site that requires a verified second factor on every page.
    "casetracker.admin_site.SecureAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Trigram search lookups (pg_trgm) for public name search on PostgreSQL.
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # Background work: the task API, and its queue in the database (the worker is
    # `manage.py run_worker`); jobs/ records what each job did for the person who asked.
    "django_tasks",
    "django_tasks_db",
    # After axes and django_otp: casetracker/admin.py replaces their admin registrations.
    "casetracker",
    "orgs",
    "cases",
    "jobs",
]

MIDDLEWARE = [
    # First: every request gets an id and one log line, whatever answers it.
    "casetracker.request_log.RequestLogMiddleware",
    # Anonymous public reads go to the read replica when there is one.
    "casetracker.replica.PublicReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "casetracker.security.PermissionsPolicyMiddleware",
    # Outside everything that may answer a staff or account URL (the second-factor redirect
    # included), so that every such response is marked no-store.
    "casetracker.security.PrivateAreaNotCachedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language: the address's prefix on the public pages, the browser's elsewhere.
    "casetracker.languages.VisitorLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: request.user.is_verified() for everything below.
    "django_otp.middleware.OTPMiddleware",
    "casetracker.security.StaffAreaRequiresSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the logged-in user on every history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it turns a lockout raised anywhere into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address never reach the password check.
    "casetracker.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "casetracker.urls"
WSGI_APPLICATION = "casetracker.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'casetracker.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public pages read while a volunteer writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

# A PostgreSQL read replica for the public pages (casetracker.replica); in the test suite it is
# a mirror of the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["casetracker.replica.PublicReadsRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Each in its own language, as the language links show them. The public pages have an address
# per language (/kk/cases/12/; English without a prefix): see casetracker/languages.py.
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("ky", "Кыргызча"),
    ("ug", "ئۇيغۇرچە"),
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats for the languages Django has none for (Kazakh), and a few changes.
FORMAT_MODULE_PATH = ["casetracker.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "casetracker" / "static"]
MEDIA_URL = "media/"
# Uploads (photos, documents) are private: they live outside the static root and are never
# served by the web server directly.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Media on disk (MEDIA_ROOT) by default, or in an S3-compatible bucket (MEDIA_STORAGE=s3, through
# django-storages): private objects, served only through /files/ after its permission check.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
MEDIA_BACKENDS = {
    "filesystem": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET", default=""),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env.str("MEDIA_S3_PREFIX", default="media"),
        },
    },
}
if MEDIA_STORAGE not in MEDIA_BACKENDS:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: write filesystem or s3.")
if MEDIA_STORAGE == "s3" and not MEDIA_BACKENDS["s3"]["OPTIONS"]["bucket_name"]:
    raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")

STORAGES = {
    "default": MEDIA_BACKENDS[MEDIA_STORAGE],
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# Case history: record which user made each change, and keep history on delete.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Spreadsheet import of cases: the largest upload it reads, and the private folder where a
# previewed upload waits for the volunteer's confirmation (default: the system's temp folder).
CASE_IMPORT_MAX_BYTES = env.int("CASE_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# What an .xlsx may unpack to, all its parts together: checked before the workbook is read.
CASE_IMPORT_MAX_UNPACKED_BYTES = env.int("CASE_IMPORT_MAX_UNPACKED_BYTES", default=32 * 1024 * 1024)
CASE_IMPORT_DIR = env.str("CASE_IMPORT_DIR", default="") or None

# Logs: one JSON line per request and per message (casetracker.request_log), with the request's
# id, the user's id and the time taken; never a client address, a query string or an exception's
# message. LOG_FORMAT=text writes the same fields as key=value pairs.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: write json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "casetracker.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "casetracker.request_log.StructuredFormatter"},
        "text": {"()": "casetracker.request_log.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Query parameters can hold the names people search for: never log them at INFO.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # SQL with its parameters (the values of the rows) is never logged.
        "django.db.backends": {"level": "WARNING"},
        # django-axes reports every sign-in at INFO; lockouts and failures are in the audit log.
        "axes": {"level": "WARNING"},
    },
}

# --- Security ---------------------------------------------------------------------------------
# Production values are the default whenever DEBUG is off; each can be overridden from the
# environment (see README, "Security").

# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https and
# TRUSTED_PROXY_COUNT=1 (how many proxies append to X-Forwarded-For).
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None) or None
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Only staff sign in, and a forgotten open session on a shared computer is a way in: a session
# lasts STAFF_SESSION_MINUTES from sign-in (not renewed on each request, which would cost a write
# per page), and ends when the browser closes.
SESSION_COOKIE_AGE = env.int("STAFF_SESSION_MINUTES", default=240) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# No inline script or style anywhere, the admin included; nothing is loaded from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Two-factor: the issuer name shown in the authenticator app.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="casetracker")
# URL prefixes (besides the admin, which checks itself) that need a verified second factor.
SECOND_FACTOR_REQUIRED_PREFIXES = ["/staff/"]
# URL prefixes (besides the admin, whose views say it themselves) whose every response is
# `Cache-Control: private, no-store`: personal data, one-time codes.
NO_STORE_PREFIXES = ["/staff/", "/account/"]
# How long a one-time code (enrolment in two-factor sign-in, a new password) stays valid.
ACCOUNT_CODE_HOURS = env.int("ACCOUNT_CODE_HOURS", default=72)
if not 1 <= ACCOUNT_CODE_HOURS <= 24 * 30:
    raise ImproperlyConfigured("ACCOUNT_CODE_HOURS must be between 1 and 720 (30 days).")

# Brute force: the 5th failure locks the pair of username and address (never the username
# everywhere, which anyone could aim at a member, nor the address, which a whole office shares);
# the 6th try is refused. Across addresses a username is slowed down (casetracker.auth_backends):
# after SIGN_IN_SLOWDOWN_AFTER failures each try waits 1, 2, 4 … seconds, at most
# SIGN_IN_SLOWDOWN_MAX_SECONDS.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SIGN_IN_SLOWDOWN_AFTER = 5
SIGN_IN_SLOWDOWN_MAX_SECONDS = env.int("SIGN_IN_SLOWDOWN_MAX_SECONDS", default=60)
if SIGN_IN_SLOWDOWN_MAX_SECONDS < 1:
    raise ImproperlyConfigured("SIGN_IN_SLOWDOWN_MAX_SECONDS must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# A try refused during a lockout (or a slow-down) is not checked, so it is not a failure: it
# neither lengthens the lockout nor counts towards one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "casetracker.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "casetracker.security.client_ip"
AXES_VERBOSE = False

# The submission form's rate limit counts in the cache: production with several processes
# needs a shared cache (CACHE_URL=redis://... or a database cache).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://casetracker")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, with its Redis client made once instead of on every call.
    CACHES["default"]["BACKEND"] = "casetracker.cache.RedisCache"
# Several sites (or test runs) sharing one Redis keep apart by a prefix.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
# Public pages and downloads for anonymous visitors come from that cache too
# (cases.public.pagecache); a publication, revision or take-down invalidates them at once, the
# timeout only frees memory. Downloads larger than the limit are streamed each time.
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=True)
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=24 * 3600)
PUBLIC_PAGE_CACHE_MAX_BYTES = env.int("PUBLIC_PAGE_CACHE_MAX_BYTES", default=64 * 1024 * 1024)
# A cached download is stored, and read back while it streams, in parts of this size: a server
# process holds one part per download in flight, never the whole file.
PUBLIC_PAGE_CACHE_PART_BYTES = env.int("PUBLIC_PAGE_CACHE_PART_BYTES", default=512 * 1024)
# With a read replica, a page rendered this soon after a change of the public record is kept only
# this long (the replica may not have had the change yet): cases.public.pagecache._timeout.
PUBLIC_PAGE_CACHE_REPLICA_WINDOW_SECONDS = env.int(
    "PUBLIC_PAGE_CACHE_REPLICA_WINDOW_SECONDS", default=60
)
SUBMISSION_RATE_LIMIT = env.int("SUBMISSION_RATE_LIMIT", default=5)
SUBMISSION_RATE_WINDOW_SECONDS = env.int("SUBMISSION_RATE_WINDOW_SECONDS", default=3600)
# Duplicate checks against other groups' published entries (cases.duplicates), per user; the
# count lives in the same cache. An anonymous entry may only be hinted at: the limit keeps a list
# of candidate names from mapping them, and every match or refusal is in the audit log.
DUPLICATE_LOOKUP_LIMIT = env.int("DUPLICATE_LOOKUP_LIMIT", default=1000)
DUPLICATE_LOOKUP_WINDOW_SECONDS = env.int("DUPLICATE_LOOKUP_WINDOW_SECONDS", default=24 * 3600)

# Contacts and identity numbers are encrypted in the database (casetracker.encryption) with
# FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys, kept in the environment and never in the
# database. The first encrypts, all decrypt: to rotate, put a new key first, run
# `manage.py rotate_encryption_key`, then remove the old one. Make a key with
#   python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'
# Development only: a fixed key that anyone can read here, and never with DEBUG off.
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "Y2FzZXRyYWNrZXItZGV2ZWxvcG1lbnQta2V5LW9ubHk="
FIELD_ENCRYPTION_KEYS = [
    key.strip() for key in env.list("FIELD_ENCRYPTION_KEYS", default=[]) if key.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set. Contacts and ID numbers are encrypted in the "
            "database with it: set it to a Fernet key (python -c 'from cryptography.fernet "
            "import Fernet; print(Fernet.generate_key().decode())') kept outside the database "
            "and its backups, or set DEBUG=true for local development only."
        )
    warnings.warn(
        "FIELD_ENCRYPTION_KEYS is not set: contacts and ID numbers are encrypted with the "
        "public development key. Never enter real data this way.",
        stacklevel=1,
    )
    FIELD_ENCRYPTION_KEYS = [DEVELOPMENT_FIELD_ENCRYPTION_KEY]
elif not DEBUG and FIELD_ENCRYPTION_KEYS[0] == DEVELOPMENT_FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS starts with the development key, which is public: put a key of "
        "your own first and run `manage.py rotate_encryption_key`."
    )
for _position, _key in enumerate(FIELD_ENCRYPTION_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError:
        # The position, never the key: this message ends up in logs.
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS: key {_position} is not a Fernet key (32 bytes in url-safe "
            "base64, 44 characters)."
        ) from None
del _position, _key

# Uploads: the largest file accepted, and the largest image (in pixels) decoded.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_IMAGE_PIXELS = 40_000_000
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# The load balancer's and monitoring's probe answers over plain http on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Operations ---------------------------------------------------------------------------------
# Background work (jobs/): "database" queues tasks for `manage.py run_worker`; "immediate" runs
# them inside the request (the test suite, and a quick trial without a worker).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASK_BACKEND = env.str("TASK_BACKEND", default="database")
if TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_BACKEND={TASK_BACKEND!r}: write database or immediate.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND]}}
# Backups (`manage.py backup`, `manage.py restore`): archives are encrypted to the age public
# key(s) in BACKUP_RECIPIENT; only the restoring machine holds the private key (BACKUP_IDENTITY,
# or a file named by BACKUP_IDENTITY_FILE). `manage.py backup_key` makes a pair.
BACKUP_RECIPIENT = env.list("BACKUP_RECIPIENT", default=[])
BACKUP_IDENTITY = env.str("BACKUP_IDENTITY", default="")
BACKUP_IDENTITY_FILE = env.str("BACKUP_IDENTITY_FILE", default="")
# /healthz fails when a task has waited longer than this for a worker.
QUEUE_MAX_WAIT_SECONDS = env.int("QUEUE_MAX_WAIT_SECONDS", default=600)
# A worker that has not said it is alive for this long is gone: its running job is failed.
WORKER_LOST_SECONDS = env.int("WORKER_LOST_SECONDS", default=120)
# A staff XLSX export of more rows than this is written by the worker, not in the request.
BACKGROUND_EXPORT_ROWS = env.int("BACKGROUND_EXPORT_ROWS", default=2000)
