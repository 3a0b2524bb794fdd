"""Startup updates: members post, Markdown is sanitised, followers get `update_posted` in their feed."""

from html.parser import HTMLParser

from sqlalchemy import select

from webapp.extensions import db
from webapp.markdown import render_markdown
from webapp.models import ActivityEvent, Startup, StartupUpdate
from webapp.services import follows

from .factories import make_startup, make_user

HOSTILE = """Launch day!

<script>alert('x')</script>
<img src=x onerror="alert(1)">
<a href="/steal" hx-post="/logout" hx-trigger="load" onclick="evil()">click</a>
<div hx-get="/api" hx-swap="outerHTML" style="color:red">boxed</div>
[bad link](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)
[vb](vbscript:msgbox) [good](https://example.com/launch) **bold**
"""


def _url(startup) -> str:
    return f"/api/v1/startups/{startup.slug}/updates/"


def _events(action_type: str) -> list[ActivityEvent]:
    db.session.expire_all()
    query = select(ActivityEvent).where(ActivityEvent.action_type == action_type).order_by(ActivityEvent.id)
    return list(db.session.scalars(query))


class _Elements(HTMLParser):
    """Collect the real elements and attributes of some HTML (escaped text is not an element)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def assert_safe(html: str) -> None:
    elements = _Elements(html)
    assert not {"script", "img", "div", "iframe", "style"} & set(elements.tags), elements.tags
    for name, value in elements.attributes:
        assert not name.startswith(("on", "hx-", "data-")) and name != "style", name
        if name == "href":
            assert value.startswith(("https://", "http://", "mailto:", "/")), value


def test_sanitiser_strips_scripts_handlers_htmx_and_bad_links():
    html = str(render_markdown(HOSTILE))
    assert_safe(html)
    assert html.count("<a ") == 1
    assert '<a href="https://example.com/launch" rel="nofollow noopener noreferrer ugc">good</a>' in html
    assert "<strong>bold</strong>" in html
    # Typed HTML shows as text rather than disappearing silently.
    assert "&lt;script&gt;" in html


def test_markdown_allow_list_keeps_formatting():
    html = str(render_markdown("# Title\n\n- one\n- two\n\n> quote\n\n`code`"))
    assert "<h3>Title</h3>" in html  # headings sit below the page's own
    assert "<li>one</li>" in html and "<blockquote>" in html and "<code>code</code>" in html


def test_member_posts_an_update_with_sanitised_html(api):
    founder = make_user("founder")
    startup = make_startup(founder, name="Acme")
    response = api.post(_url(startup), founder, json={"title": "We launched", "body": HOSTILE})
    assert response.status_code == 201
    data = response.get_json()
    assert data["title"] == "We launched" and data["body"] == HOSTILE.strip()
    assert_safe(data["body_html"])
    assert data["author"]["username"] == founder.username and data["url"].endswith(f"#update-{data['id']}")
    [event] = _events("update_posted")
    assert (event.actor_id, event.target_type, event.target_id, event.is_public) == (
        founder.id, "startup", startup.id, True)
    listing = api.get(_url(startup), make_user()).get_json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == data["id"]


def test_the_startup_page_shows_updates_sanitised(api, client):
    founder = make_user("founder")
    startup = make_startup(founder, name="Acme")
    api.post(_url(startup), founder, json={"title": "We launched", "body": HOSTILE})
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert "We launched" in page and "<strong>bold</strong>" in page
    body = page.split('class="update-body"', 1)[1].split("</section>", 1)[0]
    wrapper = '<div class="ugc" hx-disable>'
    assert body.split(">", 1)[1].startswith(wrapper) and body.rstrip().endswith("</div>")  # htmx ignores it
    assert_safe(body.split(">", 1)[1].removeprefix(wrapper).rstrip().removesuffix("</div>"))
    attributes = _Elements(page).attributes
    assert ("hx-post", "/logout") not in attributes and not any(name == "onclick" for name, _ in attributes)


def test_non_members_cannot_post_and_bad_bodies_are_refused(api):
    startup = make_startup()
    founder = startup.members[0]
    outsider = make_user("founder")
    assert api.post(_url(startup), outsider, json={"title": "Hi", "body": "x"}).status_code == 403
    assert api.post("/api/v1/startups/nope/updates/", founder, json={"title": "Hi", "body": "x"}).status_code == 404
    assert api.post(_url(startup), founder, json={"title": "", "body": "x"}).status_code == 422
    assert api.post(_url(startup), founder, json={"title": "Hi"}).status_code == 422
    assert api.post(_url(startup), founder, json={"title": "Hi", "body": "x",
                                                  "traction": {"mrr": -5}}).status_code == 422
    assert db.session.scalar(select(StartupUpdate.id)) is None
    assert _events("update_posted") == []


def test_traction_attached_to_an_update_records_traction_updated(api):
    founder = make_user("founder")
    startup = make_startup(founder, name="Acme")
    body = {"title": "Q3", "body": "Numbers", "traction": {"mrr": 12000, "monthly_active_users": 900}}
    data = api.post(_url(startup), founder, json=body).get_json()
    assert data["traction"] == {"mrr": 12000, "monthly_active_users": 900}
    db.session.expire_all()
    saved = db.session.get(Startup, startup.id)
    assert (saved.mrr, saved.monthly_active_users) == (12000, 900) and saved.traction_updated_at
    assert len(_events("traction_updated")) == 1 and len(_events("update_posted")) == 1
    # Same figures again: nothing changed, so no traction event (the update is still posted).
    data = api.post(_url(startup), founder, json=body).get_json()
    assert data["traction"] == {}
    assert len(_events("traction_updated")) == 1 and len(_events("update_posted")) == 2


def test_update_posted_reaches_followers_following_feed(api):
    founder = make_user("founder")
    startup = make_startup(founder, name="Acme")
    follower, stranger = make_user("talent"), make_user("talent")
    follows.follow(follower, startup)
    # Prime the follower's cached page: the new event must not be hidden behind it.
    api.get("/api/v1/feed/?scope=following", follower)
    data = api.post(_url(startup), founder, json={"title": "Big news", "body": "Hello"}).get_json()

    def types(user, query):
        results = api.get(f"/api/v1/feed/?{query}", user).get_json()["results"]
        return [(item["action_type"], item["target"]["id"] if item["target"] else None) for item in results]

    assert ("update_posted", startup.id) in types(follower, "scope=following")
    assert types(follower, "scope=following&action_type=update_posted") == [("update_posted", startup.id)]
    assert ("update_posted", startup.id) not in types(stranger, "scope=following")
    # Public: in everyone's `all` scope.
    assert ("update_posted", startup.id) in types(stranger, "scope=all")
    assert data["id"]
    # The feed filter offers the new type.
    assert api.get("/api/v1/feed/?action_type=update_posted", stranger).status_code == 200
    assert api.get("/api/v1/feed/?action_type=nonsense", stranger).status_code == 422
