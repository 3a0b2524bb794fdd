"""The benchmark's report: wrk output parsing, ratios to /live/, targets, Markdown, scenarios."""

import pytest

from bench import report
from bench.fixtures import Fixtures
from bench.scenarios import SCENARIOS, Context, build_requests, query_pool, write_requests
from bench.wrkdriver import Request, parse_output

WRK_LINE = ('BENCHJSON {"requests": 3000, "duration_us": 2000000, "p50_us": 1500, "p90_us": 4000, '
            '"p95_us": 6000, "p99_us": 12000, "max_us": 30000, "mean_us": 2000.0, "errors": {"connect": 0, '
            '"read": 0, "write": 0, "status": 10, "timeout": 2}, "statuses": {"200": 2990, "409": 10}}')


def _run(ok_rps, p50=1.0, p95=2.0, live=None):
    return {"requests": 10, "ok_rps": ok_rps, "rps": ok_rps, "p50_ms": p50, "p95_ms": p95, "p99_ms": p95,
            "live_rps": live, "statuses": {"200": 10}}


def _results(scenarios, **extra):
    return {"meta": {"date": "2026-11-29", "scale": "large", "database": "postgresql", "machine": "2 CPUs",
                     "server": "gunicorn", "duration_s": 3},
            "baseline": {"32": {"rps": 10000.0}, "1": {"rps": 1000.0}}, "scenarios": scenarios, **extra}


def _scenario(name, runs, status="ok", growth=False):
    return {"name": name, "status": status, "runs": runs, "growth": growth}


def test_parse_output_reads_the_lua_summary():
    result = parse_output("Running 2s test\n" + WRK_LINE + "\n")
    assert result["rps"] == 1500.0
    assert result["ok_rps"] == 1495.0  # the 409s are not counted as served writes
    assert (result["p50_ms"], result["p95_ms"], result["p99_ms"]) == (1.5, 6.0, 12.0)
    assert result["socket_errors"] == {"timeout": 2}


def test_parse_output_without_a_summary_is_an_error():
    with pytest.raises(RuntimeError):
        parse_output("unable to connect to 127.0.0.1:8601 Connection refused")


def test_request_lines_refuse_tabs_and_newlines():
    assert Request("GET", "/a", (("X", "1"), ("Y", "2"))).line() == "GET\t/a\tX: 1\x1fY: 2\t"
    with pytest.raises(ValueError):
        Request("POST", "/a", (), "two\nlines").line()


def test_ratio_uses_the_live_run_beside_each_measurement():
    assert report.ratio(50, 200) == 0.25
    assert report.ratio(None, 10) is None and report.ratio(5, 0) is None
    results = _results([_scenario("x", {"32": _run(3000, live=6000), "1": _run(400)})])
    report.add_ratios(results)
    runs = results["scenarios"][0]["runs"]
    assert runs["32"]["ratio_to_live"] == 0.5  # the adjacent /live/ run, not the global baseline
    assert runs["1"]["ratio_to_live"] == 0.4  # no adjacent run: the baseline of the same concurrency


def test_targets_pass_miss_and_not_measured():
    results = _results([
        _scenario("feed page 1 · API · cold", {"1": _run(200, p50=4.0, p95=14.0)}),
        _scenario("feed page 500 · API · cold", {"1": _run(150, p50=6.0, p95=20.0)}),
        _scenario("feed page 1 · API · cached", {"32": _run(6000, live=10000)}),
        _scenario("search typo · cold", {}, status="skipped (404)"),
    ], writes={"ok_per_s": 800.0, "events_per_s": 700.0})
    report.add_ratios(results)
    verdicts = {row["measure"]: row["result"] for row in report.evaluate_targets(results)}
    assert verdicts["feed page, single request (cold)"] == report.PASS
    assert verdicts["feed page 500 deep vs page 1 (p50)"] == report.MISS  # 1.5×
    assert verdicts["feed throughput (cached, c=32)"] == report.PASS  # 60 % of /live/
    assert verdicts["search typo, single request (cold)"] == report.NA
    assert verdicts["writes with their events (c=32)"] == report.MISS
    assert verdicts["websockets on one machine"] == report.NA


def test_markdown_lists_skipped_scenarios_and_the_target_column():
    results = _results([_scenario("health", {}, status="skipped (404)"),
                        _scenario("startups page", {"1": _run(90.5), "32": _run(300.0, live=1000)})])
    report.add_ratios(results)
    results["targets"] = report.evaluate_targets(results)
    text = report.markdown(results)
    assert "| health | | | | | | | | | skipped (404) |" in text
    assert "| startups page | 32 | 10 | 300.0 | 0.3 |" in text
    assert "| feed page, single request (cold) | p50 ≤ 5 ms, p95 ≤ 15 ms | not measured | **n/a** |" in text


