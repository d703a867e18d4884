"""Django settings, read from the environment with safe defaults for a laptop (SQLite under var/)."""

import os
import warnings
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # the quartiers package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("QUARTIERS_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-quartiers-laptop-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "widget_tweaks",
    "dsfr",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "quartiers.common",
    "quartiers.core",
    "quartiers.territories",
    "quartiers.frameworks",
    "quartiers.calls",
    "quartiers.applications",
    "quartiers.reviews",
    "quartiers.programme",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "quartiers.config.urls"
WSGI_APPLICATION = "quartiers.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quartiers.core.context_processors.site",
                "quartiers.reviews.context_processors.review_roles",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'quartiers.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Tests get their own database, named after the one given, so that parallel CI runs never collide.
    DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A deadline rush on the embedded database: WAL lets readers go on while one writer writes, every transaction
    # takes the write lock when it begins (IMMEDIATE: no deadlock when a read turns into a write, so the busy
    # timeout is honoured instead of « database is locked » at once), and a writer waits up to SQLITE_TIMEOUT
    # seconds for the lock. synchronous=NORMAL is safe in WAL mode (a power cut may lose the last commits, never
    # corrupt the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served by WhiteNoise straight from the apps (no collectstatic needed to run locally).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# Uploaded annexes: refused above this size, with a French message (see frameworks.forms).
ANNEX_MAX_BYTES = int(os.environ.get("ANNEX_MAX_BYTES", str(20 * 1024 * 1024)))
# Matching engines kept per process (one per published framework version, least recently used evicted).
MATCHER_CACHE_SIZE = int(os.environ.get("MATCHER_CACHE_SIZE", "64"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The address of the site as its users reach it, for the links of the e-mails sent by the worker (which has no
# request to read it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:after_login"
LOGOUT_REDIRECT_URL = "core:home"

# E-mail: an SMTP server when EMAIL_HOST is given, else the console (a laptop). Mails leave through the task queue
# (quartiers.common.tasks.send_mail_task), retried when the server is unreachable.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if env_bool("EMAIL_USE_TLS", False) else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quartiers <ne-pas-repondre@quartiers.localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Attempts of one e-mail before it is given up (logged, kept in the task table); the n-th retry waits
# MAIL_RETRY_BASE_SECONDS × 4^(n-1): 30 s, 2 min, 8 min, 32 min by default.
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))
MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "30"))

# Background jobs (django-tasks): the database backend in every deployment, on SQLite as on PostgreSQL, run by
# `quartiers worker`. TASKS_BACKEND=immediate runs each job at once in the process that enqueues it (the test
# suite's default, see tests/conftest.py; the queue tests switch to the database backend).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {"database": "django_tasks_db.DatabaseBackend",
                    "immediate": "django_tasks.backends.immediate.ImmediateBackend"}[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}

# HTTPS behind a reverse proxy (see docs/deploy.md): QUARTIERS_HTTPS=1 turns on every protection below at once;
# each can still be set on its own. The laptop default is plain HTTP on 127.0.0.1.
HTTPS = env_bool("QUARTIERS_HTTPS", False)
if env_bool("SECURE_PROXY_SSL_HEADER", HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(31536000 if HTTPS else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
X_FRAME_OPTIONS = "DENY"

# `quartiers serve`: gunicorn's processes (WEB_CONCURRENCY; by default 2 × cores + 1 on PostgreSQL, 1 on SQLite,
# whose one writer at a time gains nothing from more processes) and threads per process (WEB_THREADS).
WEB_CONCURRENCY = int(os.environ["WEB_CONCURRENCY"]) if os.environ.get("WEB_CONCURRENCY") else None
WEB_THREADS = int(os.environ["WEB_THREADS"]) if os.environ.get("WEB_THREADS") else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
