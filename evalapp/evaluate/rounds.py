"""Rounds: the list, creating one with its units, its page, settings, units and steps.

Steps (open, close, publish, a corrected publication) are confirmed on a page of their own
that says what the step does; only its POST changes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import database
from ..auth.access import roles_required
from ..models import ROUND_STATUSES, Instrument, Round, today_utc
from ..operations import OperationError
from ..rounds import operations, scope
from ..rounds.staffing import staffing_warnings
from . import blueprint
from .common import actor_id, counties, page_of, query_choice, round_or_404
from .forms import (
    STAR_FIELDS,
    ConfirmForm,
    CorrectionForm,
    RoundCreateForm,
    RoundSettingsForm,
    ScopeForm,
    choices,
    grouped,
)
from .labels import STATUS_NAMES
from .messages import explain
from .queries import (
    instrument_choices,
    latest_instrument,
    publications,
    round_counts,
    scope_units,
)

DEFAULT_DAYS = 30


@blueprint.get("/")
@roles_required("evaluator", "admin")
def index():  # type: ignore[no-untyped-def]
    return redirect(url_for(".rounds"))


@blueprint.get("/rounds")
@roles_required("evaluator", "admin")
def rounds():  # type: ignore[no-untyped-def]
    db = database.session()
    status = query_choice("status", ROUND_STATUSES)
    query = select(Round).order_by(Round.id.desc())
    if status:
        query = query.where(Round.status == status)
    page = page_of(db.scalars(query).all())
    counts = round_counts(db, [r.id for r in page.items])
    return render_template("evaluate/rounds.html", page=page, counts=counts, status=status)


# --- creating --------------------------------------------------------------------------


def _prepare_scope(db: Session, form: ScopeForm) -> None:
    form.areas.choices = choices((unit.code, f"{unit.name} ({unit.code})")
                                 for unit in counties(db))


def _prepare_create(db: Session, form: RoundCreateForm) -> None:
    _prepare_scope(db, form)
    form.instrument.choices = grouped(instrument_choices(db))


def _new_page(form: RoundCreateForm, status: int = 200, refusal: str | None = None):  # type: ignore[no-untyped-def]
    return render_template("evaluate/round_new.html", form=form, refusal=refusal,
                           star_fields=STAR_FIELDS), status


@blueprint.get("/rounds/new")
@roles_required("evaluator", "admin")
def new_round():  # type: ignore[no-untyped-def]
    db = database.session()
    form = RoundCreateForm()
    _prepare_create(db, form)
    today = today_utc()
    form.opens_on.data = today
    form.closes_on.data = today + dt.timedelta(days=DEFAULT_DAYS)
    instrument = latest_instrument(db, form.mode.data)
    form.instrument.data = instrument.id if instrument else None
    return _new_page(form)


@blueprint.post("/rounds/new")
@roles_required("evaluator", "admin")
def create_round():  # type: ignore[no-untyped-def]
    db = database.session()
    form = RoundCreateForm()
    _prepare_create(db, form)
    if not form.validate_on_submit():
        return _new_page(form, 400)
    instrument = db.get(Instrument, form.instrument.data)
    try:
        round_ = _create(db, form, instrument)  # type: ignore[arg-type]
    except OperationError as error:
        db.rollback()
        return _new_page(form, 400, explain(error))
    db.commit()
    flash(_("Round “%(name)s” created with %(count)d units. It is a draft: assign observers, "
            "then open it.", name=round_.name, count=len(round_.units)))
    return redirect(url_for(".round_page", round_id=round_.id), 303)


def _create(db: Session, form: RoundCreateForm, instrument: Instrument) -> Round:
    units = [] if form.sampled else scope.select_units(db, form.kinds.data, form.under())
    round_ = operations.create_round(db, mode=form.mode.data, instrument=instrument,
                                     units=units, actor_id=actor_id(), **form.settings())
    if form.sampled:
        scope.sample_scope(db, round_, kinds=form.kinds.data, under=form.under(),
                           actor_id=actor_id(), **form.sample())
    return round_


# --- the round's page and its settings ---------------------------------------------------


def _round_page(round_: Round, status: int = 200, refusal: str | None = None):  # type: ignore[no-untyped-def]
    db = database.session()
    sample, sample_problem = None, None
    if round_.sampling_seed is not None:
        try:
            sample = scope.check_sample(db, round_)
        except OperationError as error:
            sample_problem = explain(error)
    warnings = staffing_warnings(db, round_) if round_.status in ("draft", "open") else []
    return render_template(
        "evaluate/round.html", round=round_, counts=round_counts(db, [round_.id])[round_.id],
        sample=sample, sample_problem=sample_problem, warnings=[explain(w) for w in warnings],
        publications=publications(db, round_.id), refusal=refusal), status


@blueprint.get("/rounds/<int:round_id>")
@roles_required("evaluator", "admin")
def round_page(round_id: int):  # type: ignore[no-untyped-def]
    return _round_page(round_or_404(round_id))


def _settings_form(db: Session, round_: Round) -> RoundSettingsForm:
    form = RoundSettingsForm()
    if round_.status == "draft":
        form.instrument.choices = grouped(instrument_choices(db, round_.mode))
    else:
        del form.instrument
    return form


def _fill(form: RoundSettingsForm, round_: Round) -> None:
    """The round's settings into a fresh form."""
    form.name.data = round_.name
    form.opens_on.data, form.closes_on.data = round_.opens_on, round_.closes_on
    for dimension, weight in round_.weights.items():
        getattr(form, f"weight_{dimension}").data = weight
    for name, cut in zip(STAR_FIELDS, round_.star_cutoffs, strict=True):
        getattr(form, name).data = cut
    form.min_n.data = round_.min_n
    form.observers_per_unit.data = round_.observers_per_unit
    form.exclude_same_county.data = round_.exclude_same_county
    if "instrument" in form:
        form.instrument.data = round_.instrument_id


