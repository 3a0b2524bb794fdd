"""The search result cache: ten minutes per (query, filters, viewer class), dropped only by committed writes."""

import pytest
from sqlalchemy import text

from webapp.extensions import cache, db
from webapp.search import service
from webapp.services import moderation
from webapp.services.moderation import make_admin
from webapp.services.transaction import atomic

from .factories import make_startup, make_user

URL = "/api/v1/search/"


def _count(api, viewer, q, **params) -> int:
    response = api.get(URL, viewer, query_string={"q": q, **params})
    assert response.status_code == 200
    return response.get_json()["count"]


def _behind_the_services_back(startup_id: int, tagline: str) -> None:
    """Change indexed text without an ORM write: only the cache can still show the old answer."""
    with atomic():
        db.session.execute(text("UPDATE startups SET tagline = :t WHERE id = :id"), {"t": tagline, "id": startup_id})


def test_answers_are_kept_ten_minutes(api, monkeypatch):
    viewer = make_user(username="viewer")
    timeouts = []
    original = cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, timeout=None: timeouts.append(timeout) or original(
        key, value, timeout=timeout))
    _count(api, viewer, "zeppelin")
    assert service.CACHE_SECONDS == 600 and 600 in timeouts


def test_a_rolled_back_write_keeps_the_cache_and_a_committed_one_drops_it(api):
    viewer = make_user(username="viewer")
    startup = make_startup(name="Dirigible")
    assert _count(api, viewer, "zeppelin") == 0
    _behind_the_services_back(startup.id, "zeppelin")
    with pytest.raises(RuntimeError), atomic():
        startup.name = "Renamed"
        db.session.flush()
        raise RuntimeError("abandon the write")
    assert _count(api, viewer, "zeppelin") == 0  # still the cached answer
    with atomic():
        startup.description = "Airships"
    assert _count(api, viewer, "zeppelin") == 1


def test_filters_and_viewer_class_have_their_own_entries(api, client):
    viewer = make_user(username="viewer")
    startup = make_startup(name="Dirigible", industry="aviation")
    assert _count(api, viewer, "zeppelin", industry="aviation") == 0
    _behind_the_services_back(startup.id, "zeppelin")
    assert _count(api, viewer, "zeppelin", industry="aviation") == 0  # cached
    assert _count(api, viewer, "zeppelin", type="startup") == 1  # other filters: computed now
    assert "1 result" in client.get("/search?q=zeppelin&industry=aviation").get_data(as_text=True)  # anonymous


def test_moderation_drops_cached_answers(api):
    viewer = make_user(username="viewer")
    admin = make_user(username="root")
    make_admin("root")
    startup = make_startup(name="Zeppelin Works")
    assert _count(api, viewer, "zeppelin") == 1
    moderation.set_hidden(admin, "startups", startup.id, True)
    assert _count(api, viewer, "zeppelin") == 0
