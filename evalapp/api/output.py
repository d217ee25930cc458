"""JSON output of the API: full precision, Chinese as it is, null for every missing number."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
from flask import Response

from reports import json_text


def json_response(body: Any, headers: Mapping[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, allow_nan=False),
                    mimetype="application/json", headers=dict(headers or {}))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as JSON objects (NaN and NA become null; a suppressed value is NaN)."""
    return json.loads(json_text(frame))
