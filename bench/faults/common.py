"""What every fault run shares: the data, the server, the traffic, and the numbers it reports."""

import json
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.report import percentile
from bench.scenarios import write_requests
from bench.server import Server

from .load import Clock, Load, Mix, Prober, Sample, Sockets


@dataclass
class Check:
    """One invariant: its name, whether it held, and the figure behind it."""

    name: str
    ok: bool
    detail: str = ""


@dataclass
class Outcome:
    name: str
    checks: list[Check] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(name, bool(ok), detail))

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def window_stats(samples: list[Sample], start: float, end: float) -> dict:
    """Requests started in [start, end): count, failed, p50/p95/max latency in ms."""
    chosen = [s for s in samples if start <= s.start < end]
    latencies = [s.latency * 1000 for s in chosen if not s.failed]
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    return {
        "requests": len(chosen),
        "failed": sum(s.failed for s in chosen),
        "p50_ms": round(p50, 1) if p50 is not None else None,
        "p95_ms": round(p95, 1) if p95 is not None else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "errors": sorted({f"{s.status} {s.error}".strip() for s in chosen if s.failed})[:5],
    }


def bearer(token: str) -> tuple:
    return (("Authorization", f"Bearer {token}"),)


def build_mix(fx) -> Mix:
    talent = fx.tokens("talent")
    browse = [("/api/v1/feed/?limit=20", bearer(t)) for t in talent[:50]]
    browse += [(path, ()) for path in ("/", "/startups", "/people", "/opportunities", "/feed")]
    if fx.hub_user_id:
        browse += [(f"/api/v1/users/{fx.hub_user_id}/activity/", bearer(talent[0]))]
    search = [(f"/api/v1/search/?q={urllib.parse.quote(word)}", bearer(talent[i % len(talent)]))
              for i, word in enumerate(fx.skills[:60])]
    search += [(f"/search?q={urllib.parse.quote(word)}", ()) for word in fx.skills[:20]]
    return Mix(browse, search, write_requests(fx))


def latest_event_id(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        value = conn.execute(text("SELECT coalesce(max(id), 0) FROM activity_events")).scalar_one()
    engine.dispose()
    return int(value)


def visible_events_after(server: Server, token: str, baseline: int, max_pages: int = 200) -> set[int]:
    """Ids above `baseline` that the API feed shows this viewer: what every live socket must have got."""
    found: set[int] = set()
    path = "/api/v1/feed/?limit=100"
    for _ in range(max_pages):
        status, _, body = server.get(path, {"Authorization": f"Bearer {token}"})
        if status != 200:
            raise RuntimeError(f"feed walk answered {status}")
        page = json.loads(body)
        ids = [item["id"] for item in page["results"]]
        found.update(i for i in ids if i > baseline)
        if not page.get("next") or (ids and max(ids) <= baseline):
            break
        parts = urllib.parse.urlsplit(page["next"])
        path = parts.path + "?" + parts.query
    return found


def lost_events(sockets: Sockets, expected: set[int]) -> dict:
    """Per socket, the expected ids it never received; summed, and the worst socket."""
    missing = [len(expected - log.received) for log in sockets.logs]
    return {"expected": len(expected), "lost_total": sum(missing), "worst_socket": max(missing, default=0)}


def wait_for_catch_up(sockets: Sockets, expected: set[int], timeout: float) -> float:
    """Wait until every socket has every expected id; return how long it took (or the timeout)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if all(expected <= log.received for log in sockets.logs):
            break
        time.sleep(0.2)
    return round(time.monotonic() - started, 2)


class Traffic:
    """The load, the probe pollers and the live sockets of one run, on one clock."""

    def __init__(self, server: Server, fx, rate: float, threads: int, sockets: int):
        self.clock = Clock()
        self.server = server
        self.load = Load(server.port, build_mix(fx), self.clock, rate=rate, threads=threads)
        self.prober = Prober(server.port, self.clock)
        investors = fx.tokens("investor")
        self.truth_token = investors[0]
        self.sockets = Sockets(server.port, investors[1:1 + sockets], self.clock)

    def start(self) -> None:
        self.sockets.start()
        self.prober.start()
        self.load.start()

    def stop_load(self) -> None:
        self.load.stop()

    def stop(self) -> None:
        self.load.stop()
        self.prober.stop()
        self.sockets.stop()


def write_results(results: dict, stem: str, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / f"{stem}.json", directory / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str))
    lines = [f"# Fault runs ({results['when']}, {'quick' if results['quick'] else 'full'})", "",
             f"Machine: {results['machine']}. Shared with other jobs: figures are noisy.", ""]
    for outcome in results["outcomes"]:
        lines += [f"## {outcome['name']}: {'PASS' if outcome['ok'] else 'FAIL'}", ""]
        lines += ["| invariant | held | detail |", "|---|---|---|"]
        lines += [f"| {c['name']} | {'yes' if c['ok'] else '**no**'} | {c['detail']} |" for c in outcome["checks"]]
        lines += ["", "```json", json.dumps(outcome["figures"], indent=2, default=str), "```", ""]
    md_path.write_text("\n".join(lines))
    return json_path, md_path
