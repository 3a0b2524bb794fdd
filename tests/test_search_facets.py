"""Search facets: each dimension counts under the query and every other filter (checked independently)."""

from collections import Counter

import pytest

from .factories import make_opportunity, make_startup, make_user

URL = "/api/v1/search/"
DIMENSIONS = ("type", "industry", "stage", "skill", "role", "location")


@pytest.fixture
def catalogue(app):
    """Build varied data through the services; return what each document should expose."""
    items = []

    def startup(name, industry, stage, skills, location, *, mentions):
        made = make_startup(name=name, industry=industry, stage=stage, skills_needed=skills, location=location,
                            description="payments " + ("python" if mentions else "golang"))
        items.append({"type": "startup", "industry": industry, "stage": stage, "skill": set(skills),
                      "role": None, "location": location, "match": mentions})
        return made

    pylon = startup("Pylon", "fintech", "seed", ["python", "go"], "Berlin", mentions=True)
    startup("Snake Health", "health", "series_a", ["python"], "Paris", mentions=True)
    gopher = startup("Gopher Pay", "fintech", "pre_seed", ["go"], "Berlin", mentions=False)
    startup("Ledger Lab", "fintech", "seed", ["python", "sql"], "", mentions=True)
    for username, role, skills, location, mentions in (
        ("pyfan", "talent", ["python"], "Berlin", True), ("rusty", "founder", ["rust"], "Lisbon", False),
        ("pyinvest", "investor", ["python", "sql"], "Paris", True),
    ):
        make_user(role, username=username, bio="python dev" if mentions else "rust dev", skills=skills,
                  location=location)
        items.append({"type": "user", "industry": None, "stage": None, "skill": set(skills), "role": role,
                      "location": location, "match": mentions})
    for place, title, skills, location, mentions in (
        (pylon, "Python engineer", ["python"], "Berlin", True),
        (gopher, "Go engineer", ["go"], "Remote", False),
    ):
        make_opportunity(place, title=title, skills=skills, location=location)
        items.append({"type": "opportunity", "industry": place.industry, "stage": place.stage, "skill": set(skills),
                      "role": None, "location": location, "match": mentions})
    return items


def expected_facets(items, filters):
    """Count per dimension in Python, applying every filter except the dimension's own."""
    def passes(item, skip):
        for name, wanted in filters.items():
            if name == skip:
                continue
            value = item[name]
            if name == "skill" and not value & set(wanted):
                return False
            if name != "skill" and (value or "").lower() not in {w.lower() for w in wanted}:
                return False
        return True

    facets = {}
    for name in DIMENSIONS:
        counts = Counter()
        for item in items:
            if item["match"] and passes(item, name):
                values = item[name] if name == "skill" else [item[name]] if item[name] else []
                counts.update(values)
        facets[name] = dict(counts)
    return facets


@pytest.mark.parametrize("filters", [
    {},
    {"industry": ["fintech"]},
    {"industry": ["FinTech"], "skill": ["sql"]},
    {"type": ["startup", "opportunity"], "stage": ["seed"]},
    {"location": ["berlin"], "role": ["talent"]},
    {"skill": ["python", "go"], "type": ["user"]},
])
def test_facet_counts_equal_an_independent_count(api, catalogue, filters):
    viewer = make_user("talent", username="facetviewer")
    response = api.get(URL, viewer, query_string={"q": "python", **filters})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["facets"] == expected_facets(catalogue, filters)
    matching = [item for item in catalogue if item["match"]]
    assert answer["count"] == sum(1 for item in matching if all(
        (bool(item["skill"] & set(v)) if k == "skill" else (item[k] or "").lower() in {w.lower() for w in v})
        for k, v in filters.items()
    ))
