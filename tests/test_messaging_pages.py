"""Connections and conversation pages: htmx buttons, composing, sending without reload, safe links, limits."""

import pytest
from markupsafe import Markup
from sqlalchemy import select

from webapp.extensions import db
from webapp.filters import linkify
from webapp.models import Connection, Conversation, Message
from webapp.services import blocks, conversations

from .factories import PASSWORD, make_opportunity, make_startup, make_user, token_for
from .html_text import text_of
from .messaging_helpers import connect

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ada_bob(app):
    return make_user(username="ada"), make_user(username="bob")


def test_connect_button_walks_the_states_on_the_profile(client, auth, ada_bob):
    ada, bob = ada_bob
    auth.login("ada")
    profile = client.get("/users/bob").get_data(as_text=True)
    assert "/users/bob/connect" in profile and ">Connect<" in profile
    sent = client.post("/users/bob/connect", headers=HTMX)
    assert sent.status_code == 200 and "Request sent" in sent.get_data(as_text=True)
    assert "<html" not in sent.get_data(as_text=True)
    assert client.post("/users/bob/connect", headers=HTMX).status_code == 409
    auth.logout()
    auth.login("bob")
    assert "ada wants to connect" in text_of(client.get("/users/ada").get_data(as_text=True))
    accepted = client.post("/users/ada/connect", headers=HTMX).get_data(as_text=True)
    assert "Connected" in accepted and "Remove connection" in accepted
    assert db.session.scalar(select(Connection.status)) == "accepted"
    removed = client.post("/users/ada/disconnect", headers=HTMX).get_data(as_text=True)
    assert ">Connect<" in removed and db.session.scalar(select(Connection.id)) is None


def test_connections_page_lists_pending_requests_and_accepts_with_htmx(client, auth, ada_bob):
    ada, bob = ada_bob
    auth.login("ada")
    client.post("/users/bob/connect")
    auth.logout()
    auth.login("bob")
    page = client.get("/connections").get_data(as_text=True)
    assert "Requests for you" in page and "@ada" in text_of(page)
    row_id = db.session.scalar(select(Connection.id))
    lists = client.post(f"/connections/{row_id}/accept", headers=HTMX)
    assert lists.status_code == 200 and 'id="connection-lists"' in lists.get_data(as_text=True)
    assert "No pending requests." in lists.get_data(as_text=True)
    # Without htmx: a redirect back and a flash.
    assert client.post(f"/connections/{row_id}/remove").status_code == 302


def test_a_stranger_cannot_answer_someone_elses_request_from_the_page(client, auth, ada_bob):
    ada, bob = ada_bob
    make_user(username="eve")
    auth.login("ada")
    client.post("/users/bob/connect")
    auth.logout()
    auth.login("eve")
    row_id = db.session.scalar(select(Connection.id))
    assert client.post(f"/connections/{row_id}/accept", headers=HTMX).status_code == 404
    assert db.session.scalar(select(Connection.status)) == "pending"


def test_message_the_founder_from_a_startup_and_an_opportunity(client, auth, ada_bob):
    ada, bob = ada_bob
    startup = make_startup(bob)
    opportunity = make_opportunity(startup)
    auth.login("ada")
    startup_page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert f"/messages/new?user=bob&amp;startup={startup.slug}" in startup_page
    assert f"/messages/new?user=bob&amp;opportunity={opportunity.id}" in client.get(
        f"/opportunities/{opportunity.id}").get_data(as_text=True)
    form = client.get(f"/messages/new?user=bob&startup={startup.slug}").get_data(as_text=True)
    assert "New message to" in form and startup.name in form
    sent = client.post("/messages/new", data={"user": "bob", "startup": startup.slug, "body": "Love it"})
    conversation = db.session.scalar(select(Conversation))
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/conversations/{conversation.id}")
    assert conversation.startup_id == startup.id and conversation.status == "request"
    # Opening the same link again goes straight to the existing conversation.
    again = client.get(f"/messages/new?user=bob&startup={startup.slug}")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/conversations/{conversation.id}")


