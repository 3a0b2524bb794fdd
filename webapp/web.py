"""Helpers every HTML blueprint shares: page-or-fragment rendering and form input."""

from urllib.parse import urlsplit

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block
from werkzeug.datastructures import MultiDict


def is_htmx() -> bool:
    """Whether this request came from htmx (and wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render the whole page, or only `block` of the same template for an htmx request."""
    if block and is_htmx():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    response.vary.add("HX-Request")
    return response


def form_data(form: MultiDict, booleans: tuple[str, ...] = (), lists: tuple[str, ...] = ()) -> dict:
    """Turn a posted form into a service input dict.

    An unchecked checkbox is absent from the form, which means False here; multi-valued
    fields (e.g. a set of checkboxes) become lists.
    """
    data = {key: form.get(key) for key in form.keys() if key != "csrf_token"}
    for name in booleans:
        data[name] = name in form and form.get(name) not in ("", "false", "0", "off")
    for name in lists:
        data[name] = [value for value in form.getlist(name) if value]
    return data


def safe_next(target: str | None, default: str = "/") -> str:
    """Return `target` when it is a same-site path, else `default` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return default
    return target
