"""Settings for the EHCP review portal: every value from the environment (see README).

With nothing set, the portal runs embedded: SQLite, an in-memory channel layer and the
django-q2 ORM broker. DATABASE_URL switches to PostgreSQL; REDIS_URL switches the channel
layer, the cache and the django-q2 broker to Redis.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from portal.env import envbool, envint, envlist, envstr, envurl, required

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    required("SECRET_KEY", DEBUG, "when DEBUG is off (a long random string, kept secret)")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
required("ALLOWED_HOSTS", ALLOWED_HOSTS or DEBUG, "when DEBUG is off (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

SITE_NAME = envstr("SITE_NAME", "EHCP annual reviews")
# Unset, the header names the authority's record, as its letters do; set, it names the
# partnership where one portal serves several authorities.
AUTHORITY_NAME = envstr("AUTHORITY_NAME", "")
# The council's postal address, printed as the return address on letters by post (its
# lines separated by commas). Unset, those letters give the SEND team's phone and email.
LETTER_RETURN_ADDRESS = envlist("LETTER_RETURN_ADDRESS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "agencies.apps.PortalUsersConfig",  # Wagtail's accounts screens, scoped
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "channels",
    "django_q",
    "govuk_frontend_django",
    "csp",
    "portal",
    "common",
    "agencies",
    "reviews",
    "meeting",
    "reports",
    "decisions",
    "accountability",
    "home",
    "outbox",
    "imports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.request_log.RequestLogMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agencies.middleware.RequireMfaForProfessionals",
    "agencies.middleware.AdminOnlyForStaff",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.service",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL names PostgreSQL.
DATABASE_URL = envurl("DATABASE_URL", ("postgres", "postgresql"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # Under ASGI the database is used from many threads, where Django's persistent connections
    # do not apply: without a pool, every database call of a WebSocket consumer opened (and
    # PostgreSQL forked) a new connection. psycopg's pool keeps a few per process.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2, "max_size": envint("DATABASE_POOL_SIZE", 10, minimum=2),
        # How long a request waits for a connection (a page asks twice: its session is read
        # and read again on the way out): psycopg's 30 s left every page hanging for a
        # minute while PostgreSQL was down, and the meeting room's threads with it. Sooner,
        # the page says the service is unavailable (503) and the room's changes wait in
        # the browser to be sent again. The pool is not exhausted in normal work: a
        # process's requests share one thread, and the room has four.
        "timeout": envint("DATABASE_POOL_TIMEOUT", 3, minimum=1)}
    # Only common/prepared.py's cursors prepare statements (Django's bind in the client).
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 0
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # The web server and the q2 worker write to one file: WAL and immediate
                # transactions turn "database is locked" into short waits.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when given, backs the channel layer, the cache (rate limits) and the q2 broker.
REDIS_URL = envurl("REDIS_URL", ("redis", "rediss", "unix"))
CHANNELS_REDIS_MAX_CONNECTIONS = envint("CHANNELS_REDIS_MAX_CONNECTIONS", 1000, minimum=10)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: a group message is one PUBLISH, which each process reads from its one
            # subscribed connection and hands to its own consumers. The core layer queued a
            # copy per process in Redis, popped them one by one (four round trips each) and,
            # past its capacity, silently dropped them: a busy meeting lost messages even in
            # a bare relay (bench/README.md). Pub/sub keeps nothing for a process that is not
            # listening; rooms resync from the event log on every (re)connect.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": CHANNELS_REDIS_MAX_CONNECTIONS,
                        # redis-py 8 cuts every read off at 5 s by default; bounded, longer.
                        "socket_timeout": 30,
                    }
                ],
                # Pub/sub ignores Redis's database number, so the number goes in the prefix:
                # two sites (or test runs) on one Redis with different numbers stay apart.
                "prefix": envstr("CHANNELS_PREFIX",
                                 "portal" + re.sub(r"\W", "", urlsplit(REDIS_URL).path)),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_PREFIX", "portal"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

Q_CLUSTER = {
    "name": envstr("Q_CLUSTER_NAME", "portal"),
    "workers": envint("Q_WORKERS", 1 if not DATABASE_URL else 2, minimum=1),
    "timeout": envint("Q_TIMEOUT", 300, minimum=10),
    "retry": envint("Q_RETRY", 600, minimum=20),
    "max_attempts": envint("Q_MAX_ATTEMPTS", 5, minimum=1),
    "catch_up": False,
    "save_limit": 1000,
    "label": "Background jobs",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
if Q_CLUSTER["retry"] <= Q_CLUSTER["timeout"]:
    required("Q_RETRY", False, "longer than Q_TIMEOUT, or a running job is started twice")

# Wagtail's own background jobs (django-tasks) run at once; ours are django-q2's.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

AUTH_USER_MODEL = "agencies.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: sign in by email, no open sign-up, MFA by TOTP with recovery codes.
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "reviews:home"
ACCOUNT_ADAPTER = "agencies.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
# A person is told by email when their password or two-step sign-in changes, so that a
# change they did not make does not go unnoticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Every secret a person types or follows is limited here, in the cache (Redis in production),
# per address ("ip"), per account ("key": the email, or the account's two-step codes) or
# per signed-in person ("user"). "login_failed" counts wrong passwords, two-step codes and
# recovery codes (allauth); "secret_link" counts addresses of calendar feeds and invitation
# links that match nothing (agencies/throttle.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": envstr("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reauthenticate": envstr("REAUTHENTICATE_RATE_LIMIT", "5/5m/user"),
    "reset_password": envstr("RESET_PASSWORD_RATE_LIMIT", "20/m/ip,5/m/key"),
    "reset_password_from_key": envstr("RESET_PASSWORD_FROM_KEY_RATE_LIMIT", "20/m/ip"),
    "change_password": envstr("CHANGE_PASSWORD_RATE_LIMIT", "5/m/user"),
    "secret_link": envstr("SECRET_LINK_RATE_LIMIT", "20/m/ip"),
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = envint("REAUTHENTICATION_MINUTES", 5, minimum=1) * 60
MFA_ADAPTER = "agencies.adapters.PortalMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# The demo authority's shared one-time code; allauth refuses it unless DEBUG is on.
if envstr("DEMO_MFA_CODE"):
    required("DEBUG", DEBUG, "to on for DEMO_MFA_CODE: a fixed MFA code is for demos only")
    MFA_TOTP_INSECURE_BYPASS_CODE = envstr("DEMO_MFA_CODE")

# Sessions end after SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Signed-in pages warn this long before the idle session ends (agencies/session_timeout.py).
SESSION_WARNING_SECONDS = 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Transport security: on unless DEBUG.
SECURE = not DEBUG
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # Rate limits and the audit trail count the person's own address, not the proxy's: the
    # proxy appends it as the last of X-Forwarded-For.
    ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1, minimum=1)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Email: SMTP when EMAIL_HOST is set; otherwise printed (DEBUG) or refused (production).
EMAIL_HOST = envstr("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    required("EMAIL_HOST", DEBUG, "when DEBUG is off, so that invitations and reminders go out")
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "reviews@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
BASE_URL = envstr("BASE_URL", "http://localhost:8000")
# The port `make run` serves on (bin/serve); while DEBUG, pages from http://localhost:PORT
# may open WebSockets whatever BASE_URL says (portal/origins.py).
PORT = envint("PORT", 8000, minimum=1)

# Calendar replies. Invitations name, as their organiser, this mailbox with the review in
# its tag (calendar+<review>@...: the mailbox must accept plus addresses), and the portal
# reads the accept and decline replies from it over IMAP every few minutes, recording each
# as the invitation's answer (reviews/calendar_replies.py). Unset, the coordinator is the
# organiser and replies go to their own mailbox.
CALENDAR_REPLY_ADDRESS = envstr("CALENDAR_REPLY_ADDRESS")
CALENDAR_IMAP_HOST = envstr("CALENDAR_IMAP_HOST")
if CALENDAR_REPLY_ADDRESS:
    local_part, at, _ = CALENDAR_REPLY_ADDRESS.rpartition("@")
    required("CALENDAR_REPLY_ADDRESS", at and local_part and "+" not in local_part,
             "as a plain address, such as calendar@example.org, without a + tag")
    required("CALENDAR_IMAP_HOST", CALENDAR_IMAP_HOST,
             "when CALENDAR_REPLY_ADDRESS is set, so that the replies sent to it are read")
CALENDAR_IMAP_PORT = envint("CALENDAR_IMAP_PORT", 993, minimum=1)
CALENDAR_IMAP_SSL = envbool("CALENDAR_IMAP_SSL", True)
CALENDAR_IMAP_USER = envstr("CALENDAR_IMAP_USER")
CALENDAR_IMAP_PASSWORD = envstr("CALENDAR_IMAP_PASSWORD")
CALENDAR_IMAP_FOLDER = envstr("CALENDAR_IMAP_FOLDER", "INBOX")

# The joint outcome report: how many working days the people at the review have to confirm
# or comment on the draft before the coordinator publishes it.
REPORT_SIGNOFF_WORKING_DAYS = envint("REPORT_SIGNOFF_WORKING_DAYS", 5, minimum=1)

# Limits on what one person can make others carry. Each correction of advice keeps a whole
# new version, so one invitation's advice has at most ADVICE_MAX_VERSIONS. The django-q2
# workers that prepare exports also send every email, so a person may have at most
# EXPORT_JOBS_PER_PERSON exports waiting or being prepared at once.
ADVICE_MAX_VERSIONS = envint("ADVICE_MAX_VERSIONS", 10, minimum=1)
EXPORT_JOBS_PER_PERSON = envint("EXPORT_JOBS_PER_PERSON", 3, minimum=1)

# How old (seconds) the meeting room's last answer from the access rule may be before a
# change asks again. 0: every change asks (meeting/consumers.py ReviewRoomConsumer).
ROOM_ACCESS_FRESH_SECONDS = envint("ROOM_ACCESS_FRESH_SECONDS", 0, minimum=0)
# How many changes a person may make to meeting rooms a minute, after which each waits its
# turn (meeting/consumers.py room_change_wait): a flood of comments grows the room's page for
# everyone in it.
ROOM_CHANGES_PER_MINUTE = envint("ROOM_CHANGES_PER_MINUTE", 30, minimum=1)

# The audit trail's entries a minute for one person's (or, signed out, one address's)
# refusals by the access rule: past it, one entry says the rest were suppressed, so that a
# scan of review ids cannot fill the disk (agencies/audit.py).
AUDIT_REFUSALS_PER_MINUTE = envint("AUDIT_REFUSALS_PER_MINUTE", 30, minimum=1)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Wagtail: admin at /cms/, signed in through allauth (its own password forms are off).
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The one way in is allauth's: private pages send people to its sign-in, and pages and
# document collections cannot be given a shared password (a second, unlimited password form).
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"password": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"password": False}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff email hashes sent to a third party
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"without_path": {"()": "portal.request_log.WithoutPath"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # Request lines carry URLs with feed and invitation tokens: keep them out of the logs.
    # portal.request_log writes one line a request instead, naming the route.
    "loggers": {
        "django.server": {"handlers": [], "propagate": False},
        # Its 4xx lines ("Not Found: <path>") say what the request log says, with the path.
        "django.request": {"level": "ERROR", "filters": ["without_path"]},
        "daphne.server": {"level": "WARNING"},
        # Wagtail's immediate background tasks log every run; only problems matter here.
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        "django.channels.server": {"handlers": [], "propagate": False},
    },
}
