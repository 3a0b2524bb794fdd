"""Saved searches page: each saved search with its new matches; save from /search; delete."""

from flask import Blueprint

bp = Blueprint("saved_searches", __name__)

from . import routes  # noqa: E402,F401  - routes attach to bp