def _edit_page(round_: Round, form: RoundSettingsForm, status: int = 200,
               refusal: str | None = None):  # type: ignore[no-untyped-def]
    return render_template("evaluate/round_edit.html", round=round_, form=form,
                           refusal=refusal, star_fields=STAR_FIELDS), status


def _published_refusal(round_: Round) -> str:
    return _("Round %(round)s is published: its settings no longer change.", round=round_.id)


@blueprint.get("/rounds/<int:round_id>/edit")
@roles_required("evaluator", "admin")
def edit_round(round_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    if round_.status == "published":
        return _round_page(round_, 400, _published_refusal(round_))
    form = _settings_form(database.session(), round_)
    _fill(form, round_)
    return _edit_page(round_, form)


@blueprint.post("/rounds/<int:round_id>/edit")
@roles_required("evaluator", "admin")
def update_round(round_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    if round_.status == "published":
        return _round_page(round_, 400, _published_refusal(round_))
    form = _settings_form(db, round_)
    if not form.validate_on_submit():
        return _edit_page(round_, form, 400)
    changes: dict[str, Any] = form.settings()
    if "instrument" in form:
        changes["instrument"] = db.get(Instrument, form.instrument.data)
    try:
        changed = operations.update_round(db, round_, actor_id(), **changes)
    except OperationError as error:
        db.rollback()
        return _edit_page(round_, form, 400, explain(error))
    db.commit()
    flash(_("Settings saved.") if changed else _("Nothing changed."))
    return redirect(url_for(".round_page", round_id=round_.id), 303)


# --- units -------------------------------------------------------------------------------


def _units_page(round_: Round, form: ScopeForm, status: int = 200,
                refusal: str | None = None):  # type: ignore[no-untyped-def]
    db = database.session()
    return render_template("evaluate/scope.html", round=round_, form=form, refusal=refusal,
                           page=page_of(scope_units(db, round_.id), 100)), status


@blueprint.get("/rounds/<int:round_id>/units")
@roles_required("evaluator", "admin")
def units_page(round_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    form = ScopeForm()
    _prepare_scope(database.session(), form)
    return _units_page(round_, form)


@blueprint.post("/rounds/<int:round_id>/units")
@roles_required("evaluator", "admin")
def set_units(round_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    form = ScopeForm()
    _prepare_scope(db, form)
    if not form.validate_on_submit():
        return _units_page(round_, form, 400)
    try:
        message = _change_scope(db, round_, form)
    except OperationError as error:
        db.rollback()
        return _units_page(round_, form, 400, explain(error))
    db.commit()
    flash(message)
    return redirect(url_for(".units_page", round_id=round_.id), 303)


def _change_scope(db: Session, round_: Round, form: ScopeForm) -> str:
    if form.sampled:
        draw = scope.sample_scope(db, round_, kinds=form.kinds.data, under=form.under(),
                                  actor_id=actor_id(), **form.sample())
        return _("Drew a sample of %(count)d units with seed %(seed)d.", count=len(draw.codes),
                 seed=draw.seed)
    units = scope.select_units(db, form.kinds.data, form.under())
    added, removed = scope.set_scope(db, round_, units, actor_id())
    return _("The round now has %(count)d units (%(added)d added, %(removed)d removed).",
             count=len(units), added=len(added), removed=len(removed))


# --- steps: open, close, publish, correct ------------------------------------------------


def _correct(db: Session, round_: Round, actor: int, reason: str) -> None:
    operations.correct_publication(db, round_, reason, actor)


STEPS: dict[str, tuple[str, Callable[..., Any]]] = {
    "open": ("draft", operations.open_round),
    "close": ("open", operations.close_round),
    "publish": ("closed", operations.publish_round),
    "correct": ("published", _correct),
}
STEP_TITLES = {"open": _l("Open the round"), "close": _l("Close the round"),
               "publish": _l("Publish the round"),
               "correct": _l("Publish a corrected score table")}
DONE = {"open": _l("The round is open: observers now see their assignments."),
        "close": _l("The round is closed: observers can no longer submit."),
        "publish": _l("The round is published and its score table frozen."),
        "correct": _l("The corrected score table is published; the previous one stays "
                      "readable.")}
STEP = "<any(open, close, publish, correct):step>"


def _step_page(round_: Round, step: str, form: ConfirmForm | CorrectionForm,
               status: int = 200, refusal: str | None = None):  # type: ignore[no-untyped-def]
    db = database.session()
    expected = STEPS[step][0]
    if round_.status != expected and refusal is None:
        refusal = _("Round %(round)s is %(status)s: only a round that is %(expected)s can "
                    "take this step.", round=round_.id, status=STATUS_NAMES[round_.status],
                    expected=STATUS_NAMES[expected])
        status = 400
    warnings = staffing_warnings(db, round_) if step == "open" else []
    return render_template(
        "evaluate/step.html", round=round_, step=step, title=STEP_TITLES[step], form=form,
        counts=round_counts(db, [round_.id])[round_.id], warnings=[explain(w) for w in warnings],
        possible=round_.status == expected, refusal=refusal), status


def _step_form(step: str) -> ConfirmForm | CorrectionForm:
    return CorrectionForm() if step == "correct" else ConfirmForm()


@blueprint.get(f"/rounds/<int:round_id>/{STEP}")
@roles_required("evaluator", "admin")
def confirm_step(round_id: int, step: str):  # type: ignore[no-untyped-def]
    return _step_page(round_or_404(round_id), step, _step_form(step))


@blueprint.post(f"/rounds/<int:round_id>/{STEP}")
@roles_required("evaluator", "admin")
def take_step(round_id: int, step: str):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    form = _step_form(step)
    if not form.validate_on_submit():
        return _step_page(round_, step, form, 400)
    action = STEPS[step][1]
    try:
        if isinstance(form, CorrectionForm):
            action(db, round_, actor_id(), form.reason.data)
        else:
            action(db, round_, actor_id())
    except OperationError as error:
        db.rollback()
        return _step_page(round_, step, form, 400, explain(error))
    db.commit()
    flash(str(DONE[step]))
    return redirect(url_for(".round_page", round_id=round_.id), 303)
