"""Silent misreadings (issue 16 item 5): each case gave a wrong figure with no word before.

Every fixture is built in code (`dxcheck_synth.report` or openpyxl) into tmp_path.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pandas as pd

from dxcheck.load import load_file
from dxcheck_synth.report import ReportSheet, write_workbook

D = dt.datetime


def _dossiers(names: list[str], procedures: list[str]) -> pd.DataFrame:
    n = len(names)
    return pd.DataFrame({
        "Người nộp": names,
        "Mã hồ sơ": [f"H{i:03d}" for i in range(1, n + 1)],
        "Tên thủ tục": procedures,
        "Ngày tiếp nhận": [D(2026, 10, 1 + i) for i in range(n)],
        "Ngày hẹn trả": [D(2026, 10, 10 + i) for i in range(n)],
        "Trạng thái": ["Đã trả kết quả"] * n,
        "Lệ phí": [10000 * (i + 1) for i in range(n)],
    })


# ---------------------------------------------------------------------------------------------
# a. total rows are recognised by their shape, never by a prefix


def test_records_whose_text_starts_like_a_total_label_are_kept(tmp_path):
    frame = _dossiers(
        ["Tống Toàn Thắng", "Công Chung", "Nguyễn Văn An", "Cộng Thị Hà"],
        ["Công chứng hợp đồng", "Tổng hợp hồ sơ đất đai", "Đăng ký khai sinh", "Cộng dồn thời gian công tác"],
    )
    path = tmp_path / "ho_so.xlsx"
    write_workbook(path, [ReportSheet("Hồ sơ", frame, stt_column=False, numbered_row=None)])
    sheet = load_file(path).sheets[0]
    rep = sheet.report
    assert rep.dataset == "ho_so"
    assert sheet.data["ma_ho_so"].tolist() == ["H001", "H002", "H003", "H004"]
    assert sheet.data["le_phi"].sum() == 100000
    # the real total row written under the records is still one
    assert rep.rows_left_out.get("total") == 1


def _plain_sheet(tmp_path, rows: list[list]) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Người nộp", "Mã hồ sơ", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Lệ phí"])
    ws.append(["Nguyễn Văn An", "H001", "Đăng ký khai sinh", "01/10/2026", "05/10/2026", 10000])
    ws.append(["Tống Toàn Thắng", "H002", "Công chứng hợp đồng", "02/10/2026", "06/10/2026", 20000])
    for row in rows:
        ws.append(row)
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    return str(path)


def test_real_total_rows_are_still_recognised(tmp_path):
    path = _plain_sheet(tmp_path, [
        ["Tổng cộng", None, None, None, None, 30000],
        ["Cộng: 2 hồ sơ"],
        [None, None, "Tổng số", None, None, "30.000"],
        ["Toàn xã", None, "x", None, None, 30000],
    ])
    sheet = load_file(path).sheets[0]
    assert sheet.data["ma_ho_so"].tolist() == ["H001", "H002"]
    assert sheet.report.rows_left_out == {"total": 4}


def test_a_total_label_beside_a_record_id_is_a_record(tmp_path):
    path = _plain_sheet(tmp_path, [["Cộng", "H003", "Chứng thực bản sao", "03/10/2026", "07/10/2026", 5000]])
    sheet = load_file(path).sheets[0]
    assert sheet.data["ma_ho_so"].tolist() == ["H001", "H002", "H003"]
    assert "total" not in sheet.report.rows_left_out


# ---------------------------------------------------------------------------------------------
# e. the same file named twice is read once, with a warning


def _one_commune(tmp_path) -> Path:
    folder = tmp_path / "xa"
    folder.mkdir()
    frame = _dossiers(["Nguyễn Văn An", "Lê Thị Bình"], ["Đăng ký khai sinh", "Đăng ký kết hôn"])
    write_workbook(folder / "ho_so.xlsx", [ReportSheet("Hồ sơ", frame)])
    return folder


def _repeats(warnings) -> list:
    return [w for w in warnings if w.code == "load.input_repeated"]


def test_the_same_file_twice_is_one_commune(tmp_path):
    from dxcheck import evaluate

    folder = _one_commune(tmp_path)
    file = folder / "ho_so.xlsx"
    link = tmp_path / "lien-ket.xlsx"
    link.symlink_to(file)
    hard = tmp_path / "cung-tep.xlsx"
    os.link(file, hard)
    once = evaluate([file], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    for twice in ([file, file], [folder, file], [file, folder], [file, link], [hard, file]):
        result = evaluate(twice, rules=["binh-minh-2030"], period="2026-10", timestamp=False)
        assert not result.units, twice  # one commune, not two
        assert len(result.inputs) == 1
        assert [r.model_dump()["value"] for r in result.results] == [r.model_dump()["value"] for r in once.results]
        repeated = _repeats(result.warnings)
        # the file inside a folder named is the one left out; else the second name
        left_out = str(file) if folder in twice else str(twice[1])
        assert len(repeated) == 1 and repeated[0].params["path"] == left_out
        assert left_out in repeated[0].message


def test_load_inputs_reads_a_file_named_twice_once(tmp_path):
    from dxcheck.load import load_inputs

    folder = _one_commune(tmp_path)
    files = load_inputs([folder, folder / "ho_so.xlsx", folder], require_dataset=False)
    assert len(files) == 1
    assert len(_repeats(files[0].warnings)) == 2


# ---------------------------------------------------------------------------------------------
# d. hidden and very hidden sheets are read only when asked, and said either way


def _with_hidden_sheets(tmp_path) -> Path:
    path = tmp_path / "an.xlsx"
    shown = _dossiers(["Nguyễn Văn An", "Lê Thị Bình"], ["Đăng ký khai sinh", "Đăng ký kết hôn"])
    old = _dossiers(["Trần Văn Cũ"] * 3, ["Đăng ký khai sinh"] * 3)
    old["Mã hồ sơ"] = ["C001", "C002", "C003"]
    write_workbook(path, [ReportSheet("Hồ sơ", shown), ReportSheet("Nháp", old, signature=False),
                          ReportSheet("Cũ", old, signature=False)])
    wb = openpyxl.load_workbook(path)
    wb["Nháp"].sheet_state = "hidden"
    wb["Cũ"].sheet_state = "veryHidden"
    wb.save(path)
    return path


def test_hidden_sheets_are_left_out_and_named(tmp_path):
    from dxcheck.load import LoadOptions

    path = _with_hidden_sheets(tmp_path)
    loaded = load_file(path)
    sheets = {sheet.report.sheet: sheet for sheet in loaded.sheets}
    assert sheets["Hồ sơ"].data["ma_ho_so"].tolist() == ["H001", "H002"]
    for name in ("Nháp", "Cũ"):
        rep = sheets[name].report
        assert rep.dataset is None and sheets[name].data is None
        assert rep.rows_left_out == {"hidden_sheet": rep.rows_total} and rep.rows_total > 3
    notes = [n for n in loaded.notices if n.code == "load.hidden_sheet_skipped"]
    assert [(n.sheet, n.params["state"]) for n in notes] == [("Nháp", "hidden"), ("Cũ", "very hidden")]
    assert "--hidden-sheets" in notes[0].message and "Nháp" in notes[0].message

    asked = load_file(path, LoadOptions(hidden_sheets=True))
    ids = [i for sheet in asked.sheets if sheet.data is not None for i in sheet.data["ma_ho_so"]]
    assert ids == ["H001", "H002"] + ["C001", "C002", "C003"] * 2
    assert [n.sheet for n in asked.notices if n.code == "load.hidden_sheet_read"] == ["Nháp", "Cũ"]


def test_cli_hidden_sheets_option(tmp_path):
    import json
    import subprocess
    import sys

    path = _with_hidden_sheets(tmp_path)
    for extra, used in (([], 2), (["--hidden-sheets"], 8)):
        out = subprocess.run([sys.executable, "-m", "dxcheck", "inspect", str(path), "--format", "json", *extra],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        doc = json.loads(out.stdout)
        sheets = [s for f in doc["files"] for s in f["sheets"]]
        assert sum(s["rows_used"] for s in sheets) == used


# ---------------------------------------------------------------------------------------------
# b. a number cell formatted as a percentage is read as shown


def test_percent_formatted_cells_read_as_shown(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chỉ tiêu"
    ws.append(["Chỉ tiêu", "Giá trị", "Kỳ"])
    rows = [
        ("Tỷ lệ hồ sơ trực tuyến", 0.9729, "0.00%"),       # shown 97,29%
        ("Tỷ lệ số hóa", 0.5, "0%"),                        # built-in format 9: 50%
        ("Chỉ số hài lòng", 0.875, "0.0%;[Red]-0.0%"),      # a custom percent format
        ("Số hồ sơ", 1234, "#,##0"),                         # a count: as stored
        ("Tỷ lệ ghi sẵn", 97.3, '0.0"%"'),                  # a literal % sign: shown 97.3%, as stored
        ("Tỷ lệ gõ chữ", "97,29%", "0.00%"),                # text: read from its text
    ]
    for name, value, fmt in rows:
        ws.append([name, value, "2026-10"])
        ws.cell(row=ws.max_row, column=2).number_format = fmt
    path = tmp_path / "chi_tieu.xlsx"
    wb.save(path)
    sheet = load_file(path).sheets[0]
    assert sheet.report.dataset == "chi_tieu"
    assert sheet.data["gia_tri"].tolist() == [97.29, 50.0, 87.5, 1234.0, 97.3, 97.29]


def test_percent_cells_found_whatever_the_attribute_order():
    from dxcheck.load import percent

    xml = (b'<row r="2"><c t="s" r="B2" s="1"><v>0</v></c><c s="1" r="AB7"><v>1</v></c>'
           b'<c r="C2" t="n" s="1"/><x:c r="D9" s="10"/><x:c r="E9" s="1"/></row>')
    found: list = []
    percent.collect(xml, percent.markers({1}), found)
    assert sorted(found) == [(2, 3), (7, 28), (9, 5)]  # not the text cell B2, not style 10


# ---------------------------------------------------------------------------------------------
# c. a text `1.234` beside the number 1.234 in one column


def _indicator_sheet(tmp_path, values: list) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Chỉ tiêu", "Giá trị", "Kỳ"])
    for i, value in enumerate(values):
        ws.append([f"CT{i + 1}", value, "2026-10"])
    path = tmp_path / "chi_tieu.xlsx"
    wb.save(path)
    return path


def test_text_with_a_thousands_dot_beside_the_same_number_stored(tmp_path):
    # row 2 stores the number 1.234; row 3 holds the text "1.234" (Vietnamese: one thousand ...)
    loaded = load_file(_indicator_sheet(tmp_path, [1.234, "1.234", 5000, "2.500"]))
    assert loaded.sheets[0].data["gia_tri"].tolist() == [1.234, 1234.0, 5000.0, 2500.0]
    assert loaded.warnings == []


def test_text_read_by_the_column_other_text_cells(tmp_path):
    english = load_file(_indicator_sheet(tmp_path, ["97.29", "1.234", 1.234]))
    assert english.sheets[0].data["gia_tri"].tolist() == [97.29, 1.234, 1.234]
    assert english.warnings == []


def test_text_written_both_ways_is_a_warning_naming_the_rows(tmp_path):
    loaded = load_file(_indicator_sheet(tmp_path, ["97.29", "97,29", "1.234", 1.234, "2.500"]))
    assert loaded.sheets[0].data["gia_tri"].tolist() == [97.29, 97.29, 1234.0, 1.234, 2500.0]
    warned = [w for w in loaded.warnings if w.code == "load.ambiguous_thousands"]
    assert len(warned) == 1
    assert warned[0].field == "gia_tri" and warned[0].rows == [4, 6]  # the text cells, not the stored row 5
    assert "1.234" in warned[0].message and "2.500" in warned[0].message


def test_a_workbook_whose_data_is_hidden_says_so(tmp_path):
    from dxcheck.errors import InputError

    path = tmp_path / "an-het.xlsx"
    write_workbook(path, [ReportSheet("Hồ sơ", _dossiers(["Nguyễn Văn An"], ["Đăng ký khai sinh"]))])
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Bìa").append(["Báo cáo tháng 10"])
    wb["Hồ sơ"].sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    try:
        load_file(path)
    except InputError as error:
        assert "--hidden-sheets" in str(error) and "Hồ sơ" in str(error)
    else:
        raise AssertionError("a workbook with only a hidden data sheet must not pass silently")
