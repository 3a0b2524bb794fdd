"""Run the app as production does (gunicorn, gevent workers) and talk to it over plain HTTP."""

import http.cookiejar
import json
import os
import re
import resource
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF_PATTERN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Server:
    """gunicorn -c gunicorn.conf.py wsgi:app with PostgreSQL + Redis on a loopback port."""

    def __init__(self, database_url: str, redis_url: str | None, port: int, workers: int = 2, app_dir: Path = ROOT):
        self.port = port
        self.app_dir = Path(app_dir)
        self.base_url = f"http://127.0.0.1:{port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="collabhub-bench-"))
        self.env = dict(
            os.environ,
            DATABASE_URL=database_url,
            REDIS_URL=redis_url or "",
            HOST="127.0.0.1",
            PORT=str(port),
            WEB_CONCURRENCY=str(workers),
            SECRET_KEY="collabhub-bench-secret-key",
            INSTANCE_PATH=str(self.workdir / "instance"),
            LOG_DIR=str(self.workdir / "logs"),
            # One client address sends everything: keep the limiter on (its cost is real) but out of reach.
            API_RATE_LIMIT="100000000 per minute",
            LOGIN_RATE_LIMIT="100000 per minute",
        )
        self.process = None
        self.worker = None
        self.log_path = self.workdir / "server.log"

    def start(self, timeout: float = 30) -> None:
        log = open(self.log_path, "w")  # noqa: SIM115 - kept open for the server's lifetime
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=self.app_dir, env=self.env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_raise_fd_limit,  # noqa: PLW1509 - no threads yet
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-3000:]}")
            try:
                status, _, _ = self.get("/live/")
                if status < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout}s")

    def start_task_worker(self) -> bool:
        """Start `flask worker` when the app has one (production runs it beside gunicorn)."""
        flask = str(ROOT / ".venv/bin/flask")
        probe = subprocess.run([flask, "--app", "wsgi", "worker", "--help"], cwd=self.app_dir, env=self.env,
                               capture_output=True, check=False)
        if probe.returncode != 0:
            return False
        self.worker = subprocess.Popen([flask, "--app", "wsgi", "worker"], cwd=self.app_dir, env=self.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True

    def stop(self) -> None:
        for process in (self.worker, self.process):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()

    def rss_bytes(self) -> int:
        """Resident memory of the gunicorn master and its workers."""
        if not self.process:
            return 0
        pids = [self.process.pid, *_children(self.process.pid)]
        total = 0
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(match.group(1)) * 1024 if match else 0
        return total

    def get(self, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
        """One request; returns (status, headers, body bytes) whatever the status."""
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def login(self, username: str, password: str) -> str | None:
        """Log in through the real form; return the Cookie header value, or None."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            page = opener.open(self.base_url + "/login", timeout=30).read().decode()
        except urllib.error.HTTPError:
            return None
        match = CSRF_PATTERN.search(page)
        form = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrf_token": match.group(1) if match else ""}).encode()
        try:
            opener.open(urllib.request.Request(self.base_url + "/login", data=form,
                                               headers={"X-CSRFToken": match.group(1) if match else ""}), timeout=30)
        except urllib.error.HTTPError:
            return None
        cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
        return cookies if "session" in cookies else None

    def walk_feed(self, token: str, depth: int = 500, budget_s: float = 90) -> tuple[str | None, int]:
        """Follow `next` from feed page 1; return the path of the deepest page reached and its number."""
        path, page = "/api/v1/feed/?limit=20", 1
        headers = {"Authorization": f"Bearer {token}"}
        deadline = time.monotonic() + budget_s
        while page < depth and time.monotonic() < deadline:
            status, _, body = self.get(path, headers)
            if status != 200:
                return (path if page > 1 else None), page
            following = json.loads(body).get("next")
            if not following:
                break
            parts = urllib.parse.urlsplit(following)
            path = parts.path + ("?" + parts.query if parts.query else "")
            page += 1
        return path, page


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found
