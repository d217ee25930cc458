"""Data-quality flags per response: straight-lining, speeding, duplicates.

Rules (scoring specification) and the choices made where it is silent:
- straight-lining: at least 6 likert items answered (any dimension, n/a and don't-know
  ignored), all with the same raw value.
- speeding: duration < 0.3 × the median duration of the round's responses that have one.
  Flags are computed over all responses, excluded ones included, so they do not move as
  evaluators exclude responses; the quality table shows the exclusions beside them.
- duplicate: the same set of answers (item, value, text, n/a, don't know) as another
  response of the same unit. The first copy, by earliest `submitted_on` (unknown dates
  last), then `response_id`, is kept; every later copy is flagged, with `duplicate_of`
  naming the first. Responses with no answer at all are never duplicates.
  Candidates are found with an order-free 64-bit hash of each response's answers and then
  compared exactly, so a hash collision can never flag a response.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.inputs import RoundData

STRAIGHT_LINE_MIN_ITEMS = 6
SPEEDING_FRACTION = 0.3
QUALITY_COLUMNS = ("response_id", "unit_code", "excluded", "straight_lining", "speeding",
                   "duplicate", "duplicate_of", "flagged")
_MASK32 = np.uint64(0xFFFFFFFF)
_ODD_1 = np.uint64(0x9E3779B97F4A7C15)
_ODD_2 = np.uint64(0xC2B2AE3D27D4EB4F)


def quality_flags(data: RoundData) -> pd.DataFrame:
    """One row per response (sorted by unit_code, response_id) with its flags."""
    responses = data.responses
    frame = responses.loc[:, ["response_id", "unit_code", "excluded"]].copy()
    frame["straight_lining"] = straight_lining(data.answers, data.items, len(responses))
    frame["speeding"] = speeding(responses["duration_s"].to_numpy())
    first = duplicate_of(data)
    frame["duplicate"] = first >= 0
    frame["duplicate_of"] = np.where(
        first >= 0, responses["response_id"].to_numpy()[np.maximum(first, 0)], None)
    frame["flagged"] = frame["straight_lining"] | frame["speeding"] | frame["duplicate"]
    # unit and response codes follow unit_code and response_id order
    order = np.lexsort((np.arange(len(frame)), responses["unit"].to_numpy()))
    return frame.iloc[order].loc[:, list(QUALITY_COLUMNS)].reset_index(drop=True)


def straight_lining(answers: pd.DataFrame, items: pd.DataFrame,
                    n_responses: int) -> np.ndarray:
    """≥ 6 likert answers per response, all equal (n·Σv² = (Σv)², exact for small integers)."""
    likert = (items["type"] == "likert").to_numpy()[answers["i"].to_numpy()]
    value = answers["value"].to_numpy()
    keep = likert & ~(answers["na"].to_numpy() | answers["dk"].to_numpy()) & ~np.isnan(value)
    r, v = answers["r"].to_numpy()[keep], value[keep]
    count = np.bincount(r, minlength=n_responses)
    total = np.bincount(r, weights=v, minlength=n_responses)
    squares = np.bincount(r, weights=v * v, minlength=n_responses)
    return (count >= STRAIGHT_LINE_MIN_ITEMS) & (count * squares == total * total)


def speeding(duration: np.ndarray) -> np.ndarray:
    known = duration[~np.isnan(duration)]
    if not len(known):
        return np.zeros(len(duration), dtype=bool)
    return duration < SPEEDING_FRACTION * float(np.median(known))


def duplicate_of(data: RoundData) -> np.ndarray:
    """Per response: the code of the first response it copies, or −1."""
    responses, answers = data.responses, data.answers
    n = len(responses)
    count = np.bincount(answers["r"].to_numpy(), minlength=n)
    signature = pd.DataFrame({"unit": responses["unit"].to_numpy(), "count": count,
                              "hash": _response_hashes(answers, n)})
    candidate = (count > 0) & signature.duplicated(keep=False).to_numpy()
    result = np.full(n, -1, dtype=np.int64)
    if not candidate.any():
        return result
    order = _first_order(responses)
    pool = signature.loc[candidate].assign(r=np.flatnonzero(candidate))
    pool = pool.iloc[np.argsort(order[pool["r"].to_numpy()], kind="stable")]
    rows = answers.loc[candidate[answers["r"].to_numpy()]]
    while len(pool) > 1:
        pool, matched = _match_first_copies(pool, rows)
        result[matched["r"].to_numpy()] = matched["first"].to_numpy()
    return result


def _first_order(responses: pd.DataFrame) -> np.ndarray:
    """Rank of each response in 'first' order: earliest date (unknown last), then id."""
    dates = responses["submitted_on"]
    day = dates.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    day = np.where(dates.isna().to_numpy(), np.iinfo(np.int64).max, day)
    order = np.lexsort((np.arange(len(responses)), day))
    rank = np.empty(len(responses), dtype=np.int64)
    rank[order] = np.arange(len(responses))
    return rank


def _match_first_copies(pool: pd.DataFrame,
                        rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare every candidate with the first of its signature group, exactly.

    Returns the candidates still to settle (groups that still have two or more members
    after removing each group's first and its exact copies) and the matched copies.
    """
    keys = ["unit", "count", "hash"]
    pool = pool.assign(first=pool.groupby(keys, sort=False)["r"].transform("first"))
    others = pool.loc[pool["r"] != pool["first"], ["r", "first"]]
    mine = rows.merge(others, on="r")
    theirs = rows.rename(columns={"r": "first"})
    pairs = mine.merge(theirs, on=["first", "i"], how="left", suffixes=("", "_first"))
    same = (_same(pairs["value"], pairs["value_first"]) & _same(pairs["text"], pairs["text_first"])
            & (pairs["na"] == pairs["na_first"]) & (pairs["dk"] == pairs["dk_first"]))
    equal = same.groupby(pairs["r"]).all()
    matched = others.loc[others["r"].map(equal).to_numpy(dtype=bool, na_value=False)]
    settled = pool["r"].isin(matched["r"]) | (pool["r"] == pool["first"])
    rest = pool.loc[~settled].drop(columns="first")
    rest = rest.loc[rest.duplicated(keys, keep=False)]
    return rest, matched


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a == b) | (a.isna() & b.isna())


