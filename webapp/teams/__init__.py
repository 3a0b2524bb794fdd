"""Teams blueprint: team invitations and startup updates (pages, forms, htmx fragments)."""

from flask import Blueprint

from ..markdown import render_markdown_block

bp = Blueprint("teams", __name__)
# Sanitised Markdown for any template: {{ update.body | markdown }}.
bp.add_app_template_filter(render_markdown_block, "markdown")

from . import routes  # noqa: E402,F401  - routes attach to bp
