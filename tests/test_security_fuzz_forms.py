"""Hypothesis strings into every form and htmx route (issue 10, item 12): never a 5xx, and an
anonymous visitor changes nothing whatever they send. Routes come from the app's url_map and
field names from the forms the app renders, so new pages are fuzzed without editing this file."""

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import PASSWORD
from .security_world import build_world, diff, fill, page_rules, path_values, snapshot

EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "6"))
COMMON_FIELDS = ("q", "page", "cursor", "limit", "scope", "action_type", "type", "status", "name", "next",
                 "username", "password", "email", "role", "kind", "id", "reason", "body", "note", "feedback")
# Logging out would end the fuzzing browser's own session; it is covered by the session tests.
SKIPPED = ("/logout",)
VALUES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "true", "null", "../../etc/passwd", "%00", "\x00",
                     "' OR 1=1 --", "<script>x()</script>", "{{7*7}}", "a" * 5000, "🚀" * 100, "\\", "[]"]),
)
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')


def _field_names(browser, url: str) -> list[str]:
    """The names of the fields the app's own page at `url` renders, plus common ones."""
    page = browser.get(url)
    names = FIELD.findall(page.get_data(as_text=True)) if page.status_code == 200 else []
    return sorted(set(names + list(COMMON_FIELDS)) - {"csrf_token"})


def _routes(app, world, viewer):
    values = path_values(world, viewer)
    for method in ("POST", "GET"):
        for rule in page_rules(app, method):
            url = fill(rule, values)
            if url and not url.startswith(SKIPPED):
                yield method, url, "GET" in rule.methods


def _fuzz(browser, method, url, fields, *, problems, tally):
    @given(data=st.dictionaries(st.sampled_from(fields), VALUES, max_size=8), htmx=st.booleans())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(data, htmx):
        tally["cases"] += 1
        headers = {"HX-Request": "true"} if htmx else {}
        clean = {key: value.replace("\x00", "") if method == "GET" else value for key, value in data.items()}
        if method == "GET":
            response = browser.get(url, query_string=clean, headers=headers)
        else:
            response = browser.open(url, method=method, data=clean, headers=headers)
        if response.status_code >= 500:
            problems.append(f"{method} {url} {data!r} -> {response.status_code}")

    run()


def test_forms_and_htmx_routes_never_fail_under_fuzzing(app, capsys):
    world = build_world()
    browser = app.test_client()
    assert browser.post("/login", data={"username": "fiona", "password": PASSWORD}).status_code == 302
    problems, tally, routes = [], {"cases": 0}, 0
    for method, url, has_page in _routes(app, world, "founder"):
        fields = _field_names(browser, url) if has_page else list(COMMON_FIELDS)
        _fuzz(browser, method, url, fields, problems=problems, tally=tally)
        routes += 1
    with capsys.disabled():
        print(f"\nform fuzz: {routes} routes, {tally['cases']} cases, {len(problems)} 5xx")
    assert routes > 30
    assert problems == []


def test_anonymous_fuzzing_changes_nothing(app):
    world = build_world()
    browser = app.test_client()
    before = snapshot({"feeds": {"last_activity_id", "last_updated"}})
    problems, tally = [], {"cases": 0}
    for method, url, _ in _routes(app, world, None):
        if method == "POST" and url not in ("/signup", "/login"):
            _fuzz(browser, method, url, list(COMMON_FIELDS), problems=problems, tally=tally)
    assert problems == []
    assert diff(before, snapshot({"feeds": {"last_activity_id", "last_updated"}})) == {}
