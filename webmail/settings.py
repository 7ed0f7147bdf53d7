"""Django settings, read from environment variables (see .env.example).

With nothing set, `manage.py runserver` works on SQLite under var/ against the local stack's
default ports. A malformed value stops start-up with ImproperlyConfigured.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from webmail.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    next_redis_database,
    same_redis_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WEBMAIL_VAR_DIR", str(BASE_DIR / "var")))


def _local_secret_key(name: str = "secret-key") -> str:
    """A random key kept in var/, so a development checkout needs no configuration."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or _local_secret_key()
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "captcha",
    "csp",
    "webmail.apps.WebmailConfig",
    "accounts.apps.AccountsConfig",
    # The full path, not "mailbox": a wrong sys.path then fails loudly (STYLE.md §2).
    "mailbox.apps.MailboxConfig",
    "calendar_app.apps.CalendarAppConfig",
    "addressbook.apps.AddressbookConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The person's time zone for dates in pages (accounts/time_zones.py).
    "accounts.time_zones.UserTimeZoneMiddleware",
    "accounts.web_sessions.IdleTimeoutMiddleware",
    # A temporary password is replaced first, then the second step is asked.
    "accounts.password_change.ForcePasswordChangeMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "webmail.middleware.ServiceErrorMiddleware",
    # Last: it answers locked-out logins (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "webmail.urls"
WSGI_APPLICATION = "webmail.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.session_limits",
                "accounts.context_processors.account_menu",
            ],
        },
    },
]

# --- Database: PostgreSQL when DATABASE_URL is set, SQLite under var/ otherwise. ---
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Dovecot reads this file for every login while Django writes it: WAL lets both work,
    # and the tests need a file too (not :memory:) so that Dovecot can see test accounts.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrAddressBackend",
]
# Dovecot verifies the very hash stored here ({ARGON2ID}, or {BLF-CRYPT} for bcrypt), so
# new passwords use only hashers whose format Dovecot understands (deploy/local/dovecot-sql.conf).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
    # Last, so never used for new passwords: verifies the NUMEN as a temporary password,
    # which Dovecot never has to check (it refuses accounts that must change it).
    "accounts.hashers.NumenHmacPasswordHasher",
]
# Key of the NUMEN's keyed HMAC (accounts/hashers.py). Not derived from SECRET_KEY, so
# rotating that one keeps the stored NUMENs; changing this one means importing them again.
NUMEN_HASH_KEY = env_secret("NUMEN_HASH_KEY") or _local_secret_key("numen-hash-key")
# "organisation" (12+ characters, four classes) or "nist" (15+, no composition rule).
PASSWORD_POLICY = env_str("PASSWORD_POLICY", "organisation")
if PASSWORD_POLICY not in {"organisation", "nist"}:
    raise ImproperlyConfigured("PASSWORD_POLICY must be 'organisation' or 'nist'")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.PolicyValidator"},
    {"NAME": "accounts.validators.PersonalDataValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Validates nothing: its password_changed() hook ends recovery links.
    {"NAME": "accounts.recovery.RevokeRecoveryTokensOnPasswordChange"},
]
# A temporary password (NUMEN at first login, or one set by the helpdesk) stops working
# after this many days if unused.
TEMPORARY_PASSWORD_VALID_DAYS = env_int("TEMPORARY_PASSWORD_VALID_DAYS", 14)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "mailbox:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Signed out after this long without the person doing anything (accounts/web_sessions.py);
# background requests (polling) do not count. The cookie itself lasts at most a working day.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_IDLE_WARNING_SECONDS = 120
# How often an open message list asks whether new mail came (a background request).
MAIL_POLL_SECONDS = env_int("MAIL_POLL_SECONDS", 30)
if MAIL_POLL_SECONDS < 5:
    raise ImproperlyConfigured("MAIL_POLL_SECONDS must be at least 5")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: our own scripts and styles only; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation: French first, English complete. ---
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files, served by whitenoise. ---
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

