"""flask seed-demo and flask create-token."""

from datetime import timedelta

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ACTION_TYPES, ActivityEvent, ApiToken, Application, Opportunity, User, utcnow
from webapp.services import accounts

from .factories import make_user
from .test_import import table_counts

DEMO_PASSWORD = "collabhub-demo"


def logins(output: str) -> dict[str, str]:
    """Read the "<role> login: <username>" lines seed-demo prints."""
    found = {}
    for line in output.splitlines():
        role, _, username = line.partition(" login: ")
        if username:
            found[role] = username.strip()
    return found


def test_seed_demo_builds_a_lived_in_community(runner, client, auth):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert f"demo password: {DEMO_PASSWORD}" in result.output

    roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert 45 <= sum(roles.values()) <= 60
    assert roles["talent"] > roles["founder"] > roles["investor"] > 0
    counts = table_counts()
    assert 12 <= counts["startups"] <= 20 and 35 <= counts["opportunities"] <= 45
    assert counts["follows"] > 50 and counts["applications"] > 20 and counts["investor_interests"] > 5
    assert db.session.scalar(select(func.count()).where(Opportunity.status == "closed")) > 0
    assert len(set(db.session.scalars(select(Application.status)))) >= 4

    # Every kind of activity a real community produces, with the right visibility.
    recorded = {event.action_type: event for event in db.session.scalars(select(ActivityEvent))}
    assert set(recorded) >= set(ACTION_TYPES) - {"startup_updated"}
    for action_type, event in recorded.items():
        assert event.is_public is ACTION_TYPES[action_type]
        assert event.is_public or len(event.audience_ids) >= 2

    # Spread over the last two months, in the same order as the ids.
    events = list(db.session.scalars(select(ActivityEvent).order_by(ActivityEvent.id)))
    times = [event.created_at for event in events]
    assert times == sorted(times)
    assert utcnow() - timedelta(days=61) < times[0] < times[-1] <= utcnow()
    assert times[-1] - times[0] > timedelta(days=45)

    for role, username in logins(result.output).items():
        user = accounts.authenticate(username, DEMO_PASSWORD)
        assert user is not None and user.role == role
    assert set(logins(result.output)) == {"founder", "talent", "investor"}
    assert auth.login(logins(result.output)["founder"], DEMO_PASSWORD).status_code == 302


def test_seed_demo_twice_changes_nothing(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    before = table_counts()
    latest = db.session.scalar(select(func.max(User.updated_at)))
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "nothing to add" in result.output
    assert table_counts() == before
    assert db.session.scalar(select(func.max(User.updated_at))) == latest


def test_create_token_prints_a_working_token_last(runner):
    ada = make_user(username="ada")
    result = runner.invoke(args=["create-token", "ADA", "--name", "deploy script"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert accounts.user_for_token(token) == ada
    assert db.session.scalar(select(ApiToken.name).where(ApiToken.user_id == ada.id)) == "deploy script"


def test_create_token_for_an_unknown_user_fails(runner):
    result = runner.invoke(args=["create-token", "nobody"])
    assert result.exit_code != 0
    assert "no user named 'nobody'" in result.output
    assert table_counts()["api_tokens"] == 0
