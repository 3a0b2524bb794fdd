"""Notifications blueprint: the list, marking read, and per-kind preferences."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from . import routes  # noqa: E402,F401  - routes attach to bp
