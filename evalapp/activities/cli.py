"""`evalapp activity import FILE` and `evalapp activity list [--week DAY]`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import AppGroup

from .. import database
from ..imports.cli import run_import
from ..models import today_utc
from ..operations import OperationError
from .operations import import_activities, weekly_activities

activity_group = AppGroup("activity", help="Import and list units' activities.")

WEEKDAYS = "一二三四五六日"


@activity_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Check the file and show the counts without writing anything.")
def import_(path: Path, dry_run: bool) -> None:
    """Create or update activities from CSV or XLSX; all-or-nothing, safe to repeat."""
    run_import(import_activities, path, dry_run)


@activity_group.command("list")
@click.option("--week", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="Any day of the week to list (default: this week).")
@click.option("--under", multiple=True, help="Only units below this unit code (repeatable).")
def list_(day: dt.datetime | None, under: tuple[str, ...]) -> None:
    """The weekly activity list, Monday to Sunday."""
    session = database.session()
    try:
        week = weekly_activities(session, day.date() if day else today_utc(), under)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"week {week.first_day} – {week.last_day}: {len(week.activities)} activities")
    for activity in week.activities:
        place = f"  @ {activity.place}" if activity.place else ""
        click.echo(f"{activity.held_on} 周{WEEKDAYS[activity.held_on.weekday()]}  "
                   f"{activity.id:>5}  {activity.type:<12} {activity.unit.code:<12} "
                   f"{activity.title}{place}")
