"""Conversations: starting, sending, visibility to participants only, requests, blocking, read receipts."""

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Message, Notification
from webapp.services import blocks, conversations

from .factories import make_opportunity, make_startup, make_user
from .messaging_helpers import connect


@pytest.fixture
def people(app):
    ada, bob, eve = (make_user(username=name) for name in ("ada", "bob", "eve"))
    return ada, bob, eve


def _start(api, sender, to, body="Hello there", **extra):
    return api.post("/api/v1/conversations/", sender, json={"user": to, "body": body} | extra)


def test_starting_answers_201_with_the_conversation_and_its_first_message(api, people):
    ada, bob, _ = people
    connect(ada, bob)
    response = _start(api, ada, "bob")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "active" and body["folder"] == "inbox" and body["other"]["username"] == "bob"
    assert body["message"]["body"] == "Hello there" and body["message"]["sender"]["username"] == "ada"
    assert body["message"]["conversation_id"] == body["id"]
    assert body["url"] == f"/conversations/{body['id']}"
    # Same pair, same subject: the message goes into the same conversation (200, not a new one).
    again = _start(api, ada, "bob", "Second")
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]


def test_a_conversation_about_a_startup_or_an_opportunity_is_its_own_thread(api, people):
    ada, bob, _ = people
    startup = make_startup(bob)
    opportunity = make_opportunity(startup)
    plain = _start(api, ada, "bob").get_json()["id"]
    about_startup = _start(api, ada, "bob", startup=startup.slug).get_json()
    about_role = _start(api, ada, "bob", opportunity=opportunity.id).get_json()
    assert len({plain, about_startup["id"], about_role["id"]}) == 3
    assert about_startup["startup"]["title"] == startup.name
    assert about_role["opportunity"]["id"] == opportunity.id
    assert _start(api, ada, "bob", startup=startup.slug, opportunity=opportunity.id).status_code == 422
    assert _start(api, ada, "bob", startup="no-such-startup").status_code == 404


@pytest.mark.parametrize("body, status", [
    ({"user": "bob"}, 422),
    ({"user": "bob", "body": "   "}, 422),
    ({"user": "bob", "body": "x" * 4001}, 422),
    ({"user": "bob", "body": "nul \x00 byte"}, 422),
    ({"user": "bob", "body": 5}, 422),
    ({"user": "ada", "body": "me"}, 422),
    ({"user": "ghost", "body": "hi"}, 404),
    ({"user": "bob", "body": "hi", "opportunity": "abc"}, 422),
])
def test_bad_bodies_are_refused_and_nothing_is_written(api, people, body, status):
    response = api.post("/api/v1/conversations/", people[0], json=body)
    assert response.status_code == status
    assert db.session.scalar(select(db.func.count()).select_from(Message)) == 0


def test_a_message_of_the_maximum_length_is_accepted(api, people):
    assert _start(api, people[0], "bob", "y" * 4000).status_code == 201


def test_only_participants_see_a_conversation_through_the_api(api, people):
    ada, bob, eve = people
    conversation_id = _start(api, ada, "bob").get_json()["id"]
    base = f"/api/v1/conversations/{conversation_id}"
    for path in (base, base + "/messages/"):
        assert api.get(path, ada).status_code == 200
        assert api.get(path, bob).status_code == 200
        assert api.get(path, eve).status_code == 404
    assert api.post(base + "/messages/", eve, json={"body": "let me in"}).status_code == 404
    assert api.post(base + "/read", eve).status_code == 404
    assert api.post(base + "/accept", eve).status_code == 404
    assert api.get("/api/v1/conversations/", eve).get_json()["count"] == 0
    assert api.get("/api/v1/conversations/?folder=requests", eve).get_json()["count"] == 0
    assert db.session.scalar(select(db.func.count()).select_from(Message)) == 1