# --- Mail and calendar servers (all reached as the user through a Dovecot master user). ---
MAIL_DOMAIN = env_str("MAIL_DOMAIN", "example.org")
IMAP_HOST = env_str("IMAP_HOST", "127.0.0.1")
IMAP_PORT = env_int("IMAP_PORT", 1143)
IMAP_SSL = env_bool("IMAP_SSL", False)
SMTP_HOST = env_str("SMTP_HOST", IMAP_HOST)
SMTP_PORT = env_int("SMTP_PORT", 1587)
SMTP_STARTTLS = env_bool("SMTP_STARTTLS", False)
SIEVE_HOST = env_str("SIEVE_HOST", IMAP_HOST)
SIEVE_PORT = env_int("SIEVE_PORT", 4190)
CALDAV_URL = env_str("CALDAV_URL", "http://127.0.0.1:5232/")
MAIL_MASTER_USER = env_str("MAIL_MASTER_USER", "webmail")
MAIL_MASTER_PASSWORD = env_secret("MAIL_MASTER_PASSWORD")
SERVICE_TIMEOUT_SECONDS = env_int("SERVICE_TIMEOUT_SECONDS", 10)
# A page waits at most this long for the server to thread a folder's conversations;
# past it the page shows the plain order and a Celery task threads the folder.
IMAP_THREAD_BUDGET_MS = env_int("IMAP_THREAD_BUDGET_MS", 2000)
# A search waits at most this long for the server's answer; past it the page asks for
# narrower words (Dovecot's full-text plugin is slow for words in most messages).
IMAP_SEARCH_BUDGET_MS = env_int("IMAP_SEARCH_BUDGET_MS", 10_000)
# Logged-in IMAP connections kept per web process between a user's requests (0: none).
IMAP_POOL_SIZE = env_int("IMAP_POOL_SIZE", 100)
IMAP_POOL_IDLE_SECONDS = env_int("IMAP_POOL_IDLE_SECONDS", 300)

# --- Subscribed ICS calendars (calendar_app/services/feeds.py). ---
# Feeds on loopback or private addresses are refused (SSRF); the tests' own server needs True.
ICS_FEED_ALLOW_PRIVATE = env_bool("ICS_FEED_ALLOW_PRIVATE", False)
ICS_FEED_MAX_BYTES = 5_000_000
ICS_FEED_TIMEOUT_SECONDS = SERVICE_TIMEOUT_SECONDS
ICS_FEED_REFRESH_MINUTES = env_int("ICS_FEED_REFRESH_MINUTES", 60)
# Events made on a phone or in Thunderbird start to ring at most this late (one PROPFIND
# of each watched user's calendars per period; calendar_app/reminders.py).
REMINDER_SYNC_MINUTES = env_int("REMINDER_SYNC_MINUTES", 10)

# --- Phishing warnings on the message page (mailbox/phishing.py). ---
# The organisation's own domains (comma-separated; their subdomains count too): mail from
# elsewhere is marked "external", and domains imitating these are flagged.
ORGANISATION_DOMAINS = env_list("ORGANISATION_DOMAINS", []) or [MAIL_DOMAIN]
# The authserv-id(s) our own border MTA writes in Authentication-Results (its SPF, DKIM
# and DMARC milters), usually its host name. Headers with any other id are ignored: anyone
# can write one. That MTA must remove incoming headers claiming these ids (RFC 8601 §5).
AUTHSERV_ID = env_list("AUTHSERV_ID", []) or [MAIL_DOMAIN]

# What people type into Thunderbird, Outlook and phones (the setup page, autoconfig,
# welcome letters). Empty: mail.<MAIL_DOMAIN> on 993 (SSL) and 587 (STARTTLS), and
# https://webmail.<MAIL_DOMAIN>/dav/ for calendars and contacts.
MAIL_CLIENT_IMAP_HOST = env_str("MAIL_CLIENT_IMAP_HOST")
MAIL_CLIENT_IMAP_PORT = env_int("MAIL_CLIENT_IMAP_PORT", 993)
MAIL_CLIENT_IMAP_SECURITY = env_str("MAIL_CLIENT_IMAP_SECURITY", "SSL")
MAIL_CLIENT_SMTP_HOST = env_str("MAIL_CLIENT_SMTP_HOST")
MAIL_CLIENT_SMTP_PORT = env_int("MAIL_CLIENT_SMTP_PORT", 587)
MAIL_CLIENT_SMTP_SECURITY = env_str("MAIL_CLIENT_SMTP_SECURITY", "STARTTLS")
MAIL_CLIENT_DAV_URL = env_str("MAIL_CLIENT_DAV_URL")
MAIL_CLIENT_ORGANISATION = env_str("MAIL_CLIENT_ORGANISATION")

CLAMD_HOST = env_str("CLAMD_HOST", "127.0.0.1")
CLAMD_PORT = env_int("CLAMD_PORT", 3310)

