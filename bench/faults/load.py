"""Traffic for fault runs: a paced mixed load, probe pollers and live sockets, all timestamped.

Every request is recorded as (start, latency, status, kind): status -1 is a transport error
(refused, reset, timed out). Times are seconds on the run's own monotonic clock, so the
outage's start and end can be laid over them.
"""

import asyncio
import http.client
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

TRANSPORT_ERROR = -1


@dataclass
class Sample:
    start: float
    latency: float
    status: int
    kind: str
    path: str = ""
    error: str = ""

    @property
    def failed(self) -> bool:
        """A failed request: transport error or 5xx. 4xx answers are the app working."""
        return self.status == TRANSPORT_ERROR or self.status >= 500


class Clock:
    def __init__(self):
        self.zero = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.zero


def request(conn_box: list, port: int, method: str, path: str, *, headers: dict, body: str | None = None,
            timeout: float = 15) -> tuple[int, bytes, str]:
    """One request on a kept-alive connection (reopened after an error); (status, body, error)."""
    for attempt in (1, 2):
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn = conn_box[0]
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn_box[0] = None
            return response.status, data, ""
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            conn.close()
            conn_box[0] = None
            # A kept-alive connection the server closed between requests: any client retries that once.
            if attempt == 1 and isinstance(exc, http.client.RemoteDisconnected | BrokenPipeError):
                continue
            return TRANSPORT_ERROR, b"", type(exc).__name__
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn_box[0] = None
            return TRANSPORT_ERROR, b"", f"{type(exc).__name__}: {exc}"[:120]
    return TRANSPORT_ERROR, b"", "retry"


@dataclass
class Mix:
    """What the load sends: reads (browse, search) and writes, by weight."""

    browse: list  # (path, headers)
    search: list
    writes: list  # bench.wrkdriver.Request, each succeeding once
    weights: tuple = (60, 25, 15)
    _writes_iter: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self, rng: random.Random):
        kind = rng.choices(("browse", "search", "write"), self.weights)[0]
        if kind == "write":
            with self._lock:
                if self._writes_iter is None:
                    self._writes_iter = iter(self.writes)
                item = next(self._writes_iter, None)
            if item is not None:
                return "write", item.method, item.path, dict(item.headers), item.body
            kind = "browse"
        path, headers = rng.choice(self.browse if kind == "browse" else self.search)
        return kind, "GET", path, dict(headers), None


class Load:
    """`threads` clients, together about `rate` requests per second, until stop()."""

    def __init__(self, port: int, mix: Mix, clock: Clock, *, rate: float = 60, threads: int = 8, timeout: float = 15):
        self.port, self.mix, self.clock = port, mix, clock
        self.rate, self.threads, self.timeout = rate, threads, timeout
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def start(self) -> None:
        for number in range(self.threads):
            thread = threading.Thread(target=self._run, args=(number,), daemon=True)
            thread.start()
            self._workers.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._workers:
            thread.join(timeout=self.timeout + 5)

    def _run(self, number: int) -> None:
        rng = random.Random(number)
        interval = self.threads / self.rate
        conn_box = [None]
        next_at = time.monotonic() + rng.random() * interval
        while not self._stop.is_set():
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            next_at = max(next_at + interval, time.monotonic() - interval)
            kind, method, path, headers, body = self.mix.next(rng)
            started = self.clock.now()
            status, _, error = request(conn_box, self.port, method, path, headers=headers, body=body,
                                       timeout=self.timeout)
            self.samples.append(Sample(started, self.clock.now() - started, status, kind, path, error))


class Prober:
    """Poll /live/ and /ready/ every `every` seconds; each answer kept with its time."""

    def __init__(self, port: int, clock: Clock, every: float = 0.25):
        self.port, self.clock, self.every = port, clock, every
        self.samples: dict[str, list[Sample]] = {"/live/": [], "/ready/": []}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for path in self.samples:
            thread = threading.Thread(target=self._run, args=(path,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def _run(self, path: str) -> None:
        conn_box = [None]
        while not self._stop.is_set():
            started = self.clock.now()
            status, _, error = request(conn_box, self.port, "GET", path, headers={}, timeout=5)
            self.samples[path].append(Sample(started, self.clock.now() - started, status, "probe", path, error))
            self._stop.wait(self.every)


@dataclass
class SocketLog:
    """What one live client saw: event ids received, closes (time, code), connection attempts."""

    token: str
    received: set = field(default_factory=set)
    closes: list = field(default_factory=list)
    failed_connects: int = 0
    connects: int = 0
    last_id: int = 0


class Sockets:
    """Live clients on /ws/feed (JSON) that reconnect like the browser: jittered, with ?after=<last id>."""

    def __init__(self, port: int, tokens: list[str], clock: Clock):
        self.port, self.clock = port, clock
        self.logs = [SocketLog(token) for token in tokens]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._tasks: list = []
        self._open = 0
        self._current: dict = {}

    @property
    def open_count(self) -> int:
        return self._open

    def start(self, timeout: float = 20) -> None:
        self._thread.start()
        for log in self.logs:
            self._tasks.append(asyncio.run_coroutine_threadsafe(self._client(log), self._loop))
        deadline = time.monotonic() + timeout
        while self._open < len(self.logs) and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        time.sleep(0.5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def churn(self, count: int) -> None:
        """Close `count` open sockets from the client side (a tab closed); each reconnects with ?after."""
        for ws in random.sample(list(self._current.values()), min(count, len(self._current))):
            asyncio.run_coroutine_threadsafe(ws.close(), self._loop)

    async def _client(self, log: SocketLog) -> None:
        retry = 0
        for _ in itertools.count():
            url = f"ws://127.0.0.1:{self.port}/ws/feed?format=json" + (f"&after={log.last_id}" if log.last_id else "")
            try:
                async with connect(url, additional_headers={"Authorization": f"Bearer {log.token}"},
                                   open_timeout=10, ping_interval=None, max_queue=None) as ws:
                    log.connects += 1
                    self._open += 1
                    self._current[id(log)] = ws
                    retry = 0
                    try:
                        async for message in ws:
                            data = json.loads(message)
                            if data.get("type") == "activity":
                                event_id = int(data["event"]["id"])
                                log.received.add(event_id)
                                log.last_id = max(log.last_id, event_id)
                    except ConnectionClosed:
                        pass
                    finally:
                        self._open -= 1
                        self._current.pop(id(log), None)
                    code = ws.close_code
                    log.closes.append((self.clock.now(), code))
            except (OSError, InvalidStatus, TimeoutError, ConnectionClosed) as exc:
                log.failed_connects += 1
                log.closes.append((self.clock.now(), f"connect: {type(exc).__name__}"))
            except asyncio.CancelledError:
                return
            # The browser's extension: full jitter, 1 s · 2^n capped at 64 s; kept short here.
            retry += 1
            await asyncio.sleep(random.random() * min(2.0, 0.5 * 2 ** min(retry, 3)))
