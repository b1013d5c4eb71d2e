"""Settings for the ncmd platform, read from environment variables.

The defaults run the demo on one machine with no configuration: a SQLite file under `var/`, e-mail
written to files under `var/mail/`. Production is `NCMD_ENV=production`, which refuses to start
while a setting that must not have a default (the secret key, the allowed hosts, the database) is
missing. Every variable is listed, with a comment, in `dotenv-sample`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables already in the environment win over the .env file (see dotenv-sample).
load_dotenv(BASE_DIR / ".env", override=False)
VAR_DIR = Path(os.environ.get("NCMD_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = os.environ.get("NCMD_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(
        f"NCMD_ENV is {ENVIRONMENT!r}; set it to 'development' or 'production'."
    )
PRODUCTION = ENVIRONMENT == "production"


def get_env_var(name, *, default=None, hint=""):
    """Read a variable; in production a variable without a value stops the start with a hint."""
    value = os.environ.get(name, "")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} must be set when NCMD_ENV=production. {hint} See dotenv-sample."
        )
    return default


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


SECRET_KEY = get_env_var(
    "SECRET_KEY",
    default="development-only-insecure-key-do-not-use-in-production",
    hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = get_env_var(
    "ALLOWED_HOSTS",
    default="127.0.0.1,localhost,testserver",
    hint="A comma-separated list of the host names the portal is served under.",
).split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

DATABASES = {
    "default": dj_database_url.parse(
        get_env_var(
            "DATABASE_URL",
            default=f"sqlite:///{VAR_DIR / 'ncmd.sqlite3'}",
            hint="For example postgres://ncmd:PASSWORD@db.example.org:5432/ncmd",
        ),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the portal read while a long job (synthetic data, an import) writes. A page cache
    # of 16 MB (SQLite's default is 2 MB) holds the case table's indexes while an import writes
    # 100,000 cases: with 2 MB, inserting a case costs about half as much again.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ncmd.dictionary",
    "ncmd.registry",
    "ncmd.synthetic",
    "ncmd.snapshots",
    "ncmd.quality",
    "ncmd.submissions",
    "ncmd.submissions.imports",
    "ncmd.submissions.api",
    "ncmd.analysis",
    "ncmd.learning",
    "ncmd.learning.outreach",
    "ncmd.publishing",
    "ncmd.access",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "ncmd.submissions.middleware.RequestLinkScopeMiddleware",
]

ROOT_URLCONF = "ncmd.urls"
WSGI_APPLICATION = "ncmd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ncmd" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ncmd.registry.context_processors.navigation",
                "ncmd.synthetic.context_processors.loading",
            ],
        },
    },
]

AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes): after this many failures for one user name from one address,
# further attempts are refused for the cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("NCMD_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("NCMD_SIGNIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by `ncmd collectstatic` in production
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "ncmd" / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# Uploaded files (outreach event materials). They are never served from a URL of their own: a
# view checks who may have each one and sends it as a download.
MEDIA_ROOT = VAR_DIR / "media"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ncmd@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Where the versioned data dictionary lives; one folder per release.
NCMD_DICTIONARY_DIR = Path(
    os.environ.get("NCMD_DICTIONARY_DIR", BASE_DIR / "ncmd" / "dictionary" / "versions")
)
# Where snapshots (Parquet files) are written.
NCMD_SNAPSHOT_DIR = Path(os.environ.get("NCMD_SNAPSHOT_DIR", VAR_DIR / "snapshots"))
# Days from death within which a review counts as prompt, for the two review indicators (there
# is no statutory timescale; 6 and 12 months by default).
NCMD_REVIEW_DAYS_SHORT = int(os.environ.get("NCMD_REVIEW_DAYS_SHORT", "183"))
NCMD_REVIEW_DAYS_LONG = int(os.environ.get("NCMD_REVIEW_DAYS_LONG", "365"))
# Cases per page in the case list.
NCMD_PAGE_SIZE = int(os.environ.get("NCMD_PAGE_SIZE", "50"))

# Reporting-form requests: how long a sign-in link e-mailed to an agency's contact works, and the
# portal's address that e-mailed links start with (sent by `ncmd send_reminders`, outside a page).
NCMD_REQUEST_LINK_DAYS = int(os.environ.get("NCMD_REQUEST_LINK_DAYS", "28"))
NCMD_PORTAL_URL = get_env_var(
    "NCMD_PORTAL_URL",
    default="http://127.0.0.1:8000",
    hint="The address people open the portal at, like https://ncmd.example.org; e-mailed links "
    "start with it.",
).rstrip("/")
# The largest file, in bytes, that `ncmd import` and the upload page accept (default 200 MB).
NCMD_IMPORT_MAX_BYTES = int(os.environ.get("NCMD_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
# API requests allowed per token per minute (0 turns the limit off). Counted in Django's cache,
# which is per process unless a shared cache is configured (docs/api.md).
NCMD_API_RATE_LIMIT = int(os.environ.get("NCMD_API_RATE_LIMIT", "600"))
# Topic proposals accepted from one network address an hour on the public form (docs/outreach.md).
NCMD_OUTREACH_PROPOSALS_PER_HOUR = int(os.environ.get("NCMD_OUTREACH_PROPOSALS_PER_HOUR", "5"))
# Learning: the largest evidence file or learning material accepted for upload (default 20 MB).
NCMD_LEARNING_UPLOAD_MAX_BYTES = int(
    os.environ.get("NCMD_LEARNING_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)

# Reports and data releases (docs/publishing.md): where their files are written, and the
# disclosure rule applied to sub-national counts (suppress from..to, round others to a base).
NCMD_PUBLISHING_DIR = Path(os.environ.get("NCMD_PUBLISHING_DIR") or VAR_DIR / "publishing")
NCMD_DISCLOSURE_SUPPRESS_FROM = int(os.environ.get("NCMD_DISCLOSURE_SUPPRESS_FROM") or "1")
NCMD_DISCLOSURE_SUPPRESS_TO = int(os.environ.get("NCMD_DISCLOSURE_SUPPRESS_TO") or "7")
NCMD_DISCLOSURE_ROUNDING = int(os.environ.get("NCMD_DISCLOSURE_ROUNDING") or "5")
# Research data access (docs/data-access.md): where extracts and checked outputs are kept; the
# smallest group of children sharing the same quasi-identifiers an extract may have (its
# k-anonymity); days before the end of an approval that the researcher is reminded; days after
# it within which the data must be destroyed and declared; the largest output file accepted.
NCMD_ACCESS_DIR = Path(os.environ.get("NCMD_ACCESS_DIR", VAR_DIR / "access"))
NCMD_EXTRACT_MIN_GROUP = int(os.environ.get("NCMD_EXTRACT_MIN_GROUP", "5"))
NCMD_ACCESS_REMINDER_DAYS = int(os.environ.get("NCMD_ACCESS_REMINDER_DAYS", "30"))
NCMD_ACCESS_DESTRUCTION_DAYS = int(os.environ.get("NCMD_ACCESS_DESTRUCTION_DAYS", "30"))
NCMD_OUTPUT_MAX_BYTES = int(os.environ.get("NCMD_OUTPUT_MAX_BYTES", str(5 * 1024 * 1024)))
