"""The session cookie: HttpOnly, SameSite=Lax, host-only, and Secure whenever it travels over HTTPS."""

from flask import request
from flask.sessions import SecureCookieSessionInterface


class SecureWhenHttpsSessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure when configured to, and also whenever this request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def get_cookie_domain(self, app):
        # Host-only: never valid for sibling subdomains, whatever SERVER_NAME says.
        return app.config.get("SESSION_COOKIE_DOMAIN") or None
