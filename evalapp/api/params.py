"""Query and path parameters of the API: their schema in the document and their checks.

A query parameter is checked by the same declaration that documents it, so a value the
document does not allow is refused with a 400 that names the parameter, and nothing that
could upset the database (a huge number, a NUL character) reaches a query. Path parameters
are enforced by Werkzeug converters (a value out of range matches no route: 404).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .problems import ApiError

MAX_ID = 2**31 - 1
MAX_TEXT = 64
INTEGER = re.compile(r"-?[0-9]+")
MAX_DIGITS = 12
BOOLEANS = {"true": True, "false": False}
# Text parameters: no control characters (PostgreSQL refuses NUL in a string). The same
# pattern is in the document and in the check, in syntax that JSON Schema and Python share.
TEXT_PATTERN = r"^[^\u0000-\u001f\u007f]+$"


def is_text(raw: str) -> bool:
    return 0 < len(raw) <= MAX_TEXT and re.fullmatch(TEXT_PATTERN, raw) is not None


@dataclass(frozen=True)
class Param:
    """A query parameter: its JSON Schema subset, and how a raw value is checked."""

    name: str
    description: str
    type: str = "string"
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.type}
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.type == "string" and not self.enum:
            schema |= {"minLength": 1, "maxLength": MAX_TEXT, "pattern": TEXT_PATTERN}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def parse(self, raw: str) -> Any:
        if self.type == "integer":
            return self._integer(raw)
        if self.type == "boolean":
            if raw not in BOOLEANS:
                raise self._bad("must be true or false")
            return BOOLEANS[raw]
        if self.enum and raw not in self.enum:
            raise self._bad(f"must be one of {', '.join(self.enum)}")
        if not is_text(raw):
            raise self._bad(f"must be 1 to {MAX_TEXT} characters, none of them control "
                            "characters")
        return raw

    def _integer(self, raw: str) -> int:
        if not INTEGER.fullmatch(raw):
            raise self._bad("must be a whole number")
        value = int(raw) if len(raw) <= MAX_DIGITS else None
        if value is None or (self.minimum is not None and value < self.minimum) \
                or (self.maximum is not None and value > self.maximum):
            raise self._bad(f"must be between {self.minimum} and {self.maximum}")
        return value

    def _bad(self, problem: str) -> ApiError:
        return ApiError(400, f"query parameter {self.name} {problem}", parameter=self.name)


@dataclass(frozen=True)
class PathParam:
    """A path parameter: its schema and the Werkzeug converter that enforces it."""

    name: str
    description: str
    schema: dict[str, Any]
    converter: str


PATH_PARAMS = {
    "round_id": PathParam("round_id", "The round's id.",
                          {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                          f"int(min=1, max={MAX_ID})"),
    "code": PathParam("code", "The unit's code.",
                      {"type": "string", "minLength": 1, "maxLength": MAX_TEXT,
                       "pattern": TEXT_PATTERN},
                      f"string(maxlength={MAX_TEXT})"),
}
