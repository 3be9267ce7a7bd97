"""Cocreate settings: one module, every deploy-time choice read from the environment.

With nothing set the site runs on SQLite, the in-memory channel layer, the
local-memory cache, the console email backend and the immediate task backend.
DATABASE_URL, REDIS_URL and friends switch it to PostgreSQL, Redis and a worker.
"""

import json
import os
import sys
from pathlib import Path

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cocreate.env import (
    database_from_env,
    env_bool,
    env_count,
    env_int,
    env_list,
    env_str,
    refuse_weak_secret_key,
)

# templates/, static/ and locale/ sit at the top of the source tree. An installed
# wheel has no tree around it: it reads them from COCREATE_BASE_DIR, or from the
# working folder (run it from the release's checkout).
SOURCE_TREE = Path(__file__).resolve().parent.parent
BASE_DIR = Path(
    env_str("COCREATE_BASE_DIR")
    or (SOURCE_TREE if (SOURCE_TREE / "templates").is_dir() else Path.cwd())
)
PROJECT_DIR = BASE_DIR / "site"

TESTING = "pytest" in sys.modules or env_bool("COCREATE_TESTING")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
elif not DEBUG:
    refuse_weak_secret_key(SECRET_KEY)

# Fernet key(s) that encrypt members' IBANs at rest (comma-separated: the first
# encrypts, all decrypt). Empty: derived from SECRET_KEY (see docs/deploy.md).
IBAN_ENCRYPTION_KEY = env_str("IBAN_ENCRYPTION_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if DEBUG or TESTING:
        ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
    else:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "cocreate.members",
    "cocreate.pages",
    "cocreate.notifications",
    "cocreate.demo",
    "cocreate.worker",
    "cocreate.privacy",
    "ideas",
    "rewards",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    # django-ninja (the REST API): its docs page and bundled static files.
    "ninja",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cocreate.security.ContentSecurityPolicyMiddleware",
    "cocreate.security.PrivacyHeadersMiddleware",
    # Before the session's: a refused write costs no query (cocreate.overload).
    "cocreate.overload.WriteGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cocreate.members.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rewards.feedback.PointsFeedbackMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cocreate.members.middleware.StaffSecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cocreate.members.middleware.TermsGateMiddleware",
]

ROOT_URLCONF = "cocreate.urls"
WSGI_APPLICATION = "cocreate.wsgi.application"
ASGI_APPLICATION = "cocreate.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cocreate.context_processors.site_context",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL says otherwise; connections bounded by
# DB_POOL_MAX_SIZE and DB_STATEMENT_TIMEOUT_MS (see cocreate.env, docs/deploy.md).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_env(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / env_str("SQLITE_NAME", "db.sqlite3"),
            # IMMEDIATE takes the write lock at BEGIN, so read-then-write services
            # never fail half way with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory, so a live server process can share the test data;
            # one per test run, so runs side by side never share a database.
            "TEST": {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache and channel layer when REDIS_URL is set. The site serves without
# Redis: a cache error is a miss (django-redis IGNORE_EXCEPTIONS; a failed `add`
# or `incr` returns None), live updates pause, /healthz says "redis": "down".
# Short timeouts, so a Redis that does not answer costs a page little.
REDIS_URL = env_str("REDIS_URL")
REDIS_TIMEOUT = float(env_str("REDIS_TIMEOUT", "0.5"))
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # throttled in LOGGING below


def redis_cache(url: str, *, timeout: float = REDIS_TIMEOUT) -> dict:
    return {
        "BACKEND": "cocreate.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cocreate"),
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": timeout,
            "SOCKET_TIMEOUT": timeout,
        },
    }


