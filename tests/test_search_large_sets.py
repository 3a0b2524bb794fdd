"""PostgreSQL: a query matching more than RANK_ALL_UP_TO documents scores only index candidates."""

import pytest

from webapp.search import postgres

from .conftest import on_postgres
from .factories import make_opportunity, make_startup, make_user

pytestmark = on_postgres
URL = "/api/v1/search/"


@pytest.fixture
def small_limits(monkeypatch):
    """Every match set counts as large, and the candidate set is tiny."""
    monkeypatch.setattr(postgres, "RANK_ALL_UP_TO", 0)
    monkeypatch.setattr(postgres, "CANDIDATES", 2)


def find(api, viewer, q, **params):
    response = api.get(URL, viewer, query_string={"q": q, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_exact_names_and_name_matches_still_lead(api, small_limits):
    viewer = make_user(username="viewer")
    make_startup(name="Nimbus", tagline="Weather data")
    for n in range(3):
        make_startup(name=f"Orbital {n}", description="Nimbus nimbus nimbus clouds")
    make_startup(name="Nimbus Cloud Tools", tagline="Storage")
    answer = find(api, viewer, "nimbus")
    assert answer["count"] == 5
    assert [hit["title"] for hit in answer["results"]][:2] == ["Nimbus", "Nimbus Cloud Tools"]
    assert {hit["title"] for hit in answer["results"]} == {
        "Nimbus", "Nimbus Cloud Tools", "Orbital 0", "Orbital 1", "Orbital 2"}


def test_every_page_is_filled_and_the_facets_stay_exact(api, small_limits):
    viewer = make_user(username="viewer")
    startup = make_startup(name="Acme", industry="robotics")
    for n in range(5):
        make_opportunity(startup, title=f"Welder {n}", description="welding")
    seen, cursor = [], None
    while True:
        answer = find(api, viewer, "welding", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [hit["id"] for hit in answer["results"]]
        assert answer["count"] == 5 and answer["facets"]["type"] == {"opportunity": 5}
        assert answer["facets"]["industry"] == {"robotics": 5}
        cursor = answer["next"]
        if not cursor:
            break
    assert len(seen) == 5 and len(set(seen)) == 5
