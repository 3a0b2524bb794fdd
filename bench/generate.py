"""Generate a benchmark community and bulk-load it into a freshly migrated database.

    .venv/bin/python bench/generate.py --scale small --seed 1 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/collabhub_bench_small
"""

import argparse
import json
import os
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `webapp` and `bench` importable
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from bench.community import BENCH_PASSWORD, SCALES  # noqa: E402
from bench.history import build_world  # noqa: E402
from bench.loaders import libpq_url, load_postgres, load_sqlite, sqlite_path  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.services.accounts import hash_password  # noqa: E402


def default_url(scale: str) -> str:
    """The bench database of a scale: PostgreSQL, one database per scale."""
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/collabhub_bench_{scale}"


def reset_database(url: str) -> None:
    """Start from an empty database: recreate the PostgreSQL schema or delete the SQLite file."""
    if url.startswith("sqlite"):
        path = Path(sqlite_path(url))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    pg_url = libpq_url(url)
    name = pg_url.rsplit("/", 1)[1].split("?", 1)[0]
    with psycopg.connect(pg_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


# The generator fills the core schema; later migrations backfill what they derive from it
# (search documents, …) set-based, as they would on a live database.
CORE_REVISION = "0001"


def migrate(url: str, revision: str = "head") -> None:
    """Run the app's own migrations (what `flask db upgrade` runs) up to `revision`."""
    app = create_app({"DATABASE_URL": url, "REDIS_URL": "", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision=revision)
        db.engine.dispose()


def analyze(url: str) -> None:
    """Refresh the planner's statistics after the load and the backfills."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sqlite_path(url))
        conn.execute("ANALYZE")
        conn.close()
        return
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("ANALYZE")


def generate(scale: str, seed: int, url: str, now: float | None = None) -> dict:
    """Reset, migrate, build and load one community; return counts and timings."""
    sizes = SCALES[scale]
    timings = {}
    started = time.perf_counter()
    reset_database(url)
    migrate(url, CORE_REVISION)
    timings["migrate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    # One argon2 hash for everyone: hashing 100k passwords would take an hour and prove nothing.
    world = build_world(sizes, seed, now or _today(), hash_password(BENCH_PASSWORD))
    timings["generate_s"] = time.perf_counter() - started
    loader = load_sqlite if url.startswith("sqlite") else load_postgres
    timings.update(loader(url, world.rows))
    started = time.perf_counter()
    migrate(url)
    timings["later_migrations_s"] = time.perf_counter() - started
    started = time.perf_counter()
    analyze(url)
    timings["analyze_s"] = time.perf_counter() - started
    timings["total_s"] = sum(timings.values())
    return {
        "scale": scale,
        "seed": seed,
        "database": "sqlite" if url.startswith("sqlite") else "postgresql",
        "rows": {table: len(rows) for table, rows in world.rows.items()},
        "timings": {name: round(value, 2) for name, value in timings.items()},
    }


def _today() -> float:
    """Midnight UTC today: the same seed gives the same data all day."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--summary", help="write the JSON summary to this file too")
    args = parser.parse_args(argv)
    url = args.database_url or default_url(args.scale)
    summary = generate(args.scale, args.seed, url)
    text = json.dumps(summary, indent=2)
    print(text)
    if args.summary:
        Path(args.summary).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
