"""Real processes for the fault tests: gunicorn serving the app, a private PostgreSQL cluster,
and an observer that retries a questionnaire with the same draft key until it is stored."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import postgres_unavailable
from tests.observe.helpers import YOUTH_ANSWERS, form_data
from tests.observe.live import Client

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "test-secret-key"  # the same secrets as the `app` fixture's
RATER_SECRET = "test-rater-secret"
CONFIRMATION = "问卷已收到"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition, timeout: float = 30.0, every: float = 0.05) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting after {timeout} s")
        time.sleep(every)


@dataclass
class Gunicorn:
    """``gunicorn 'evalapp:create_app()'`` with sync workers on a free loopback port."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def gunicorn(database_url: str, folder: Path, workers: int = 2) -> Iterator[Gunicorn]:
    port, log = free_port(), folder / "gunicorn.log"
    env = {**os.environ, "EVALAPP_DATABASE_URL": database_url,
           "EVALAPP_SECRET_KEY": SECRET_KEY, "EVALAPP_RATER_SECRET": RATER_SECRET}
    with log.open("ab") as stderr:  # whatever a worker prints lands in the log too
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class",
             "sync", "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5", "--timeout",
             "60", "--error-logfile", str(log), "evalapp:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    server = Gunicorn(process, port, log)
    try:
        wait_for(lambda: _healthy(server) or process.poll() is not None, timeout=60)
        assert process.poll() is None, server.log_text()
        wait_for(lambda: len(server.workers()) == workers)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _healthy(server: Gunicorn) -> bool:
    try:
        return Client(server.base).request("/healthz")[0] == 200
    except OSError:
        return False


# --- an observer who keeps trying ------------------------------------------------------


class Observer(Client):
    """A signed-in observer whose every step is retried on a dropped connection or a 5xx."""

    def __init__(self, base: str, login: str, password: str) -> None:
        super().__init__(base)
        self.failures = 0
        self._retry(lambda: self.sign_in(login, password))

    def new_questionnaire(self, assignment_id: int) -> str:
        return self._retry(lambda: self.start_draft(assignment_id))

    def submit(self, key: str) -> None:
        """Post the answers with ``key`` until the confirmation page comes back."""

        def attempt() -> None:
            data = form_data(YOUTH_ANSWERS, self.token(f"/observe/drafts/{key}"))
            status, _url, page = self.request(f"/observe/drafts/{key}", data)
            assert status < 500 and (status, CONFIRMATION in page) == (200, True), status

        self._retry(attempt)

    def _retry(self, action, attempts: int = 100):  # type: ignore[no-untyped-def]
        for number in range(attempts):
            try:
                return action()
            except (OSError, urllib.error.URLError, AssertionError):
                self.failures += 1
                if number + 1 == attempts:
                    raise
                time.sleep(min(0.5, 0.02 * 2 ** number))
        raise AssertionError("unreachable")


# --- a private PostgreSQL cluster ------------------------------------------------------


@dataclass
class Cluster:
    """A PostgreSQL server of our own (initdb in a temporary folder, a free port)."""

    bin: Path
    data: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", *args)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self.pg_ctl("-o", options, "-l", str(self.data / "server.log"), "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda path: int(path.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """initdb, start, yield, stop and remove; run as ``postgres`` when we are root."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        postgres_unavailable("PostgreSQL's initdb is not installed")  # fails in CI
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="evalapp-pg-"))
    cluster = Cluster(bin_dir, folder / "data", free_port(), user)
    try:
        if user:
            shutil.chown(folder, user)
        cluster._run("initdb", "-D", str(cluster.data), "-U", "postgres", "-A", "trust",
                     "--no-sync", "-E", "UTF8", "--locale", "C")
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
