"""Generate the community's history: follows, applications, investor interest, events, feeds."""

import bisect
import itertools
import random

from .community import (
    World,
    build_opportunities,
    build_skills,
    build_startups,
    build_users,
    ts,
    zipf_cum_weights,
)

# Final status -> the statuses it passed through after "submitted", and who moved it.
STATUS_PATHS = {
    "submitted": (),
    "reviewing": ("reviewing",),
    "shortlisted": ("reviewing", "shortlisted"),
    "accepted": ("reviewing", "shortlisted", "accepted"),
    "rejected": ("reviewing", "rejected"),
    "withdrawn": ("withdrawn",),
}
STATUS_WEIGHTS = (("submitted", 35), ("reviewing", 20), ("shortlisted", 10), ("accepted", 5),
                  ("rejected", 22), ("withdrawn", 8))
PAIR = 1 << 32  # packs two ids into one int for the uniqueness sets


def _weighted_picker(rng: random.Random, cum: list[float], ids: list[int]):
    total = cum[-1]
    return lambda: ids[bisect.bisect_left(cum, rng.random() * total)]


def build_follows(world: World) -> None:
    """Follows with hub users: targets drawn by a power law over a shuffled ranking."""
    rng, count = world.rng, world.sizes[3]
    user_ids = list(range(1, len(world.user_role)))
    startup_ids = list(range(1, len(world.startup_name)))
    hubs = user_ids[:]
    rng.shuffle(hubs)
    hub_startups = startup_ids[:]
    rng.shuffle(hub_startups)
    pick_hub = _weighted_picker(rng, zipf_cum_weights(len(hubs), 0.9), hubs)
    pick_startup = _weighted_picker(rng, zipf_cum_weights(len(hub_startups), 0.8), hub_startups)
    activity = list(itertools.accumulate(rng.lognormvariate(0, 1.2) for _ in user_ids))
    pick_follower = _weighted_picker(rng, activity, user_ids)
    seen_users, seen_startups, rows = set(), set(), world.rows["follows"]
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        follower = pick_follower()
        if rng.random() < 0.7:
            target = pick_hub()
            key = follower * PAIR + target
            if target == follower or key in seen_users:
                continue
            seen_users.add(key)
            when = world.after(max(world.user_joined[follower], world.user_joined[target]), 1.5)
            rows.append((len(rows) + 1, follower, target, None, ts(when)))
            world.event(when, follower, "followed_user", ("user", target),
                        text=f"{world.user_name[follower]} followed {world.user_name[target]}")
        else:
            target = pick_startup()
            key = follower * PAIR + target
            if key in seen_startups:
                continue
            seen_startups.add(key)
            when = world.after(max(world.user_joined[follower], world.startup_created[target]), 1.5)
            rows.append((len(rows) + 1, follower, None, target, ts(when)))
            world.event(when, follower, "followed_startup", ("startup", target),
                        text=f"{world.user_name[follower]} followed {world.startup_name[target]}")


def build_applications(world: World) -> None:
    """Applications, unique per (opportunity, user), never by a member of the startup."""
    rng, count = world.rng, world.sizes[4]
    opps = world.opportunities
    popularity = list(itertools.accumulate(rng.lognormvariate(0, 1.0) for _ in opps))
    pick_opp = _weighted_picker(rng, popularity, list(range(len(opps))))
    talent, founders = world.users_by_role["talent"], world.users_by_role["founder"]
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    seen, rows = set(), world.rows["applications"]
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        opp_id, startup_id, created, closed_at, title = opps[pick_opp()]
        user = rng.choice(talent if rng.random() < 0.9 else founders)
        members = world.startup_members[startup_id]
        key = opp_id * PAIR + user
        deadline = closed_at or world.now
        earliest = max(created, world.user_joined[user])
        if key in seen or user in members or earliest >= deadline:
            continue
        seen.add(key)
        app_id = len(rows) + 1
        applied = earliest + (deadline - earliest) * rng.random() ** 2
        status = rng.choices(statuses, weights)[0]
        audience = (user, *members)
        startup_name = world.startup_name[startup_id]
        username = world.user_name[user]
        world.event(applied, user, "application_submitted", ("application", app_id),
                    text=f"{username} applied to {title} at {startup_name}", audience=audience)
        when, previous = applied, "submitted"
        for step in STATUS_PATHS[status]:
            when = world.after(when, 2.5)
            actor = user if step == "withdrawn" else rng.choice(members)
            world.event(when, actor, "application_status_changed", ("application", app_id),
                        text=f"Application to {title}: {previous} → {step}", audience=audience)
            previous = step
        feedback = "Thanks for applying." if status in ("accepted", "rejected") and rng.random() < 0.5 else ""
        rows.append((app_id, opp_id, user, status, "I would love to help." if rng.random() < 0.6 else "",
                     feedback, ts(applied), ts(when)))


def build_interests(world: World) -> None:
    """Investors express interest in startups, favouring those with more revenue."""
    rng = world.rng
    startups = list(range(1, len(world.startup_name)))
    pull = list(itertools.accumulate(1.0 + min(mrr, 200_000) / 5_000 for mrr in world.startup_mrr[1:]))
    pick = _weighted_picker(rng, pull, startups)
    rows = world.rows["investor_interests"]
    for investor in world.users_by_role["investor"]:
        chosen = {pick() for _ in range(min(len(startups), int(rng.expovariate(0.5))))}
        for startup_id in sorted(chosen):
            when = world.after(max(world.user_joined[investor], world.startup_created[startup_id]), 1.5)
            rows.append((len(rows) + 1, investor, startup_id, ts(when)))
            world.event(when, investor, "investor_interest", ("startup", startup_id),
                        text=f"{world.user_name[investor]} is interested in {world.startup_name[startup_id]}",
                        audience=(investor, *world.startup_members[startup_id]))


def finish_events(world: World) -> None:
    """Number the events in time order (ids follow commits), write audiences and feed marks."""
    world.events.sort(key=lambda event: event[0])
    events, audience = world.rows["activity_events"], world.rows["event_audience"]
    times = []
    for event_id, (when, actor, action, target_type, target_id, description, members) in enumerate(
        world.events, start=1
    ):
        events.append((event_id, actor, action, target_type, target_id, description, members is None, False, ts(when)))
        times.append(when)
        if members is not None:
            audience.extend((event_id, user_id) for user_id in sorted({actor, *members}))
    world.events = []
    for user_id in range(1, len(world.user_role)):
        seen_at = world.after(world.user_joined[user_id], 0.3)
        world.rows["feeds"].append((user_id, bisect.bisect_right(times, seen_at), ts(seen_at)))


def build_world(scale_sizes: tuple, seed: int, now: float, password_hash: str) -> World:
    """Build every table's rows for the given sizes."""
    world = World(rng=random.Random(seed), now=now, password_hash=password_hash, sizes=scale_sizes)
    skill_cum = build_skills(world)
    build_users(world, skill_cum)
    build_startups(world, skill_cum)
    build_opportunities(world, skill_cum)
    build_follows(world)
    build_applications(world)
    build_interests(world)
    finish_events(world)
    return world
