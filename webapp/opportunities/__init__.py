"""Opportunities blueprint."""

from flask import Blueprint

bp = Blueprint("opportunities", __name__)

from . import routes  # noqa: E402,F401
