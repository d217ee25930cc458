"""`evalapp import units|observers FILE`, `evalapp import responses|template` and
`evalapp import mapping show|list|infer`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.importers import (
    FORMAT_CHOICES,
    MappingReview,
    ResponseMapping,
    write_template_csv,
    write_template_xlsx,
)

from .. import database
from ..instruments.operations import definition_of
from ..models import Instrument, Round
from ..operations import OperationError
from ..rounds.operations import get_round
from .mappings import load_mapping, mapping_json, mapping_rows, read_mapping_file, save_mapping
from .observers import import_observers
from .outcome import ImportFailed, ImportSummary
from .responses import (
    MappingNeedsConfirmation,
    import_responses,
    inspect_responses,
    response_template,
)
from .units import import_units

import_group = AppGroup("import", help="Import units, observers and responses from CSV or XLSX.")

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
DRY_RUN = click.option("--dry-run", is_flag=True,
                       help="Check the file and show the counts without writing anything.")


@import_group.command("units")
@click.argument("path", type=FILE)
@DRY_RUN
def units(path: Path, dry_run: bool) -> None:
    """Create or update units (our template or a 智慧团建 list); all-or-nothing."""
    run_import(import_units, path, dry_run)


@import_group.command("observers")
@click.argument("path", type=FILE)
@DRY_RUN
def observers(path: Path, dry_run: bool) -> None:
    """Create or update observers and their affiliated units; all-or-nothing."""
    run_import(import_observers, path, dry_run)


def run_import(importer: Callable[[Session, Path], ImportSummary], path: Path, dry_run: bool
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


# --- responses -------------------------------------------------------------------------

ROUND = click.option("--round", "round_id", type=int, required=True, help="The round's id.")
FORMAT = click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES),
                      help="The file's format (default: recognised from the header).")
UNIT = click.option("--unit", help="The unit (code or name) of every row, for a file "
                                   "without a unit column (one questionnaire per unit).")
ACTIVITY = click.option("--activity", help="The activity (id) of every row, for a file about "
                                           "one activity (experience rounds; implies its "
                                           "unit).")


@import_group.command("responses")
@ROUND
@click.argument("path", type=FILE)
@FORMAT
@click.option("--mapping", "mapping_name", help="Use the mapping saved under this name.")
@click.option("--mapping-file", type=FILE, help="Use the mapping in this JSON file.")
@click.option("--save-mapping", "save_name",
              help="Confirm the mapping (inferred, or from --mapping-file) and save it.")
@UNIT
@ACTIVITY
@DRY_RUN
def responses(round_id: int, path: Path, format_: str | None, mapping_name: str | None,
              mapping_file: Path | None, save_name: str | None, unit: str | None,
              activity: str | None, dry_run: bool) -> None:
    """Import responses (evalapp template, 问卷星 or 腾讯问卷 export); all-or-nothing.

    Without --mapping or --mapping-file the mapping is inferred; unless every question maps
    unambiguously it is printed and nothing is imported until you confirm it with
    --save-mapping NAME (or edit it: `evalapp import mapping infer`, then --mapping-file).
    """
    if mapping_name and mapping_file:
        raise click.UsageError("give --mapping or --mapping-file, not both")
    session = database.session()
    try:
        round_ = get_round(session, round_id)
        mapping = _given_mapping(session, round_, mapping_name, mapping_file)
        if save_name:
            mapping = _confirm(session, round_, path, mapping, save_name, format_,
                               {"unit": unit, "activity": activity}, dry_run)
        summary = import_responses(session, round_, path, mapping, format=format_, unit=unit,
                                   activity=activity, mapping_name=save_name or mapping_name,
                                   dry_run=dry_run)
    except MappingNeedsConfirmation as error:
        session.rollback()
        _echo_review(error.inspection.review)
        raise click.ClickException(f"{error}: check it above, then run again with "
                                   "--save-mapping NAME to accept it, or edit it (`evalapp "
                                   "import mapping infer ... --out FILE.json`) and run with "
                                   "--mapping-file FILE.json") from error
    except (ImportFailed, OperationError) as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    except OSError as error:
        session.rollback()
        raise click.ClickException(f"{path.name}: cannot be read ({error.strerror})") from error
    _finish(session, dry_run)
    for header in summary.dropped_columns:
        click.echo(f"dropped identifying column (not read, not stored): {header}")
    for header in summary.ignored_columns:
        click.echo(f"ignored column: {header}")
    click.echo(f"{summary}{' (dry run: nothing written)' if dry_run else ''}")


def _given_mapping(session: Session, round_: Round, name: str | None, path: Path | None
                   ) -> ResponseMapping | None:
    if name:
        return load_mapping(session, name, round_.instrument)
    if path:
        return read_mapping_file(path, round_.instrument)
    return None


def _confirm(session: Session, round_: Round, path: Path, mapping: ResponseMapping | None,
             name: str, format_: str | None, given: dict[str, str | None], dry_run: bool
             ) -> ResponseMapping:
    """Save the mapping the evaluator confirms (committed at once: it stays saved even when
    the file's rows are refused)."""
    if mapping is None:
        inspection = inspect_responses(session, round_, path, format=format_, **given)
        _echo_review(inspection.review)
        mapping = inspection.review.mapping
    if not dry_run:
        save_mapping(session, name, round_.instrument, mapping)
        session.commit()
        click.echo(f"mapping {name!r} saved for {round_.instrument.key} "
                   f"v{round_.instrument.version}")
    return mapping


def _echo_review(review: MappingReview) -> None:
    for line in review.lines():
        click.echo(line)


def _finish(session: Session, dry_run: bool) -> None:
    if dry_run:
        session.rollback()
    else:
        session.commit()


@import_group.command("template")
@ROUND
@click.option("--out", "out", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="FILE.xlsx (sheets responses, legend, units, and activities in an "
                   "experience round) or FILE.csv (and FILE.legend.csv).")
def template(round_id: int, out: Path) -> None:
    """Write the response template of a round's instrument, with its legend and units (and,
    in an experience round, an activity column and the activities it may name)."""
    session = database.session()
    try:
        round_ = get_round(session, round_id)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    definition = definition_of(round_.instrument)
    sheets = response_template(session, round_)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        write_template_xlsx(out, sheets, definition)
        written = [out]
    elif suffix == ".csv":
        written = write_template_csv(out, sheets)
    else:
        raise click.BadParameter("the file name must end in .xlsx or .csv", param_hint="--out")
    activities = "" if sheets.activities is None else \
        f", {len(sheets.activities) - 1} activities"
    click.echo(f"wrote {', '.join(str(p) for p in written)}: {definition.id} "
               f"v{round_.instrument.version}, {len(definition.items)} items, "
               f"{len(sheets.units) - 1} units{activities}")


# --- saved mappings --------------------------------------------------------------------

mapping_group = AppGroup("mapping", help="Show, list and infer response mappings.")
import_group.add_command(mapping_group)


@mapping_group.command("show")
@click.argument("name")
@click.option("--round", "round_id", type=int,
              help="The round whose instrument the mapping is for (when several are).")
def show_mapping(name: str, round_id: int | None) -> None:
    """Print a saved mapping as JSON (edit it and use it with --mapping-file)."""
    session = database.session()
    rows = mapping_rows(session, name)
    if round_id is not None:
        try:
            instrument_id = get_round(session, round_id).instrument_id
        except OperationError as error:
            raise click.ClickException(str(error)) from error
        rows = [row for row in rows if row.instrument_id == instrument_id]
    if not rows:
        raise click.ClickException(f"no saved mapping {name!r}")
    if len(rows) > 1:
        raise click.ClickException(f"mapping {name!r} exists for several instrument versions; "
                                   "choose one with --round")
    click.echo(json.dumps(rows[0].mapping, ensure_ascii=False, indent=2))


@mapping_group.command("list")
def list_mappings() -> None:
    """Saved mappings: name, format, instrument version, date."""
    session = database.session()
    instruments = {row.id: row for row in session.scalars(select(Instrument))}
    rows = mapping_rows(session)
    if not rows:
        click.echo("no saved mappings")
    for row in rows:
        instrument = instruments[row.instrument_id]
        click.echo(f"{row.name}\t{row.source}\t{instrument.key} v{instrument.version}\t"
                   f"{row.created_at:%Y-%m-%d}")


@mapping_group.command("infer")
@ROUND
@click.argument("path", type=FILE)
@FORMAT
@UNIT
@ACTIVITY
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the JSON here (default: print it).")
def infer(round_id: int, path: Path, format_: str | None, unit: str | None,
          activity: str | None, out: Path | None) -> None:
    """Propose a mapping for a file, as JSON to edit; nothing is written to the database."""
    session = database.session()
    try:
        round_ = get_round(session, round_id)
        inspection = inspect_responses(session, round_, path, format=format_, unit=unit,
                                       activity=activity)
    except (ImportFailed, OperationError) as error:
        raise click.ClickException(str(error)) from error
    text = mapping_json(inspection.review.mapping)
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    _echo_review(inspection.review)
    click.echo(f"wrote {out}")
