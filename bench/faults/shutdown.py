"""Item 16: SIGTERM under load: not ready at once, requests finish, sockets told to come back, tasks kept."""

import json
import signal
import subprocess
import threading
import time

from .common import Outcome, Traffic, window_stats
from .load import request

QUEUE_KEY = "huey.redis.collabhub"  # Huey's list for the queue named "collabhub"


def queue_length(port: int) -> int | None:
    try:
        out = subprocess.run(["redis-cli", "-p", str(port), "llen", QUEUE_KEY], capture_output=True, text=True,
                             timeout=3, check=True).stdout
        return int(out.strip())
    except (subprocess.SubprocessError, OSError, ValueError):
        return None


def worker_ready(port: int, timeout: float = 60) -> bool:
    """Whether a Huey consumer is waiting on the queue (BRPOP) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(["redis-cli", "-p", str(port), "client", "list"], capture_output=True, text=True,
                             check=False).stdout
        if "cmd=brpop" in out:
            return True
        time.sleep(0.2)
    return False


def queue_writes(server, follows: list) -> int:
    """Follows through the API: each queues a notification task. Returns how many were accepted."""
    accepted = 0
    for token, kind, name in follows:
        status, _, _ = server.get("/api/v1/follows/", {"Authorization": f"Bearer {token}",
                                                       "Content-Type": "application/json"},
                                  method="POST", body=json.dumps({kind: name}).encode())
        accepted += status in (200, 201)
    return accepted


def _burst(port: int, paths: list[str], token: str, clock, results: list) -> None:
    """Requests in flight at the moment SIGTERM lands."""
    def one(path):
        started = clock.now()
        status, _, error = request([None], port, "GET", path, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        results.append((started, clock.now() - started, status, error))

    threads = [threading.Thread(target=one, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    return threads


def _stop_task_worker(server) -> tuple:
    """SIGTERM the task worker; its exit code and how long it took."""
    started = time.monotonic()
    server.worker.send_signal(signal.SIGTERM)
    try:
        code = server.worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.worker.kill()
        code = "killed after 30 s"
    return code, round(time.monotonic() - started, 2)


def _restart_worker_and_drain(ctx, server) -> float | None:
    """A new worker finds every queued task: seconds until the queue is empty (None: not within 60 s)."""
    server.start_task_worker()
    started = time.monotonic()
    while time.monotonic() - started < 60:
        if queue_length(ctx.redis.port) == 0:
            return round(time.monotonic() - started, 2)
        time.sleep(0.2)
    return None


def run(ctx) -> Outcome:
    drain = ctx.drain_s
    outcome = Outcome(f"graceful shutdown (SIGTERM, drain {drain:g} s)")
    server = ctx.server(extra_env={"SHUTDOWN_DRAIN_SECONDS": str(drain)}, task_worker=True)
    traffic = Traffic(server, ctx.fx, ctx.rate, ctx.threads, ctx.sockets)
    traffic.start()
    time.sleep(ctx.warmup_s)

    # The task worker goes first (SIGTERM = finish what runs, then exit); writes keep queueing tasks.
    worker_ready(ctx.redis.port)
    worker_code, worker_exit_s = _stop_task_worker(server)
    follows_queued = queue_writes(server, ctx.fx.follows[-10:])
    queued_before = queue_length(ctx.redis.port)

    burst: list = []
    token = ctx.fx.tokens("talent")[0]
    threads = _burst(server.port, [f"/api/v1/search/?q={w}" for w in ctx.fx.skills[:8]], token, traffic.clock, burst)
    time.sleep(0.02)
    open_sockets = traffic.sockets.open_count
    term_at = traffic.clock.now()
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=drain + 30)
    except subprocess.TimeoutExpired:
        pass
    exit_s = traffic.clock.now() - term_at
    for thread in threads:
        thread.join(timeout=30)
    traffic.stop_load()
    end_at = traffic.clock.now()
    time.sleep(1)
    traffic.stop()
    queued_after = queue_length(ctx.redis.port)

    drained_in = _restart_worker_and_drain(ctx, server)
    ctx.stop(server)

    samples = traffic.load.samples
    must_succeed = [s for s in samples if s.start < term_at + drain - 0.25]
    failed_early = [s for s in must_succeed if s.failed]
    burst_failed = [b for b in burst if b[2] == -1 or b[2] >= 500]
    ready = traffic.prober.samples["/ready/"]
    first_503 = next((s for s in ready if s.start >= term_at and s.status == 503), None)
    # Judged by when a probe was sent, not answered: a loaded machine delays answers, not the switch.
    ready_200_late = [s for s in ready if s.start >= term_at + 0.5 and s.status == 200]
    live_in_drain = [s for s in traffic.prober.samples["/live/"] if term_at <= s.start < term_at + drain - 0.5]
    closes = [code for log in traffic.sockets.logs for t, code in log.closes if term_at <= t <= term_at + drain + 2]
    outcome.figures = {
        "task_worker": {"exit_code": worker_code, "exit_s": worker_exit_s},
        "before": window_stats(samples, 0, term_at), "drain": window_stats(samples, term_at, term_at + drain),
        "after_drain": window_stats(samples, term_at + drain, end_at),
        "burst_in_flight": [{"latency_ms": round(b[1] * 1000, 1), "status": b[2], "error": b[3]} for b in burst],
        "server_exit_s": round(exit_s, 2), "server_exit_code": server.process.returncode,
        "ready_503_after_s": round(first_503.start - term_at, 2) if first_503 else None,
        "sockets_open_at_sigterm": open_sockets, "socket_close_codes": closes,
        "queued_tasks": {"follows_written_while_worker_stopped": follows_queued, "before_sigterm": queued_before,
                         "after_exit": queued_after, "drained_in_s": drained_in},
    }
    outcome.check("task worker exits cleanly on SIGTERM", worker_code == 0, f"code {worker_code} in {worker_exit_s} s")
    outcome.check("in-flight and drain-time requests succeed", not failed_early and not burst_failed,
                  f"{len(failed_early)} of {len(must_succeed)} failed, burst {len(burst) - len(burst_failed)}/"
                  f"{len(burst)} ok")
    outcome.check("/ready/ 503 for every probe sent 0.5 s after SIGTERM", first_503 is not None and not ready_200_late,
                  f"first 503 sent {outcome.figures['ready_503_after_s']} s after SIGTERM, "
                  f"{len(ready_200_late)} late 200s")
    outcome.check("/live/ 200 while draining", live_in_drain and all(s.status == 200 for s in live_in_drain),
                  f"{len(live_in_drain)} probes")
    outcome.check("sockets closed with 1012 (service restart)", open_sockets > 0
                  and closes.count(1012) >= open_sockets, f"{open_sockets} open, codes {sorted(set(map(str, closes)))}")
    outcome.check("server exits after drain, within graceful timeout", server.process.returncode == 0
                  and exit_s <= drain + 20, f"{exit_s:.2f} s, code {server.process.returncode}")
    outcome.check("queued tasks survive and run", queued_before is not None and queued_before >= follows_queued > 0
                  and queued_after is not None and queued_after >= queued_before and drained_in is not None,
                  f"{queued_before} queued before SIGTERM, {queued_after} after exit, drained in {drained_in} s")
    return outcome
