"""Notifications: one per fact, per recipient, honouring preferences; listed, grouped, marked read."""

import threading

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification
from webapp.services import applications, follows, notifications, startups
from webapp.tasks import notifications as tasks

from .conftest import TEST_DATABASE_URL
from .factories import make_opportunity, make_startup, make_user
from .feed_helpers import private_world


def _of(user, kind=None):
    query = select(Notification).where(Notification.recipient_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_a_new_follower_is_notified_with_the_pinned_shape(app, api):
    ada, bob = make_user(username="ada", name="Ada"), make_user(username="bob", name="Bob")
    follows.follow(bob, ada)
    payload = api.get("/api/v1/notifications/", user=ada).get_json()
    assert set(payload) == {"count", "unread", "results", "next"}
    assert (payload["count"], payload["unread"], payload["next"]) == (1, 1, None)
    item = payload["results"][0]
    assert set(item) == {"id", "kind", "actor", "target", "text", "created_at", "read_at"}
    assert item["kind"] == "new_follower" and item["text"] == "Bob followed you"
    assert item["actor"] == {"id": bob.id, "username": "bob", "name": "Bob"}
    assert item["target"] == {"type": "user", "id": ada.id, "title": "Ada", "url": "/users/ada"}
    assert item["read_at"] is None
    assert api.get("/api/v1/notifications/", user=bob).get_json()["count"] == 0


def test_each_fact_notifies_the_people_spec_names(app):
    founder, startup, opportunity, applicant, outsider, application = private_world()
    cofounder = make_user("founder", username="cofounder")
    startup.memberships.append(type(startup.memberships[0])(user=cofounder, role="cto"))
    db.session.commit()
    assert [n.kind for n in _of(founder)] == ["new_application"]
    applications.change_status(application, founder, {"status": "shortlisted"})
    assert [n.text for n in _of(applicant)] == ["Your application to Backend engineer is now shortlisted"]
    investor = make_user("investor", username="investor")
    startups.mark_interest(investor, startup)
    assert [n.kind for n in _of(cofounder)] == ["investor_interest"]
    follows.follow(outsider, startup)
    assert _of(founder, "new_follower")[0].text == "outsider followed Acme"
    make_opportunity(startup, founder, title="Designer")
    assert [n.text for n in _of(outsider)] == ["Acme is looking for: Designer"]
    assert _of(founder, "new_opportunity") == []  # never about your own doing
    assert _of(investor) == []


def test_a_retried_task_notifies_once(app):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    row = follows.follow(bob, ada)
    fact = {"follow_id": row.id, "followed_at": row.created_at.isoformat(), "follower_id": bob.id, "user_id": ada.id}
    for _ in range(3):  # the worker retries after a crash between insert and ack
        tasks.new_follower(**fact)
    assert len(_of(ada)) == 1


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="concurrent workers need PostgreSQL")
def test_concurrent_workers_notify_once(app):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    row = follows.follow(bob, ada)
    db.session.execute(db.delete(Notification))
    db.session.commit()
    fact = {"follow_id": row.id, "followed_at": row.created_at.isoformat(), "follower_id": bob.id, "user_id": ada.id}
    barrier = threading.Barrier(4)

    def work():
        with app.app_context():
            barrier.wait()
            tasks.new_follower(**fact)
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_of(ada)) == 1


def test_following_again_after_unfollowing_is_a_new_fact(app):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    follows.follow(bob, ada)
    follows.unfollow(bob, ada)
    follows.follow(bob, ada)
    assert len(_of(ada)) == 2


def test_preferences_off_and_in_app_only(app, monkeypatch):
    ada, bob, cy = make_user(username="ada"), make_user(username="bob"), make_user(username="cyd")
    pushed = []
    layer = app.extensions["channel_layer"]
    monkeypatch.setattr(layer, "publish_notification", lambda nid, fallback=True: pushed.append(nid) or True)
    notifications.update_preferences(ada, {"new_follower": "off"})
    notifications.update_preferences(bob, {"new_follower": "in_app"})
    follows.follow(cy, ada)
    follows.follow(cy, bob)
    follows.follow(ada, cy)
    assert _of(ada) == []
    assert len(_of(bob)) == 1 and pushed == [_of(cy)[0].id]


def test_settings_page_saves_preferences_and_refuses_nonsense(app, client, auth):
    ada = make_user(username="ada")
    auth.login("ada")
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert 'name="new_follower"' in page and 'value="in_app"' in page
    response = client.post("/settings/notifications", data={"new_follower": "off", "new_application": "in_app"})
    assert response.status_code == 302
    assert notifications.preferences(ada)["new_follower"] == "off"
    assert notifications.preferences(ada)["new_application"] == "in_app"
    bad = client.post("/settings/notifications", data={"new_follower": "loud"})
    assert bad.status_code == 422 and notifications.preferences(ada)["new_follower"] == "off"


def test_mark_read_by_ids_and_all(app, api):
    ada = make_user(username="ada")
    fans = [make_user(username=f"fan{n}") for n in range(3)]
    for fan in fans:
        follows.follow(fan, ada)
    follows.follow(ada, fans[0])
    stranger_note = _of(fans[0])[0].id
    ids = [n.id for n in _of(ada)]
    response = api.post("/api/v1/notifications/read", user=ada, json={"ids": [ids[0], stranger_note]})
    assert response.status_code == 200 and response.get_json() == {"marked": 1, "unread": 2}
    assert _of(fans[0])[0].read_at is None  # someone else's notification is untouched
    assert api.post("/api/v1/notifications/read", user=ada, json={"all": True}).get_json()["unread"] == 0
    assert api.get("/api/v1/notifications/", user=ada).get_json()["unread"] == 0


def test_mark_read_refuses_bad_bodies(app, api):
    ada = make_user(username="ada")
    for body in ({}, {"ids": "1"}, {"ids": [True]}, {"all": "yes"}, [1, 2], {"ids": [10**30]}, {"all": False}):
        response = api.post("/api/v1/notifications/read", user=ada, json=body)
        assert response.status_code == 422, body
    assert api.post("/api/v1/notifications/read", json={"all": True}).status_code == 401
    response = api.post("/api/v1/notifications/read", user=ada, data="not json", content_type="application/json")
    assert response.status_code == 422


def test_notifications_page_groups_repeats_and_marks_read(app, client, auth):
    founder = make_user("founder", username="founder")
    make_startup(founder, name="Acme")
    for name in ("Ada", "Bob", "Cyd", "Dia"):
        fan = make_user(username=name.lower(), name=name)
        follows.follow(fan, follows.resolve_target({"startup": "acme"}))
    auth.login("founder")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Dia and 3 others followed Acme" in page
    assert "Mark all 4 read" in page
    nav = page.split('id="notification-badge"', 1)[1][:120]
    assert ">4</span>" in nav
    client.post("/notifications/read", data={"all": "1"})
    page = client.get("/notifications").get_data(as_text=True)
    assert "Mark all" not in page and "hidden" in page.split('id="notification-badge"', 1)[1].split(">", 1)[0]


def test_notification_list_pages_with_next(app, api):
    ada = make_user(username="ada")
    for n in range(5):
        follows.follow(make_user(username=f"fan{n}"), ada)
    first = api.get("/api/v1/notifications/?limit=2", user=ada).get_json()
    seen = [item["id"] for item in first["results"]]
    url = first["next"]
    while url:
        payload = api.get(url, user=ada).get_json()
        seen += [item["id"] for item in payload["results"]]
        url = payload["next"]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 5
