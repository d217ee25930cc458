"""The form for a new observer account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..auth.forms import REQUIRED, TOO_LONG


class ObserverForm(FlaskForm):
    login = StringField(_l("Login"), validators=[
        DataRequired(REQUIRED),
        Regexp(r"^[A-Za-z0-9_.\-]{2,80}$", message=_l(
            "2–80 letters, digits, dots, hyphens or underscores.")),
    ], render_kw={"autocapitalize": "none", "autocomplete": "off"})
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED),
                                               Length(max=100, message=TOO_LONG)])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(),
                                                            Length(max=40, message=TOO_LONG)],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})

