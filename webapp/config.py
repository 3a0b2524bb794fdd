"""Settings read from the environment, with test and production variants."""

import os
import secrets
from pathlib import Path


def _instance_secret_key(instance_path: str) -> str:
    """Return the key kept under instance/, creating it once when none exists."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two workers starting together must not write different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _database_url(url: str | None, instance_path: str) -> str:
    """Normalise DATABASE_URL so PostgreSQL always goes through psycopg 3."""
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "collabhub.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _engine_options(url: str | None) -> dict:
    """Pool settings; on PostgreSQL a connect timeout so an unreachable server fails fast, and no JIT."""
    options: dict = {"pool_pre_ping": True}
    if url and url.startswith("postgres"):
        connect_args: dict = {
            # PostgreSQL's JIT compiles the feed's visibility sub-plans for seconds whenever the
            # planner's estimate crosses jit_above_cost; these short OLTP queries never gain from it.
            "options": "-c jit=off",
        }
        if "connect_timeout" not in url:
            connect_args["connect_timeout"] = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
        options["connect_args"] = connect_args
        # While the server restarts, requests queue for a pool slot: give up (503) after this long.
        options["pool_timeout"] = float(os.environ.get("DATABASE_POOL_TIMEOUT", "10"))
    return options


PRIVATE_NETWORKS = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"

# argon2id with argon2-cffi's RFC 9106 "low memory" profile: 64 MiB, t=3, p=4.
DEFAULT_PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the configuration mapping from the environment and overrides."""
    env = os.environ
    overrides = dict(overrides or {})
    database_url = overrides.pop("DATABASE_URL", None) or env.get("DATABASE_URL")
    redis_url = overrides.pop("REDIS_URL", env.get("REDIS_URL")) or None
    config = {
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(database_url, instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "REDIS_URL": redis_url,
        # Connections one process may hold per Redis client (cache, rate limits, live publish, queue).
        "REDIS_MAX_CONNECTIONS": int(env.get("REDIS_MAX_CONNECTIONS", "50")),
        # PostgreSQL refusing connections (restart, fail-over): keep trying this long before a 503.
        "DATABASE_CONNECT_RETRY_SECONDS": float(env.get("DATABASE_CONNECT_RETRY_SECONDS", "10")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure is also added per request whenever the request came over HTTPS (security/cookies.py).
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE")),
        # A __Host- cookie is Secure, host-only and Path=/ by the browser's own rules.
        "SESSION_COOKIE_NAME": "__Host-session" if _flag(env.get("SESSION_COOKIE_SECURE")) else "session",
        "SESSION_COOKIE_DOMAIN": None,
        # Server-side sessions end after this many hours whatever the activity (services/sessions.py).
        "SESSION_LIFETIME_HOURS": float(env.get("SESSION_LIFETIME_HOURS", "336")),
        # Proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none, use the socket address).
        "TRUSTED_PROXY_COUNT": int(env.get("TRUSTED_PROXY_COUNT", "0")),
        # Strict-Transport-Security max-age on HTTPS responses (0 switches the header off).
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", str(365 * 24 * 3600))),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "true").lower() != "false",
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Failed log-ins per account, from any address (the per-address limit is LOGIN_RATE_LIMIT).
        "LOGIN_ACCOUNT_RATE_LIMIT": env.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute;20 per hour"),
        "SIGNUP_RATE_LIMIT": env.get("SIGNUP_RATE_LIMIT", "5 per minute"),
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "600 per minute"),
        "MESSAGE_RATE_LIMIT": env.get("MESSAGE_RATE_LIMIT", "30 per minute;500 per day"),
        "LOG_DIR": env.get("LOG_DIR", str(Path(instance_path) / "logs")),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "LOG_MAX_BYTES": int(env.get("LOG_MAX_BYTES", str(10 * 1024 * 1024))),
        "LOG_BACKUP_COUNT": int(env.get("LOG_BACKUP_COUNT", "5")),
        # Probes: each dependency check gives up after this many seconds.
        "HEALTH_CHECK_TIMEOUT": float(env.get("HEALTH_CHECK_TIMEOUT", "2")),
        "READY_CACHE_SECONDS": float(env.get("READY_CACHE_SECONDS", "10")),
        # SIGTERM: seconds a worker keeps serving (while /ready/ says 503) before it stops accepting.
        "SHUTDOWN_DRAIN_SECONDS": float(env.get("SHUTDOWN_DRAIN_SECONDS", "5")),
        # Operator endpoints: empty means open (protect them at the ingress), see docs/operations.md.
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,
        # Default: loopback and private networks only (Prometheus scrapes pods from inside the cluster);
        # "0.0.0.0/0,::/0" opens it to every address (then set METRICS_TOKEN).
        "METRICS_ALLOWED_NETWORKS": env.get("METRICS_ALLOWED_NETWORKS", PRIVATE_NETWORKS),
        "ADMIN_ALLOWED_NETWORKS": env.get("ADMIN_ALLOWED_NETWORKS", ""),
        "CACHE_DEFAULT_TIMEOUT": 300,
        # flask-smorest: the OpenAPI document lives at /api/v1/openapi.json.
        "API_TITLE": "CollabHub API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "TASKS_IMMEDIATE": redis_url is None,
        # simple-websocket pings every socket so proxies and clients keep it open.
        "SOCK_SERVER_OPTIONS": {"ping_interval": int(env.get("WEBSOCKET_PING_SECONDS", "25"))},
        # Extra origins (e.g. "https://www.example.com") whose pages may open /ws/feed with cookies.
        "WEBSOCKET_ALLOWED_ORIGINS": [o for o in env.get("WEBSOCKET_ALLOWED_ORIGINS", "").split(",") if o],
        # Outbox relay and job repair sweep (a background thread per web process and in the worker):
        # every RELAY_SECONDS publish what the fast path left unpublished for RELAY_GRACE_SECONDS;
        # every REPAIR_SECONDS rerun jobs unfinished after REPAIR_AFTER_SECONDS. 0 turns the thread off.
        "OUTBOX_RELAY_SECONDS": float(env.get("OUTBOX_RELAY_SECONDS", "2")),
        "OUTBOX_RELAY_GRACE_SECONDS": float(env.get("OUTBOX_RELAY_GRACE_SECONDS", "5")),
        "TASK_REPAIR_SECONDS": float(env.get("TASK_REPAIR_SECONDS", "60")),
        "TASK_REPAIR_AFTER_SECONDS": float(env.get("TASK_REPAIR_AFTER_SECONDS", "600")),
        # An argon2-cffi profile name; the test suite alone uses CHEAPEST (refused otherwise).
        "PASSWORD_HASH_PROFILE": env.get("PASSWORD_HASH_PROFILE", DEFAULT_PASSWORD_HASH_PROFILE),
        "TESTING": False,
    }
    config.update(overrides)
    return config
