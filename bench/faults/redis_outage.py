"""Item 14: Redis goes away under load (stopped, or frozen with SIGSTOP) and comes back."""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from .common import (
    Outcome,
    Traffic,
    latest_event_id,
    lost_events,
    visible_events_after,
    wait_for_catch_up,
    window_stats,
)

LOGIN_LIMIT = 5  # per minute, per client address: the run sets LOGIN_RATE_LIMIT to this
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def login_attempts(base_url: str, attempts: int) -> list[int]:
    """Wrong-password log-ins through the real form (with its CSRF token); their statuses."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "/login", timeout=10).read().decode()
    match = CSRF.search(page)
    token = (match.group(1) or match.group(2)) if match else ""
    statuses = []
    for _ in range(attempts):
        form = urllib.parse.urlencode({"username": "nobody-at-all", "password": "wrong-password",
                                       "csrf_token": token}).encode()
        request = urllib.request.Request(base_url + "/login", data=form, headers={"X-CSRFToken": token})
        try:
            with opener.open(request, timeout=10) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
        except OSError:
            statuses.append(-1)
    return statuses


def run(ctx, mode: str) -> Outcome:
    """`mode` is "stop" (refused connections) or "pause" (connections hang: timeouts are what save us)."""
    outcome = Outcome(f"redis outage ({mode}, {ctx.redis_outage_s:g} s)")
    server = ctx.server(extra_env={"LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute"})
    traffic = Traffic(server, ctx.fx, ctx.rate, ctx.threads, ctx.sockets)
    baseline = latest_event_id(ctx.database_url)
    traffic.start()
    time.sleep(ctx.warmup_s)
    out_at = traffic.clock.now()
    ctx.redis.stop() if mode == "stop" else ctx.redis.pause()
    time.sleep(min(3.0, ctx.redis_outage_s / 3))
    workers = int(server.env["WEB_CONCURRENCY"])
    statuses = login_attempts(server.base_url, workers * LOGIN_LIMIT + 3)
    remaining = ctx.redis_outage_s - (traffic.clock.now() - out_at)
    time.sleep(max(0.0, remaining))
    back_at = traffic.clock.now()
    ctx.redis.start() if mode == "stop" else ctx.redis.resume()
    time.sleep(ctx.after_s)
    traffic.stop_load()
    end_at = traffic.clock.now()
    expected = visible_events_after(server, traffic.truth_token, baseline)
    catch_up_s = wait_for_catch_up(traffic.sockets, expected, timeout=20)
    lost = lost_events(traffic.sockets, expected)
    traffic.stop()
    ctx.stop(server)

    samples = traffic.load.samples
    before, during = window_stats(samples, 0, out_at), window_stats(samples, out_at, back_at)
    after = window_stats(samples, back_at, end_at)
    live = traffic.prober.samples["/live/"]
    closes = [(t, code) for log in traffic.sockets.logs for t, code in log.closes if t < end_at]
    first_429 = statuses.index(429) + 1 if 429 in statuses else None
    outcome.figures = {
        "before": before, "during_outage": during, "after": after,
        "login_attempts_during_outage": statuses,
        "socket_closes": closes, "events": lost, "catch_up_s": catch_up_s,
        "live_not_200": sum(s.status != 200 for s in live), "live_samples": len(live),
    }
    total_failed = before["failed"] + during["failed"] + after["failed"]
    outcome.check("no failed requests", total_failed == 0,
                  f"{total_failed} of {before['requests'] + during['requests'] + after['requests']}")
    # Bounded by the 0.5 s Redis timeouts; the machine's own noise is allowed for with the "before" p95.
    bound = max((before["p95_ms"] or 0) + 1000, 2 * (before["p95_ms"] or 0))
    outcome.check("p95 during the outage ≤ max(p95 before + 1 s, 2 × p95 before)", (during["p95_ms"] or 0) <= bound,
                  f"p95 {during['p95_ms']} ms (before {before['p95_ms']} ms), max {during['max_ms']} ms")
    outcome.check("log-in limit enforced while Redis is down", first_429 is not None
                  and first_429 <= workers * LOGIN_LIMIT + 1,
                  f"first 429 at attempt {first_429} (limit {LOGIN_LIMIT}/min per worker, {workers} workers)")
    outcome.check("/live/ 200 throughout", outcome.figures["live_not_200"] == 0, f"{len(live)} probes")
    outcome.check("sockets stay up", not closes, f"{len(closes)} closes")
    outcome.check("no events lost (sockets caught up)", lost["lost_total"] == 0,
                  f"{lost['expected']} events × {len(traffic.sockets.logs)} sockets, {lost['lost_total']} missing, "
                  f"caught up {catch_up_s} s after the load stopped")
    return outcome