def test_a_run_without_a_single_response_is_a_miss_not_zero_ms():
    silent = _run(0) | {"requests": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                        "note": "no response within 3 s"}
    results = _results([_scenario("feed page 1 · API · cold", {"1": silent}),
                        _scenario("feed page 500 · API · cold", {"1": _run(5)})])
    rows = {row["measure"]: row for row in report.evaluate_targets(results)}
    assert rows["feed page, single request (cold)"]["result"] == report.MISS
    assert rows["feed page, single request (cold)"]["measured"] == "no response within 3 s"
    assert rows["feed page 500 deep vs page 1 (p50)"]["result"] == report.NA
    results["targets"] = list(rows.values())
    assert "| feed page 1 · API · cold | 1 | 0 | 0 | – | – | – | – | 0 | no response within 3 s |" in (
        report.markdown(results))


def test_depth_falls_back_to_cached_pages_when_a_cold_page_never_answered():
    silent = _run(0) | {"requests": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None}
    results = _results([_scenario("feed page 1 · API · cold", {"1": silent}),
                        _scenario("feed page 500 · API · cold", {"1": _run(1, p50=2800.0)}),
                        _scenario("feed page 1 · API · cached", {"1": _run(40, p50=20.0)}),
                        _scenario("feed page 500 · API · cached", {"1": _run(40, p50=21.0)})],
                       meta={"date": "d", "scale": "large", "database": "postgresql", "machine": "m",
                             "server": "s", "duration_s": 3, "feed_depth": 500})
    rows = {row["measure"]: row for row in report.evaluate_targets(results)}
    assert rows["feed page 500 deep vs page 1 (p50)"]["measured"] == "1.05× (cached)"
    assert rows["feed page 500 deep vs page 1 (p50)"]["result"] == report.PASS


def test_growth_table_compares_large_with_small():
    per_scale = {
        scale: _results([_scenario("startups page", {"1": _run(1, p50=p50)}, growth=True),
                         _scenario("health", {"1": _run(1)}, growth=False)])
        for scale, p50 in (("small", 2.0), ("medium", 2.2), ("large", 3.0))
    }
    growth = report.growth_table(per_scale)
    assert [row["name"] for row in growth["rows"]] == ["startups page"]
    assert growth["rows"][0]["ratio"] == 1.5 and growth["max_ratio"] == 1.5
    assert "| startups page | 2.0 | 2.2 | 3.0 | 1.5× |" in report.growth_markdown(growth)


def test_query_pools_are_distinct_and_look_like_their_kind():
    skills = ["python", "postgresql", "kubernetes", "growth-marketing", "fintech compliance"]
    prefixes, typos = query_pool("prefix", skills), query_pool("typo", skills)
    assert "pyt" in prefixes and "postg" in prefixes
    assert "pyhton" in typos and "python" not in typos
    assert len(set(query_pool("typical", skills))) == len(query_pool("typical", skills))


def test_cold_scenarios_send_each_viewer_once_and_cached_ones_repeat_one():
    fx = Fixtures(viewers={"talent": [(i, f"u{i}", f"tok{i}") for i in range(5)]}, hub_user_id=9)
    ctx = Context(fixtures=fx)
    cold = next(s for s in SCENARIOS if s.name == "user activity · API · cold")
    cached = next(s for s in SCENARIOS if s.name == "user activity · API · cached")
    first, replay = build_requests(cold, ctx)
    assert first.path == "/api/v1/users/9/activity/"
    assert len({r.headers for r in replay}) == 4 and first not in replay
    assert cold.concurrencies == (1,) and cached.concurrencies == (1, 32)
    _, repeated = build_requests(cached, ctx)
    assert len(repeated) == 1


def test_write_mix_interleaves_each_kind_of_write():
    fx = Fixtures(applies=[("t", n) for n in range(8)], follows=[("t", "user", f"u{n}") for n in range(6)],
                  unfollows=[("t", "user", f"v{n}") for n in range(4)], posts=[("t", "acme-1")] * 2)
    mixed = write_requests(fx)
    assert len(mixed) == 20
    first_round = [(r.method, r.path.split("/")[3]) for r in mixed[:10]]
    assert first_round.count(("POST", "opportunities")) == 5  # 4 applications + 1 new opportunity
    assert first_round.count(("POST", "follows")) == 3 and first_round.count(("DELETE", "follows")) == 2


def test_percentile_nearest_rank():
    values = list(range(1, 101))
    assert report.percentile(values, 50) == 50 and report.percentile(values, 99) == 99
    assert report.percentile([], 50) is None