def redis_channel_layer(url: str, *, timeout: float = REDIS_TIMEOUT) -> dict:
    """Redis pub/sub by default (CHANNEL_LAYER=pubsub): a group is a Redis channel
    each process subscribes to once and fans out in process, so a send is one
    PUBLISH whatever the audience, and memberships live in the process (a closed
    or killed one leaves nothing in Redis). CHANNEL_LAYER=core keeps the
    sorted-set layer, with a pool sized for a mass disconnect, reads allowed to
    outlast its 5 s BZPOPMIN, and memberships expiring as a backstop
    (docs/performance.md, "Live updates")."""
    prefix = env_str("CHANNELS_PREFIX", "cocreate")
    host = {
        "address": url,
        "socket_connect_timeout": timeout,
        "socket_keepalive": True,
        "health_check_interval": 30,
    }
    if env_str("CHANNEL_LAYER", "pubsub") == "core":
        return {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{**host, "socket_timeout": 10, "max_connections": 2000}],
                "prefix": prefix,
                "group_expiry": env_int("CHANNELS_GROUP_EXPIRY", 6 * 3600),
            },
        }
    # Writes time out (a slow Redis fails a join, and the page retries); the
    # subscription's own reads wait with a timeout of their own.
    return {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [{**host, "socket_timeout": 5}], "prefix": prefix},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    CHANNEL_LAYERS = {"default": redis_channel_layer(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Background tasks: run at once unless a worker is configured.
if env_str("TASKS_BACKEND", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Authentication: email as login, through django-allauth.
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Tell a member by email when their password, addresses or second factors change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{env_str('SITE_NAME', 'Cocreate')}] "
ACCOUNT_SIGNUP_FORM_CLASS = "cocreate.members.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "cocreate.members.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_email": "1/m/user",
}
SOCIALACCOUNT_ADAPTER = "cocreate.members.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Social sign-ups go through the sign-up form too: it asks to accept the terms.
SOCIALACCOUNT_AUTO_SIGNUP = False
# Providers get their keys from SocialApp rows in the admin, or from this JSON.
SOCIALACCOUNT_PROVIDERS = json.loads(env_str("SOCIALACCOUNT_PROVIDERS", "{}"))
# Two-factor sign-in (allauth.mfa) for every member: an authenticator app with
# recovery codes, and security keys or passkeys, which also sign in on their own.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env_str("SITE_NAME", "Cocreate")
# Browsers allow WebAuthn on http://localhost only; allauth needs telling.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff must enrol a second factor before the admin opens: "all" staff (who may
# open the admin; superusers included), "none", or comma-separated group names
# (superusers always). See docs/operations.md.
COCREATE_STAFF_MFA = env_str("STAFF_MFA", "all")
# Staff sessions end this many seconds after sign-in; members keep
# SESSION_COOKIE_AGE (two weeks).
COCREATE_STAFF_SESSION_AGE = env_int("STAFF_SESSION_SECONDS", 8 * 3600)

# Email
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cocreate <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages are translated in Wagtail (one tree per language, one URL per page: see
# cocreate.page_translations and docs/translation.md, "Translating pages").
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Idea images live outside MEDIA_ROOT and are served only by a view that checks who
# may see the idea: in production it answers with X-Accel-Redirect to this internal
# nginx location (docs/deploy.md); empty, the view streams the file itself.
PRIVATE_MEDIA_ROOT = Path(
    env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media"))
)
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_ACCEL_PREFIX")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "cocreate.private_media.PrivateMediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Cocreate")
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "cocreate.search"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_USER_CUSTOM_FIELDS = ["display_name"]
# One sign-in for the admin, the site and private pages: allauth's (its limits,
# email verification and second factor); Wagtail's own forms are switched off.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Passwords and addresses change on allauth's pages only (reauthentication, a
# verified address, the security email); the admin's account page links there.
# Staff still set a first password when they create a user in the admin.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Cocreate
# Where browsers open WebSockets; empty means the same host under /ws/.
COCREATE_WEBSOCKET_URL = env_str("WEBSOCKET_URL")
COCREATE_IDEA_EDIT_MINUTES = env_int("IDEA_EDIT_MINUTES", 30)
COCREATE_COMMENT_EDIT_MINUTES = env_int("COMMENT_EDIT_MINUTES", 15)
COCREATE_MAX_IMAGES_PER_IDEA = 5
COCREATE_IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 8 * 1024 * 1024)
COCREATE_IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# A form's whole upload (every image and the text), refused before it is parsed.
COCREATE_UPLOAD_MAX_BYTES = env_int(
    "UPLOAD_MAX_BYTES",
    COCREATE_MAX_IMAGES_PER_IDEA * COCREATE_IMAGE_MAX_BYTES + 1024 * 1024,
)
# How long browsers and caches keep a public idea's image (seconds).
COCREATE_IDEA_IMAGE_MAX_AGE = env_int("IDEA_IMAGE_MAX_AGE", 86_400)
COCREATE_IDEAS_PER_PAGE = 20
# How long visitors' pages stay in the shared page cache (ideas.page_cache), in
# seconds; events forget them at once. 0 switches it off, as in the test suite
# (whose tests write rows behind the services); its own tests switch it on.
COCREATE_PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if TESTING else 30)
# Write rate limits: "count/seconds" per member and action.
COCREATE_RATE_LIMITS = {
    "idea": "10/3600",
    # Each image a form checks (decoding costs CPU and memory).
    "image": "60/3600",
    "support": "60/60",
    "follow": "60/60",
    "comment": "20/60",
    "report": "20/3600",
    "redeem": "10/3600",
    "shortlist": "120/60",
    "score": "120/60",
    "export": "30/3600",
    # The privacy page's confirmations (password re-entry for an erasure).
    "privacy": "10/3600",
    "webhook": "30/60",
    "consents": "30/3600",
    # A signed-in member's language switch, which writes their profile.
    "language": "30/3600",
    # Per API token: every request, then writes on top.
    "api": "600/60",
    "api_write": "120/60",
}
COCREATE_RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
# Overload (cocreate.overload, docs/deploy.md): each process runs at most
# WRITE_CONCURRENCY guarded writes at once (0: no bound), counted by a middleware
# in front of the session's; the others wait WRITE_WAIT_MS for a slot, then get a
# 503 with Retry-After. A write that waited more than WRITE_QUEUE_MAX_MS behind
# the proxy (X-Request-Start) is refused too.
COCREATE_WRITE_CONCURRENCY = env_count("WRITE_CONCURRENCY", 4)
COCREATE_WRITE_WAIT_MS = env_count("WRITE_WAIT_MS", 50)
COCREATE_WRITE_QUEUE_MAX_MS = env_count("WRITE_QUEUE_MAX_MS", 1000)
# `make bench-http` only: a hello-world view at /bench/hello on the same server,
# the yardstick its table divides by (docs/performance.md). Never on otherwise.
COCREATE_BENCH_HELLO = env_bool("COCREATE_BENCH_HELLO", False)
# A member's own data (cocreate.privacy, docs/privacy.md): downloads are kept
# outside MEDIA_ROOT, their signed links last COCREATE_EXPORT_LINK_DAYS, one a day;
# an erasure waits COCREATE_ERASURE_GRACE_DAYS, during which it can be cancelled.
COCREATE_EXPORTS_ROOT = Path(
    env_str("EXPORTS_ROOT", str(BASE_DIR / "private" / "exports"))
)
COCREATE_EXPORT_LINK_DAYS = env_int("EXPORT_LINK_DAYS", 7)
COCREATE_EXPORTS_PER_DAY = env_int("EXPORTS_PER_DAY", 1)
COCREATE_ERASURE_GRACE_DAYS = env_int("ERASURE_GRACE_DAYS", 14)
# Webhooks: attempts per delivery (with exponential back-off from the first
# delay), failed deliveries in a row before a subscription is switched off, and
# whether targets may be private addresses (loopback, LAN): off in production so
# a subscription cannot reach into the brand's own network.
COCREATE_WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
COCREATE_WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 30)
COCREATE_WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 5)
COCREATE_WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS = env_bool(
    "WEBHOOK_ALLOW_PRIVATE_HOSTS", DEBUG or TESTING
)
# Retention (days; 0 keeps for good): `manage.py apply_retention` deletes what is
# older, daily (docs/operations.md).
COCREATE_RETENTION_DAYS = {
    # Wagtail's history of pages and records (moderation, payouts, consents):
    # the brand's audit trail, kept unless the operator says otherwise.
    "admin_log": env_count("RETENTION_ADMIN_LOG_DAYS", 0),
    # Webhook deliveries that were delivered or gave up, with what came back.
    "webhook_deliveries": env_count("RETENTION_WEBHOOK_DELIVERY_DAYS", 30),
    # Notifications the member has read, counted from when they were read.
    "read_notifications": env_count("RETENTION_READ_NOTIFICATION_DAYS", 90),
    # Accounts whose email was never confirmed and that never logged in.
    "unconfirmed_accounts": env_count("RETENTION_UNCONFIRMED_ACCOUNT_DAYS", 14),
    # Background tasks that finished (succeeded or failed).
    "task_results": env_count("RETENTION_TASK_RESULT_DAYS", 7),
}
COCREATE_RETENTION_BATCH_SIZE = env_count("RETENTION_BATCH_SIZE", 1000)

