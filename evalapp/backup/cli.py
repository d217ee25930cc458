"""`evalapp backup FILE` and `evalapp restore FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import database
from ..operations import OperationError
from . import operations


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(target: Path) -> None:
    """Write a consistent backup of the whole database to TARGET (a new file)."""
    try:
        operations.backup(database.engine(), target)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written to {target} ({target.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(source: Path, yes: bool) -> None:
    """Replace the whole database with the backup in SOURCE (stop the server first)."""
    if not yes:
        click.confirm("This replaces every row of the database. Go on?", abort=True)
    try:
        operations.restore(database.engine(), source)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"database restored from {source}")
