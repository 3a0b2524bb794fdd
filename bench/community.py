"""Generate a realistic community in memory: skills, people, startups, opportunities.

Rows are plain tuples in the column order of COLUMNS, so a loader can COPY or executemany
them without an ORM. Everything is drawn from one random.Random(seed): same seed, same data.
"""

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import vocab

SCALES = {
    # users, startups, opportunities, follows, applications
    "tiny": (300, 60, 180, 1_500, 450),
    "small": (1_000, 200, 600, 5_000, 1_500),
    "medium": (10_000, 2_000, 6_000, 50_000, 15_000),
    "large": (100_000, 20_000, 60_000, 500_000, 150_000),
}
ROLE_SHARES = (("talent", 0.60), ("founder", 0.25), ("investor", 0.15))
STAGES = ("idea", "pre_seed", "seed", "series_a", "series_b_plus")
OPPORTUNITY_TYPES = (("full_time", 45), ("part_time", 10), ("contract", 20), ("internship", 8),
                     ("cofounder", 10), ("advisor", 7))
HISTORY_DAYS = 365
BENCH_PASSWORD = "collabhub-bench-password"

COLUMNS = {
    "skills": ("id", "name"),
    "users": ("id", "username", "email", "password_hash", "role", "is_admin", "is_suspended",
              "session_version", "name", "headline", "bio", "location", "open_to_work",
              "cheque_min", "cheque_max", "created_at", "updated_at"),
    "user_skills": ("user_id", "skill_id"),
    "investor_industries": ("user_id", "industry"),
    "investor_stages": ("user_id", "stage"),
    "startups": ("id", "slug", "name", "tagline", "description", "industry", "stage", "location",
                 "website", "monthly_active_users", "mrr", "growth_rate", "funding_raised", "team_size",
                 "traction_updated_at", "is_hidden", "created_at", "updated_at"),
    "startup_members": ("startup_id", "user_id", "role", "joined_at"),
    "startup_skills": ("startup_id", "skill_id"),
    "opportunities": ("id", "ref", "startup_id", "title", "description", "type", "location", "remote",
                      "compensation", "status", "is_hidden", "created_at", "updated_at", "closed_at"),
    "opportunity_skills": ("opportunity_id", "skill_id"),
    "applications": ("id", "opportunity_id", "user_id", "status", "note", "feedback", "created_at",
                     "updated_at"),
    "follows": ("id", "follower_id", "followed_user_id", "followed_startup_id", "created_at"),
    "investor_interests": ("id", "investor_id", "startup_id", "created_at"),
    "activity_events": ("id", "actor_id", "action_type", "target_type", "target_id", "description",
                        "is_public", "is_hidden", "created_at"),
    "event_audience": ("event_id", "user_id"),
    "feeds": ("user_id", "last_activity_id", "last_updated"),
}


def zipf_cum_weights(count: int, exponent: float = 1.05) -> list[float]:
    """Cumulative weights where rank r (from 1) has weight 1 / r**exponent."""
    return list(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, count + 1)))


@dataclass
class World:
    """The community being built, with the lookups later stages need."""

    rng: random.Random
    now: float
    password_hash: str
    sizes: tuple
    rows: dict = field(default_factory=lambda: {name: [] for name in COLUMNS})
    # Pending events: (created_at, actor, action, target_type, target_id, description, audience or None).
    events: list = field(default_factory=list)
    user_role: list = field(default_factory=lambda: [None])  # index = user id
    user_joined: list = field(default_factory=lambda: [0.0])
    user_name: list = field(default_factory=lambda: [""])
    users_by_role: dict = field(default_factory=lambda: {"talent": [], "founder": [], "investor": []})
    startup_created: list = field(default_factory=lambda: [0.0])
    startup_name: list = field(default_factory=lambda: [""])
    startup_members: list = field(default_factory=lambda: [()])
    startup_mrr: list = field(default_factory=lambda: [0])
    opportunities: list = field(default_factory=list)  # (id, startup_id, created, closed_at or None, title)

    @property
    def start(self) -> float:
        return self.now - HISTORY_DAYS * 86400

    def after(self, earliest: float, skew: float = 2.0) -> float:
        """A time between `earliest` and now, skewed toward `earliest`."""
        return earliest + (self.now - earliest) * (self.rng.random() ** skew)

    def event(self, when, actor, action, target, *, text: str, audience=None) -> None:
        """Queue an event; `target` is (type, id); a private one carries its audience (user ids)."""
        self.events.append((when, actor, action, *target, text, audience))


def ts(seconds: float) -> datetime:
    """An aware UTC datetime from epoch seconds."""
    return datetime.fromtimestamp(seconds, UTC)


