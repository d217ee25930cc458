"""Views of the observer's pages: form → operation → response.

URLs carry draft keys but never assignment ids: a web-server log then holds nothing that
leads from a request to an observer (README "Observers").
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.datastructures import MultiDict

from surveys.answers import Answer
from surveys.instrument import Instrument as Definition

from .. import database
from ..auth.access import roles_required
from ..i18n import current_language
from ..instruments.operations import definition_of
from ..models import Assignment, Draft, today_utc
from ..responses.recording import SubmissionError
from . import blueprint, operations, queries
from .forms import BadPost, Post, collect_answers, form_class, read_post
from .fragments import question_renderer
from .pages import assignment_rows, questionnaire_sections
from .storage import forget_deleted, forget_deleted_soon

SUBMIT_ATTEMPTS = 3
MAX_ID_DIGITS = 9  # larger numbers are no id of ours (and overflow PostgreSQL's integer)


def _observer_id() -> int:
    return int(current_user.id)


@blueprint.get("/")
@roles_required("observer")
def assignments():  # type: ignore[no-untyped-def]
    db = database.session()
    rows = queries.open_assignments(db, _observer_id())
    drafts = queries.drafts_of(db, [row.id for row in rows])
    return render_template("observe/assignments.html", rows=assignment_rows(rows, drafts))


@blueprint.post("/drafts")
@database.reads_first
@roles_required("observer")
def new_draft():  # type: ignore[no-untyped-def]
    """Start a questionnaire for the assignment named in the form (not in the URL)."""
    raw = request.form.get("assignment", "")
    db = database.session()
    valid = raw.isdigit() and len(raw) <= MAX_ID_DIGITS
    assignment = queries.own_assignment(db, _observer_id(), int(raw)) if valid else None
    _check_open(assignment)
    database.begin_writing(db)
    draft = operations.start_draft(db, assignment)  # type: ignore[arg-type]
    db.commit()
    return redirect(url_for(".draft", key=draft.submission_key), 303)


def _check_open(assignment: Assignment | None) -> None:
    """404 unless the observer's own, in a round that has opened; 403 once it has closed."""
    if assignment is None or assignment.round.status == "draft":
        abort(404)
    if assignment.round.status != "open":
        abort(_closed_page())


def _closed_page():  # type: ignore[no-untyped-def]
    return current_app.make_response((render_template("observe/closed.html"), 403))


@blueprint.get("/drafts/<key>")
@roles_required("observer")
def draft(key: str):  # type: ignore[no-untyped-def]
    db = database.session()
    found = queries.own_draft(db, _observer_id(), key)
    if found is None:
        return _confirmation(key)
    _check_open(found.assignment)
    definition = definition_of(found.assignment.round.instrument)
    stored = MultiDict([(name, value) for name, values in
                        found.data.get("fields", {}).items() for value in values])
    stored.add("channel", found.channel)
    return _form_page(found, definition, stored)


