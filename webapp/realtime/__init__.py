"""Live updates: the channel layer and the /ws/feed socket (SPEC §3.2)."""

from flask import Blueprint, Flask

from . import layer, relay

bp = Blueprint("realtime", __name__)


def init_app(app: Flask) -> None:
    """Attach this app's channel layer and its outbox sweeper."""
    layer.init_app(app)
    relay.init_app(app)


from . import routes  # noqa: E402,F401  - routes attach to bp
