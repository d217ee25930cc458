"""The fixed vocabulary of the instrument schema, shared by the loader and the answer rules."""

import re

MODES = ("daily", "experience", "spot_check")
DIMENSIONS = ("awareness", "participation", "satisfaction")
NO_DIMENSION = "none"
ALL_DIMENSIONS = (*DIMENSIONS, NO_DIMENSION)

LIKERT = "likert"
YESNO = "yesno"
SINGLE = "single"
MULTI = "multi"
RATING10 = "rating10"
NUMBER = "number"
TEXT = "text"
ITEM_TYPES = (LIKERT, YESNO, SINGLE, MULTI, RATING10, NUMBER, TEXT)
# Types that can carry a 0-100 score (single only with option scores, number only with min/max).
SCORABLE_TYPES = (LIKERT, YESNO, RATING10, SINGLE, NUMBER)
# Types whose answer is stored in Answer.value; the others use Answer.text.
VALUE_TYPES = (LIKERT, YESNO, RATING10, NUMBER)

DONT_KNOW_ZERO = "zero"
DONT_KNOW_MISSING = "missing"
DONT_KNOW_POLICIES = (DONT_KNOW_ZERO, DONT_KNOW_MISSING)

LIKERT_MIN_POINTS = 3
LIKERT_MAX_POINTS = 11
RATING10_MAX = 10
DEFAULT_MAX_LENGTH = 2000
MAX_MAX_LENGTH = 100_000
MAX_ID_LENGTH = 64

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
# Option values are stored comma-joined for multi items, so they never contain a comma.
OPTION_VALUE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
MULTI_SEPARATOR = ","

# Fields of the YAML document; an item accepts COMMON_FIELDS and those of its type.
TOP_FIELDS = ("id", "mode", "title", "description", "sections")
SECTION_FIELDS = ("id", "title", "description", "items")
COMMON_FIELDS = (
    "id", "type", "text", "dimension", "weight", "required",
    "allow_na", "allow_dont_know", "dont_know", "relevant",
)  # fmt: skip
TYPE_FIELDS = {
    LIKERT: ("points", "labels", "reverse"),
    YESNO: ("reverse",),
    RATING10: ("reverse",),
    SINGLE: ("options", "reverse"),
    MULTI: ("options",),
    NUMBER: ("min", "max", "reverse"),
    TEXT: ("max_length", "suggestion"),
}
ALL_ITEM_FIELDS = tuple(dict.fromkeys(COMMON_FIELDS + sum(TYPE_FIELDS.values(), ())))
REQUIRED_FIELDS = {LIKERT: ("points",), SINGLE: ("options",), MULTI: ("options",)}
