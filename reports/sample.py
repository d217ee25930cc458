"""Synthetic rounds for tests, benchmarks and previews of the report files.

`sample_report(n_units)` builds a small city (counties, townships, units with Chinese
names), a 12-item questionnaire, responses with unit effects (a share of units below
`min_n`), a previous round for trends and a few suggestions, scores both rounds with
`score_round` and assembles a `ReportData`. Built with the `reports.testing` builders.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from reports.model import ReportData, RoundInfo, report_data
from reports.score import score_round
from reports.settings import RoundSettings
from reports.testing import make_items, make_units
from reports.trend import trend

COUNTIES = ("翠屏区", "南溪区", "叙州区", "江安县", "长宁县", "高县", "珙县", "筠连县",
            "兴文县", "屏山县")
TOWNS = ("白花镇", "李庄镇", "思坡镇", "竹海镇", "双河镇", "文江镇", "巡场镇", "沐爱镇",
         "僰王山镇", "新市镇", "大观楼街道", "南岸街道")
UNIT_SUFFIXES = ("青年之家", "团支部", "团委", "社区团支部", "青年志愿者服务站")
ITEMS = (
    ("a1", "yesno", "awareness", "您知道附近有这个青年之家吗？"),
    ("a2", "likert", "awareness", "您对这里提供的活动和服务了解多少？"),
    ("a3", "yesno", "awareness", "遇到困难需要帮助时，您知道怎样联系该团组织吗？"),
    ("a4", "likert", "awareness", "通过公开渠道能方便地查到活动信息。"),
    ("p1", "yesno", "participation", "最近一个月，您参加过该团组织的活动或服务吗？"),
    ("p2", "likert", "participation", "您有机会对这里的活动安排提出想法，并且会被采纳。"),
    ("p3", "rating10", "participation", "您参与活动策划和实施的程度（0–10）"),
    ("p4", "likert", "participation", "活动以互动、体验为主，参加者有充分的发言机会。"),
    ("s1", "likert", "satisfaction", "这里的活动和服务质量令人满意。"),
    ("s2", "likert", "satisfaction", "活动流于形式，有“走过场”的感觉。"),
    ("s3", "rating10", "satisfaction",
     "总体而言，您对这个青年之家满意吗？（0 分非常不满意，10 分非常满意）"),
    ("s4", "likert", "satisfaction", "工作人员热情、能帮助解决问题。"),
)
SUGGESTIONS = ("希望多组织周末活动。", "活动信息发布得太晚，建议提前一周公布。",
               "场地有点小，夏天没有空调。", "希望增加就业指导和技能培训。",
               "工作人员很热情，继续保持！", "建议在公众号上公布活动照片和参与人数。")


def sample_items() -> pd.DataFrame:
    """The sample questionnaire: 4 items per dimension and a suggestion item."""
    specs = [(item_id, kind, d, {"text_zh": zh, "text_en": item_id,
                                 "reverse": item_id == "s2"})
             for item_id, kind, d, zh in ITEMS]
    specs.append(("idea", "text", "none", {"suggestion": True, "text_zh": "意见建议",
                                           "text_en": "Suggestions"}))
    return make_items(specs)


def sample_hierarchy(n_units: int) -> pd.DataFrame:
    """City 宜宾市 → 10 counties → 3 townships each → `n_units` evaluated units."""
    city = ("YB", "宜宾市", "city", None)
    counties = [(f"C{c:02d}", name, "county", "YB") for c, name in enumerate(COUNTIES)]
    town_names = [TOWNS[(3 * c + t) % len(TOWNS)] for c in range(len(COUNTIES))
                  for t in range(3)]
    towns = [(f"C{c:02d}-T{t}", f"{COUNTIES[c]}{town_names[3 * c + t]}", "township",
              f"C{c:02d}") for c in range(len(COUNTIES)) for t in range(3)]
    units = []
    for u in range(n_units):
        town = towns[u % len(towns)]
        suffix = UNIT_SUFFIXES[(u // len(towns)) % len(UNIT_SUFFIXES)]
        kind = "youth_home" if suffix == "青年之家" else "branch"
        units.append((f"U{u:04d}", f"{town_names[u % len(towns)]}第{u // len(towns) + 1}"
                      f"{suffix}", kind, town[0]))
    rows = [city, *counties, *towns, *units]
    codes = [r[0] for r in rows]
    frame = make_units(codes, parents={r[0]: r[3] for r in rows if r[3]},
                       kinds={r[0]: r[2] for r in rows})
    frame["unit_name"] = [r[1] for r in rows]
    return frame


def sample_round(units: pd.DataFrame, items: pd.DataFrame, round_id: str, seed: int,
                 effects: np.ndarray, min_n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Responses and answers: per unit 0–24 responses (about 1 unit in 8 below `min_n`)."""
    rng = np.random.default_rng(seed)
    n_units = len(units)
    sizes = np.where(rng.random(n_units) < 0.12, rng.integers(0, min_n, n_units),
                     rng.integers(min_n, 25, n_units))
    unit_of = np.repeat(np.arange(n_units), sizes)
    n = len(unit_of)
    ids = np.array([f"{round_id}-{r:06d}" for r in range(n)], dtype=object)
    responses = pd.DataFrame({
        "response_id": ids, "unit_code": units["unit_code"].to_numpy()[unit_of],
        "excluded": rng.random(n) < 0.01, "duration_s": rng.gamma(4.0, 60.0, n),
        "rater_code": None,
        "submitted_on": pd.Timestamp("2026-10-09") + pd.to_timedelta(rng.integers(0, 14, n),
                                                                     unit="D"),
    })
    person = rng.normal(0, 0.9, (n, 3))  # a respondent's view, shared by a dimension's items
    frames = []
    for position, (item_id, kind, d, _text) in enumerate(ITEMS):
        k = ("awareness", "participation", "satisfaction").index(d)
        latent = effects[unit_of, k] + person[:, k]
        p = 1 / (1 + np.exp(-(latent + rng.normal(0, 0.6, n))))
        if item_id == "s2":
            p = 1 - p
        if kind == "yesno":
            value = (rng.random(n) < p).astype(float)
        elif kind == "rating10":
            value = rng.binomial(10, p).astype(float)
        else:
            value = 1.0 + rng.binomial(4, p)
        keep = rng.random(n) < 0.97
        frames.append(pd.DataFrame({"response_id": ids[keep], "item_id": item_id,
                                    "value": value[keep], "text": None, "na": False,
                                    "dont_know": False, "_order": position}))
    answers = pd.concat(frames, ignore_index=True)
    answers = answers.sort_values(["response_id", "_order"], kind="stable", ignore_index=True)
    return responses, answers.drop(columns="_order").astype({"text": object})


