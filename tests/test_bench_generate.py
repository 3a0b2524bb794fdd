"""The benchmark generator: a tiny community loaded into SQLite through the real migrations."""

import sqlite3
from collections import Counter

import pytest

from bench.community import BENCH_PASSWORD, SCALES
from bench.generate import generate
from bench.history import build_world
from webapp import create_app
from webapp.services.accounts import authenticate

NOW = 1_790_000_000.0  # a fixed "now" keeps the data identical run to run


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "tiny.sqlite3"
    summary = generate("tiny", 3, f"sqlite:///{path}", now=NOW)
    conn = sqlite3.connect(path)
    yield path, conn, summary
    conn.close()


def _one(conn, sql):
    return conn.execute(sql).fetchone()[0]


def test_row_counts_match_the_scale(tiny_db):
    _, conn, summary = tiny_db
    users, startups, opportunities, follows, applications = SCALES["tiny"]
    assert _one(conn, "SELECT count(*) FROM users") == users
    assert _one(conn, "SELECT count(*) FROM startups") == startups
    assert _one(conn, "SELECT count(*) FROM opportunities") == opportunities
    assert _one(conn, "SELECT count(*) FROM follows") == follows
    assert _one(conn, "SELECT count(*) FROM applications") == applications
    assert _one(conn, "SELECT count(*) FROM skills") == 400
    assert _one(conn, "SELECT count(*) FROM feeds") == users
    # Every join, post, follow and application leaves at least one event.
    implied = users + startups + opportunities + follows + applications
    assert _one(conn, "SELECT count(*) FROM activity_events") >= implied
    assert summary["rows"]["activity_events"] == _one(conn, "SELECT count(*) FROM activity_events")


def test_roles_are_mostly_talent_then_founders_then_investors(tiny_db):
    _, conn, _ = tiny_db
    shares = {role: count / SCALES["tiny"][0] for role, count in conn.execute("SELECT role, count(*) FROM users "
                                                                               "GROUP BY role")}
    assert shares["talent"] == pytest.approx(0.60, abs=0.08)
    assert shares["founder"] == pytest.approx(0.25, abs=0.07)
    assert shares["investor"] == pytest.approx(0.15, abs=0.06)


def test_skill_popularity_is_long_tailed(tiny_db):
    _, conn, _ = tiny_db
    counts = [n for (n,) in conn.execute("SELECT count(*) FROM user_skills GROUP BY skill_id ORDER BY 1 DESC")]
    assert counts[0] > 10 * counts[len(counts) // 2]


def test_follows_have_hubs_and_no_self_follows(tiny_db):
    _, conn, _ = tiny_db
    assert _one(conn, "SELECT count(*) FROM follows WHERE follower_id = followed_user_id") == 0
    per_target = [n for (n,) in conn.execute("SELECT count(*) FROM follows WHERE followed_user_id IS NOT NULL "
                                             "GROUP BY followed_user_id ORDER BY 1 DESC")]
    assert per_target[0] > 10 * per_target[len(per_target) // 2]


def test_applicants_are_never_members_and_apply_once(tiny_db):
    _, conn, _ = tiny_db
    members_applying = _one(conn, """SELECT count(*) FROM applications a JOIN opportunities o ON o.id = a.opportunity_id
                                     JOIN startup_members m ON m.startup_id = o.startup_id AND m.user_id = a.user_id""")
    assert members_applying == 0
    assert _one(conn, "SELECT count(*) FROM (SELECT 1 FROM applications GROUP BY opportunity_id, user_id "
                      "HAVING count(*) > 1)") == 0
    assert len({status for (status,) in conn.execute("SELECT status FROM applications")}) == 6


def test_private_events_reach_the_actor_and_every_member(tiny_db):
    _, conn, _ = tiny_db
    private = Counter(t for (t,) in conn.execute("SELECT action_type FROM activity_events WHERE NOT is_public"))
    assert set(private) == {"application_submitted", "application_status_changed", "investor_interest"}
    assert _one(conn, "SELECT count(*) FROM event_audience a JOIN activity_events e ON e.id = a.event_id "
                      "WHERE e.is_public") == 0
    missing_actor = _one(conn, """
        SELECT count(*) FROM activity_events e WHERE NOT e.is_public AND NOT EXISTS
        (SELECT 1 FROM event_audience a WHERE a.event_id = e.id AND a.user_id = e.actor_id)""")
    assert missing_actor == 0
    missing_member = _one(conn, """
        SELECT count(*) FROM activity_events e
        JOIN applications ap ON e.target_type = 'application' AND ap.id = e.target_id
        JOIN opportunities o ON o.id = ap.opportunity_id
        JOIN startup_members m ON m.startup_id = o.startup_id
        WHERE NOT EXISTS (SELECT 1 FROM event_audience a WHERE a.event_id = e.id AND a.user_id = m.user_id)""")
    assert missing_member == 0


def test_event_ids_follow_time_and_history_spans_months(tiny_db):
    _, conn, _ = tiny_db
    times = [t for (t,) in conn.execute("SELECT created_at FROM activity_events ORDER BY id")]
    assert times == sorted(times)
    days = _one(conn, "SELECT julianday(max(created_at)) - julianday(min(created_at)) FROM activity_events")
    assert days > 90


def test_every_user_signs_in_with_the_bench_password(tiny_db):
    path, conn, _ = tiny_db
    username = _one(conn, "SELECT username FROM users WHERE id = 7")
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": "", "TESTING": True})
    with app.app_context():
        user = authenticate(username, BENCH_PASSWORD)
        assert user is not None and user.id == 7
        assert authenticate(username, "not-the-password") is None


def test_same_seed_same_world_other_seed_other_world():
    first = build_world(SCALES["tiny"], 11, NOW, "hash")
    again = build_world(SCALES["tiny"], 11, NOW, "hash")
    other = build_world(SCALES["tiny"], 12, NOW, "hash")
    assert first.rows == again.rows
    assert first.rows["follows"] != other.rows["follows"]
