"""Hold N websockets on /ws/feed, publish events by writing through the API, time their delivery.

    .venv/bin/python bench/ws_fanout.py --scale small --sockets 1000 5000 --procs 4

Each client process opens its share of the sockets with asyncio; the parent performs the
writes and measures the server's memory before and after the sockets connect.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` importable
    sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import InvalidStatus  # noqa: E402
from websockets.protocol import State  # noqa: E402

from bench.fixtures import load_fixtures  # noqa: E402
from bench.generate import default_url  # noqa: E402
from bench.report import percentile  # noqa: E402
from bench.scenarios import write_requests  # noqa: E402
from bench.server import Server  # noqa: E402

CONNECT_BATCH = 200  # sockets opened at once per process: a burst of 10k SYNs overflows the backlog


async def probe(url: str) -> str | None:
    """None when the handshake succeeds, else why it failed."""
    try:
        async with connect(url, open_timeout=10, ping_interval=None):
            return None
    except InvalidStatus as exc:
        return f"handshake {exc.response.status_code}"
    except (OSError, TimeoutError) as exc:
        return f"connect failed: {exc}"


async def _hold(urls: list[str], ready, stop, results) -> None:
    sockets, failures = [], []
    for start in range(0, len(urls), CONNECT_BATCH):
        batch = urls[start:start + CONNECT_BATCH]
        opened = await asyncio.gather(*(connect(u, open_timeout=60, ping_interval=None, max_queue=None)
                                        for u in batch), return_exceptions=True)
        for item in opened:
            (failures if isinstance(item, BaseException) else sockets).append(item)
    ready.put((len(sockets), len(failures), repr(failures[0]) if failures else ""))
    receipts: dict = {}

    async def read(ws):
        try:
            async for message in ws:
                received = time.time()
                data = json.loads(message)
                if data.get("type") == "activity":
                    event = data.get("event") or {}
                    receipts.setdefault(event.get("id"), [event.get("created_at"), []])[1].append(received)
        except Exception:  # noqa: BLE001 - a dropped socket is counted below, not raised
            return

    readers = [asyncio.create_task(read(ws)) for ws in sockets]
    while not stop.is_set():
        await asyncio.sleep(0.1)
    still_open = sum(1 for ws in sockets if ws.state is State.OPEN)
    for task in readers:
        task.cancel()
    for ws in sockets:
        ws.transport.abort()
    results.put((still_open, receipts))


def _client_process(urls, ready, stop, results) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(_hold(urls, ready, stop, results))


def _epoch(created_at: str | None) -> float | None:
    try:
        return datetime.fromisoformat(created_at).timestamp() if created_at else None
    except ValueError:
        return None


def _publishers(fixtures, count: int) -> list:
    """Unused writes whose events are public (follows, new opportunities): every socket should get them."""
    candidates = [r for r in reversed(write_requests(fixtures)) if not r.path.endswith("/applications/")
                  and r.method == "POST"]
    chosen = candidates[fixtures.published:fixtures.published + count]
    fixtures.published += count
    return chosen


def run_fanout(server, fixtures, sockets: int, procs: int, log, *, events: int = 20) -> dict:
    """Connect `sockets` websockets from `procs` processes, publish `events` writes, measure."""
    tokens = [t for role in ("talent", "founder", "investor") for t in fixtures.tokens(role)]
    base = server.base_url.replace("http://", "ws://") + "/ws/feed?format=json&token="
    result = {"sockets": sockets, "procs": procs}
    problem = asyncio.run(probe(base + tokens[0]))
    if problem:
        result["status"] = "skipped: /ws/feed not available" if "404" in problem else f"error: {problem}"
        log(f"websockets {sockets}: {result['status']}")
        return result
    writes = _publishers(fixtures, events)
    first = writes[0] if writes else None
    if first is None or server.get(first.path, dict(first.headers), first.method, first.body.encode())[0] == 404:
        result["status"] = "skipped: no API write to publish events with"
        log(f"websockets {sockets}: {result['status']}")
        return result
    mp = multiprocessing.get_context("fork")
    ready, results, stop = mp.Queue(), mp.Queue(), mp.Event()
    urls = [base + tokens[i % len(tokens)] for i in range(sockets)]
    rss_before = server.rss_bytes()
    started = time.monotonic()
    children = [mp.Process(target=_client_process, args=(urls[i::procs], ready, stop, results)) for i in range(procs)]
    for child in children:
        child.start()
    counts = [ready.get(timeout=300) for _ in children]
    connected, failed = sum(c[0] for c in counts), sum(c[1] for c in counts)
    result["connect_s"] = round(time.monotonic() - started, 2)
    time.sleep(1)
    rss_after = server.rss_bytes()
    published = 0
    for request in writes[1:]:
        status, _, _ = server.get(request.path, dict(request.headers), request.method, request.body.encode())
        published += status < 300
        time.sleep(0.2)
    time.sleep(3)
    stop.set()
    outcomes = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=30)
    merged: dict = {}
    for _, receipts in outcomes:
        for event_id, (created_at, times) in receipts.items():
            merged.setdefault(event_id, [created_at, []])[1].extend(times)
    latencies, last = [], []
    for created_at, times in merged.values():
        origin = _epoch(created_at)
        if origin is not None and times:
            latencies += [(t - origin) * 1000 for t in times]
            last.append((max(times) - origin) * 1000)
    delivered = [len(times) for _, times in merged.values()]
    result.update(
        status="ok", connected=connected, failed=failed, failure_sample=next((c[2] for c in counts if c[2]), ""),
        held_to_end=sum(o[0] for o in outcomes), published=published, events=len(merged),
        delivery_share=round(sum(delivered) / (len(merged) * connected), 3) if merged and connected else None,
        p50_ms=_round(percentile(latencies, 50)), p99_ms=_round(percentile(latencies, 99)),
        last_receipt_max_ms=_round(max(last) if last else None),
        server_rss_mb=round(rss_after / 2**20, 1),
        mb_per_socket=round((rss_after - rss_before) / 2**20 / connected, 3) if connected else None,
    )
    log(f"websockets {sockets}: {connected} connected, {result['events']} events, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, {result['mb_per_socket']} MB/socket")
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--port", type=int, default=8602)
    parser.add_argument("--sockets", type=int, nargs="+", default=[1000])
    parser.add_argument("--procs", type=int, default=4)
    args = parser.parse_args(argv)
    url = args.database_url or default_url(args.scale)
    fixtures = load_fixtures(url)
    for count in args.sockets:
        # A fresh server per size: its memory growth is then the sockets' alone.
        server = Server(url, args.redis_url, args.port)
        server.start()
        try:
            print(json.dumps(run_fanout(server, fixtures, count, args.procs, print)), flush=True)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
