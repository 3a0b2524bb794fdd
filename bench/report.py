"""Turn a run's results into ratios to /live/, a target table with pass/miss, JSON and Markdown."""

import json
import math
from pathlib import Path

from .scenarios import RECOMMENDATION_KINDS

PASS, MISS, NA = "pass", "miss", "n/a"


def ratio(value: float | None, base: float | None) -> float | None:
    """value / base rounded to 3 places, or None when either is missing or the base is zero."""
    if value is None or not base:
        return None
    return round(value / base, 3)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile of `values` (share in 0–100), or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(share / 100 * len(ordered)) - 1))
    return ordered[index]


def live_baseline(samples: list[dict]) -> dict:
    """Average the /live/ runs of one concurrency (measured before and after the scenarios)."""
    if not samples:
        return {}
    return {"rps": round(sum(s["rps"] for s in samples) / len(samples), 1),
            "drift": ratio(samples[-1]["rps"], samples[0]["rps"]) if len(samples) > 1 else None}


def add_ratios(results: dict) -> None:
    """Give every measured scenario run its throughput as a share of /live/ at the same concurrency."""
    baseline = results.get("baseline", {})
    for scenario in results["scenarios"]:
        for concurrency, run in scenario.get("runs", {}).items():
            base = run.get("live_rps") or baseline.get(str(concurrency), {}).get("rps")
            run["ratio_to_live"] = ratio(run.get("ok_rps", run.get("rps")), base)


def _run(results: dict, name: str, concurrency: int = 1) -> dict | None:
    for scenario in results["scenarios"]:
        if scenario["name"] == name and scenario["status"] == "ok":
            return scenario["runs"].get(str(concurrency))
    return None


def _latency(results, name, p50=None, p95=None) -> tuple[str, str]:
    run = _run(results, name)
    if run is None:
        return "not measured", NA
    if run.get("p50_ms") is None:
        return run.get("note", "no response"), MISS
    ok = (p50 is None or run["p50_ms"] <= p50) and (p95 is None or run["p95_ms"] <= p95)
    return f"p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms", PASS if ok else MISS


def evaluate_targets(results: dict) -> list[dict]:
    """The issue's targets, each with what this run measured and pass / miss / n/a."""
    rows = []

    def add(measure, target, measured_and_verdict):
        measured, verdict = measured_and_verdict
        rows.append({"measure": measure, "target": target, "measured": measured, "result": verdict})

    add("feed page, single request (cold)", "p50 ≤ 5 ms, p95 ≤ 15 ms",
        _latency(results, "feed page 1 · API · cold", 5, 15))
    add(f"feed page {results.get('meta', {}).get('feed_depth') or 500} deep vs page 1 (p50)", "≤ 1.2×",
        _depth_ratio(results))
    cached = _run(results, "feed page 1 · API · cached", 32)
    share = cached and cached.get("ratio_to_live")
    add("feed throughput (cached, c=32)", "≥ 50 % of /live/",
        (f"{cached['ok_rps']} req/s = {round(share * 100)} % of /live/", PASS if share >= 0.5 else MISS)
        if share else ("not measured", NA))
    for kind, limit in (("typical", 15), ("prefix", 15), ("typo", 25)):
        add(f"search {kind}, single request (cold)", f"p95 ≤ {limit} ms",
            _latency(results, f"search {kind} · cold", p95=limit))
    for kind, _ in RECOMMENDATION_KINDS:
        add(f"recommendations {kind} (cold)", "p95 ≤ 50 ms", _latency(results, f"recs {kind} · cold", p95=50))
        add(f"recommendations {kind} (cached)", "p95 ≤ 3 ms", _latency(results, f"recs {kind} · cached", p95=3))
    writes = results.get("writes") or {}
    if writes.get("ok_per_s") is not None:
        add("writes with their events (c=32)", "≥ 1,000 per second",
            (f"{writes['ok_per_s']} writes/s, {writes.get('events_per_s')} events/s",
             PASS if writes["ok_per_s"] >= 1000 else MISS))
    else:
        add("writes with their events (c=32)", "≥ 1,000 per second", ("not measured", NA))
    add("websockets on one machine", "10,000 held, p99 delivery ≤ 1 s, ≤ 0.25 MB each", _ws_verdict(results))
    growth = results.get("growth_max_ratio")
    add("growth small → large, every read (p50)", "≤ 1.3×",
        (f"worst {growth}×", PASS if growth <= 1.3 else MISS) if growth else ("not measured", NA))
    return rows


def _depth_ratio(results: dict) -> tuple[str, str]:
    """Deep page over page 1, cold when both cold runs answered, else cached."""
    for cache in ("cold", "cached"):
        first = _run(results, f"feed page 1 · API · {cache}")
        deep = _run(results, f"feed page 500 · API · {cache}")
        r = ratio(deep and deep["p50_ms"], first and first["p50_ms"])
        if r is not None:
            return f"{r}× ({cache})", PASS if r <= 1.2 else MISS
    return "not measured", NA