def build_skills(world: World, count: int = 400) -> list[float]:
    """Insert the skills; return cumulative Zipf weights over their ids (popular first)."""
    for skill_id, name in enumerate(vocab.skill_names(count), start=1):
        world.rows["skills"].append((skill_id, name))
    return zipf_cum_weights(count)


def pick_skills(world: World, cum: list[float], low: int, high: int) -> list[int]:
    """Draw between low and high distinct skill ids with Zipf popularity."""
    wanted = world.rng.randint(low, high)
    picked = {bisect.bisect_left(cum, world.rng.random() * cum[-1]) + 1 for _ in range(wanted)}
    return sorted(picked)


def build_users(world: World, skill_cum: list[float]) -> None:
    """Users by role, joining at a growing rate over the history, with skills and preferences."""
    rng, (count, *_) = world.rng, world.sizes
    skill_names = [name for _, name in world.rows["skills"]]
    # Growth: the density of sign-ups rises over time, so sort the draws to make ids follow time.
    joined = sorted(world.start + HISTORY_DAYS * 86400 * math.sqrt(rng.random()) for _ in range(count))
    roles = [role for role, _ in ROLE_SHARES]
    weights = [share for _, share in ROLE_SHARES]
    for user_id, when in enumerate(joined, start=1):
        role = rng.choices(roles, weights)[0]
        first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
        username = f"{first}_{last}{user_id}"
        skills = pick_skills(world, skill_cum, 1 if role == "investor" else 3, 4 if role == "investor" else 10)
        industry = rng.choice(vocab.INDUSTRIES)
        headline = rng.choice(vocab.HEADLINES).format(skill=skill_names[skills[0] - 1], industry=industry)
        bio = f"{first.title()} works on {', '.join(skill_names[s - 1] for s in skills[:4])} in {industry}."
        cheque_min = cheque_max = None
        if role == "investor":
            cheque_min = int(rng.lognormvariate(10.5, 1.0)) // 1000 * 1000
            cheque_max = cheque_min * rng.choice((2, 4, 5, 10))
            for ind in sorted(set(rng.sample(vocab.INDUSTRIES, rng.randint(1, 4)))):
                world.rows["investor_industries"].append((user_id, ind))
            for stage in sorted(set(rng.sample(STAGES, rng.randint(1, 3)))):
                world.rows["investor_stages"].append((user_id, stage))
        updated = world.after(when, 3.0)
        world.rows["users"].append((
            user_id, username, f"{username}@bench.example", world.password_hash, role, False, False, 1,
            f"{first.title()} {last.title()}", headline, bio, rng.choice(vocab.CITIES),
            role == "talent" and rng.random() < 0.45, cheque_min, cheque_max, ts(when), ts(updated),
        ))
        world.rows["user_skills"].extend((user_id, skill) for skill in skills)
        world.user_role.append(role)
        world.user_joined.append(when)
        world.user_name.append(username)
        world.users_by_role[role].append(user_id)
        world.event(when, user_id, "user_joined", ("user", user_id), text=f"{username} joined CollabHub as {role}")
        if rng.random() < 0.5:
            world.event(updated, user_id, "profile_updated", ("user", user_id),
                        text=f"{username} updated their profile")


def _traction(rng: random.Random, stage_index: int) -> tuple[int, int, float, int, int]:
    """Skewed traction: log-normal MRR and users, mostly modest growth, a few rockets."""
    if stage_index == 0 and rng.random() < 0.7:
        mrr = 0
    else:
        mrr = int(rng.lognormvariate(7.5 + stage_index, 1.6))
    users = int(rng.lognormvariate(5 + stage_index, 1.8))
    growth = max(-0.5, min(5.0, rng.gauss(0.06, 0.12) if rng.random() < 0.95 else rng.lognormvariate(-0.5, 0.8)))
    funding = 0 if stage_index == 0 else int(rng.lognormvariate(11 + stage_index, 1.0)) // 1000 * 1000
    team = max(1, int(rng.lognormvariate(1 + 0.5 * stage_index, 0.6)))
    return users, mrr, round(growth, 4), funding, team


