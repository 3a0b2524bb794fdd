"""Collaboration pages: connections, blocks, conversations and message requests."""

from flask import Blueprint

bp = Blueprint("messaging", __name__)

from . import connections, conversations  # noqa: E402,F401  - routes attach to bp
