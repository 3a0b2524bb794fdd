"""Item 17: a long mixed load (browse, search, write, sockets with churn), then idle.

Samples every `every` seconds: resident memory per gunicorn worker, open file descriptors,
PostgreSQL connections, Redis clients and live sockets. Reports growth under load and
whether everything returns to its baseline when the load stops.
"""

import json
import re
import time
from pathlib import Path

from bench.server import _children

from .common import (
    Outcome,
    Traffic,
    latest_event_id,
    lost_events,
    visible_events_after,
    wait_for_catch_up,
    window_stats,
)


def _worker_stats(master_pid: int) -> dict[int, dict]:
    stats = {}
    for pid in _children(master_pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            fds = len(list(Path(f"/proc/{pid}/fd").iterdir()))
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        stats[pid] = {"rss_mb": round(int(match.group(1)) / 1024, 1) if match else None, "fds": fds}
    return stats


def sample(ctx, server, traffic, phase: str) -> dict:
    workers = _worker_stats(server.process.pid)
    return {
        "t": round(traffic.clock.now(), 1), "phase": phase,
        "rss_mb": {str(pid): w["rss_mb"] for pid, w in workers.items()},
        "fds": sum(w["fds"] for w in workers.values()),
        "pg_connections": ctx.pg.connection_count(ctx.database),
        "redis_clients": ctx.redis.client_count(),
        "sockets_open": traffic.sockets.open_count,
    }


def _slope_mb_per_min(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, MB), in MB per minute."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if not var:
        return None
    return round(sum((t - mean_t) * (m - mean_m) for t, m in points) / var * 60, 3)


def _sample_under_load(ctx, server, traffic) -> list[dict]:
    """Sample every `every_s` for `soak_s`; every 30 s a quarter of the sockets close and come back."""
    samples = []
    started = time.monotonic()
    next_churn = started + 30
    while time.monotonic() - started < ctx.soak_s:
        time.sleep(ctx.every_s)
        if time.monotonic() >= next_churn:
            traffic.sockets.churn(max(1, ctx.sockets // 4))
            next_churn += 30
        samples.append(sample(ctx, server, traffic, "load"))
    return samples


def run(ctx) -> Outcome:
    outcome = Outcome(f"soak ({ctx.soak_s / 60:g} min load, {ctx.idle_s:g} s idle)")
    server = ctx.server(task_worker=True)
    traffic = Traffic(server, ctx.fx, ctx.rate, ctx.threads, ctx.sockets)
    event_baseline = latest_event_id(ctx.database_url)
    idle_before = sample(ctx, server, traffic, "idle-before")
    traffic.start()
    time.sleep(ctx.warmup_s)
    samples = [sample(ctx, server, traffic, "warm")]
    samples += _sample_under_load(ctx, server, traffic)
    traffic.stop_load()
    load_end = traffic.clock.now()
    expected = visible_events_after(server, traffic.truth_token, event_baseline)
    catch_up_s = wait_for_catch_up(traffic.sockets, expected, timeout=20)
    lost = lost_events(traffic.sockets, expected)
    traffic.stop()
    time.sleep(ctx.idle_s)
    idle_after = sample(ctx, server, traffic, "idle-after")
    samples.append(idle_after)
    status, _, body = server.get("/metrics/")
    server_sockets = json.loads(body).get("websocket_connections") if status == 200 else None
    ctx.stop(server)

    warm = samples[0]
    load = [s for s in samples if s["phase"] == "load"]
    second_half = load[len(load) // 2:]
    per_worker = {}
    for pid in warm["rss_mb"]:
        points = [(s["t"], s["rss_mb"][pid]) for s in second_half if s["rss_mb"].get(pid) is not None]
        per_worker[pid] = {
            "idle_before_mb": idle_before["rss_mb"].get(pid), "warm_mb": warm["rss_mb"][pid],
            "end_of_load_mb": load[-1]["rss_mb"].get(pid) if load else None,
            "idle_after_mb": idle_after["rss_mb"].get(pid),
            "slope_second_half_mb_per_min": _slope_mb_per_min(points),
        }

    def peak(key):
        values = [s[key] for s in samples if s[key] is not None]
        return max(values) if values else None

    stats = window_stats(traffic.load.samples, 0, load_end)
    outcome.figures = {
        "requests": stats, "events": lost, "catch_up_s": catch_up_s,
        "socket_connects": sum(log.connects for log in traffic.sockets.logs),
        "workers": per_worker,
        "connections": {key: {"idle_before": idle_before[key], "warm": warm[key], "peak": peak(key),
                              "idle_after": idle_after[key]}
                        for key in ("pg_connections", "redis_clients", "fds", "sockets_open")},
        "samples": samples,
    }
    conn = outcome.figures["connections"]
    outcome.check("no failed requests", stats["failed"] == 0, f"{stats['failed']} of {stats['requests']}, "
                  f"p95 {stats['p95_ms']} ms")
    outcome.check("no events lost", lost["lost_total"] == 0, f"{lost['expected']} events, {lost['lost_total']} missing")
    outcome.check("live sockets back to 0 when idle", idle_after["sockets_open"] == 0 and server_sockets == 0,
                  f"server reports {server_sockets}")
    fds = conn["fds"]
    outcome.check("file descriptors back near baseline", fds["idle_after"] <= fds["warm"] + 10 * len(per_worker),
                  f"warm {fds['warm']}, peak {fds['peak']}, idle {fds['idle_after']}")
    pg = conn["pg_connections"]
    outcome.check("PostgreSQL connections bounded", pg["idle_after"] is not None and pg["peak"] is not None
                  and pg["idle_after"] <= pg["peak"] and pg["peak"] <= ctx.max_pg_connections,
                  f"warm {pg['warm']}, peak {pg['peak']}, idle {pg['idle_after']} (cap {ctx.max_pg_connections})")
    # Pools keep their connections (that is what they are for): a leak is a count still rising
    # in the second half of the load, or more connections idle than at the peak.
    first_half = load[:len(load) // 2]
    slack = 10 if ctx.quick else 4  # a short run's pools may still be meeting their peak concurrency
    for key, label in (("redis_clients", "Redis clients"), ("pg_connections", "PostgreSQL connections")):
        early = max((s[key] for s in first_half if s[key] is not None), default=0)
        late = max((s[key] for s in second_half if s[key] is not None), default=0)
        c = conn[key]
        outcome.check(f"{label} stop growing (no leak)", late <= early + slack and c["idle_after"] is not None
                      and c["idle_after"] <= c["peak"], f"max first half {early}, second half {late}, "
                      f"idle {c['idle_after']}")
    if not ctx.quick:
        slopes = [w["slope_second_half_mb_per_min"] for w in per_worker.values()
                  if w["slope_second_half_mb_per_min"] is not None]
        outcome.check("worker memory flat in the second half (≤ 1 MB/min)", slopes and max(slopes) <= 1.0,
                      f"slopes {slopes} MB/min")
    return outcome
