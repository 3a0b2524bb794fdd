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
        # PostgreSQL refusing connections (restart, fail-over): keep trying this long before a 503.
        "DATABASE_CONNECT_RETRY_SECONDS": float(env.get("DATABASE_CONNECT_RETRY_SECONDS", "10")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "true").lower() != "false",
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SIGNUP_RATE_LIMIT": env.get("SIGNUP_RATE_LIMIT", "5 per minute"),
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "600 per minute"),
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
        "METRICS_ALLOWED_NETWORKS": env.get("METRICS_ALLOWED_NETWORKS", ""),
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
        "TESTING": False,
    }
    config.update(overrides)
    return config
