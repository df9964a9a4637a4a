"""Which rows of a report-style export are records, and what the others are counted as (banners,
the header repeated after a page break, the row numbering the columns, group rows, totals,
signature blocks, notes), as a user reads them off the loader's report: the spreadsheet rows
whose records are used, `rows_left_out` by reason, and the group each record falls in.

Each sheet is written as a small CSV grid exactly as an office's export lays it out."""

from __future__ import annotations

import csv

import pytest

from dxcheck.load import load_file

HEADER = ["STT", "Mã hồ sơ", "Lĩnh vực", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"]
BANNER = [["UBND XÃ HOÀNG SƠN"], ["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"], []]


def record(k: int, field: str = "Tư pháp", stt: str | None = None) -> list[str]:
    return [str(k) if stt is None else stt, f"H{k:03d}", field, f"{k:02d}/10/2026", "Đang xử lý", "Trực tuyến"]


def load(tmp_path, grid: list[list], name: str = "ho-so.csv"):
    """The loaded sheet of a CSV export laid out as `grid` (rows of cells; `None` is an empty cell)."""
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=";").writerows([["" if c is None else c for c in row] for row in grid])
    return load_file(path).sheets[0]


def used_rows(sheet) -> list[int]:
    """The spreadsheet row numbers whose records were used."""
    return sheet.data["_row"].tolist()


