"""A youth questionnaire and realistic exports of it from 问卷星 and 腾讯问卷.

The rows are what the two tools write (FORMATS.md): 问卷星 by option text (``┋``, ``〖…〗``,
``(跳过)``, ``4分`` matrix cells) and by option number (``第5题(…)`` 0/1 columns, ``-3``),
腾讯问卷 with option letters (``A.知道``) and ``N.题干:选项`` columns. Identifying columns
carry distinctive values (`IDENTIFYING_VALUES`) that must never be stored anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import surveys
from surveys.importers import UnitIndex, UnitRef

YOUTH_YAML = """
id: youth_check
mode: spot_check
title: {zh: 青年之家青年问卷, en: Youth home questionnaire}
sections:
  - id: main
    title: {zh: 问卷, en: Questionnaire}
    items:
      - id: know_site
        type: yesno
        dimension: awareness
        required: true
        allow_dont_know: true
        text: {zh: 您知道附近的青年之家吗？, en: Do you know the youth home nearby?}
      - id: know_services
        type: likert
        points: 5
        dimension: awareness
        labels:
          - {zh: 完全不了解, en: Not at all}
          - {zh: 不太了解, en: A little}
          - {zh: 一般, en: Somewhat}
          - {zh: 比较了解, en: Quite well}
          - {zh: 非常了解, en: Very well}
        text: {zh: 您对青年之家提供的服务了解多少？, en: How much do you know about its services?}
      - id: times
        type: single
        dimension: participation
        required: true
        text: {zh: 过去三个月，您参加过几次活动？, en: How often in the last three months?}
        options:
          - {value: none, label: {zh: 没有参加过, en: Never}, score: 0}
          - {value: once, label: {zh: 1次, en: Once}, score: 40}
          - {value: few, label: {zh: 2–3次, en: 2–3 times}, score: 70}
          - {value: many, label: {zh: 4次及以上, en: 4 times or more}, score: 100}
      - id: kinds
        type: multi
        relevant: {item: times, in: [once, few, many]}
        text: {zh: 您参加过哪些活动？（可多选）, en: Which activities did you take part in?}
        options:
          - {value: volunteering, label: {zh: 志愿服务, en: Volunteering}}
          - {value: learning, label: {zh: 学习培训, en: Learning}}
          - {value: sports, label: {zh: 文体活动, en: Culture and sports}}
          - {value: other, label: {zh: 其他, en: Other}}
      - id: quality
        type: likert
        points: 5
        dimension: satisfaction
        allow_na: true
        labels: &agree
          low: {zh: 非常不同意, en: Strongly disagree}
          high: {zh: 非常同意, en: Strongly agree}
        text: {zh: 活动质量令人满意。, en: The activities are of satisfying quality.}
      - id: staff
        type: likert
        points: 5
        dimension: satisfaction
        allow_na: true
        labels: *agree
        text: {zh: 工作人员热情周到。, en: The staff are friendly and helpful.}
      - id: overall
        type: rating10
        dimension: satisfaction
        required: true
        text: {zh: 总体满意度打分（0-10分）, en: Overall satisfaction (0-10)}
      - id: friends
        type: number
        min: 0
        max: 10
        dimension: participation
        text: {zh: 您带动过几位朋友参加？, en: How many friends have you brought along?}
      - id: suggestion
        type: text
        suggestion: true
        text: {zh: 您有什么意见和建议？, en: Your comments and suggestions?}
