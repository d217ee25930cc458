"""Benchmark: reading a round's answers from SQLite and PostgreSQL, and scoring end to end.

    python -m bench scoring_db            # BENCH_SCALE=0.1: 1,000 units, 100,000 responses
    BENCH_SCALE=1 python -m bench scoring_db

The round of `bench.scoring` is written once into a SQLite file under bench/.cache/ and a
PostgreSQL database (kept between runs, rebuilt when the scale changes). Prints medians of
the time to read the answers (the floor), to read all three frames, and end to end
(read + `score_round`), each with its ratio to the floor, for both backends (the reads go
through `evalapp.scoring.frames.read_frame`: the driver's cursor on SQLite, COPY on
PostgreSQL). The target at full size: end to end within 2× reading the answers.
"""

from __future__ import annotations

import os
import time

import pandas as pd
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.common import CACHE, median_seconds, peak_memory_mb, report, scale
from bench.scoring import generate
from evalapp import database, schema
from evalapp.scoring import frames
from reports import RoundSettings, score_round

ROUND_ID = 1
POSTGRES_ADMIN = os.environ.get("EVALAPP_TEST_POSTGRES_URL",
                                "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def main() -> None:
    size = scale()
    n_units, n_responses = max(2, round(10_000 * size)), max(2, round(1_000_000 * size))
    data = generate(n_units, n_responses)
    print(f"{n_units:,} units, {n_responses:,} responses, {len(data['answers']):,} answers")
    tag = f"{n_units}_{n_responses}"
    CACHE.mkdir(exist_ok=True)
    sqlite_engine = database.make_engine(f"sqlite:///{CACHE / f'scoring_{tag}.db'}")
    _ensure_loaded(sqlite_engine, data)
    _measure("SQLite", sqlite_engine, data)
    postgres_engine = _postgres_engine(f"evalapp_bench_{tag}")
    if postgres_engine is not None:
        _ensure_loaded(postgres_engine, data)
        _measure("PostgreSQL", postgres_engine, data)
    print(f"peak memory {peak_memory_mb():,.0f} MB")


def _measure(label: str, engine: Engine, data: dict[str, pd.DataFrame]) -> None:
    settings = RoundSettings(ROUND_ID)

    def read_answers() -> pd.DataFrame:
        with Session(engine) as session:
            return frames.read_frame(session, frames.answers_query(ROUND_ID), frames.ANSWER_COLUMNS)

    def read_all() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        with Session(engine) as session:
            return (frames.read_frame(session, frames.answers_query(ROUND_ID),
                                  frames.ANSWER_COLUMNS),
                    frames.read_frame(session, frames._responses_query(ROUND_ID),
                                  frames.RESPONSE_COLUMNS),
                    frames.scope_units(session, ROUND_ID))

    def end_to_end() -> object:
        answers, responses, units = read_all()
        return score_round(answers, responses, data["items"], units, settings)

    floor = median_seconds(read_answers, runs=3)
    report(f"{label}: read answers (floor)", floor)
    report(f"{label}: read answers, responses, units", median_seconds(read_all, runs=3),
           floor, "floor")
    report(f"{label}: end to end (read + score_round)", median_seconds(end_to_end, runs=3),
           floor, "floor")


def _postgres_engine(name: str) -> Engine | None:
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                       {"n": name})
            if not exists:
                connection.execute(text(f"CREATE DATABASE {name}"))
    except Exception as error:  # any failure to connect means: skip PostgreSQL
        print(f"PostgreSQL not available ({type(error).__name__}); skipped")
        return None
    finally:
        admin.dispose()
    url = make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)
    return database.make_engine(url)


def _ensure_loaded(engine: Engine, data: dict[str, pd.DataFrame]) -> None:
    schema.upgrade(engine)
    with engine.begin() as connection:
        if connection.scalar(text("SELECT count(*) FROM round")):
            return
    start = time.perf_counter()
    with engine.begin() as connection:
        _insert_round(connection, data)
    print(f"loaded the round into {engine.dialect.name} in {time.perf_counter() - start:.0f} s")


def _insert_round(connection, data: dict[str, pd.DataFrame]) -> None:  # type: ignore[no-untyped-def]
    units = data["units"].reset_index(drop=True)
    unit_ids = pd.Series(range(1, len(units) + 1), index=units["unit_code"])
    connection.execute(text(
        "INSERT INTO instrument (id, key, version, content_hash, mode, title_zh, title_en, "
        "definition, source_text, loaded_at) VALUES (1, 'bench', 1, :h, 'spot_check', "
        "'基准', 'bench', '{}', '', :t)"), {"h": "0" * 64, "t": "2024-05-01"})
    connection.execute(text(
        "INSERT INTO round (id, name, mode, instrument_id, opens_on, closes_on, status, "
        "weights, min_n, star_cutoffs, observers_per_unit, exclude_same_county, created_at) "
        "VALUES (1, 'bench', 'spot_check', 1, '2024-05-01', '2024-05-31', 'open', "
        "'{\"awareness\": 1, \"participation\": 1, \"satisfaction\": 1}', 5, "
        "'[60, 70, 80, 90]', 2, false, '2024-05-01')"))
    _bulk(connection, "unit", pd.DataFrame({
        "id": unit_ids.to_numpy(), "code": units["unit_code"], "name": units["unit_name"],
        "kind": "branch", "active": True, "created_at": "2024-05-01"}))
    _bulk(connection, "round_unit", pd.DataFrame({"round_id": ROUND_ID,
                                                  "unit_id": unit_ids.to_numpy()}))
    responses = data["responses"]
    _bulk(connection, "response", pd.DataFrame({
        "id": responses["response_id"], "round_id": ROUND_ID,
        "unit_id": unit_ids.reindex(responses["unit_code"]).to_numpy(), "instrument_id": 1,
        "channel": "handout", "duration_s": responses["duration_s"].round().astype(int),
        "submission_key": responses["response_id"],
        "submitted_on": responses["submitted_on"].dt.date, "excluded": responses["excluded"]}))
    answers = data["answers"]
    _bulk(connection, "answer", answers.astype({"value": object}).where(answers.notna(), None))


def _bulk(connection, table: str, frame: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    """Fast bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    columns = list(frame.columns)
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    connection.connection.driver_connection.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
        frame.itertuples(index=False, name=None))


if __name__ == "__main__":
    main()
