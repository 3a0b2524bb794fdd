"""CollabHub: where founders, talent and investors find each other."""

import logging
import os
import sys

from flask import Flask

from . import database, errors, filters, lifecycle, observability, realtime, security, tasks
from .accounts import bp as accounts_bp
from .admin import init_app as init_admin
from .api import register_api
from .caching import cache_config, redis_pool
from .cli import register_commands
from .config import load_config
from .extensions import api, cache, csrf, db, limiter, login_manager, migrate, sock
from .feed import bp as feed_bp
from .main import bp as main_bp
from .messaging import bp as messaging_bp
from .notifications import bp as notifications_bp
from .opportunities import bp as opportunities_bp
from .people import bp as people_bp
from .recommendations.routes import bp as recommendations_bp
from .saved import bp as saved_bp
from .saved_searches import bp as saved_searches_bp
from .search import bp as search_bp
from .search.ddl import include_object as search_include_object
from .services import accounts as accounts_service
from .startups import bp as startups_bp
from .teams import bp as teams_bp

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Create and configure the app; `config` overrides values read from the environment."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or None,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path, config))
    app.config.update(cache_config(app.config))
    app.config.update(_limiter_config(app.config))

    security.init_app(app)
    accounts_service.init_app(app)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, include_object=search_include_object)
    cache.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    sock.init_app(app)
    api.init_app(app)
    tasks.init_app(app)
    observability.init_app(app)
    realtime.init_app(app)
    lifecycle.init_app(app)
    errors.init_app(app)
    filters.init_app(app)

    _register_blueprints(app)
    _check_gevent_psycopg()
    return app


def _limiter_config(config: dict) -> dict:
    redis_url = config.get("REDIS_URL")
    return {
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis down: keep enforcing limits in memory rather than failing open or erroring.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Requests already talking to Redis when it fails raise after the first one has switched
        # the limiter to memory; Flask-Limiter only falls back once, so without this they are 500s.
        # Every later request is limited in memory: this is not fail-open.
        "RATELIMIT_SWALLOW_ERRORS": True,
        # A bounded pool with 0.5 s timeouts (caching.redis_pool), like every other Redis client here.
        "RATELIMIT_STORAGE_OPTIONS": (
            {"connection_pool": redis_pool(redis_url, config["REDIS_MAX_CONNECTIONS"])} if redis_url else {}
        ),
        "RATELIMIT_KEY_PREFIX": "collabhub",
        # Exact counts: a fixed window lets a guesser spend two windows' budget around each boundary,
        # and the sliding-window counter's weighting lets one more attempt through just after it.
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": True,
    }


def _register_blueprints(app: Flask) -> None:
    for blueprint in (
        main_bp, accounts_bp, people_bp, startups_bp, opportunities_bp, recommendations_bp, search_bp,
        feed_bp, notifications_bp, saved_searches_bp, messaging_bp, realtime.bp, teams_bp, saved_bp,
    ):
        app.register_blueprint(blueprint)
    register_api(app)
    register_commands(app)
    init_admin(app)


def _check_gevent_psycopg() -> None:
    """Refuse to run psycopg's blocking wait under gevent (it would stall the whole worker)."""
    if "gevent" not in sys.modules:
        return
    from gevent import monkey  # noqa: PLC0415

    if not monkey.is_module_patched("socket") or "psycopg" not in sys.modules:
        return
    import psycopg.waiting  # noqa: PLC0415

    if psycopg.waiting.wait.__name__ == "wait_c":
        raise RuntimeError(
            "psycopg was imported before gevent patched the stdlib: run gunicorn without --preload"
        )
