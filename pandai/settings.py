"""Pandai's one settings module: everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from pandai.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PANDAI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_secret("SECRET_KEY", VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "pandai.core",
    "pandai.inmates",
    "pandai.wallet",
    "pandai.shop",
    "pandai.complaints",
    "pandai.programs",
    "pandai.townhall",
    "pandai.kiosk",
    "pandai.reports",
    "pandai.ops",
    "pandai.api",
    "pandai.demo",  # demo_load / demo_logins commands only (no models)
    "csp",  # Content-Security-Policy (django-csp): see "Security headers" below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pandai.kiosk.middleware.KioskMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pandai.core.middleware.ActingSiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pandai.urls"
WSGI_APPLICATION = "pandai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pandai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pandai.core.context_processors.acting_site",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL through DATABASE_URL ---------------------
SQLITE_PATH = VAR_DIR / "pandai.sqlite3"
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        from pandai.env import ConfigError

        raise ConfigError("DATABASE_URL must point at PostgreSQL (postgres://…)")
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str("PANDAI_TEST_DB", "test_pandai")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN: no "database is locked" on
                # read-then-write under load (see FIELD-NOTES).
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("PANDAI_SQLITE_TIMEOUT", 20),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The cache holds the kiosk's rate limits and the complaint tracking counters, which must hold
# across every server process: Django's database cache (one table, made by `migrate`), so
# nothing else to install or run, and a test database brings its own.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pandai_cache",
    }
}

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes), by user name: office PCs share one IP.
AXES_FAILURE_LIMIT = env_int("PANDAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PANDAI_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Lockout is by user name on purpose (one PC serves a whole counter); see above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Staff sessions end after this many idle minutes.
SESSION_COOKIE_AGE = env_int("PANDAI_STAFF_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Writes only the expiry when a request changed nothing in its session (see the module).
SESSION_ENGINE = "pandai.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("PANDAI_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_THOUSAND_SEPARATOR = False

# --- Files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "pandai" / "static"]
# Inmate photos and scans are private: they are served only through views that check access.
MEDIA_ROOT = Path(env_str("PANDAI_MEDIA_DIR", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-public/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PANDAI_MAX_IMPORT_BYTES = env_int("PANDAI_MAX_IMPORT_BYTES", 5 * 1024 * 1024)
PANDAI_MAX_PHOTO_BYTES = env_int("PANDAI_MAX_PHOTO_BYTES", 3 * 1024 * 1024)

# --- Security headers ----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS on a real site (DEBUG off): the intranet's own certificate, served by nginx, which says
# so in X-Forwarded-Proto (PANDAI_BEHIND_PROXY). PANDAI_SSL_REDIRECT=false only where nginx
# itself redirects port 80 (then `check --deploy` reminds you of it, W008).
SECURE_SSL_REDIRECT = env_bool("PANDAI_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("PANDAI_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PANDAI_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("PANDAI_HSTS_PRELOAD", False)
if env_bool("PANDAI_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# An intranet host name (pandai.rutan-blora.local) cannot be on the browsers' HSTS preload
# list, so "preload" is off by default and its deploy check (W021) is not a finding here.
SILENCED_SYSTEM_CHECKS += ["security.W021"]
# Content-Security-Policy: only Pandai's own scripts, styles, images and connections. A page's
# own <style> block carries the request's nonce (`nonce="{{ request.csp_nonce }}"`); inline
# event handlers are not allowed (pandai.js handles data-print, data-autosubmit...). Style
# attributes (style="max-width:40rem" in many templates) stay allowed: they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # data: for the icons inside the API docs' stylesheet
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],  # the kiosk's read-aloud WAV files
        "object-src": [NONE],
        "frame-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Pandai ------------------------------------------------------------------------------------
PANDAI_PIN_MAX_TRIES = env_int("PANDAI_PIN_MAX_TRIES", 3)
PANDAI_PIN_LOCK_MINUTES = env_int("PANDAI_PIN_LOCK_MINUTES", 15)
# Bank virtual accounts (docs/virtual-accounts.md): the HMAC secret shared with the bank, the
# 4-digit code the bank gave this installation, the site whose SUSPENSE takes money for a VA
# that names no site (needed only with several sites), the accepted clock difference.
PANDAI_BANK_SECRET = env_secret("PANDAI_BANK_SECRET", VAR_DIR / "bank_secret")
PANDAI_BANK_VA_PREFIX = env_str("PANDAI_BANK_VA_PREFIX", "9880")
PANDAI_BANK_SUSPENSE_SITE = env_str("PANDAI_BANK_SUSPENSE_SITE", "")
PANDAI_BANK_MAX_SKEW_SECONDS = env_int("PANDAI_BANK_MAX_SKEW_SECONDS", 300)
# Server-side prepared statements on the ledger's hot path (PostgreSQL); off only behind a
# transaction-pooling pgbouncer older than 1.21.
PANDAI_PG_PREPARED = env_bool("PANDAI_PG_PREPARED", True)
# Kiosk (pandai/kiosk): a signed-in person is signed out after this many seconds without a
# touch (a 10-second countdown shows first) and after this many minutes in any case; the
# read-aloud program (blank: no speaker button).
PANDAI_KIOSK_IDLE_SECONDS = env_int("PANDAI_KIOSK_IDLE_SECONDS", 60)
PANDAI_KIOSK_MAX_MINUTES = env_int("PANDAI_KIOSK_MAX_MINUTES", 15)
PANDAI_ESPEAK = env_str("PANDAI_ESPEAK", "espeak-ng")
# Operations (pandai/ops): backups (manage.py backup / restore) and the nightly jobs' hour.
PANDAI_BACKUP_DIR = Path(env_str("PANDAI_BACKUP_DIR", str(VAR_DIR / "backups")))
PANDAI_BACKUP_KEEP_DAILY = env_int("PANDAI_BACKUP_KEEP_DAILY", 14)
PANDAI_BACKUP_KEEP_MONTHLY = env_int("PANDAI_BACKUP_KEEP_MONTHLY", 12)
PANDAI_NIGHTLY_AT = env_str("PANDAI_NIGHTLY_AT", "01:00")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PANDAI_LOG_LEVEL", "WARNING")},
}