def test_only_participants_see_the_conversation_page(client, auth, people):
    ada, bob, eve = people
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "Private words"})
    auth.login("eve")
    page = client.get(f"/conversations/{conversation.id}")
    assert page.status_code == 404 and "Private words" not in page.get_data(as_text=True)
    older = client.get(f"/conversations/{conversation.id}?before=999", headers={"HX-Request": "true"})
    assert older.status_code == 404 and "Private words" not in older.get_data(as_text=True)
    assert client.post(f"/conversations/{conversation.id}/messages", data={"body": "x"}).status_code == 404
    auth.logout()
    auth.login("bob")
    page = client.get(f"/conversations/{conversation.id}")
    assert page.status_code == 200 and "Private words" in page.get_data(as_text=True)


def test_a_first_message_from_a_stranger_is_a_request_until_accepted(api, people):
    ada, bob, _ = people
    started = _start(api, ada, "bob").get_json()
    assert started["status"] == "request" and started["folder"] == "inbox"
    requests = api.get("/api/v1/conversations/?folder=requests", bob).get_json()
    assert [c["id"] for c in requests["results"]] == [started["id"]] and requests["unread"] == 1
    assert api.get("/api/v1/conversations/", bob).get_json()["count"] == 0
    notified = db.session.scalars(select(Notification.kind).where(Notification.recipient_id == bob.id)).all()
    assert notified == ["message_request"]
    # A follow-up does not notify twice; the sender cannot accept their own request.
    _start(api, ada, "bob", "Follow-up")
    assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 1
    assert api.post(f"/api/v1/conversations/{started['id']}/accept", ada).status_code == 403
    accepted = api.post(f"/api/v1/conversations/{started['id']}/accept", bob)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "active"
    assert api.post(f"/api/v1/conversations/{started['id']}/accept", bob).status_code == 409
    assert [c["id"] for c in api.get("/api/v1/conversations/", bob).get_json()["results"]] == [started["id"]]
    assert api.get("/api/v1/conversations/?folder=requests", bob).get_json()["count"] == 0


def test_connections_skip_the_requests_folder(api, people):
    ada, bob, _ = people
    connect(ada, bob)
    _start(api, ada, "bob")
    assert api.get("/api/v1/conversations/?folder=requests", bob).get_json()["count"] == 0
    assert api.get("/api/v1/conversations/", bob).get_json()["count"] == 1


def test_replying_accepts_and_declining_stops_the_sender(api, people):
    ada, bob, eve = people
    first = _start(api, ada, "bob").get_json()["id"]
    assert api.post(f"/api/v1/conversations/{first}/messages/", bob, json={"body": "Hi!"}).status_code == 201
    assert api.get(f"/api/v1/conversations/{first}", bob).get_json()["status"] == "active"

    second = _start(api, eve, "bob").get_json()["id"]
    assert api.post(f"/api/v1/conversations/{second}/decline", bob).status_code == 200
    refused = api.post(f"/api/v1/conversations/{second}/messages/", eve, json={"body": "hello??"})
    assert refused.status_code == 403
    assert api.get("/api/v1/conversations/?folder=requests", bob).get_json()["count"] == 0


def test_blocking_refuses_messages_and_requests_both_ways(api, people):
    ada, bob, _ = people
    connect(ada, bob)
    conversation_id = _start(api, ada, "bob").get_json()["id"]
    blocks.block(bob, ada)
    for response in (
        api.post(f"/api/v1/conversations/{conversation_id}/messages/", ada, json={"body": "hey"}),
        _start(api, ada, "bob", "new thread"),
        api.post("/api/v1/connections/", ada, json={"user": "bob"}),
        api.post(f"/api/v1/conversations/{conversation_id}/messages/", bob, json={"body": "hey"}),
    ):
        assert response.status_code == 403
        # The same neutral words either way: it never says who blocked whom.
        assert response.get_json()["error"]["message"] == blocks.REFUSAL
    # Blocking ended the connection; the history stays readable to both.
    assert api.get("/api/v1/connections/", ada).get_json()["count"] == 0
    assert api.get(f"/api/v1/conversations/{conversation_id}/messages/", ada).status_code == 200
    assert db.session.scalar(select(db.func.count()).select_from(Message)) == 1
    api.delete("/api/v1/blocks/", bob, json={"user": "ada"})
    assert api.post(f"/api/v1/conversations/{conversation_id}/messages/", ada, json={"body": "ok"}).status_code == 201


