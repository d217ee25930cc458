"""Assignments of a round: the automatic blind assignment, and changes by hand.

The team is the trusted party and sees who goes where. The operations enforce the rules
(never an affiliated observer, the county rule, nothing after a submission, drafts only
discarded when asked); their refusals are shown translated, and an automatic run the
constraints do not allow names each unit short of observers and why.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from .. import database
from ..auth.access import roles_required
from ..models import Activity, Assignment, Round, RoundUnit, Unit
from ..observe.storage import forget_deleted
from ..operations import OperationError
from ..rounds import operations
from ..rounds.staffing import AssignmentRefused, auto_assign, staffing_warnings
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


@blueprint.post("/rounds/<int:round_id>/assignments/auto")
@roles_required("evaluator", "admin")
def assign_automatically(round_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        return _page(round_, 400, auto=form)
    try:
        run = auto_assign(db, round_, form.seed.data, actor_id())
    except AssignmentRefused as refused:
        db.rollback()
        return _page(round_, 400, _("Nobody was assigned: some units cannot get enough "
                                    "eligible observers."),
                     shortfalls=[_shortfall(s) for s in refused.shortfalls], auto=form)
    except OperationError as error:
        db.rollback()
        return _page(round_, 400, explain(error), auto=form)
    db.commit()
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
    try:
        operations.assign_observer(db, round_, unit, observer, activity, actor_id())
    except OperationError as error:
        db.rollback()
        return _page(round_, 400, explain(error), assign=form)
    db.commit()
    flash(_("%(observer)s is assigned to %(unit)s.", observer=observer.login, unit=unit.code))
    return redirect(url_for(".assignments", round_id=round_.id), 303)


def _own_assignment(round_: Round, assignment_id: int) -> Assignment:
    assignment = get_or_404(Assignment, assignment_id)
    if assignment.round_id != round_.id:
        abort(404)
    return assignment


def _back(round_: Round):  # type: ignore[no-untyped-def]
    """Back to the list page the change was made on."""
    page = request.form.get("page", "")
    args = {"page": int(page)} if page.isdigit() and len(page) < 6 else {}
    return redirect(url_for(".assignments", round_id=round_.id, **args), 303)


@blueprint.post("/rounds/<int:round_id>/assignments/<int:assignment_id>/remove")
@roles_required("evaluator", "admin")
def unassign(round_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    assignment = _own_assignment(round_, assignment_id)
    form = UnassignForm()
    if not form.validate_on_submit():
        abort(400)
    label = (assignment.observer.login, assignment.unit.code)
    try:
        discarded = operations.unassign_observer(db, assignment, actor_id(),
                                                 discard_drafts=form.discard_drafts.data)
    except OperationError as error:
        db.rollback()
        return _page(round_, 400, explain(error))
    db.commit()
    if discarded:
        forget_deleted(database.engine())
    flash(_("%(observer)s no longer goes to %(unit)s.", observer=label[0], unit=label[1]))
    return _back(round_)


@blueprint.post("/rounds/<int:round_id>/assignments/<int:assignment_id>/replace")
@roles_required("evaluator", "admin")
def replace(round_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    assignment = _own_assignment(round_, assignment_id)
    form = ReplaceForm()
    if not form.validate_on_submit():
        problems = [error for errors in form.errors.values() for error in errors]
        return _page(round_, 400, " ".join(str(p) for p in problems))
    observer = observer_by_login(db, form.observer.data)
    if observer is None:
        return _page(round_, 400, _("No observer has the login %(login)s.",
                                    login=form.observer.data.strip()))
    try:
        discarded = operations.replace_observer(db, assignment, observer, actor_id(),
                                                discard_drafts=form.discard_drafts.data)
    except OperationError as error:
        db.rollback()
        return _page(round_, 400, explain(error))
    db.commit()
    if discarded:
        forget_deleted(database.engine())
    flash(_("%(observer)s now goes to %(unit)s.", observer=observer.login,
            unit=assignment.unit.code))
    return _back(round_)
