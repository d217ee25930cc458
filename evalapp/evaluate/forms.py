"""The team's forms (Flask-WTF: each carries a CSRF token).

Fields check what a person can get wrong and say so in the visitor's language; the
operations check the rules of the data again and have the last word (their refusals are
translated by `evaluate.messages`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs and dicts of groups
    SelectChoice = None  # type: ignore[assignment,misc]

from ..auth.forms import REQUIRED, TOO_LONG
from ..models import ACTIVITY_TYPES, DIMENSIONS, MODES, UNIT_KINDS
from ..rounds.scope import DEFAULT_KINDS
from .common import MAX_YEAR, MIN_YEAR
from .labels import ACTIVITY_TYPE_NAMES, KIND_NAMES, MODE_NAMES

NOT_A_NUMBER = _l("Enter a number, for example 1 or 0.5.")
NOT_WHOLE = _l("Enter a whole number.")
NOT_A_DATE = _l("Enter a date such as 2026-11-05.")
MAX_SEED = 2**63 - 1
STAR_FIELDS = ("two_stars", "three_stars", "four_stars", "five_stars")
LOGIN_LENGTH = 80
CODE_LENGTH = 64


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[Any]:
    """Choices as this WTForms version wants them."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


def grouped(groups: dict[str, list[tuple[Any, Any]]]) -> Any:
    """Choices in ``<optgroup>`` groups."""
    if SelectChoice is None:
        return groups
    return [SelectChoice(value, label, optgroup=name)
            for name, pairs in groups.items() for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (no JavaScript needed, easy to tap)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def finite(_form: FlaskForm, field: Field) -> None:
    """Refuse ``nan`` and ``inf``, which float() reads but no setting can be."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(str(NOT_A_NUMBER))


def plausible_date(_form: FlaskForm, field: Field) -> None:
    """Refuse years no round or activity has (and whose neighbouring weeks may not exist)."""
    if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(str(NOT_A_DATE))


def _number(label: Any, low: float, high: float, default: float | None = None) -> FloatField:
    return FloatField(label, default=default, invalid_value_message=NOT_A_NUMBER, validators=[
        InputRequired(REQUIRED), finite,
        NumberRange(low, high, message=_l("Enter a number from %(min)s to %(max)s."))],
        render_kw={"inputmode": "decimal"})


def _whole(label: Any, low: int, high: int, default: int | None = None,
           required: bool = True) -> IntegerField:
    first = InputRequired(REQUIRED) if required else Optional()
    return IntegerField(label, default=default, invalid_value_message=NOT_WHOLE, validators=[
        first, NumberRange(low, high, message=_l("Enter a whole number from %(min)s to "
                                                 "%(max)s."))],
        render_kw={"inputmode": "numeric"})


class RoundSettingsForm(FlaskForm):
    """What `update_round` may change (the mode never changes)."""

    name = StringField(_l("Round name"), validators=[DataRequired(REQUIRED),
                                                     Length(max=200, message=TOO_LONG)])
    instrument = SelectField(_l("Questionnaire"), coerce=int, validate_choice=True)
    opens_on = DateField(_l("Opens on"), invalid_value_message=NOT_A_DATE,
                         validators=[InputRequired(REQUIRED), plausible_date])
    closes_on = DateField(_l("Closes on"), invalid_value_message=NOT_A_DATE,
                          validators=[InputRequired(REQUIRED), plausible_date])
    weight_awareness = _number(_l("Weight of awareness"), 0, 100, 1)
    weight_participation = _number(_l("Weight of participation"), 0, 100, 1)
    weight_satisfaction = _number(_l("Weight of satisfaction"), 0, 100, 1)
    min_n = _whole(_l("Responses a unit needs to be scored"), 1, 10000, 5)
    two_stars = _number(_l("Two stars from"), 0, 100, 60)
    three_stars = _number(_l("Three stars from"), 0, 100, 70)
    four_stars = _number(_l("Four stars from"), 0, 100, 80)
    five_stars = _number(_l("Five stars from"), 0, 100, 90)
    observers_per_unit = _whole(_l("Observers per unit"), 1, 50, 2)
    exclude_same_county = BooleanField(_l("Keep observers away from units in their own "
                                          "county"))

    def validate_closes_on(self, field: Field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(str(_l("The round cannot close before it opens.")))

    def validate_weight_satisfaction(self, _field: Field) -> None:
        weights = [self.weight(d) for d in DIMENSIONS]
        if all(w is not None for w in weights) and sum(weights) <= 0:  # type: ignore[misc]
            raise ValidationError(str(_l("At least one dimension needs a weight above 0.")))

    def validate_five_stars(self, _field: Field) -> None:
        cuts = [getattr(self, name).data for name in STAR_FIELDS]
        if all(cut is not None for cut in cuts) and cuts != sorted(cuts):
            raise ValidationError(str(_l("Each star threshold must be at least the one "
                                         "before it.")))

    def weight(self, dimension: str) -> float | None:
        return getattr(self, f"weight_{dimension}").data

    def settings(self) -> dict[str, Any]:
        """The form's values as `create_round` / `update_round` take them."""
        return {
            "name": self.name.data.strip(), "opens_on": self.opens_on.data,
            "closes_on": self.closes_on.data,
            "weights": {d: float(self.weight(d) or 0) for d in DIMENSIONS},
            "min_n": self.min_n.data,
            "star_cutoffs": [float(getattr(self, name).data) for name in STAR_FIELDS],
            "observers_per_unit": self.observers_per_unit.data,
            "exclude_same_county": bool(self.exclude_same_county.data),
        }


SCOPE_METHODS = {"all": _l("All units of the chosen kinds and areas"),
                 "size": _l("A random sample of a number of units, stratified by county"),
                 "share": _l("A random sample of a share of the units, stratified by county")}


class ScopeForm(FlaskForm):
    """Which units a round evaluates: by kind and area, or a stratified sample."""

    kinds = MultiCheckboxField(_l("Kinds of unit"), default=list(DEFAULT_KINDS),
                               choices=choices((k, KIND_NAMES[k]) for k in UNIT_KINDS),
                               validators=[DataRequired(_l("Choose at least one kind."))])
    areas = MultiCheckboxField(_l("Areas (none: the whole city)"), choices=[],
                               validate_choice=True)
    area_codes = StringField(_l("Other areas by unit code (optional, separated by commas)"),
                             validators=[Optional(), Length(max=1000, message=TOO_LONG)])
    method = RadioField(_l("Units"), default="all",
                        choices=choices(SCOPE_METHODS.items()))
    sample_size = _whole(_l("Number of units to draw"), 1, 100000, required=False)
    sample_share = FloatField(_l("Share of units to draw, in percent"),
                              invalid_value_message=NOT_A_NUMBER,
                              validators=[Optional(), finite, NumberRange(
                                  0.01, 100, message=_l("Enter a percentage above 0 and at "
                                                        "most 100."))],
                              render_kw={"inputmode": "decimal"})
    seed = _whole(_l("Seed (optional; blank draws a new one)"), 0, MAX_SEED, required=False)

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the one the chosen sample needs (optional on its own)."""
        valid = super().validate(extra_validators)
        needed = {"size": (self.sample_size, _l("Give the number of units to draw.")),
                  "share": (self.sample_share, _l("Give the share of units to draw."))}
        field, message = needed.get(self.method.data, (None, None))
        if field is not None and field.data is None and not field.errors:
            field.errors = [*field.errors, str(message)]
            return False
        return valid

    def under(self) -> list[str]:
        """The chosen areas' unit codes: ticked counties and typed codes."""
        typed = (self.area_codes.data or "").replace("，", ",").replace("、", ",")
        codes = [*self.areas.data, *(c.strip() for c in typed.split(","))]
        return sorted({code for code in codes if code})

    @property
    def sampled(self) -> bool:
        return self.method.data in ("size", "share")

    def sample(self) -> dict[str, Any]:
        """``size``/``share``/``seed`` as `sample_scope` takes them."""
        if self.method.data == "size":
            return {"size": self.sample_size.data, "seed": self.seed.data}
        return {"share": round(self.sample_share.data / 100, 6), "seed": self.seed.data}


class RoundCreateForm(RoundSettingsForm, ScopeForm):
    mode = SelectField(_l("Mode"), default="spot_check",
                       choices=choices((m, MODE_NAMES[m]) for m in MODES))


class ConfirmForm(FlaskForm):
    """A button that confirms a step (open, close, publish); only the CSRF token."""


class CorrectionForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the corrected publication"), validators=[
        DataRequired(REQUIRED), Length(max=1000, message=TOO_LONG)])


