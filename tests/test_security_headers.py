"""Cookies, caching and browser hardening headers (issue 10, items 2 and 6), on every page of the app."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .factories import PASSWORD, make_user
from .security_world import build_world, page_urls

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC_JS = Path(__file__).resolve().parent.parent / "static" / "js"


@pytest.fixture
def world(app):
    return build_world()


def _signed_in(app, username: str):
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser


def _set_cookie_headers(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_session_cookie_is_httponly_lax_host_only_and_not_secure_over_http(client):
    make_user(username="ada")
    response = client.post("/login", data={"username": "ada", "password": PASSWORD})
    [cookie] = [c for c in _set_cookie_headers(response) if c.startswith("session=")]
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes and "samesite=lax" in attributes and "path=/" in attributes
    assert not any(part.startswith("domain=") for part in attributes)
    assert "secure" not in attributes


def test_session_cookie_is_secure_when_the_request_is_https(client):
    make_user(username="ada")
    response = client.post("/login", data={"username": "ada", "password": PASSWORD}, base_url="https://localhost")
    [cookie] = [c for c in _set_cookie_headers(response) if c.startswith("session=")]
    assert "secure" in [part.strip().lower() for part in cookie.split(";")]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_configured_https_uses_a_host_prefixed_secure_cookie(make_app, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    app = make_app()
    with app.app_context():
        make_user(username="ada")
        browser = app.test_client()
        page = browser.get("/login", base_url="https://localhost")
        token = re.search(r'"X-CSRFToken": "([^"]+)"', page.get_data(as_text=True)).group(1)
        response = browser.post("/login", data={"username": "ada", "password": PASSWORD},
                                headers={"X-CSRFToken": token, "Referer": "https://localhost/login"},
                                base_url="https://localhost", csrf=False)
        assert response.status_code == 302
        [cookie] = [c for c in _set_cookie_headers(response) if c.startswith("__Host-session=")]
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert "secure" in attributes and "path=/" in attributes
        assert not any(a.startswith("domain=") for a in attributes)


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_trusted_proxy_reports_https(make_app):
    app = make_app(TRUSTED_PROXY_COUNT=1)
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    untrusted = make_app().test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in untrusted.headers


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.strip().split(" ", 1)[0]: part.strip() for part in policy.split(";") if part.strip()}


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.inline = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "style":
            self.styles.append(attrs)
        for name in attrs:
            if name.startswith("on") or name == "style" or name.startswith("hx-on"):
                self.inline.append((tag, name))


def test_every_page_signed_in_or_not_has_the_headers(app, world):
    viewers = {"anonymous": app.test_client(), "founder": _signed_in(app, "fiona"), "admin": _signed_in(app, "root")}
    checked = 0
    for name, browser in viewers.items():
        for url in page_urls(app, world, name):
            for htmx in (False, True):
                response = browser.get(url, headers={"HX-Request": "true"} if htmx else {})
                assert response.status_code < 500, url
                headers = response.headers
                assert headers["X-Content-Type-Options"] == "nosniff", url
                assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
                assert "no-store" in headers.get("Cache-Control", ""), (name, url)
                if response.mimetype != "text/html":
                    continue
                assert "HX-Request" in headers.get("Vary", ""), url
                csp = _csp(response)
                assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
                assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
                assert csp["frame-ancestors"] == "frame-ancestors 'none'"
                assert csp["object-src"] == "object-src 'none'"
                nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
                parser = _Scripts()
                parser.feed(response.get_data(as_text=True))
                assert parser.inline == [], (url, parser.inline)
                for script in parser.scripts:
                    # Every script is one of our files ('self'); an inline one would need this response's nonce.
                    assert script.get("src", "").startswith("/static/") or script.get("nonce") == nonce, (url, script)
                assert all(style.get("nonce") == nonce for style in parser.styles), url
                checked += 1
    assert checked > 40


def test_nonces_differ_per_response(client):
    first = _csp(client.get("/login"))["script-src"]
    assert first != _csp(client.get("/login"))["script-src"]


def test_htmx_is_configured_for_the_csp(client):
    page = client.get("/login").get_data(as_text=True)
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1)
    for setting in ('"allowEval": false', '"allowScriptTags": false', '"includeIndicatorStyles": false',
                    '"historyCacheSize": 0', '"selfRequestsOnly": true'):
        assert setting in config


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=|\shx-on[:-]|javascript:", re.I)


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_hold_no_inline_scripts_styles_or_handlers(path):
    assert not INLINE.findall(path.read_text()), path


def test_json_and_probe_responses_forbid_everything(client):
    for url in ("/live/", "/api/v1/openapi.json", "/api/v1/me"):
        response = client.get(url)
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_static_files_may_be_cached(client):
    response = client.get("/static/js/app.js")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
