"""Names of the codes the team's pages show (modes, states, kinds, …) in the visitor's language.

The database and the operations speak in codes (``spot_check``, ``open``); the pages show
these names, and the refusal messages (`evaluate.messages`) use them too.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MODE_NAMES = {
    "daily": _l("Daily work review"),
    "experience": _l("Participation experience review"),
    "spot_check": _l("Spot check"),
}
STATUS_NAMES = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "published": _l("Published"),
}
KIND_NAMES = {
    "city": _l("City"),
    "county": _l("County or district"),
    "township": _l("Township or street"),
    "branch": _l("League branch"),
    "youth_home": _l("Youth home"),
    "department": _l("Department"),
    "industry": _l("Industry committee"),
    "district": _l("Business district"),
    "association": _l("Association"),
}
ACTIVITY_TYPE_NAMES = {
    "training": _l("Training or lecture"),
    "skills": _l("Skills"),
    "counselling": _l("Counselling"),
    "social": _l("Social"),
    "fitness": _l("Fitness"),
    "volunteering": _l("Volunteering"),
    "culture": _l("Culture"),
    "other": _l("Other"),
}
SUGGESTION_STATUS_NAMES = {
    "new": _l("New"),
    "forwarded": _l("Forwarded"),
    "resolved": _l("Resolved"),
}
CHANNEL_NAMES = {
    "onsite": _l("On site"),
    "handout": _l("Handed-out questionnaire"),
    "phone": _l("Phone interview"),
    "paper": _l("Paper"),
    "online": _l("Online"),
    "import": _l("Imported"),
}
ASSIGNMENT_STATUS_NAMES = {"pending": _l("To do"), "submitted": _l("Submitted")}
FLAG_NAMES = {
    "straight_lining": _l("Straight-lining"),
    "speeding": _l("Speeding"),
    "duplicate": _l("Duplicate"),
}
DIMENSION_NAMES = {
    "awareness": _l("Awareness"),
    "participation": _l("Participation"),
    "satisfaction": _l("Satisfaction"),
}


def name_of(table: dict[str, object], code: str | None) -> str:
    """The name of ``code`` in ``table``, or the code itself when the table lacks it."""
    if code is None:
        return ""
    return str(table.get(code, code))
