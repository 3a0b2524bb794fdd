"""Never recommended: the viewer, their startups and teammates, closed, applied, hidden, suspended, dismissed."""

import pytest

from webapp.extensions import db
from webapp.models import Startup, StartupMember
from webapp.recommendations import compute, versions
from webapp.services import applications, opportunities, recommendations

from .factories import make_opportunity, make_startup, make_user


def ids(kind: str, viewer) -> set[int]:
    db.session.expire_all()
    items, _ = compute(kind, viewer)
    return {item["id"] for item in items}


def moderate(row, **changes) -> None:
    """What an admin does: flip a flag, then tell recommendations the candidates changed."""
    for name, value in changes.items():
        setattr(row, name, value)
    db.session.commit()
    versions.candidates_changed()


def test_talent_never_sees_their_own_startup(app):
    talent = make_user("talent", skills=["rust"])
    own = make_startup(talent, skills_needed=["rust"])
    other = make_startup(skills_needed=["rust"])
    assert own.id not in ids("startups_for_talent", talent)
    assert ids("startups_for_talent", talent) == {other.id}
    assert ids("startups_for_investor", talent) == {other.id}


def test_hidden_startups_and_their_opportunities_are_never_recommended(app):
    talent = make_user("talent", skills=["rust"])
    investor = make_user("investor")
    hidden = make_startup(skills_needed=["rust"])
    role = make_opportunity(hidden, skills=["rust"])
    shown = make_startup(skills_needed=["rust"])
    assert hidden.id in ids("startups_for_talent", talent) and role.id in ids("opportunities_for_talent", talent)
    moderate(hidden, is_hidden=True)
    assert ids("startups_for_talent", talent) == {shown.id}
    assert ids("startups_for_investor", investor) == {shown.id}
    assert ids("opportunities_for_talent", talent) == set()


def test_hidden_opportunities_are_never_recommended_nor_count_as_hiring(app):
    talent = make_user("talent", skills=["rust"])
    startup = make_startup(skills_needed=["rust"])
    role = make_opportunity(startup, skills=["rust"])
    moderate(role, is_hidden=True)
    assert ids("opportunities_for_talent", talent) == set()
    items, _ = compute("startups_for_talent", talent)
    assert not any("hiring" in reason for reason in items[0]["reasons"])


def test_closed_and_applied_opportunities_are_never_recommended(app):
    talent = make_user("talent", skills=["rust"])
    startup = make_startup(skills_needed=["rust"])
    closed, applied, open_ = (make_opportunity(startup, skills=["rust"]) for _ in range(3))
    opportunities.close_opportunity(closed, startup.members[0])
    applications.apply(talent, applied, {"note": "hi"})
    assert ids("opportunities_for_talent", talent) == {open_.id}


def test_members_never_see_their_own_startups_roles(app):
    founder = make_user("founder", skills=["rust"])
    startup = make_startup(founder, skills_needed=["rust"])
    make_opportunity(startup, author=founder, skills=["rust"])
    assert ids("opportunities_for_talent", founder) == set()


def test_founder_never_sees_themselves_their_teammates_founders_or_suspended_talent(app):
    founder = make_user("founder", skills=["rust"])
    startup = make_startup(founder, skills_needed=["rust"])
    teammate = make_user("talent", skills=["rust"], open_to_work=True)
    db.session.add(StartupMember(startup_id=startup.id, user_id=teammate.id, role="engineer"))
    db.session.commit()
    make_user("founder", skills=["rust"])  # a founder is not "talent"
    suspended = make_user("talent", skills=["rust"])
    free = make_user("talent", skills=["rust"])
    assert ids("talent_for_founder", founder) == {suspended.id, free.id}
    moderate(suspended, is_suspended=True)
    assert ids("talent_for_founder", founder) == {free.id}


def test_hidden_startup_does_not_count_as_the_founders_needs(app):
    founder = make_user("founder")
    startup = make_startup(founder, skills_needed=["rust"])
    make_user("talent", skills=["rust"])
    assert ids("talent_for_founder", founder)
    moderate(db.session.get(Startup, startup.id), is_hidden=True)
    items, hint = compute("talent_for_founder", founder)
    assert items == [] and "Create a startup" in hint


@pytest.mark.parametrize("kind, target", [
    ("startups_for_talent", "startup"), ("opportunities_for_talent", "opportunity"),
    ("talent_for_founder", "user"), ("startups_for_investor", "startup"),
])
def test_dismissed_items_are_never_recommended_until_undone(app, kind, target):
    viewer = make_user({"talent_for_founder": "founder", "startups_for_investor": "investor"}.get(kind, "talent"),
                       skills=["rust"])
    startup = make_startup(make_user("founder") if kind != "talent_for_founder" else viewer, skills_needed=["rust"])
    role = make_opportunity(startup, skills=["rust"])
    talent = make_user("talent", skills=["rust"])
    target_id = {"startup": startup.id, "opportunity": role.id, "user": talent.id}[target]
    assert target_id in ids(kind, viewer)
    recommendations.dismiss(viewer, {"kind": target, "id": target_id, "reason": "other"})
    assert target_id not in ids(kind, viewer)
    recommendations.undismiss(viewer, {"kind": target, "id": target_id})
    assert target_id in ids(kind, viewer)
