"""`evalapp round list|create|update|open|close|publish|assign|unassign|replace|assignments|
progress|resample-check`.

Each command calls the operations, prints what they return and commits once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import database
from ..instruments.operations import latest
from ..models import (
    DIMENSIONS,
    MODES,
    UNIT_KINDS,
    Activity,
    Assignment,
    Instrument,
    Round,
    RoundUnit,
    Unit,
    User,
)
from ..observe.storage import forget_deleted
from ..operations import OperationError
from . import operations, scope, staffing
from .progress import round_progress

round_group = AppGroup("round", help="Plan, staff, follow and publish evaluation rounds.")

F = TypeVar("F", bound=Callable[..., Any])
MAX_WARNINGS = 20
DATE = click.DateTime(["%Y-%m-%d"])


@round_group.command("list")
def list_rounds() -> None:
    """Ids, names, modes, states, windows and sizes of all rounds."""
    session = database.session()
    units = dict(session.execute(
        select(RoundUnit.round_id, func.count()).group_by(RoundUnit.round_id)).all())
    rounds = session.scalars(select(Round).order_by(Round.id)).all()
    if not rounds:
        click.echo("no rounds yet")
        return
    click.echo(f"{'id':>4}  {'mode':<11} {'status':<10} {'window':<23} {'units':>5}  name")
    for round_ in rounds:
        window = f"{round_.opens_on} – {round_.closes_on}"
        click.echo(f"{round_.id:>4}  {round_.mode:<11} {round_.status:<10} {window:<23} "
                   f"{units.get(round_.id, 0):>5}  {round_.name}")


def _settings_options(command: F) -> F:
    """The options `create` and `update` share; unset ones keep the default or value."""
    options = [
        click.option("--min-n", type=int, help="Responses a unit needs to be scored "
                                                "[create: 5]."),
        click.option("--weights", help="e.g. awareness=1,participation=1,satisfaction=2 "
                                       "[create: equal]"),
        click.option("--star-cutoffs", help="Lower bounds of two to five stars, e.g. "
                                            "60,70,80,90 [create: 60,70,80,90]"),
        click.option("--observers-per-unit", type=int,
                     help="Observers sent to each unit [create: 2]."),
        click.option("--exclude-same-county/--allow-same-county", default=None,
                     help="Keep observers away from units in their own county "
                          "[create: allow]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(min_n: int | None, weights: str | None, star_cutoffs: str | None,
              observers_per_unit: int | None, exclude_same_county: bool | None
              ) -> dict[str, Any]:
    values = {"min_n": min_n, "weights": _parse_weights(weights),
              "star_cutoffs": _parse_cutoffs(star_cutoffs),
              "observers_per_unit": observers_per_unit,
              "exclude_same_county": exclude_same_county}
    return {key: value for key, value in values.items() if value is not None}


def _parse_weights(text: str | None) -> dict[str, float] | None:
    if not text:
        return None
    weights: dict[str, float] = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        try:
            weights[key.strip()] = float(value)
        except ValueError as error:
            raise click.BadParameter(f"{part!r} is not dimension=number", param_hint="--weights"
                                     ) from error
    unknown = set(weights) - set(DIMENSIONS)
    if unknown:
        raise click.BadParameter(f"unknown dimension {', '.join(sorted(unknown))}",
                                 param_hint="--weights")
    return {dimension: weights.get(dimension, 0.0) for dimension in DIMENSIONS}


def _parse_cutoffs(text: str | None) -> list[float] | None:
    if not text:
        return None
    try:
        return [float(part) for part in text.split(",")]
    except ValueError as error:
        raise click.BadParameter(f"{text!r} is not four numbers separated by commas",
                                 param_hint="--star-cutoffs") from error


@round_group.command("create")
@click.option("--name", required=True)
@click.option("--mode", type=click.Choice(MODES), required=True)
@click.option("--instrument", "instrument_key", help="Instrument id (default: the mode's).")
@click.option("--instrument-version", type=int, help="Instrument version (default: latest).")
@click.option("--opens", type=DATE, required=True)
@click.option("--closes", type=DATE, required=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(UNIT_KINDS),
              help="Units of this kind are in scope (repeatable; default branch, youth_home).")
@click.option("--under", "under", multiple=True,
              help="Only units below this unit code (repeatable).")
@click.option("--sample", "sample", type=int,
              help="Draw this many of the selected units, stratified by county.")
@click.option("--sample-share", type=float, help="Draw this share (e.g. 0.2) instead.")
@click.option("--seed", type=int, help="Seed of the sample (default: a fresh random one).")
@_settings_options
def create(name: str, mode: str, instrument_key: str | None, instrument_version: int | None,
           opens: dt.datetime, closes: dt.datetime, kinds: tuple[str, ...],
           under: tuple[str, ...], sample: int | None, sample_share: float | None,
           seed: int | None, **settings: Any) -> None:
    """Create a round in draft with the selected (or a sample of the selected) units."""
    session = database.session()
    instrument = _instrument(session, instrument_key or mode, instrument_version)
    kinds = kinds or scope.DEFAULT_KINDS
    sampled = sample is not None or sample_share is not None
    if seed is not None and not sampled:
        raise click.UsageError("--seed goes with --sample or --sample-share")
    with _operation_errors():
        units = scope.select_units(session, kinds, under)
        round_ = operations.create_round(
            session, name=name, mode=mode, instrument=instrument, opens_on=opens.date(),
            closes_on=closes.date(), units=[] if sampled else units, **_settings(**settings))
        if sampled:
            draw = scope.sample_scope(session, round_, kinds=kinds, under=under, size=sample,
                                      share=sample_share, seed=seed)
    session.commit()
    if sampled:
        strata = ", ".join(f"{code or '(no county)'} {count}"
                           for code, count in draw.allocation.items())
        click.echo(f"created round {round_.id} ({round_.name}) with a sample of "
                   f"{len(draw.codes)} of {len(units)} units, seed {draw.seed} ({strata})")
    else:
        click.echo(f"created round {round_.id} ({round_.name}) with {len(units)} units")


def _instrument(session: Session, key: str, version: int | None) -> Instrument:
    if version is None:
        instrument = latest(session, key)
    else:
        instrument = session.scalar(select(Instrument).where(Instrument.key == key,
                                                             Instrument.version == version))
    if instrument is None:
        shown = key if version is None else f"{key} v{version}"
        raise click.ClickException(f"no instrument {shown!r}; load it first")
    return instrument


@contextmanager
def _operation_errors() -> Iterator[None]:
    """Turns an ``OperationError`` into a click error, rolling back the session."""
    try:
        yield
    except OperationError as error:
        database.session().rollback()
        raise click.ClickException(str(error)) from error


@round_group.command("update")
@click.argument("round_id", type=int)
@click.option("--name")
@click.option("--opens", type=DATE)
@click.option("--closes", type=DATE)
@_settings_options
def update(round_id: int, name: str | None, opens: dt.datetime | None,
           closes: dt.datetime | None, **settings: Any) -> None:
    """Change settings of a round that is not published yet (audited)."""
    session = database.session()
    changes = _settings(**settings)
    for key, value in (("name", name), ("opens_on", opens and opens.date()),
                       ("closes_on", closes and closes.date())):
        if value is not None:
            changes[key] = value
    with _operation_errors():
        changed = operations.update_round(session, operations.get_round(session, round_id),
                                          **changes)
    session.commit()
    if not changed:
        click.echo(f"round {round_id}: nothing changed")
    for key, (old, new) in changed.items():
        click.echo(f"round {round_id}: {key} {old} → {new}")


def _transition(round_id: int, change: Callable[[Session, Round], Round]) -> Round:
    session = database.session()
    with _operation_errors():
        round_ = change(session, operations.get_round(session, round_id))
    session.commit()
    click.echo(f"round {round_.id} is now {round_.status}")
    return round_


@round_group.command("open")
@click.argument("round_id", type=int)
def open_(round_id: int) -> None:
    """Open a draft round: observers see their assignments and can submit."""
    round_ = _transition(round_id, operations.open_round)
    _echo_warnings(staffing.staffing_warnings(database.session(), round_))


@round_group.command("close")
@click.argument("round_id", type=int)
def close(round_id: int) -> None:
    """Close an open round: no more submissions from observers."""
    _transition(round_id, operations.close_round)


@round_group.command("publish")
@click.argument("round_id", type=int)
@click.option("--correct", "reason", metavar="REASON",
              help="Supersede the published table with a corrected one, for this reason.")
def publish(round_id: int, reason: str | None) -> None:
    """Publish a closed round: its score table is frozen and never changes."""
    if reason is None:
        _transition(round_id, operations.publish_round)
        return
    session = database.session()
    with _operation_errors():
        result = operations.correct_publication(
            session, operations.get_round(session, round_id), reason)
    session.commit()
    click.echo(f"round {round_id}: corrected publication {result.id} (data version "
               f"{result.data_version[:12]}) supersedes the previous one; both stay readable")


@round_group.command("assign")
@click.argument("round_id", type=int)
@click.option("--auto", is_flag=True, help="Staff every unit automatically and blindly.")
@click.option("--seed", type=int, help="Seed of --auto (default: a fresh random one).")
@click.option("--unit", "unit_code", help="Assign by hand: the unit's code …")
@click.option("--observer", "login", help="… and the observer's login.")
@click.option("--activity", "activity_id", type=int, help="… and optionally an activity id.")
def assign(round_id: int, auto: bool, seed: int | None, unit_code: str | None,
           login: str | None, activity_id: int | None) -> None:
    """Assign observers: all units with --auto, or one observer by hand (audited)."""
    if auto == bool(unit_code or login):
        raise click.UsageError("give either --auto or both --unit and --observer")
    if auto:
        _auto_assign(round_id, seed)
        return
    if not (unit_code and login):
        raise click.UsageError("--unit and --observer go together")
    session = database.session()
    round_, unit, observer = _round_unit_observer(session, round_id, unit_code, login)
    activity = session.get(Activity, activity_id) if activity_id is not None else None
    if activity_id is not None and activity is None:
        raise click.ClickException(f"no activity {activity_id}")
    with _operation_errors():
        assignment = operations.assign_observer(session, round_, unit, observer, activity)
    session.commit()
    click.echo(f"assignment {assignment.id}: {login} → {unit_code}; "
               f"{_observers_on(session, round_id, unit.id)} observer(s) on this unit")
    _echo_warnings(staffing.staffing_warnings(session, round_))


def _auto_assign(round_id: int, seed: int | None) -> None:
    session = database.session()
    with _operation_errors():
        outcome = staffing.auto_assign(session, operations.get_round(session, round_id), seed)
    session.commit()
    click.echo(f"round {round_id}: {outcome.created} assignments made with seed "
               f"{outcome.seed}; {staffing.loads_summary(list(outcome.loads.values()))}")
    _echo_warnings(outcome.warnings)


@round_group.command("unassign")
@click.argument("round_id", type=int)
@click.option("--unit", "unit_code", required=True)
@click.option("--observer", "login", required=True)
@click.option("--discard-drafts", is_flag=True,
              help="Also throw away the observer's unfinished questionnaires for the unit.")
def unassign(round_id: int, unit_code: str, login: str, discard_drafts: bool) -> None:
    """Withdraw an observer from a unit (audited)."""
    session = database.session()
    round_, unit, observer = _round_unit_observer(session, round_id, unit_code, login)
    with _operation_errors():
        assignment = operations.find_assignment(session, round_, unit, observer)
        discarded = operations.unassign_observer(session, assignment,
                                                 discard_drafts=discard_drafts)
    _commit_discarding(session, discarded)
    click.echo(f"{login} no longer visits {unit_code}"
               + (f" ({discarded} draft(s) discarded)" if discarded else ""))
    _echo_warnings(staffing.staffing_warnings(session, round_))


@round_group.command("replace")
@click.argument("round_id", type=int)
@click.option("--unit", "unit_code", required=True)
@click.option("--observer", "login", required=True, help="The observer to replace …")
@click.option("--by", "new_login", required=True, help="… by this one.")
@click.option("--discard-drafts", is_flag=True,
              help="Throw away the replaced observer's unfinished questionnaires.")
def replace(round_id: int, unit_code: str, login: str, new_login: str,
            discard_drafts: bool) -> None:
    """Give an observer's assignment to another observer (audited)."""
    session = database.session()
    round_, unit, observer = _round_unit_observer(session, round_id, unit_code, login)
    replacement = _observer(session, new_login)
    with _operation_errors():
        assignment = operations.find_assignment(session, round_, unit, observer)
        discarded = operations.replace_observer(session, assignment, replacement,
                                                discard_drafts=discard_drafts)
    _commit_discarding(session, discarded)
    click.echo(f"{unit_code}: {login} replaced by {new_login}")


