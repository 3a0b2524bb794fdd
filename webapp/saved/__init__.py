"""Saved blueprint: the /saved page and the save buttons on startup and opportunity pages and cards."""

from flask import Blueprint, g
from flask_login import current_user

from ..services import saved

bp = Blueprint("saved", __name__)


@bp.app_template_global("saved_keys")
def saved_keys() -> frozenset | None:
    """The signed-in viewer's saved ("startup"|"opportunity", id) pairs, once per request; None for visitors."""
    if not current_user.is_authenticated:
        return None
    if "saved_keys" not in g:
        g.saved_keys = saved.saved_keys(current_user)
    return g.saved_keys


from . import routes  # noqa: E402,F401  - routes attach to bp