class AutoAssignForm(FlaskForm):
    seed = _whole(_l("Seed (optional; blank draws a new one)"), 0, MAX_SEED, required=False)


class AssignForm(FlaskForm):
    unit = StringField(_l("Unit code"), validators=[DataRequired(REQUIRED),
                                                    Length(max=CODE_LENGTH, message=TOO_LONG)],
                       render_kw={"list": "scope-units", "autocomplete": "off"})
    observer = StringField(_l("Observer login"), validators=[
        DataRequired(REQUIRED), Length(max=LOGIN_LENGTH, message=TOO_LONG)],
        render_kw={"list": "observer-logins", "autocomplete": "off",
                   "autocapitalize": "none"})
    activity = SelectField(_l("Activity (optional)"), choices=[], coerce=str, default="",
                           validate_choice=True)


class ReplaceForm(FlaskForm):
    observer = StringField(_l("New observer login"), validators=[
        DataRequired(REQUIRED), Length(max=LOGIN_LENGTH, message=TOO_LONG)],
        render_kw={"list": "observer-logins", "autocomplete": "off",
                   "autocapitalize": "none"})
    discard_drafts = BooleanField(_l("Discard unfinished questionnaires"))


class UnassignForm(FlaskForm):
    discard_drafts = BooleanField(_l("Discard unfinished questionnaires"))


