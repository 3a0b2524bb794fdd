"""Each kind ranks planted ground truth first, and its reasons are true."""

import re

import pytest

from webapp.models import Opportunity, Startup, User
from webapp.recommendations import compute, recommend

from . import recs_planted
from .recs_planted import precision_at

KINDS = ["startups_for_talent", "opportunities_for_talent", "talent_for_founder", "startups_for_investor"]


@pytest.mark.parametrize("kind", KINDS)
def test_planted_best_match_ranks_first_and_the_planted_set_fills_the_top_five(app, kind):
    planted = getattr(recs_planted, kind)()
    ids = [item.id for item in recommend(kind, planted.viewer, 10).items]
    assert ids[0] == planted.best.id
    assert precision_at(ids, {item.id for item in planted.relevant}, 5) == 1.0
    # Decoys still appear (they share something), just lower.
    assert {decoy.id for decoy in planted.decoys} & set(ids[5:])


@pytest.mark.parametrize("kind", KINDS)
def test_scores_are_ordered_and_every_item_has_reasons_and_parts_in_range(app, kind):
    planted = getattr(recs_planted, kind)()
    items = recommend(kind, planted.viewer, 50).items
    scores = [item.score for item in items]
    assert scores == sorted(scores, reverse=True)
    for item in items:
        assert item.reasons and all(isinstance(reason, str) and reason for reason in item.reasons)
        assert all(0.0 <= value <= 1.0 for value in item.score_parts.values())
        assert 0.0 < item.score <= 1.0


def _named_skills(reason: str) -> list[str]:
    return [name for name in reason.split(": ", 1)[1].split(", ") if name != "…"]


def test_startups_for_talent_names_only_skills_really_shared(app):
    planted = recs_planted.startups_for_talent()
    viewer_skills = set(planted.viewer.skill_names)
    for item in recommend("startups_for_talent", planted.viewer, 50).items:
        startup = app.extensions["sqlalchemy"].session.get(Startup, item.id)
        shared = viewer_skills & set(startup.skill_names)
        count = int(re.match(r"matches (\d+) of your skills: ", item.reasons[0]).group(1))
        assert count == len(shared)
        assert set(_named_skills(item.reasons[0])) == shared


def test_startups_for_talent_explains_hiring_place_and_activity(app):
    planted = recs_planted.startups_for_talent()
    best = recommend("startups_for_talent", planted.viewer, 1).items[0]
    assert best.reasons == [
        "matches 3 of your skills: rust, wasm, webgpu",
        "hiring now: 1 open role",
        "based in Berlin, like you",
        "active this week",
    ]


def test_opportunities_for_talent_explains_coverage_type_and_remote(app):
    planted = recs_planted.opportunities_for_talent()
    items = recommend("opportunities_for_talent", planted.viewer, 50).items
    assert items[0].reasons == ["you have 3 of its 3 skills: rust, sql, wasm", "full-time, like roles you applied to",
                                "remote"]
    viewer_skills = set(planted.viewer.skill_names)
    for item in items:
        opportunity = app.extensions["sqlalchemy"].session.get(Opportunity, item.id)
        shared = viewer_skills & set(opportunity.skill_names)
        assert item.reasons[0].startswith(f"you have {len(shared)} of its {len(opportunity.skills)} skills: ")
        assert set(_named_skills(item.reasons[0])) == shared


def test_talent_for_founder_names_skills_the_startups_need(app):
    planted = recs_planted.talent_for_founder()
    needed = {"rust", "wasm", "webgpu", "python", "sql"}  # the startup's skills plus its open role's
    items = recommend("talent_for_founder", planted.viewer, 50).items
    assert items[0].reasons == [
        "matches 4 of the skills your startups need: python, rust, wasm, webgpu",
        "open to work",
        "based in Berlin, where your team is",
    ]
    for item in items:
        talent = app.extensions["sqlalchemy"].session.get(User, item.id)
        assert set(_named_skills(item.reasons[0])) == needed & set(talent.skill_names)
        assert ("open to work" in item.reasons) == talent.open_to_work


def test_startups_for_investor_explains_fit_and_traction_and_resists_outliers(app):
    planted = recs_planted.startups_for_investor()
    items = recommend("startups_for_investor", planted.viewer, 50).items
    assert items[0].reasons[:2] == ["seed stage, climate — both in your focus",
                                    "growing 35 % a month, top quarter on CollabHub"]
    assert "your cheque size fits a seed round" in items[0].reasons
    outlier = planted.decoys[0]
    ranks = [item.id for item in items]
    assert ranks.index(outlier.id) >= 5
    outlier_item = items[ranks.index(outlier.id)]
    assert outlier_item.score_parts["traction"] == 1.0  # top on every traction measure, still not first
    assert "MRR 9,000,000, top quarter on CollabHub" in outlier_item.reasons
    assert not any("focus" in reason for reason in outlier_item.reasons)


def test_stale_traction_counts_for_less(app):
    planted = recs_planted.startups_for_investor()
    items = {item.id: item for item in recommend("startups_for_investor", planted.viewer, 50).items}
    stale = items[planted.decoys[1].id]
    assert stale.score_parts["recency"] == 0.0
    assert not any("traction updated" in reason for reason in stale.reasons)
    assert "traction updated this month" in items[planted.best.id].reasons


def test_compute_and_cached_results_agree(app):
    planted = recs_planted.startups_for_talent()
    items, hint = compute("startups_for_talent", planted.viewer)
    assert hint is None
    assert [item["id"] for item in items[:10]] == [item.id for item in recommend(
        "startups_for_talent", planted.viewer, 10).items]
