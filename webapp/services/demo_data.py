"""Plan the demo community: who joins, founds, posts, follows and applies, and when.

The plan is deterministic (a fixed random seed over fixed content). Times are minutes into
a 60-day window; every action comes strictly after the actions it depends on, so running
the plan in time order also runs it in dependency order.
"""

import itertools
import random
import unicodedata
from dataclasses import dataclass, field

from ..models import STAGES
from . import demo_content as content
from .startups import slugify

SEED = 20260601
HOUR, DAY = 60, 24 * 60
LAST_MINUTE = 60 * DAY - 10  # nothing happens in the future
ROLE_COUNTS = {"founder": 13, "investor": 7, "talent": 30}
CO_FOUNDED = (2, 5, 9, 11)  # startups with a second founder
CLOSED_OPENINGS = 8
CHEQUES = {
    "idea": (10_000, 50_000), "pre_seed": (25_000, 250_000), "seed": (100_000, 1_000_000),
    "series_a": (1_000_000, 5_000_000), "series_b_plus": (5_000_000, 25_000_000),
}
# stage -> (monthly active users, mrr, growth rate %, funding raised, team size) ranges
TRACTION = {
    "idea": ((0, 300), (0, 0), (0, 30), (0, 50_000), (1, 3)),
    "pre_seed": ((200, 3_000), (0, 5_000), (5, 40), (100_000, 750_000), (2, 6)),
    "seed": ((2_000, 40_000), (5_000, 60_000), (5, 25), (1_000_000, 4_000_000), (5, 15)),
    "series_a": ((30_000, 300_000), (60_000, 400_000), (4, 15), (8_000_000, 20_000_000), (15, 60)),
    "series_b_plus": ((200_000, 2_000_000), (400_000, 3_000_000), (2, 8), (30_000_000, 120_000_000), (60, 300)),
}


@dataclass(frozen=True)
class Action:
    at: int
    kind: str
    data: dict


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    logins: dict[str, str] = field(default_factory=dict)

    def add(self, at: int, kind: str, **data) -> int | None:
        """Schedule an action; one that would fall in the future is dropped (None)."""
        if at > LAST_MINUTE:
            return None
        self.actions.append(Action(at, kind, data))
        return at


