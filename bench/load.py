"""Benchmark: observers submitting questionnaires through gunicorn, on SQLite and PostgreSQL.

    python -m bench load                  # BENCH_SCALE=0.1: 500 questionnaires
    BENCH_SCALE=1 python -m bench load    # 5,000 questionnaires

For each database (a fresh SQLite file, then a PostgreSQL database created for the run and
dropped after it) the real app runs under gunicorn (4 gthread workers × 1 thread, as the
README's operations section runs it: a connection per request, taken by a worker with a
free thread; ``BENCH_WORKERS`` and ``BENCH_THREADS`` change the counts) on loopback, and
100 signed-in observers fill in questionnaires through the real pages, as a browser without
JavaScript does:

    POST /observe/drafts               start a questionnaire (CSRF token of the list page)
    GET  /observe/drafts/<key>         the form page, for its CSRF token
    POST /observe/drafts/<key>         the answers with action=submit → 303: acknowledged

0. Warm-up: 400 questionnaires back to back in a round of their own, not measured. Each
   worker process compiles its templates and SQL statements, loads the translations and
   renders the blank questionnaire once; from cold, that backlog alone made the first open
   loop's p95 about 1.8 s at 120/s where a warm server's was 70 ms.
1. Open loop: questionnaire i starts at t0 + i / 120 s whatever the server is doing (the
   arrivals do not wait for replies), so a slow server shows up as latency, not as a lower
   offered rate. Latency is counted from the scheduled start, including any time the
   questionnaire waited for a free client thread. A failed request (connection error, 5xx,
   timeout) is retried with the same draft key — a repeated submit finds the stored
   response — and counted as an error.
2. Saturation: 32 clients submit questionnaires back to back (closed loop), and then post
   the same rows to a bare Flask endpoint (one INSERT transaction of the same response,
   answer and suggestion rows, same gunicorn settings and database); the ratio of the two
   throughputs is the app's cost over the floor. The CPU time each questionnaire cost the
   app's processes, this client and the rest of the machine (PostgreSQL's processes) is
   read from /proc, so a low figure can be traced to where the cores went.
3. Below saturation: half as many questionnaires, open loop again, at 75% of the
   saturation throughput just measured — the latency of a server that keeps up.
4. Checks: every acknowledged questionnaire is stored exactly once (its stored key is the
   HMAC of its draft key), no other response exists in the round, and the server's log
   has no "database is locked" and no traceback.

Figures are printed, never asserted; client and server share the machine's cores.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, request
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from bench.common import scale
from evalapp import create_app, database, schema

FULL_COUNT = 5_000
RATE_PER_S = 120.0
OBSERVERS = 100
UNITS = 50
UNITS_PER_OBSERVER = 2
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
THREADS = int(os.environ.get("BENCH_THREADS", 1))
CLIENT_THREADS = 256
SATURATION_CLIENTS = 32
STEADY_SHARE = 0.75  # a last open loop at this share of the saturation throughput
WARMUP = 400  # questionnaires before the clock starts, in a round of their own
MAX_ATTEMPTS = 20
REQUEST_TIMEOUT_S = 60
PASSWORD = "load-test password"
RATER_SECRET = "bench-load-rater-secret"
ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN = os.environ.get("EVALAPP_TEST_POSTGRES_URL",
                                "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
# A complete spot-check questionnaire of a young person asked on site.
ANSWERS: dict[str, str | list[str]] = {
    "q_record_type": "youth_onsite", "q_yq_know_site": "yes", "q_yq_know_services": "4",
    "q_yq_times": "once", "q_yq_activity_kinds": ["learning", "jobs"], "q_yq_quality": "-na",
    "q_yq_overall": "8", "q_suggestion": "希望多办周末活动",
    "action": "submit", "channel": "onsite",
}


# --- the database ----------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """What the seeding made: the rounds, and each observer's login with assignment ids in
    the load round and in the warm-up round."""

    url: str
    round_id: int
    floor_round_id: int
    observers: list[tuple[str, list[int], list[int]]]


def seed(url: str, instance: Path) -> World:
    """Migrate ``url`` and add units, observers and two open rounds (load and floor)."""
    from evalapp.auth.passwords import hash_password
    from evalapp.instruments.operations import load_shipped
    from evalapp.models import Unit, User, today_utc
    from evalapp.rounds import operations as rounds

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "seed",
                      "RATER_SECRET": RATER_SECRET})
    schema.upgrade(database.engine_of(app))
    with app.app_context():
        db = database.session()
        spot = next(row for row in load_shipped(db) if row.key == "spot_check")
        units = [Unit(code=f"L{n:03d}", name=f"压测青年之家{n}号", kind="youth_home")
                 for n in range(UNITS)]
        digest = hash_password(PASSWORD)
        people = [User(login=f"load{n:03d}", name=f"观察员{n}", role="observer",
                       password_hash=digest) for n in range(OBSERVERS)]
        db.add_all([*units, *people])
        db.flush()
        today = today_utc()
        made = [rounds.create_round(db, name=name, mode="spot_check", instrument=spot,
                                    opens_on=today, closes_on=today + dt.timedelta(days=30),
                                    units=units)
                for name in ("压测批次", "基准批次", "预热批次")]
        observers = []
        for n, person in enumerate(people):
            mine = [units[(n * UNITS_PER_OBSERVER + k) % UNITS] for k in range(UNITS_PER_OBSERVER)]
            ids, warmup = ([rounds.assign_observer(db, round_, unit, person).id for unit in mine]
                           for round_ in (made[0], made[2]))
            observers.append((person.login, ids, warmup))
        for round_ in made:
            rounds.open_round(db, round_)
        db.commit()
        world = World(url, made[0].id, made[1].id, observers)
    database.engine_of(app).dispose()
    return world


@contextmanager
def sqlite_database() -> Iterator[tuple[str, Path]]:
    with tempfile.TemporaryDirectory(prefix="evalapp-load-") as folder:
        yield f"sqlite:///{Path(folder) / 'load.db'}", Path(folder)


@contextmanager
def postgres_database() -> Iterator[tuple[str, Path]]:
    """A database created for this run and dropped after it."""
    name = f"evalapp_bench_load_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        with tempfile.TemporaryDirectory(prefix="evalapp-load-") as folder:
            yield (make_url(POSTGRES_ADMIN).set(database=name)
                   .render_as_string(hide_password=False), Path(folder))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_ADMIN)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # any driver or network error means: skip PostgreSQL
        print(f"PostgreSQL not available ({type(error).__name__}): skipped")
        return False
    return True


# --- the servers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    port: int
    log: Path
    pid: int


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(app_spec: str, world: World, folder: Path, name: str) -> Iterator[Server]:
    """gunicorn serving ``app_spec`` on a free loopback port until the block ends."""
    port, log = free_port(), folder / f"{name}.log"
    env = {**os.environ, "EVALAPP_DATABASE_URL": world.url,
           "EVALAPP_SECRET_KEY": secrets.token_hex(16), "EVALAPP_RATER_SECRET": RATER_SECRET,
           "BENCH_FLOOR_ROUND": str(world.floor_round_id)}
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS),
               "--worker-class", "gthread", "--threads", str(THREADS),
               # A worker takes a connection only when a thread is free for it, and closes
               # it after the reply: otherwise one worker collects most keep-alive
               # connections and runs at one core (its GIL) while the others idle.
               "--worker-connections", str(THREADS), "--keep-alive", "0",
               "--bind", f"127.0.0.1:{port}", "--backlog", "2048",
               "--error-logfile", str(log), "--log-level", "warning", app_spec]
    with log.open("ab") as stderr:  # whatever a worker prints lands in the log too
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=stderr)
    try:
        _wait_until_up(port, process)
        yield Server(port, log, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status in (200, 404):
                connection.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not come up within 60 s")


# --- the client ------------------------------------------------------------------------


class RetryableError(Exception):
    """A reply (or its absence) that the client answers by trying again."""


@dataclass
class Reply:
    status: int
    location: str
    cookies: dict[str, str]
    body: str


class Http:
    """A connection per client thread (reopened when the server closes it); cookies are
    passed per call."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._local = threading.local()

    def call(self, method: str, path: str, cookie: str,
             form: Mapping[str, Any] | None = None) -> Reply:
        headers = {"Cookie": cookie}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = self._connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise RetryableError(type(error).__name__) from error
        if response.will_close:
            connection.close()
        if response.status >= 500:
            raise RetryableError(str(response.status))
        return Reply(response.status, response.getheader("Location") or "",
                     _cookies(response.headers.get_all("Set-Cookie") or []),
                     content.decode("utf-8", "replace"))

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self._local, "connection", None) is None:
            self._local.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
        return self._local.connection


