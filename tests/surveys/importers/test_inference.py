"""Proposing a mapping: question text → item, option → code, the unit column, and marking
every guess the evaluator must confirm."""

from __future__ import annotations

from surveys.importers import (
    MappingReview,
    infer_mapping,
    parse_layout,
    profile_rows,
    review_mapping,
)

from .samples import (
    unit_index,
    wjx_number_rows,
    wjx_text_rows,
    youth_instrument,
)


def infer(rows: list[list[str]], unit_given: bool = False) -> MappingReview:
    layout = parse_layout(rows[0], 1)
    profile = profile_rows(layout, enumerate(rows[1:], start=2))
    return infer_mapping(layout, profile, youth_instrument(), unit_index(), unit_given=unit_given)


def by_source(review: MappingReview) -> dict[str, tuple[str | None, bool]]:
    return {q.source: (q.item, q.certain) for q in review.questions}


def test_a_questionnaire_built_from_the_instrument_maps_unambiguously() -> None:
    review = infer(wjx_text_rows(4))
    assert review.certain
    assert (review.unit.source, review.unit.certain) == ("1、您所在的青年之家", True)
    assert by_source(review)["6、(工作人员热情周到)"] == ("staff", True)
    times = next(q for q in review.questions if q.item == "times")
    assert times.values["2–3次"] == "few" and times.basis == "same text"
    assert times.unmatched == ()  # the file's 2-3次 reads as 2–3次
    assert review.mapping.format == "wjx-text" and review.mapping.channel == "import"
    lines = review.lines()
    assert lines[1] == "[ok]    unit: 1、您所在的青年之家 (G) (values are unit codes or names)"
    assert "dropped, identifying (never read): 来源详情 (E), 来自IP (F)" in lines


def test_guesses_need_confirmation() -> None:
    rows = wjx_text_rows(4)
    rows[0] = [*rows[0], "10、您的年龄段", "11、您对青年之家的服务了解多少"]
    rows[0][7] = "2、您知道附近有青年之家吗"  # similar to the item, not the same
    for row in rows[1:]:
        row.extend(["18-24岁", "一般"])
    rows[2][7] = "不知道"  # a know-question: read as no
    review = infer(rows)
    assert not review.certain
    found = by_source(review)
    assert found["10、您的年龄段"] == (None, False)
    assert found["2、您知道附近有青年之家吗"] == ("know_site", False)
    know = next(q for q in review.questions if q.item == "know_site")
    assert know.basis.startswith("similar text") and know.values["不知道"] == "no"
    assert "不知道 read as no: the question asks whether they know" in know.notes
    # Two questions look like know_services: the same text wins it, the other stays unmapped.
    assert found["3、您对青年之家提供的服务了解多少？"] == ("know_services", True)
    assert found["11、您对青年之家的服务了解多少"] == (None, False)
    assert any("[check] 10、您的年龄段 (Q) → not imported (no match)" in line
               for line in review.lines())


def test_by_number_guesses_positions_and_reads_option_columns_by_label() -> None:
    review = infer(wjx_number_rows(3))
    assert review.mapping.format == "wjx-number" and not review.certain
    kinds = next(q for q in review.questions if q.source == "第5题")
    assert (kinds.item, kinds.certain, kinds.basis) == ("kinds", True, "option labels (100%)")
    times = next(q for q in review.questions if q.item == "times")
    assert times.values == {"1": "none", "2": "once", "3": "few", "4": "many"}
    assert not times.certain
    quality = next(q for q in review.questions if q.item == "quality")
    assert quality.unmatched == ("6",)  # beyond the 1-5 scale: 不适用 in the questionnaire


def test_the_unit_column() -> None:
    rows = [row[:6] + row[7:] for row in wjx_text_rows(2)]  # no unit column
    review = infer(rows)
    assert (review.unit.source, review.unit.certain) == (None, False)
    assert "[check] unit: no column names the unit" in review.lines()
    assert infer(rows, unit_given=True).certain
    numbered = wjx_text_rows(2)
    numbered[1][6], numbered[2][6] = "1", "2"  # a drop-down exported by number
    unit = infer(numbered).unit
    assert (unit.source, unit.basis, unit.certain, unit.unmatched) == (
        "1、您所在的青年之家", "header names a unit", False, ("1", "2"))


def test_required_items_without_a_column() -> None:
    rows = [[cell for i, cell in enumerate(row) if i != 13] for row in wjx_text_rows(2)]
    review = infer(rows)
    assert review.missing_required == ("overall",) and not review.certain


def test_template_columns_are_item_ids() -> None:
    header = ["unit", "ref", "date", "know_site", "times (次数)", "备注", "q_typo"]
    layout = parse_layout(header, 1)
    rows = [(2, ["QN01", "1", "2026-11-05", "是", "once", "x", "1"])]
    review = infer_mapping(layout, profile_rows(layout, rows), youth_instrument(), unit_index())
    found = by_source(review)
    assert found == {"know_site": ("know_site", True), "times (次数)": ("times", True),
                     "备注": (None, True), "q_typo": (None, False)}
    assert review.mapping.channel == "paper" and review.mapping.unit.source is None


def test_reviewing_a_saved_mapping_on_a_new_file() -> None:
    mapping = infer(wjx_text_rows(4)).mapping
    rows = wjx_text_rows(2)
    rows[0].append("10、新加的问题")
    rows[1].append("新")
    rows[2].append("")
    rows[1][9] = "很多次"  # times: a value the mapping cannot read
    layout = parse_layout(rows[0], 1)
    review = review_mapping(mapping, layout, profile_rows(layout, enumerate(rows[1:], start=2)),
                            youth_instrument(), unit_index())
    times = next(q for q in review.questions if q.item == "times")
    assert (times.basis, times.unmatched) == ("mapping", ("很多次",))
    added = next(q for q in review.questions if q.source == "10、新加的问题")
    assert (added.item, added.basis) == (None, "not in the mapping")
    assert review.unit.source == "1、您所在的青年之家"
    assert review.fingerprint != mapping.questionnaire
    assert f"(this file's questions: {review.fingerprint})" in review.lines()[0]
