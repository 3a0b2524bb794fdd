"""Measure recommendation quality (precision@k, NDCG@k) and latency on a generated population.

Ground truth comes from a hidden model the recommender never sees: every user and startup
belongs to a latent topic; a topic owns a few specific skills, and everybody also lists
popular skills (python, sql, …) and a little noise. A candidate is relevant when it shares
the viewer's topic (graded higher when it is also hiring / open to work / a full focus fit).

    python bench/recs_quality.py                          # SQLite in a temp dir, default scale
    python bench/recs_quality.py --database-url postgresql+psycopg://…/scratch --reset --explain

--reset drops every table in the target database first: point it at a scratch database only.
"""

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, inspect, select, text  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import (  # noqa: E402
    STAGES,
    InvestorIndustry,
    InvestorStage,
    Opportunity,
    Skill,
    Startup,
    StartupMember,
    User,
    opportunity_skills,
    startup_skills,
    user_skills,
)
from webapp.recommendations import KINDS, compute, recommend  # noqa: E402

COMMON = ["python", "sql", "javascript", "react", "docker", "aws", "git", "typescript", "excel", "figma"]
INDUSTRIES = ["fintech", "climate", "health", "edtech", "ai", "logistics", "gaming", "security"]
CITIES = ["Berlin", "Lisbon", "London", "Paris", "Warsaw", "Madrid", "Amsterdam", "Remote"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--reset", action="store_true", help="drop all tables of --database-url first")
    parser.add_argument("--talent", type=int, default=8000)
    parser.add_argument("--startups", type=int, default=2000)
    parser.add_argument("--topics", type=int, default=60)
    parser.add_argument("--viewers", type=int, default=40, help="viewers measured per kind")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) per kind (PostgreSQL)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def topic_skills(topic: int) -> list[str]:
    return [f"t{topic}-skill{n}" for n in range(5)]


def draw_skills(rng: random.Random, topic: int, topics: int) -> list[str]:
    own = rng.sample(topic_skills(topic), rng.randint(2, 4))
    common = rng.sample(COMMON, rng.randint(1, 4))
    noise = [rng.choice(topic_skills(rng.randrange(topics)))] if rng.random() < 0.5 else []
    return sorted(set(own + common + noise))


