"""The scenarios, as data: later issues append theirs to SCENARIOS.

`cache="cold"` sends every request as a different viewer (or query) after the cache is flushed,
at concurrency 1 only; `cache="cached"` repeats one viewer's request, at 1 and 32.
Paths may use {hub_user_id}, {deep_cursor} and {q} (drawn from the query pool named by `queries`).
"""

import json
import urllib.parse
from dataclasses import dataclass, field

from .wrkdriver import Request

RECOMMENDATION_KINDS = (
    ("startups_for_talent", "talent"),
    ("opportunities_for_talent", "talent"),
    ("talent_for_founder", "founder"),
    ("startups_for_investor", "investor"),
)


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str = "/"
    method: str = "GET"
    auth: str = "none"  # none | token | cookie
    role: str = "talent"
    headers: tuple = ()
    body: str = ""
    cache: str = "cached"  # cached | cold
    queries: str = ""  # typical | prefix | typo
    group: str = "page"
    growth: bool = False  # part of the small → medium → large comparison
    kind: str = "read"  # read | write

    @property
    def concurrencies(self) -> tuple[int, ...]:
        return (1,) if self.cache == "cold" else (1, 32)


def _pair(name: str, path: str, group: str, growth: bool = True, **options) -> list[Scenario]:
    return [
        Scenario(f"{name} · cold", path, cache="cold", group=group, growth=growth, **options),
        Scenario(f"{name} · cached", path, cache="cached", group=group, growth=growth, **options),
    ]


HTMX = (("HX-Request", "true"),)

SCENARIOS: list[Scenario] = [
    Scenario("health", "/health/", group="ops"),
    *_pair("feed page 1 · API", "/api/v1/feed/?limit=20", "feed", auth="token"),
    *_pair("feed page 500 · API", "{deep_cursor}", "feed", auth="token"),
    *_pair("feed fragment · HTMX", "/feed", "feed", auth="cookie", headers=HTMX),
    *_pair("user activity · API", "/api/v1/users/{hub_user_id}/activity/", "feed", auth="token"),
    *_pair("search typical", "/api/v1/search/?q={q}", "search", auth="token", queries="typical"),
    *_pair("search prefix", "/api/v1/search/?q={q}", "search", auth="token", queries="prefix"),
    *_pair("search typo", "/api/v1/search/?q={q}", "search", auth="token", queries="typo"),
    *[
        scenario
        for kind, role in RECOMMENDATION_KINDS
        for scenario in _pair(f"recs {kind}", f"/api/v1/recommendations/?type={kind}", "recs",
                              auth="token", role=role)
    ],
    Scenario("dashboard · anonymous", "/", group="page", growth=True),
    Scenario("dashboard · signed in", "/", auth="cookie", group="page", growth=True),
    Scenario("startups page", "/startups", group="page", growth=True),
    Scenario("people page", "/people", group="page", growth=True),
    Scenario("opportunities page", "/opportunities", group="page", growth=True),
    Scenario("write mix · API", "/api/v1/", method="POST", auth="token", group="write", kind="write"),
]
LIVE = Scenario("live", "/live/", group="baseline")


def query_pool(kind: str, skills: list[str]) -> list[str]:
    """Distinct queries of a kind built from skill names: typical words, prefixes being typed, typos."""
    words = [w for skill in skills for w in skill.replace("-", " ").split() if w.isalpha() and len(w) >= 4]
    words = list(dict.fromkeys(words))
    if kind == "typical":
        return list(dict.fromkeys([*skills, *(f"{a} {b}" for a, b in zip(words, words[3:], strict=False))]))
    if kind == "prefix":
        return list(dict.fromkeys(w[:n] for w in words for n in (3, 4, 5) if len(w) > n))
    if kind == "typo":
        return list(dict.fromkeys(_swap_middle(w) for w in words if len(w) >= 6 and _swap_middle(w) != w))
    return [""]


def _swap_middle(word: str) -> str:
    """The commonest typo: two neighbouring letters in the middle of a word swapped."""
    i = len(word) // 2 - 1
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


@dataclass
class Context:
    """What a scenario's requests are built from, gathered once per run."""

    fixtures: object
    cookies: dict = field(default_factory=dict)  # role -> [Cookie header value]
    deep_cursor: str | None = None
    database_url: str = ""

    def credentials(self, scenario: Scenario) -> list[tuple]:
        """One header tuple per viewer of the scenario's role (first one = the cached viewer)."""
        if scenario.auth == "token":
            return [(("Authorization", f"Bearer {t}"),) for t in self.fixtures.tokens(scenario.role)]
        if scenario.auth == "cookie":
            return [(("Cookie", c),) for c in self.cookies.get(scenario.role, [])]
        return [()]


def build_requests(scenario: Scenario, ctx: Context) -> tuple[Request | None, list[Request]]:
    """The precheck request and the list wrk replays (distinct ones for a cold scenario); None: cannot run."""
    if scenario.kind == "write":
        requests = write_requests(ctx.fixtures)
        return requests[0], requests[1:]
    path = scenario.path.replace("{hub_user_id}", str(ctx.fixtures.hub_user_id))
    if "{deep_cursor}" in path:
        if not ctx.deep_cursor:
            return None, []  # the walk found no feed: nothing deep to measure
        path = ctx.deep_cursor
    queries = query_pool(scenario.queries, ctx.fixtures.skills) if scenario.queries else [""]
    creds = ctx.credentials(scenario) or [()]
    build = [
        Request(scenario.method, path.replace("{q}", urllib.parse.quote(q)), cred + scenario.headers, scenario.body)
        for cred, q in _combinations(creds, queries, scenario.cache == "cold")
    ]
    if scenario.cache == "cold":
        # The precheck warms whatever it touches, so it is not one of the measured requests.
        return build[0], build[1:] or build
    return build[0], build[:1]


def _combinations(creds: list, queries: list, cold: bool) -> list[tuple]:
    if not cold:
        return [(creds[0], queries[0])]
    count = max(len(creds), len(queries))
    return [(creds[i % len(creds)], queries[i % len(queries)]) for i in range(count)]


def write_requests(fx) -> list[Request]:
    """Interleave apply : follow : unfollow : post opportunity as 4 : 3 : 2 : 1, each succeeding once."""
    def bearer(token):
        return (("Authorization", f"Bearer {token}"), ("Content-Type", "application/json"))

    applies = [Request("POST", f"/api/v1/opportunities/{opp}/applications/", bearer(t),
                       json.dumps({"note": "Benchmark application"})) for t, opp in fx.applies]
    follows = [Request("POST", "/api/v1/follows/", bearer(t), json.dumps({kind: name})) for t, kind, name in fx.follows]
    unfollows = [Request("DELETE", "/api/v1/follows/", bearer(t), json.dumps({kind: name}))
                 for t, kind, name in fx.unfollows]
    posts = [Request("POST", "/api/v1/opportunities/", bearer(t), json.dumps(
        {"startup": slug, "title": f"Benchmark role {i}", "skills": ["python"], "type": "contract"}))
        for i, (t, slug) in enumerate(fx.posts)]
    mixed, sources = [], [(applies, 4), (follows, 3), (unfollows, 2), (posts, 1)]
    while any(source for source, _ in sources):
        for source, share in sources:
            for _ in range(share):
                if source:
                    mixed.append(source.pop(0))
    return mixed
