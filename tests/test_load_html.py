"""Web pages saved as .xls: the "Xuất Excel" of provincial one-stop portals (REFERENCE §3).

The pages are built here, in code, in the shapes such exports take in public code (no code of
those projects is copied; only their layout is mimicked):
- the `tableToExcel` template copied into many portals' front ends: `<html xmlns:o xmlns:x>`, an
  `<!--[if gte mso 9]><xml><x:ExcelWorkbook>…<x:Name>{worksheet}</x:Name>…</xml><![endif]-->`
  block in the head, the page's table pasted in the body (sometimes its outerHTML inside the
  template's own `<table>`);
- server-rendered report pages sent with `Response.ContentType = "application/vnd.ms-excel"`
  (ASP.NET report pages such as those of github.com/namtao/ADDJ_Website): a banner table with
  `border="0"`, title rows `<td colspan=…><h1>BÁO CÁO …<br/>…</h1>`, "Từ ngày:" / "Đến ngày:"
  rows, then the data table `border="1"` with `<th>` headers;
- one-stop-shop pages wrapped in layout tables (github.com/nguyenhuynhy/NinhKieu, HSHC module,
  Ninh Kiều district's dossier system: the report sits in a cell of nested layout tables);
- Excel's own "Save as Web Page" markup: `x:num`, `mso-number-format:"\\@"` text cells.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import dxcheck
from dxcheck.errors import InputError
from dxcheck.load import LoadOptions, load_file
from dxcheck.load.api import _expand
from dxcheck.load.formats import sniff_kind
from dxcheck.load.html import read_html
from dxcheck.messages import t
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, encode_cp1258, write_html, write_workbook

ROOT = Path(__file__).resolve().parents[1]

EXCEL_HEAD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" '
    'xmlns="http://www.w3.org/TR/REC-html40"><head>'
    '<meta http-equiv="content-type" content="application/vnd.ms-excel; charset={charset}">'
    "<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>{name}</x:Name>"
    "<x:WorksheetOptions><x:DisplayGridlines/></x:WorksheetOptions></x:ExcelWorksheet></x:ExcelWorksheets>"
    "</x:ExcelWorkbook></xml><![endif]-->"
    '<style>.text {{ mso-number-format:"\\@"; }} .num {{ mso-number-format:"\\#\\,\\#\\#0"; }}</style></head>'
)


def page(body: str, *, name: str = "Danh sách", charset: str = "UTF-8") -> str:
    return EXCEL_HEAD.format(charset=charset, name=name) + f"<body>{body}</body></html>"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def grid(path: Path, **kwargs) -> dict[str, list[list[str | None]]]:
    """Every sheet as rows of cells (None for blank), as read."""
    result = read_html(path, path.read_bytes(), **kwargs)
    out = {}
    for sheet in result.sheets:
        columns = [col.tolist() for col in sheet.columns]
        out[sheet.name] = [[(c[i] if isinstance(c[i], str) else None) for c in columns] for i in range(sheet.height)]
    return out


def error_of(path: Path, **options) -> InputError:
    with pytest.raises(InputError) as info:
        load_file(path, LoadOptions(**options))
    return info.value


def english(err: InputError) -> str:
    return t(err.key, lang="en", **err.params)


# ----------------------------------------------------------------------------------------------
# a dossier list as a portal exports it

DOSSIERS = [
    # group, id, procedure, received, due, result, status
    ("Tư pháp", "000.00.15.H01-261001-0001", "Đăng ký khai sinh", "01/10/2026 08:15", "02/10/2026", "01/10/2026 15:40",
     "Đã trả kết quả"),
    ("Tư pháp", "000.00.15.H01-261002-0002", "Chứng thực bản sao từ bản chính", "02/10/2026 09:00", "02/10/2026",
     "", "Đang xử lý"),
    ("Tư pháp", "000.00.15.H01-261005-0003", "Đăng ký kết hôn", "05/10/2026 10:30", "08/10/2026", "09/10/2026 16:00",
     "Đã trả kết quả"),
    ("Đất đai", "000.00.15.H01-261006-0004", "Đăng ký biến động đất đai", "06/10/2026 14:00", "20/10/2026", "",
     "Đang xử lý"),
    ("Đất đai", "000.00.15.H01-261007-0005", "Cấp bản sao Giấy chứng nhận", "07/10/2026 07:45", "12/10/2026",
     "12/10/2026 11:20", "Đã trả kết quả"),
]


def dossier_page() -> str:
    rows = []
    groups: list[str] = []
    number = 0
    for item in DOSSIERS:
        if not groups or item[0] != groups[-1]:
            groups.append(item[0])
            roman = ["I", "II", "III"][len(groups) - 1]
            rows.append(f'<tr><td colspan="8" style="font-weight:bold">{roman}. Lĩnh vực {item[0]}</td></tr>')
        number += 1
        _, code, name, received, due, result, status = item
        rows.append(
            f'<tr><td align="center">{number}</td><td class="text">{code}</td><td>{name}</td>'
            f"<td>{received}</td><td>{due}</td><td>{result or '&nbsp;'}</td><td>{status}</td><td></td></tr>")
    header = (
        "<thead>"
        '<tr><th rowspan="2">STT</th><th rowspan="2">Mã hồ sơ</th><th rowspan="2">Tên thủ tục</th>'
        '<th colspan="3">Ngày</th><th rowspan="2">Trạng thái</th><th rowspan="2">Ghi chú</th></tr>'
        "<tr><th>Tiếp nhận</th><th>Hẹn trả</th><th>Có kết quả</th></tr>"
        "<tr>" + "".join(f"<td><i>({i})</i></td>" for i in range(1, 9)) + "</tr>"
        "</thead>"
    )
    signature = (
        '<tr><td colspan="8" style="border:none">&nbsp;</td></tr>'
        '<tr><td colspan="3" align="center"><b>NGƯỜI LẬP BIỂU</b></td><td colspan="2"></td>'
        '<td colspan="3" align="center"><b>THỦ TRƯỞNG ĐƠN VỊ</b></td></tr>'
        '<tr><td colspan="3" align="center"><i>(Ký, ghi rõ họ tên)</i></td><td colspan="2"></td>'
        '<td colspan="3" align="center"><i>(Ký tên, đóng dấu)</i></td></tr>'
    )
    body = (
        "<p><b>UBND XÃ HOÀNG SƠN</b><br>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</p>\n"
        "<h3 style='text-align:center'>BÁO CÁO DANH SÁCH HỒ SƠ TIẾP NHẬN</h3>\n"
        "<div align='center'><i>Từ ngày 01/10/2026 đến ngày 31/10/2026</i></div>\n"
        '<table border="1" cellspacing="0" cellpadding="3">' + header + "<tbody>" + "".join(rows) + "</tbody>"
        '<tfoot><tr><td colspan="2"><b>Tổng cộng</b></td><td>5 hồ sơ</td><td colspan="5"></td></tr></tfoot>'
        + signature + "</table>"
    )
    return page(body)


def test_the_grid_is_laid_out_as_a_spreadsheet_shows_merged_cells(tmp_path):
    path = write(tmp_path, "danh-sach-ho-so.xls", dossier_page())
    (rows,) = grid(path).values()
    # title lines above the table, one a row: <br> inside a paragraph starts a new line
    assert [row[0] for row in rows[:4]] == ["UBND XÃ HOÀNG SƠN", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
                                            "BÁO CÁO DANH SÁCH HỒ SƠ TIẾP NHẬN",
                                            "Từ ngày 01/10/2026 đến ngày 31/10/2026"]
    assert all(cell is None for row in rows[:4] for cell in row[1:])
    # the two header rows: a span's value in its top-left cell only
    assert rows[4] == ["STT", "Mã hồ sơ", "Tên thủ tục", "Ngày", None, None, "Trạng thái", "Ghi chú"]
    assert rows[5] == [None, None, None, "Tiếp nhận", "Hẹn trả", "Có kết quả", None, None]
    assert rows[6] == [f"({i})" for i in range(1, 9)]
    assert rows[7] == ["I. Lĩnh vực Tư pháp"] + [None] * 7
    assert rows[8][:4] == ["1", "000.00.15.H01-261001-0001", "Đăng ký khai sinh", "01/10/2026 08:15"]
    assert rows[9][5] is None  # &nbsp; is a blank cell
    assert rows[11] == ["II. Lĩnh vực Đất đai"] + [None] * 7
    assert rows[14] == ["Tổng cộng", None, "5 hồ sơ", None, None, None, None, None]
    assert rows[15] == [None] * 8
    assert rows[16] == ["NGƯỜI LẬP BIỂU", None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ", None, None]
    assert len(rows) == 18


def test_a_dossier_list_is_recognised_and_every_row_accounted_for(tmp_path):
    path = write(tmp_path, "danh-sach-ho-so.xls", dossier_page())
    loaded = load_file(path)
    assert loaded.kind == "html" and loaded.encoding == "utf-8"
    (sheet,) = loaded.sheets
    report = sheet.report
    assert report.sheet == "Danh sách"  # Excel's <x:Name>
    assert report.dataset == "ho_so" and report.header_row == 6
    assert report.fields["ngay_tiep_nhan"] == "Ngày › Tiếp nhận"
    assert report.fields["ngay_co_ket_qua"] == "Ngày › Có kết quả"
    assert report.rows_used == 5
    assert report.rows_left_out == {"blank": 1, "column_numbers": 1, "group": 2, "signature": 2, "total": 1}
    assert report.rows_used + sum(report.rows_left_out.values()) == report.rows_total
    data = sheet.data
    assert data["ma_ho_so"].tolist() == [item[1] for item in DOSSIERS]
    assert data["linh_vuc"].tolist() == [item[0] for item in DOSSIERS]
    assert data["_row"].tolist() == [9, 10, 11, 13, 14]
    expected_received = [dt.datetime.strptime(item[3], "%d/%m/%Y %H:%M") for item in DOSSIERS]
    assert data["ngay_tiep_nhan"].tolist() == [pd.Timestamp(moment) for moment in expected_received]
    results = data["ngay_co_ket_qua"]
    assert results.isna().tolist() == [not item[5] for item in DOSSIERS]
    assert data["trang_thai"].tolist() == ["da_tra_ket_qua", "dang_xu_ly", "da_tra_ket_qua", "dang_xu_ly",
                                           "da_tra_ket_qua"]
    assert loaded.warnings == []


def test_a_statistics_form_with_four_header_levels_keeps_every_level_in_place(tmp_path):
    # Biểu II.06a of Thông tư 01/2020/TT-VPCP as portals render it: four header levels
    header = (
        '<tr><th rowspan="4">STT</th><th rowspan="4">Lĩnh vực, công việc giải quyết theo cấp</th>'
        '<th colspan="5">Số hồ sơ nhận giải quyết</th><th colspan="4">Kết quả giải quyết</th></tr>'
        '<tr><th rowspan="3">Tổng số</th><th colspan="4">Trong đó</th>'
        '<th colspan="3">Số hồ sơ đã giải quyết</th><th rowspan="3">Số hồ sơ đang giải quyết</th></tr>'
        '<tr><th rowspan="2">Số kỳ trước chuyển qua</th><th colspan="3">Số mới tiếp nhận</th>'
        '<th rowspan="2">Tổng số</th><th rowspan="2">Trả trước hạn</th><th rowspan="2">Trả đúng thời hạn</th></tr>'
        "<tr><th>Trực tuyến</th><th>Trực tiếp, dịch vụ bưu chính</th><th>Tổng</th></tr>"
    )
    numbers = "<tr>" + "".join(f"<td>({i})</td>" for i in range(1, 12)) + "</tr>"
    body = ('<table border="1"><tr><td colspan="11" align="center"><h1>THỐNG KÊ KẾT QUẢ GIẢI QUYẾT TTHC'
            "<br/>TẠI UBND XÃ</h1></td></tr>" + header + numbers
            + '<tr><td>1</td><td>Tư pháp</td><td x:num="12">12</td><td>2</td><td>7</td><td>3</td><td>10</td>'
              "<td>11</td><td>4</td><td>6</td><td>1</td></tr></table>")
    path = write(tmp_path, "bieu-ii06a.xls", page(body, name="Biểu II.06a"))
    (rows,) = grid(path).values()
    assert rows[0] == ["THỐNG KÊ KẾT QUẢ GIẢI QUYẾT TTHC\nTẠI UBND XÃ"] + [None] * 10
    assert rows[1] == ["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết", None, None,
                       None, None, "Kết quả giải quyết", None, None, None]
    assert rows[2] == [None, None, "Tổng số", "Trong đó", None, None, None, "Số hồ sơ đã giải quyết", None, None,
                       "Số hồ sơ đang giải quyết"]
    assert rows[3] == [None, None, None, "Số kỳ trước chuyển qua", "Số mới tiếp nhận", None, None, "Tổng số",
                       "Trả trước hạn", "Trả đúng thời hạn", None]
    assert rows[4] == [None, None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Tổng", None, None,
                       None, None]
    assert rows[5] == [f"({i})" for i in range(1, 12)]
    assert rows[6] == ["1", "Tư pháp", "12", "2", "7", "3", "10", "11", "4", "6", "1"]


# ----------------------------------------------------------------------------------------------
# text: NFD, entities, <br>, encodings


def staff_table(header: list[str], rows: list[list[str]]) -> str:
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table border="1">{head}{body}</table>'


STAFF_HEADER = ["Họ và tên", "Chức vụ", "Đã bồi dưỡng<br>kỹ năng số"]
STAFF_ROWS = [["Nguyễn Văn An", "Chủ tịch", "Có"], ["Trần Thị Bình", "Công chức Văn phòng - Thống kê", "Không"],
              ["Lê Văn Cường", "Công chức Tư pháp - Hộ tịch", "Có"]]


def test_nfd_text_is_read_and_normalised(tmp_path):
    nfd = [[unicodedata.normalize("NFD", c) for c in row] for row in [STAFF_HEADER, *STAFF_ROWS]]
    path = write(tmp_path, "can-bo.xls", page(staff_table(nfd[0], nfd[1:])))
    loaded = load_file(path)
    (sheet,) = loaded.sheets
    assert sheet.report.dataset == "can_bo" and sheet.report.rows_used == 3
    assert sheet.data["ho_ten"].tolist() == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert all(unicodedata.is_normalized("NFC", v) for v in sheet.data["chuc_vu"])
    assert sheet.data["da_boi_duong_so"].tolist() == [True, False, True]


def test_entities_are_decoded_and_br_is_a_line_break(tmp_path):
    header = ["H&#7885; v&agrave; t&ecirc;n", "Ch&#x1EE9;c v&#7909;", "&#272;&atilde; b&#7891;i d&#432;&#7905;ng<br/>k&#7929; n&#259;ng s&#7889;"]
    rows = [["Nguy&#7877;n V&#259;n An", "Ch&#7911; t&#7883;ch &amp; B&iacute; th&#432;", "C&oacute;"],
            ["&nbsp;Tr&#7847;n Th&#7883; B&igrave;nh&nbsp;", "V&#259;n ph&ograve;ng&nbsp;&nbsp;-  Th&#7889;ng k&ecirc;",
             "&nbsp;"]]
    path = write(tmp_path, "can-bo.xls", page(staff_table(header, rows)))
    (cells,) = grid(path).values()
    assert cells[0] == ["Họ và tên", "Chức vụ", "Đã bồi dưỡng\nkỹ năng số"]
    assert cells[1] == ["Nguyễn Văn An", "Chủ tịch & Bí thư", "Có"]
    assert cells[2] == ["Trần Thị Bình", "Văn phòng - Thống kê", None]
    (sheet,) = load_file(path).sheets
    assert sheet.report.fields["da_boi_duong_so"] == "Đã bồi dưỡng kỹ năng số"
    assert sheet.data["da_boi_duong_so"].tolist() == [True, False]


def test_windows_1258_with_a_meta_charset(tmp_path):
    text = page(staff_table(STAFF_HEADER, STAFF_ROWS), charset="windows-1258")
    path = write(tmp_path, "can-bo.xls", text, encoding="cp1258")
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    loaded = load_file(path)
    assert loaded.kind == "html" and loaded.encoding == "cp1258"
    assert loaded.sheets[0].data["ho_ten"].tolist() == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def test_encodings_without_a_declaration_or_with_a_wrong_one(tmp_path):
    body = staff_table(STAFF_HEADER, STAFF_ROWS)
    bare = f"<html><body>{body}</body></html>"
    # no declaration, not UTF-8: Windows-1258 as Vietnamese Windows writes it
    cp1258 = write(tmp_path, "a.xls", bare, encoding="cp1258")
    # declared Latin-1 (a template's leftover) but written in UTF-8: Latin-1 cannot hold Vietnamese
    latin = write(tmp_path, "b.xls", page(body, charset="iso-8859-1"))
    # UTF-16 with a BOM and UTF-8 with a BOM
    wide = write(tmp_path, "c.xls", bare, encoding="utf-16")
    bom = write(tmp_path, "d.xls", bare, encoding="utf-8-sig")
    for path, encoding in ((cp1258, "cp1258"), (latin, "utf-8"), (wide, "utf-16"), (bom, "utf-8-sig")):
        loaded = load_file(path)
        assert (loaded.kind, loaded.encoding) == ("html", encoding), path.name
        assert loaded.sheets[0].data["chuc_vu"].tolist() == [row[1] for row in STAFF_ROWS], path.name
    # a stale declaration over UTF-8 text: the text is UTF-8 (no legacy text is valid UTF-8)
    stale = write(tmp_path, "e.xls", page(body, charset="windows-1258"))
    assert load_file(stale).encoding == "utf-8"
    # --encoding (LoadOptions.encoding) wins over everything
    forced = load_file(cp1258, LoadOptions(encoding="cp1258"))
    assert forced.encoding == "cp1258" and forced.sheets[0].data["ho_ten"].iloc[0] == "Nguyễn Văn An"
    with pytest.raises(InputError) as info:
        load_file(cp1258, LoadOptions(encoding="utf-8"))
    assert info.value.key == "load.csv_wrong_encoding"


def test_excel_number_cells_and_text_cells(tmp_path):
    # Excel's own web page: x:num holds the stored number, the text what the format shows
    body = ('<table><tr><td>Lĩnh vực giải quyết</td><td>Tổng số hồ sơ tiếp nhận</td><td>Tỷ lệ</td><td>Mã</td></tr>'
            '<tr><td>Tư pháp</td><td x:num="1234">1.234</td><td x:num="0.9729">97,29%</td>'
            '<td class="text" style=\'mso-number-format:"\\@"\'>001.234</td></tr>'
            '<tr><td>Đất đai</td><td x:num="1.5">1,5</td><td x:num>12</td><td x:str="x">2.345</td></tr></table>')
    path = write(tmp_path, "so-lieu.xls", page(body))
    result = read_html(path, path.read_bytes())
    (sheet,) = result.sheets
    assert sheet.columns[1].tolist()[1:] == ["1234", "1.5"]
    assert sheet.columns[2].tolist()[1:] == ["97,29%", "12"]  # a percentage keeps what it shows
    assert sheet.columns[3].tolist()[1:] == ["001.234", "2.345"]  # text stays text
    assert sheet.numeric_cells(1).tolist() == [False, True, True]
    assert sheet.numeric_cells(3).tolist() == [False, False, False]


# ----------------------------------------------------------------------------------------------
# markup as it comes


def test_broken_markup_is_read_as_a_browser_would(tmp_path):
    # no closing tags, upper case, unquoted attributes, a stray </td>, a comment in a row
    body = ("<TABLE BORDER=1><TR><TH>Họ và tên<TH>Chức vụ<TH COLSPAN=2>Đã bồi dưỡng kỹ năng số"
            "<TR><TD>Nguyễn Văn An<TD>Chủ tịch</td></td><TD>Có<TD>"
            "<!-- <tr><td>bị ẩn</td></tr> -->"
            "<TR><TD>Trần Thị Bình<TD>Công chức<TD>Không</TABLE>")
    path = write(tmp_path, "can-bo.htm", f"<HTML><BODY>{body}</BODY></HTML>")
    (rows,) = grid(path).values()
    assert rows == [["Họ và tên", "Chức vụ", "Đã bồi dưỡng kỹ năng số"], ["Nguyễn Văn An", "Chủ tịch", "Có"],
                    ["Trần Thị Bình", "Công chức", "Không"]]


def test_thead_tbody_tfoot_rows_come_in_document_order_and_rowspans_stop_at_their_group(tmp_path):
    body = ("<table><thead><tr><th rowspan='5'>A</th><th>B</th></tr></thead>"
            "<tfoot><tr><td>chân</td><td>bảng</td></tr></tfoot>"
            "<tbody><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></tbody></table>")
    path = write(tmp_path, "t.xls", page(body))
    (rows,) = grid(path).values()
    # the rowspan of A ends with <thead>: the rows below start in column A again
    assert rows == [["A", "B"], ["chân", "bảng"], ["1", "2"], ["3", None]]


def test_rowspan_and_colspan_together_and_cells_pushed_right(tmp_path):
    body = ("<table>"
            "<tr><td rowspan=2 colspan=2>a</td><td>b</td><td rowspan=3>c</td></tr>"
            "<tr><td>d</td></tr>"
            "<tr><td>e</td><td>f</td><td>g</td><td>h</td></tr>"
            "<tr><td colspan=0>i</td><td rowspan=x>j</td></tr>"
            "</table>")
    path = write(tmp_path, "t.xls", page(body))
    (rows,) = grid(path).values()
    assert rows == [["a", None, "b", "c", None], [None, None, "d", None, None], ["e", "f", "g", None, "h"],
                    ["i", "j", None, None, None]]


def test_a_report_wrapped_in_layout_tables_is_read_from_the_inner_table(tmp_path):
    # whole report in one layout table (old web forms): banner cells, then the data in a cell
    data = staff_table(STAFF_HEADER, STAFF_ROWS)
    body = ('<table width="100%" border="0"><tr><td><b>UBND XÃ BÌNH MINH</b></td>'
            "<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></td></tr>"
            '<tr><td colspan="2"><table border="0"><tr><td>'
            f"<h3>DANH SÁCH CÁN BỘ, CÔNG CHỨC</h3>{data}</td></tr></table></td></tr>"
            "<tr><td>NGƯỜI LẬP BIỂU</td><td>CHỦ TỊCH</td></tr></table>")
    path = write(tmp_path, "can-bo.xls", page(body, name="Cán bộ"))
    (rows,) = grid(path).values()
    assert rows[0] == ["UBND XÃ BÌNH MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None]
    assert rows[1] == ["DANH SÁCH CÁN BỘ, CÔNG CHỨC", None, None]
    assert rows[2] == ["Họ và tên", "Chức vụ", "Đã bồi dưỡng\nkỹ năng số"]
    assert rows[5] == ["Lê Văn Cường", "Công chức Tư pháp - Hộ tịch", "Có"]
    assert rows[6] == ["NGƯỜI LẬP BIỂU", "CHỦ TỊCH", None]
    (sheet,) = load_file(path).sheets
    assert sheet.report.sheet == "Cán bộ" and sheet.report.rows_used == 3 and sheet.report.header_row == 3


def test_a_small_table_inside_a_data_cell_is_that_cells_text(tmp_path):
    mini = "<table><tr><td>Bản sao</td><td>2</td></tr><tr><td>Tờ khai</td><td>1</td></tr></table>"
    body = ("<table><tr><th>Họ và tên</th><th>Chức vụ</th><th>Đã bồi dưỡng kỹ năng số</th><th>Giấy tờ</th></tr>"
            f"<tr><td>Nguyễn Văn An</td><td>Chủ tịch</td><td>Có</td><td>Kèm theo:{mini}</td></tr>"
            "<tr><td>Trần Thị Bình</td><td>Công chức</td><td>Có</td><td></td></tr></table>")
    path = write(tmp_path, "t.xls", page(body))
    sheets = grid(path)
    assert list(sheets) == ["Danh sách"]
    (rows,) = sheets.values()
    assert rows[1] == ["Nguyễn Văn An", "Chủ tịch", "Có", "Kèm theo:\nBản sao 2\nTờ khai 1"]
    assert len(rows) == 3


def test_the_template_wrapping_a_pasted_table_in_its_own(tmp_path):
    # tableToExcel with the table's outerHTML: <table><table id="grid">…</table></table>
    body = "<table>" + staff_table(STAFF_HEADER, STAFF_ROWS).replace("<table", '<table id="grid"', 1) + "</table>"
    path = write(tmp_path, "export.xls", page(body, name="Sheet1"))
    (sheet,) = load_file(path).sheets
    assert sheet.report.dataset == "can_bo" and sheet.report.rows_used == 3 and sheet.report.header_row == 1


def test_several_tables_are_several_sheets_with_banner_tables_read_as_their_lines(tmp_path):
    # a banner table (border=0) before each data table, as server-rendered report pages have it
    def banner(title: str) -> str:
        return ('<table border="0" width="100%"><tr><td colspan="3"><h1>' + title + "</h1></td></tr>"
                '<tr><td colspan="3">&nbsp;</td></tr>'
                "<tr><td>Từ ngày:</td><td>01/10/2026</td></tr><tr><td>Đến ngày:</td><td>31/10/2026</td></tr></table>")
    villages = ('<table border="1"><caption>Thôn, tổ dân phố</caption>'
                "<tr><th>Tên thôn</th><th>Phủ sóng 5G</th><th>Tổ công nghệ số cộng đồng</th></tr>"
                "<tr><td>Thôn 1</td><td>Có</td><td>Có</td></tr><tr><td>Thôn 2</td><td>Không</td><td>Có</td></tr></table>")
    body = (banner("DANH SÁCH CÁN BỘ") + "<br>" + staff_table(STAFF_HEADER, STAFF_ROWS) + "<br><br>"
            + banner("DANH SÁCH THÔN") + villages + "<p>Ghi chú: số liệu tạm tính</p>")
    path = tmp_path / "bao-cao.xls"
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>", encoding="utf-8")
    sheets = grid(path)
    assert list(sheets) == ["bao-cao 1", "Thôn, tổ dân phố"]
    first, second = sheets.values()
    assert [row[0] for row in first[:5]] == ["DANH SÁCH CÁN BỘ", None, "Từ ngày:", "Đến ngày:", "Họ và tên"]
    assert first[2][:2] == ["Từ ngày:", "01/10/2026"]
    assert [row[0] for row in second] == ["DANH SÁCH THÔN", None, "Từ ngày:", "Đến ngày:", "Thôn, tổ dân phố",
                                          "Tên thôn", "Thôn 1", "Thôn 2", "Ghi chú: số liệu tạm tính"]
    loaded = load_file(path)
    assert [(s.report.sheet, s.report.dataset, s.report.rows_used) for s in loaded.sheets] == [
        ("bao-cao 1", "can_bo", 3), ("Thôn, tổ dân phố", "thon", 2)]
    assert loaded.sheets[1].report.rows_left_out == {"footer": 1}


# ----------------------------------------------------------------------------------------------
# which files, and what is refused


def test_html_is_told_by_its_content_whatever_its_name(tmp_path):
    text = page(staff_table(STAFF_HEADER, STAFF_ROWS))
    for name in ("a.xls", "b.xlsx", "c.html", "d.htm", "e.csv", "f"):
        path = write(tmp_path, name, ("\n\n  <!-- export -->\n" if name == "f" else "") + text)
        assert sniff_kind(path, path.read_bytes()) == "html", name
        assert load_file(path).sheets[0].report.rows_used == 3, name
    xhtml = write(tmp_path, "x.xls", '<?xml version="1.0" encoding="utf-8"?>\n' + text)
    assert sniff_kind(xhtml, xhtml.read_bytes()) == "html"
    # a CSV that only mentions a tag is still a CSV
    csv = write(tmp_path, "g.csv", "Họ và tên;Ghi chú\nNguyễn Văn An;<b>đậm</b>\n")
    assert sniff_kind(csv, csv.read_bytes()) == "csv"


def test_folders_take_web_pages_named_xls_but_not_html_files(tmp_path):
    write(tmp_path, "xa-a.xls", page(staff_table(STAFF_HEADER, STAFF_ROWS)))
    write(tmp_path, "bao-cao.html", "<html><body><table><tr><td>x</td></tr></table></body></html>")
    write(tmp_path, "trang.htm", "<html><body><p>trang web</p></body></html>")
    assert [p.name for p in _expand([tmp_path])] == ["xa-a.xls"]


def test_a_web_page_with_no_table_is_a_clear_input_error(tmp_path):
    path = write(tmp_path, "ho-so.xls", page("<h3>Danh sách hồ sơ</h3><p>Không có dữ liệu.</p>"))
    err = error_of(path)
    assert err.key == "load.html_no_table" and "ho-so.xls" in english(err) and "no table" in english(err)
    empty_tables = write(tmp_path, "trong.xls", page("<table><tr><td>&nbsp;</td></tr></table>"))
    assert error_of(empty_tables).key == "load.html_no_table"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DXCHECK_")}
    for lang, words in (("vi", "không có bảng nào"), ("en", "no table")):
        run = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(path), "--lang", lang],
                             capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
        assert run.returncode == 2 and run.stdout == ""
        assert run.stderr.startswith("dxcheck: ") and words in run.stderr and "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1


def test_a_hostile_colspan_or_rowspan_costs_nothing(tmp_path):
    body = ('<table><tr><td colspan="100000">BÁO CÁO</td></tr>'
            '<tr><td rowspan="1000000">Họ và tên</td><td colspan="99999999999999999999">Chức vụ</td></tr>'
            "</table>")
    path = write(tmp_path, "t.xls", page(body))
    result = read_html(path, path.read_bytes())
    (sheet,) = result.sheets
    assert (sheet.height, sheet.width) == (2, 2)  # the grid holds the values, not the spans


def test_values_beyond_the_caps_are_refused_with_the_usual_messages(tmp_path):
    wide = write(tmp_path, "wide.xls", page('<table><tr><td colspan="1000">a</td><td colspan="1000">b</td>'
                                            "<td>c</td></tr></table>"))
    err = error_of(wide)
    assert err.key == "load.too_many_columns" and "DXCHECK_MAX_COLUMNS" in english(err) and "wide.xls" in english(err)
    assert error_of(wide, max_columns=50).key == "load.too_many_columns"
    rows = "".join(f"<tr><td>{i}</td><td>x</td></tr>" for i in range(20))
    tall = write(tmp_path, "tall.xls", page(f"<table>{rows}</table>"))
    err = error_of(tall, max_rows=10)
    assert err.key == "load.too_many_rows" and "DXCHECK_MAX_ROWS" in english(err)
    assert error_of(tall, max_cells=30).key == "load.too_many_cells"
    two = write(tmp_path, "two.xls", page(f"<table>{rows}</table><p>và</p><table>{rows}</table>"))
    assert error_of(two, max_cells=60).key == "load.too_many_cells_workbook"


def test_no_entity_or_document_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT KHẨU", encoding="utf-8")
    text = (f'<!DOCTYPE html SYSTEM "http://127.0.0.1:9/x.dtd" [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            "<html><body><table><tr><td>Họ và tên</td><td>Chức vụ</td><td>Đã bồi dưỡng kỹ năng số</td></tr>"
            "<tr><td>&xxe;</td><td>Chủ tịch</td><td>Có</td></tr></table></body></html>")
    path = write(tmp_path, "x.xls", text)
    (rows,) = grid(path).values()
    assert "MẬT KHẨU" not in str(rows)


def test_inspect_shows_the_format_and_encoding(tmp_path):
    path = write(tmp_path, "can-bo.xls", page(staff_table(STAFF_HEADER, STAFF_ROWS), charset="windows-1258"),
                 encoding="cp1258")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DXCHECK_")} | {"COLUMNS": "250"}
    run = subprocess.run([sys.executable, "-m", "dxcheck", "inspect", str(path), "--lang", "en"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "(html)" in run.stdout and "Encoding cp1258" in run.stdout and "separator" not in run.stdout


# ----------------------------------------------------------------------------------------------
# metamorphic: the same layout as xlsx and as a web page


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["_row"]).reset_index(drop=True)


def layouts() -> list[ReportSheet]:
    dossiers = records.dossiers(120, "2026-10", seed=12, style="igate")
    statistics = records.statistics_report(dossiers, "2026-10")
    return [ReportSheet("Hồ sơ", dossiers, group_by="Lĩnh vực"), ReportSheet("Thống kê", statistics)]


def assert_same_load(workbook, web, *, same_rows: bool) -> None:
    assert web.kind == "html" and len(web.sheets) == len(workbook.sheets)
    for a, b in zip(workbook.sheets, web.sheets):
        assert b.report.sheet == a.report.sheet
        assert b.report.dataset == a.report.dataset and a.report.dataset in ("ho_so", "thong_ke")
        assert b.report.rows_used == a.report.rows_used > 0
        assert b.report.rows_left_out == a.report.rows_left_out
        assert b.report.fields == a.report.fields
        if same_rows:
            assert b.report.header_row == a.report.header_row
            pd.testing.assert_frame_equal(b.data, a.data)
        else:
            pd.testing.assert_frame_equal(canonical(b.data), canonical(a.data))
    assert [w.code for w in web.warnings] == [w.code for w in workbook.warnings]


def test_the_same_layout_as_xlsx_and_as_a_web_page_loads_the_same(tmp_path):
    # the banner and signature as rows of the table: the very same grid, row for row
    sheets = layouts()
    write_workbook(tmp_path / "xa.xlsx", sheets)
    write_html(tmp_path / "xa.xls", sheets)
    assert_same_load(load_file(tmp_path / "xa.xlsx"), load_file(tmp_path / "xa.xls"), same_rows=True)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1258"])
def test_banner_and_signature_around_the_table_load_as_in_the_workbook(tmp_path, encoding):
    # the banner as a two-column table, <h3> and <p> above the table, the signature block as a
    # table after it (the page holds one report: text between two tables is read above the second)
    for sheet in layouts():
        write_workbook(tmp_path / "xa.xlsx", [sheet])
        write_html(tmp_path / "xa.xls", [sheet], title_blocks=True, encoding=encoding)
        web = load_file(tmp_path / "xa.xls")
        assert web.encoding == encoding
        assert_same_load(load_file(tmp_path / "xa.xlsx"), web, same_rows=False)


def test_the_same_layout_as_xlsx_and_as_a_web_page_evaluates_the_same(tmp_path):
    # tests/test_robust_metamorphic.py runs the web page through every pack too, with faults planted
    dossiers = records.dossiers(300, "2026-10", seed=21, style="viettel")
    results = {}
    for name, writer in (("ho-so.xlsx", write_workbook), ("ho-so.xls", write_html)):
        path = tmp_path / name
        writer(path, [ReportSheet("Hồ sơ", dossiers)])
        result = dxcheck.evaluate([path], rules=["binh-minh-2030"], period="2026-10", timestamp=False,
                                  lang="en").to_dict()
        for item in result["inputs"]:
            item.pop("sha256")
        results[name] = json.loads(json.dumps(result, ensure_ascii=False).replace(str(path), "FILE"))
    a, b = results["ho-so.xlsx"], results["ho-so.xls"]
    assert "pass" in {item["status"] for item in a["results"]}
    assert b == a
