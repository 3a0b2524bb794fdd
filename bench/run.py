"""Benchmark CollabHub as production serves it; write bench/results/<date>-<scale>.{json,md}.

    .venv/bin/python bench/run.py --quick                       # CI-sized: small, 1 s per run
    .venv/bin/python bench/run.py --scale large --duration 10   # one scale, every scenario
    .venv/bin/python bench/run.py --growth                      # reads at small, medium, large
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` importable
    sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench import report  # noqa: E402
from bench.community import BENCH_PASSWORD  # noqa: E402
from bench.fixtures import load_fixtures  # noqa: E402
from bench.generate import default_url, generate  # noqa: E402
from bench.scenarios import LIVE, SCENARIOS, Context, build_requests  # noqa: E402
from bench.server import Server  # noqa: E402
from bench.wrkdriver import Request, run_wrk, wrk_available  # noqa: E402

RESULTS = ROOT / "bench" / "results"
COOKIE_VIEWERS = 12  # each log-in costs an argon2 verification (~0.1–0.5 s here)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} CPUs ({model}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}"


def count_events(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM activity_events")).scalar_one()
    engine.dispose()
    return count


def describe_data(database_url: str) -> str:
    """Row counts of the main tables, for the report's header."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        counts = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                  for table in ("users", "startups", "opportunities", "follows", "applications", "activity_events")}
    engine.dispose()
    return ", ".join(f"{count:,} {table.replace('_', ' ')}" for table, count in counts.items())


def cancel_stragglers(database_url: str, older_than_s: int = 2) -> int:
    """Cancel queries still running from requests wrk gave up on, so they do not slow the next scenario."""
    if database_url.startswith("sqlite"):
        return 0
    engine = create_engine(database_url)
    with engine.begin() as conn:
        cancelled = conn.execute(text(
            "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid() AND now() - query_start > make_interval(secs => :s)"
        ), {"s": older_than_s}).scalar_one()
    engine.dispose()
    return cancelled


def flush_cache(redis_url: str | None) -> None:
    """Empty the bench Redis database so a cold scenario starts with no cached page."""
    if redis_url:
        redis.Redis.from_url(redis_url).flushdb()


def prepare_context(server: Server, fixtures, log, walk_budget_s: float = 90) -> tuple[Context, dict]:
    """Log cookie viewers in and walk the feed to its 500th page."""
    ctx, extra = Context(fixtures=fixtures, database_url=server.env["DATABASE_URL"]), {}
    for role in ("talent",):
        cookies = []
        for _, username, _ in fixtures.viewers.get(role, [])[:COOKIE_VIEWERS]:
            cookie = server.login(username, BENCH_PASSWORD)
            if cookie is None:
                break
            cookies.append(cookie)
        ctx.cookies[role] = cookies
    log(f"logged in {sum(map(len, ctx.cookies.values()))} cookie viewers")
    tokens = fixtures.tokens("talent")
    if tokens:
        ctx.deep_cursor, depth = server.walk_feed(tokens[0], budget_s=walk_budget_s)
        if ctx.deep_cursor:
            extra["feed_depth"] = depth
            log(f"feed walk reached page {depth}")
    return ctx, extra


def run_scenario(server, scenario, ctx, args, log) -> dict:
    """Precheck one request, then measure each concurrency; a 404 marks the scenario skipped."""
    entry = {"name": scenario.name, "group": scenario.group, "cache": scenario.cache,
             "growth": scenario.growth, "runs": {}}
    if scenario.auth == "cookie" and not ctx.cookies.get(scenario.role):
        entry["status"] = "skipped (no log-in)"
        return entry
    first, replay = build_requests(scenario, ctx)
    if first is None:
        entry["status"] = "skipped (no feed to walk)"
        return entry
    status, _, body = server.get(first.path, dict(first.headers), first.method, first.body.encode() or None)
    if status == 404 or (status == 405 and scenario.kind == "write"):
        entry["status"] = f"skipped ({status})"
        return entry
    if status >= 400:
        entry["status"] = f"error ({status}: {body[:120].decode(errors='replace')})"
        return entry
    entry["status"] = "ok"
    database_url = ctx.database_url
    events_before = count_events(database_url) if scenario.kind == "write" else None
    # Growth compares single-request latency; throughput runs would only lengthen it.
    for concurrency in (1,) if args.growth else scenario.concurrencies:
        if scenario.cache == "cold":
            flush_cache(args.redis_url)
        run = run_wrk(server.base_url, replay, concurrency, args.duration)
        if scenario.kind == "write":
            # One-shot writes: the next concurrency starts where this one stopped (plus those in flight).
            replay = replay[run["requests"] + concurrency:]
        if not (args.quick or args.growth):
            # /live/ right after, same load: on a shared machine the ratio holds where absolutes drift.
            run["live_rps"] = run_wrk(server.base_url, [Request("GET", LIVE.path)], concurrency, args.duration)["rps"]
        if scenario.cache == "cold":
            run["cold_share"] = round(min(1.0, len(replay) / max(1, run["requests"])), 3)
        entry["runs"][str(concurrency)] = run
        run["cancelled_queries"] = cancel_stragglers(ctx.database_url)
        log(f"{scenario.name:38} c={concurrency:<3} {run['ok_rps']:>9} ok req/s  p50 {run['p50_ms']!s:>7} ms  "
            f"p95 {run['p95_ms']!s:>7} ms  /live/ {run.get('live_rps', '-'):>8} req/s  statuses {run['statuses']}")
    if scenario.kind == "write":
        runs = entry["runs"].values()
        seconds = sum(r["duration_s"] for r in runs)
        entry["events_written"] = count_events(database_url) - events_before
        entry["events_per_s"] = round(entry["events_written"] / seconds, 1)
    return entry


