"""Command-line tools: flask --app wsgi <command>."""

from flask import Flask

from .commands import create_token, import_data, seed_demo
from .delivery import relay, repair_notifications


def register_commands(app: Flask) -> None:
    """Attach every CollabHub command to the app's CLI."""
    for command in (seed_demo, import_data, create_token, relay, repair_notifications):
        app.cli.add_command(command)