"""

UNITS = [("QN01", "滨江青年之家"), ("QN02", "城南青年之家"), ("QN03", "湖滨街道团工委")]
OUTSIDE = ("QN09", "北郊青年之家")

# Values of identifying columns: none of them may reach the database, a message or a log.
IP_A, IP_B = "203.0.113.77(浙江-杭州)", "198.51.100.23(上海-上海)"
NICK_A, NICK_B = "小明同学ZXQ", "夜猫子_Q7"
USER_ID = "oXyUniqueUser9f3e"
AGENT = "Mozilla/5.0 (iPhone; ZZTOP-UA-42)"
REFERRER = "https://example.cn/share?uid=88127"
IDENTIFYING_VALUES = (IP_A.split("(")[0], IP_B.split("(")[0], NICK_A, NICK_B, USER_ID,
                      "ZZTOP-UA-42", "uid=88127", "微信群分享XYZ")

WJX_META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
WJX_QUESTIONS = [
    "1、您所在的青年之家",
    "2、您知道附近的青年之家吗？",
    "3、您对青年之家提供的服务了解多少？",
    "4、过去三个月，您参加过几次活动？",
    "5、您参加过哪些活动？（可多选）",
    "6、(活动质量令人满意)",
    "6、(工作人员热情周到)",
    "7、总体满意度打分（0-10分）",
    "8、您带动过几位朋友参加？",
    "9、您有什么意见和建议？",
]
WJX_TEXT_HEADER = [*WJX_META, *WJX_QUESTIONS]


def youth_instrument() -> surveys.Instrument:
    return surveys.parse_instrument(YOUTH_YAML, "youth_check.yaml")


def unit_index(in_scope: Sequence[tuple[str, str]] = UNITS) -> UnitIndex:
    refs = [UnitRef(n, code, name, True) for n, (code, name) in enumerate(in_scope, start=1)]
    refs.append(UnitRef(99, *OUTSIDE, in_scope=False))
    return UnitIndex(refs)


def wjx_meta(number: int, day: str = "2026/11/05", seconds: int = 136) -> list[str]:
    ip = IP_A if number % 2 else IP_B
    return [str(number), f"{day} 14:{number % 60:02d}:55", f"{seconds}秒", "手机提交",
            "微信群分享XYZ", ip]


WJX_TEXT_ANSWERS = [
    ["滨江青年之家", "知道", "非常了解", "1次", "志愿服务┋文体活动", "4分", "5分", "8", "2",
     "希望多组织周末活动"],
    ["城南 青年之家", "不清楚", "(跳过)", "没有参加过", "(跳过)", "不适用", "不适用", "6", "0",
     "(空)"],
    ["ＱＮ０３", "知道", "一般", "2-3次", "其他〖读书会┋分享〗┋学习培训", "5分", "4分", "10",
     "3", "活动时间最好安排在晚上"],
    ["QN01\u200b", "知道", "比较了解", "4次及以上", "学习培训", "3分", "(跳过)", "7", "1",
     "(空)"],
]


def wjx_text_rows(count: int = 4, start: int = 1) -> list[list[str]]:
    """Header and ``count`` rows (numbered from ``start``), cycling the sample answers."""
    rows = [list(WJX_TEXT_HEADER)]
    for number in range(start, start + count):
        answers = WJX_TEXT_ANSWERS[(number - 1) % len(WJX_TEXT_ANSWERS)]
        rows.append([*wjx_meta(number), *answers])
    return rows


WJX_NUMBER_HEADER = [
    *WJX_META, "1、您所在的青年之家", "2、您知道附近的青年之家吗？",
    "3、您对青年之家提供的服务了解多少？", "4、过去三个月，您参加过几次活动？",
    "第5题(志愿服务)", "第5题(学习培训)", "第5题(文体活动)", "第5题(其他)",
    "6、(活动质量令人满意)", "6、(工作人员热情周到)", "7、总体满意度打分（0-10分）",
    "8、您带动过几位朋友参加？", "9、您有什么意见和建议？",
]
# Options in the 问卷星 questionnaire: 2) 知道 不知道 不清楚; 3) five points; 4) four options;
# 6) 1-5 and 6 = 不适用; 7) 0-10 as options 1-11.
WJX_NUMBER_ANSWERS = [
    ["滨江青年之家", "1", "5", "2", "1", "0", "1", "0", "4", "5", "9", "2", "希望多组织周末活动"],
    ["城南青年之家", "3", "-3", "1", "-3", "-3", "-3", "-3", "6", "6", "7", "0", "(空)"],
    ["QN03", "2", "3", "3", "0", "1", "0", "1", "5", "4", "11", "3", "(空)"],
]


def wjx_number_rows(count: int = 3) -> list[list[str]]:
    rows = [list(WJX_NUMBER_HEADER)]
    for number in range(1, count + 1):
        rows.append([*wjx_meta(number), *WJX_NUMBER_ANSWERS[(number - 1) % 3]])
    return rows


TENCENT_HEADER = [
    "编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省",
    "地理位置市", "自定义字段", "用户类型", "用户标识", "昵称", "IP", "UA", "Referrer", "语言",
    "1.您所在的青年之家", "2.您知道附近的青年之家吗？", "3.您对青年之家提供的服务了解多少？",
    "4.过去三个月，您参加过几次活动？", "5.您参加过哪些活动？（可多选）:志愿服务",
    "5.您参加过哪些活动？（可多选）:学习培训", "5.您参加过哪些活动？（可多选）:文体活动",
    "5.您参加过哪些活动？（可多选）:其他", "6.活动质量令人满意。", "7.工作人员热情周到。",
    "8.总体满意度打分（0-10分）", "9.您带动过几位朋友参加？", "10.您有什么意见和建议？",
]
TENCENT_ANSWERS = [
    ["QN01", "A.知道", "E.非常了解", "B.1次", "志愿服务", "", "文体活动", "", "D.同意",
     "E.非常同意", "9", "2", "多开展就业指导"],
    ["城南青年之家", "C.不清楚", "", "A.没有参加过", "", "", "", "", "F.不适用", "F.不适用",
     "5", "0", ""],
    ["湖滨街道团工委", "A.知道", "C.一般", "C.2–3次", "", "学习培训", "", "", "C.一般",
     "D.同意", "8", "1", ""],
]


def tencent_rows(count: int = 3) -> list[list[str]]:
    rows = [list(TENCENT_HEADER)]
    for number in range(1, count + 1):
        nick = NICK_A if number % 2 else NICK_B
        meta = [str(number), "2026-11-06 09:10:11", "2026-11-06 09:12:30", "139", "中国",
                "浙江省", "杭州市", USER_ID, "微信用户", USER_ID, nick, IP_A, AGENT, REFERRER,
                "zh-CN"]
        rows.append([*meta, *TENCENT_ANSWERS[(number - 1) % 3]])
    return rows


AGREE5 = {"非常不同意": "1", "不同意": "2", "一般": "3", "同意": "4", "非常同意": "5",
          "不适用": "@na"}