def _commit_discarding(session: Session, discarded: int) -> None:
    session.commit()
    if discarded:
        forget_deleted(session.get_bind().engine)


@round_group.command("assignments")
@click.argument("round_id", type=int)
def assignments(round_id: int) -> None:
    """Who visits which unit (for the evaluation team only: keep it secret)."""
    session = database.session()
    with _operation_errors():
        operations.get_round(session, round_id)
    rows = session.execute(
        select(Unit.code, Unit.name, User.login, Assignment.status, Assignment.activity_id)
        .select_from(Assignment).join(Unit, Unit.id == Assignment.unit_id)
        .join(User, User.id == Assignment.observer_id)
        .where(Assignment.round_id == round_id).order_by(Unit.code, User.login)).all()
    if not rows:
        click.echo(f"round {round_id} has no assignments")
    for code, name, login, status, activity in rows:
        extra = f"  activity {activity}" if activity is not None else ""
        click.echo(f"{code:<14} {login:<20} {status:<10}{extra}  {name}")


@round_group.command("progress")
@click.argument("round_id", type=int)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the per-unit table as CSV (UTF-8 with BOM).")
def progress(round_id: int, csv_path: Path | None) -> None:
    """Assigned, drafts, submitted and responses against min_n, per county and unit."""
    session = database.session()
    with _operation_errors():
        report = round_progress(session, operations.get_round(session, round_id))
    if csv_path:
        csv_path.write_bytes(report.csv())
    click.echo(f"round {round_id} ({report.status}): {report.days_left} day(s) left, "
               f"min_n {report.min_n}")
    click.echo(f"{'county / unit':<24} {'assigned':>8} {'drafts':>6} {'submitted':>9} "
               f"{'responses':>9}")
    for county in report.counties:
        click.echo(f"{(county.county_code or county.county_name):<24} {county.assigned:>8} "
                   f"{county.drafts:>6} {county.submitted:>9} {county.responses:>9}  "
                   f"{county.units_at_min_n}/{county.units} units at min_n")
        for unit in (u for u in report.units if u.county_code == county.county_code):
            mark = "" if unit.responses >= report.min_n else f"  ({unit.short_of(report.min_n)}"\
                                                             " short)"
            click.echo(f"  {unit.unit_code:<22} {unit.assigned:>8} {unit.drafts:>6} "
                       f"{unit.submitted:>9} {unit.responses:>9}{mark}")