def generate(args, rng: random.Random) -> dict:
    """Insert the population with bulk Core inserts (no hashing, no events) and return the hidden truth."""
    now = datetime.now(UTC)
    names = sorted({*COMMON, *(s for t in range(args.topics) for s in topic_skills(t))})
    db.session.execute(insert(Skill), [{"name": name} for name in names])
    skill_id = dict(db.session.execute(select(Skill.name, Skill.id)).all())
    truth = {"user_topic": {}, "startup_topic": {}, "opportunity_topic": {}, "startup": {}}
    users, user_links, next_id = [], [], 1

    def add_user(role, **fields):
        nonlocal next_id
        uid = next_id
        next_id += 1
        users.append({"id": uid, "username": f"{role}{uid}", "email": f"{role}{uid}@bench.example",
                      "password_hash": "x", "role": role, "is_admin": False, "is_suspended": False,
                      "session_version": 1, "name": "", "headline": "", "bio": "", "location": "",
                      "open_to_work": False, "cheque_min": None, "cheque_max": None,
                      "created_at": now, "updated_at": now} | fields)
        return uid

    for _ in range(args.talent):
        topic = rng.randrange(args.topics)
        uid = add_user("talent", location=rng.choice(CITIES), open_to_work=rng.random() < 0.6)
        truth["user_topic"][uid] = topic
        user_links += [{"user_id": uid, "skill_id": skill_id[s]} for s in draw_skills(rng, topic, args.topics)]
    founders = [add_user("founder", location=rng.choice(CITIES)) for _ in range(args.startups)]
    investors = [add_user("investor", cheque_min=rng.choice([25_000, 100_000, 500_000]),
                          cheque_max=rng.choice([250_000, 1_000_000, 5_000_000])) for _ in range(args.viewers)]
    for uid in investors:
        if users[uid - 1]["cheque_min"] > users[uid - 1]["cheque_max"]:
            users[uid - 1]["cheque_min"] = 0
    db.session.execute(insert(User), users)
    db.session.execute(insert(user_skills), user_links)

    startups, members, links, opps, opp_links = [], [], [], [], []
    for index, founder in enumerate(founders, start=1):
        topic = rng.randrange(args.topics)
        industry, stage = rng.choice(INDUSTRIES), rng.choice(STAGES)
        mrr = int(rng.lognormvariate(8, 2.5)) if rng.random() < 0.7 else 0
        startups.append({
            "id": index, "slug": f"s{index}", "name": f"Startup {index}", "tagline": "", "description": "",
            "industry": industry, "stage": stage, "location": rng.choice(CITIES), "website": "",
            "monthly_active_users": int(rng.lognormvariate(7, 2.5)), "mrr": mrr,
            "growth_rate": round(rng.uniform(-0.1, 0.6), 3), "funding_raised": int(rng.lognormvariate(12, 2)),
            "team_size": rng.randint(1, 40), "is_hidden": False, "created_at": now,
            "updated_at": now - timedelta(days=rng.randint(0, 200)),
            "traction_updated_at": now - timedelta(days=rng.randint(0, 200)),
        })
        truth["startup_topic"][index] = topic
        truth["startup"][index] = startups[-1]
        members.append({"startup_id": index, "user_id": founder, "role": "founder", "joined_at": now})
        links += [{"startup_id": index, "skill_id": skill_id[s]} for s in draw_skills(rng, topic, args.topics)]
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            oid = len(opps) + 1
            opps.append({"id": oid, "startup_id": index, "title": f"Role {oid}", "description": "",
                         "type": rng.choice(["full_time", "part_time", "contract"]), "location": rng.choice(CITIES),
                         "remote": rng.random() < 0.3, "compensation": "", "status": "open", "is_hidden": False,
                         "created_at": now, "updated_at": now, "ref": None, "closed_at": None})
            truth["opportunity_topic"][oid] = topic
            opp_links += [{"opportunity_id": oid, "skill_id": skill_id[s]}
                          for s in draw_skills(rng, topic, args.topics)]
    db.session.execute(insert(Startup), startups)
    db.session.execute(insert(StartupMember), members)
    db.session.execute(insert(startup_skills), links)
    if opps:
        db.session.execute(insert(Opportunity), opps)
        db.session.execute(insert(opportunity_skills), opp_links)
    add_focus(investors, truth, rng)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Statistics and visibility maps, as autovacuum would leave them after a real load.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    truth["founders"], truth["investors"] = founders, investors
    truth["talent"] = list(truth["user_topic"])
    return truth


def add_focus(investors: list[int], truth: dict, rng: random.Random) -> None:
    """Give each investor two focus industries and two stages."""
    for uid in investors:
        focus = rng.sample(INDUSTRIES, 2)
        stages = rng.sample(STAGES, 2)
        truth.setdefault("investor", {})[uid] = (set(focus), set(stages))
        db.session.execute(insert(InvestorIndustry), [{"user_id": uid, "industry": i} for i in focus])
        db.session.execute(insert(InvestorStage), [{"user_id": uid, "stage": s} for s in stages])


def grader(kind: str, viewer: int, truth: dict):
    """Return relevance(candidate_id) -> 0, 1 or 2 for one viewer, from the hidden truth."""
    hiring = {o["startup_id"] for o in truth.get("opps", [])}
    if kind == "startups_for_talent":
        topic = truth["user_topic"][viewer]
        return lambda sid: (2 if sid in hiring else 1) if truth["startup_topic"].get(sid) == topic else 0
    if kind == "opportunities_for_talent":
        topic = truth["user_topic"][viewer]
        return lambda oid: 1 if truth["opportunity_topic"].get(oid) == topic else 0
    if kind == "talent_for_founder":
        topic = truth["startup_topic"][truth["founders"].index(viewer) + 1]
        return lambda uid: ((2 if truth["open"][uid] else 1) if truth["user_topic"].get(uid) == topic else 0)
    industries, stages = truth["investor"][viewer]

    def investor_grade(sid):
        startup = truth["startup"][sid]
        return int(startup["industry"] in industries) + int(startup["stage"] in stages)

    return investor_grade


def candidates(kind: str, truth: dict) -> list[int]:
    return {"startups_for_talent": list(truth["startup"]), "startups_for_investor": list(truth["startup"]),
            "opportunities_for_talent": list(truth["opportunity_topic"]),
            "talent_for_founder": truth["talent"]}[kind]