def _ws_verdict(results: dict) -> tuple[str, str]:
    runs = [r for r in (results.get("websockets") or []) if r.get("status") == "ok"]
    if not runs:
        skipped = (results.get("websockets") or [{}])[0].get("status", "not run")
        return skipped, NA
    best = max(runs, key=lambda r: r["sockets"])
    text = (f"{best['connected']}/{best['sockets']} held, p99 {best.get('p99_ms')} ms, "
            f"{best.get('mb_per_socket')} MB each")
    ok = (best["connected"] >= 10_000 and (best.get("p99_ms") or 1e9) <= 1000
          and (best.get("mb_per_socket") or 1e9) <= 0.25)
    return text, PASS if ok else MISS


def _fmt(value, suffix: str = "") -> str:
    return "–" if value is None else f"{value}{suffix}"


def markdown(results: dict) -> str:
    """The README-ready tables: machine, scenarios with ratios, targets, growth, websockets."""
    meta = results["meta"]
    lines = [
        f"### CollabHub benchmark — {meta['date']}, scale `{meta['scale']}` ({meta['database']})",
        "",
        f"Machine: {meta['machine']}. Server: {meta['server']}. Load: wrk, {meta['duration_s']} s per run, "
        f"concurrency 1 (latency) and 32 (throughput). Data: {meta.get('data', '')}.",
        "",
        "| scenario | c | n | req/s | × /live/ | p50 ms | p95 ms | p99 ms | non-2xx | status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    baseline = results.get("baseline", {})
    for concurrency in ("1", "32"):
        if concurrency in baseline:
            lines.append(f"| /live/ (baseline) | {concurrency} | | {baseline[concurrency]['rps']} | 1.0 | "
                         f"| | | | drift {_fmt(baseline[concurrency].get('drift'), '×')} |")
    for scenario in results["scenarios"]:
        if scenario["status"] != "ok":
            lines.append(f"| {scenario['name']} | | | | | | | | | {scenario['status']} |")
            continue
        for concurrency, run in scenario["runs"].items():
            bad = sum(n for code, n in run["statuses"].items() if not 200 <= int(code) < 400)
            lines.append(f"| {scenario['name']} | {concurrency} | {run['requests']} | {run['ok_rps']} | "
                         f"{_fmt(run.get('ratio_to_live'))} | {_fmt(run['p50_ms'])} | {_fmt(run['p95_ms'])} | "
                         f"{_fmt(run['p99_ms'])} | {bad} | {_status(run)} |")
    lines += ["", "| measure | target | measured | result |", "|---|---|---|---|"]
    lines += [f"| {t['measure']} | {t['target']} | {t['measured']} | **{t['result']}** |" for t in results["targets"]]
    if results.get("growth"):
        lines += ["", growth_markdown(results["growth"])]
    if results.get("websockets"):
        lines += ["", "| sockets | connected | events | p50 ms | p99 ms | MB per socket | status |",
                  "|---:|---:|---:|---:|---:|---:|---|"]
        for ws in results["websockets"]:
            lines.append(f"| {ws.get('sockets')} | {_fmt(ws.get('connected'))} | {_fmt(ws.get('events'))} | "
                         f"{_fmt(ws.get('p50_ms'))} | {_fmt(ws.get('p99_ms'))} | {_fmt(ws.get('mb_per_socket'))} | "
                         f"{ws.get('status')} |")
    return "\n".join(lines) + "\n"


def _status(run: dict) -> str:
    if run.get("note"):
        return run["note"]
    cold = run.get("cold_share")
    return "ok" if cold is None or cold >= 1 else f"ok, {round(cold * 100)} % cold"


def growth_markdown(growth: dict) -> str:
    """p50 of each read at every scale side by side, with large / small."""
    scales = growth["scales"]
    lines = ["| read (c=1, p50 ms) | " + " | ".join(scales) + " | large / small |",
             "|---|" + "---:|" * (len(scales) + 1)]
    for row in growth["rows"]:
        cells = [_fmt(row["p50_ms"].get(scale)) for scale in scales]
        lines.append(f"| {row['name']} | " + " | ".join(cells) + f" | {_fmt(row.get('ratio'), '×')} |")
    return "\n".join(lines)


def growth_table(per_scale: dict) -> dict:
    """Combine {scale: results} into rows of p50 per scale and the large/small ratio."""
    scales = list(per_scale)
    names = []
    for results in per_scale.values():
        names += [s["name"] for s in results["scenarios"] if s.get("growth") and s["name"] not in names]
    rows = []
    for name in names:
        p50 = {}
        for scale, results in per_scale.items():
            run = _run(results, name)
            p50[scale] = run["p50_ms"] if run else None
        first, last = p50.get(scales[0]), p50.get(scales[-1])
        rows.append({"name": name, "p50_ms": p50, "ratio": ratio(last, first)})
    ratios = [row["ratio"] for row in rows if row["ratio"] is not None]
    return {"scales": scales, "rows": rows, "max_ratio": max(ratios) if ratios else None}


def write_report(results: dict, directory: Path, stem: str) -> tuple[Path, Path]:
    """Write <stem>.json and <stem>.md; return both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / f"{stem}.json", directory / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    md_path.write_text(markdown(results))
    return json_path, md_path
