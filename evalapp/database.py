"""The database: one engine per app, one session per application context.

Operations take a ``Session`` argument and never commit; views and CLI commands get the
context's session from :func:`session` and commit once at the end of their work.

On SQLite a request that may write (POST, PUT, PATCH, DELETE) opens its transactions with
``BEGIN IMMEDIATE``, taking the write lock up front and waiting for it under the busy timeout.
A deferred ``BEGIN`` would read first and upgrade to a writer later; when another process
has committed in between, SQLite cannot upgrade that stale snapshot and fails at once with
"database is locked", without waiting. Safe requests (GET, HEAD) and the CLI keep the
deferred ``BEGIN``, so readers never queue behind writers (WAL lets them run alongside).

The write lock is SQLite's one serial resource, and an IMMEDIATE request holds it from
its first query (loading the signed-in user) to its commit. The busiest requests — the
observers' questionnaire posts (save, autosave, submit), dozens a second on a busy day — and
the report downloads, which may make a file for a minute before they record it, are marked
`reads_first` (starting a questionnaire is a single INSERT … SELECT and need not be):
they read in a deferred transaction and call `begin_writing` before they write, which
ends the reading transaction and begins the next IMMEDIATE, so the lock is held only for
the writes (whatever they need must be read again there, or be safe to have read before).

On PostgreSQL a safe request reads in autocommit: at READ COMMITTED every statement takes
its own snapshot anyway, so this sees exactly what a transaction would, without the BEGIN
and ROLLBACK round trips; and psycopg answers each ROLLBACK by forgetting its prepared
statements (``DEALLOCATE ALL``), which the busiest statements then had to prepare again.
A safe request never writes (tests/security checks every GET route). So does a write view
marked `single_statement_writes`: each of its writes is one statement, atomic on its own
(the questionnaire posts: start, save, autosave and, on PostgreSQL, submit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

EXTENSION_KEY = "evalapp.database"
WRITER_KEY = "evalapp.database.writer"
AUTOCOMMIT_KEY = "evalapp.database.autocommit"
SQLITE_BUSY_TIMEOUT_MS = 30_000
IMMEDIATE_OPTION = "evalapp_sqlite_immediate"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
View = TypeVar("View", bound=Callable[..., Any])


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine with the settings evalapp relies on for each backend."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               **options)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys and secure_delete on every connection.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's BEGIN is what
    the database sees (the documented recipe); otherwise SAVEPOINTs and DDL misbehave.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "foreign_keys=ON",
            "secure_delete=ON",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer_engine(engine: Engine) -> Engine:
    """``engine`` for transactions that write: on SQLite they begin IMMEDIATE."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{IMMEDIATE_OPTION: True})


def autocommit_engine(engine: Engine) -> Engine:
    """``engine`` for requests whose statements each stand alone (reads, and the writes of
    `single_statement_writes` views): on PostgreSQL they run in autocommit. SQLite keeps its
    deferred transaction, so a reader's snapshot spans the request."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def reads_first(view: View) -> View:
    """Mark a write view whose session begins deferred; it calls `begin_writing` before
    its first write (put it right under the route decorator)."""
    view.reads_first = True  # type: ignore[attr-defined]
    return view


def single_statement_writes(view: View) -> View:
    """Mark a write view each of whose writes is a single statement; on PostgreSQL it runs
    in autocommit (put it right under the route decorator)."""
    view.single_statement_writes = True  # type: ignore[attr-defined]
    return view


def begin_writing(db: Session) -> None:
    """On SQLite, commit the reading transaction and begin the next IMMEDIATE; elsewhere
    the transaction goes on (PostgreSQL's row locks order the writers)."""
    if db.get_bind().dialect.name == "sqlite":
        db.commit()
        db.connection(execution_options={IMMEDIATE_OPTION: True})


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], **app.config.get("ENGINE_OPTIONS", {}))
    app.extensions[EXTENSION_KEY] = sessionmaker(bind=engine, expire_on_commit=False)
    app.extensions[WRITER_KEY] = sessionmaker(bind=writer_engine(engine),
                                              expire_on_commit=False)
    app.extensions[AUTOCOMMIT_KEY] = sessionmaker(bind=autocommit_engine(engine),
                                              expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return engine_of(current_app)


def engine_of(app: Flask) -> Engine:
    return sessionmaker_of(app).kw["bind"]


def sessionmaker_of(app: Flask) -> sessionmaker[Session]:
    return app.extensions[EXTENSION_KEY]


def session() -> Session:
    """The session of the current application context, created on first use.

    In a request that may write, on SQLite, its transactions begin IMMEDIATE, unless its
    view `reads_first`; on PostgreSQL a safe request, or one whose view has
    `single_statement_writes`, runs in autocommit (see above).
    """
    if "db_session" not in g:
        g.db_session = current_app.extensions[_session_kind()]()
    return g.db_session


def _session_kind() -> str:
    if not has_request_context():
        return EXTENSION_KEY
    if request.method not in WRITE_METHODS:
        return AUTOCOMMIT_KEY
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "single_statement_writes", False) and _on_postgresql():
        return AUTOCOMMIT_KEY
    return EXTENSION_KEY if getattr(view, "reads_first", False) else WRITER_KEY


def _on_postgresql() -> bool:
    return engine().dialect.name == "postgresql"


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
