"""Recommendations are cached per viewer and kind, and each change that matters invalidates them."""

import pytest

from webapp.extensions import db
from webapp.models import Startup, startup_skills
from webapp.recommendations import recommend, versions
from webapp.services import applications, opportunities, profiles, recommendations, startups
from webapp.services.transaction import atomic

from .factories import make_opportunity, make_startup, make_user


def ids(kind: str, viewer) -> list[int]:
    db.session.expire_all()
    return [item.id for item in recommend(kind, viewer, 50).items]


def reasons(kind: str, viewer, target_id: int) -> list[str]:
    db.session.expire_all()
    return next(item.reasons for item in recommend(kind, viewer, 50).items if item.id == target_id)


def test_results_are_cached_until_a_version_key_moves(app):
    talent = make_user("talent", skills=["rust"])
    first = make_startup(skills_needed=["rust"])
    quiet = make_startup(skills_needed=["go"])
    assert ids("startups_for_talent", talent) == [first.id]
    # A change behind the services' back is not seen: the list comes from the cache ...
    db.session.execute(startup_skills.insert().values(startup_id=quiet.id, skill_id=first.skills[0].id))
    db.session.commit()
    assert ids("startups_for_talent", talent) == [first.id]
    # ... until the candidates' version moves.
    versions.bump(versions.STARTUPS)
    assert set(ids("startups_for_talent", talent)) == {first.id, quiet.id}


def test_each_viewer_has_their_own_cache(app):
    rust, go = make_user("talent", skills=["rust"]), make_user("talent", skills=["go"])
    a, b = make_startup(skills_needed=["rust"]), make_startup(skills_needed=["go"])
    assert ids("startups_for_talent", rust) == [a.id]
    assert ids("startups_for_talent", go) == [b.id]


def test_changing_my_skills_refreshes_my_lists(app):
    talent = make_user("talent", skills=["rust"])
    make_startup(skills_needed=["rust"])
    go_startup = make_startup(skills_needed=["go"])
    assert go_startup.id not in ids("startups_for_talent", talent)
    profiles.update_profile(talent, {"skills": ["rust", "go"]})
    assert go_startup.id in ids("startups_for_talent", talent)


def test_changing_my_investor_focus_refreshes_my_list(app):
    investor = make_user("investor")
    fintech = make_startup(industry="fintech", traction={"mrr": 100})
    climate = make_startup(industry="climate")
    assert ids("startups_for_investor", investor)[0] == fintech.id
    profiles.update_profile(investor, {"investor": {"industries": ["climate"]}})
    assert ids("startups_for_investor", investor)[0] == climate.id


def test_dismiss_and_undo_refresh_my_list(app):
    talent = make_user("talent", skills=["rust"])
    startup = make_startup(skills_needed=["rust"])
    assert ids("startups_for_talent", talent) == [startup.id]
    recommendations.dismiss(talent, {"kind": "startup", "id": startup.id})
    assert ids("startups_for_talent", talent) == []
    recommendations.undismiss(talent, {"kind": "startup", "id": startup.id})
    assert ids("startups_for_talent", talent) == [startup.id]


def test_applying_removes_the_role_from_my_list(app):
    talent = make_user("talent", skills=["rust"])
    role = make_opportunity(skills=["rust"])
    assert ids("opportunities_for_talent", talent) == [role.id]
    applications.apply(talent, role, {})
    assert ids("opportunities_for_talent", talent) == []


def test_a_new_opportunity_reaches_cached_lists(app):
    talent = make_user("talent", skills=["rust"])
    startup = make_startup(skills_needed=["rust"])
    assert ids("opportunities_for_talent", talent) == []
    assert not any("hiring" in reason for reason in reasons("startups_for_talent", talent, startup.id))
    role = make_opportunity(startup, skills=["rust"])
    assert ids("opportunities_for_talent", talent) == [role.id]
    assert "hiring now: 1 open role" in reasons("startups_for_talent", talent, startup.id)


def test_closing_an_opportunity_reaches_cached_lists(app):
    talent = make_user("talent", skills=["rust"])
    role = make_opportunity(skills=["rust"])
    assert ids("opportunities_for_talent", talent) == [role.id]
    opportunities.close_opportunity(role, role.startup.members[0])
    assert ids("opportunities_for_talent", talent) == []


def test_a_startups_new_skills_reach_cached_lists(app):
    talent = make_user("talent", skills=["rust"])
    startup = make_startup(skills_needed=["go"])
    assert ids("startups_for_talent", talent) == []
    startups.update_startup(startup, startup.members[0], {"skills_needed": ["go", "rust"]})
    assert ids("startups_for_talent", talent) == [startup.id]


def test_new_traction_reaches_cached_investor_lists(app):
    investor = make_user("investor")
    first, second = make_startup(traction={"mrr": 500}), make_startup(traction={"mrr": 100})
    assert ids("startups_for_investor", investor)[0] == first.id
    startups.update_traction(second, second.members[0], {"mrr": 90_000, "growth_rate": 0.4})
    assert ids("startups_for_investor", investor)[0] == second.id


def test_a_founders_new_startup_refreshes_their_talent_list(app):
    founder = make_user("founder")
    talent = make_user("talent", skills=["rust"], open_to_work=True)
    assert ids("talent_for_founder", founder) == []
    make_startup(founder, skills_needed=["rust"])
    assert ids("talent_for_founder", founder) == [talent.id]


def test_a_talents_new_skills_reach_cached_founder_lists(app):
    founder = make_user("founder")
    make_startup(founder, skills_needed=["rust"])
    talent = make_user("talent", skills=["go"])
    assert ids("talent_for_founder", founder) == []
    profiles.update_profile(talent, {"skills": ["go", "rust"]})
    assert ids("talent_for_founder", founder) == [talent.id]


def test_moderation_reaches_cached_lists(app):
    talent = make_user("talent", skills=["rust"])
    startup = make_startup(skills_needed=["rust"])
    assert ids("startups_for_talent", talent) == [startup.id]
    db.session.get(Startup, startup.id).is_hidden = True
    db.session.commit()
    versions.candidates_changed()
    assert ids("startups_for_talent", talent) == []


def test_a_rolled_back_change_moves_no_version(app):
    talent = make_user("talent", skills=["rust"])
    scopes = [versions.viewer_scope(talent.id)]
    before = versions.current(scopes)
    with pytest.raises(RuntimeError), atomic():
        versions.viewer_changed(talent)
        raise RuntimeError("the unit of work fails after asking for a bump")
    assert versions.current(scopes) == before
    with atomic():
        versions.viewer_changed(talent)
    assert versions.current(scopes) != before
