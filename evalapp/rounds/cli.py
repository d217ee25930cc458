"""`evalapp round list|create|open|close|assign`."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from .. import database
from ..instruments.operations import latest
from ..models import DIMENSIONS, MODES, UNIT_KINDS, Assignment, Round, RoundUnit, Unit, User
from ..operations import OperationError
from . import operations

round_group = AppGroup("round", help="Create, open, close and list evaluation rounds.")


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


@round_group.command("create")
@click.option("--name", required=True)
@click.option("--mode", type=click.Choice(MODES), required=True)
@click.option("--instrument", "instrument_key", help="Instrument id (default: the mode's).")
@click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(UNIT_KINDS),
              help="Units of this kind are in scope (repeatable; default branch, youth_home).")
@click.option("--under", "under", multiple=True, help="Only units below this unit code.")
@click.option("--min-n", type=int, default=5, show_default=True)
@click.option("--weights", help="e.g. awareness=1,participation=1,satisfaction=2")
@click.option("--observers-per-unit", type=int, default=2, show_default=True)
def create(name: str, mode: str, instrument_key: str | None, opens: dt.datetime,
           closes: dt.datetime, kinds: tuple[str, ...], under: tuple[str, ...], min_n: int,
           weights: str | None, observers_per_unit: int) -> None:
    """Create a round in draft with the chosen units in scope."""
    session = database.session()
    instrument = latest(session, instrument_key or mode)
    if instrument is None:
        raise click.ClickException(f"no instrument {instrument_key or mode!r}; load it first")
    units = _units_in_scope(session, kinds or ("branch", "youth_home"), under)
    try:
        round_ = operations.create_round(
            session, name=name, mode=mode, instrument=instrument, opens_on=opens.date(),
            closes_on=closes.date(), units=units, weights=_parse_weights(weights), min_n=min_n,
            observers_per_unit=observers_per_unit)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"created round {round_.id} ({round_.name}) with {len(units)} units")


def _units_in_scope(session, kinds: tuple[str, ...], under: tuple[str, ...]) -> list[Unit]:  # type: ignore[no-untyped-def]
    units = session.scalars(select(Unit).where(Unit.kind.in_(kinds), Unit.active)).all()
    if not under:
        return list(units)
    roots = set(under)
    known = set(session.scalars(select(Unit.code).where(Unit.code.in_(roots))))
    if roots - known:
        raise click.ClickException(f"unknown unit code(s): {', '.join(sorted(roots - known))}")
    return [unit for unit in units if _has_ancestor(unit, roots)]


def _has_ancestor(unit: Unit, codes: set[str]) -> bool:
    node = unit.parent
    while node is not None:
        if node.code in codes:
            return True
        node = node.parent
    return False


def _transition(round_id: int, change) -> None:  # type: ignore[no-untyped-def]
    session = database.session()
    try:
        round_ = change(session, operations.get_round(session, round_id))
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"round {round_.id} is now {round_.status}")


@round_group.command("open")
@click.argument("round_id", type=int)
def open_(round_id: int) -> None:
    """Open a draft round: observers see their assignments and can submit."""
    _transition(round_id, operations.open_round)


@round_group.command("close")
@click.argument("round_id", type=int)
def close(round_id: int) -> None:
    """Close an open round: no more submissions from observers."""
    _transition(round_id, operations.close_round)


@round_group.command("publish")
@click.argument("round_id", type=int)
def publish(round_id: int) -> None:
    """Publish a closed round: its score table is frozen and never changes."""
    _transition(round_id, operations.publish_round)


@round_group.command("assign")
@click.argument("round_id", type=int)
@click.option("--unit", "unit_code", required=True)
@click.option("--observer", "login", required=True)
def assign(round_id: int, unit_code: str, login: str) -> None:
    """Assign one observer to one unit by hand (audited)."""
    session = database.session()
    unit = session.scalar(select(Unit).where(Unit.code == unit_code))
    observer = session.scalar(select(User).where(User.login == login))
    if unit is None or observer is None:
        missing = f"unit {unit_code}" if unit is None else f"observer {login}"
        raise click.ClickException(f"no {missing}")
    try:
        assignment = operations.assign_observer(
            session, operations.get_round(session, round_id), unit, observer)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    count = session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.round_id == round_id, Assignment.unit_id == unit.id))
    click.echo(f"assignment {assignment.id}: {login} → {unit_code}; "
               f"{count} observer(s) on this unit")