def sample_report(n_units: int = 40, seed: int = 2018, min_n: int = 5,
                  previous: bool = True) -> ReportData:
    """A scored synthetic round as a `ReportData`, with a previous round for trends."""
    rng = np.random.default_rng(seed)
    hierarchy = sample_hierarchy(n_units)
    units = hierarchy.loc[~hierarchy["unit_kind"].isin(("city", "county", "township"))]
    units = units.reset_index(drop=True)
    items = sample_items()
    quality = rng.normal(0.9, 0.6, n_units)
    effects = quality[:, None] + rng.normal(0, 0.35, (n_units, 3)) + np.array([-0.4, 0.0, 0.5])
    settings = RoundSettings("R2", min_n=min_n)
    responses, answers = sample_round(units, items, "R2", seed + 1, effects, min_n)
    scores = score_round(answers, responses, items, units, settings)
    info = RoundInfo(round_id="R2", name="2026年10月日常工作评议（示例）", mode="daily",
                     status="closed", opens_on=dt.date(2026, 10, 9),
                     closes_on=dt.date(2026, 10, 23), instrument_key="sample",
                     instrument_version=1, instrument_title="示例问卷",
                     instrument_hash="0" * 64, data_version=f"sample-{n_units}-{seed}",
                     software_version="sample")
    trend_frame, before = None, None
    if previous:
        drift = effects + rng.normal(0, 0.25, effects.shape)
        old_settings = RoundSettings("R1", min_n=min_n)
        old_responses, old_answers = sample_round(units, items, "R1", seed + 2, drift, min_n)
        old = score_round(old_answers, old_responses, items, units, old_settings)
        trend_frame = trend(scores.table, old.table)
        before = RoundInfo(round_id="R1", name="2026年9月日常工作评议（示例）")
    counted = responses.loc[~responses["excluded"]]
    chosen = counted.sample(frac=0.08, random_state=seed) if len(counted) else counted
    suggestions = pd.DataFrame({
        "unit_code": chosen["unit_code"].to_numpy(), "item_id": "idea",
        "text": [SUGGESTIONS[i % len(SUGGESTIONS)] for i in range(len(chosen))],
    })
    return report_data(scores, info, items, hierarchy=hierarchy, trend=trend_frame,
                       previous=before, suggestions=suggestions,
                       assignments=(2 * n_units, int(1.8 * n_units)))
