"""Bulk-load generated rows: PostgreSQL via COPY with indexes built after, SQLite via executemany."""

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import psycopg

from .community import COLUMNS

SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


def libpq_url(url: str) -> str:
    """Turn a SQLAlchemy PostgreSQL URL into one libpq accepts."""
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


def sqlite_path(url: str) -> str:
    """The file path of a sqlite:/// URL."""
    return url.split("sqlite:///", 1)[1]


def _secondary_objects(conn) -> tuple[list, list, list]:
    """Foreign keys, unique constraints and plain indexes of the public schema, as DDL to recreate them."""
    constraints = conn.execute(
        """SELECT c.contype, c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
           FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('f', 'u')"""
    ).fetchall()
    foreign = [(t, n, d) for kind, t, n, d in constraints if kind == "f"]
    unique = [(t, n, d) for kind, t, n, d in constraints if kind == "u"]
    indexes = conn.execute(
        """SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = 'public' AND i.indexname NOT IN (
               SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace
               AND contype IN ('p', 'u', 'x'))"""
    ).fetchall()
    return foreign, unique, indexes


def _run_parallel(pg_url: str, statements: list[str], workers: int = 2) -> None:
    """Run DDL statements on `workers` connections at once (index builds use both cores)."""

    def run(batch):
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '256MB'")
            for statement in batch:
                conn.execute(statement)

    batches = [statements[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, batches))


def load_postgres(url: str, rows: dict) -> dict:
    """COPY every table with secondary indexes and foreign keys dropped; rebuild them, reset sequences."""
    pg_url, timings = libpq_url(url), {}
    with psycopg.connect(pg_url, autocommit=True) as conn:
        foreign, unique, indexes = _secondary_objects(conn)
        for table, name, _ in foreign + unique:
            conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for _, name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        started = time.perf_counter()
        conn.execute("SET synchronous_commit = off")
        for table, columns in COLUMNS.items():
            with conn.transaction(), conn.cursor().copy(
                f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
            ) as copy:
                for row in rows[table]:
                    copy.write_row(row)
        timings["copy_s"] = time.perf_counter() - started
    started = time.perf_counter()
    _run_parallel(pg_url, [d for _, _, d in indexes]
                  + [f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}' for t, n, d in unique])
    timings["indexes_s"] = time.perf_counter() - started
    started = time.perf_counter()
    # Validating the foreign keys proves the generated rows are consistent.
    _run_parallel(pg_url, [f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}' for t, n, d in foreign])
    timings["foreign_keys_s"] = time.perf_counter() - started
    with psycopg.connect(pg_url, autocommit=True) as conn:
        _reset_sequences(conn)
    return timings


def _reset_sequences(conn) -> None:
    serials = conn.execute(
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'"""
    ).fetchall()
    for table, column in serials:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'
        )


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime(SQLITE_DATETIME)
    if isinstance(value, bool):
        return int(value)
    return value


def load_sqlite(url: str, rows: dict) -> dict:
    """Insert every table in foreign-key order in one transaction and check the foreign keys."""
    started = time.perf_counter()
    conn = sqlite3.connect(sqlite_path(url))
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = OFF")
        with conn:
            for table, columns in COLUMNS.items():
                marks = ", ".join("?" for _ in columns)
                conn.executemany(
                    f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})',
                    ([_sqlite_value(value) for value in row] for row in rows[table]),
                )
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key violations after load: {problems[:5]}")
    finally:
        conn.close()
    return {"copy_s": time.perf_counter() - started}
