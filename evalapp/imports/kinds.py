"""Unit kinds as users write them, including 智慧团建's 组织类型, and yes/no flags.

Every spelling is compared after :func:`~.tabular.normalise_key`. 智慧团建's type codes
map as follows (see README.md):

====  ==============  =============================================================
code  text            kind
====  ==============  =============================================================
1     领导机关团组织  by level: top of the file's tree → city, below a city → county,
2     团委            below a county → township, below anything else → branch
3     团工委
4     团总支          branch
5     团支部          branch
====  ==============  =============================================================

"By level" exists because 智慧团建 gives one type to 团市委, 团县委 and 乡镇团委 alike; the
parent decides which level of our hierarchy the unit is. An explicit ``kind`` column, when
filled, wins over ``组织类型``.
"""

from __future__ import annotations

from .tabular import normalise_key

BY_LEVEL = "by level"

KIND_SPELLINGS: dict[str, tuple[str, ...]] = {
    "city": ("市", "市级", "地市", "市委", "团市委", "市级团委"),
    "county": ("县", "区", "县区", "区县", "县/区", "区/县", "县级", "区级", "县(市、区)",
               "团县委", "团区委"),
    "township": ("乡镇", "街道", "乡", "镇", "乡镇街道", "乡镇/街道", "街道办", "乡镇团委",
                 "街道团工委"),
    "branch": ("支部", "团支部", "团总支", "总支", "基层团组织", "4", "5"),
    "youth_home": ("youth home", "青年之家", "青年之家阵地", "青年之家服务站"),
    "department": ("dept", "部门", "机关部门", "内设部门", "团市委部门"),
    "industry": ("行业", "行业团委", "行业团组织", "系统团委"),
    "district": ("商圈", "商圈团组织", "商圈团委", "商务区"),
    "association": ("协会", "社会组织", "青年社会组织", "社团"),
}
BY_LEVEL_SPELLINGS = ("1", "2", "3", "领导机关团组织", "领导机关", "团委", "团工委")

KIND_NAMES: dict[str, str] = {
    normalise_key(spelling): kind
    for kind, spellings in KIND_SPELLINGS.items()
    for spelling in (kind, *spellings)
} | {normalise_key(spelling): BY_LEVEL for spelling in BY_LEVEL_SPELLINGS}

_TRUE = ("1", "true", "yes", "y", "t", "是", "有效", "启用", "正常", "在用", "√", "✓")
_FALSE = ("0", "false", "no", "n", "f", "否", "无效", "停用", "撤销", "注销", "禁用", "×")
FLAGS: dict[str, bool] = {normalise_key(text): True for text in _TRUE} | {
    normalise_key(text): False for text in _FALSE
}


def resolve_kind(text: str) -> str | None:
    """One of ``models.UNIT_KINDS``, :data:`BY_LEVEL`, or None when the text is not a kind."""
    return KIND_NAMES.get(normalise_key(text))


def kind_below(parent_kind: str | None) -> str:
    """The kind of a "by level" unit whose parent has ``parent_kind`` (None: no parent)."""
    return {None: "city", "city": "county", "county": "township"}.get(parent_kind, "branch")


def parse_flag(text: str) -> bool | None:
    """True/False for the usual spellings of yes and no; None when not recognised."""
    return FLAGS.get(normalise_key(text))