def measure_live(server, duration, baseline_runs, log) -> None:
    status, _, _ = server.get(LIVE.path)
    for concurrency in (1, 32):
        run = run_wrk(server.base_url, [Request("GET", LIVE.path)], concurrency, duration)
        run["http_status"] = status
        baseline_runs.setdefault(str(concurrency), []).append(run)
        log(f"{'/live/ (HTTP ' + str(status) + ')':38} c={concurrency:<3} {run['rps']:>9} req/s      "
            f"p50 {run['p50_ms']:>7} ms")


def bench_scale(args, scale: str, database_url: str, only_growth: bool, log) -> dict:
    """Start the server on one database, run the scenarios, stop it; return the results."""
    fixtures = load_fixtures(database_url)
    server = Server(database_url, args.redis_url, args.port, workers=args.workers, app_dir=args.app_dir)
    flush_cache(args.redis_url)
    server.start()
    try:
        worker = server.start_task_worker()
        log(f"server up on {server.base_url} ({args.workers} gevent workers), task worker: {worker}")
        ctx, extra = prepare_context(server, fixtures, log, walk_budget_s=20 if args.quick else 90)
        for path in ("/", "/live/", "/startups"):  # warm-up: imports, connection pools, templates
            run_wrk(server.base_url, [Request("GET", path)], 4, 1)
        baseline_runs, scenarios = {}, []
        measure_live(server, args.duration, baseline_runs, log)
        selected = [s for s in SCENARIOS if (s.growth or not only_growth)
                    and (not args.only or any(word in s.name for word in args.only))]
        for scenario in selected:
            scenarios.append(run_scenario(server, scenario, ctx, args, log))
        measure_live(server, args.duration, baseline_runs, log)
        rss = server.rss_bytes()
    finally:
        server.stop()
    websockets = [] if only_growth else [fanout(args, database_url, fixtures, n, log) for n in args.ws]
    results = {
        "meta": {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "scale": scale,
            "database": "sqlite" if database_url.startswith("sqlite") else "postgresql",
            "redis": bool(args.redis_url), "machine": machine(), "duration_s": args.duration,
            "server": f"gunicorn -c gunicorn.conf.py wsgi:app, gevent, -w {args.workers}",
            "server_rss_mb": round(rss / 2**20, 1), "commit": _commit(), "app_dir": str(args.app_dir),
            "data": describe_data(database_url), **extra,
        },
        "baseline": {c: report.live_baseline(runs) | {"runs": runs} for c, runs in baseline_runs.items()},
        "scenarios": scenarios,
        "websockets": websockets,
    }
    writes = next((s for s in scenarios if s["group"] == "write" and s["status"] == "ok"), None)
    if writes and "32" in writes["runs"]:
        results["writes"] = {"ok_per_s": writes["runs"]["32"]["ok_rps"], "events_per_s": writes["events_per_s"]}
    report.add_ratios(results)
    return results


def fanout(args, database_url: str, fixtures, sockets: int, log) -> dict:
    """One websocket fan-out on a freshly started server, so its memory growth is the sockets' alone."""
    from bench.ws_fanout import run_fanout  # noqa: PLC0415 - websockets is a bench-only dependency

    server = Server(database_url, args.redis_url, args.port, workers=args.workers, app_dir=args.app_dir)
    flush_cache(args.redis_url)
    server.start()
    try:
        return run_fanout(server, fixtures, sockets, args.ws_procs, log)
    finally:
        server.stop()


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "medium", "large"), default="small")
    parser.add_argument("--database-url", help="default: the PostgreSQL bench database of --scale")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8601")))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per scenario and concurrency")
    parser.add_argument("--quick", action="store_true", help="CI-sized: regenerate small, 1 s per run")
    parser.add_argument("--generate", action="store_true", help="(re)load the scale's data first")
    parser.add_argument("--growth", action="store_true", help="reads at small, medium and large side by side")
    parser.add_argument("--only", nargs="*", help="run the scenarios whose name contains one of these words")
    parser.add_argument("--ws", type=int, nargs="*", default=[], help="websocket fan-out sizes, e.g. 1000 5000")
    parser.add_argument("--ws-procs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout gunicorn serves (default: this one)")
    args = parser.parse_args(argv)
    if not wrk_available():
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    if args.quick:
        args.scale, args.duration, args.generate = "small", min(args.duration, 1.0), True

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    date = datetime.now(UTC).strftime("%Y-%m-%d")
    scales = ("small", "medium", "large") if args.growth else (args.scale,)
    per_scale = {}
    for scale in scales:
        url = args.database_url if (args.database_url and not args.growth) else default_url(scale)
        if args.generate:
            load = generate(scale, args.seed, url)
            log(f"loaded {scale}: {load['rows']['activity_events']} events in {load['timings']['total_s']} s")
        log(f"benchmarking {scale} on {url.split('@')[-1]}")
        per_scale[scale] = bench_scale(args, scale, url, args.growth, log)
    if args.growth:
        results = per_scale[scales[-1]]
        results["growth"] = report.growth_table(per_scale)
        results["growth_max_ratio"] = results["growth"]["max_ratio"]
        results["growth_runs"] = {scale: r["scenarios"] for scale, r in per_scale.items()}
        stem = f"{date}-growth"
    else:
        results, stem = per_scale[args.scale], f"{date}-{args.scale}" + ("-quick" if args.quick else "")
    results["targets"] = report.evaluate_targets(results)
    json_path, md_path = report.write_report(results, RESULTS, stem)
    print(md_path.read_text())
    log(f"wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
