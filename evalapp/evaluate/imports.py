"""Importing questionnaires collected elsewhere: upload, review the mapping, import.

1. The upload page takes the file (our template, a 问卷星 or 腾讯问卷 export), optionally a
   saved mapping and the unit of every row; the file is staged (`uploads.stage`) and the
   importer infers a mapping, or reviews the saved one, without storing anything.
2. The review page shows what each question feeds, marks the guesses to check, and takes
   the evaluator's edits ("check again" shows their effect, nothing is stored). In an
   experience round it also shows which question names each row's activity.
3. "Import" saves the mapping under a name if one is given (committed on its own, as the
   command line does, so a refused file does not lose the confirmed mapping), then imports
   all or nothing: a refused file comes back with every problem by row and column.

The template of the round's questionnaire is a download on the upload page.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from surveys.importers import MappingError, ResponseMapping, write_template_xlsx

from .. import database
from ..auth.access import roles_required
from ..i18n import current_language
from ..imports.mappings import load_mapping, mapping_json, read_mapping_file, save_mapping
from ..imports.outcome import ImportFailed, Problem
from ..imports.responses import (
    Inspection,
    import_responses,
    inspect_responses,
    response_template,
)
from ..instruments.operations import definition_of
from ..models import Round
from ..operations import OperationError
from ..responses.recording import ACCEPTING_STATUSES
from . import blueprint, uploads
from .common import actor_id, round_or_404
from .forms import FORMAT_LABELS, ConfirmForm, MappingFileForm, ResponseUploadForm, choices
from .labels import STATUS_NAMES
from .messages import explain, explain_problem
from .queries import activity_named, saved_mappings, scope_units, unit_by_code
from .review import (
    EditError,
    activity_row,
    apply_edits,
    channel_choices,
    item_choices,
    marks_of,
    question_rows,
    unit_row,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIONS = ("check", "import")
MAX_MAPPING_NAME = 200


# --- the upload page and the template ---------------------------------------------------


def _closed_refusal(round_: Round) -> str | None:
    if round_.status in ACCEPTING_STATUSES:
        return None
    return _("Round %(round)s is %(status)s: responses can be imported only while a round is "
             "open or closed.", round=round_.id, status=STATUS_NAMES[round_.status])


def _upload_form(round_: Round) -> ResponseUploadForm:
    form = ResponseUploadForm()
    saved = saved_mappings(database.session(), round_.instrument_id)
    form.mapping.choices = choices([("", _("None: propose one from the file")),
                                    *((row.name, row.name) for row in saved)])
    return form


def _upload_page(round_: Round, form: ResponseUploadForm, status: int = 200,
                 refusal: str | None = None, problems: list[Problem] | None = None):  # type: ignore[no-untyped-def]
    return render_template(
        "evaluate/import_upload.html", round=round_, form=form,
        refusal=refusal or _closed_refusal(round_), problems=_problem_rows(problems),
        units=scope_units(database.session(), round_.id)), status


def _problem_rows(problems: list[Problem] | None) -> list[tuple[str, str, str]]:
    return [("" if p.row is None else str(p.row), p.column or "", explain_problem(p.reason))
            for p in problems or []]


@blueprint.get("/rounds/<int:round_id>/import")
@roles_required("evaluator", "admin")
def import_page(round_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    return _upload_page(round_, _upload_form(round_))


@blueprint.get("/rounds/<int:round_id>/import/template.xlsx")
@roles_required("evaluator", "admin")
def template(round_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    definition = definition_of(round_.instrument)
    buffer = io.BytesIO()
    write_template_xlsx(buffer, response_template(database.session(), round_), definition)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True,
                     download_name=f"round-{round_.id}-template.xlsx")


@blueprint.post("/rounds/<int:round_id>/import")
@roles_required("evaluator", "admin")
def upload_responses(round_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    form = _upload_form(round_)
    if not form.validate_on_submit():
        return _upload_page(round_, form, 400)
    if _closed_refusal(round_):
        return _upload_page(round_, form, 400)
    unit = form.unit.data.strip() if form.unit.data else None
    if unit and unit_by_code(db, unit) is None:
        form.unit.errors.append(_("No unit has this code."))
        return _upload_page(round_, form, 400)
    try:
        mapping = load_mapping(db, form.mapping.data, round_.instrument) \
            if form.mapping.data else None
        stage = uploads.stage(form.file.data, {
            "user": actor_id(), "round": round_.id, "format": form.format.data or None,
            "unit": unit, "activity": _given_activity(round_, form),
            "mapping_name": form.mapping.data or None})
    except uploads.BadUpload as refused:
        form.file.errors.append(str(refused))
        return _upload_page(round_, form, 400)
    except OperationError as error:
        return _upload_page(round_, form, 400, explain(error))
    try:
        inspection = _inspect(round_, stage, mapping)
    except ImportFailed as failed:
        stage.discard()
        return _upload_page(round_, form, 400, _("Nothing was imported."), failed.problems)
    except OperationError as error:
        stage.discard()
        return _upload_page(round_, form, 400, explain(error))
    stage.keep_mapping(inspection.review.mapping.to_json())
    stage.keep_marks(marks_of(inspection.review))
    return redirect(url_for(".review_import", round_id=round_.id, token=stage.token), 303)


def _given_activity(round_: Round, form: ResponseUploadForm) -> str | None:
    """The activity of every row, in an experience round (others show no such field)."""
    text = (form.activity.data or "").strip()
    return text if text and round_.mode == "experience" else None


def _inspect(round_: Round, stage: uploads.Stage,
             mapping: ResponseMapping | None) -> Inspection:
    upload = stage.upload
    return inspect_responses(database.session(), round_, upload.path,
                             format=stage.meta.get("format"), mapping=mapping,
                             unit=stage.meta.get("unit"), activity=stage.meta.get("activity"),
                             display_name=upload.name)


# --- the review page ---------------------------------------------------------------------


def _stage_or_404(round_: Round, token: str) -> uploads.Stage:
    stage = uploads.find_stage(token, actor_id(), round_.id)
    if stage is None:
        abort(404)
    return stage


def _staged_mapping(round_: Round, stage: uploads.Stage) -> ResponseMapping:
    """The mapping kept with the file (checked when kept; 404 if it no longer fits)."""
    try:
        return ResponseMapping.from_json(stage.mapping_data(), definition_of(round_.instrument))
    except (MappingError, ValueError):
        stage.discard()
        abort(404)


def _current(round_: Round, stage: uploads.Stage) -> Inspection:
    """The staged file read through the staged mapping."""
    return _inspect(round_, stage, _staged_mapping(round_, stage))


def _review_page(round_: Round, stage: uploads.Stage, status: int = 200,
                 refusal: str | None = None, problems: list[Problem] | None = None):  # type: ignore[no-untyped-def]
    try:
        inspection = _current(round_, stage)
    except OperationError as error:  # the round stopped taking responses meanwhile
        return _upload_page(round_, _upload_form(round_), 400, explain(error))
    review, language = inspection.review, current_language()
    definition = definition_of(round_.instrument)
    return render_template(
        "evaluate/import_review.html", round=round_, stage=stage, review=review,
        layout=inspection.layout, rows=question_rows(review, stage.marks(), definition,
                                                     language),
        unit=unit_row(review, stage.marks()), activity=activity_row(review, stage.marks()),
        items=item_choices(definition, language),
        channels=channel_choices(), form=ConfirmForm(formdata=None),
        file_form=MappingFileForm(formdata=None), refusal=refusal or _closed_refusal(round_),
        problems=_problem_rows(problems), template=review.mapping.format == "template",
        given_activity=activity_named(database.session(), stage.meta.get("activity")),
        format_names=FORMAT_LABELS), status


@blueprint.get("/rounds/<int:round_id>/import/<token>")
@roles_required("evaluator", "admin")
def review_import(round_id: int, token: str):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    return _review_page(round_, _stage_or_404(round_, token))


@blueprint.post("/rounds/<int:round_id>/import/<token>")
@roles_required("evaluator", "admin")
def confirm_import(round_id: int, token: str):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    stage = _stage_or_404(round_, token)
    action = request.form.get("action", "")
    if not ConfirmForm().validate_on_submit() or action not in ACTIONS:
        abort(400)
    try:
        inspection = _current(round_, stage)
        mapping = apply_edits(inspection.review.mapping, inspection.review, inspection.layout,
                              request.form, definition_of(round_.instrument))
    except EditError as error:
        return _review_page(round_, stage, 400, str(error))
    except OperationError as error:
        return _review_page(round_, stage, 400, explain(error))
    stage.keep_mapping(mapping.to_json())
    if action == "check":
        return redirect(url_for(".review_import", round_id=round_.id, token=token), 303)
    return _import(round_, stage, mapping)


def _import(round_: Round, stage: uploads.Stage, mapping: ResponseMapping):  # type: ignore[no-untyped-def]
    db = database.session()
    name = " ".join(request.form.get("mapping_name", "").split())[:MAX_MAPPING_NAME + 1] or None
    try:
        if name:
            save_mapping(db, name, round_.instrument, mapping, actor_id())
            db.commit()
        upload = stage.upload
        summary = import_responses(db, round_, upload.path, mapping,
                                   format=stage.meta.get("format"),
                                   unit=stage.meta.get("unit"),
                                   activity=stage.meta.get("activity"), actor_id=actor_id(),
                                   display_name=upload.name,
                                   mapping_name=name or stage.meta.get("mapping_name"))
    except ImportFailed as failed:
        db.rollback()
        return _review_page(round_, stage, 400, _("Nothing was imported."), failed.problems)
    except OperationError as error:
        db.rollback()
        return _review_page(round_, stage, 400, explain(error))
    db.commit()
    stage.discard()
    flash(_("%(file)s: %(rows)d responses, %(imported)d imported, %(already)d already imported "
            "before.", file=summary.file, rows=summary.rows, imported=summary.imported,
            already=summary.already))
    return redirect(url_for(".progress", round_id=round_.id), 303)


@blueprint.post("/rounds/<int:round_id>/import/<token>/cancel")
@roles_required("evaluator", "admin")
def cancel_import(round_id: int, token: str):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    stage = _stage_or_404(round_, token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    stage.discard()
    flash(_("The upload was cancelled and its file deleted."))
    return redirect(url_for(".import_page", round_id=round_.id), 303)


@blueprint.get("/rounds/<int:round_id>/import/<token>/mapping.json")
@roles_required("evaluator", "admin")
def mapping_download(round_id: int, token: str) -> Response:
    round_ = round_or_404(round_id)
    stage = _stage_or_404(round_, token)
    body = mapping_json(_staged_mapping(round_, stage))
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="round-{round_.id}-mapping.json"',
        "Cache-Control": "no-store"})


@blueprint.post("/rounds/<int:round_id>/import/<token>/mapping")
@roles_required("evaluator", "admin")
def mapping_upload(round_id: int, token: str):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    stage = _stage_or_404(round_, token)
    form = MappingFileForm()
    if not form.validate_on_submit():
        return _review_page(round_, stage, 400, _("Choose a file to upload."))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mapping.json"
        form.file.data.save(path)
        try:
            mapping = read_mapping_file(path, round_.instrument)
        except OperationError as error:
            return _review_page(round_, stage, 400, explain(error))
    stage.keep_mapping(mapping.to_json())
    flash(_("The mapping from the file is shown below. Check it, then import."))
    return redirect(url_for(".review_import", round_id=round_.id, token=token), 303)