@round_group.command("resample-check")
@click.argument("round_id", type=int)
def resample_check(round_id: int) -> None:
    """Re-draw a sampled round from its recorded seed and frame; fails on a mismatch."""
    session = database.session()
    with _operation_errors():
        check = scope.check_sample(session, operations.get_round(session, round_id))
    click.echo(str(check))
    if not check.matches:
        raise click.exceptions.Exit(1)


def _round_unit_observer(session: Session, round_id: int, unit_code: str, login: str
                         ) -> tuple[Round, Unit, User]:
    with _operation_errors():
        round_ = operations.get_round(session, round_id)
    unit = session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise click.ClickException(f"no unit {unit_code}")
    return round_, unit, _observer(session, login)


def _observer(session: Session, login: str) -> User:
    observer = session.scalar(select(User).where(User.login == login.lower()))
    if observer is None:
        raise click.ClickException(f"no observer {login}")
    return observer


def _observers_on(session: Session, round_id: int, unit_id: int) -> int:
    return session.scalar(select(func.count(func.distinct(Assignment.observer_id))).where(
        Assignment.round_id == round_id, Assignment.unit_id == unit_id)) or 0


def _echo_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings[:MAX_WARNINGS]:
        click.echo(f"warning: {warning}")
    if len(warnings) > MAX_WARNINGS:
        click.echo(f"warning: … and {len(warnings) - MAX_WARNINGS} more unit(s) with fewer "
                   "than two observers")
