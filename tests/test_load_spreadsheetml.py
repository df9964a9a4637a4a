"""Excel 2003 XML (SpreadsheetML) workbooks, as older systems and PHP/ASP pages send them as `.xls`.

The markup follows what Excel 2003 writes and what export scripts copy from it
(`<?mso-application progid="Excel.Sheet"?>`, `<Workbook xmlns="urn:schemas-microsoft-com:office:
spreadsheet">`, `ss:Index` on skipped rows and cells, `ss:MergeAcross`/`ss:MergeDown`, `<Data
ss:Type="DateTime">2026-10-01T08:30:00.000</Data>`).
"""

from __future__ import annotations

import pandas as pd
import pytest

from dxcheck.errors import InputError
from dxcheck.load import LoadOptions, load_file
from dxcheck.load.formats import sniff_kind
from dxcheck.load.spreadsheetml import read_spreadsheetml
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, write_spreadsheetml, write_workbook

HEAD = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">')


def book(*worksheets: tuple[str, str]) -> str:
    sheets = "".join(f'<Worksheet ss:Name="{name}"><Table>{rows}</Table></Worksheet>' for name, rows in worksheets)
    return HEAD + sheets + "</Workbook>"


def cell(value: str, kind: str = "String", attrs: str = "") -> str:
    return f'<Cell{attrs}><Data ss:Type="{kind}">{value}</Data></Cell>'


def grid(path) -> dict[str, list[list[str | None]]]:
    result = read_spreadsheetml(path, path.read_bytes())
    out = {}
    for sheet in result.sheets:
        columns = [col.tolist() for col in sheet.columns]
        out[sheet.name] = [[(c[i] if isinstance(c[i], str) else None) for c in columns] for i in range(sheet.height)]
    return out


def test_indexes_merges_and_types_are_laid_out_as_excel_shows_them(tmp_path):
    rows = (
        "<Row>" + cell("BÁO CÁO", attrs=' ss:MergeAcross="3"') + "</Row>"
        '<Row ss:Index="3">' + cell("STT", attrs=' ss:MergeDown="1"') + cell("Ngày", attrs=' ss:MergeAcross="1"')
        + cell("Ghi chú") + "</Row>"
        "<Row>" + cell("Tiếp nhận", attrs=' ss:Index="2"') + cell("Hẹn trả") + "</Row>"
        "<Row>" + cell("1", "Number") + cell("2026-10-01T08:30:00.000", "DateTime")
        + cell("2026-10-03T00:00:00.000", "DateTime") + cell("#N/A", "Error") + "</Row>"
        "<Row>" + cell("2.5", "Number") + cell("1", "Boolean") + cell('Đ<html:B>ã</html:B> xong', attrs=' ss:Index="4"')
        + "</Row>"
    )
    path = tmp_path / "bao-cao.xls"
    path.write_text(book(("Hồ sơ", rows)), encoding="utf-8")
    assert sniff_kind(path, path.read_bytes()) == "xml"
    assert grid(path) == {"Hồ sơ": [
        ["BÁO CÁO", None, None, None],
        [None, None, None, None],
        ["STT", "Ngày", None, "Ghi chú"],
        [None, "Tiếp nhận", "Hẹn trả", None],
        ["1", "2026-10-01 08:30:00", "2026-10-03 00:00:00", "#N/A"],
        ["2.5", "true", None, "Đã xong"],
    ]}
    (sheet,) = read_spreadsheetml(path, path.read_bytes()).sheets
    assert sheet.numeric_cells(0).tolist() == [False, False, False, False, True, True]


def test_a_number_cell_is_english_notation_and_text_is_vietnamese(tmp_path):
    header = "<Row>" + cell("Lĩnh vực giải quyết") + cell("Tổng số hồ sơ tiếp nhận") + "</Row>"
    rows = header + "<Row>" + cell("Tư pháp") + cell("1.234", "Number") + "</Row>" \
        + "<Row>" + cell("Đất đai") + cell("1.234") + "</Row>"
    path = tmp_path / "so-lieu.xls"
    path.write_text(book(("Thống kê", rows)), encoding="utf-8")
    (sheet,) = read_spreadsheetml(path, path.read_bytes()).sheets
    assert sheet.columns[1].tolist()[1:] == ["1.234", "1.234"]
    assert sheet.numeric_cells(1).tolist() == [False, True, False]


