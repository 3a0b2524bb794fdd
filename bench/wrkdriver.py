"""Drive a closed-loop load with wrk and a Lua script that replays prepared requests."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk" / "scenario.lua"
HEADER_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Request:
    """One HTTP request as wrk will send it."""

    method: str
    path: str
    headers: tuple = ()  # ((name, value), …)
    body: str = ""

    def line(self) -> str:
        headers = HEADER_SEPARATOR.join(f"{name}: {value}" for name, value in self.headers)
        for part in (self.method, self.path, headers, self.body):
            if "\t" in part or "\n" in part:
                raise ValueError(f"tab or newline in a request part: {part!r}")
        return "\t".join((self.method, self.path, headers, self.body))


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def parse_output(stdout: str) -> dict:
    """Turn the BENCHJSON line printed by scenario.lua into a result in ms and req/s."""
    for line in stdout.splitlines():
        if line.startswith("BENCHJSON "):
            raw = json.loads(line[len("BENCHJSON "):])
            break
    else:
        raise RuntimeError(f"wrk printed no result:\n{stdout[-2000:]}")
    seconds = raw["duration_us"] / 1e6 or 1e-9
    statuses = {int(code): count for code, count in raw["statuses"].items()}
    ok = sum(count for code, count in statuses.items() if 200 <= code < 400)
    return {
        "requests": raw["requests"],
        "duration_s": round(seconds, 3),
        "rps": round(raw["requests"] / seconds, 1),
        "ok_rps": round(ok / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "statuses": statuses,
        "socket_errors": {k: v for k, v in raw["errors"].items() if v and k != "status"},
    }


def run_wrk(base_url: str, requests: list[Request], connections: int, duration: float, timeout: float = 10) -> dict:
    """Replay `requests` (round-robin) with `connections` connections for `duration` seconds."""
    threads = 1 if connections == 1 else 2
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.write("\n".join(request.line() for request in requests) + "\n")
        path = handle.name
    try:
        env = dict(os.environ, BENCH_REQUESTS=path, BENCH_THREADS=str(threads))
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
                   f"--timeout={int(timeout)}s", "-s", str(LUA_SCRIPT), base_url]
        completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 60,
                                   check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr[-2000:]}")
        result = parse_output(completed.stdout)
    finally:
        os.unlink(path)
    result.update(concurrency=connections, distinct_requests=len(requests))
    if result["requests"] == 0:
        # Not one answer within the run: wrk's zero percentiles would read as "instant".
        result.update(p50_ms=None, p90_ms=None, p95_ms=None, p99_ms=None, max_ms=None,
                      note=f"no response within {max(1, round(duration))} s")
    return result
