"""`evalapp survey validate|load FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

import surveys

from .. import database
from ..models import DIMENSIONS
from . import operations

survey = AppGroup("survey", help="Validate and load questionnaires (instruments).")


@survey.command("validate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(path: Path) -> None:
    """Check an instrument file; every problem is listed with its item and field."""
    try:
        definition = surveys.load_instrument(path)
    except surveys.InstrumentError as error:
        raise click.ClickException(str(error)) from error
    scored = ", ".join(f"{dimension} {len(definition.scored_items(dimension))}"
                       for dimension in DIMENSIONS)
    click.echo(f"{path.name}: valid — {definition.id} ({definition.mode}), "
               f"{len(definition.items)} items; scored items: {scored}; "
               f"hash {definition.content_hash[:12]}")


@survey.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(path: Path) -> None:
    """Store an instrument; the same content again is a no-op, changed content a new version."""
    session = database.session()
    try:
        row, created = operations.load_file(session, path)
    except surveys.InstrumentError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    state = "loaded as" if created else "unchanged, already stored as"
    click.echo(f"{path.name}: {state} {row.key} version {row.version} (id {row.id})")
