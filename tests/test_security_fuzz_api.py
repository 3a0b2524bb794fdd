"""Fuzz the JSON API from its own OpenAPI document (issue 10, item 12) with schemathesis: every
operation, every check (no 5xx, documented status codes and content types, responses match the
schema, bad input refused). FUZZ_EXAMPLES sets the cases per operation (bench/fuzz.py runs 200+;
CI keeps it small)."""

import os

import schemathesis
from hypothesis import HealthCheck, given, settings

from .security_world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
# Every check is on. One adjustment: a schema-valid body may still be refused with 422 when it breaks
# a rule JSON Schema cannot say (cheque_min ≤ cheque_max, exactly one of user/startup, a web URL,
# a tag's characters, a reference to something that does not exist, an opaque cursor that is not ours)
# — with a field message; SPEC §3.4 pins a clear 400 for a search query it cannot run.
CONFIG = schemathesis.Config.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "422", "429"]}}})


def fuzz_api(app, examples: int, token: str) -> dict:
    """Run `examples` generated cases against every operation; return counts and findings."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
    tally = {"operations": 0, "cases": 0, "server_errors": 0, "findings": {}}
    for result in schema.get_all_operations():
        tally["operations"] += 1
        if not hasattr(result, "ok"):
            tally["findings"][f"schema error {tally['operations']}"] = repr(result.err())[:600]
            continue
        operation = result.ok()
        _fuzz_operation(operation, examples, token, tally)
    return tally


def _fuzz_operation(operation, examples: int, token: str, tally: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        tally["cases"] += 1
        headers = {"Authorization": f"Bearer {token}"}
        response = case.call(headers=headers)
        if response.status_code >= 500:
            tally["server_errors"] += 1
        try:
            case.validate_response(response, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every finding, the first per operation
            tally["findings"].setdefault(operation.label, f"{type(exc).__name__}: {str(exc)[:600]}")

    run()


def test_every_api_operation_holds_up_under_fuzzing(app, capsys):
    world = build_world()
    tally = fuzz_api(app, EXAMPLES, world.tokens["founder"])
    with capsys.disabled():
        print(f"\nAPI fuzz: {tally['operations']} operations, {tally['cases']} cases, "
              f"{tally['server_errors']} 5xx, {len(tally['findings'])} operations with findings")
    assert tally["operations"] >= 20
    assert tally["server_errors"] == 0
    assert tally["findings"] == {}, "\n\n".join(f"{k}: {v}" for k, v in tally["findings"].items())
