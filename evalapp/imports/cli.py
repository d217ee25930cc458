"""`evalapp import units|observers FILE`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from .. import database
from .observers import import_observers
from .outcome import ImportFailed, ImportSummary
from .units import import_units

import_group = AppGroup("import", help="Import units and observers from CSV or XLSX.")

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
DRY_RUN = click.option("--dry-run", is_flag=True,
                       help="Check the file and show the counts without writing anything.")


@import_group.command("units")
@click.argument("path", type=FILE)
@DRY_RUN
def units(path: Path, dry_run: bool) -> None:
    """Create or update units (our template or a 智慧团建 list); all-or-nothing."""
    _run(import_units, path, dry_run)


@import_group.command("observers")
@click.argument("path", type=FILE)
@DRY_RUN
def observers(path: Path, dry_run: bool) -> None:
    """Create or update observers and their affiliated units; all-or-nothing."""
    _run(import_observers, path, dry_run)


def _run(importer: Callable[[Session, Path], ImportSummary], path: Path, dry_run: bool
         ) -> None:
    """Import, print every problem or the counts, and commit once (unless a dry run)."""
    session = database.session()
    try:
        summary = importer(session, path)
    except ImportFailed as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    except OSError as error:
        session.rollback()
        raise click.ClickException(f"{path.name}: cannot be read ({error.strerror})") from error
    if dry_run:
        session.rollback()
    else:
        session.commit()
    for header in summary.ignored_columns:
        click.echo(f"ignored column: {header}")
    click.echo(f"{summary}{' (dry run: nothing written)' if dry_run else ''}")