def _cookies(headers: Sequence[str]) -> dict[str, str]:
    return dict(header.split(";", 1)[0].split("=", 1) for header in headers)


@dataclass
class Observer:
    login: str
    assignments: list[int]
    warmup: list[int]
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def keep(self, reply: Reply) -> Reply:
        self.cookies.update(reply.cookies)
        return reply


def sign_in(http_: Http, observer: Observer) -> None:
    page = observer.keep(http_.call("GET", "/login", ""))
    reply = observer.keep(http_.call("POST", "/login", observer.cookie, {
        "login": observer.login, "password": PASSWORD, "csrf_token": _token(page.body)}))
    if reply.status != 302:
        raise RuntimeError(f"{observer.login} could not sign in: {reply.status}")
    observer.token = _token(observer.keep(http_.call("GET", "/observe/", observer.cookie)).body)


def _token(page: str) -> str:
    found = TOKEN.search(page)
    if found is None:
        raise RetryableError("no CSRF token on the page")
    return found.group(1)


# --- one questionnaire -----------------------------------------------------------------


@dataclass
class Record:
    """What happened to one questionnaire (times from time.perf_counter)."""

    scheduled: float = 0.0
    acknowledged: float | None = None
    key: str = ""
    requests: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    gave_up: bool = False


def questionnaire(http_: Http, observer: Observer, assignment: int, record: Record) -> None:
    """Start, open and submit one questionnaire, retrying each step up to MAX_ATTEMPTS
    times; a questionnaire still failing then is given up (and counted as lost)."""
    try:
        record.key = _attempt(record, "start", lambda: _start(http_, observer, assignment))
        token = _attempt(record, "form", lambda: _form_token(http_, observer, record.key))
        _attempt(record, "submit", lambda: _submit(http_, observer, record.key, token))
    except GaveUp:
        record.gave_up = True
        return
    record.acknowledged = time.perf_counter()


