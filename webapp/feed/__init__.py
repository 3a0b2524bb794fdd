"""Feed blueprint: the /feed page, its next-page fragments, and each user's activity fragment."""

from flask import Blueprint

bp = Blueprint("feed", __name__)

from . import routes  # noqa: E402,F401  - routes attach to bp