def test_a_report_layout_accounts_for_every_row(tmp_path):
    grid = [*BANNER, HEADER, ["1", "2", "3", "4", "5", "6"], ["I. Lĩnh vực Tư pháp"], record(1), record(2),
            ["Tổng cộng", None, None, None, None, None], [],
            [None, None, None, "Ngày 31 tháng 10 năm 2026"], [None, "NGƯỜI LẬP BIỂU", None, "CHỦ TỊCH"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_row == 4
    assert used_rows(sheet) == [7, 8]
    assert sheet.report.rows_left_out == {"blank": 1, "column_numbers": 1, "group": 1, "signature": 2, "total": 1}
    assert sheet.report.rows_total == 8


NUMBERS = ["1", "2", "3", "4", "5", "6"]
BLANK6 = [None] * 6


@pytest.mark.parametrize("numbering", [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], ["A", "B", "C", "D", "E", "F"],
                                       ["1", "2", "3", "4", "5 = 6 + 7", "(6)"], ["a", "b", None, "d", None, "f"]])
def test_every_spelling_of_the_numbering_row_is_left_out(tmp_path, numbering):
    sheet = load(tmp_path, [HEADER, numbering, record(1), record(2)])
    assert used_rows(sheet) == [3, 4]
    assert sheet.report.rows_left_out == {"column_numbers": 1}


@pytest.mark.parametrize("row", [["2", "1", "3", "4", "5", "6"], ["1", "3", "5", "7", "9", "11"],
                                 ["1", "2", "3", "4", "5", "chín"], ["A", "C", "E", "G", "I", "K"],
                                 ["1", None, None, None, None, None], ["1", "2", None, None, None, None],
                                 ["1", "1", "2", "3", "4", "5"]])
def test_a_row_that_does_not_number_the_columns_is_no_numbering_row(tmp_path, row):
    """Out of order, skipping ahead, holding a word, or numbering too few of the columns: the row
    under the header is not the numbering row (a stray row of numbers holds no record: blank)."""
    sheet = load(tmp_path, [HEADER, row, record(1)])
    assert "column_numbers" not in sheet.report.rows_left_out
    assert 3 in used_rows(sheet)


@pytest.mark.parametrize("numbering", [["1", "2", None, "4", "5", "6"], ["1", "2", None, "3", "4", "5"]])
def test_numbering_may_skip_the_columns_of_a_merged_header(tmp_path, numbering):
    """A merged header cell is numbered once (`1 | 2 | _ | 3`) or the blank column counted (`1 | 2 | _ | 4`)."""
    sheet = load(tmp_path, [HEADER, numbering, record(1)])
    assert sheet.report.rows_left_out == {"column_numbers": 1}
    assert used_rows(sheet) == [3]


def test_numbering_never_runs_ahead_of_the_columns(tmp_path):
    sheet = load(tmp_path, [HEADER, ["1", "2", "4", "5", "6", "7"], record(1)])
    assert "column_numbers" not in sheet.report.rows_left_out


def test_a_row_of_counts_further_down_is_data_but_a_page_break_copy_of_the_numbering_is_not(tmp_path):
    grid = [HEADER, NUMBERS, record(1), record(2), HEADER, NUMBERS, record(3), NUMBERS, record(4)]
    sheet = load(tmp_path, grid)
    # the header repeated at the page break and the numbering under it are left out; the copy of
    # the numbering further down is a copy of the first one: left out too
    assert sheet.report.rows_left_out == {"repeated_header": 1, "column_numbers": 3}
    assert used_rows(sheet) == [3, 4, 7, 9]


def test_a_row_of_counts_below_the_records_is_no_numbering_row(tmp_path):
    grid = [HEADER, record(1), ["1", "2", "3", "4", "5", "6"], record(2)]
    sheet = load(tmp_path, grid)
    assert "column_numbers" not in sheet.report.rows_left_out
    assert used_rows(sheet) == [2, 3, 4]


def test_a_repeated_header_is_recognised_with_a_few_cells_changed(tmp_path):
    """A page break repeats the header; a copy with most of its cells is still the header."""
    copy = ["STT", "Mã hồ sơ", "Lĩnh vực", "Ngày tiếp nhận", None, None]
    sheet = load(tmp_path, [HEADER, record(1), copy, record(2), HEADER, record(3)])
    assert sheet.report.rows_left_out == {"repeated_header": 2}
    assert used_rows(sheet) == [2, 4, 6]


def test_a_record_sharing_two_header_words_is_no_repeated_header(tmp_path):
    row = ["STT", "Mã hồ sơ", "Tư pháp", "05/10/2026", "Đang xử lý", "Trực tuyến"]
    sheet = load(tmp_path, [HEADER, record(1), row])
    assert "repeated_header" not in sheet.report.rows_left_out
    assert used_rows(sheet) == [2, 3]


@pytest.mark.parametrize("label", ["Tổng cộng", "Tổng số", "Cộng", "Tổng", "Tổng cộng:", "Cộng: 2 hồ sơ",
                                   "TỔNG CỘNG", "Tổng số (2)", "Tổng 2"])
def test_a_total_label_alone_is_a_total_row(tmp_path, label):
    sheet = load(tmp_path, [HEADER, record(1), record(2), [label, None, None, None, None, None]])
    assert sheet.report.rows_left_out == {"total": 1}
    assert used_rows(sheet) == [2, 3]


@pytest.mark.parametrize("cells", [[None, "x", "-", "2", "…"], [None, "30.000", "97,5%", "2 hồ sơ", "2"],
                                   [None, None, "(2)", "+2", "1,5"]])
def test_a_total_with_sums_beside_it_is_a_total_row(tmp_path, cells):
    sheet = load(tmp_path, [HEADER, record(1), record(2), ["Tổng cộng", *cells]])
    assert sheet.report.rows_left_out == {"total": 1}
    assert used_rows(sheet) == [2, 3]


@pytest.mark.parametrize("label", ["Toàn xã", "Cả huyện", "Toàn tỉnh Hà Tĩnh", "Tổng cộng toàn xã", "Cộng các lĩnh vực",
                                   "Tổng: 2"])
def test_the_whole_areas_row_is_a_total(tmp_path, label):
    sheet = load(tmp_path, [HEADER, record(1), record(2), [label, None, None, "2", None, None]])
    assert sheet.report.rows_left_out == {"total": 1}


@pytest.mark.parametrize("label", ["Tống Toàn Thắng", "Công chứng hợp đồng", "Tổng hợp số liệu", "Cộng đồng dân cư"])
def test_a_record_whose_first_cell_starts_like_a_total_is_data(tmp_path, label):
    row = [label, "H009", "Tư pháp", "09/10/2026", "Đang xử lý", "Trực tuyến"]
    sheet = load(tmp_path, [HEADER, record(1), row, record(2)])
    assert used_rows(sheet) == [2, 3, 4]


def test_a_total_label_beside_a_record_id_or_a_name_is_data(tmp_path):
    with_id = ["Tổng cộng", "H009", None, None, None, None]
    with_text = ["Tổng cộng", None, "Tư pháp", "09/10/2026", None, None]
    sheet = load(tmp_path, [HEADER, record(1), with_id, with_text, record(2)])
    assert "total" not in sheet.report.rows_left_out
    assert used_rows(sheet) == [2, 3, 4, 5]


def test_a_total_label_in_the_second_column_is_a_total_too(tmp_path):
    sheet = load(tmp_path, [HEADER, record(1), [None, "Tổng cộng", None, None, None, None],
                            [None, None, "Cộng", None, None, None], [None, None, None, "Tổng cộng", None, None]])
    # the first three label cells are looked at; a fourth column's `Tổng cộng` is only a stray note
    assert sheet.report.rows_left_out.get("total") == 2


def test_a_long_sheet_finds_the_totals_a_short_one_finds(tmp_path, monkeypatch):
    """From THREADED_ROWS rows on, the total labels are looked for column by column (on threads)
    instead of in the label columns put end to end: the same rows are totals either way."""
    import dxcheck.load.rows as rows

    grid = [HEADER, record(1), ["Tống Toàn Thắng", "H009", "Tư pháp", "09/10/2026", "Đang xử lý", "Trực tuyến"],
            [None, "Tổng cộng", None, "2", None, None], record(2), ["Cộng: 3 hồ sơ", None, None, None, None, None]]
    short = load(tmp_path, grid)
    monkeypatch.setattr(rows, "THREADED_ROWS", 1)
    long = load(tmp_path, grid, name="ho-so-dai.csv")
    assert short.report.rows_left_out == long.report.rows_left_out == {"total": 2}
    assert used_rows(short) == used_rows(long) == [2, 3, 5]


def test_a_line_under_the_signature_heading_is_counted_with_the_block_even_if_it_reads_like_a_total(tmp_path):
    sheet = load(tmp_path, [HEADER, record(1), record(2), ["Người lập biểu", None, None, None, "Thủ trưởng đơn vị", None],
                            ["Tổng cộng", None, None, None, None, None]])
    assert sheet.report.rows_left_out == {"signature": 2}
    assert used_rows(sheet) == [2, 3]


def load_parquet(tmp_path, rows: list[list]):
    """The loaded sheet of a Parquet export of `rows` under HEADER plus a number column `Lệ phí`:
    dates typed as dates, fees as numbers, the rest text (`None` is an empty cell)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[*HEADER, "Lệ phí"])
    frame["Ngày tiếp nhận"] = pd.to_datetime(frame["Ngày tiếp nhận"], format="%d/%m/%Y")
    frame["Lệ phí"] = frame["Lệ phí"].astype("float64")
    path = tmp_path / "ho-so.parquet"
    frame.to_parquet(path)
    return load_file(path).sheets[0]


def fee_record(k: int, stt: str | None = None) -> list:
    return [*record(k, stt=stt), 10_000.0]


@pytest.mark.parametrize("total", [["Tổng cộng", None, None, None, None, None, 20_000.0],
                                   ["Cộng", None, None, None, "x", None, None],
                                   [None, "Tổng cộng", None, None, None, None, None]])
def test_a_parquet_total_row_is_left_out_as_a_total(tmp_path, total):
    """A Parquet export has no header to find, but its last row may still be the total."""
    sheet = load_parquet(tmp_path, [fee_record(1), fee_record(2), total])
    assert sheet.report.rows_left_out == {"total": 1}
    assert used_rows(sheet) == [1, 2]
    assert sheet.data["le_phi"].sum() == 20_000.0


@pytest.mark.parametrize("first", ["Tống Toàn Thắng", "Công chứng hợp đồng"])
def test_a_parquet_record_shaped_like_a_record_is_data_whatever_its_first_cell(tmp_path, first):
    """Only the shape makes a total: a record id or a date beside the label keeps the row."""
    with_id = ["Tổng cộng", "H009", None, None, None, None, None]
    with_date = ["Tổng cộng", None, None, "09/10/2026", None, None, None]
    sheet = load_parquet(tmp_path, [fee_record(1), fee_record(2, stt=first), with_id, with_date])
    assert "total" not in sheet.report.rows_left_out
    assert used_rows(sheet) == [1, 2, 3, 4]


def test_a_parquet_total_label_is_looked_for_in_the_first_three_columns_only(tmp_path):
    """As under a found header: a fourth text column's `Tổng cộng` makes no total row."""
    import pandas as pd

    columns = ["STT", "Mã hồ sơ", "Lĩnh vực", "Trạng thái", "Hình thức nộp", "Ngày tiếp nhận"]
    rows = [[str(k), f"H{k:03d}", "Tư pháp", "Đang xử lý", "Trực tuyến", pd.Timestamp(2026, 10, k)] for k in (1, 2)]
    frame = pd.DataFrame([*rows, [None, None, None, "Tổng cộng", None, None], [None, None, "Tổng cộng", None, None, None]],
                         columns=columns)
    path = tmp_path / "ho-so.parquet"
    frame.to_parquet(path)
    sheet = load_file(path).sheets[0]
    assert sheet.report.rows_left_out == {"total": 1}
    assert used_rows(sheet) == [1, 2, 3]


NO_FIELD_HEADER = ["STT", "Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"]


def dossier(k: int) -> list[str]:
    return [str(k), f"H{k:03d}", f"{k:02d}/10/2026", "Đang xử lý", "Trực tuyến"]


def test_group_rows_give_each_record_its_field(tmp_path):
    """A list without a `Lĩnh vực` column, grouped by rows `I. Lĩnh vực Tư pháp` …: each record
    takes the field of the group row above it, without its numbering and the word `Lĩnh vực`."""
    grid = [NO_FIELD_HEADER, dossier(1), ["I. Lĩnh vực Tư pháp"], dossier(2), dossier(3),
            ["II", "Lĩnh vực đất đai"], dossier(4), ["Lĩnh vực: Hộ tịch"], dossier(5),
            ["B)", "Chứng thực"], dossier(6), [None, "Lĩnh vực Xây dựng"], dossier(7)]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {"group": 5}
    assert used_rows(sheet) == [2, 4, 5, 7, 9, 11, 13]
    assert sheet.data["linh_vuc"].tolist() == [None, "Tư pháp", "Tư pháp", "đất đai", "Hộ tịch", "Chứng thực", "Xây dựng"]
    assert sheet.data["_group"].tolist() == [None, "I. Lĩnh vực Tư pháp", "I. Lĩnh vực Tư pháp", "II Lĩnh vực đất đai",
                                             "Lĩnh vực: Hộ tịch", "B) Chứng thực", "Lĩnh vực Xây dựng"]
    assert sheet.report.fields["linh_vuc"] == "<group rows>"


@pytest.mark.parametrize("label, field", [("1. Lĩnh vực Tư pháp", "Tư pháp"), ("A - Hộ tịch", "Hộ tịch"),
                                          ("1.2) Đất đai", "Đất đai"), ("Lĩnh vực - Hộ tịch", "Hộ tịch"),
                                          ("IV: Lĩnh vực: Chứng thực.", "Chứng thực"), ("LĨNH VỰC TƯ PHÁP", "TƯ PHÁP"),
                                          ("Xã, phường, thị trấn", "Xã, phường, thị trấn")])
def test_the_field_a_group_row_names(tmp_path, label, field):
    sheet = load(tmp_path, [NO_FIELD_HEADER, [label], dossier(1)])
    assert sheet.report.rows_left_out == {"group": 1}
    assert sheet.data["linh_vuc"].tolist() == [field]


@pytest.mark.parametrize("cells, field", [(["Lĩnh vực:", "Tư pháp"], "Tư pháp"), (["Lĩnh vực", "Đất đai"], "Đất đai")])
def test_a_group_label_split_over_the_first_two_cells_names_its_field(tmp_path, cells, field):
    sheet = load(tmp_path, [NO_FIELD_HEADER, [*cells, None, None, None], dossier(1), dossier(2)])
    assert sheet.report.rows_left_out == {"group": 1}
    assert sheet.data["linh_vuc"].tolist() == [field, field]


def test_a_two_column_list_has_group_rows_over_its_two_cells(tmp_path):
    """A staff list of two columns: `I. | Khối văn phòng` is a group row over both cells, no one."""
    sheet = load(tmp_path, [["Họ và tên", "Chức vụ"], ["I.", "Khối văn phòng"], ["Nguyễn Văn A", "Chủ tịch"]],
                 name="can-bo.csv")
    assert sheet.report.dataset == "can_bo"
    assert sheet.report.rows_left_out == {"group": 1}
    assert used_rows(sheet) == [3] and sheet.data["ho_ten"].tolist() == ["Nguyễn Văn A"]


def test_a_last_group_with_no_record_numbered_in_its_own_cell_stays_a_group(tmp_path):
    """`II | Đất đai` after the last record: an empty group (its number alone in the STT cell), not a note."""
    sheet = load(tmp_path, [NO_FIELD_HEADER, ["I", "Tư pháp", None, None, None], dossier(1),
                            ["II", "Đất đai", None, None, None]])
    assert sheet.report.rows_left_out == {"group": 2}
    assert used_rows(sheet) == [3] and sheet.data["linh_vuc"].tolist() == ["Tư pháp"]


def test_the_stt_cell_alone_is_a_blank_record_and_a_number_is_no_group(tmp_path):
    """`7` alone in the STT column is an empty numbered line; `12,5` alone is a stray number."""
    sheet = load(tmp_path, [NO_FIELD_HEADER, dossier(1), ["7"], ["12,5"], ["Đất đai"], dossier(2)])
    assert sheet.report.rows_left_out == {"blank": 2, "group": 1}
    assert sheet.data["linh_vuc"].tolist() == [None, "Đất đai"]


def test_without_an_stt_column_a_label_alone_in_the_first_cell_is_a_group(tmp_path):
    header = ["Diễn giải", "Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"]
    grid = [header, ["Tư pháp"], ["1", "H001", "01/10/2026", "Đang xử lý"], ["I", "Đất đai"],
            ["2", "H002", "02/10/2026", "Đang xử lý"], ["5"], ["Y", "Y tế"], ["3", "H003", "03/10/2026", "Đang xử lý"]]
    sheet = load(tmp_path, grid)
    # `5` alone, outside every recognised column, is a stray number: a blank line
    assert sheet.report.rows_left_out == {"group": 3, "blank": 1}
    assert used_rows(sheet) == [3, 5, 8]
    assert sheet.data["linh_vuc"].tolist() == ["Tư pháp", "Đất đai", "Y tế"]


def test_a_cell_alone_in_the_record_id_column_is_a_record(tmp_path):
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"]
    grid = [header, ["H001", "01/10/2026", "Đang xử lý", "Trực tuyến"], ["H002"], ["I", "Đất đai"],
            ["H003", "02/10/2026", "Đang xử lý", "Trực tuyến"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {}
    assert sheet.data["ma_ho_so"].tolist() == ["H001", "H002", "I", "H003"]


def test_a_label_in_a_column_that_is_no_record_id_is_a_group(tmp_path):
    header = ["Trạng thái", "Mã hồ sơ", "Ngày tiếp nhận", "Hình thức nộp"]
    grid = [header, ["Lĩnh vực Tư pháp"], ["Đang xử lý", "H001", "01/10/2026", "Trực tuyến"], ["Hộ tịch"],
            ["Đang xử lý", "H002", "02/10/2026", "Trực tuyến"], ["15"]]
    sheet = load(tmp_path, grid)
    assert sheet.data["linh_vuc"].tolist() == ["Tư pháp", "Hộ tịch", "Hộ tịch"]
    assert used_rows(sheet) == [3, 5, 6]


def test_a_bare_letter_before_a_label_is_data_where_the_first_column_is_a_field(tmp_path):
    """`I | Đất đai` is a group row where the first column holds no field; `A | Đất đai` under a
    `Mã hồ sơ` column is a record whose code is `A`."""
    header = ["Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận", "Hình thức nộp"]
    grid = [header, ["H001", "Đang xử lý", "01/10/2026", "Trực tuyến"], ["A", "Đang xử lý"], ["X", "Đang xử lý"], ["B.", "Đất đai"],
            ["H002", "Đang xử lý", "02/10/2026", "Trực tuyến"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {"group": 1}
    assert used_rows(sheet) == [2, 3, 4, 6]


def test_the_stt_column_holds_group_numbers_and_a_record_may_hold_one_cell(tmp_path):
    grid = [NO_FIELD_HEADER, [None, "Tư pháp"], dossier(1), ["A", "Hộ tịch"], dossier(2), ["3", "H003"], ["I.", None]]
    sheet = load(tmp_path, grid)
    # `3 | H003` is a record (numbered, its id filled); `I.` alone after the last record is a heading
    # left without records
    assert used_rows(sheet) == [3, 5, 6]
    assert sheet.data["linh_vuc"].tolist() == ["Tư pháp", "Hộ tịch", "Hộ tịch"]


def test_text_after_the_last_record_that_is_no_numbered_group_is_a_note(tmp_path):
    grid = [NO_FIELD_HEADER, dossier(1), dossier(2), ["Số liệu tính đến hết ngày 31/10"], ["II. Lĩnh vực Đất đai"],
            ["Lĩnh vực Hộ tịch"], ["3. Lĩnh vực Xây dựng"]]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [2, 3]
    assert sheet.report.rows_left_out == {"footer": 1, "group": 3}


@pytest.mark.parametrize("trailer", [
    [[], [None, None, "Hoàng Sơn, ngày 31 tháng 10 năm 2026"], [None, "NGƯỜI LẬP BIỂU", None, "KT. CHỦ TỊCH"],
     [None, "(Ký, ghi rõ họ tên)", None, "PHÓ CHỦ TỊCH"], [], [None, "Nguyễn Văn An", None, "Trần Thị Bình"]],
    [["Nơi nhận:"], ["- UBND huyện;"], ["- Lưu: VT."]],
    [[None, "Người lập"], [None, "Chủ tịch"]],
    [[None, "TM. UBND XÃ"], [None, "Lê Văn C"]],
])
def test_the_signature_block_is_left_out(tmp_path, trailer):
    sheet = load(tmp_path, [NO_FIELD_HEADER, dossier(1), dossier(2), *trailer])
    assert used_rows(sheet) == [2, 3]
    assert set(sheet.report.rows_left_out) <= {"signature", "blank"}
    assert sheet.report.rows_left_out["signature"] == sum(1 for row in trailer if row)


@pytest.mark.parametrize("note", ["Ghi chú: số liệu tạm tính", "Lưu ý: hồ sơ quá hạn tô màu đỏ", "(*) Hồ sơ liên thông",
                                  "* Số liệu từ hệ thống", "Nguồn: Cổng dịch vụ công"])
def test_notes_after_the_records_are_left_out_as_footer(tmp_path, note):
    sheet = load(tmp_path, [NO_FIELD_HEADER, dossier(1), dossier(2), [], [note], ["Dòng giải thích thêm"]])
    assert used_rows(sheet) == [2, 3]
    assert sheet.report.rows_left_out == {"blank": 1, "footer": 2}


def test_a_note_then_a_signature_block(tmp_path):
    grid = [NO_FIELD_HEADER, dossier(1), ["Ghi chú: tạm tính"], [None, "NGƯỜI LẬP BIỂU"], [None, "Nguyễn Văn An"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {"footer": 1, "signature": 2}


def test_records_whose_words_look_like_a_signature_stay_data(tmp_path):
    """Staff listed as `Chủ tịch`, `Phó chủ tịch`: the last rows are records, not a signature block."""
    header = ["STT", "Họ và tên", "Chức vụ", "Ngày sinh"]
    grid = [header, ["1", "Nguyễn Văn An", "Chủ tịch", "01/01/1980"], ["2", "Trần Thị Bình", "Phó chủ tịch", "02/02/1982"]]
    sheet = load(tmp_path, grid, "can-bo.csv")
    assert sheet.report.dataset == "can_bo"
    assert used_rows(sheet) == [2, 3]
    assert sheet.report.rows_left_out == {}


def test_a_signature_line_among_the_records_leaves_the_records_after_it(tmp_path):
    grid = [NO_FIELD_HEADER, dossier(1), [None, "NGƯỜI LẬP BIỂU"], dossier(2)]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [2, 4]
    assert "signature" not in sheet.report.rows_left_out


def test_lines_outside_every_recognised_column(tmp_path):
    """Cells only in a column no field is read from: numbers are a stray blank line, text a note."""
    header = [*NO_FIELD_HEADER, "Ghi chú"]
    grid = [header, [*dossier(1), "nộp bổ sung"], [None, None, None, None, None, "12"],
            [None, None, None, None, None, "xem trang sau"], [*dossier(2), None]]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [2, 5]
    assert sheet.report.rows_left_out == {"blank": 1, "footer": 1}


@pytest.mark.parametrize("heading", ["TM. ỦY BAN NHÂN DÂN", "NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)",
                                     "Hoàng Sơn, ngày 31 tháng 10 năm 2026", "Nơi nhận:", "Kt. Chủ tịch", "Kt Chủ tịch",
                                     "Tm. Ủy ban nhân dân", "Tm ubnd xã", "Xác nhận của lãnh đạo"])
def test_a_signature_heading_beside_other_text_starts_the_signature_block(tmp_path, heading):
    """The first line of a signature block may hold other text beside its heading (the list of
    recipients beside `TM. ỦY BAN NHÂN DÂN`): it is no record."""
    grid = [NO_FIELD_HEADER, dossier(1), dossier(2), ["- Như trên;", None, None, heading], [None, None, None, "Nguyễn Văn An"]]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [2, 3]
    assert sheet.report.rows_left_out == {"signature": 2}


def test_staff_whose_posts_are_signature_words_stay_records(tmp_path):
    """A staff list of names and posts (no number or date on the line): `Chủ tịch`, `Phó chủ
    tịch`, `Người lập biểu` beside a name are records; the signature block under them is not."""
    grid = [["Họ và tên", "Chức vụ"], ["Nguyễn Văn An", "Chủ tịch"], ["Trần Thị Bình", "Phó chủ tịch"],
            ["Lê Văn Cường", "Người lập biểu"], ["Phạm Thị Dung", "Thư ký"], [], [None, "CHỦ TỊCH"], [None, "Nguyễn Văn An"]]
    sheet = load(tmp_path, grid, "can-bo.csv")
    assert sheet.report.dataset == "can_bo"
    assert used_rows(sheet) == [2, 3, 4, 5]
    assert sheet.report.rows_left_out == {"blank": 1, "signature": 2}


def test_a_header_alone_is_an_export_with_no_records(tmp_path):
    sheet = load(tmp_path, [*BANNER, HEADER])
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.rows_used == 0 and sheet.report.rows_total == 0
    assert sheet.report.rows_left_out == {}


def test_a_note_alone_under_the_header_is_a_footer_and_no_group(tmp_path):
    """A month with no dossier: the line saying so is a note, not a group the records would fall in."""
    sheet = load(tmp_path, [NO_FIELD_HEADER, ["Không phát sinh hồ sơ"]])
    assert sheet.report.rows_left_out == {"footer": 1}
    assert sheet.report.rows_used == 0


@pytest.mark.parametrize("after, left_out", [([], {}), ([["Người lập biểu"]], {"signature": 1}),
                                             ([["Tổng cộng", None, None, None, "0", None]], {"total": 1})])
def test_the_numbering_row_of_an_export_with_no_records_is_still_the_numbering(tmp_path, after, left_out):
    sheet = load(tmp_path, [HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], *after])
    assert sheet.report.rows_left_out == {"column_numbers": 1, **left_out}
    assert sheet.report.rows_used == 0


@pytest.mark.parametrize("last", [["Tổng cộng", None, None, None, "0", None], ["Cộng: 0 hồ sơ"]])
def test_an_export_of_an_empty_month_holds_only_its_total(tmp_path, last):
    sheet = load(tmp_path, [HEADER, last])
    assert sheet.report.rows_used == 0
    assert sheet.report.rows_left_out == {"total": 1}


def test_an_export_starting_in_the_second_column(tmp_path):
    """Many exports leave column A empty: the numbering row, group rows and totals are looked
    for from the first column of the header."""
    grid = [[None, *row] for row in [HEADER, NUMBERS, ["I. Lĩnh vực Tư pháp"], record(1), [None, "Lĩnh vực đất đai"],
                                     record(2), ["Tổng cộng", None, None, None, None, None]]]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [4, 6]
    assert sheet.report.rows_left_out == {"column_numbers": 1, "group": 2, "total": 1}
    assert sheet.data["_group"].tolist() == ["I. Lĩnh vực Tư pháp", "Lĩnh vực đất đai"]


def test_a_repeated_two_row_header_with_merged_cells(tmp_path):
    head = [["STT", "Mã hồ sơ", "Ngày", None, "Trạng thái", "Hình thức nộp"],
            [None, None, "Tiếp nhận", "Hẹn trả", None, None]]
    rec = lambda k: [str(k), f"H{k:03d}", "01/10/2026", "05/10/2026", "Đang xử lý", "Trực tuyến"]  # noqa: E731
    sheet = load(tmp_path, [*head, rec(1), *head, rec(2), head[1], rec(3)])
    assert used_rows(sheet) == [3, 6, 8]
    assert sheet.report.rows_left_out == {"repeated_header": 3}


@pytest.mark.parametrize("cells", [["Lĩnh vực Hộ tịch"], [None, "Lĩnh vực Hộ tịch"], ["LĨNH VỰC: ĐẤT ĐAI"]])
def test_a_linh_vuc_row_is_a_group_even_in_the_record_id_column(tmp_path, cells):
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"]
    grid = [header, cells, ["H001", "01/10/2026", "Đang xử lý", "Trực tuyến"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {"group": 1}
    assert used_rows(sheet) == [3]


def test_a_label_alone_in_a_text_field_column_is_a_group(tmp_path):
    """The first column holds the procedure's name: a name alone on its line heads a group."""
    header = ["Tên thủ tục", "Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"]
    grid = [header, ["Hộ tịch"], ["Đăng ký khai sinh", "H001", "01/10/2026", "Đang xử lý"], ["Chứng thực", None],
            ["Chứng thực bản sao", "H002", "02/10/2026", "Đang xử lý"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {"group": 2}
    assert sheet.data["linh_vuc"].tolist() == ["Hộ tịch", "Chứng thực"]


def test_a_field_with_no_counts_on_a_statistics_report_is_a_row_of_zeros_not_a_group(tmp_path):
    """The statistics form lists every field; one with nothing received has its counts left
    blank. It is a row of the report (a field with no dossiers), not a heading."""
    grid = [["Lĩnh vực", "Tiếp nhận", "Số mới tiếp nhận trực tuyến", "Số mới tiếp nhận trực tiếp"],
            ["Tư pháp", "10", "6", "4"], ["Đất đai"], ["Hộ tịch", "5", "1", "4"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.dataset == "thong_ke"
    assert sheet.data["linh_vuc"].tolist() == ["Tư pháp", "Đất đai", "Hộ tịch"]
    assert sheet.report.rows_left_out == {}


def test_left_out_reasons_are_listed_by_name(tmp_path):
    grid = [HEADER, NUMBERS, ["I. Lĩnh vực Tư pháp"], record(1), [], record(2), HEADER,
            ["Tổng cộng", None, None, None, None, None], ["Ghi chú: tạm tính"], [None, "NGƯỜI LẬP BIỂU"]]
    sheet = load(tmp_path, grid)
    assert list(sheet.report.rows_left_out) == ["blank", "column_numbers", "footer", "group", "repeated_header",
                                                "signature", "total"]
    assert all(count == 1 for count in sheet.report.rows_left_out.values())


@pytest.mark.parametrize("numbering", [[None, "(1)", "(2)", "(3)", "(4)", "(5)"], ["A", None, "1", "2", "3", "4"],
                                       [None, "1", "2", "3", "4", "5"]])
def test_a_numbering_row_with_a_blank_first_cell_adds_nothing_to_the_counts(tmp_path, numbering):
    """Official forms leave the numbering cell under the label column blank (`_ | (1) | (2) …`):
    it is the numbering row, never a field whose counts are 1, 2, 3 … (or -1, -2 … read from
    `(1)`, `(2)`) added to the report's totals."""
    grid = [["Lĩnh vực", "Tiếp nhận", "Số mới tiếp nhận trực tuyến", "Số mới tiếp nhận trực tiếp", "Ghi chú", "Khác"],
            numbering, ["Tư pháp", "10", "6", "4", None, None], ["Đất đai", "5", "1", "4", None, None]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.rows_left_out == {"column_numbers": 1}
    assert sheet.data["tiep_nhan"].tolist() == [10, 5]
    assert sheet.data["truc_tuyen"].sum() == 7


def test_the_numbering_first_met_after_a_page_break(tmp_path):
    """A sheet whose numbering row appears only under the header repeated after a page break."""
    grid = [HEADER, record(1), record(2), HEADER, NUMBERS, record(3)]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [2, 3, 6]
    assert sheet.report.rows_left_out == {"repeated_header": 1, "column_numbers": 1}


def test_a_copy_of_a_numbering_row_with_blank_cells_further_down(tmp_path):
    numbering = ["1", "2", None, "4", "5", "6"]
    grid = [HEADER, numbering, record(1), ["1", "2", "3", "4", "5", "chín"], record(2), numbering, record(3)]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {"column_numbers": 2}
    assert used_rows(sheet) == [3, 4, 5, 7]


def test_a_two_column_list_has_a_numbering_row_too(tmp_path):
    grid = [["Họ và tên", "Chức vụ"], ["(1)", "(2)"], ["Nguyễn Văn An", "Chủ tịch"], ["Trần Thị Bình", "Phó chủ tịch"]]
    sheet = load(tmp_path, grid, "can-bo.csv")
    assert sheet.report.rows_left_out == {"column_numbers": 1}
    assert used_rows(sheet) == [3, 4]


def test_numbering_half_the_columns_is_enough(tmp_path):
    sheet = load(tmp_path, [HEADER, ["1", "2", "3", None, None, None], record(1)])
    assert sheet.report.rows_left_out == {"column_numbers": 1}


def test_a_note_beside_a_status_after_the_records_is_a_footer(tmp_path):
    grid = [NO_FIELD_HEADER, dossier(1), dossier(2), ["Ghi chú:", None, None, "số liệu tạm tính"]]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [2, 3]
    assert sheet.report.rows_left_out == {"footer": 1}


def test_a_sparse_record_is_no_repeated_header(tmp_path):
    sheet = load(tmp_path, [HEADER, record(1), [None, "H002", None, None, "Đang xử lý", None], record(3)])
    assert used_rows(sheet) == [2, 3, 4]


def test_a_header_repeated_with_a_page_number_beside_it(tmp_path):
    header = [*HEADER, None]
    grid = [header, [*record(1), None], [*HEADER, "Trang 2"], [*record(2), None]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_left_out == {"repeated_header": 1}
    assert used_rows(sheet) == [2, 4]


def test_a_header_whose_top_row_holds_only_a_group_repeated_after_a_page_break(tmp_path):
    head = [[None, "Ngày", None, None], ["Mã hồ sơ", "Tiếp nhận", "Hẹn trả", "Trạng thái"]]
    rec = lambda k: [f"H{k:03d}", "01/10/2026", "05/10/2026", "Đang xử lý"]  # noqa: E731
    sheet = load(tmp_path, [*head, rec(1), *head, rec(2)])
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.rows_left_out == {"repeated_header": 2}
    assert used_rows(sheet) == [3, 6]


def test_a_total_looking_name_beside_a_numeric_record_id_is_a_record(tmp_path):
    header = ["Người nộp", "Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"]
    grid = [header, ["Nguyễn Văn An", "2610050001", "01/10/2026", "Đang xử lý"], ["Tống Chung", "2610050002", None, None],
            ["Tổng cộng", None, None, "2"]]
    sheet = load(tmp_path, grid)
    assert sheet.data["ma_ho_so"].tolist() == ["2610050001", "2610050002"]
    assert sheet.report.rows_left_out == {"total": 1}



def test_an_export_with_no_records_and_its_notes_and_signature_block(tmp_path):
    grid = [NO_FIELD_HEADER, ["Ghi chú: trong kỳ không có hồ sơ"], [None, "NGƯỜI LẬP BIỂU"], [None, "Nguyễn Văn An"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_used == 0
    assert sheet.report.rows_left_out == {"footer": 1, "signature": 2}


def test_a_signature_line_naming_four_signers(tmp_path):
    grid = [NO_FIELD_HEADER, dossier(1), dossier(2), [None, "NGƯỜI LẬP BIỂU", "KẾ TOÁN", "TRƯỞNG PHÒNG", "CHỦ TỊCH"]]
    sheet = load(tmp_path, grid)
    assert used_rows(sheet) == [2, 3]
    assert sheet.report.rows_left_out == {"signature": 1}


def test_staff_whose_posts_are_written_in_capitals_stay_records(tmp_path):
    """`1 | Nguyễn Văn An | CHỦ TỊCH` is a numbered staff record, not the signature block's
    heading; so is a record of five cells with no number."""
    grid = [["STT", "Họ và tên", "Chức vụ", "Giới tính", "Dân tộc", "Quê quán"],
            ["1", "Nguyễn Văn An", "CHỦ TỊCH"], [None, "Trần Thị Bình", "PHÓ CHỦ TỊCH", "Nữ", "Kinh", "Hà Tĩnh"]]
    sheet = load(tmp_path, grid, "can-bo.csv")
    assert sheet.report.dataset == "can_bo"
    assert used_rows(sheet) == [2, 3]


def test_a_long_list_keeps_its_records_and_finds_its_signature_block(tmp_path):
    """The signature block is looked for among the last rows; a list longer than that keeps
    every record."""
    records = [dossier(k) for k in range(1, 321)]
    grid = [NO_FIELD_HEADER, *records, [None, None, "Hoàng Sơn, ngày 31 tháng 10 năm 2026"], [None, "NGƯỜI LẬP BIỂU"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.rows_used == 320
    assert sheet.report.rows_left_out == {"signature": 2}


def test_cell_tests_on_a_columns_array_answer_as_the_series_ones():
    import numpy as np
    import pandas as pd

    from dxcheck.load import rows
    from dxcheck.load.text import STR

    columns = [
        pd.Series(["Tên", None, "  ", "Tên", ""], dtype=STR), pd.Series(["Tên", None, "x", pd.NA, "Tên"], dtype="string"),
        pd.Series([1.0, np.nan, 1.5, 2.0, np.nan]), pd.Series(pd.to_datetime(["2026-10-01", None, "2026-10-02", None, None])),
        pd.Series(["1", None, 1, 1.0, np.nan], dtype=object), pd.Series([1, None, 3, 1, None], dtype="Int64"),
        pd.Series([True, False, True, False, True]), pd.Series([], dtype=STR),
    ]
    for column in columns:
        assert rows._filled(column).tolist() == column.notna().to_numpy().tolist(), column.dtype
        for text in ("Tên", "1", "2026-10-01 00:00:00.000000", "true", ""):
            expected = (rows._text(column) == text).fillna(False).to_numpy(dtype=bool)
            got = rows._equal_cells(column, text)
            assert got.dtype == bool and got.tolist() == expected.tolist(), (column.dtype, text)
    assert rows._equal_cells(columns[0], "Tên").tolist() == [True, False, False, True, False]
    assert rows._equal_cells(columns[1], "Tên").tolist() == [True, False, False, False, True]
    assert rows._equal_cells(columns[2], "1").tolist() == [True, False, False, False, False]