class GaveUp(Exception):
    """A step failed MAX_ATTEMPTS times."""


def _attempt(record: Record, step: str, action: Callable[[], Any]) -> Any:
    for attempt in range(MAX_ATTEMPTS):
        started = time.perf_counter()
        try:
            result = action()
        except RetryableError as error:
            record.errors[f"{step}: {error}"] += 1
            time.sleep(min(1.0, 0.05 * 2 ** attempt))
            continue
        record.requests.setdefault(step, []).append(time.perf_counter() - started)
        return result
    raise GaveUp(f"{step} failed {MAX_ATTEMPTS} times")


def _start(http_: Http, observer: Observer, assignment: int) -> str:
    reply = observer.keep(http_.call("POST", "/observe/drafts", observer.cookie, {
        "assignment": assignment, "csrf_token": observer.token}))
    if reply.status != 303 or "/observe/drafts/" not in reply.location:
        raise RetryableError(f"start answered {reply.status}")
    return reply.location.rsplit("/", 1)[1]


def _form_token(http_: Http, observer: Observer, key: str) -> str:
    reply = observer.keep(http_.call("GET", f"/observe/drafts/{key}", observer.cookie))
    if reply.status != 200:
        raise RetryableError(f"form answered {reply.status}")
    return _token(reply.body)


