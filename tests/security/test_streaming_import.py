"""`evalapp import units` streams: a 1,000,000-row CSV in bounded memory.

The command runs in a child process of a small wrapper that reports the child's peak
resident memory (``getrusage(RUSAGE_CHILDREN)``), so nothing else this test session
started is counted. The file is a whole hierarchy — a city, counties, townships and
branches, some listed before their parents — so every check of the importer runs. The
bound is on what the million rows add over the same command importing a small file in
the same run (the command's own start-up — Flask, pandas, matplotlib — takes about 200 MB
and grows with the app, so an absolute bound failed for reasons that had nothing to do
with streaming): the importer keeps about 170 bytes per row. Before it streamed, the same
file took 7.5 GB. Nothing here measures time.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from evalapp import database
from evalapp.models import Unit

pytestmark = pytest.mark.slow
ROWS = 1_000_000
SMALL_ROWS = 20_000
GROWTH_MB = 250  # over the small import: 262 bytes a row
COUNTIES, TOWNSHIPS = 10, 1_000
WRAPPER = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024); "
           "sys.exit(done.returncode)")


def write_units(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "name", "kind", "parent_code", "address"])
        out.writerow(["C", "示例市", "city", "", "人民路1号"])
        for n in range(rows - 1 - COUNTIES - TOWNSHIPS):  # branches, before their townships
            out.writerow([f"B{n:07d}", f"示例团支部{n}", "团支部", f"T{n % TOWNSHIPS:04d}",
                          f"示例街{n}号"])
        for n in range(TOWNSHIPS):
            out.writerow([f"T{n:04d}", f"示例镇{n}", "乡镇", f"K{n % COUNTIES:02d}", ""])
        for n in range(COUNTIES):
            out.writerow([f"K{n:02d}", f"示例县{n}", "县", "示例市", ""])  # parent by name


def test_a_million_row_units_csv_streams_in_bounded_memory(sqlite_template: Path,
                                                           tmp_path: Path) -> None:
    small = _import_peak_mb(sqlite_template, tmp_path / "small", SMALL_ROWS)
    peak = _import_peak_mb(sqlite_template, tmp_path / "large", ROWS)
    assert peak - small < GROWTH_MB, f"peak resident memory {peak} MB, {small} MB when small"


def _import_peak_mb(sqlite_template: Path, folder: Path, rows: int) -> int:
    """Import ``rows`` units into a fresh database; the command's peak memory in MB."""
    folder.mkdir()
    db = folder / "evalapp.db"
    shutil.copyfile(sqlite_template, db)
    source = folder / "units.csv"
    write_units(source, rows)
    command = [sys.executable, "-c", WRAPPER, _evalapp(), "import", "units", str(source)]
    env = {**os.environ, "EVALAPP_DATABASE_URL": f"sqlite:///{db}",
           "EVALAPP_SECRET_KEY": "x", "EVALAPP_RATER_SECRET": "x"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1200,
                          cwd=folder)
    assert done.returncode == 0, done.stderr[-2000:]
    *output, peak = done.stdout.strip().splitlines()
    assert f"{rows} units — {rows} created" in "\n".join(output)
    _assert_stored(f"sqlite:///{db}", rows)
    return int(peak)


def _evalapp() -> str:
    script = Path(sys.executable).with_name("evalapp")
    return str(script) if script.exists() else shutil.which("evalapp") or "evalapp"


def _assert_stored(url: str, rows: int) -> None:
    engine = database.make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Unit)) == rows
        parent = Unit.__table__.alias("parent")
        orphans = connection.scalar(select(func.count()).select_from(Unit).where(
            Unit.parent_id.is_(None)))
        linked = connection.execute(
            select(parent.c.code).join(Unit, Unit.parent_id == parent.c.id)
            .where(Unit.code.in_(["B0000000", "T0001", "K03"]))).scalars().all()
    engine.dispose()
    assert orphans == 1 and sorted(linked) == ["C", "K01", "T0000"]
