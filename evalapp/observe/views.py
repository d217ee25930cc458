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
from ..instruments.operations import definition_by_hash
from ..models import today_utc
from ..responses.recording import SubmissionError
from . import blueprint, operations, queries
from .forms import BadPost, Post, collect_answers, read_post
from .fragments import questionnaire_body
from .pages import assignment_rows
from .queries import OpenDraft
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
@database.single_statement_writes
@roles_required("observer")
def new_draft():  # type: ignore[no-untyped-def]
    """Start a questionnaire for the assignment named in the form (not in the URL)."""
    raw = request.form.get("assignment", "")
    if not (raw.isdigit() and len(raw) <= MAX_ID_DIGITS):
        abort(404)
    db = database.session()
    key = operations.start_draft(db, _observer_id(), int(raw))
    if key is None:  # not the observer's, or its round is not open: say which
        assignment = queries.own_assignment(db, _observer_id(), int(raw))
        _check_open(assignment.round.status if assignment else None)
        abort(404)  # it was not open when asked (it opened a moment later)
    db.commit()
    return redirect(url_for(".draft", key=key), 303)


def _check_open(round_status: str | None) -> None:
    """404 unless the observer's own (a status is found), in a round that has opened; 403
    once it has closed."""
    if round_status is None or round_status == "draft":
        abort(404)
    if round_status != "open":
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
    _check_open(found.round_status)
    definition = _definition(found)
    stored = MultiDict([(name, value) for name, values in
                        found.data.get("fields", {}).items() for value in values])
    stored.add("channel", found.channel)
    return _form_page(found, definition, stored)


def _definition(found: OpenDraft) -> Definition:
    return definition_by_hash(database.session(), found.instrument_id, found.instrument_hash)


def _form_page(found: OpenDraft, definition: Definition, data: MultiDict[str, str],
               problems: dict[str, str] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    questions = questionnaire_body(definition, current_language(), data, problems or {})
    return render_template("observe/form.html", draft=found, definition=definition,
                           questions=questions, problems=problems or {}), status


def _confirmation(key: str):  # type: ignore[no-untyped-def]
    """The confirmation of a submitted draft (the same however often it is asked for)."""
    found = operations.submitted_response(database.session(), _observer_id(),
                                          current_app.config["RATER_SECRET"], key)
    if found is None:
        abort(404)
    _response, assignment = found
    return render_template("observe/submitted.html", assignment=assignment)


@blueprint.post("/drafts/<key>")
@database.single_statement_writes
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
    _check_open(found.round_status)
    definition = _definition(found)
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


def _submit(found: OpenDraft, definition: Definition, post: Post, key: str):  # type: ignore[no-untyped-def]
    db = database.session()
    collected = collect_answers(definition, post.fields)
    if collected.problems:
        database.begin_writing(db)
        operations.save_draft(db, found, post.fields, post.channel)
        db.commit()
        return _form_page(found, definition, request.form, collected.problems, 400)
    for attempt in range(SUBMIT_ATTEMPTS):
        database.begin_writing(db)  # on SQLite the claim waits for the write lock
        try:
            _store(found, definition, collected.answers, post.channel)
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


def _store(found: OpenDraft, definition: Definition, answers: Mapping[str, Answer],
           channel: str) -> None:
    """Submit and commit; nothing when another request already submitted the draft."""
    db = database.session()
    try:
        submitted = operations.submit_draft(db, found, definition, _observer_id(),
                                            current_app.config["RATER_SECRET"], answers,
                                            channel, today_utc())
    except operations.RoundNotOpen:
        db.rollback()
        abort(_closed_page())
    except SubmissionError as problem:
        db.rollback()
        item = problem.item_id or "?"
        abort(400, description=_("The answers do not fit the questionnaire (question %(item)s). "
                                 "Reload the page and check your answers.", item=item))
    if submitted:
        db.commit()
    else:
        db.rollback()


@blueprint.post("/drafts/<key>/autosave")
@database.single_statement_writes
@database.reads_first
@roles_required("observer")
def autosave(key: str):  # type: ignore[no-untyped-def]
    """The page's background save (JSON); the plain form post does the same without it."""
    db = database.session()
    found = queries.own_draft(db, _observer_id(), key)
    if found is None:
        return jsonify(saved=False, error=_("This questionnaire has been submitted.")), 404
    if found.round_status != "open":
        return jsonify(saved=False, error=_("This round is closed.")), 403
    try:
        post = read_post(_definition(found), request.form)
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
    operations.discard_draft(db, found)
    db.commit()
    forget_deleted(database.engine())
    flash(_("The draft has been deleted."))
    return redirect(url_for(".assignments"), 303)
