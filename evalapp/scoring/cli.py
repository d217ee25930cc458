"""`evalapp scores ROUND [--csv FILE] [--json FILE]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from reports import to_csv, to_json

from .. import database
from ..operations import OperationError
from ..rounds.operations import get_round
from .service import rollup_table, score_table

ROLLUP_KINDS = ("city", "county", "township")


@click.command("scores")
@click.argument("round_id", type=int)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the score table as CSV (2 decimals, UTF-8 with BOM).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the score table as JSON (full precision).")
@click.option("--level", type=click.Choice(ROLLUP_KINDS),
              help="Write roll-ups to this level of the hierarchy instead of unit scores.")
@with_appcontext
def scores(round_id: int, csv_path: Path | None, json_path: Path | None,
           level: str | None) -> None:
    """Score a round (published rounds: their frozen table) and summarise or export it."""
    session = database.session()
    try:
        round_ = get_round(session, round_id)
        result = score_table(session, round_)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    if level:
        _write(rollup_table(session, round_, level), csv_path, json_path)
        click.echo(f"round {round_id}: roll-up to {level} written")
        return
    table = result.table
    _write(table, csv_path, json_path)
    published = int((~table["composite_suppressed"]).sum())
    source = "frozen at publication" if result.frozen else "computed from current data"
    click.echo(f"round {round_id}: {len(table)} units, {published} ranked, "
               f"{len(table) - published} suppressed ({source}; data version "
               f"{result.data_version[:12]})")
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
    if not (csv_path or json_path):
        _echo_top(table)


def _write(table, csv_path: Path | None, json_path: Path | None) -> None:  # type: ignore[no-untyped-def]
    if csv_path:
        to_csv(table, csv_path)
    if json_path:
        to_json(table, json_path)


def _echo_top(table, count: int = 10) -> None:  # type: ignore[no-untyped-def]
    ranked = table.dropna(subset=["rank"]).sort_values(["rank", "unit_code"]).head(count)
    for row in ranked.itertuples():
        click.echo(f"{int(row.rank):>4}  {'★' * int(row.stars):<5}  "
                   f"{row.composite_adjusted:6.2f}  {row.unit_code:<12} {row.unit_name}")
