"""The data model. Import models from here."""

from .base import Base, now_utc, random_id, today_utc
from .imports import ImportMapping
from .instruments import Instrument
from .responses import CHANNELS, SUGGESTION_STATUSES, Answer, Response, Suggestion
from .results import RoundResult
from .rounds import (
    ACTIVITY_TYPES,
    DIMENSIONS,
    MODES,
    ROUND_STATUSES,
    Activity,
    Assignment,
    Draft,
    Round,
    RoundUnit,
)
from .security import ApiToken, AuditEvent
from .units import UNIT_KINDS, Unit
from .users import ROLES, User, user_affiliation

__all__ = [
    "ACTIVITY_TYPES",
    "CHANNELS",
    "DIMENSIONS",
    "MODES",
    "ROLES",
    "ROUND_STATUSES",
    "SUGGESTION_STATUSES",
    "UNIT_KINDS",
    "Activity",
    "Answer",
    "ApiToken",
    "Assignment",
    "AuditEvent",
    "Base",
    "Draft",
    "ImportMapping",
    "Instrument",
    "Response",
    "Round",
    "RoundResult",
    "RoundUnit",
    "Suggestion",
    "Unit",
    "User",
    "now_utc",
    "random_id",
    "today_utc",
    "user_affiliation",
]