def test_message_the_applicant_link_for_members(client, auth, ada_bob):
    ada, bob = ada_bob
    opportunity = make_opportunity(make_startup(bob))
    from webapp.services import applications  # noqa: PLC0415 - keeps the fixture list short
    applications.apply(ada, opportunity, {"note": "Hi"})
    auth.login("bob")
    page = client.get(f"/opportunities/{opportunity.id}/applications").get_data(as_text=True)
    assert f"/messages/new?user=ada&amp;opportunity={opportunity.id}" in page


def test_compose_errors_stay_inline(client, auth, ada_bob):
    auth.login("ada")
    empty = client.post("/messages/new", data={"user": "bob", "body": "  "})
    assert empty.status_code == 422 and "field-error" in empty.get_data(as_text=True)
    assert client.post("/messages/new", data={"user": "ghost", "body": "hi"}).status_code == 404
    assert db.session.scalar(select(Message.id)) is None


def test_sending_with_htmx_returns_a_fresh_box_and_the_message_out_of_band(client, auth, ada_bob):
    ada, bob = ada_bob
    connect(ada, bob)
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "first"})
    auth.login("bob")
    url = f"/conversations/{conversation.id}/messages"
    response = client.post(url, data={"body": "Reply here"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="composer"' in html and f'id="conversation-{conversation.id}-messages" hx-swap-oob="beforeend"' in html
    assert "Reply here" in html and 'class="message mine' in html
    too_long = client.post(url, data={"body": "z" * 4001}, headers=HTMX)
    assert too_long.status_code == 422 and "field-error" in too_long.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Message)) == 2
    plain = client.post(url, data={"body": "No JavaScript"})
    assert plain.status_code == 302 and "#message-" in plain.headers["Location"]


def test_a_blocked_sender_gets_a_clear_refusal_on_the_page(client, auth, ada_bob):
    ada, bob = ada_bob
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "first"})
    blocks.block(bob, ada)
    auth.login("ada")
    refused = client.post(f"/conversations/{conversation.id}/messages", data={"body": "hey"}, headers=HTMX)
    assert refused.status_code == 403 and blocks.REFUSAL in refused.get_data(as_text=True)
    # Nothing else gives the block away: bob's profile looks the same to ada.
    assert "blocked" not in client.get("/users/bob").get_data(as_text=True).lower()


def test_the_profile_block_button_blocks_and_unblocks(client, auth, ada_bob):
    ada, bob = ada_bob
    auth.login("bob")
    assert client.post("/users/ada/block").status_code == 302
    assert blocks.is_blocked(bob.id, ada.id)
    assert "Unblock" in client.get("/users/ada").get_data(as_text=True)
    assert "Blocked" in client.get("/connections").get_data(as_text=True)
    client.post("/users/ada/unblock")
    assert not blocks.is_blocked(bob.id, ada.id)


def test_requests_folder_page_and_accepting_from_the_page(client, auth, ada_bob):
    ada, bob = ada_bob
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "Hello stranger"})
    auth.login("bob")
    assert "Hello stranger" not in client.get("/conversations").get_data(as_text=True)
    requests = client.get("/conversations?folder=requests").get_data(as_text=True)
    assert "Hello stranger" in requests
    page = client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert "is not one of your connections" in page and "Accept" in page
    client.post(f"/conversations/{conversation.id}/accept")
    assert "Hello stranger" in client.get("/conversations").get_data(as_text=True)


@pytest.mark.parametrize("text, expected", [
    ("see https://example.com/a?b=1&c=2.", 'see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener ugc"'
     ' target="_blank">https://example.com/a?b=1&amp;c=2</a>.'),
    ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ('https://x.example/"onmouseover="alert(1)', '<a href="https://x.example/" rel="nofollow noopener ugc" '
     'target="_blank">https://x.example/</a>&#34;onmouseover=&#34;alert(1)'),
    ("ftp://files.example/x", "ftp://files.example/x"),
    ("data:text/html,<script>", "data:text/html,&lt;script&gt;"),
    ("https://", "https://"),
    ("xhttps://evil.example", "xhttps://evil.example"),
    ("(http://example.com)", '(<a href="http://example.com" rel="nofollow noopener ugc" target="_blank">'
     "http://example.com</a>)"),
])
def test_links_are_made_clickable_safely(text, expected):
    rendered = linkify(text)
    assert isinstance(rendered, Markup)
    assert str(rendered) == expected