def _response_hashes(answers: pd.DataFrame, n_responses: int) -> np.ndarray:
    """Order-free hash of each response's answers: the sum mod 2⁶⁴ of its rows' hashes.

    The sum is taken exactly through two 32-bit halves, each summed in float64 (exact up to
    2²¹ answers per response).
    """
    row = _row_hashes(answers)
    r = answers["r"].to_numpy()
    total = np.zeros(n_responses, dtype=np.uint64)
    for shift in (np.uint64(0), np.uint64(32)):
        half = ((row >> shift) & _MASK32).astype(np.float64)
        total += np.bincount(r, weights=half, minlength=n_responses).astype(np.uint64) << shift
    return total


def _row_hashes(answers: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of each answer row; texts enter by their code within this round."""
    value = answers["value"].to_numpy()
    bits = np.where(np.isnan(value), 0.0, value + 0.0).view(np.uint64)
    has_text = answers["has_text"].to_numpy()
    text_code = np.zeros(len(answers), dtype=np.uint64)
    if has_text.any():
        codes, _ = pd.factorize(answers["text"].to_numpy()[has_text])
        text_code[has_text] = codes.astype(np.uint64) + np.uint64(1)
    flags = (np.isnan(value).astype(np.uint64) | (answers["na"].to_numpy().astype(np.uint64) << 1)
             | (answers["dk"].to_numpy().astype(np.uint64) << 2))
    fields = (answers["i"].to_numpy().astype(np.uint64) << np.uint64(3)) | flags
    return _mix(bits ^ (fields * _ODD_1) ^ (text_code * _ODD_2))


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (array arithmetic wraps modulo 2⁶⁴)."""
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))
