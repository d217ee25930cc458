"""The generated template: header, legend, unit list, drop-downs; CSV and XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from surveys import shipped_instruments
from surveys.importers import template_sheets, write_template_csv, write_template_xlsx

from .samples import youth_instrument


def test_sheets_describe_every_column() -> None:
    units = [("QN01", "滨江青年之家"), ("QN02", "=HYPERLINK()")]
    sheets = template_sheets(youth_instrument(), units)
    assert sheets.header[:5] == ["unit", "ref", "channel", "date", "duration_s"]
    legend = {row[0]: row for row in sheets.legend[1:]}
    assert set(legend) == set(sheets.header)
    assert legend["know_services"][6].startswith("1–5; 1 = 完全不了解; 2 = 不太了解")
    assert legend["quality"][6] == "1–5; 1 = 非常不同意; 5 = 非常同意"
    assert legend["quality"][7] == "na = 不适用"
    assert legend["kinds"][6].startswith("codes separated by commas 多选用逗号分隔, e.g. "
                                         "volunteering,learning: volunteering = 志愿服务")
    assert legend["overall"][4] == "yes" and legend["friends"][4] == "no"
    assert sheets.units == [["code", "name"], ["QN01", "滨江青年之家"], ["QN02", "'=HYPERLINK()"]]


def test_xlsx_has_three_sheets_and_drop_downs() -> None:
    instrument = youth_instrument()
    buffer = io.BytesIO()
    write_template_xlsx(buffer, template_sheets(instrument, [("QN01", "滨江青年之家")]), instrument)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["responses", "legend", "units"]
    validations = workbook["responses"].data_validations.dataValidation
    lists = {str(v.sqref): v.formula1 for v in validations}
    assert lists["A2:A5000"] == "units!$A$2:$A$2"
    assert lists["C2:C5000"] == '"onsite,handout,phone,paper,online,import"'
    assert lists["F2:F5000"] == '"1,0,dk"'  # know_site
    assert lists["H2:H5000"] == '"none,once,few,many"'  # times
    assert "I2:I5000" not in lists  # kinds: several codes per cell
    assert workbook["responses"].max_row == 1


def test_csv_pair_and_shipped_instruments(tmp_path: Path) -> None:
    paths = write_template_csv(tmp_path / "t.csv", template_sheets(youth_instrument()))
    assert [p.name for p in paths] == ["t.csv", "t.legend.csv"]
    assert paths[0].read_bytes().startswith(b"\xef\xbb\xbf")
    with paths[1].open(encoding="utf-8-sig", newline="") as handle:
        legend = list(csv.reader(handle))
    assert legend[0][0] == "column" and legend[-1] == ["code", "name"]
    for instrument in shipped_instruments().values():
        sheets = template_sheets(instrument)
        assert len(sheets.header) == 5 + len(instrument.items)
