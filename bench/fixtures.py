"""What the scenarios need from a loaded database: viewers with tokens, queries, write targets."""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

TOKEN_NAME = "bench"


def token_for(user_id: int, salt: str = "collabhub-bench") -> str:
    """A deterministic plain API token for a bench viewer."""
    return "chub_" + hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:40]


@dataclass
class Fixtures:
    """Viewers per role (user id, username, token), a hub user, search words, write material."""

    viewers: dict = field(default_factory=dict)
    hub_user_id: int | None = None
    skills: list = field(default_factory=list)
    applies: list = field(default_factory=list)  # (token, opportunity_id)
    follows: list = field(default_factory=list)  # (token, kind, name) not yet followed
    unfollows: list = field(default_factory=list)  # (token, kind, name) followed now
    posts: list = field(default_factory=list)  # (token, startup slug)
    published: int = 0  # publishing writes already used by websocket runs (each succeeds once)

    def tokens(self, role: str) -> list[str]:
        return [viewer[2] for viewer in self.viewers.get(role, [])]


def _rows(conn, sql: str, **params) -> list:
    return list(conn.execute(text(sql), params))


def install_tokens(conn, user_ids: list[int]) -> None:
    """Replace the bench tokens: sha256 of the plain token in token_hash, first 10 chars as prefix."""
    conn.execute(text("DELETE FROM api_tokens WHERE name = :name"), {"name": TOKEN_NAME})
    now = datetime.now(UTC)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = []
    for user_id in sorted(set(user_ids)):
        plain = token_for(user_id)
        rows.append({"user_id": user_id, "name": TOKEN_NAME, "token_hash": hashlib.sha256(plain.encode()).hexdigest(),
                     "prefix": plain[:10], "created_at": now})
    if rows:
        conn.execute(text("INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) "
                          "VALUES (:user_id, :name, :token_hash, :prefix, :created_at)"), rows)


def load_fixtures(database_url: str, viewers_per_role: int = 1000, writes: int = 6000, seed: int = 7) -> Fixtures:
    """Pick viewers and write targets from the database and give every one of them a token."""
    rng = random.Random(seed)
    engine = create_engine(database_url)
    fx = Fixtures()
    with engine.begin() as conn:
        for role in ("talent", "founder", "investor"):
            users = _rows(conn, "SELECT id, username FROM users WHERE role = :role AND NOT is_suspended "
                                "ORDER BY id", role=role)
            picked = rng.sample(users, min(viewers_per_role, len(users)))
            fx.viewers[role] = [(uid, name, token_for(uid)) for uid, name in picked]
        hub = _rows(conn, "SELECT actor_id FROM activity_events GROUP BY actor_id ORDER BY count(*) DESC LIMIT 1")
        fx.hub_user_id = hub[0][0] if hub else None
        fx.skills = [name for (name,) in _rows(conn, "SELECT name FROM skills ORDER BY id LIMIT 200")]
        writer_ids = _write_material(conn, rng, fx, writes)
        install_tokens(conn, [v[0] for vs in fx.viewers.values() for v in vs] + writer_ids)
    engine.dispose()
    return fx


def _write_material(conn, rng: random.Random, fx: Fixtures, writes: int) -> list[int]:
    """Applications, follows, unfollows and new opportunities that will each succeed once."""
    talent = [uid for (uid,) in _rows(conn, "SELECT id FROM users WHERE role = 'talent' ORDER BY id")]
    opps = _rows(conn, "SELECT o.id, o.startup_id FROM opportunities o JOIN startups s ON s.id = o.startup_id "
                       "WHERE o.status = 'open' AND NOT o.is_hidden AND NOT s.is_hidden ORDER BY o.id")
    members = {(sid, uid) for sid, uid in _rows(conn, "SELECT startup_id, user_id FROM startup_members")}
    writers = rng.sample(talent, min(len(talent), 500))
    applied = {(oid, uid) for oid, uid in _rows(
        conn, "SELECT opportunity_id, user_id FROM applications WHERE user_id IN (SELECT id FROM users "
              "WHERE role = 'talent')")}
    names = dict(_rows(conn, "SELECT id, username FROM users"))
    slugs = dict(_rows(conn, "SELECT id, slug FROM startups WHERE NOT is_hidden"))
    followed = {(f, u) for f, u in _rows(conn, "SELECT follower_id, followed_user_id FROM follows "
                                               "WHERE followed_user_id IS NOT NULL")}
    for _ in range(writes * 3):
        if len(fx.applies) >= writes or not opps:
            break
        user, (opp_id, startup_id) = rng.choice(writers), rng.choice(opps)
        if (opp_id, user) not in applied and (startup_id, user) not in members:
            applied.add((opp_id, user))
            fx.applies.append((token_for(user), opp_id))
    user_ids = list(names)
    for _ in range(writes * 3):
        if len(fx.follows) >= writes:
            break
        follower, target = rng.choice(writers), rng.choice(user_ids)
        if follower != target and (follower, target) not in followed:
            followed.add((follower, target))
            fx.follows.append((token_for(follower), "user", names[target]))
    existing = _rows(conn, "SELECT follower_id, followed_user_id FROM follows WHERE followed_user_id IS NOT NULL "
                           "AND follower_id IN (SELECT id FROM users WHERE role = 'talent') ORDER BY id LIMIT :n",
                     n=writes)
    fx.unfollows = [(token_for(f), "user", names[u]) for f, u in existing]
    founders = _rows(conn, "SELECT m.user_id, m.startup_id FROM startup_members m JOIN startups s "
                           "ON s.id = m.startup_id WHERE NOT s.is_hidden ORDER BY m.startup_id LIMIT 500")
    fx.posts = [(token_for(uid), slugs[sid]) for uid, sid in founders if sid in slugs]
    return writers + [f for f, _ in existing] + [uid for uid, _ in founders]
