"""Response dimension scores with the half rule.

D = Σ wᵢ sᵢ / Σ wᵢ over the dimension's answered scored items; D is present when
2 · answered ≥ shown, where shown counts the dimension's scored items shown to the response
(items hidden by `relevant` do not count). Choice: D is also missing when nothing is
answered, which covers a response shown none of the dimension's items.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def score_matrix(answers: pd.DataFrame, scores: np.ndarray, item_codes: np.ndarray,
                 n_items: int, n_responses: int) -> np.ndarray:
    """Dense responses × items array of final scores for `item_codes` (NaN = missing).

    Each cell is written once (answers are unique per response and item), so the matrix,
    and every row sum taken over it in column order, is independent of the answers' order.
    """
    column = np.full(n_items, -1, dtype=np.int64)
    column[item_codes] = np.arange(len(item_codes))
    c = column[answers["i"].to_numpy()]
    keep = c >= 0
    matrix = np.full((n_responses, len(item_codes)), np.nan)
    matrix[answers["r"].to_numpy()[keep], c[keep]] = scores[keep]
    return matrix


def dimension_score(matrix: np.ndarray, weights: np.ndarray,
                    shown: np.ndarray) -> pd.DataFrame:
    """Per response: `score` (D or NaN), `answered` and `shown` item counts."""
    answered = ~np.isnan(matrix)
    count = answered.sum(axis=1)
    numerator = (np.where(answered, matrix, 0.0) * weights).sum(axis=1)
    denominator = (answered * weights).sum(axis=1)
    present = (count > 0) & (2 * count >= shown)
    score = np.full(len(matrix), np.nan)
    np.divide(numerator, denominator, out=score, where=present)
    return pd.DataFrame({"score": score, "answered": count.astype(np.int64),
                         "shown": np.asarray(shown, dtype=np.int64)})
