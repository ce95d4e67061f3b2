"""Django settings for Huiyi, configured from the environment (12-factor).

Every knob a deployment turns is an environment variable; README.md lists them. Nothing here holds a
threshold of the specification: those live in the rulebook.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("HUIYI_DATA_DIR", PROJECT_DIR / "var")).resolve()
NODE_MODULES = Path(os.environ.get("HUIYI_NODE_MODULES", PROJECT_DIR / "node_modules"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use HUIYI_SECRET_KEY, else a key generated once and kept under the data dir."""
    if os.environ.get("HUIYI_SECRET_KEY"):
        return os.environ["HUIYI_SECRET_KEY"]
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("HUIYI_DEBUG")
TESTING = env_bool("HUIYI_TESTING") or "pytest" in sys.modules
ALLOWED_HOSTS = env_list("HUIYI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("HUIYI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "huey.contrib.djhuey",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "csp",
    "huiyi.core",
    "huiyi.accounts",
    "huiyi.clients",
    "huiyi.projects",
    "huiyi.projects.intake",
    "huiyi.projects.planning",
    "huiyi.projects.preparation",
    "huiyi.contracts",
    "huiyi.resources",
    "huiyi.onsite",
    "huiyi.onsite.attendees",
    "huiyi.onsite.checkin",
    "huiyi.onsite.inspections",
    "huiyi.onsite.agenda",
    "huiyi.incidents",
    "huiyi.incidents.preparedness",
    "huiyi.feedback.surveys",
    "huiyi.feedback.complaints",
    "huiyi.feedback.improvement",
    "huiyi.closing",
    "huiyi.documents",
    "huiyi.documents.disposition",
    "huiyi.documents.borrowing",
    "huiyi.documents.search",
    "huiyi.people",
    "huiyi.calendar",
    "huiyi.rulebook",
    "huiyi.quality",
    "huiyi.quality.audits",
    "huiyi.quality.accountability",
    "huiyi.quality.sop",
    "huiyi.quality.kpis",
    "huiyi.reports",
    "huiyi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "huiyi.onsite.checkin.middleware.ScanFastPath",  # a door scan with a token skips what follows
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huiyi.rulebook.middleware.OneRulebookPerRequest",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huiyi.urls"
WSGI_APPLICATION = "huiyi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huiyi.core.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'huiyi.sqlite3'}"
# Connections are kept between requests (opening one costs about a millisecond, most of a check-in scan);
# the health check before reuse is what lets Huiyi recover when PostgreSQL restarts.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("HUIYI_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=os.environ.get("HUIYI_DB_HEALTH_CHECKS", "1") != "0",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked" upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# The door scan's few statements are prepared once per connection (core.fast_db), and PostgreSQL plans every
# statement for its parameters and the table as it is now. A plan it caches (a prepared statement's, a
# foreign-key check's) is otherwise made generic after five runs and kept until the next ANALYZE: made while a
# new meeting's check-in tables were nearly empty, it scanned the whole table on every later scan (seen:
# 10 million rows read for 4,600 scans, each slower than the last). Both off with 0, behind a pooler that
# cannot keep prepared statements or refuses the `options` start-up parameter (PgBouncer before 1.21).
HUIYI_DB_PREPARED_STATEMENTS = os.environ.get("HUIYI_DB_PREPARED_STATEMENTS", "1") != "0"
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and HUIYI_DB_PREPARED_STATEMENTS:
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(None, [DATABASES["default"]["OPTIONS"].get("options"), "-c plan_cache_mode=force_custom_plan"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions, background work --------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and TESTING and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    # Parallel test workers must not share one Redis database: a test that clears the cache would reset the
    # other worker's rate-limit counters (and share its queue). Worker n uses database (configured − n).
    from urllib.parse import urlsplit, urlunsplit

    _redis = urlsplit(REDIS_URL)
    _database = int((_redis.path or "/0").strip("/") or 0) - int(os.environ["PYTEST_XDIST_WORKER"][2:])
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{max(_database, 0)}"))
# Redis is a cache and a queue, never the only copy (issue 10): when it does not answer, the cache falls back
# to each process's memory and tasks wait in the database until it is back (huiyi.core.resilience).
# Sessions are in the database whatever the cache, so an outage or a flush of Redis signs nobody out.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "huiyi.core.resilience.FallbackRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

HUEY = {
    "name": "huiyi",
    "immediate": TESTING,
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huiyi.core.resilience.ResilientRedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# --- authentication ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",  # ModelBackend with lockout: first, so it also restores sessions
    "rules.permissions.ObjectPermissionBackend",
    "huiyi.accounts.backends.RolePermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed sign-ins (django-axes): by username and address together, so a stranger
# cannot lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("HUIYI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HUIYI_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "huiyi.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("HUIYI_AXES_ENABLED", True)

# Password-reset requests (issue 10): at most this many per e-mail address and per client address in the
# window; beyond them the same "sent" page is shown, nothing is sent and a warning is logged.
HUIYI_PASSWORD_RESET_PER_EMAIL = int(os.environ.get("HUIYI_PASSWORD_RESET_PER_EMAIL", "3"))
HUIYI_PASSWORD_RESET_PER_IP = int(os.environ.get("HUIYI_PASSWORD_RESET_PER_IP", "20"))
HUIYI_PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("HUIYI_PASSWORD_RESET_WINDOW_MINUTES", "60"))

# --- internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("HUIYI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "huiyi_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- static files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
for prefix, relative in [
    ("vendor/bootstrap", "bootstrap/dist"),
    ("vendor/bootstrap-icons", "bootstrap-icons/font"),
    ("vendor/echarts", "echarts/dist"),
    ("vendor/jsqr", "jsqr/dist"),
]:
    if (NODE_MODULES / relative).is_dir():
        STATICFILES_DIRS.append((prefix, NODE_MODULES / relative))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MANIFEST_STRICT = False
if TESTING or DEBUG:
    # No collectstatic needed: files are found where they lie (app static folders and node_modules).
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# --- e-mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("HUIYI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("HUIYI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HUIYI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HUIYI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HUIYI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HUIYI_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("HUIYI_EMAIL_FROM", "huiyi@localhost")

# --- security ---------------------------------------------------------------------------------------
SECURE_HTTPS = env_bool("HUIYI_HTTPS", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("HUIYI_SESSION_HOURS", "12")) * 3600
SECURE_SSL_REDIRECT = env_bool("HUIYI_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HUIYI_BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = int(os.environ.get("HUIYI_HSTS_SECONDS", "31536000" if SECURE_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]
if not SECURE_HSTS_PRELOAD:
    # Submitting a domain to the browsers' HSTS preload list is an operator's decision, not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy: the app's own origin only, no inline script, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- REST API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "huiyi.api.authentication.BearerOrTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "huiyi.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "huiyi.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huiyi API",
    "DESCRIPTION": "Meeting services under 《会议组织服务质量管理规范》. Token authentication: "
    "POST /api/v1/auth/token/ then send `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several apps name alike ("kind", "outcome", "channel", "status"…):
    # without these, drf-spectacular invents hashed names (Kind42bEnum) that change with the choices.
    "ENUM_NAME_OVERRIDES": {
        "ClientKindEnum": "huiyi.clients.models.Client.Kind",
        "ResourceKindEnum": "huiyi.projects.planning.models.ResourceKind",  # also a booking's kind
        "ChangeRequestKindEnum": "huiyi.contracts.models.ChangeRequest.Kind",
        "PlanReviewOutcomeEnum": "huiyi.projects.planning.models.ReviewOutcome",
        "ReviewStepOutcomeEnum": "huiyi.projects.preparation.models.ReviewStep.Outcome",
        "AttendeeCommunicationKindEnum": "huiyi.projects.preparation.models.AttendeeCommunication.Kind",
        "AttendeeCommunicationChannelEnum": "huiyi.projects.preparation.models.AttendeeCommunication.Channel",
        "ClientMessageChannelEnum": "huiyi.projects.preparation.models.ClientMessage.Channel",
        "InquiryChannelEnum": "huiyi.projects.intake.models.Inquiry.Channel",
        "MaterialApprovalEnum": "huiyi.projects.preparation.models.MaterialItem.Approval",
        "TestReportKindEnum": "huiyi.resources.models.TestReport.Kind",
        "UsageConditionEnum": "huiyi.resources.models.UsageLog.Condition",
        "EquipmentStatusEnum": "huiyi.resources.models.Equipment.Status",
        "RemedyStatusEnum": "huiyi.contracts.models.Breach.RemedyStatus",
        "AttendeeCategoryEnum": "huiyi.onsite.attendees.models.Category",
        "ScanSourceEnum": "huiyi.onsite.checkin.models.Source",
        "AttendeeLanguageEnum": "huiyi.onsite.attendees.models.Language",
        "LanguageCodeEnum": ["zh-hans", "en"],  # a language given by its code alone (surveys, attendees)
        "NonconformanceSourceEnum": "huiyi.quality.models.Nonconformance.Source",
        "ComplaintChannelEnum": "huiyi.feedback.complaints.models.Channel",
        "ComplaintSourceEnum": "huiyi.feedback.complaints.models.Complaint.Source",
        "AnalysisIssueSourceEnum": "huiyi.feedback.improvement.models.AnalysisIssue.Source",
        "SurveyResponseSourceEnum": "huiyi.feedback.surveys.models.Response.Source",
        "RevisitChannelEnum": "huiyi.feedback.surveys.models.Revisit.Channel",
        "IncidentTypeEnum": "huiyi.incidents.models.IncidentType",
        "IncidentLevelEnum": "huiyi.incidents.models.Level",
        "ReleaseChannelEnum": "huiyi.incidents.models.InformationRelease.Channel",
        "RiskTypeEnum": "huiyi.incidents.preparedness.models.Risk.Type",
        "LegalHoldActionEnum": "huiyi.documents.disposition.models.LegalHoldEvent.Action",
        "AuditResultEnum": "huiyi.quality.audits.models.AuditItem.Result",
        "ViolationAppealOutcomeEnum": "huiyi.quality.accountability.models.Violation.AppealOutcome",
    },
    # The schema's own warnings are checked by the test suite (tests/api), not by `check --deploy`.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# --- documents (issue 8) ------------------------------------------------------------------------------
# Keys for very-high documents encrypted at rest, newest first; without one a key is derived from SECRET_KEY.
HUIYI_DOCUMENT_KEYS = [k.strip() for k in os.environ.get("HUIYI_DOCUMENT_KEYS", "").split(",") if k.strip()]
HUIYI_DOCUMENT_MAX_BYTES = int(os.environ.get("HUIYI_DOCUMENT_MAX_BYTES", str(200 * 1024 * 1024)))

# --- logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HUIYI_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Huiyi ------------------------------------------------------------------------------------------
HUIYI_ORGANISATION_NAME = os.environ.get("HUIYI_ORGANISATION_NAME", "")
HUIYI_VERSION = "0.1.0"
# The address people reach Huiyi at, for links in e-mails.
HUIYI_BASE_URL = os.environ.get("HUIYI_BASE_URL", "http://127.0.0.1:8000")
# Lifetime of links sent to people without accounts (clients confirming, attendees answering).
HUIYI_LINK_DAYS = int(os.environ.get("HUIYI_LINK_DAYS", "14"))
# KPI figures of ended periods are kept as trend points for at most this long (quality.kpis.stored).
HUIYI_KPI_STORED_HOURS = int(os.environ.get("HUIYI_KPI_STORED_HOURS", "24"))
