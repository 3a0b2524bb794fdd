"""The shared design pieces: macros render accessible markup, and no template carries inline code."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from webapp.filters import AVATAR_COLOURS, avatar_hue

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* handler"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_carry_no_inline_code(path):
    text = path.read_text()
    found = [label for pattern, label in INLINE if pattern.search(text)]
    assert not found, f"{path.name}: {found} (put JS in static/js, CSS in static/css)"


def macro(app, name: str, *args, **kwargs) -> str:
    module = app.jinja_env.get_template("macros/ui.html").make_module({})
    return str(getattr(module, name)(*args, **kwargs))


def test_reltime_shows_the_relative_time_and_the_exact_one_on_hover(app):
    moment = datetime.now(UTC) - timedelta(minutes=5)
    with app.test_request_context():
        html = macro(app, "reltime", moment)
        from_iso = macro(app, "reltime", moment.isoformat())
    assert html == from_iso
    assert f'datetime="{moment.isoformat()}"' in html
    assert f'title="{moment.strftime("%Y-%m-%d %H:%M UTC")}"' in html
    assert ">5 min ago</time>" in html


def test_avatar_initials_and_a_stable_colour(app):
    with app.test_request_context():
        html = macro(app, "avatar_named", "Zoë van Dijk", "zoe_van_dijk")
    assert ">ZV</span>" in html and 'aria-hidden="true"' in html
    assert f"avatar-c{avatar_hue('zoe_van_dijk')}" in html
    assert avatar_hue("zoe_van_dijk") == avatar_hue("ZOE_VAN_DIJK")
    assert {avatar_hue(f"user{n}") for n in range(200)} == set(range(AVATAR_COLOURS))


def test_empty_state_names_the_next_step(app):
    with app.test_request_context():
        html = macro(app, "empty_state", "No startups yet", "Add the first one.", "/startups/new", "Add a startup")
    assert 'role="status"' in html and "No startups yet" in html
    assert '<a role="button" class="small" href="/startups/new">Add a startup</a>' in html


def test_a_field_error_sits_under_its_field_and_is_announced_with_it(app):
    with app.test_request_context():
        forms = app.jinja_env.get_template("macros/forms.html").make_module({})
        html = str(forms.field("email", "Email", {"email": "x"}, {"email": ["Not an email address."]}))
        helped = str(forms.field("skills", "Skills", help="Comma-separated."))
    assert 'aria-invalid="true"' in html and 'aria-describedby="field-email-error"' in html
    assert '<small id="field-email-error" class="field-error">Not an email address.</small>' in html
    assert 'aria-describedby="field-skills-help"' in helped and 'id="field-skills-help"' in helped
