"""The harness's own Redis and PostgreSQL, which it may stop, pause and restart at will.

Never the shared servers: Redis on its own port (default 6390) and a PostgreSQL cluster
initialised into a scratch directory (default port 5440), both started here.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _wait_port(port: int, up: bool, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return True
        except OSError:
            if not up:
                return True
        time.sleep(0.05)
    return False


class OwnRedis:
    """A redis-server on its own port; stop() is an outage, pause() a hung server (SIGSTOP)."""

    def __init__(self, port: int, workdir: Path):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        # One place per port, so a later run finds a server an earlier one left (--keep-servers).
        self.pidfile = workdir / f"collabhub-faults-redis-{port}.pid"
        self.paused = False

    def start(self) -> None:
        if self.pid() is not None and Path(f"/proc/{self.pid()}").exists():
            self.resume()
            return
        if _wait_port(self.port, True, 0.2):
            raise RuntimeError(f"port {self.port} is taken by a Redis this harness did not start: use --redis-port")
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(self.pidfile)], check=True,
                       stdout=subprocess.DEVNULL)
        if not _wait_port(self.port, True, 10):
            raise RuntimeError(f"redis-server did not start on port {self.port}")

    def pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """Shut it down (the data is only a cache, queue and pub/sub: nothing is kept)."""
        pid = self.pid()
        if pid is None:
            return
        if self.paused:
            self.resume()
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        _wait_port(self.port, False, 10)
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.05)

    def pause(self) -> None:
        """Freeze it: connections open but nothing answers, the worst kind of outage for timeouts."""
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGSTOP)
            self.paused = True

    def resume(self) -> None:
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGCONT)
        self.paused = False

    def client_count(self) -> int | None:
        """Connected clients (CLIENT LIST), or None when it does not answer."""
        try:
            out = subprocess.run(["redis-cli", "-p", str(self.port), "client", "list"], capture_output=True,
                                 text=True, timeout=3, check=True).stdout
        except (subprocess.SubprocessError, OSError):
            return None
        return max(0, len([line for line in out.splitlines() if line.strip()]) - 1)  # minus redis-cli itself


class OwnPostgres:
    """A PostgreSQL cluster in a scratch directory on its own port, so restarting it hurts no one."""

    def __init__(self, port: int, directory: Path):
        self.port = port
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.as_postgres = os.geteuid() == 0  # initdb refuses root

    def _run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=timeout)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            if self.as_postgres:
                shutil.chown(self.directory, "postgres")
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")
        if not self.running():
            self._run("pg_ctl", "-D", str(self.data), "-o", f"-p {self.port} -k {self.directory}",
                      "-l", str(self.directory / "log"), "-w", "start")
        if not _wait_port(self.port, True, 30):
            raise RuntimeError(f"PostgreSQL did not start on port {self.port}")

    def stop(self, mode: str = "fast") -> None:
        """Stop it: `fast` ends every session (what a restart or fail-over does to clients)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def ensure_database(self, name: str) -> None:
        exists = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-tAc",
                                 f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                                capture_output=True, text=True, check=True).stdout.strip()
        if exists != "1":
            subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c",
                            f"CREATE DATABASE {name}"], capture_output=True, check=True)

    def connection_count(self, database: str) -> int | None:
        """Backends connected to `database` (the app's pools), or None while it is down."""
        try:
            out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-tAc",
                                  f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' "
                                  "AND pid <> pg_backend_pid()"],
                                 capture_output=True, text=True, timeout=5, check=True).stdout
            return int(out.strip())
        except (subprocess.SubprocessError, OSError, ValueError):
            return None