def _submit(http_: Http, observer: Observer, key: str, token: str) -> None:
    reply = observer.keep(http_.call("POST", f"/observe/drafts/{key}", observer.cookie,
                                     {**ANSWERS, "csrf_token": token}))
    if reply.status != 303:
        raise RetryableError(f"submit answered {reply.status}")


# --- the runs --------------------------------------------------------------------------


def open_loop(http_: Http, observers: list[Observer], count: int, rate: float
              ) -> tuple[list[Record], float]:
    """``count`` questionnaires started at ``rate`` a second; the records and the start."""
    records = [Record() for _ in range(count)]
    start = time.perf_counter() + 0.5
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        futures = []
        for i, record in enumerate(records):
            record.scheduled = start + i / rate
            time.sleep(max(0.0, record.scheduled - time.perf_counter()))
            observer = observers[i % len(observers)]
            assignment = observer.assignments[(i // len(observers)) % len(observer.assignments)]
            futures.append(pool.submit(questionnaire, http_, observer, assignment, record))
        for future in futures:
            future.result()
    return records, start


def closed_loop(task: Callable[[int], None], count: int) -> float:
    """Run ``task(i)`` for i < count on SATURATION_CLIENTS threads; tasks per second."""
    counter = iter(range(count))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            task(i)

    started = time.perf_counter()
    with ThreadPoolExecutor(SATURATION_CLIENTS) as pool:
        for future in [pool.submit(client) for _ in range(SATURATION_CLIENTS)]:
            future.result()
    return count / (time.perf_counter() - started)


def saturate_app(http_: Http, observers: list[Observer], count: int) -> tuple[float, list[str]]:
    keys: list[str] = [""] * count

    def task(i: int) -> None:
        observer = observers[i % len(observers)]
        record = Record()
        questionnaire(http_, observer, observer.assignments[i % len(observer.assignments)],
                      record)
        keys[i] = "" if record.acknowledged is None else record.key

    return closed_loop(task, count), [key for key in keys if key]


def warm_up(http_: Http, observers: list[Observer]) -> None:
    """WARMUP questionnaires in the warm-up round, back to back, not measured."""
    def task(i: int) -> None:
        observer = observers[i % len(observers)]
        questionnaire(http_, observer, observer.warmup[i % len(observer.warmup)], Record())

    closed_loop(task, WARMUP)


def saturate_floor(port: int, count: int) -> float:
    http_ = Http(port)
    body = {**ANSWERS, "csrf_token": "x" * 91}

    def task(_i: int) -> None:
        for attempt in range(MAX_ATTEMPTS):
            try:
                if http_.call("POST", "/insert", "", body).status == 204:
                    return
            except RetryableError:
                time.sleep(min(1.0, 0.05 * 2 ** attempt))
        raise RuntimeError("the floor endpoint keeps failing")

    return closed_loop(task, count)


# --- where the CPU goes (Linux /proc; zeros elsewhere) ----------------------------------


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds used so far: by the server's processes, this client, the whole machine."""

    server: float
    client: float
    machine: float

    @staticmethod
    def now(server_pid: int) -> CpuUse:
        mine = os.times()
        return CpuUse(_tree_cpu(server_pid), mine.user + mine.system, _machine_cpu())

    def per_item(self, before: CpuUse, count: int) -> str:
        server, client = self.server - before.server, self.client - before.client
        rest = self.machine - before.machine - server - client
        return (f"app {1000 * server / count:.1f} ms, client {1000 * client / count:.1f} ms, "
                f"rest (database server, other processes) {1000 * max(0.0, rest) / count:.1f} "
                "ms")


def _tree_cpu(pid: int) -> float:
    """User and system CPU seconds of ``pid`` and its living descendants."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        todo.extend(int(child) for child in children)
    return total


def _machine_cpu() -> float:
    """Busy CPU seconds of the machine (all cores) since boot."""
    try:
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# --- the floor: a bare Flask endpoint inserting the same rows --------------------------


def bare_app() -> Flask:
    """``gunicorn 'bench.load:bare_app()'``: POST /insert stores one response's rows.

    The rows are those of a response the app stored in the same run (the response, its
    answers and its suggestion), copied with a new id and key into the floor round, in one
    transaction, by Core INSERTs on an engine configured like the app's.
    """
    from evalapp.models import Answer, Response, Suggestion

    engine = database.writer_engine(database.make_engine(os.environ["EVALAPP_DATABASE_URL"]))
    round_id = int(os.environ["BENCH_FLOOR_ROUND"])
    template = _template_rows(engine)
    app = Flask("floor")

    @app.post("/insert")
    def insert_rows() -> tuple[str, int]:
        request.form.to_dict(flat=False)  # parse the same body the app parses
        response_id = secrets.token_hex(16)
        with engine.begin() as connection:
            connection.execute(insert(Response), {
                **template["response"], "id": response_id, "round_id": round_id,
                "submission_key": secrets.token_hex(32)})
            connection.execute(insert(Answer), [{**row, "response_id": response_id}
                                                for row in template["answers"]])
            connection.execute(insert(Suggestion), [
                {**row, "response_id": response_id, "round_id": round_id}
                for row in template["suggestions"]])
        return "", 204

    return app


def _template_rows(engine: Any) -> dict[str, Any]:
    from evalapp.models import Answer, Response, Suggestion

    with engine.connect() as connection:
        response = connection.execute(select(Response).limit(1)).mappings().one()
        answers = connection.execute(select(Answer).where(
            Answer.response_id == response["id"])).mappings().all()
        suggestions = connection.execute(select(Suggestion).where(
            Suggestion.response_id == response["id"])).mappings().all()
    return {"response": dict(response),
            "answers": [{k: v for k, v in row.items() if k != "response_id"} for row in answers],
            "suggestions": [{k: v for k, v in row.items() if k not in ("id", "response_id")}
                            for row in suggestions]}


# --- checks and figures ----------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    responses: int
    distinct_keys: int
    acknowledged_found: int
    acknowledged_twice: int


def stored(url: str, round_id: int, draft_keys: Sequence[str]) -> Stored:
    from evalapp.models import Response
    from evalapp.observe.operations import stored_key

    engine = database.make_engine(url)
    with engine.connect() as connection:
        keys = Counter(connection.scalars(
            select(Response.submission_key).where(Response.round_id == round_id)))
    engine.dispose()
    expected = [stored_key(RATER_SECRET, key) for key in draft_keys]
    return Stored(sum(keys.values()), len(keys), sum(1 for k in expected if keys[k] >= 1),
                  sum(1 for k in expected if keys[k] > 1))


def log_problems(log: Path) -> tuple[int, int]:
    """(lines saying "database is locked", tracebacks) in a server log."""
    content = log.read_text(errors="replace") if log.exists() else ""
    return content.count("database is locked"), content.count("Traceback")


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def ms(values: Sequence[float]) -> str:
    return " / ".join(f"{1000 * percentile(values, q):6.0f}" for q in (50, 95, 99))


def print_open_loop(label: str, records: list[Record], start: float, rate: float) -> None:
    done = [r for r in records if r.acknowledged is not None]
    last = max(r.acknowledged for r in done)  # type: ignore[type-var]
    errors: Counter[str] = Counter()
    for record in records:
        errors.update(record.errors)
    print(f"  {label}: offered {rate:.0f}/s; achieved {len(done) / (last - start):6.1f} "
          f"submissions/s ({len(done):,} in {last - start:.1f} s)")
    print("  latency ms p50 / p95 / p99")
    waits = [r.acknowledged - r.scheduled for r in done]  # type: ignore[operator]
    print(f"    questionnaire, from its scheduled start  {ms(waits)}")
    for step in ("start", "form", "submit"):
        times = [t for r in records for t in r.requests.get(step, [])]
        print(f"    {step:<6} request                        {ms(times)}")
    print(f"  errors (retried): {sum(errors.values())}"
          + (f" — {dict(errors.most_common(6))}" if errors else "")
          + f"; given up: {sum(r.gave_up for r in records)}")


def print_checks(label: str, result: Stored, sent: int) -> None:
    """``sent`` questionnaires were started; all must be acknowledged and stored once."""
    verdict = ("ok" if result.responses == result.distinct_keys == result.acknowledged_found
               == sent and not result.acknowledged_twice else "MISMATCH")
    print(f"  {label}: {result.responses:,} stored of {sent:,} sent, "
          f"{result.responses - result.distinct_keys} duplicate keys, "
          f"{sent - result.acknowledged_found} lost, "
          f"{result.acknowledged_twice} stored twice — {verdict}")


# --- the benchmark ---------------------------------------------------------------------


def run(label: str, url: str, folder: Path, count: int) -> None:
    print(f"\n{label}: {count:,} questionnaires, {OBSERVERS} observers, gunicorn "
          f"{WORKERS} gthread workers × {THREADS} threads", flush=True)
    world = seed(url, folder)
    with gunicorn("evalapp:create_app()", world, folder, "app") as server:
        http_ = Http(server.port)
        observers = [Observer(login, ids, warmup) for login, ids, warmup in world.observers]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda o: sign_in(http_, o), observers))
        warm_up(http_, observers)
        records, start = open_loop(http_, observers, count, RATE_PER_S)
        print_open_loop("open loop", records, start, RATE_PER_S)
        acknowledged = [r.key for r in records if r.acknowledged is not None]
        print_checks("open loop", stored(url, world.round_id, acknowledged), count)
        before = CpuUse.now(server.pid)
        saturated, keys = saturate_app(http_, observers, count)
        cpu = CpuUse.now(server.pid).per_item(before, count)
        steady_rate = STEADY_SHARE * saturated
        steady, steady_start = open_loop(http_, observers, count // 2, steady_rate)
    with gunicorn("bench.load:bare_app()", world, folder, "floor") as floor:
        bare = saturate_floor(floor.port, count)
    print(f"  saturation ({SATURATION_CLIENTS} clients, closed loop): app {saturated:6.1f} "
          f"submissions/s, bare Flask insert {bare:6.1f}/s = {saturated / bare:.2f} × floor")
    print(f"  CPU per questionnaire at saturation: {cpu}")
    print_open_loop(f"below saturation ({STEADY_SHARE:.0%})", steady, steady_start, steady_rate)
    all_keys = acknowledged + keys + [r.key for r in steady if r.acknowledged is not None]
    print_checks("after all runs", stored(url, world.round_id, all_keys),
                 2 * count + count // 2)
    locked, tracebacks = log_problems(server.log)
    print(f"  server log: {locked} × 'database is locked', {tracebacks} tracebacks")


def main() -> None:
    count = max(OBSERVERS, round(FULL_COUNT * scale()))
    print(f"{count:,} questionnaires at {RATE_PER_S:.0f}/s (BENCH_SCALE=1: {FULL_COUNT:,}); "
          f"{os.cpu_count()} CPUs shared by clients and servers")
    with sqlite_database() as (url, folder):
        run("SQLite", url, folder, count)
    if postgres_available():
        with postgres_database() as (url, folder):
            run("PostgreSQL", url, folder, count)


if __name__ == "__main__":
    main()