# Security: on by default whenever DEBUG is off; TLS ends at the reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address behind the reverse proxy, for allauth's login limits and
# cocreate.http.client_ip: the proxies we run that append to X-Forwarded-For
# (nginx alone: 1), or a header one of them sets (X-Real-IP). 0 and empty trust
# neither header: every client is then the proxy's address.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0)
TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER").strip()
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A year once TLS works everywhere (docs/deploy.md); 0 switches HSTS off.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview frames the site in its own admin, so same origin it is.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Messages travel in the session, never in a cookie of their own: the site sets
# no cookie beyond session, CSRF and language.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Staff avatars are the site's own: no staff email hash sent to Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask releases.wagtail.org for news of new versions.
WAGTAIL_ENABLE_UPDATE_CHECK = False


def _origin(url: str) -> list[str]:
    """The origin of an absolute URL (a CDN's MEDIA_URL, a WEBSOCKET_URL), if any."""
    scheme, _sep, rest = url.partition("://")
    return [f"{scheme}://{rest.split('/')[0]}"] if _sep and rest else []


# Content-Security-Policy (django-csp 4, through cocreate.security): the public
# site runs only its own files and scripts carrying this request's nonce; no
# inline script or style, nothing from another origin. The socket of the
# request's own host is added per request.
_FILE_ORIGINS = _origin(MEDIA_URL) + _origin(STATIC_URL)
# Social login forms end in a redirect to the provider, which form-action covers.
_LOGIN_PROVIDERS = [
    "https://github.com",
    "https://accounts.google.com",
    "https://www.facebook.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Scripts from our static files only: never from uploaded media.
        "script-src": [SELF, NONCE, *_origin(STATIC_URL)],
        "style-src": [SELF, *_FILE_ORIGINS],
        "img-src": [SELF, "data:", "blob:", *_FILE_ORIGINS],
        "font-src": [SELF, *_FILE_ORIGINS],
        "media-src": [SELF, *_FILE_ORIGINS],
        "connect-src": [SELF, *_origin(COCREATE_WEBSOCKET_URL)],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *_LOGIN_PROVIDERS],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin's own scripts and styles are inline in places; it frames the
