"""Every kind of bad row is reported with its row and column, and nothing is stored unless
the whole file is good."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from evalapp.imports import ImportFailed
from evalapp.imports.mappings import save_mapping
from evalapp.imports.responses import import_responses, inspect_responses
from evalapp.operations import OperationError
from evalapp.rounds import operations as rounds
from tests.imports.helpers import write_csv, write_xlsx
from tests.surveys.importers.samples import wjx_text_rows

from .conftest import Youth, counts

HEADER = ["unit", "ref", "channel", "date", "duration_s", "know_site", "know_services", "times",
          "kinds", "quality", "staff", "overall", "friends", "suggestion"]


def good(ref: str, **changes: str) -> list[str]:
    row = dict(zip(HEADER, ["QN01", ref, "", "2026-11-05", "", "1", "3", "once", "learning",
                            "4", "4", "8", "1", ""], strict=True))
    row.update(changes)
    return [row[column] for column in HEADER]


BAD_ROWS = [
    (good("1"), None),
    (good("2", unit="不存在之家"), ("unit (A)", "unknown unit '不存在之家'")),
    (good("3", unit="QN09"), ("unit (A)", "unit QN09 北郊青年之家 is not evaluated")),
    (good("4", know_services="7"),
     ("know_services (G)", "item know_services: must be a whole number from 1 to 5 (found 7)")),
    (good("5", overall=""), ("overall (L)", "item overall is required but not answered")),
    (good("6", times="很多次"), ("times (H)", "unknown option '很多次'")),
    (good("7", date="2026-13-45"), ("date (D)", "bad date '2026-13-45'")),
    (good("8", duration_s="三分钟"), ("duration_s (E)", "duration '三分钟' is not a number")),
    (good("9", times="none"),
     ("kinds (I)", "item kinds is answered, but its condition on item times hides it")),
    (good("1"), ("ref (B)", "row id 1 appears twice (also row 2)")),
    (good("10", channel="微信"), ("channel (C)", "unknown channel '微信'")),
    (good("11", date="2025-11-05"),
     ("date (D)", "date 2025-11-05 is outside the round's window 2026-11-01 – 2026-11-30")),
    (good(""), ("ref (B)", "missing row id")),
    (good("12", friends="abc"), ("friends (M)", "'abc' is not a number")),
    (good("13", kinds="volunteering,party"), ("kinds (I)", "unknown option 'party'")),
    (good("14", date=""), ("date (D)", "missing date")),
    (good("15", know_site="dk", times="na"),
     ("times (H)", "'na': item times does not allow not applicable")),
    (good("16", quality="dk"), ("quality (J)", "'dk': item quality does not allow don't know")),
]


def test_every_bad_row_reported_and_nothing_stored(session: Session, youth: Youth,
                                                   tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", {"responses": [HEADER, *[r for r, _ in BAD_ROWS]]})
    with pytest.raises(ImportFailed) as failure:
        import_responses(session, youth.round, path)
    session.rollback()
    found = [(p.row, p.column, p.reason) for p in failure.value.problems]
    expected = [(row, *want) for row, (_, want) in enumerate(BAD_ROWS, start=2) if want]
    assert len(found) == len(expected), "\n".join(map(str, found))
    for (row, column, reason), (want_row, want_column, want_reason) in zip(
            found, expected, strict=True):
        assert (row, column) == (want_row, want_column)
        assert want_reason in reason, reason
    assert all(p.file == "bad.xlsx" for p in failure.value.problems)
    assert counts(session) == {"response": 0, "answer": 0, "suggestion": 0, "import_mapping": 0}


def test_bad_cells_of_a_wjx_export(session: Session, youth: Youth, tmp_path: Path) -> None:
    """Read with the mapping inferred from the good file (values it cannot read would
    otherwise stop the import at the mapping)."""
    rows = wjx_text_rows(4)
    mapping = inspect_responses(session, youth.round, write_csv(tmp_path / "good.csv", rows)
                                ).review.mapping
    rows[1][2] = "abc秒"  # 所用时间
    rows[2][1] = "昨天"  # 提交答卷时间
    rows[3][10] = "志愿服务┋跳舞"  # 5、您参加过哪些活动
    rows[4][6] = "不存在之家"  # 1、您所在的青年之家
    path = write_csv(tmp_path / "wjx.csv", rows)
    with pytest.raises(ImportFailed) as failure:
        import_responses(session, youth.round, path, mapping)
    assert [str(p) for p in failure.value.problems] == [
        "wjx.csv, row 2, column 所用时间 (C): duration 'abc秒' is not a number of seconds",
        "wjx.csv, row 3, column 提交答卷时间 (B): bad date '昨天': write it as 2026-11-05 "
        "(a time may follow)",
        "wjx.csv, row 4, column 5、您参加过哪些活动？（可多选） (K): unknown option '跳舞'",
        "wjx.csv, row 5, column 1、您所在的青年之家 (G): unknown unit '不存在之家': no unit has "
        "this code or name",
    ]
    assert counts(session)["response"] == 0


def test_header_problems(session: Session, youth: Youth, tmp_path: Path) -> None:
    rows = wjx_text_rows(2)
    no_id = write_csv(tmp_path / "no_id.csv", [row[1:] for row in rows])
    with pytest.raises(ImportFailed, match="required row id column missing; accepted headers: "
                                           "序号"):
        import_responses(session, youth.round, no_id)
    unknown_item = write_csv(tmp_path / "t.csv", [[*HEADER, "q_missing", "备注"],
                                                  [*good("1"), "1", "手写备注"]])
    with pytest.raises(ImportFailed, match=r"column q_missing \(O\): instrument youth_check has "
                                           "no item 'q_missing'"):
        import_responses(session, youth.round, unknown_item)
    header_only = write_csv(tmp_path / "empty.csv", [HEADER])
    with pytest.raises(ImportFailed, match="there are no data rows below the header"):
        import_responses(session, youth.round, header_only)
    (tmp_path / "blank.csv").write_bytes(b"")
    with pytest.raises(ImportFailed, match="the file is empty"):
        inspect_responses(session, youth.round, tmp_path / "blank.csv")
    strange = write_csv(tmp_path / "strange.csv", [["姓名", "电话"], ["张三", "13800000000"]])
    with pytest.raises(ImportFailed, match="cannot tell the format"):
        import_responses(session, youth.round, strange)


def test_a_saved_mapping_whose_question_is_gone(session: Session, youth: Youth,
                                                tmp_path: Path) -> None:
    rows = wjx_text_rows(2)
    inspection = inspect_responses(session, youth.round, write_csv(tmp_path / "a.csv", rows))
    save_mapping(session, "一版", youth.round.instrument, inspection.review.mapping)
    shorter = write_csv(tmp_path / "b.csv", [row[:-1] for row in rows])  # no 9、 column
    with pytest.raises(ImportFailed, match="the mapping feeds item suggestion from question "
                                           "'9、您有什么意见和建议？', which this file does not"):
        import_responses(session, youth.round, shorter, inspection.review.mapping)


def test_rounds_that_take_no_responses(session: Session, youth: Youth, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "wjx.csv", wjx_text_rows(1))
    rounds.close_round(session, youth.round)
    assert import_responses(session, youth.round, path).imported == 1  # closed: still imports
    rounds.publish_round(session, youth.round)
    with pytest.raises(OperationError, match="is published: it takes no responses"):
        import_responses(session, youth.round, path)
    with pytest.raises(OperationError, match="--unit: unknown unit 'QN99'"):
        inspect_responses(session, youth.round, path, unit="QN99")
    with pytest.raises(OperationError, match="unit QN09 北郊青年之家 is not evaluated"):
        inspect_responses(session, youth.round, path, unit="北郊青年之家")
