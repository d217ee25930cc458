"""`evalapp report ROUND --out DIR [--format pdf,xlsx,csv] [--unit CODE ...]`."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from reports.files import FORMATS, card_name, file_bytes, names_for, unit_card_bytes

from .. import audit, database
from ..operations import OperationError
from ..rounds.operations import get_round
from .cache import cached_card, cached_file
from .data import load_report_data


def _formats(value: str) -> list[str]:
    formats = [part.strip().lower() for part in value.split(",") if part.strip()]
    try:
        names_for(formats)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    return formats


@click.command("report")
@click.argument("round_id", type=int)
@click.option("--out", "out", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the files into (created if missing).")
@click.option("--format", "formats", default=None, metavar="LIST",
              help=f"Comma-separated, any of {','.join(FORMATS)} (default: all of them, or "
                   "none when --unit is given).")
@click.option("--unit", "units", multiple=True, metavar="CODE",
              help="Also write this unit's report card (card-CODE.pdf); repeatable.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes drawing PDF pages (default: one per core for large reports).")
@click.option("--no-cache", is_flag=True,
              help="Generate afresh instead of using instance/reports/ (nothing is cached).")
@with_appcontext
def report(round_id: int, out: Path, formats: str | None, units: tuple[str, ...],
           workers: int | None, no_cache: bool) -> None:
    """Write a round's report files: report.pdf, report.xlsx, scores.csv, items.csv."""
    chosen = _formats(formats) if formats is not None else ([] if units else list(FORMATS))
    session = database.session()
    try:
        round_ = get_round(session, round_id)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    out.mkdir(parents=True, exist_ok=True)
    instance = current_app.instance_path
    written: list[Path] = []
    data = load_report_data(session, round_) if no_cache else None
    for name in names_for(chosen):
        target = out / name
        if data is not None:
            target.write_bytes(file_bytes(data, name, workers))
        else:
            _copy(cached_file(session, round_, name, instance, workers), target)
        written.append(target)
    for code in units:
        target = out / card_name(code)
        try:
            if data is not None:
                target.write_bytes(unit_card_bytes(data, code))
            else:
                _copy(cached_card(session, round_, code, instance), target)
        except KeyError as error:
            raise click.ClickException(f"unit {code!r} is not in round {round_id}") from error
        written.append(target)
    audit.record(session, "export", "round", round_.id, None, command="report",
                 files=[path.name for path in written])
    session.commit()
    for path in written:
        click.echo(f"{path}  ({path.stat().st_size:,} bytes)")


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)  # not copy2: the copy is the user's, writable
