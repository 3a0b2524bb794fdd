"""Offset pagination for API lists: query arguments and the {"count", "results", "next", "previous"} page."""

from flask import request, url_for
from marshmallow import Schema, fields, validate

MAX_LIMIT = 100


class PageArgs(Schema):
    limit = fields.Integer(
        load_default=20, validate=validate.Range(min=1), metadata={"description": "Page size; capped at 100."}
    )
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**6))


def window(args: dict) -> tuple[int, int]:
    """Return (limit, offset) from validated PageArgs, the limit capped rather than refused."""
    return min(args["limit"], MAX_LIMIT), args["offset"]


def page(results: list, count: int, args: dict) -> dict:
    """Build a page of `results` with links to its neighbours (same filters)."""
    limit, offset = window(args)
    return {
        "count": count,
        "results": results,
        "next": _link(args, offset + limit, limit) if offset + limit < count else None,
        "previous": _link(args, max(offset - limit, 0), limit) if offset > 0 else None,
    }


def _link(args: dict, offset: int, limit: int) -> str:
    # Only validated arguments: raw query keys could collide with url_for's own parameters.
    query = {key: value for key, value in args.items() if value is not None} | {"limit": limit, "offset": offset}
    return url_for(request.endpoint, **(request.view_args or {}), **query, _external=True)
