"""Cells a user's export holds that look like something else: numeric data rows that look like
the row numbering the columns, and dates with two-digit or bare years."""

from __future__ import annotations

import pandas as pd

from dxcheck.load import load_file
from dxcheck_synth.report import ReportSheet, write_workbook

RECEIVED, ONLINE, IN_PERSON, DONE = ("Số hồ sơ nhận giải quyết › Tổng số", "Số hồ sơ nhận giải quyết › Trực tuyến",
                                     "Số hồ sơ nhận giải quyết › Trực tiếp", "Số hồ sơ đã giải quyết › Tổng số")


def report(tmp_path, rows: list[list[float]], numbered_row: str | None = "plain"):
    """A statistics report whose numeric columns come first (the field column last, blank)."""
    frame = pd.DataFrame(rows, columns=[RECEIVED, ONLINE, IN_PERSON, DONE])
    frame["Lĩnh vực"] = None
    path = tmp_path / "bao-cao.xlsx"
    write_workbook(path, [ReportSheet("Báo cáo", frame, numbered_row=numbered_row, stt_column=False,
                                      total_row=False)])
    sheet = load_file(path).sheets[0]
    return sheet.report, sheet.data[["tiep_nhan", "truc_tuyen", "truc_tiep", "da_giai_quyet"]].values.tolist()


def test_numeric_rows_that_look_like_numbering_are_data(tmp_path):
    rows = [[3, 5, 5, 12], [3, 5, 7, 15], [10, 9, 1, 10], [1, 2, 3, 4], [2, 4, 6, 8]]
    for numbered in ("plain", "paren", None):
        found, values = report(tmp_path, rows, numbered)
        assert values == rows, numbered
        assert found.rows_used == len(rows)
        assert found.rows_left_out.get("column_numbers", 0) == (1 if numbered else 0), numbered


def test_the_numbering_row_itself_is_still_left_out(tmp_path):
    found, values = report(tmp_path, [[12, 10, 2, 11]], "plain")
    assert values == [[12, 10, 2, 11]] and found.rows_left_out["column_numbers"] == 1


def dossier_dates(tmp_path, received: list):
    frame = pd.DataFrame({"Mã hồ sơ": [f"H{k}" for k in range(len(received))], "Ngày › Tiếp nhận": received,
                          "Trạng thái": ["Đang xử lý"] * len(received), "Hình thức nộp": ["Trực tuyến"] * len(received)})
    path = tmp_path / "ho-so.xlsx"
    write_workbook(path, [ReportSheet("Hồ sơ", frame, total_row=False)])
    loaded = load_file(path)
    return loaded.sheets[0].data["ngay_tiep_nhan"].tolist(), loaded.warnings


def test_two_digit_years_are_read_in_this_century_and_said(tmp_path):
    values, warnings = dossier_dates(tmp_path, ["05/10/26", "31/12/26 23:59", "05/10/2026"])
    assert values == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-12-31 23:59"), pd.Timestamp("2026-10-05")]
    said = [w for w in warnings if w.code == "load.two_digit_year"]
    assert len(said) == 1 and said[0].field == "ngay_tiep_nhan"
    assert said[0].rows == [10, 11]  # the two cells written with two digits, not the third
    assert "05/10/26" in said[0].message and "2026" in said[0].message


def test_an_iso_date_of_year_0099_is_said_as_its_day_month_year_spelling_is(tmp_path):
    values, warnings = dossier_dates(tmp_path, ["0099-01-01", "05/10/2026", "01/01/0099"])
    assert values == [pd.Timestamp("2099-01-01"), pd.Timestamp("2026-10-05"), pd.Timestamp("2099-01-01")]
    said = [w for w in warnings if w.code == "load.two_digit_year"]
    assert len(said) == 1 and said[0].rows == [10, 12]
    assert "0099-01-01" in said[0].message and "01/01/2099" in said[0].message


def test_four_digit_years_say_nothing(tmp_path):
    values, warnings = dossier_dates(tmp_path, ["05/10/2026", "2026-10-06"])
    assert values == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-06")]
    assert not [w for w in warnings if w.code == "load.two_digit_year"]


def test_a_bare_year_is_no_date(tmp_path):
    """`2026` alone (text or a number) names no day: left blank and said, never read as an Excel
    serial day (1905-07-18)."""
    values, warnings = dossier_dates(tmp_path, ["2026", 2026, "05/10/2026"])
    assert pd.isna(values[0]) and pd.isna(values[1]) and values[2] == pd.Timestamp("2026-10-05")
    unreadable = [w for w in warnings if w.code == "load.unreadable_date"]
    assert len(unreadable) == 1 and unreadable[0].rows == [10, 11]


def test_numbering_under_a_units_line_is_still_left_out(tmp_path):
    """Some reports put a units line (`hồ sơ`) between the header and the numbering row."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Lĩnh vực", "Tiếp nhận", "Số mới tiếp nhận trực tuyến", "Số mới tiếp nhận trực tiếp"])
    sheet.append([None, "(hồ sơ)", "(hồ sơ)", "(hồ sơ)"])
    sheet.append(["(1)", "(2)", "(3)", "(4)"])
    sheet.append(["Tư pháp", 12, 10, 2])
    sheet.append(["Đất đai", 7, 3, 4])
    path = tmp_path / "bao-cao.xlsx"
    book.save(path)
    loaded = load_file(path).sheets[0]
    # (the units line itself is read as a row of unreadable numbers, and warned of)
    assert loaded.data[["tiep_nhan", "truc_tuyen", "truc_tiep"]].values.tolist()[-2:] == [[12, 10, 2], [7, 3, 4]]
    assert loaded.report.rows_left_out.get("column_numbers") == 1


def test_a_first_data_row_that_counts_up_by_more_than_one_is_data(tmp_path):
    """No numbering row: the first row under the header, `3 | 5 | 7 | 15`, counts up but not one
    per column as a numbering row does."""
    found, values = report(tmp_path, [[3, 5, 7, 15], [10, 9, 1, 10]], numbered_row=None)
    assert values == [[3, 5, 7, 15], [10, 9, 1, 10]]
    assert found.rows_left_out.get("column_numbers", 0) == 0