def build_startups(world: World, skill_cum: list[float]) -> None:
    """Startups founded by founders, with a few talent members, skills needed and traction."""
    rng, (_, count, *_) = world.rng, world.sizes
    founders, talent = world.users_by_role["founder"], world.users_by_role["talent"]
    skill_names = [name for _, name in world.rows["skills"]]
    drafts = []
    for _ in range(count):
        founder = rng.choice(founders)
        drafts.append((world.after(world.user_joined[founder], 1.5), founder))
    drafts.sort()
    for startup_id, (created, founder) in enumerate(drafts, start=1):
        name = f"{rng.choice(vocab.NAME_PARTS).title()}{rng.choice(vocab.NAME_PARTS)} {rng.choice(vocab.NAME_SUFFIXES)}"
        slug = f"{name.lower().replace(' ', '-')}-{startup_id}"
        industry, stage_index = rng.choice(vocab.INDUSTRIES), min(4, int(rng.expovariate(1.1)))
        skills = pick_skills(world, skill_cum, 2, 8)
        users, mrr, growth, funding, team = _traction(rng, stage_index)
        traction_at = world.after(created, 0.7) if rng.random() < 0.75 else None
        tagline = f"{industry} for {skill_names[skills[0] - 1]} teams"
        description = (f"{name} builds {industry} products with {', '.join(skill_names[s - 1] for s in skills)}. "
                       f"Based in {rng.choice(vocab.CITIES)}.")
        hidden = rng.random() < 0.005
        world.rows["startups"].append((
            startup_id, slug, name, tagline, description, industry, STAGES[stage_index], rng.choice(vocab.CITIES),
            f"https://{slug}.example", users, mrr, growth, funding, team,
            ts(traction_at) if traction_at else None, hidden, ts(created), ts(traction_at or created),
        ))
        members = [founder]
        world.rows["startup_members"].append((startup_id, founder, "founder", ts(created)))
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            member = rng.choice(talent if rng.random() < 0.7 else founders)
            if member in members or world.user_joined[member] > world.now - 3600:
                continue
            members.append(member)
            joined = world.after(max(created, world.user_joined[member]), 2)
            world.rows["startup_members"].append((startup_id, member, rng.choice(vocab.MEMBER_ROLES[1:]), ts(joined)))
        world.rows["startup_skills"].extend((startup_id, skill) for skill in skills)
        world.startup_created.append(created)
        world.startup_name.append(name)
        world.startup_members.append(tuple(members))
        world.startup_mrr.append(mrr)
        world.event(created, founder, "startup_created", ("startup", startup_id),
                    text=f"{world.user_name[founder]} created {name}")
        if traction_at:
            world.event(traction_at, founder, "traction_updated", ("startup", startup_id),
                        text=f"{name} updated its traction")
            for _ in range(rng.choice((0, 1, 1, 2))):
                earlier = created + (traction_at - created) * rng.random()
                world.event(earlier, founder, "traction_updated", ("startup", startup_id),
                            text=f"{name} updated its traction")
        if rng.random() < 0.5:
            world.event(world.after(created), founder, "startup_updated", ("startup", startup_id),
                        text=f"{name} updated its profile")


def build_opportunities(world: World, skill_cum: list[float]) -> None:
    """Opportunities, concentrated on a minority of busy startups; about 30 % closed."""
    rng, (_, startups, count, *_) = world.rng, world.sizes
    activity = list(itertools.accumulate(rng.lognormvariate(0, 1.0) for _ in range(startups)))
    skill_names = [name for _, name in world.rows["skills"]]
    types, type_weights = zip(*OPPORTUNITY_TYPES, strict=True)
    drafts = sorted(
        (world.after(world.startup_created[sid], 1.3), sid)
        for sid in (bisect.bisect_left(activity, rng.random() * activity[-1]) + 1 for _ in range(count))
    )
    for opp_id, (created, startup_id) in enumerate(drafts, start=1):
        skills = pick_skills(world, skill_cum, 1, 5)
        title = rng.choice(vocab.OPPORTUNITY_TITLES).format(skill=skill_names[skills[0] - 1])[:120]
        closed_at = world.after(created, 1.0) if rng.random() < 0.3 else None
        # The founder posts: they joined before the startup existed, so the event follows its row in time.
        poster = world.startup_members[startup_id][0]
        hidden = rng.random() < 0.003
        startup_name = world.startup_name[startup_id]
        world.rows["opportunities"].append((
            opp_id, None, startup_id, title,
            f"{startup_name} is hiring: {title}. Skills: {', '.join(skill_names[s - 1] for s in skills)}.",
            rng.choices(types, type_weights)[0], rng.choice(vocab.CITIES), rng.random() < 0.4,
            rng.choice(("", "competitive", "equity", "€60k–€80k", "$120k + equity", "€500/day")),
            "closed" if closed_at else "open", hidden, ts(created), ts(closed_at or created),
            ts(closed_at) if closed_at else None,
        ))
        world.rows["opportunity_skills"].extend((opp_id, skill) for skill in skills)
        world.opportunities.append((opp_id, startup_id, created, closed_at, title))
        world.event(created, poster, "opportunity_posted", ("opportunity", opp_id),
                    text=f"{startup_name} is looking for: {title}")
        if closed_at:
            world.event(closed_at, poster, "opportunity_closed", ("opportunity", opp_id),
                        text=f"{startup_name} closed: {title}")
