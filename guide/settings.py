"""Settings for the career guide, read from the environment.

Development works with nothing set (SQLite file, console email, debug on).
`DJANGO_ENV=production` switches on the strict settings and refuses to start
without the secrets and hosts a real deployment needs (see docs/deploy.md).
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(os.environ.get(name, default))


if PRODUCTION:
    missing = [
        name
        # REDIS_URL: rate limits, sessions, the page cache and the content revision
        # must be the same on every worker and replica (a per-process cache is not).
        for name in (
            "DJANGO_SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "SITE_URL",
            "TRUSTED_PROXY_COUNT",
        )
        if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables: " + ", ".join(missing)
        )
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    DEBUG = False
else:
    # A fixed key is fine for development only; production never reaches this line.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-not-secret")
    DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- What the reader sees about us -------------------------------------------------
# Who we are: named in the footer, on /about/, /terms/ and /privacy/ and in the
# auto-reply (the operator, the agency — 有料職業紹介事業者 — with its licence number
# and address, where to write). Each default is a neutral development placeholder;
# production refuses to start while any is unset or still its placeholder.
WHO_WE_ARE_PLACEHOLDERS = {
    "SITE_OPERATOR": "運営事務局",
    "CONTACT_EMAIL": "privacy@example.com",
    "AGENCY_NAME": "提携キャリアエージェント",
    "AGENCY_LICENSE_NUMBER": "00-ユ-000000",
    "AGENCY_ADDRESS": "（開発用の仮の所在地）",
    "AGENCY_EMAIL": "agency@example.com",
    # The auto-reply's sender.
    "DEFAULT_FROM_EMAIL": "noreply@example.com",
}
# 許可番号 as the licensing authority (厚生労働大臣) issues it: prefecture code, ユ for
# 有料職業紹介事業, six digits, e.g. 13-ユ-300000.
AGENCY_LICENSE_NUMBER_RE = r"\d{2}-ユ-\d{6}"


def who_we_are(name):
    """The setting `name` of WHO_WE_ARE_PLACEHOLDERS from the environment, else its placeholder."""
    return os.environ.get(name, "").strip() or WHO_WE_ARE_PLACEHOLDERS[name]


SITE_NAME = os.environ.get("SITE_NAME", "オフィスワーク転職ガイド")
SITE_OPERATOR = who_we_are("SITE_OPERATOR")
CONTACT_EMAIL = who_we_are("CONTACT_EMAIL")
AGENCY_NAME = who_we_are("AGENCY_NAME")
AGENCY_LICENSE_NUMBER = who_we_are("AGENCY_LICENSE_NUMBER")
AGENCY_ADDRESS = who_we_are("AGENCY_ADDRESS")
# Where readers' replies to the auto-reply go (Reply-To) and the agency's contact.
AGENCY_EMAIL = who_we_are("AGENCY_EMAIL")
DEFAULT_FROM_EMAIL = who_we_are("DEFAULT_FROM_EMAIL")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Named as editor ("編集: …") on content pages and as author/publisher in their JSON-LD.
EDITORIAL_ORGANIZATION = os.environ.get("EDITORIAL_ORGANIZATION", SITE_OPERATOR)

if PRODUCTION:
    placeholders = [
        name
        for name, placeholder in WHO_WE_ARE_PLACEHOLDERS.items()
        if who_we_are(name) == placeholder
    ]
    if placeholders:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs who we are, not the development placeholders: "
            + ", ".join(placeholders)
        )
    if not re.fullmatch(AGENCY_LICENSE_NUMBER_RE, AGENCY_LICENSE_NUMBER):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs AGENCY_LICENSE_NUMBER as issued, e.g. 13-ユ-300000"
        )

# --- Page cache ------------------------------------------------------------------
# Cached guide pages live this long at most; RELEASE (e.g. the git commit) keeps a
# new deployment from serving pages rendered by the old templates.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
RELEASE = os.environ.get("RELEASE", "")
# Cache-Control of the public guide pages (careers/caching.py, docs/deploy.md):
# browsers revalidate each time (a 304 costs no query), nginx and CDNs keep a page
# for the shared max age, may serve it stale while refetching it, and for a day
# while the app is down.
HTTP_CACHE_MAX_AGE = env_int("HTTP_CACHE_MAX_AGE", 0)
HTTP_CACHE_SHARED_MAX_AGE = env_int("HTTP_CACHE_SHARED_MAX_AGE", 30)
HTTP_CACHE_STALE_WHILE_REVALIDATE = env_int("HTTP_CACHE_STALE_WHILE_REVALIDATE", 30)
HTTP_CACHE_STALE_IF_ERROR = env_int("HTTP_CACHE_STALE_IF_ERROR", 86_400)

# --- Editorial workflow (careers/publishing/) -------------------------------------
# How long a share link to a draft (for an outside reviewer, 監修者) stays valid.
PREVIEW_SHARE_DAYS = env_int("PREVIEW_SHARE_DAYS", 7)

# --- Consultation requests -------------------------------------------------------
CONSULTATION_REPLY_BUSINESS_DAYS = env_int("CONSULTATION_REPLY_BUSINESS_DAYS", 2)
# How long the agency's first conversation usually takes, in its own words (e.g.
# 「30分〜1時間ほど」), said on the thanks page and in the auto-reply; unset, no length is
# claimed.
CONSULTATION_FIRST_MEETING_LENGTH = os.environ.get("CONSULTATION_FIRST_MEETING_LENGTH", "")
# Closing days on top of weekends and national holidays (careers/business_days.py):
# `MM-DD` every year, `YYYY-MM-DD` once. Default: 年末年始 12/29–1/3.
COMPANY_CLOSED_DAYS = env_list("COMPANY_CLOSED_DAYS", "12-29,12-30,12-31,01-01,01-02,01-03")
CONSULTATION_RATE_LIMIT = env_int("CONSULTATION_RATE_LIMIT", 5)
CONSULTATION_RATE_WINDOW_SECONDS = env_int("CONSULTATION_RATE_WINDOW_SECONDS", 600)
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 365)
CONSULTATION_NOTIFY_EMAILS = env_list("CONSULTATION_NOTIFY_EMAILS", "agents@example.com")
# The reader's status page (careers/status_links.py): how long a link works, and the
# per-client limits of the self-service pages and of the lost-link form.
CONSULTATION_STATUS_LINK_DAYS = env_int("CONSULTATION_STATUS_LINK_DAYS", 30)
CONSULTATION_STATUS_RATE_LIMIT = env_int("CONSULTATION_STATUS_RATE_LIMIT", 30)
CONSULTATION_STATUS_LOOKUP_RATE_LIMIT = env_int("CONSULTATION_STATUS_LOOKUP_RATE_LIMIT", 5)
# How many proxies in front of us append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

if PRODUCTION:
    # Links in pages, the sitemap and the agents' email are built on SITE_URL, and
    # production always sits behind a TLS proxy: with 0 every reader would share its
    # address, so one client's lockout or rate limit would hit everyone.
    site_url = urlsplit(SITE_URL)
    if site_url.scheme != "https" or not validate_host(site_url.hostname or "", ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SITE_URL to be https://<a host in ALLOWED_HOSTS>"
        )
    if TRUSTED_PROXY_COUNT < 1:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs TRUSTED_PROXY_COUNT >= 1 (the proxies in front)"
        )

# --- Applications ----------------------------------------------------------------
INSTALLED_APPS = [
    "careers.admin_apps.GuideAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "markdownx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "careers",
]

MIDDLEWARE = [
    "guide.middleware.RequestIdMiddleware",
    # Outside sessions and CSRF, so it sees the cookies and Vary they add.
    "guide.middleware.CacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "guide.middleware.PolicyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "guide.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guide.urls"
# Widget templates may be overridden in templates/ (e.g. grouped checkboxes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "guide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careers.context_processors.site",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------
# PostgreSQL is the database of record; the SQLite default only lets a newcomer
# see the site with `make run` before configuring anything.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast: a frozen database must give a quick 503, not a hung worker.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
        "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 5000)}",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` writes from two processes (web and task worker). A transaction that
    # reads, then writes, cannot wait for the other's lock and fails at once ("database
    # is locked"); taking the write lock at BEGIN (IMMEDIATE) lets it wait its turn,
    # and WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks (django.tasks) -----------------------------------------------
# Tasks are rows in our own database (django-tasks-db), so enqueueing is part of the
# writing transaction and no other service is needed; `manage.py db_worker` runs
# them (docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Cache (rate limits, sessions, pages, the content revision) --------------------
# Production requires REDIS_URL (above); the per-process cache is for development.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "guide.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Auth ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed staff logins and locks out after AXES_FAILURE_LIMIT;
# its backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOGIN_LOCKOUT_MINUTES", 30))
# Lock a username tried too often from anywhere, and an address trying many names;
# `manage.py axes_reset_username NAME` lifts a lockout early.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Lockouts are logged; the start-up banner on every command is not needed.
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "careers.ratelimit.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_COOLOFF_MESSAGE = (
    "ログインの失敗が続いたため、しばらくログインできません。時間をおいてお試しください。"
)
AXES_PERMALOCK_MESSAGE = (
    "ログインの失敗が続いたため、ログインできません。管理者に連絡してください。"
)
# Staff must also enter a TOTP code (django-otp) when this is on; enrol each one first
# with `manage.py add_totp_device USERNAME`.
ADMIN_REQUIRE_2FA = os.environ.get("ADMIN_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
if ADMIN_REQUIRE_2FA:
    INSTALLED_APPS[0] = "careers.admin_apps.OTPAdminConfig"
OTP_TOTP_ISSUER = SITE_NAME

# --- Language and time -----------------------------------------------------------
# One language: no LocaleMiddleware, so pages carry no `Vary: Accept-Language` and
# everything, the admin too, is in LANGUAGE_CODE.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------
STATIC_URL = "/static/"
# Production serves the collected, hashed files; development serves static/ directly
# (WhiteNoise reads it through the finders, so nothing needs collecting first).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")) if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
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

# --- Markdown editor -------------------------------------------------------------
MARKDOWNX_MARKDOWNIFY_FUNCTION = "careers.markdown.render"
# Uploads go through careers/markdownx_views.py: staff editors only, raster images
# only (never SVG), re-encoded under a random name.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = env_int("MARKDOWNX_UPLOAD_MAX_SIZE", 2 * 1024 * 1024)
MARKDOWNX_MEDIA_PATH = "markdownx/"

# --- Email -----------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "guide.mail.ReadableConsoleBackend",
        ),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
            "timeout": 10,
        },
    }
}
if "smtp" not in MAILERS["default"]["BACKEND"]:
    MAILERS["default"]["OPTIONS"] = {}
# Seconds to wait before each retry of an email the relay did not take (careers/tasks.py):
# the first within a minute, the last about four hours after the first try.
EMAIL_RETRY_DELAYS = [int(s) for s in env_list("EMAIL_RETRY_DELAYS", "60,300,900,1800,3600,7200")]
# Far longer than one SMTP conversation (the mailer's timeout is 10 s a step): an email
# still queued this long after its time lost its task, one still sending lost its worker.
EMAIL_STALE_SECONDS = env_int("EMAIL_STALE_SECONDS", 300)

# --- Security headers ------------------------------------------------------------
# No inline scripts or styles anywhere: everything is a static file, and the
# nonce exists only for the rare script a future page may need.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
# An expired form is the usual cause; the page says so in Japanese (templates/403.html).
CSRF_FAILURE_VIEW = "guide.errors.csrf_failure"

if PRODUCTION:
    # TLS ends at the proxy in front of us; it must set X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Logging ---------------------------------------------------------------------
# One line per event on stdout, control characters escaped (guide/logsafe.py): a
# path from a client cannot start a line of its own. Messages never carry personal
# data: code logs reference numbers and ids, never names, emails or phone numbers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "guide.request_id.RequestIdFilter"}},
    "formatters": {
        "line": {
            "()": "guide.logsafe.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own request logger prints the path and, on errors, details of
        # the request; our error pages and own logging cover what we need.
        "django.request": {"level": "ERROR"},
        # runserver's request lines, through the same one-line handler.
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
