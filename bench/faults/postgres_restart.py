"""Item 15: PostgreSQL stops (fast shutdown: every session ended), stays down a while, comes back."""

import time

from .common import (
    Outcome,
    Traffic,
    latest_event_id,
    lost_events,
    visible_events_after,
    wait_for_catch_up,
    window_stats,
)

GRACE_S = 1.0  # failures allowed this long after PostgreSQL accepts connections again


def run(ctx) -> Outcome:
    outcome = Outcome(f"postgresql restart (down {ctx.pg_down_s:g} s)")
    server = ctx.server()
    traffic = Traffic(server, ctx.fx, ctx.rate, ctx.threads, ctx.sockets)
    baseline = latest_event_id(ctx.database_url)
    traffic.start()
    time.sleep(ctx.warmup_s)
    stop_at = traffic.clock.now()
    ctx.pg.stop("fast")
    down_at = traffic.clock.now()
    time.sleep(ctx.pg_down_s)
    start_at = traffic.clock.now()
    ctx.pg.start()
    up_at = traffic.clock.now()
    time.sleep(ctx.after_s)
    traffic.stop_load()
    end_at = traffic.clock.now()
    expected = visible_events_after(server, traffic.truth_token, baseline)
    catch_up_s = wait_for_catch_up(traffic.sockets, expected, timeout=30)
    lost = lost_events(traffic.sockets, expected)
    traffic.stop()
    ctx.stop(server)

    samples = traffic.load.samples
    failed = [s for s in samples if s.failed and s.start < end_at]
    outside = [s for s in failed if not (stop_at <= s.start + s.latency and s.start <= up_at + GRACE_S)]
    last_failure_end = max((s.start + s.latency for s in failed), default=up_at)
    recovery_s = max(0.0, last_failure_end - up_at)
    live = [s for s in traffic.prober.samples["/live/"] if s.start < end_at]
    ready = traffic.prober.samples["/ready/"]
    ready_down = [s for s in ready if down_at + 0.5 <= s.start and s.start + s.latency <= start_at]
    ready_after = [s for s in ready if s.start >= up_at and s.status == 200]
    ready_back_s = (ready_after[0].start - up_at) if ready_after else None
    ready_late = [s for s in ready if s.start >= up_at + 5 and s.start < end_at and s.status != 200]
    outcome.figures = {
        "timeline_s": {"stop": round(stop_at, 2), "down": round(down_at, 2), "start": round(start_at, 2),
                       "up": round(up_at, 2), "end": round(end_at, 2)},
        "before": window_stats(samples, 0, stop_at), "outage": window_stats(samples, stop_at, up_at),
        "after": window_stats(samples, up_at, end_at),
        "failed_total": len(failed), "failed_outside_window": len(outside),
        "failed_kinds": sorted({f"{s.status} {s.error}".strip() for s in failed})[:6],
        "recovery_s": round(recovery_s, 2),
        "live_latency_max_ms": round(max((s.latency for s in live), default=0) * 1000, 1),
        "ready_while_down": sorted({s.status for s in ready_down}), "ready_back_after_s":
            round(ready_back_s, 2) if ready_back_s is not None else None,
        "socket_closes": [(round(t, 2), code) for log in traffic.sockets.logs for t, code in log.closes][:20],
        "events": lost, "catch_up_s": catch_up_s,
    }
    outcome.check("failures only while PostgreSQL is down", not outside,
                  f"{len(failed)} failed, {len(outside)} outside [stop, up + {GRACE_S:g} s]")
    outcome.check("recovers within 5 s", recovery_s <= 5, f"last failure {recovery_s:.2f} s after it was back")
    outcome.check("/live/ 200 throughout", all(s.status == 200 for s in live), f"{len(live)} probes")
    outcome.check("/ready/ 503 while down", bool(ready_down) and all(s.status == 503 for s in ready_down),
                  f"{len(ready_down)} probes: {sorted({s.status for s in ready_down})}")
    outcome.check("/ready/ 200 again within 5 s", ready_back_s is not None and ready_back_s <= 5 and not ready_late,
                  f"after {outcome.figures['ready_back_after_s']} s")
    outcome.check("no events lost (sockets caught up)", lost["lost_total"] == 0,
                  f"{lost['expected']} events, {lost['lost_total']} missing, caught up in {catch_up_s} s")
    return outcome
