"""Tongxin's settings: the one module that reads the environment.

Nothing needs to be set for the embedded default (SQLite under ``var/``, a generated secret key
and field keys, serving localhost). ``TONGXIN_ENV=production`` demands the secrets explicitly.
A bad value stops the start with a message that names the variable and says what to put there.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TONGXIN_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} 无效：请填写 true 或 false。")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} 无效：请填写整数。") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} 无效：不能小于 {minimum}。")
    return value


def env_rate(name: str, default: str) -> str:
    """A rate limit as django-ratelimit reads it: "10/m", "5/h", "20/10m" (count/period)."""
    value = env_str(name, default)
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(
            f"{name}={value!r} 无效：请写成“次数/时段”，如 10/m（每分钟10次）、5/h、20/10m。"
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _generated_secret(filename: str, make: Callable[[], str]) -> str:
    """A secret kept in var/ so the embedded default survives restarts without configuration."""
    path = VAR_DIR / filename
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def parse_field_keys(raw: str) -> list[tuple[str, bytes]]:
    """``id:base64key,id:base64key``; the first key encrypts, all of them decrypt."""
    keys: list[tuple[str, bytes]] = []
    for item in [part.strip() for part in raw.split(",") if part.strip()]:
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id.isalnum():
            raise ImproperlyConfigured(
                "TONGXIN_FIELD_KEYS 格式无效：应为“编号:密钥”，多个以逗号分隔，"
                "例如 k1:<32字节的base64>；可用 `python manage.py newfieldkey` 生成。"
            )
        try:
            key = base64.urlsafe_b64decode(encoded.encode())
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                f"TONGXIN_FIELD_KEYS 中密钥 {key_id} 不是有效的 base64。"
            ) from exc
        if len(key) != 32:
            raise ImproperlyConfigured(
                f"TONGXIN_FIELD_KEYS 中密钥 {key_id} 长度应为32字节，实际为{len(key)}字节。"
            )
        if any(existing == key_id for existing, _ in keys):
            raise ImproperlyConfigured(f"TONGXIN_FIELD_KEYS 中密钥编号 {key_id} 重复。")
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured("TONGXIN_FIELD_KEYS 为空：至少需要一个密钥。")
    return keys


def new_field_key(key_id: str = "k1") -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


TONGXIN_ENV = env_str("TONGXIN_ENV", "development").lower()
if TONGXIN_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"TONGXIN_ENV={TONGXIN_ENV!r} 无效：请填写 development 或 production。"
    )
PRODUCTION = TONGXIN_ENV == "production"


def _required_in_production(name: str) -> str:
    value = env_str(name)
    if PRODUCTION and not value:
        raise ImproperlyConfigured(f"生产环境（TONGXIN_ENV=production）必须设置 {name}。")
    return value


SECRET_KEY = _required_in_production("TONGXIN_SECRET_KEY") or _generated_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("TONGXIN_SECRET_KEY 太短：请使用至少32个字符的随机字符串。")

FIELD_KEYS = parse_field_keys(
    _required_in_production("TONGXIN_FIELD_KEYS") or _generated_secret("field_keys", new_field_key)
)

DEBUG = env_bool("TONGXIN_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("生产环境不能开启 TONGXIN_DEBUG。")

ALLOWED_HOSTS = env_list(
    "TONGXIN_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "生产环境必须设置 TONGXIN_ALLOWED_HOSTS（以逗号分隔的域名或IP，例如 tongxin.dy.gov.cn）。"
    )
CSRF_TRUSTED_ORIGINS = env_list("TONGXIN_CSRF_TRUSTED_ORIGINS", [])

# --- database ---------------------------------------------------------------------------------
_database_url = _required_in_production("TONGXIN_DATABASE_URL")
_sqlite_options = {
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on the busy timeout instead of failing half-way through a transaction.
    # A 64 MB page cache (SQLite's default is 2 MB): an import adds rows to a dozen indexes of a
    # table of a million people, and a list counts through them; pages are taken as needed.
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA cache_size=-65536;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TONGXIN_DATABASE_URL 无效：{exc}。示例：postgres://用户:密码@主机:5432/tongxin"
            " 或 sqlite:////绝对路径/tongxin.sqlite3"
        ) from exc
    _engine = _db.get("ENGINE", "")
    if _engine.endswith("sqlite3"):
        _db["OPTIONS"] = {**_sqlite_options, **_db.get("OPTIONS", {})}
        _db["CONN_MAX_AGE"] = 0
    elif not _engine.endswith("postgresql"):
        raise ImproperlyConfigured(
            "TONGXIN_DATABASE_URL 只支持 PostgreSQL（postgres://…）或 SQLite（sqlite:///…）。"
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "tongxin.sqlite3"),
        "OPTIONS": _sqlite_options,
    }
_db.setdefault("TEST", {})
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "django_htmx",
    "django_bootstrap5",
    "bootstrap",
    "js_lib_bootstrap_icons",
    "django_static_echarts",
    "tongxin.core",
    "tongxin.registry",
    "tongxin.work",
    "tongxin.governance",
    "tongxin.insight",
    "tongxin.portal",
    "tongxin.api",
    "tongxin.demo",
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
    "tongxin.core.middleware.AuditContextMiddleware",
    "tongxin.core.middleware.SecurityHeadersMiddleware",
    # People's accounts (tongxin.portal) stay in the portal: never a staff page or API.
    "tongxin.portal.realm.PortalRealmMiddleware",
    # Last, so that it sees the final response of a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tongxin.urls"
WSGI_APPLICATION = "tongxin.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tongxin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tongxin.core.context_processors.navigation",
                "tongxin.portal.context.portal",
            ],
        },
    }
]

# --- authentication and security ----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env_int("TONGXIN_PASSWORD_MIN_LENGTH", 10, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "tongxin.core.passwords.LengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tongxin.core.passwords.CharacterClassValidator"},
]

AXES_FAILURE_LIMIT = env_int("TONGXIN_LOCKOUT_ATTEMPTS", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("TONGXIN_LOCKOUT_MINUTES", 15, minimum=1))
# Lock the account, not the address: a department's offices share one NAT address, and locking
# it would lock out every colleague after one person's typos.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tongxin.core.views.auth.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

SESSION_IDLE_MINUTES = env_int("TONGXIN_SESSION_IDLE_MINUTES", 30, minimum=1)
# The cookie lives as long as the idle window and is renewed on every request: idle timeout.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

HTTPS = env_bool("TONGXIN_HTTPS", PRODUCTION)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("TONGXIN_HSTS_SECONDS", 31536000)
    SECURE_SSL_REDIRECT = env_bool("TONGXIN_SSL_REDIRECT", True)
BEHIND_PROXY = env_bool("TONGXIN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- language, time, static -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

# A file cache is shared by every worker process of one host (import progress, for one); a
# multi-host deployment points TONGXIN_CACHE_DIR at shared storage or swaps in Redis here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("TONGXIN_CACHE_DIR") or str(VAR_DIR / "cache"),
    },
    # Per process: what tests point django-ratelimit at (RATELIMIT_USE_CACHE), so that each test
    # counts from zero; production counts in "default", shared by every worker.
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
RATELIMIT_USE_CACHE = "default"

# --- the people's portal (tongxin.portal) --------------------------------------------------------
# Where SMS codes and notices go: a dotted path to a class with send(phone, text); the console
# backend prints them (development, tests, an intranet with no SMS gateway yet). Email uses Django's
# EMAIL_BACKEND, the console by default.
PORTAL_SMS_BACKEND = env_str("TONGXIN_SMS_BACKEND", "tongxin.portal.messaging.ConsoleSMSBackend")
EMAIL_BACKEND = env_str("TONGXIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("TONGXIN_EMAIL_FROM", "tongxin@localhost")
EMAIL_HOST = env_str("TONGXIN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TONGXIN_EMAIL_PORT", 25, minimum=1)
# The version of the privacy notice (templates/portal/privacy.html) a person must accept; raise it
# when the notice changes, and everyone is asked again before they go on.
PORTAL_PRIVACY_VERSION = env_str("TONGXIN_PRIVACY_VERSION", "2026-11")
# The public address printed in invitation QR codes (staff may reach the app by another name).
PORTAL_BASE_URL = env_str("TONGXIN_PORTAL_BASE_URL")
PORTAL_SESSION_DAYS = env_int("TONGXIN_PORTAL_SESSION_DAYS", 30, minimum=1)
PORTAL_TOKEN_DAYS = env_int("TONGXIN_PORTAL_TOKEN_DAYS", 30, minimum=1)
# Rate limits (django-ratelimit's "count/period"): per IP and per account or phone number.
PORTAL_RATE_LOGIN = env_rate("TONGXIN_PORTAL_RATE_LOGIN", "10/10m")
PORTAL_RATE_CODE = env_rate("TONGXIN_PORTAL_RATE_CODE", "5/h")
PORTAL_RATE_SUBMIT = env_rate("TONGXIN_PORTAL_RATE_SUBMIT", "20/h")
PORTAL_RATE_NOTICE = env_rate("TONGXIN_PORTAL_RATE_NOTICE", "10/h")
RATELIMIT_VIEW = "tongxin.portal.realm.rate_limited"

# --- API ----------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
API_PAGE_SIZE_MAX = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TONGXIN_LOG_LEVEL", "WARNING").upper()},
    # axes logs every failed login as a warning; the audit log already keeps them, with more.
    "loggers": {"axes": {"level": "ERROR"}},
}
