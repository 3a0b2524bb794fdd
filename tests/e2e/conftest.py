"""Real-browser tests: Debian's Chromium driven by Playwright against gunicorn, as in production.

One server for the whole e2e package (started once, torn down before the unit tests run):
- embedded default (SQLite, in-process cache/broker/tasks, one gevent worker) normally;
- PostgreSQL + Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set (as in CI): a separate
  database `<test database>_e2e`, two gevent workers fanning out through Redis pub/sub and a
  `flask worker` process running the task queue (notifications) — the production shape.

Every browser context records the requests it makes; a test fails if any goes to another
origin. On failure each open page is saved as tests/e2e/artifacts/<test>-<n>.png.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "collabhub-demo"
PASSWORD = "e2e-password-123"

playwright = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)

# Chromium flags (Playwright itself adds --headless --no-sandbox --disable-dev-shm-usage):
# no background traffic to Google, so "no request to another origin" is about the app alone.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def _e2e_database(url: str) -> str:
    """Create (or empty) `<name>_e2e` beside the unit tests' database; return its URL."""
    from sqlalchemy import create_engine, text  # noqa: PLC0415 - PostgreSQL runs only

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_e2e"
    admin = create_engine(urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    e2e_url = urlunsplit(parts._replace(path="/" + name))
    engine = create_engine(e2e_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return e2e_url


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            urllib.request.urlopen(base + "/live/", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /live/ within 30 s")


@pytest.fixture(scope="package")
def live_server(tmp_path_factory):
    """Migrate, seed the demo community and serve it with gunicorn (and the worker with Redis)."""
    port = _free_port()
    instance = tmp_path_factory.mktemp("instance")
    env = dict(os.environ, INSTANCE_PATH=str(instance), PORT=str(port), RATELIMIT_ENABLED="false",
               SECRET_KEY="e2e-secret-key", LOG_LEVEL="WARNING", SHUTDOWN_DRAIN_SECONDS="0")
    for name in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "BIND", "HOST"):
        env.pop(name, None)
    database_url, redis_url = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if database_url:
        env["DATABASE_URL"] = _e2e_database(database_url)
    if redis_url:
        import redis  # noqa: PLC0415 - Redis runs only

        redis.Redis.from_url(redis_url).flushdb()
        env["REDIS_URL"] = redis_url
    _flask(env, "db", "upgrade")
    seeded = _flask(env, "seed-demo")
    logins = dict(re.findall(r"^(\w+) login: (\S+)$", seeded, re.MULTILINE))
    log = open(instance / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    processes = [subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)]
    if redis_url:
        processes.append(subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "worker"], cwd=ROOT, env=env,
                                          stdout=log, stderr=subprocess.STDOUT))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, processes[0])
        yield {"base": base, "env": env, "logins": logins, "log": instance / "gunicorn.log"}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


@pytest.fixture(scope="package")
def browser():
    with playwright.sync_playwright() as driver:
        # E2E_HEADED=1 shows the window (needs a display), E2E_SLOWMO=<ms> slows every action down.
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                          headless=not os.environ.get("E2E_HEADED"),
                                          slow_mo=float(os.environ.get("E2E_SLOWMO") or 0))
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server, request):
    """Open browser contexts (independent cookie jars); screenshots and origin checks at the end."""
    contexts, foreign = [], []
    origin = urlsplit(live_server["base"]).netloc

    def record(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != origin:
            foreign.append(url)

    def open_context(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=live_server["base"], **options)
        context.set_default_timeout(10_000)
        context.on("request", lambda req: record(req.url))
        context.on("page", lambda page: page.on("websocket", lambda ws: record(ws.url)))
        contexts.append(context)
        return context

    yield open_context
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = 0
        for context in contexts:
            for page in context.pages:
                shot += 1
                name = re.sub(r"[^\w.-]+", "_", request.node.name)
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{shot}.png"), full_page=True)
                except playwright.Error:
                    pass
    for context in contexts:
        context.close()
    assert not foreign, f"requests to another origin: {foreign[:5]}"


@pytest.fixture
def page(new_context):
    context = new_context()
    return context.new_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def api(live_server, username: str, method: str, path: str, body: dict | None = None) -> dict:
    """Call the JSON API as `username` (a token made by `flask create-token`, cached per user)."""
    tokens = live_server.setdefault("tokens", {})
    if username not in tokens:
        tokens[username] = _flask(live_server["env"], "create-token", username).strip().splitlines()[-1]
    request = urllib.request.Request(
        live_server["base"] + path, data=json.dumps(body).encode() if body is not None else None, method=method,
        headers={"Authorization": f"Bearer {tokens[username]}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"{}")


def api_post(live_server, username: str, path: str, body: dict) -> dict:
    return api(live_server, username, "POST", path, body)


def log_in(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(live_server["base"] + "/login")
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    page.press("#login-password", "Enter")
    page.wait_for_url(live_server["base"] + "/")


@pytest.fixture(params=["mouse", "keyboard"])
def keyboard(request) -> bool:
    """Run a journey twice: with the mouse, then with the keyboard only."""
    return request.param == "keyboard"


_serial = iter(range(1, 10_000))


def unique(prefix: str) -> str:
    """A fresh username or name for this run."""
    return f"{prefix}{os.getpid() % 1000}x{next(_serial)}"
