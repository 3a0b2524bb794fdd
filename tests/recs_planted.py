"""Planted datasets for the recommendation tests: a viewer whose best matches are known, plus decoys.

Decoys are realistic: they share the viewer's *common* skills (python, sql, javascript, which many
people list), hire loudly, sit in the viewer's city, or have outlier traction, but do not have what
the planted matches have (rare shared skills, or fit with an investor's focus).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from webapp.extensions import db
from webapp.models import utcnow
from webapp.services import applications

from .factories import make_opportunity, make_startup, make_user

COMMON = ["python", "sql", "javascript"]


@dataclass
class Planted:
    viewer: object
    best: object
    relevant: list = field(default_factory=list)  # includes best
    decoys: list = field(default_factory=list)


def crowd(count: int = 8) -> None:
    """Users listing the common skills, so that rarity means something."""
    for n in range(count):
        make_user("talent", skills=COMMON[: 1 + n % 3] + (["react"] if n % 2 else []))


def startups_for_talent() -> Planted:
    crowd()
    viewer = make_user("talent", skills=["rust", "wasm", "webgpu", "python", "sql"], location="Berlin")
    best = make_startup(skills_needed=["rust", "wasm", "webgpu"], location="Berlin")
    make_opportunity(best, skills=["rust"])
    relevant = [
        best,
        make_startup(skills_needed=["rust", "wasm", "docker"]),
        make_startup(skills_needed=["wasm", "webgpu"]),
        make_startup(skills_needed=["rust", "webgpu", "python"]),
        make_startup(skills_needed=["rust", "wasm", "sql", "kubernetes"]),
    ]
    loud = make_startup(skills_needed=["python", "sql", "javascript", "react", "docker"], location="Berlin")
    for _ in range(3):
        make_opportunity(loud, skills=["python"])
    decoys = [
        loud,
        make_startup(skills_needed=["python", "javascript", "react"], location="Berlin"),
        make_startup(skills_needed=["sql", "excel", "tableau"]),
        make_startup(skills_needed=["python"]),
        make_startup(skills_needed=["python", "sql", "go", "java"]),
        make_startup(skills_needed=["javascript", "react", "css"], location="Berlin"),
    ]
    make_opportunity(decoys[1], skills=["javascript"], remote=True)
    return Planted(viewer, best, relevant, decoys)


def opportunities_for_talent() -> Planted:
    crowd()
    viewer = make_user("talent", skills=["rust", "wasm", "python", "sql"], location="Lisbon", open_to_work=True)
    host = make_startup(skills_needed=["rust"])
    other = make_startup(location="Lisbon")
    # An earlier full-time application: full-time roles suit this viewer.
    applications.apply(viewer, make_opportunity(other, type="full_time"), {})
    best = make_opportunity(host, skills=["rust", "wasm", "sql"], remote=True, type="full_time")
    relevant = [
        best,
        make_opportunity(host, skills=["rust", "wasm", "python", "kubernetes"], location="Lisbon", type="contract"),
        make_opportunity(other, skills=["rust", "python"], location="Lisbon", type="full_time"),
        make_opportunity(other, skills=["wasm", "sql", "docker"], remote=True, type="part_time"),
        make_opportunity(host, skills=["python", "sql"], remote=True, type="full_time"),
    ]
    decoys = [
        make_opportunity(other, skills=["python", "react", "kubernetes", "go", "java"], remote=True),
        make_opportunity(other, skills=["sql", "excel", "tableau", "powerbi"], location="Lisbon"),
        make_opportunity(host, skills=["javascript", "react", "python", "css"], remote=True),
        make_opportunity(host, skills=["rust", "c++", "cuda", "verilog", "fpga"], location="Tokyo", type="cofounder"),
        make_opportunity(other, skills=["python", "django", "celery", "redis"], location="Paris", type="internship"),
    ]
    return Planted(viewer, best, relevant, decoys)


def talent_for_founder() -> Planted:
    crowd()
    founder = make_user("founder", location="Berlin")
    startup = make_startup(founder, skills_needed=["rust", "wasm", "webgpu", "python"], location="Berlin")
    make_opportunity(startup, author=founder, skills=["sql"])
    best = make_user("talent", skills=["rust", "wasm", "webgpu", "python"], open_to_work=True, location="Berlin")
    relevant = [
        best,
        make_user("talent", skills=["rust", "wasm", "go"], open_to_work=True),
        make_user("talent", skills=["webgpu", "wasm", "python"], open_to_work=True),
        make_user("talent", skills=["rust", "webgpu"], open_to_work=True, location="Munich"),
        make_user("talent", skills=["rust", "wasm", "sql"], open_to_work=True, location="Berlin"),
    ]
    decoys = [
        make_user("talent", skills=["python", "sql", "javascript", "react"], open_to_work=True, location="Berlin"),
        make_user("talent", skills=["python", "sql"], open_to_work=True, location="Berlin"),
        make_user("talent", skills=["python"], open_to_work=True),
        # Better skills than some planted matches, but not looking: open_to_work is strongly preferred.
        make_user("talent", skills=["rust", "wasm", "webgpu"], open_to_work=False),
        make_user("talent", skills=["sql", "excel"], open_to_work=True, location="Berlin"),
    ]
    return Planted(founder, best, relevant, decoys)


def startups_for_investor() -> Planted:
    investor = make_user("investor", investor={
        "industries": ["climate"], "stages": ["seed"], "cheque_min": 100_000, "cheque_max": 1_000_000,
    })

    def startup(industry, stage, *numbers):
        mrr, users, growth, funding = numbers
        return make_startup(industry=industry, stage=stage, traction={
            "mrr": mrr, "monthly_active_users": users, "growth_rate": growth, "funding_raised": funding,
        })

    best = startup("climate", "seed", 60_000, 40_000, 0.35, 1_500_000)
    relevant = [
        best,
        startup("climate", "seed", 20_000, 9_000, 0.12, 800_000),
        startup("climate", "seed", 8_000, 5_000, 0.2, 500_000),
        startup("climate", "pre_seed", 15_000, 12_000, 0.25, 400_000),
        startup("climate", "seed", 3_000, 1_000, 0.05, 200_000),
    ]
    decoys = [
        # One outlier must not swamp the rest: enormous MRR, outside the investor's focus.
        startup("fintech", "series_b_plus", 9_000_000, 3_000_000, 0.5, 90_000_000),
        startup("fintech", "seed", 30_000, 20_000, 0.3, 1_000_000),
        startup("adtech", "series_a", 200_000, 80_000, 0.15, 8_000_000),
        startup("climate", "idea", 0, 0, 0.0, 0),
        startup("crypto", "pre_seed", 5_000, 50_000, 0.4, 300_000),
    ]
    # Stale numbers count for less.
    decoys[1].traction_updated_at = utcnow() - timedelta(days=200)
    db.session.commit()
    return Planted(investor, best, relevant, decoys)


def precision_at(ids: list[int], relevant_ids: set[int], k: int) -> float:
    """Share of the first k results that are relevant."""
    return sum(1 for item in ids[:k] if item in relevant_ids) / k