def test_message_pages_render_links_safely(client, auth, ada_bob):
    ada, bob = ada_bob
    conversation, _, _ = conversations.start(
        ada, {"user": "bob", "body": "<img src=x onerror=alert(1)> javascript:alert(2) https://ok.example/"})
    auth.login("bob")
    html = client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://ok.example/" rel="nofollow noopener ugc" target="_blank">' in html


def test_senders_are_rate_limited_across_api_and_pages(make_app):
    app = make_app(RATELIMIT_ENABLED=True, MESSAGE_RATE_LIMIT="3 per minute")
    with app.app_context():
        ada, bob = make_user(username="ada"), make_user(username="bob")
        connect(ada, bob)
        headers = {"Authorization": f"Bearer {token_for(ada)}"}
        api = app.test_client()
        conversation_id = api.post("/api/v1/conversations/", headers=headers,
                                   json={"user": "bob", "body": "1"}).get_json()["id"]
        # Refused bodies do not use up the budget.
        assert api.post(f"/api/v1/conversations/{conversation_id}/messages/", headers=headers,
                        json={"body": ""}).status_code == 422
        assert api.post(f"/api/v1/conversations/{conversation_id}/messages/", headers=headers,
                        json={"body": "2"}).status_code == 201
        browser = app.test_client()
        browser.post("/login", data={"username": "ada", "password": PASSWORD})
        assert browser.post(f"/conversations/{conversation_id}/messages", data={"body": "3"},
                            headers=HTMX).status_code == 200
        limited = api.post(f"/api/v1/conversations/{conversation_id}/messages/", headers=headers, json={"body": "4"})
        assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "rate_limited"
        assert browser.post(f"/conversations/{conversation_id}/messages", data={"body": "5"},
                            headers=HTMX).status_code == 429
        # Another sender has their own budget.
        bob_api = {"Authorization": f"Bearer {token_for(bob)}"}
        assert api.post(f"/api/v1/conversations/{conversation_id}/messages/", headers=bob_api,
                        json={"body": "hi"}).status_code == 201
        assert db.session.scalar(select(db.func.count()).select_from(Message)) == 4


def test_the_openapi_document_describes_the_collaboration_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    expected = {
        "/api/v1/connections/": {"get", "post"},
        "/api/v1/connections/{connection_id}/accept": {"post"},
        "/api/v1/connections/{connection_id}/decline": {"post"},
        "/api/v1/connections/{connection_id}": {"delete"},
        "/api/v1/conversations/": {"get", "post"},
        "/api/v1/conversations/{conversation_id}/messages/": {"get", "post"},
        "/api/v1/conversations/{conversation_id}/read": {"post"},
        "/api/v1/conversations/{conversation_id}/accept": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    start = paths["/api/v1/conversations/"]["post"]
    assert "201" in start["responses"] and "requestBody" in start


def test_a_reconnected_page_catches_up_on_newer_messages_only_for_participants(client, auth, ada_bob):
    ada, bob = ada_bob
    make_user(username="eve")
    conversation, first, _ = conversations.start(ada, {"user": "bob", "body": "one"})
    conversations.send(ada, conversation, {"body": "two"})
    conversations.send(ada, conversation, {"body": "three"})
    auth.login("bob")
    newer = client.get(f"/conversations/{conversation.id}?after={first.id}", headers=HTMX).get_data(as_text=True)
    assert ">one<" not in newer and newer.index(">two<") < newer.index(">three<") and "<html" not in newer
    auth.logout()
    auth.login("eve")
    outsider = client.get(f"/conversations/{conversation.id}?after={first.id}", headers=HTMX)
    assert outsider.status_code == 404 and "two" not in outsider.get_data(as_text=True)


def test_the_blank_compose_form_shows_no_errors(client, auth, ada_bob):
    auth.login("ada")
    page = client.get("/messages/new")
    assert page.status_code == 200 and "field-error" not in page.get_data(as_text=True)
