"""Startups blueprint."""

from flask import Blueprint

bp = Blueprint("startups", __name__)

from . import routes  # noqa: E402,F401
