"""Admin area (is_admin only): browse and moderate users, startups, opportunities, events."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import cli, routes  # noqa: E402,F401  - routes attach to bp


def init_app(app: Flask) -> None:
    """Register the admin pages and `flask make-admin`."""
    app.register_blueprint(bp)
    app.cli.add_command(cli.make_admin)
