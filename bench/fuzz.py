"""The long fuzzing run (issue 10, item 12): schemathesis with every check, --examples cases per
API operation (default 200), and hypothesis strings into every form and htmx route.

    .venv/bin/python bench/fuzz.py [--examples 200] [--form-examples 50] [--postgres URL --redis URL]

CI runs the same tests with small numbers (tests/test_security_fuzz_*.py); this prints the totals
(cases tried, 5xx, findings) that the README quotes.
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="cases per API operation")
    parser.add_argument("--form-examples", type=int, default=50, help="cases per form / htmx route")
    parser.add_argument("--postgres", help="TEST_DATABASE_URL to fuzz on PostgreSQL")
    parser.add_argument("--redis", help="TEST_REDIS_URL to fuzz with Redis")
    args = parser.parse_args()
    env = os.environ | {"FUZZ_EXAMPLES": str(args.examples), "FORM_FUZZ_EXAMPLES": str(args.form_examples)}
    if args.postgres:
        env["TEST_DATABASE_URL"] = args.postgres
    if args.redis:
        env["TEST_REDIS_URL"] = args.redis
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s", "-q",
               "tests/test_security_fuzz_api.py", "tests/test_security_fuzz_forms.py"]
    result = subprocess.run(command, check=False, cwd=ROOT, env=env, capture_output=True, text=True)
    summary = [line for line in result.stdout.splitlines()
               if re.match(r"^(API fuzz|form fuzz):|^\d+ (passed|failed)", line.strip())]
    print("\n".join(summary) or result.stdout[-3000:])
    if result.returncode:
        print(result.stdout[-6000:], result.stderr[-2000:], sep="\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
