"""Accounts blueprint: sign-up, log-in, log-out and API tokens."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import routes, session  # noqa: E402,F401  - routes attach to bp
