"""Assignments of a round: the automatic blind assignment, and changes by hand.

The team is the trusted party and sees who goes where. The operations enforce the rules
(never an affiliated observer, the county rule, nothing after a submission, drafts only
discarded when asked); their refusals are shown translated, and an automatic run the
constraints do not allow names each unit short of observers and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from .. import database
from ..auth.access import roles_required
from ..models import Activity, Assignment, Round, RoundUnit, Unit
from ..observe.storage import forget_deleted
from ..operations import OperationError
from ..rounds import operations
from ..rounds.staffing import (
    AssignmentRefused,
    AutoAssignment,
    auto_assign,
    staffing_warnings,
)
from . import blueprint
from .common import actor_id, get_or_404, page_of_query, query_text, round_or_404
from .forms import AssignForm, AutoAssignForm, ReplaceForm, UnassignForm, choices
from .messages import explain
from .queries import (
    active_observers,
    observer_by_login,
    round_activities,
    scope_units,
    unit_by_code,
)

T = TypeVar("T")
UNITS_PER_PAGE = 100


def _activity_choices(db: Session, round_: Round) -> list[tuple[str, str]]:
    choices = [("", _("None"))]
    if round_.mode == "experience":
        choices += [(str(a.id), f"{a.unit.code} · {a.held_on.isoformat()} · {a.title}")
                    for a in round_activities(db, round_)]
    return choices


def _page(round_: Round, status: int = 200, refusal: str | None = None,
          shortfalls: list[str] | None = None, auto: AutoAssignForm | None = None,
          assign: AssignForm | None = None):  # type: ignore[no-untyped-def]
    db = database.session()
    assign = assign or AssignForm(formdata=None)
    assign.activity.choices = choices(_activity_choices(db, round_))
    search = query_text("unit")
    units = (select(Unit).join(RoundUnit, RoundUnit.unit_id == Unit.id)
             .where(RoundUnit.round_id == round_.id).order_by(Unit.code))
    if search:
        units = units.where(or_(Unit.code.contains(search, autoescape=True),
                                Unit.name.contains(search, autoescape=True)))
    page = page_of_query(db, units, UNITS_PER_PAGE)
    return render_template(
        "evaluate/assignments.html", round=round_, page=page, search=search,
        assignments=_assignments(db, round_, [u.id for u in page.items]),
        auto=auto or AutoAssignForm(formdata=None), assign=assign, refusal=refusal,
        shortfalls=shortfalls or [], observers=active_observers(db),
        units=scope_units(db, round_.id),
        warnings=[explain(w) for w in staffing_warnings(db, round_)],
        changeable=round_.status in operations.ASSIGNABLE_STATUSES), status


def _assignments(db: Session, round_: Round, unit_ids: list[int]) -> dict[int, list[Assignment]]:
    found: dict[int, list[Assignment]] = {unit_id: [] for unit_id in unit_ids}
    rows = db.scalars(select(Assignment).options(joinedload(Assignment.observer),
                                                 joinedload(Assignment.activity))
                      .where(Assignment.round_id == round_.id,
                             Assignment.unit_id.in_(unit_ids))
                      .order_by(Assignment.unit_id, Assignment.id))
    for assignment in rows:
        found[assignment.unit_id].append(assignment)
    return found


@blueprint.get("/rounds/<int:round_id>/assignments")
@roles_required("evaluator", "admin")
def assignments(round_id: int):  # type: ignore[no-untyped-def]
    return _page(round_or_404(round_id))


def _refusal(error: OperationError) -> tuple[str, list[str]]:
    """What the page says of a refused change, and the units an automatic run cannot staff."""
    if isinstance(error, AssignmentRefused):
        return (_("Nobody was assigned: some units cannot get enough eligible observers."),
                [_shortfall(s) for s in error.shortfalls])
    return explain(error), []


def _change(round_: Round, operation: Callable[[Session], T],
            done: Callable[[T], ResponseReturnValue],
            **page: Any) -> ResponseReturnValue:
    """Run one operation: committed and ``done`` with its result, or rolled back and the
    page again with the refusal and a 400 (``page`` keeps the forms as they were filled)."""
    db = database.session()
    try:
        result = operation(db)
    except OperationError as error:
        db.rollback()
        refusal, shortfalls = _refusal(error)
        return _page(round_, 400, refusal, shortfalls=shortfalls, **page)
    db.commit()
    return done(result)


@blueprint.post("/rounds/<int:round_id>/assignments/auto")
@roles_required("evaluator", "admin")
def assign_automatically(round_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        return _page(round_, 400, auto=form)
    return _change(round_, lambda db: auto_assign(db, round_, form.seed.data, actor_id()),
                   lambda run: _assigned_automatically(round_, run), auto=form)


def _assigned_automatically(round_: Round, run: AutoAssignment) -> ResponseReturnValue:
    low, high = run.load_range
    flash(_("%(count)d assignments made with seed %(seed)d. Each observer now has %(low)d to "
            "%(high)d assignments.", count=run.created, seed=run.seed, low=low, high=high))
    return redirect(url_for(".assignments", round_id=round_.id), 303)


def _shortfall(shortfall) -> str:  # type: ignore[no-untyped-def]
    return _("%(unit)s: needs %(needed)d observers, %(eligible)d eligible (%(affiliated)d "
             "belong to the unit, %(same_county)d to its county).",
             unit=shortfall.unit.label, needed=shortfall.needed, eligible=shortfall.eligible,
             affiliated=shortfall.affiliated, same_county=shortfall.same_county)


@blueprint.post("/rounds/<int:round_id>/assignments")
@roles_required("evaluator", "admin")
def assign(round_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    form = AssignForm()
    form.activity.choices = choices(_activity_choices(db, round_))
    if not form.validate_on_submit():
        return _page(round_, 400, assign=form)
    unit = unit_by_code(db, form.unit.data)
    observer = observer_by_login(db, form.observer.data)
    if unit is None:
        form.unit.errors.append(_("No unit has this code."))
    if observer is None:
        form.observer.errors.append(_("No observer has this login."))
    if unit is None or observer is None:
        return _page(round_, 400, assign=form)
    activity = db.get(Activity, int(form.activity.data)) if form.activity.data else None
    return _change(round_, lambda db: operations.assign_observer(db, round_, unit, observer,
                                                                 activity, actor_id()),
                   lambda _created: _assigned(round_, observer.login, unit.code), assign=form)


def _assigned(round_: Round, login: str, code: str) -> ResponseReturnValue:
    flash(_("%(observer)s is assigned to %(unit)s.", observer=login, unit=code))
    return redirect(url_for(".assignments", round_id=round_.id), 303)


def _own_assignment(round_: Round, assignment_id: int) -> Assignment:
    assignment = get_or_404(Assignment, assignment_id)
    if assignment.round_id != round_.id:
        abort(404)
    return assignment


def _back(round_: Round, discarded: int, message: str) -> ResponseReturnValue:
    """Back to the list page the change was made on, once discarded drafts are gone for
    good."""
    if discarded:
        forget_deleted(database.engine())
    flash(message)
    page = request.form.get("page", "")
    args = {"page": int(page)} if page.isdigit() and len(page) < 6 else {}
    return redirect(url_for(".assignments", round_id=round_.id, **args), 303)


@blueprint.post("/rounds/<int:round_id>/assignments/<int:assignment_id>/remove")
@roles_required("evaluator", "admin")
def unassign(round_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    assignment = _own_assignment(round_, assignment_id)
    form = UnassignForm()
    if not form.validate_on_submit():
        abort(400)
    message = _("%(observer)s no longer goes to %(unit)s.",
                observer=assignment.observer.login, unit=assignment.unit.code)
    return _change(round_, lambda db: operations.unassign_observer(
        db, assignment, actor_id(), discard_drafts=form.discard_drafts.data),
        lambda discarded: _back(round_, discarded, message))


@blueprint.post("/rounds/<int:round_id>/assignments/<int:assignment_id>/replace")
@roles_required("evaluator", "admin")
def replace(round_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    assignment = _own_assignment(round_, assignment_id)
    form = ReplaceForm()
    if not form.validate_on_submit():
        problems = [error for errors in form.errors.values() for error in errors]
        return _page(round_, 400, " ".join(str(p) for p in problems))
    observer = observer_by_login(database.session(), form.observer.data)
    if observer is None:
        return _page(round_, 400, _("No observer has the login %(login)s.",
                                    login=form.observer.data.strip()))
    message = _("%(observer)s now goes to %(unit)s.", observer=observer.login,
                unit=assignment.unit.code)
    return _change(round_, lambda db: operations.replace_observer(
        db, assignment, observer, actor_id(), discard_drafts=form.discard_drafts.data),
        lambda discarded: _back(round_, discarded, message))
