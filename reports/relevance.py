"""Which items each response was shown: `relevant` conditions, chained.

An item with `relevant_item` is shown to a response iff its controlling item is itself shown
to that response, the answer to it is neither n/a nor don't know, and the answer's canonical
strings intersect `relevant_values`. Canonical strings: yesno 'yes'/'no'; single the code;
multi each code; text the text; likert, rating10 and number `str(int(v))` when v is integral,
else `repr(float(v))`.

Answers stored for a hidden item (possible in imports) are ignored: the half rule leaves a
hidden item out of the denominator, so it must not count in the numerator either.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NUMERIC_TYPES = ("likert", "rating10", "number")


def shown_keys(answers: pd.DataFrame, items: pd.DataFrame) -> np.ndarray:
    """Sorted keys `r * len(items) + i` of the (response, controlled item) pairs shown."""
    controlled = items.index[items["relevant_item"].notna()]
    if not len(controlled):
        return np.empty(0, dtype=np.int64)
    parent = pd.Index(items["item_id"]).get_indexer(items["relevant_item"])
    shown: dict[int, np.ndarray] = {}
    for c in _parents_first(controlled, parent, items["item_id"]):
        p = parent[c]
        responses = matching_responses(answers, items, p, items.at[c, "relevant_values"])
        if parent[p] >= 0:
            responses = responses[np.isin(responses, shown[p])]
        shown[c] = responses
    keys = [r * len(items) + c for c, r in shown.items()]
    return np.sort(np.concatenate(keys))


def is_shown(answers: pd.DataFrame, items: pd.DataFrame, keys: np.ndarray) -> np.ndarray:
    """Per answer row: is its item shown to its response?"""
    controlled = items["relevant_item"].notna().to_numpy()[answers["i"].to_numpy()]
    shown = np.ones(len(answers), dtype=bool)
    if controlled.any():
        row_keys = answers["r"].to_numpy()[controlled] * len(items) \
            + answers["i"].to_numpy()[controlled]
        shown[controlled] = np.isin(row_keys, keys)
    return shown


def shown_counts(item_codes: np.ndarray, items: pd.DataFrame, keys: np.ndarray,
                 n_responses: int) -> np.ndarray:
    """Per response: how many of `item_codes` it was shown."""
    controlled = items["relevant_item"].notna().to_numpy()
    counts = np.full(n_responses, np.count_nonzero(~controlled[item_codes]), dtype=np.int64)
    r, i = np.divmod(keys, len(items))
    in_set = np.isin(i, item_codes[controlled[item_codes]])
    return counts + np.bincount(r[in_set], minlength=n_responses)


def matching_responses(answers: pd.DataFrame, items: pd.DataFrame, item: int,
                       values: tuple[str, ...]) -> np.ndarray:
    """Sorted codes of the responses whose answer to `item` has a canonical string in
    `values` (n/a and don't know never match).

    Numbers and yes/no are compared in their own domain: a string in `values` stands for
    the number whose canonical string it is (so '3' matches 3.0 and '3.0' matches nothing).
    """
    rows = answers.loc[(answers["i"].to_numpy() == item)
                       & ~(answers["na"].to_numpy() | answers["dk"].to_numpy())]
    kind = items.at[item, "type"]
    if kind in NUMERIC_TYPES:
        match = np.isin(rows["value"].to_numpy(), _canonical_values(values))
    elif kind == "yesno":
        wanted = [raw for raw, token in ((1.0, "yes"), (0.0, "no")) if token in values]
        match = np.isin(rows["value"].to_numpy(), wanted)
    elif kind == "multi":
        codes = rows.loc[rows["has_text"], ["r", "text"]]
        codes = codes.assign(text=codes["text"].str.split(",")).explode("text")
        return np.unique(codes.loc[codes["text"].isin(values), "r"].to_numpy(dtype=np.int64))
    else:
        match = rows["has_text"].to_numpy() & rows["text"].isin(values).to_numpy()
    return np.unique(rows["r"].to_numpy()[match])


def _canonical_values(values: tuple[str, ...]) -> list[float]:
    numbers = []
    for token in values:
        try:
            number = float(token)
        except ValueError:
            continue
        if np.isfinite(number) and canonical_number(number) == token:
            numbers.append(number)
    return numbers


def canonical_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _parents_first(controlled: pd.Index, parent: np.ndarray, item_ids: pd.Series) -> list[int]:
    """Controlled items ordered so that a controlling item comes before the items it controls."""
    order: list[int] = []
    state: dict[int, str] = {}

    def visit(c: int) -> None:
        if state.get(c) == "done":
            return
        if state.get(c) == "visiting":
            raise ValueError(f"items: the relevant conditions form a cycle through item "
                             f"{item_ids.iloc[c]!r}")
        state[c] = "visiting"
        if parent[parent[c]] >= 0:
            visit(int(parent[c]))
        state[c] = "done"
        order.append(c)

    for c in controlled:
        visit(int(c))
    return order


def shown_matrix(item_codes: np.ndarray, items: pd.DataFrame, keys: np.ndarray,
                 n_responses: int) -> np.ndarray:
    """Responses × `item_codes` booleans: was the item shown to the response?"""
    controlled = items["relevant_item"].notna().to_numpy()[item_codes]
    shown = np.ones((n_responses, len(item_codes)), dtype=bool)
    column = np.full(len(items), -1, dtype=np.int64)
    column[item_codes[controlled]] = np.flatnonzero(controlled)
    shown[:, controlled] = False
    r, i = np.divmod(keys, len(items))
    hit = column[i] >= 0
    shown[r[hit], column[i[hit]]] = True
    return shown