def username_for(name: str) -> str:
    """Make a username from a display name: "Zoë van Dijk" -> "zoe_van_dijk"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "_".join("".join(c if c.isalnum() else " " for c in ascii_name.replace("'", "")).split())[:30]


def build_plan() -> Plan:
    """Return the whole demo plan, actions sorted by time (stable, so dependencies come first)."""
    rng = random.Random(SEED)
    plan = Plan()
    names = list(content.NAMES)
    rng.shuffle(names)
    people, start = {}, 0
    for role, n in ROLE_COUNTS.items():
        people[role] = [username_for(name) for name in names[start:start + n]]
        plan.logins[role] = people[role][0]
        start += n
    display = {username_for(name): name for name in names}
    companies = _startups(rng, plan, people["founder"], display)
    _investors(rng, plan, people["investor"], display, companies)
    openings = _openings(rng, plan, companies)
    talent = _talent(rng, plan, people["talent"], display)
    _applications(rng, plan, talent, openings)
    _follows(rng, plan, people, companies)
    # Its own generator: adding connections leaves every earlier choice of the plan as it was.
    _connections(random.Random(SEED + 1), plan, people)
    plan.actions.sort(key=lambda action: action.at)
    return plan


def _join(plan: Plan, at: int, username: str, role: str, profile: dict) -> int:
    email = f"{username.replace('_', '.')}@demo.collabhub.example"
    return plan.add(at, "join", username=username, email=email, role=role, profile=profile)


def _startups(rng, plan, founders, display) -> list[dict]:
    companies = []
    for i, spec in enumerate(content.STARTUPS):
        name, tagline, industry, stage, location, currency, skills, openings = spec
        team = [founders[i % len(founders)]]
        if i in CO_FOUNDED:
            team.append(founders[(i + 4) % len(founders)])
        companies.append({
            "slug": slugify(name), "name": name, "tagline": tagline, "industry": industry, "stage": stage,
            "location": location, "currency": currency, "skills": list(skills), "openings": openings, "team": team,
        })
    joined = {}
    for username in founders:
        led = [c for c in companies if c["team"][0] == username]
        helped = [c for c in companies if username in c["team"][1:]]
        headline = " · ".join(
            [f"Founder & CEO at {c['name']}" for c in led] + [f"Co-founder & CTO at {c['name']}" for c in helped]
        )
        first = (led or helped)[0]
        bio = (
            f"Previously {rng.choice(('engineering lead', 'product lead', 'head of operations', 'consultant'))} "
            f"at {rng.choice(content.COMPANIES)}. Now building {first['name']}: {_lower_first(first['tagline'])}. "
            "We're hiring — say hello."
        )
        skills = rng.sample(first["skills"], 3) + [rng.choice(("fundraising", "leadership", "hiring"))]
        profile = {"headline": headline, "bio": bio, "location": first["location"], "skills": skills}
        profile["name"] = display[username]
        joined[username] = _join(plan, rng.randint(0, 8 * DAY), username, "founder", profile)
    for company in companies:
        traction = _traction(rng, company["stage"])
        at = max(joined[u] for u in company["team"]) + rng.randint(HOUR, 3 * DAY)
        company["at"] = plan.add(
            at, "found", founders=company["team"], details=_details(company) | {"traction": traction}
        )
        if company["stage"] != "idea":
            grown = {
                "monthly_active_users": round(traction["monthly_active_users"] * (1 + traction["growth_rate"])),
                "mrr": round(traction["mrr"] * (1 + traction["growth_rate"])),
            }
            # Announced as a startup update with the new figures attached (update_posted + traction_updated).
            news = {
                "title": f"{company['name']}: month in numbers",
                "body": (f"We reached **{grown['monthly_active_users']:,} monthly active users** and an MRR of "
                         f"{grown['mrr']:,}, up {traction['growth_rate']:.0%} on last month.\n\n"
                         "Thank you to everyone who tried us early — more soon."),
            }
            plan.add(company["at"] + rng.randint(15 * DAY, 45 * DAY), "traction", slug=company["slug"], traction=grown,
                     update=news)
    return companies


def _details(company: dict) -> dict:
    pitch = f"{company['name']}: {_lower_first(company['tagline'])}."
    return {
        "slug": company["slug"], "name": company["name"], "tagline": company["tagline"],
        "description": f"{pitch} {content.DESCRIPTIONS[company['industry']]}",
        "industry": company["industry"], "stage": company["stage"], "location": company["location"],
        "website": f"https://{company['slug']}.example", "skills_needed": company["skills"],
    }


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _traction(rng, stage: str) -> dict:
    users, mrr, growth, funding, team = TRACTION[stage]
    return {
        "monthly_active_users": rng.randint(*users), "mrr": rng.randint(*mrr) // 100 * 100,
        "growth_rate": rng.randint(*growth) / 100, "funding_raised": rng.randint(*funding) // 10_000 * 10_000,
        "team_size": rng.randint(*team),
    }


def _investors(rng, plan, investors, display, companies) -> None:
    for i, username in enumerate(investors):
        industries = rng.sample(content.INDUSTRIES, rng.randint(2, 3))
        first = rng.randint(0, len(STAGES) - 2)
        stages = list(STAGES[first:first + 2])
        low, high = CHEQUES[stages[0]][0], CHEQUES[stages[-1]][1]
        bio = (
            f"Investing in {', '.join(industries)} at {' and '.join(s.replace('_', '-') for s in stages)}. "
            f"Cheques from {low:,} to {high:,}. "
            + rng.choice(("I reply to every founder within a week.", "Former operator; I help with first sales hires.",
                          "Happy to be the first cheque in."))
        )
        profile = {
            "headline": content.FUNDS[i % len(content.FUNDS)], "bio": bio, "location": rng.choice(content.LOCATIONS),
            "skills": rng.sample(("due diligence", "fundraising", "go-to-market", "board governance"), 2),
            "investor": {"industries": industries, "stages": stages, "cheque_min": low, "cheque_max": high},
            "name": display[username],
        }
        joined = _join(plan, rng.randint(DAY, 30 * DAY), username, "investor", profile)
        fits = [c for c in companies if c["industry"] in industries or c["stage"] in stages]
        for company in rng.sample(fits, min(len(fits), rng.randint(2, 4))):
            at = max(joined, company["at"]) + rng.randint(HOUR, 14 * DAY)
            plan.add(at, "interest", investor=username, slug=company["slug"])


def _openings(rng, plan, companies) -> list[dict]:
    openings = []
    for company in companies:
        for n, (title, kind, skills) in enumerate(company["openings"], start=1):
            openings.append({"company": company, "ref": f"{company['slug']}-{n}", "title": title, "type": kind,
                             "skills": list(skills), "closes": None})
    for opening in openings:
        company = opening["company"]
        opening["at"] = plan.add(company["at"] + rng.randint(DAY, 35 * DAY), "post", fields={
            "startup": company["slug"], "ref": opening["ref"], "title": opening["title"], "type": opening["type"],
            "description": f"{company['name']} is looking for a {opening['title']}. You will work with "
                           f"{', '.join(opening['skills'])}. {content.TYPE_BLURBS[opening['type']]}",
            "location": company["location"], "remote": rng.random() < 0.5, "skills": opening["skills"],
            "compensation": _compensation(rng, company, opening["type"]),
        })
    for opening in rng.sample(openings, CLOSED_OPENINGS):
        at = min(opening["at"] + rng.randint(5 * DAY, 20 * DAY), LAST_MINUTE - rng.randint(0, 12 * HOUR))
        opening["closes"] = plan.add(at, "close", ref=opening["ref"])
    return openings


def _compensation(rng, company: dict, kind: str) -> str:
    currency = company["currency"]
    if kind in ("cofounder", "advisor"):
        return "Equity"
    if kind == "internship":
        return f"{currency}{rng.choice((2, 2.5, 3))}k / month"
    low = rng.choice((60, 70, 80, 90, 100, 110))
    return f"{currency}{low}k–{low + rng.choice((15, 20, 30))}k + equity"


def _talent(rng, plan, usernames, display) -> list[dict]:
    archetypes = list(content.TALENT)
    talent = []
    for i, username in enumerate(usernames):
        headlines, pool, doing, looking = content.TALENT[archetypes[i % len(archetypes)]]
        skills = rng.sample(pool, rng.randint(3, 5))
        open_to_work = rng.random() < 0.7
        first_job, second_job = rng.sample(content.COMPANIES, 2)
        bio = f"{rng.randint(2, 12)} years {doing} at {first_job} and {second_job}. " + (
            f"Looking for {looking} role at an early-stage startup." if open_to_work
            else "Not actively looking, but always happy to talk shop."
        )
        profile = {"name": display[username], "headline": rng.choice(headlines), "bio": bio,
                   "location": rng.choice(content.LOCATIONS), "skills": skills, "open_to_work": open_to_work}
        at = _join(plan, rng.randint(2 * DAY, 50 * DAY), username, "talent", profile)
        talent.append({"username": username, "at": at, "skills": skills, "open": open_to_work})
        if i % 4 == 0:  # some people come back to polish their profile
            extra = rng.choice([s for s in pool if s not in skills] or pool)
            later = {"skills": sorted({*skills, extra}), "open_to_work": not open_to_work}
            plan.add(at + rng.randint(5 * DAY, 30 * DAY), "profile", username=username, changes=later)
    return talent


def _applications(rng, plan, talent, openings) -> None:
    paths, weights = zip(*content.STATUS_PATHS, strict=True)
    for person in talent:
        fits = sorted(openings, key=lambda o: -len(set(o["skills"]) & set(person["skills"])))[:8]
        chosen = rng.sample(fits, rng.randint(1, 4) if person["open"] else rng.randint(0, 1))
        for opening in chosen:
            at = max(person["at"], opening["at"]) + rng.randint(2 * HOUR, 6 * DAY)
            if opening["closes"] is not None and at >= opening["closes"]:
                continue
            skill = rng.choice(opening["skills"])
            note = rng.choice(content.NOTES).format(startup=opening["company"]["name"], skill=skill,
                                                    title=opening["title"])
            if plan.add(at, "apply", username=person["username"], ref=opening["ref"], note=note) is None:
                continue
            previous = "submitted"
            for status in rng.choices(paths, weights)[0]:
                at += rng.randint(12 * HOUR, 6 * DAY)
                feedback = content.FEEDBACK.get(status, "").format(skill=skill)
                if plan.add(at, "status", username=person["username"], ref=opening["ref"],
                            previous=previous, status=status, feedback=feedback) is None:
                    break
                previous = status


def _follows(rng, plan, people, companies) -> None:
    joined = {a.data["username"]: a.at for a in plan.actions if a.kind == "join"}
    founded = {c["slug"]: c["at"] for c in companies}
    everyone = list(itertools.chain.from_iterable(people.values()))
    for follower in everyone:
        own = {c["slug"] for c in companies if follower in c["team"]}
        startups = [("startup", slug) for slug in founded if slug not in own]
        users = [("user", username) for username in everyone if username != follower]
        for kind, target in rng.sample(startups, rng.randint(1, 4)) + rng.sample(users, rng.randint(1, 3)):
            ready = max(joined[follower], founded[target] if kind == "startup" else joined[target])
            plan.add(ready + rng.randint(HOUR, 10 * DAY), "follow", follower=follower, **{kind: target})


CONNECTIONS = 24
MESSAGES = (
    ("Hi! Saw your profile — would love to compare notes on hiring.", "Happy to. Free Thursday afternoon?"),
    ("Thanks for connecting. Are you still looking at seed rounds?", "Yes — send me your deck: https://example.com"),
    ("Great meeting you last week.", "Likewise! Let's keep in touch."),
)


def _connections(rng, plan, people) -> None:
    """Some people connect (one asks, the other accepts later) and a few then talk."""
    joined = {a.data["username"]: a.at for a in plan.actions if a.kind == "join"}
    everyone = sorted(itertools.chain.from_iterable(people.values()))
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < CONNECTIONS:
        pairs.add(tuple(rng.sample(everyone, 2)))
    for n, (asker, asked) in enumerate(sorted(pairs)):
        at = plan.add(max(joined[asker], joined[asked]) + rng.randint(HOUR, 5 * DAY), "connect",
                      requester=asker, addressee=asked)
        if at is None or n % 6 == 5:
            continue  # a few requests are still waiting
        accepted = plan.add(at + rng.randint(10, DAY), "accept", requester=asker, addressee=asked)
        if accepted is not None and n < len(MESSAGES):
            first, reply = MESSAGES[n]
            sent = plan.add(accepted + rng.randint(10, DAY), "message", sender=asker, recipient=asked, body=first)
            if sent is not None:
                plan.add(sent + rng.randint(5, 6 * HOUR), "message", sender=asked, recipient=asker, body=reply)