# site's pages in its live preview (served under /admin/, so with this policy).
COCREATE_ADMIN_PATH_PREFIX = "/admin/"
COCREATE_ADMIN_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE, *_origin(STATIC_URL)],
    "style-src": [SELF, UNSAFE_INLINE, *_FILE_ORIGINS],
    "img-src": [SELF, "data:", "blob:", *_FILE_ORIGINS],
    "font-src": [SELF, "data:", *_FILE_ORIGINS],
    "media-src": [SELF, *_FILE_ORIGINS],
    "connect-src": [SELF, *_origin(COCREATE_WEBSOCKET_URL)],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
# Browser features no page of the site uses (Permissions-Policy header).
COCREATE_PERMISSIONS_POLICY = {
    "accelerometer": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "interest-cohort": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
# Pages answered with Cache-Control: no-store (regular expressions on the path).
COCREATE_PRIVATE_PATHS = [
    r"^/admin/",
    r"^/accounts/",
    r"^/notifications/",
    r"^/members/settings/",
    r"^/members/consents/",
    r"^/members/terms/",
    r"^/rewards/wallet/",
    r"^/rewards/\d+/redeem/",
    r"^/rewards/redemptions/",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "filters": {"once_a_minute": {"()": "cocreate.outages.OncePerInterval"}},
    "loggers": {
        # django-redis logs every ignored error: one a minute says Redis is down.
        "django_redis.cache": {"filters": ["once_a_minute"]},
        "django.channels.server": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
