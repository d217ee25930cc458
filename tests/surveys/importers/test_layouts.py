"""Header rows of 问卷星, 腾讯问卷 and our template read into the neutral layout."""

from __future__ import annotations

from surveys.importers import detect_format, parse_layout
from surveys.importers.wjx import strip_suffix

from .samples import TENCENT_HEADER, WJX_NUMBER_HEADER, WJX_TEXT_HEADER


def keys(header: list[str]) -> list[str]:
    return [question.key for question in parse_layout(header, 1).questions]


def test_wjx_new_layout() -> None:
    layout = parse_layout(WJX_TEXT_HEADER, 1)
    assert layout.format == "wjx" and not layout.problems
    assert (str(layout.row_id), str(layout.date), str(layout.duration)) == (
        "序号 (A)", "提交答卷时间 (B)", "所用时间 (C)")
    assert [str(c) for c in layout.dropped] == ["来源详情 (E)", "来自IP (F)"]
    assert [str(c) for c in layout.ignored] == ["来源 (D)"]
    matrix = [q for q in layout.questions if q.number == 6]
    assert [(q.key, q.text) for q in matrix] == [("6、(活动质量令人满意)", "活动质量令人满意"),
                                                 ("6、(工作人员热情周到)", "工作人员热情周到")]


def test_wjx_2016_layout_suffixes_and_blanks() -> None:
    header = ["来自IP", "来源", "序号", "提交答卷时间", "所用时间",
              "1、您的性别(单选题 *必答)", "2、您的爱好(多选题 *必答)",
              "3、请评价(矩阵单选题 *必答)—场地", "设施", "服务态度",
              "4、联系方式—姓氏", "4、联系方式—称呼", "5、总体——说说看（可多选）", "总分"]
    layout = parse_layout(header, 1)
    assert [q.key for q in layout.questions] == [
        "1、您的性别", "2、您的爱好", "3、请评价—场地", "3、请评价—设施", "3、请评价—服务态度",
        "4、联系方式—姓氏", "4、联系方式—称呼", "5、总体——说说看（可多选）"]
    assert [q.text for q in layout.questions][2:5] == ["场地", "设施", "服务态度"]
    assert [str(c) for c in layout.ignored] == ["来源 (B)", "总分 (N)"]
    assert strip_suffix("题干(矩阵单选题 *必答)") == "题干"
    assert strip_suffix("题干（可多选）") == "题干（可多选）"


def test_wjx_by_number_option_columns() -> None:
    layout = parse_layout(WJX_NUMBER_HEADER, 1)
    group = layout.question("第5题")
    assert group is not None and group.options == ("志愿服务", "学习培训", "文体活动", "其他")
    assert [c.index for c in group.columns] == [10, 11, 12, 13] and str(group) == "第5题 (K–N)"


def test_tencent_layout() -> None:
    layout = parse_layout(TENCENT_HEADER, 1)
    assert layout.format == "tencent" and not layout.problems
    assert (layout.row_id.header, layout.date.header, layout.duration.header) == (  # type: ignore[union-attr]
        "编号", "结束答题时间", "答题时长")
    assert {c.header for c in layout.dropped} == {
        "地理位置国家和地区", "地理位置省", "地理位置市", "自定义字段", "用户标识", "昵称", "IP",
        "UA", "Referrer"}
    multi = layout.question("5.您参加过哪些活动？（可多选）")
    assert multi is not None and multi.options == ("志愿服务", "学习培训", "文体活动", "其他")
    blanks = keys(["编号", "结束答题时间", "3.请填写:时间_填空1", "3.请填写:时间_填空2"])
    assert blanks == ["3.请填写:时间_填空1", "3.请填写:时间_填空2"]


def test_template_layout() -> None:
    layout = parse_layout(["单位", "编号", "日期", "渠道", "用时", "q1", "姓名", "备注"], 1)
    assert layout.format == "template" and not layout.problems
    assert [q.key for q in layout.questions] == ["q1", "备注"]
    assert [c.header for c in layout.dropped] == ["姓名"]


def test_detection_and_header_problems() -> None:
    assert detect_format(["序号", "1、题"]) == "wjx"
    assert detect_format(["提交答卷时间", "1、题"]) == "wjx"
    assert detect_format(["编号", "1.题"]) == "tencent"
    assert detect_format(["unit", "date", "q1"]) == "template"
    assert detect_format(["姓名", "电话"]) is None
    missing = parse_layout(["提交答卷时间", "1、题"], 1)
    assert [p.reason for p in missing.problems] == [
        "required row id column missing; accepted headers: 序号, 答卷序号, 答卷编号"]
    twice = parse_layout(["序号", "提交答卷时间", "1、题", "1、题", "序号"], 1)
    assert [p.column for p in twice.problems] == ["1、题 (D)", "序号 (E)"]


def test_fingerprint_is_the_questions_not_the_file() -> None:
    base = parse_layout(WJX_TEXT_HEADER, 1).fingerprint
    reordered = [*WJX_TEXT_HEADER[6:], "总分", *reversed(WJX_TEXT_HEADER[:6])]
    assert parse_layout(reordered, 1).fingerprint == base
    spaced = [h.replace("、", "、 ") for h in WJX_TEXT_HEADER]
    assert parse_layout(spaced, 1).fingerprint == base
    edited = [h.replace("意见和建议", "建议") for h in WJX_TEXT_HEADER]
    assert parse_layout(edited, 1).fingerprint != base
