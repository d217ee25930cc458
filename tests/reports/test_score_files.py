"""CSV and JSON files of a score table."""

import json

import numpy as np
import pandas as pd

from reports import RoundSettings, csv_bytes, json_text, score_round, to_csv, to_json
from reports.testing import make_answers, make_items, make_responses, make_units


def small_table() -> pd.DataFrame:
    items = make_items([("s", "rating10", "satisfaction"), ("a", "likert", "awareness",
                                                            {"points": 7.0})])
    answers = {"r1": {"s": 7, "a": 2}, "r2": {"s": 8, "a": 3}, "r3": {"s": 2, "a": 7}}
    units = make_units(["u1", "u2"])
    units.loc[0, "unit_name"] = "=HYPERLINK(\"x\") 青年之家"
    return score_round(make_answers(answers), make_responses(dict.fromkeys(answers, "u1")),
                       items, units, RoundSettings("R1", min_n=2)).table


def test_csv_has_a_bom_two_decimals_blanks_and_neutralised_text(tmp_path) -> None:
    table = small_table()
    path = tmp_path / "scores.csv"
    to_csv(table, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    u1, u2 = frame.iloc[0], frame.iloc[1]
    assert u1["unit_name"] == "'=HYPERLINK(\"x\") 青年之家"
    assert u1["awareness_raw"] == "50.00"  # (16.667 + 33.333 + 100) / 3
    assert u1["satisfaction_raw"] == "56.67"
    assert u1["satisfaction_n"] == "3"
    assert u2["satisfaction_raw"] == "" and u2["satisfaction_n"] == "0"
    assert u2["rank"] == "" and u2["stars"] == ""


def test_csv_is_byte_identical_for_the_same_data() -> None:
    assert csv_bytes(small_table()) == csv_bytes(small_table())


def test_csv_rounds_like_the_ranking() -> None:
    frame = pd.DataFrame({"x": [89.995, 1.005, np.nan], "name": ["+1", "-x", "@y"]})
    lines = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["90.00,'+1", "1.00,'-x", ",'@y"]


def test_json_keeps_full_precision_and_writes_null(tmp_path) -> None:
    table = small_table()
    path = tmp_path / "scores.json"
    to_json(table, path)
    records = json.loads(path.read_text(encoding="utf-8"))
    assert records == json.loads(json_text(table))
    assert records[0]["satisfaction_raw"] == table.at[0, "satisfaction_raw"]
    assert records[0]["satisfaction_raw"] == 170 / 3
    assert records[1]["satisfaction_raw"] is None
    assert records[1]["rank"] is None and records[1]["satisfaction_n"] == 0
    assert records[0]["satisfaction_suppressed"] is False
    assert "青年之家" in path.read_text(encoding="utf-8")
