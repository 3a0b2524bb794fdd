"""The /search page: search as you type, facets, did-you-mean and empty states."""

from .factories import make_startup


def test_the_page_renders_results_facets_and_the_typing_hooks(client, app):
    make_startup(name="Lumen Labs", tagline="Light <b>sensors</b>", industry="hardware")
    page = client.get("/search?q=sensors").get_data(as_text=True)
    assert "<html" in page and "Lumen Labs" in page
    assert 'hx-trigger="input changed delay:250ms, search"' in page
    assert 'hx-sync="#search-form:replace"' in page and "hx-replace-url" in page
    assert 'name="industry" value="hardware"' in page
    # Escaped (SQLite) or dropped as markup (ts_headline): never live tags, only <mark>.
    assert "<mark>sensors</mark>" in page and "<b>" not in page


def test_an_htmx_request_gets_only_the_results_fragment(client, app):
    make_startup(name="Lumen Labs", industry="hardware")
    response = client.get("/search?q=lume&industry=hardware", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert 'id="search-results"' in fragment and "Lumen Labs" in fragment
    assert "checked" in fragment


def test_did_you_mean_and_empty_states(client, app):
    make_startup(name="Lumen Labs", description="optical sensors")
    page = client.get("/search?q=sensrs").get_data(as_text=True)
    assert "Did you mean" in page and "sensors" in page and "Lumen Labs" in page
    empty = client.get("/search?q=qqqqzzzz").get_data(as_text=True)
    assert "Nothing matches" in empty


def test_a_bad_filter_is_a_400_page_not_a_500(client, app):
    response = client.get("/search?q=x&type=planet")
    assert response.status_code == 400
    assert "type must be" in response.get_data(as_text=True)
