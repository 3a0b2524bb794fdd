"""Any query string gives results or a clear 400, never a 500 (property-based, both databases)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import make_opportunity, make_startup, make_user

PIECES = [
    '"', "'", "-", "or", "OR", "AND", "NOT", "NEAR", "&", "|", "!", ":", ":*", "*", "(", ")", "<", ">", "<->",
    "\\", "\x00", "\x1f", "^", "{names}", "names:", "😀", "👩‍💻", "שלום", "مرحبا", "\u202e", "ß", "İ", "%", "_",
    "python", "acme", " ", "  ", "\t", "\n", "a:*b", "'x':*", "$$", ";", "--", "/*",
]
hostile = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=20).map("".join),
)


@pytest.fixture
def seeded(app):
    startup = make_startup(name="Acme Python", description="python rockets")
    make_opportunity(startup, title="Python engineer")
    return make_user(name="Hostile Tester", skills=["python"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=hostile, skill=hostile)
def test_hostile_queries_never_fail(api, seeded, q, skill):
    response = api.get("/api/v1/search/", seeded, query_string={"q": q, "skill": skill[:100], "location": q[:100]})
    assert response.status_code == 200, (q, response.get_data(as_text=True))
    body = response.get_json()
    assert isinstance(body["results"], list) and isinstance(body["count"], int)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=hostile)
def test_hostile_queries_on_the_page_never_fail(client, seeded, q):
    for headers in ({}, {"HX-Request": "true"}):
        assert client.get("/search", query_string={"q": q}, headers=headers).status_code == 200


@pytest.mark.parametrize("q", ["x" * 10_000, "😀" * 600, "a " * 300])
def test_overlong_queries_are_a_clear_400(api, seeded, q):
    response = api.get("/api/v1/search/", seeded, query_string={"q": q})
    assert response.status_code == 400
    assert "too long" in response.get_json()["error"]["message"]
