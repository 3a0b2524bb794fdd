"""Fault runs (issue 10, items 14–17): Redis outage, PostgreSQL restart, SIGTERM, soak.

    .venv/bin/python -m bench.faults --quick              # CI-sized, every run, < 3 min
    .venv/bin/python -m bench.faults                      # full: 60 s Redis outages, 30 min soak
    .venv/bin/python -m bench.faults --only redis --redis-mode pause

Uses its OWN redis-server (port 6391; the tests treat 6390 as a closed port) and its OWN
PostgreSQL cluster (port 5440, initialised into --pg-dir), never the shared ones. Exit status 1
when an invariant breaks. Results in bench/results/<date>-faults[-<tag>][-quick].{json,md}.
"""

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.fixtures import load_fixtures  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.run import machine  # noqa: E402
from bench.server import Server  # noqa: E402

from . import postgres_restart, redis_outage, shutdown, soak  # noqa: E402
from .common import write_results  # noqa: E402
from .infra import OwnPostgres, OwnRedis  # noqa: E402

RUNS = ("redis", "postgres", "shutdown", "soak")


class Context:
    """Settings of this invocation plus the servers it owns."""

    def __init__(self, args):
        self.quick = args.quick
        self.workdir = Path(tempfile.mkdtemp(prefix="collabhub-faults-"))
        self.redis = OwnRedis(args.redis_port, Path(tempfile.gettempdir()))
        self.pg = OwnPostgres(args.pg_port, Path(args.pg_dir))
        self.database = args.database
        self.database_url = self.pg.url(args.database)
        self.port = args.port
        self.workers = 2
        self.rate, self.threads, self.sockets = args.rate, args.threads, args.sockets
        q = args.quick
        self.warmup_s = 4 if q else 15
        self.after_s = 5 if q else 20
        self.redis_outage_s = args.redis_outage or (6 if q else 60)
        self.pg_down_s = args.pg_down or (3 if q else 10)
        self.drain_s = 2 if q else 5
        self.soak_s = (args.soak_minutes * 60) if args.soak_minutes else (30 if q else 1800)
        self.idle_s = 10 if q else 60
        self.every_s = 5 if q else 10
        # Pool per worker: SQLAlchemy's QueuePool default 5 + 10 overflow, plus the probes' own pings.
        self.max_pg_connections = self.workers * 15 + 4
        self.fx = None

    def prepare(self, log) -> None:
        self.redis.start()
        self.pg.start()
        self.pg.ensure_database(self.database)
        log(f"data: generating small into {self.database_url}")
        generate("small", 1, self.database_url)
        self.fx = load_fixtures(self.database_url, viewers_per_role=100, writes=4000)

    def server(self, extra_env: dict | None = None, task_worker: bool = True) -> Server:
        if self.redis.pid() is None:
            self.redis.start()
        server = Server(self.database_url, self.redis.url, self.port, workers=self.workers)
        server.env.update({"GUNICORN_GRACEFUL_TIMEOUT": "20", **(extra_env or {})})
        server.start()
        if task_worker:
            server.start_task_worker()
        return server

    def stop(self, server: Server) -> None:
        server.stop()
        if self.redis.paused:
            self.redis.resume()

    def close(self) -> None:
        self.redis.stop()
        self.pg.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized: short outages, 30 s soak")
    parser.add_argument("--only", nargs="+", choices=RUNS, default=list(RUNS))
    parser.add_argument("--redis-mode", choices=("stop", "pause", "both"), default=None,
                        help="stop = refused connections, pause = SIGSTOP (hung); "
                             "default: stop with --quick, both otherwise")
    parser.add_argument("--redis-outage", type=float, help="seconds (default 60, quick 6)")
    parser.add_argument("--pg-down", type=float, help="seconds PostgreSQL stays down (default 10, quick 3)")
    parser.add_argument("--soak-minutes", type=float, help="default 30, quick 30 s")
    parser.add_argument("--rate", type=float, default=25, help="requests per second, all threads together")
    parser.add_argument("--threads", type=int, default=5)
    parser.add_argument("--sockets", type=int, default=12)
    parser.add_argument("--port", type=int, default=8611)
    parser.add_argument("--redis-port", type=int, default=int(os.environ.get("FAULTS_REDIS_PORT", "6391")))
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("FAULTS_PG_PORT", "5440")))
    parser.add_argument("--pg-dir", default=os.environ.get("FAULTS_PG_DIR", "/tmp/collabhub-faults-pg"))
    parser.add_argument("--database", default="collabhub_bench_faults")
    parser.add_argument("--tag", help="added to the results' file name (e.g. soak)")
    parser.add_argument("--keep-servers", action="store_true", help="leave the own Redis/PostgreSQL running")
    args = parser.parse_args(argv)
    modes = {"both": ["stop", "pause"], None: ["stop"] if args.quick else ["stop", "pause"]}.get(
        args.redis_mode, [args.redis_mode])

    def log(message: str) -> None:
        print(f"[faults {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)

    ctx = Context(args)
    outcomes = []
    try:
        ctx.prepare(log)
        plan = []
        if "redis" in args.only:
            plan += [(f"redis outage ({mode})", lambda m=mode: redis_outage.run(ctx, m)) for mode in modes]
        if "postgres" in args.only:
            plan.append(("postgresql restart", lambda: postgres_restart.run(ctx)))
        if "shutdown" in args.only:
            plan.append(("graceful shutdown", lambda: shutdown.run(ctx)))
        if "soak" in args.only:
            plan.append(("soak", lambda: soak.run(ctx)))
        for title, step in plan:
            log(f"{title} …")
            outcome = step()
            outcomes.append(outcome)
            for check in outcome.checks:
                log(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    finally:
        if not args.keep_servers:
            ctx.close()
    results = {
        "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "quick": args.quick, "machine": machine(),
        "outcomes": [{"name": o.name, "ok": o.ok, "checks": [vars(c) for c in o.checks], "figures": o.figures}
                     for o in outcomes],
    }
    stem = "-".join([f"{datetime.now(UTC):%Y-%m-%d}-faults", *([args.tag] if args.tag else []),
                     *(["quick"] if args.quick else [])])
    json_path, md_path = write_results(results, stem, ROOT / "bench" / "results")
    failed = [o.name for o in outcomes if not o.ok]
    verdict = f"FAILED: {', '.join(failed)}" if failed else "all invariants held"
    log(f"results: {md_path.relative_to(ROOT)}; {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