@pytest.mark.parametrize("style", ["igate", "viettel"])
def test_the_same_layout_as_xlsx_and_as_spreadsheetml_loads_the_same(tmp_path, style):
    dossiers = records.dossiers(150, "2026-10", seed=8, style=style)
    sheets = [ReportSheet("Hồ sơ", dossiers, group_by="Lĩnh vực" if "Lĩnh vực" in dossiers else None),
              ReportSheet("Thống kê", records.statistics_report(dossiers, "2026-10"))]
    write_workbook(tmp_path / "xa.xlsx", sheets)
    write_spreadsheetml(tmp_path / "xa.xls", sheets)
    workbook, xml = load_file(tmp_path / "xa.xlsx"), load_file(tmp_path / "xa.xls")
    assert xml.kind == "xml" and len(xml.sheets) == len(workbook.sheets) == 2
    for a, b in zip(workbook.sheets, xml.sheets):
        assert (b.report.sheet, b.report.dataset, b.report.header_row) == (a.report.sheet, a.report.dataset,
                                                                            a.report.header_row)
        assert a.report.dataset in ("ho_so", "thong_ke") and a.report.rows_used > 0
        assert b.report.rows_used == a.report.rows_used and b.report.rows_left_out == a.report.rows_left_out
        pd.testing.assert_frame_equal(b.data, a.data)
    assert [w.code for w in xml.warnings] == [w.code for w in workbook.warnings]


def test_a_doctype_declaring_entities_is_refused_before_anything_is_expanded_or_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT KHẨU", encoding="utf-8")
    text = ('<?xml version="1.0"?>\n'
            f'<!DOCTYPE Workbook [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY far SYSTEM "http://127.0.0.1:9/x">'
            '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            + book(("A", "<Row>" + cell("&xxe;") + cell("&far;") + cell("&lol2;") + cell("x") + "</Row>"))
            .split("\n", 2)[2])
    path = tmp_path / "x.xls"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(path)
    assert info.value.key == "load.damaged" and "DOCTYPE" in str(info.value)
    assert "MẬT KHẨU" not in str(info.value)


def test_broken_xml_is_a_damaged_file(tmp_path):
    path = tmp_path / "hong.xls"
    path.write_text(book(("A", "<Row>" + cell("Họ và tên") + "</Row>"))[:-40], encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(path)
    assert info.value.key == "load.damaged" and "hong.xls" in str(info.value)


def test_far_indexes_and_merges_cost_nothing_and_values_beyond_the_caps_are_refused(tmp_path):
    path = tmp_path / "xa.xls"
    path.write_text(book(("A", "<Row>" + cell("a", attrs=' ss:MergeAcross="999999999"') + "</Row>"
                               + '<Row ss:Index="4">' + cell("b", attrs=' ss:MergeDown="999999999"') + "</Row>")),
                    encoding="utf-8")
    (sheet,) = read_spreadsheetml(path, path.read_bytes()).sheets
    assert (sheet.height, sheet.width) == (4, 1)
    far_row = tmp_path / "hang.xls"
    far_row.write_text(book(("A", "<Row>" + cell("a") + '</Row><Row ss:Index="3000000">' + cell("b") + "</Row>")),
                       encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(far_row)
    assert info.value.key == "load.too_many_rows"
    far_col = tmp_path / "cot.xls"
    far_col.write_text(book(("A", "<Row>" + cell("a", attrs=' ss:Index="5000"') + "</Row>")), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(far_col)
    assert info.value.key == "load.too_many_columns"
    with pytest.raises(InputError) as info:
        load_file(path, LoadOptions(max_cells=3))
    assert info.value.key == "load.too_many_cells"
