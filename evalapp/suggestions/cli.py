"""`evalapp suggestions list|status|export`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask.cli import AppGroup

from .. import database
from ..models import SUGGESTION_STATUSES
from ..operations import OperationError
from .export import export_rows, workbook_bytes
from .operations import change_status, get_suggestion, list_suggestions

suggestions_group = AppGroup("suggestions", help="Follow up and export young people's "
                                                 "suggestions.")

FILTERS = (
    click.option("--round", "round_id", type=int, help="Only this round."),
    click.option("--unit", "unit_code", help="Only this unit (code)."),
    click.option("--under", help="Only units below this unit code."),
    click.option("--status", type=click.Choice(SUGGESTION_STATUSES), help="Only this status."),
)


F = TypeVar("F", bound=Callable[..., Any])


def _filters(command: F) -> F:
    for option in reversed(FILTERS):
        command = option(command)
    return command


@suggestions_group.command("list")
@_filters
def list_(**filters: Any) -> None:
    """Suggestions with their ids, units and status."""
    session = database.session()
    try:
        found = list_suggestions(session, **filters)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(found)} suggestion(s)")
    for suggestion in found:
        text = " ".join(suggestion.text.split())
        click.echo(f"{suggestion.id:>6}  round {suggestion.round_id:<4} {suggestion.status:<10} "
                   f"{suggestion.unit.code:<12} {text[:60]}")


@suggestions_group.command("status")
@click.argument("suggestion_id", type=int)
@click.argument("status", type=click.Choice(SUGGESTION_STATUSES))
@click.option("--note", required=True, help="What was done (required).")
def status(suggestion_id: int, status: str, note: str) -> None:
    """Move a suggestion to forwarded or resolved, with a note (audited)."""
    session = database.session()
    try:
        change_status(session, get_suggestion(session, suggestion_id), status, note)
    except OperationError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"suggestion {suggestion_id} is now {status}")


@suggestions_group.command("export")
@_filters
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The XLSX file to write.")
def export(out: Path, **filters: Any) -> None:
    """Write the selected suggestions to an XLSX workbook (Chinese headers; audited)."""
    session = database.session()
    try:
        rows = export_rows(session, list_suggestions(session, **filters), filters)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    out.write_bytes(workbook_bytes(rows))
    session.commit()
    click.echo(f"wrote {len(rows)} suggestion(s) to {out}")
