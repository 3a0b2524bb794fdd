"""Transport and browser hardening: proxy trust, CSP with nonces, security headers, cookies.

A small after_request rather than flask-talisman: Talisman's defaults force HTTPS redirects and
Secure cookies even in the plain-HTTP embedded mode, its last release is from 2023, and what we
need (a per-request nonce, HSTS and Secure only when the request really is HTTPS behind a
configured proxy, `no-store` and `Vary` rules for htmx) is a few dozen lines we can test.
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import headers
from .cookies import SecureWhenHttpsSessionInterface


def init_app(app: Flask) -> None:
    """Trust exactly TRUSTED_PROXY_COUNT proxies, then add the headers to every response."""
    count = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if count > 0:
        # Only the last `count` hops of X-Forwarded-For are believed: a client cannot spoof its
        # address (rate limits, admin networks) by sending the header itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)
    app.session_interface = SecureWhenHttpsSessionInterface()
    headers.init_app(app)