# --- Uploaded files (attachments, large-file links): Django storage, files on disk by
# default. Object storage (S3…) is a matter of STORAGES["default"]: see .env.example. ---
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served as such: files go out through checked views only
STORAGES = {
    "default": {
        "BACKEND": env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ATTACHMENT_MAX_MESSAGE_MB = env_int("ATTACHMENT_MAX_MESSAGE_MB", 25)
LARGE_FILE_MAX_MB = env_int("LARGE_FILE_MAX_MB", 2048)
LARGE_FILE_LINK_DAYS = env_int("LARGE_FILE_LINK_DAYS", 7)
LARGE_FILE_LINK_MAX_DAYS = 30
if not 1 <= LARGE_FILE_LINK_DAYS <= LARGE_FILE_LINK_MAX_DAYS:
    raise ImproperlyConfigured("LARGE_FILE_LINK_DAYS must be between 1 and 30")
# Seconds during which "Undo" can stop a message after Send (0: it leaves at once).
UNDO_SEND_SECONDS = env_int("UNDO_SEND_SECONDS", 10)
# A draft saves itself this many seconds after the person stops typing.
DRAFT_AUTOSAVE_SECONDS = env_int("DRAFT_AUTOSAVE_SECONDS", 3)
# Working hours (local time, Monday to Friday): outside them, compose offers to deliver
# at the next working morning (the right to disconnect).
WORKING_HOURS_START = env_int("WORKING_HOURS_START", 8)
WORKING_HOURS_END = env_int("WORKING_HOURS_END", 19)
if not 0 <= WORKING_HOURS_START < WORKING_HOURS_END <= 24:
    raise ImproperlyConfigured("WORKING_HOURS_START must be before WORKING_HOURS_END (0-24)")

# --- Brute force (django-axes): lock an account and an address separately. ---
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Name under which authenticator apps list the account (with the username).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Webmail")

# --- System mail (recovery links, notices): sent by the app's own account. ---
SYSTEM_MAIL_USERNAME = env_str("SYSTEM_MAIL_USERNAME", "no-reply")

# --- Redis and Celery ---
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6380/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL

# Django's cache (colleague names for phishing warnings, settled invitation replies), in
# Redis so that every gunicorn worker and Celery process shares one copy. It gets its own
# database, by default the one after REDIS_URL's on the same server: cache.clear() empties
# the whole database (FLUSHDB), and must never take Celery's queues or the sort lists with
# it. A key prefix would not protect them. Redis being down reads as "nothing cached"
# (webmail/redis_cache.py), and a short timeout keeps a hung Redis from holding a page.
CACHE_URL = env_str("CACHE_URL") or next_redis_database(REDIS_URL)
if same_redis_database(CACHE_URL, REDIS_URL):
    raise ImproperlyConfigured(
        "CACHE_URL must name another Redis database than REDIS_URL: clearing the cache "
        "empties its whole database."
    )
CACHE_TIMEOUT_SECONDS = 2
CACHES = {
    "default": {
        "BACKEND": "webmail.redis_cache.ForgivingRedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {
            "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
            "socket_timeout": CACHE_TIMEOUT_SECONDS,
        },
    }
}
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_TIMEOUT = SERVICE_TIMEOUT_SECONDS
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Messages sent later (and any that a worker missed) leave when their time comes.
    "send-due-outbox-items": {"task": "mailbox.tasks.send_due_outbox_items", "schedule": 30.0},
    # Large files whose link expired or was revoked are deleted (mailbox/large_files.py).
    "delete-expired-shared-files": {
        "task": "mailbox.tasks.delete_expired_shared_files",
        "schedule": 3600.0,
    },
    # Snoozed messages come back to INBOX, unread, within a minute of their time.
    "wake-snoozed-messages": {"task": "mailbox.tasks.wake_snoozed_messages", "schedule": 60.0},
    # Contacts changed on a phone reach autocomplete without opening the contacts page.
    "sync-contact-books": {"task": "addressbook.tasks.sync_contact_books", "schedule": 300.0},
    # Subscribed ICS calendars older than ICS_FEED_REFRESH_MINUTES are fetched again.
    "refresh-ics-feeds": {"task": "calendar_app.tasks.refresh_ics_feeds", "schedule": 300.0},
    # Event reminders: calendars changed elsewhere are read again, due reminders are mailed.
    "sync-reminder-calendars": {
        "task": "calendar_app.tasks.sync_reminder_calendars",
        "schedule": 60.0,
    },
    "send-due-reminders": {"task": "calendar_app.tasks.send_due_reminders", "schedule": 60.0},
}

# --- Logging: one line per event to stderr; never passwords, tokens or message bodies. ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "INFO")},
}
