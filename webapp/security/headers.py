"""Security headers on every response; a fresh CSP nonce per request for the templates."""

import secrets

from flask import Flask, Response, current_app, g, request

STATIC_ENDPOINTS = ("static",)


def csp_nonce() -> str:
    """The nonce of this request's Content-Security-Policy (templates: `nonce="{{ csp_nonce() }}"`)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def page_policy(nonce: str, secure: bool) -> str:
    """The CSP of HTML pages: our own files and nonce'd elements only; no inline code, no eval."""
    socket = f"wss://{request.host}" if secure else f"ws://{request.host} wss://{request.host}"
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        # Pico's form controls draw their icons with data: SVGs.
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' {socket}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if secure:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


# JSON, text and everything else: nothing may load or frame it.
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'"


def add_headers(response: Response) -> Response:
    """Add CSP, nosniff, framing, referrer, HSTS, cache and Vary headers."""
    html = response.mimetype == "text/html"
    secure = request.is_secure
    policy = page_policy(csp_nonce(), secure) if html else OTHER_POLICY
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    hsts = int(current_app.config.get("HSTS_SECONDS") or 0)
    if secure and hsts > 0:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
    if request.endpoint not in STATIC_ENDPOINTS:
        # Pages carry the viewer's data and a CSRF token: no browser or shared cache keeps them.
        if not response.headers.get("Cache-Control"):
            response.headers["Cache-Control"] = "no-store"
        if html:
            # One URL answers with a page or an htmx fragment, and differs per signed-in user.
            response.vary.add("HX-Request")
            response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_headers)