def ndcg(grades: list[int], ideal: list[int], k: int) -> float:
    def dcg(values):
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(grades) / best if best else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def viewers_for(kind: str, truth: dict, rng: random.Random, count: int) -> list[int]:
    pool = {"startups_for_talent": truth["talent"], "opportunities_for_talent": truth["talent"],
            "talent_for_founder": truth["founders"], "startups_for_investor": truth["investors"]}[kind]
    return rng.sample(pool, min(count, len(pool)))


def measure(kind: str, truth: dict, args, rng: random.Random) -> dict:
    precision, gains, cold, warm = [], [], [], []
    for viewer_id in viewers_for(kind, truth, rng, args.viewers):
        viewer = db.session.get(User, viewer_id)
        started = time.perf_counter()
        items, _ = compute(kind, viewer)
        cold.append((time.perf_counter() - started) * 1000)
        recommend(kind, viewer, args.k)  # fills the cache
        started = time.perf_counter()
        recommend(kind, viewer, args.k)
        warm.append((time.perf_counter() - started) * 1000)
        grade = grader(kind, viewer_id, truth)
        grades = [grade(item["id"]) for item in items[: args.k]]
        precision.append(sum(1 for g in grades if g) / args.k)
        ideal = sorted((grade(c) for c in candidates(kind, truth)), reverse=True)[: args.k]
        gains.append(ndcg(grades, ideal, args.k))
        db.session.expire_all()
    return {
        "precision": statistics.mean(precision), "ndcg": statistics.mean(gains),
        "cold_p50": percentile(cold, 0.5), "cold_p95": percentile(cold, 0.95),
        "warm_p50": percentile(warm, 0.5), "warm_p95": percentile(warm, 0.95),
    }


def explain(kind: str, viewer_id: int) -> str:
    """Return PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of one kind's query for one viewer."""
    viewer = db.session.get(User, viewer_id)
    statement = KINDS[kind].query(viewer, 50)
    compiled = statement.compile(dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), compiled.params)
        return "\n".join(row[0] for row in rows)


def prepare_database(args) -> str:
    if args.database_url:
        return args.database_url
    return "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="recs-bench-"), "bench.sqlite3")


def main() -> None:
    args = parse_args()
    url = prepare_database(args)
    app = create_app({"DATABASE_URL": url, "REDIS_URL": os.environ.get("BENCH_REDIS_URL"), "TESTING": True,
                      "LOG_LEVEL": "WARNING"})
    rng = random.Random(args.seed)
    with app.app_context():
        if inspect(db.engine).get_table_names():
            if not args.reset:
                sys.exit("The database has tables; pass --reset to drop them (scratch databases only).")
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE"))
                    connection.execute(text("CREATE SCHEMA public"))
            else:
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        started = time.perf_counter()
        truth = generate(args, rng)
        truth["opps"] = [{"startup_id": sid} for sid in db.session.scalars(select(Opportunity.startup_id))]
        truth["open"] = dict(db.session.execute(select(User.id, User.open_to_work)).all())
        print(f"{db.engine.dialect.name}: {args.talent} talent, {args.startups} startups, "
              f"{len(truth['opportunity_topic'])} opportunities, {args.topics} topics "
              f"(generated in {time.perf_counter() - started:.1f} s); k = {args.k}, {args.viewers} viewers per kind")
        print(f"{'kind':26} {'P@k':>6} {'NDCG@k':>7} {'uncached p50/p95 ms':>20} {'cached p50/p95 ms':>18}")
        for kind in KINDS:
            result = measure(kind, truth, args, rng)
            print(f"{kind:26} {result['precision']:6.3f} {result['ndcg']:7.3f} "
                  f"{result['cold_p50']:9.1f} / {result['cold_p95']:7.1f} "
                  f"{result['warm_p50']:8.2f} / {result['warm_p95']:6.2f}")
        if args.explain and db.engine.dialect.name == "postgresql":
            for kind in KINDS:
                print(f"\n=== EXPLAIN (ANALYZE, BUFFERS) {kind} ===")
                print(explain(kind, viewers_for(kind, truth, rng, 1)[0]))


if __name__ == "__main__":
    main()