class UploadForm(FlaskForm):
    file = FileField(_l("File (XLSX or CSV, at most 20 MB)"),
                     validators=[DataRequired(_l("Choose a file to upload."))],
                     render_kw={"accept": ".xlsx,.csv,text/csv"})


FORMAT_LABELS = {"": _l("Recognise from the file"), "template": _l("Our template"),
                 "wjx-text": _l("问卷星 export by option text"),
                 "wjx-number": _l("问卷星 export by option number"),
                 "tencent": _l("腾讯问卷 export")}


class ResponseUploadForm(UploadForm):
    format = SelectField(_l("Format"), default="",
                         choices=choices(FORMAT_LABELS.items()))
    mapping = SelectField(_l("Saved mapping (optional)"), choices=[], coerce=str, default="",
                          validate_choice=True)
    unit = StringField(_l("Unit of every row, when the file has no unit column (code)"),
                       validators=[Optional(), Length(max=CODE_LENGTH, message=TOO_LONG)],
                       render_kw={"list": "scope-units", "autocomplete": "off"})
    activity = StringField(_l("Activity of every row, when the file is about one activity "
                              "(id from the activity list; sets the unit too)"),
                           validators=[Optional(), Length(max=CODE_LENGTH, message=TOO_LONG)],
                           render_kw={"inputmode": "numeric", "autocomplete": "off"})


class MappingFileForm(FlaskForm):
    file = FileField(_l("Edited mapping (JSON)"),
                     validators=[DataRequired(_l("Choose a file to upload."))],
                     render_kw={"accept": ".json,application/json"})


class ActivityForm(FlaskForm):
    unit = StringField(_l("Unit code"), validators=[DataRequired(REQUIRED),
                                                    Length(max=CODE_LENGTH, message=TOO_LONG)],
                       render_kw={"list": "active-units", "autocomplete": "off"})
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED),
                                                 Length(max=200, message=TOO_LONG)])
    held_on = DateField(_l("Date"), invalid_value_message=NOT_A_DATE,
                        validators=[InputRequired(REQUIRED), plausible_date])
    type = SelectField(_l("Type"), default="other",
                       choices=choices((t, ACTIVITY_TYPE_NAMES[t]) for t in ACTIVITY_TYPES))
    place = StringField(_l("Place (optional)"), validators=[Optional(),
                                                            Length(max=200, message=TOO_LONG)])


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[], validate_choice=True)
    note = TextAreaField(_l("Note: what was done"), validators=[
        DataRequired(REQUIRED), Length(max=1000, message=TOO_LONG)], render_kw={"rows": 2})


class ExclusionForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED),
                                                     Length(max=500, message=TOO_LONG)],
                           render_kw={"rows": 2})
