"""Spreadsheet cells read as a user reads them: the date, number, yes/no answer or category a
cell holds, which cells are said to be unreadable (and at which rows), and what is left blank.
Each test names the user-visible promise it holds; the edges (first and last day, 23:59:59,
month 12, the largest serial day) are tested on both sides."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from dxcheck.datasets import FieldSpec, dataset
from dxcheck.load import load_file
from dxcheck.load.values import (
    date_spellings,
    dates_of,
    parse_bools,
    parse_categories,
    parse_dates,
    parse_numbers,
    parse_numbers_checked,
    parse_text,
    raw_value_counts,
    two_digit_years,
)
from dxcheck_synth.report import ReportSheet, write_workbook

TS = pd.Timestamp
NAT = pd.NaT
END = pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


def s(values, index=None):
    return pd.Series(values, dtype="str", index=index)


def dates(cells, **kw):
    values, bad = parse_dates(s(cells), **kw)
    return [None if pd.isna(v) else v for v in values], bad


def reported(bad) -> dict[str, list[int]]:
    """What a warning tells the user: each unreadable spelling and its rows (0-based)."""
    return {value: where.tolist() for value, where in zip(bad.values, bad.positions)}


# ----------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize("cell, read", [
    ("01/01/1900", TS("1900-01-01")), ("31/12/1899", None),
    ("31/12/2200", TS("2200-12-31")), ("01/01/2201", None),
    ("01/12/2026", TS("2026-12-01")), ("01/13/2026", None), ("01/00/2026", None),
    ("31/10/2026", TS("2026-10-31")), ("32/10/2026", None), ("00/10/2026", None),
    ("2026-10-31 23:59:59", TS("2026-10-31 23:59:59")), ("2026-10-31 24:00", None),
    ("2026-10-31 23:60", None), ("2026-10-31 23:59:60", None),
    ("31/10/2026 23:59:59", TS("2026-10-31 23:59:59")),
    ("01/01/0100", None), ("0100-01-01", None),  # a year written 0100 is no year 2100
    ("01/01/00", TS("2000-01-01")), ("31/12/99", TS("2099-12-31")),
    ("2026-10-06 13:45:10.1234567", TS("2026-10-06 13:45:10.123456")),  # to the microsecond
    ("2026-10-06 13:45:10,5", TS("2026-10-06 13:45:10.5")),
    ("23:59 31/10/2026", TS("2026-10-31 23:59")), ("24:00 31/10/2026", None),
])
def test_a_date_cell_is_read_within_the_calendar_or_reported(cell, read):
    values, bad = dates([cell])
    assert values == [read]
    assert reported(bad) == ({} if read is not None else {cell: [0]})


@pytest.mark.parametrize("cell, read", [
    ("10000", TS("1927-05-18")), ("9999", None), ("2026", None),  # a bare year is no serial day
    ("109939", TS("2200-12-31")), ("109940", None), ("150000", None), ("999999", None),
    ("46300.25", TS("2026-10-05 06:00")), ("+46300", None), ("46300e0", None), ("46300,5", None),
])
def test_serial_days_written_as_text_are_read_in_the_calendar_window(cell, read):
    values, bad = dates(["05/10/2026", cell])
    assert values == [TS("2026-10-05"), read]
    assert reported(bad) == ({} if read is not None else {cell: [1]})


def test_serial_days_stored_as_numbers_are_read_in_the_same_window():
    # a Parquet column of day numbers: 2026 is a bare year, 150000 beyond 2200 (and beyond what
    # pandas can hold: it used to stop the whole sheet)
    days = pd.Series([46300.0, 46300.5, 2026.0, 150000.0, 0.0, np.nan, 10000.0], index=range(5, 12))
    values, bad = parse_dates(days)
    assert list(values.index) == list(range(5, 12))
    assert values.tolist()[:2] == [TS("2026-10-05"), TS("2026-10-05 12:00")]
    assert values.iloc[2:6].isna().all() and values.iloc[6] == TS("1927-05-18")
    assert reported(bad) == {"2026": [2], "150000": [3], "0": [4]}
    deadline, _ = parse_dates(days, deadline=True)
    assert deadline.iloc[0] == TS("2026-10-05") + END and deadline.iloc[1] == TS("2026-10-05 12:00")


def test_real_date_cells_are_kept_and_nothing_is_reported():
    cells = pd.Series(pd.to_datetime(["2026-10-03 09:15", None]), index=[7, 8])
    values, bad = parse_dates(cells)
    assert values.tolist()[0] == TS("2026-10-03 09:15") and pd.isna(values.iloc[1])
    assert list(values.index) == [7, 8] and bad.values == [] and not bad


def test_a_sheet_with_a_huge_serial_day_still_loads_and_says_which_cell(tmp_path):
    frame = pd.DataFrame({"Mã hồ sơ": ["H1", "H2", "H3"], "Ngày › Tiếp nhận": ["05/10/2026", "150000", 150000],
                          "Trạng thái": ["Đang xử lý"] * 3, "Hình thức nộp": ["Trực tuyến"] * 3})
    path = tmp_path / "ho-so.xlsx"
    write_workbook(path, [ReportSheet("Hồ sơ", frame, total_row=False)])
    loaded = load_file(path)
    values = loaded.sheets[0].data["ngay_tiep_nhan"].tolist()
    assert values[0] == TS("2026-10-05") and pd.isna(values[1]) and pd.isna(values[2])
    unreadable = [w for w in loaded.warnings if w.code == "load.unreadable_date"]
    assert len(unreadable) == 1 and len(unreadable[0].rows) == 2


def test_a_blank_date_cell_stays_blank_whatever_the_other_cells_hold():
    values, bad = dates(["01/10/2026", None, "02/10/2026"])
    assert values == [TS("2026-10-01"), None, TS("2026-10-02")] and not bad


def test_dates_keep_the_rows_of_their_column():
    values, _ = parse_dates(s(["01/10/2026", "02/10/2026"], index=[40, 41]))
    assert values.to_dict() == {40: TS("2026-10-01"), 41: TS("2026-10-02")}


def test_the_factorised_reader_reads_time_of_day_unless_asked_for_deadlines():
    spellings = date_spellings(s(["03/10/2026", "03/10/2026 17:00"]))
    assert dates_of(spellings)[0].tolist() == [TS("2026-10-03"), TS("2026-10-03 17:00")]
    assert dates_of(spellings, deadline=True)[0].tolist() == [TS("2026-10-03") + END, TS("2026-10-03 17:00")]
    assert date_spellings(pd.Series([46300.0])) is None
    assert date_spellings(pd.Series(pd.to_datetime(["2026-10-03"]))) is None
    assert date_spellings(pd.Series([True, False])) is not None  # yes/no cells are no dates: read as text


def test_swapped_cells_are_read_month_first_and_judged_cell_by_cell():
    # one spelling, two readings: `13/10/2026` is 13 October day first, no date month first
    cells = ["05/10/2026", "13/10/2026", "05/10/2026", "13/10/2026", None]
    swap = np.array([True, True, False, False, True])
    values, bad = dates_of(date_spellings(s(cells)), swap=swap)
    assert values.tolist()[:4] == [TS("2026-05-10"), NAT, TS("2026-10-05"), TS("2026-10-13")]
    assert pd.isna(values.iloc[1]) and pd.isna(values.iloc[4])
    assert reported(bad) == {"13/10/2026": [1]}


def test_swapped_cells_report_only_their_own_unreadable_spelling():
    cells = ["13/10/2026", "05/10/2026", None, "06/10/2026", "13/10/2026"]
    swap = np.array([True, True, False, False, False])
    values, bad = dates_of(date_spellings(s(cells)), swap=swap)
    assert [None if pd.isna(v) else v for v in values] == [None, TS("2026-05-10"), None, TS("2026-10-06"),
                                                            TS("2026-10-13")]
    assert reported(bad) == {"13/10/2026": [0]}
    none_swapped, bad = dates_of(date_spellings(s(cells)), swap=np.zeros(5, dtype=bool))
    assert none_swapped.iloc[0] == TS("2026-10-13") and not bad


def test_two_digit_years_are_shown_with_the_first_cell_as_read():
    cells = ["05/10/2026", "05/10/26", "31/12/26 23:59", "05/10/26"]
    spellings = date_spellings(s(cells))
    values, _ = dates_of(spellings)
    found, example = two_digit_years(spellings, values)
    assert example == "05/10/26 → 05/10/2026"
    assert reported(found) == {"05/10/26": [1, 3], "31/12/26 23:59": [2]}


def test_a_two_digit_year_that_is_no_date_is_shown_unread():
    spellings = date_spellings(s(["31/02/26"]))
    values, bad = dates_of(spellings)
    assert two_digit_years(spellings, values)[1] == "31/02/26 → —" and reported(bad) == {"31/02/26": [0]}


def test_a_year_below_100_is_said_whatever_the_spelling():
    """`0099` is read as 2099 in every spelling, and said in every spelling: the ISO and the
    time-first forms as the day/month/year one (the ISO one used to be read silently)."""
    cells = ["01/01/0099", "0099-01-01", "0099-01-01 08:30", "08:30 01/01/0099", "2026-10-05"]
    spellings = date_spellings(s(cells))
    values, bad = dates_of(spellings)
    assert values.tolist()[:4] == [TS("2099-01-01"), TS("2099-01-01"), TS("2099-01-01 08:30"), TS("2099-01-01 08:30")]
    found, example = two_digit_years(spellings, values)
    assert reported(found) == {"01/01/0099": [0], "0099-01-01": [1], "0099-01-01 08:30": [2], "08:30 01/01/0099": [3]}
    assert example == "01/01/0099 → 01/01/2099" and not bad


def test_a_four_digit_year_0100_is_no_two_digit_year():
    spellings = date_spellings(s(["01/01/0100", "05/10/2026"]))
    assert two_digit_years(spellings, dates_of(spellings)[0]) is None


# ----------------------------------------------------------------------------------------------
# numbers


def numbers(cells, numeric=None):
    values, bad, doubtful = parse_numbers_checked(s(cells), None if numeric is None else np.array(numeric))
    return values.tolist(), reported(bad), reported(doubtful)


@pytest.mark.parametrize("text, number", [
    ("15 ngày", 15.0), ("05 ngày làm việc", 5.0), ("15 NGÀY", 15.0), ("1.5E3", 1500.0), ("2e-3", 0.002),
    ("1.000 đồng", 1000.0), ("1.000 VNĐ", 1000.0), ("-1.234.567", -1234567.0), ("(1.234,5)", -1234.5),
    ("1\u00a0234", 1234.0), ("12,5%", 12.5),
])
def test_more_number_spellings(text, number):
    values, bad, _ = numbers([text])
    assert values == [number] and bad == {}


@pytest.mark.parametrize("text", ["12-15", "1/2", "1e400", "5 ngày rưỡi", "(5", "abc"])
def test_text_that_is_no_single_number_is_reported(text):
    values, bad, _ = numbers(["7", text])
    assert values[0] == 7.0 and np.isnan(values[1]) and bad == {text: [1]}


def test_dashes_mean_nothing_to_report():
    values, bad, _ = numbers(["-", "—", "_", "/", ".", "--", "3"])
    assert np.isnan(values[:6]).all() and values[6] == 3.0 and bad == {}


def test_an_english_column_reads_its_thousands_commas_and_raises_no_doubt():
    assert numbers(["1.234", "0.5", "1,234.5"]) == ([1.234, 0.5, 1234.5], {}, {})
    assert numbers(["1.234", "1 097.29"]) == ([1.234, 1097.29], {}, {})


def test_a_vietnamese_column_raises_no_doubt_either():
    assert numbers(["1.234", "97,5"]) == ([1234.0, 97.5], {}, {})
    assert numbers(["12.345.678", "97.29"]) == ([12345678.0, 97.29], {}, {})


def test_a_column_written_both_ways_reads_dot_thousands_and_says_which_cells_are_in_doubt():
    assert numbers(["1.234", "97.29", "97,5", "1.234"]) == ([1234.0, 97.29, 97.5, 1234.0], {}, {"1.234": [0, 3]})
    # a cell stored as a number is 1.234 and in no doubt, whichever distinct value it is
    assert numbers(["97.29", "1.234", "97,5", "1.234"], [False, False, False, True]) == (
        [97.29, 1234.0, 97.5, 1.234], {}, {"1.234": [1]})
    assert numbers(["97.29", "97,5", "1.234", "1.234"], [False, False, False, True]) == (
        [97.29, 97.5, 1234.0, 1.234], {}, {"1.234": [2]})


def test_numbers_stored_as_numbers_are_no_evidence_for_the_text_cells():
    # `97.29` is stored as a number: the text column is Vietnamese only, `1.234` = 1234, no doubt
    assert numbers(["1.234", "97,5", None, "97.29"], [False, False, False, True])[2] == {}
    assert numbers(["1.234", "97,5", None, "97.29"], [False, False, False, True])[0][:2] == [1234.0, 97.5]


def test_numeric_and_boolean_columns():
    values, bad, doubtful = parse_numbers_checked(pd.Series([1, 2, None], dtype="Int64", index=[3, 4, 5]))
    assert values.tolist()[:2] == [1.0, 2.0] and np.isnan(values.iloc[2]) and not bad and doubtful.values == []
    assert values.dtype == "float64" and list(values.index) == [3, 4, 5]
    # a cell stored as the number 1.234 is 1.234, never a thousands-grouped 1234
    assert parse_numbers(pd.Series([1.234, 50.0]))[0].tolist() == [1.234, 50.0]
    flags, bad, doubtful = parse_numbers_checked(pd.Series([True, False]))
    assert flags.tolist() == [1.0, 0.0] and flags.dtype == "float64" and bad.values == [] and doubtful.values == []


def test_infinite_stored_numbers_are_reported_not_summed():
    values, bad = parse_numbers(pd.Series([1.5, np.inf, -np.inf, np.nan, np.inf], index=[9, 8, 7, 6, 5]))
    assert values.tolist()[0] == 1.5 and values.iloc[1:].isna().all() and list(values.index) == [9, 8, 7, 6, 5]
    assert reported(bad) == {"inf": [1, 4], "-inf": [2]}
    assert np.isfinite(values.sum())


def test_numbers_keep_the_rows_of_their_column():
    values, _ = parse_numbers(s(["1", "2,5"], index=[20, 21]))
    assert values.to_dict() == {20: 1.0, 21: 2.5}


# ----------------------------------------------------------------------------------------------
# yes / no


def bool_field(**kw) -> FieldSpec:
    return FieldSpec(type="bool", headers=["Câu hỏi"], **kw)


def test_a_field_whose_blank_means_yes_reads_blank_and_unreadable_cells_yes():
    values, bad, blank, _ = parse_bools(s(["Không", None, "có lẽ", "Có"]), bool_field(blank="yes"))
    assert values.tolist() == [False, True, True, True]
    assert reported(bad) == {"có lẽ": [2]} and blank.tolist() == [False, True, False, False]


@pytest.mark.parametrize("cell, answer", [
    ("Không đạt yêu cầu", False), ("Chưa số hóa", False), ("Không có chữ ký", False), ("Đã ký", True),
    ("Chưa cập nhật", None), ("Không rõ ràng", None), ("Chưa xác định được", None), ("Không biết", None),
    ("khong ap dung", None),
])
def test_no_words_and_no_answers(cell, answer):
    values, bad, _, _ = parse_bools(s([cell]), bool_field())
    assert values.tolist() == [bool(answer)]
    assert reported(bad) == ({cell: [0]} if answer is None else {})


def test_cells_holding_python_booleans():
    cells = pd.Series([True, None, False], dtype=object, index=[4, 5, 6])
    values, bad, blank, rejected = parse_bools(cells, bool_field(blank="yes"))
    assert values.tolist() == [True, True, False] and list(values.index) == [4, 5, 6] and values.dtype == bool
    assert blank.tolist() == [False, True, False] and not bad and not rejected
    values, _, blank, _ = parse_bools(pd.Series([True, False], index=[1, 2]), bool_field(blank="yes"))
    assert values.tolist() == [True, False] and values.dtype == bool and blank.tolist() == [False, False]
    mixed, bad, _, _ = parse_bools(pd.Series([True, "Không", "x"], dtype=object), bool_field())
    assert mixed.tolist() == [True, False, True] and not bad


def test_account_names_read_yes_and_the_words_of_the_field_win():
    spec = dataset("can_bo").fields["co_tai_khoan"]
    cells = ["nguyenvana", "NguyenVanA", "hs.nva@gmail.com", "Null", "Không", "x y", "ab", None]
    values, bad, blank, rejected = parse_bools(s(cells, index=range(10, 18)), spec)
    assert values.tolist() == [True, True, True, False, False, False, False, False]
    assert list(values.index) == list(range(10, 18))
    assert reported(bad) == {"x y": [5], "ab": [6]} and not rejected
    assert blank.tolist() == [False] * 7 + [True]


def test_a_personal_mailbox_reads_no_and_is_reported_apart_from_unreadable_cells():
    spec = dataset("can_bo").fields["co_email_cong_vu"]
    cells = ["nva@hanoi.gov.vn", "nva@gmail.com", "Có", "nva@GMAIL.COM", "??", "b@yahoo.com", "nva@gmail.com"]
    values, bad, _, rejected = parse_bools(s(cells), spec)
    assert values.tolist() == [True, False, True, False, False, False, False]
    assert reported(bad) == {"??": [4]}
    assert reported(rejected) == {"nva@gmail.com": [1, 6], "nva@GMAIL.COM": [3], "b@yahoo.com": [5]}


def test_unreadable_answers_are_shown_trimmed_and_merged_across_unicode_forms():
    nfd = unicodedata.normalize("NFD", "không rõ")
    values, bad, _, _ = parse_bools(s(["không rõ", nfd, "Có  lẽ\x07", "Có"]), bool_field())
    assert values.tolist() == [False, False, False, True]
    assert reported(bad) == {"không rõ": [0, 1], "Có lẽ": [2]}


def test_raw_counts_of_a_column_merge_unicode_forms_and_count_blanks():
    nfd = unicodedata.normalize("NFD", "Có")
    assert raw_value_counts(s(["Có", nfd, " Có", None, "Không", None, "có"])) == {
        "": 2, "Có": 3, "Không": 1, "có": 1}
    assert list(raw_value_counts(s(["b", "a", "b"]))) == ["a", "b"]


# ----------------------------------------------------------------------------------------------
# categories and text


def test_category_codes_and_their_spellings_with_spaces():
    spec = dataset("ho_so").fields["tien_do"]
    cells = ["dung_han", "dung han", "DUNG HAN", "qua_han", "Trễ hạn"]
    assert parse_categories(s(cells), spec, {}).codes.tolist() == ["dung_han"] * 3 + ["qua_han"] * 2


def test_progress_cells_relative_to_the_export_give_no_verdict_and_are_not_unknown():
    spec = dataset("ho_so").fields["tien_do"]
    cells = ["-", "Còn 2.5 ngày", "Quá 3 ngày", "Tạm dừng xử lý", "Tạm dừng", "Đúng hạn", "Lạ", None]
    result = parse_categories(s(cells, index=range(100, 108)), spec, {})
    assert result.codes.tolist() == [None] * 5 + ["dung_han", None, None]
    assert list(result.codes.index) == list(range(100, 108))
    assert reported(result.unknown) == {"Lạ": [6]}
    assert result.blank.tolist() == [True] * 5 + [False, False, True]


def test_a_dash_is_blank_wherever_it_stands():
    spec = dataset("ho_so").fields["trang_thai"]
    result = parse_categories(s(["Hủy", "—", "Hủy", "-"]), spec, {})
    assert result.codes.tolist() == ["da_huy", None, "da_huy", None]
    assert result.blank.tolist() == [False, True, False, True] and not result.unknown


def test_compound_cells_are_kept_for_their_fields_and_are_not_unknown():
    spec = dataset("ho_so").fields["trang_thai"]
    compounds = {"da tra dung han": {"trang_thai": "da_tra_ket_qua", "tien_do": "dung_han"}}
    result = parse_categories(s(["Đã trả đúng hạn", "Hủy", "Đã trả đúng hạn"]), spec, compounds)
    assert result.codes.tolist() == [None, "da_huy", None] and not result.unknown
    assert result.compound == {0: {"trang_thai": "da_tra_ket_qua", "tien_do": "dung_han"}}
    assert (result.cell_codes == 0).tolist() == [True, False, True]


def test_category_counts_merge_spellings_shown_alike_and_blank_cells():
    spec = dataset("ho_so").fields["trang_thai"]
    nfd = unicodedata.normalize("NFD", "Lạ")
    result = parse_categories(s(["Lạ", nfd, " Lạ ", None, "Hủy"]), spec, {})
    assert result.value_counts == {"Lạ": 3, "": 1, "Hủy": 1}
    assert reported(result.unknown) == {"Lạ": [0, 1, 2]}
    # a cell of white space only is counted with the blank ones (the readers blank it before)
    assert parse_categories(s(["  ", None, "Hủy"]), spec, {}).value_counts == {"": 2, "Hủy": 1}


def test_a_category_column_with_no_value_at_all_is_blank_throughout():
    """A status column left empty on every row: each cell is blank (the field's blank default
    may apply), none is unknown, and all are counted as blank."""
    spec = dataset("ho_so").fields["trang_thai"]
    result = parse_categories(s([None, None, None]), spec, {})
    assert result.codes.tolist() == [None] * 3
    assert result.blank.tolist() == [True] * 3 and not result.unknown
    assert result.value_counts == {"": 3}


def test_the_evaluated_category_column_holds_the_codes_read(tmp_path):
    """The column the evaluation counts on (a Categorical over the field's whole vocabulary) holds,
    row for row, the codes the sheet's records hold; a second sheet with other codes joins it."""
    from dxcheck.evaluation.data import collect

    statuses = {"Hồ sơ 1": ["Hủy", "Đang xử lý", None], "Hồ sơ 2": ["Đang xử lý", "Hủy"]}
    sheets = [ReportSheet(name, pd.DataFrame({"Mã hồ sơ": [f"{name}-{k}" for k in range(len(cells))],
                                              "Ngày › Tiếp nhận": ["05/10/2026"] * len(cells),
                                              "Trạng thái": cells, "Hình thức nộp": ["Trực tuyến"] * len(cells)}),
                          total_row=False) for name, cells in statuses.items()]
    path = tmp_path / "ho-so.xlsx"
    write_workbook(path, sheets)
    loaded = load_file(path)
    read = [code for sheet in loaded.sheets for code in sheet.data["trang_thai"].tolist()]
    assert read[0] == "da_huy" and read[2] is None and read[3] == read[1] != "da_huy"
    frame = collect([loaded])["ho_so"].frame
    column = frame["trang_thai"]
    assert column.dtype == "category" and list(column.cat.categories) == list(dataset("ho_so").fields["trang_thai"].values)
    assert [None if pd.isna(code) else code for code in column.tolist()] == read


def test_text_cells_are_shown_trimmed_with_one_space():
    assert parse_text(s(["  Nguyễn   Văn\x07A ", None, unicodedata.normalize("NFD", "Lê Thị B")])).tolist()[::2] == [
        "Nguyễn Văn A", "Lê Thị B"]


def test_an_answer_that_only_contains_an_account_or_an_address_is_no_answer():
    accounts = dataset("can_bo").fields["co_tai_khoan"]
    values, bad, _, _ = parse_bools(s(["Đang chờ cấp", "nguyenvana"]), accounts)
    assert values.tolist() == [False, True] and reported(bad) == {"Đang chờ cấp": [0]}
    mail = dataset("can_bo").fields["co_email_cong_vu"]
    values, bad, _, rejected = parse_bools(s(["Liên hệ: nva@gmail.com", "Hộp thư nva@hanoi.gov.vn"]), mail)
    assert values.tolist() == [False, False] and not rejected
    assert reported(bad) == {"Liên hệ: nva@gmail.com": [0], "Hộp thư nva@hanoi.gov.vn": [1]}


def test_control_characters_from_a_csv_count_as_white_space():
    accounts = dataset("can_bo").fields["co_tai_khoan"]
    values, bad, _, _ = parse_bools(s(["nguyenvana\x0b", "\x1fhs.nva"]), accounts)
    assert values.tolist() == [True, True] and not bad
    assert raw_value_counts(s(["Có\x07", "Có", "Không\x0b"])) == {"Có": 2, "Không": 1}
    spec = dataset("ho_so").fields["trang_thai"]
    assert parse_categories(s(["Lạ\x07", "Lạ"]), spec, {}).value_counts == {"Lạ": 2}


def test_a_category_code_is_accepted_written_with_spaces():
    spec = FieldSpec(type="category", headers=["Kết quả"], values={"dat_yeu_cau": ["Đạt"], "khong_dat": ["Không đạt"]})
    result = parse_categories(s(["dat yeu cau", "Đạt Yêu Cầu", "dat_yeu_cau", "khong dat", "Đạt"]), spec, {})
    assert result.codes.tolist() == ["dat_yeu_cau"] * 3 + ["khong_dat", "dat_yeu_cau"] and not result.unknown


def test_the_rows_of_an_unreadable_value_are_listed_in_order_in_a_long_column():
    cells = ["không rõ" if k % 3 == 0 else ("?" if k % 3 == 1 else "5") for k in range(30000)]
    _, bad = parse_numbers(s(cells))
    found = reported(bad)
    assert found["không rõ"] == list(range(0, 30000, 3)) and found["?"] == list(range(1, 30000, 3))


def test_a_warning_names_at_most_200_distinct_unreadable_spellings():
    cells = [f"không rõ {k}" for k in range(205)]
    _, bad = parse_numbers(s(cells))
    assert bad.values == cells[:200] and [p.tolist() for p in bad.positions] == [[k] for k in range(200)]