def _form_page(found: Draft, definition: Definition, data: MultiDict[str, str],
               problems: dict[str, str] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    language = current_language()
    form = form_class(definition, language)(formdata=data)
    sections = questionnaire_sections(definition, form, language, problems or {})
    return render_template("observe/form.html", draft=found, form=form, sections=sections,
                           definition=definition, assignment=found.assignment,
                           problems=problems or {},
                           render_question=question_renderer(definition.content_hash,
                                                             language)), status


def _confirmation(key: str):  # type: ignore[no-untyped-def]
    """The confirmation of a submitted draft (the same however often it is asked for)."""
    found = operations.submitted_response(database.session(), _observer_id(),
                                          current_app.config["RATER_SECRET"], key)
    if found is None:
        abort(404)
    _response, assignment = found
    return render_template("observe/submitted.html", assignment=assignment)


@blueprint.post("/drafts/<key>")
@database.reads_first
@roles_required("observer")
def post_draft(key: str):  # type: ignore[no-untyped-def]
    db = database.session()
    found = queries.own_draft(db, _observer_id(), key)
    if found is None:  # a repeated submit shows the confirmation again
        if operations.submitted_response(db, _observer_id(),
                                         current_app.config["RATER_SECRET"], key) is None:
            abort(404)
        return redirect(url_for(".draft", key=key), 303)
    _check_open(found.assignment)
    definition = definition_of(found.assignment.round.instrument)
    post = _read(definition)
    if post.action == "submit":
        return _submit(found, definition, post, key)
    database.begin_writing(db)
    operations.save_draft(db, found, post.fields, post.channel)
    db.commit()
    flash(_("Draft saved. You can continue later, on this or another device."))
    return redirect(url_for(".draft", key=key), 303)


def _read(definition: Definition) -> Post:
    try:
        return read_post(definition, request.form)
    except BadPost as problem:
        abort(400, description=str(problem))


def _submit(found: Draft, definition: Definition, post: Post, key: str):  # type: ignore[no-untyped-def]
    db = database.session()
    collected = collect_answers(definition, post.fields)
    if collected.problems:
        database.begin_writing(db)
        operations.save_draft(db, found, post.fields, post.channel)
        db.commit()
        return _form_page(found, definition, request.form, collected.problems, 400)
    draft_id = found.id
    for attempt in range(SUBMIT_ATTEMPTS):
        database.begin_writing(db)  # on SQLite the claim opens a transaction of its own
        try:
            _store(draft_id, collected.answers, post.channel)
            break
        except (IntegrityError, OperationalError):
            # A concurrent post of the same key won the race (or held the lock too long).
            db.rollback()
            if operations.submitted_response(db, _observer_id(),
                                             current_app.config["RATER_SECRET"], key):
                break
            if attempt + 1 == SUBMIT_ATTEMPTS:
                raise
            time.sleep(0.1 * (attempt + 1))
    forget_deleted_soon(database.engine())
    return redirect(url_for(".draft", key=key), 303)


def _store(draft_id: int, answers: Mapping[str, Answer], channel: str) -> None:
    """Claim, submit and commit; nothing when another request already submitted."""
    db = database.session()
    claimed = operations.claim_draft(db, draft_id)
    if claimed is None:
        db.rollback()
        return
    try:
        operations.submit_draft(db, claimed, _observer_id(), current_app.config["RATER_SECRET"],
                                answers, channel, today_utc())
    except operations.RoundNotOpen:
        db.rollback()
        abort(_closed_page())
    except SubmissionError as problem:
        db.rollback()
        item = problem.item_id or "?"
        abort(400, description=_("The answers do not fit the questionnaire (question %(item)s). "
                                 "Reload the page and check your answers.", item=item))
    db.commit()


@blueprint.post("/drafts/<key>/autosave")
@database.reads_first
@roles_required("observer")
def autosave(key: str):  # type: ignore[no-untyped-def]
    """The page's background save (JSON); the plain form post does the same without it."""
    db = database.session()
    found = queries.own_draft(db, _observer_id(), key)
    if found is None:
        return jsonify(saved=False, error=_("This questionnaire has been submitted.")), 404
    if found.assignment.round.status != "open":
        return jsonify(saved=False, error=_("This round is closed.")), 403
    try:
        post = read_post(definition_of(found.assignment.round.instrument), request.form)
    except BadPost as problem:
        return jsonify(saved=False, error=str(problem)), 400
    database.begin_writing(db)
    if not operations.save_draft(db, found, post.fields, post.channel):
        return jsonify(saved=False, error=_("This questionnaire has been submitted.")), 404
    db.commit()
    return jsonify(saved=True)


@blueprint.post("/drafts/<key>/discard")
@roles_required("observer")
def discard(key: str):  # type: ignore[no-untyped-def]
    db = database.session()
    found = queries.own_draft(db, _observer_id(), key)
    if found is None:
        abort(404)
    db.delete(found)
    db.commit()
    forget_deleted(database.engine())
    flash(_("The draft has been deleted."))
    return redirect(url_for(".assignments"), 303)