def test_read_receipts_and_unread_counts(api, people):
    ada, bob, _ = people
    connect(ada, bob)
    conversation_id = _start(api, ada, "bob").get_json()["id"]
    api.post(f"/api/v1/conversations/{conversation_id}/messages/", ada, json={"body": "two"})
    listed = api.get("/api/v1/conversations/", bob).get_json()
    assert listed["unread"] == 1 and listed["results"][0]["unread"] == 2
    assert api.get("/api/v1/conversations/", ada).get_json()["unread"] == 0
    assert conversations.unread_count(bob.id) == 1
    marked = api.post(f"/api/v1/conversations/{conversation_id}/read", bob)
    assert marked.get_json() == {"marked": 2, "unread": 0}
    messages = api.get(f"/api/v1/conversations/{conversation_id}/messages/", ada).get_json()["results"]
    assert all(m["read_at"] for m in messages)
    # Reading your own messages marks nothing.
    assert api.post(f"/api/v1/conversations/{conversation_id}/read", ada).get_json()["marked"] == 0


def test_the_conversation_page_reads_it_and_the_nav_counts_unread(client, auth, people):
    ada, bob, _ = people
    connect(ada, bob)
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "Knock knock"})
    auth.login("bob")
    home = client.get("/").get_data(as_text=True)
    assert 'aria-label="1 conversations with unread messages">1</span>' in home
    client.get(f"/conversations/{conversation.id}")
    assert conversations.unread_count(bob.id) == 0
    db.session.expire_all()
    assert all(m.read_at for m in db.session.scalars(select(Message)))


def test_messages_page_backwards_by_keyset(api, people):
    ada, bob, _ = people
    connect(ada, bob)
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "m0"})
    for n in range(1, 45):
        conversations.send(ada if n % 2 else bob, conversation, {"body": f"m{n}"})
    first = api.get(f"/api/v1/conversations/{conversation.id}/messages/?limit=20", bob).get_json()
    assert [m["body"] for m in first["results"]] == [f"m{n}" for n in range(25, 45)]
    second = api.get(first["next"], bob).get_json()
    assert [m["body"] for m in second["results"]] == [f"m{n}" for n in range(5, 25)]
    third = api.get(second["next"], bob).get_json()
    assert [m["body"] for m in third["results"]] == [f"m{n}" for n in range(0, 5)] and third["next"] is None


def test_the_page_loads_older_messages_as_a_fragment(client, auth, people):
    ada, bob, _ = people
    connect(ada, bob)
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "m0"})
    for n in range(1, 35):
        conversations.send(ada, conversation, {"body": f"m{n}"})
    auth.login("bob")
    page = client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert "m34" in page and ">m4<" not in page and "intersect once" in page
    oldest_shown = min(m.id for m in db.session.scalars(select(Message)) if m.body == "m4") + 1
    older = client.get(f"/conversations/{conversation.id}?before={oldest_shown}", headers={"HX-Request": "true"})
    html = older.get_data(as_text=True)
    assert "<html" not in html and ">m0<" in html and ">m4<" in html and "start of your conversation" in html


def test_a_message_request_notification_points_at_the_conversation_for_the_recipient_only(api, people):
    ada, bob, eve = people
    conversation_id = _start(api, ada, "bob").get_json()["id"]
    [notification] = api.get("/api/v1/notifications/", bob).get_json()["results"]
    assert notification["kind"] == "message_request" and notification["actor"]["username"] == "ada"
    assert notification["target"] == {"type": "conversation", "id": conversation_id, "title": "Conversation",
                                      "url": f"/conversations/{conversation_id}"}
    assert api.get("/api/v1/notifications/", ada).get_json()["count"] == 0
    assert api.get("/api/v1/notifications/", eve).get_json()["count"] == 0


def test_a_hidden_subject_is_no_longer_named_in_the_conversation(api, people):
    ada, bob, _ = people
    startup = make_startup(bob, name="Quiet Corp")
    conversation_id = _start(api, ada, "bob", startup=startup.slug).get_json()["id"]
    startup.is_hidden = True
    db.session.commit()
    for viewer in (ada, bob):
        body = api.get(f"/api/v1/conversations/{conversation_id}", viewer).get_json()
        assert body["startup"] is None and "Quiet Corp" not in str(body)
