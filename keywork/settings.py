"""Keywork's one settings file. Everything that differs between machines comes from
the environment (see README.md, "Configuration"); with nothing set, Keywork runs in
development on an SQLite database under var/."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from keywork.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KEYWORK_VAR_DIR", str(BASE_DIR / "var")))

KEYWORK_ENV = env_str("KEYWORK_ENV", "dev")
if KEYWORK_ENV not in {"dev", "test", "production"}:
    raise ImproperlyConfigured("KEYWORK_ENV must be dev, test or production")
PRODUCTION = KEYWORK_ENV == "production"

DEBUG = env_bool("DEBUG", default=KEYWORK_ENV == "dev")
SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Keywork refuses to run in production with DEBUG on.")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Keywork refuses to run in production without a SECRET_KEY of 50 or more characters."
        )
elif not SECRET_KEY:
    # Development and tests only: a fixed key keeps sessions across restarts.
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "keywork.core",
    "keywork.organisations",
    "keywork.accounts",
    "keywork.audit",
    "keywork.administration",
    "keywork.people",
    "keywork.imports",
    "keywork.notes",
    "keywork.tasks",
    "keywork.outcomes",
    "keywork.planning",
    "keywork.risk",
    "keywork.housing",
    "keywork.activities",
    "keywork.involvement",
    "keywork.notices",
    "keywork.oncall",
    "keywork.events",
    "keywork.supervision",
    "keywork.training",
    "keywork.feedback",
    "keywork.timeline",
    "keywork.home",
    "keywork.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "keywork.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "keywork.core.middleware.RequestSizeLimitMiddleware",
    "keywork.core.middleware.ShowingMethodsOnlyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "keywork.accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "keywork.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "keywork.audit.reads.ReadAuditMiddleware",
    "keywork.core.middleware.NoStoreForSignedInMiddleware",
    "keywork.core.middleware.NotFoundOrNotAllowedMiddleware",
    "keywork.core.middleware.BusyDatabaseMiddleware",
    # Last, so that it sees a lock-out raised by the sign-in view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keywork.urls"
WSGI_APPLICATION = "keywork.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "keywork" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keywork.home.context_processors.shell",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Pages ask short questions; PostgreSQL's JIT compiler spent about 50 ms on one
        # whose estimated cost was high but whose answer took 10 ms (My caseload).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "keywork.sqlite3",
            "OPTIONS": {
                # A write takes the lock when its transaction begins, so two writers
                # wait their turn (up to `timeout` seconds) rather than one failing
                # part-way; with the write-ahead log, pages that only read never wait
                # for a writer, nor a writer for them.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sign-in ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "keywork.accounts.backends.StaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home:home"

AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=30)
# An account is locked for the client address its wrong passwords came from: locked by
# email alone, anyone could keep a colleague out of Keywork by failing on their address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Tries during a lock are refused without being counted, so they cannot keep it shut.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "keywork.core.addresses.client_address"
# How many proxies in front of Keywork add the address they were reached from to
# X-Forwarded-For. Production runs behind one (see SECURE_PROXY_SSL_HEADER); without
# this, every client would seem to come from the proxy.
KEYWORK_TRUSTED_PROXIES = env_int("KEYWORK_TRUSTED_PROXIES", 1 if PRODUCTION else 0)
# One address trying many accounts: after this many wrong passwords, for any emails, in
# the window, it waits until the oldest of them is out of the window.
KEYWORK_SIGN_IN_TRIES_PER_ADDRESS = 30
KEYWORK_SIGN_IN_ADDRESS_WINDOW = timedelta(minutes=15)
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "keywork.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "Keywork"
# Each code works once: django-otp refuses a time step it has already accepted.
OTP_TOTP_TOLERANCE = 1

KEYWORK_IDLE_TIMEOUT = timedelta(minutes=30)
KEYWORK_ABSOLUTE_TIMEOUT = timedelta(hours=12)
KEYWORK_INVITATION_DAYS = 7
KEYWORK_REAUTH_MINUTES = 10
# A person stays visible to the team of a service this long after their episode there ends.
KEYWORK_CLOSED_EPISODE_VISIBLE_DAYS = env_int("KEYWORK_CLOSED_EPISODE_VISIBLE_DAYS", 90)
KEYWORK_BREAK_GLASS_MINUTES = 60
# An episode ended by mistake can be re-opened by its team for this long.
KEYWORK_REOPEN_DAYS = 30

SESSION_ENGINE = "keywork.accounts.sessions"
SESSION_COOKIE_AGE = int(KEYWORK_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "keywork_session"
CSRF_COOKIE_NAME = "keywork_csrf"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "keywork.core.views.csrf_failure"

# --- Requests -------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
KEYWORK_MAX_REQUEST_BYTES = env_int("KEYWORK_MAX_REQUEST_BYTES", 25 * 1024 * 1024)

# --- Security headers -----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-keywork_session"
    CSRF_COOKIE_NAME = "__Host-keywork_csrf"

# --- Audit ---------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Language, time -------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"

# --- Static files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Email -------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Keywork <no-reply@keywork.invalid>")
KEYWORK_BASE_URL = env_str("KEYWORK_BASE_URL", "http://127.0.0.1:8000")

# --- Background work -------------------------------------------------------------------
# Imports (and, later, reminders and exports) run as tasks; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Files people upload are kept here, outside the static and media roots, and are served
# only through views that check access first.
KEYWORK_PRIVATE_DIR = Path(env_str("KEYWORK_PRIVATE_DIR", str(VAR_DIR / "private")))
KEYWORK_IMPORT_MAX_BYTES = env_int("KEYWORK_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
KEYWORK_IMPORT_MAX_ROWS = env_int("KEYWORK_IMPORT_MAX_ROWS", 100_000)
KEYWORK_ATTACHMENT_MAX_BYTES = env_int("KEYWORK_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Uploads larger than this go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Tests -----------------------------------------------------------------------------
if KEYWORK_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# --- Logging: what happened, never who it happened to -----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # axes names the email tried at INFO and WARNING; the audit holds that, not the log.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security.csrf": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
