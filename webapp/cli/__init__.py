"""Command-line tools: flask --app wsgi <command>."""

from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach every CollabHub command to the app's CLI."""
