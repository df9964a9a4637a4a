"""Which row of a real-layout sheet is its header, over how many rows it runs, and which column
each field is read from, as a user reads them off the loader's report (`header_row`,
`header_rows`, `fields`, `headers`, `unmatched_headers`).

Each sheet is written as a small CSV grid laid out as an office's export is."""

from __future__ import annotations

from test_load_rows import load

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dxcheck.load import LoadOptions, headers, load_file


@pytest.fixture(autouse=True)
def _headers_read_afresh():
    """The header search keeps what it worked out per header text (caches, for speed): empty
    them so that each test's headers are matched by the code itself, not by an earlier answer."""
    for cached in (headers.vocab_index, headers._levels_of, headers._column_keys, headers.column_hits,
                   headers.mapped_forms, headers._mapping_keys, headers._header_tails, headers.fold):
        cached.cache_clear()

DOSSIER = ["H001", "01/10/2026", "05/10/2026", "Đã trả kết quả", "Trực tuyến"]


def load_mapped(tmp_path, grid, mapping):
    import csv

    path = tmp_path / "map.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=";").writerows([["" if c is None else c for c in row] for row in grid])
    return load_file(path, LoadOptions(mapping=mapping)).sheets[0]


def test_the_header_under_the_banners_is_found(tmp_path):
    grid = [["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["Độc lập - Tự do - Hạnh phúc"], [],
            ["DANH SÁCH HỒ SƠ TIẾP NHẬN"], ["Từ ngày 01/10/2026 đến ngày 31/10/2026"], [],
            ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Hình thức nộp"], DOSSIER]
    sheet = load(tmp_path, grid)
    assert sheet.report.dataset == "ho_so"
    assert (sheet.report.header_row, sheet.report.header_rows) == (7, [7, 7])
    assert sheet.report.fields == {"ma_ho_so": "Mã hồ sơ", "ngay_tiep_nhan": "Ngày tiếp nhận", "ngay_hen_tra": "Ngày hẹn trả",
                                   "hinh_thuc_nop": "Hình thức nộp", "trang_thai": "Trạng thái"}
    assert sheet.data["_row"].tolist() == [8]


def test_a_merged_group_header_over_sub_headers(tmp_path):
    """`Ngày` merged over `Tiếp nhận | Hẹn trả` (blank right of its first cell in the grid)."""
    grid = [["Mã hồ sơ", "Ngày", None, "Trạng thái", "Hình thức nộp"],
            [None, "Tiếp nhận", "Hẹn trả", None, None], ["H001", "01/10/2026", "05/10/2026", "Đã trả kết quả", "Trực tuyến"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.headers == ["Mã hồ sơ", "Ngày › Tiếp nhận", "Ngày › Hẹn trả", "Trạng thái", "Hình thức nộp"]
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày › Tiếp nhận"
    assert sheet.report.fields["ngay_hen_tra"] == "Ngày › Hẹn trả"
    assert sheet.data["ngay_hen_tra"].dt.day.tolist() == [5]


STATS_HEAD = [["Lĩnh vực", "Số hồ sơ nhận giải quyết", None, None, "Số hồ sơ đã giải quyết", None, None],
              [None, "Tổng số", "Trực tuyến", "Trực tiếp", "Tổng số", "Đúng hạn", "Quá hạn"]]


def test_a_statistics_form_reads_each_total_under_its_group(tmp_path):
    """`Tổng số` under two groups: each is read from its own group, never the other's."""
    grid = [["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC"], [], *STATS_HEAD, ["Tư pháp", "10", "6", "4", "8", "7", "1"],
            ["Đất đai", "5", "1", "4", "5", "3", "2"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.dataset == "thong_ke"
    assert sheet.report.header_rows == [3, 4]
    data = sheet.data
    assert data["tiep_nhan"].tolist() == [10, 5] and data["da_giai_quyet"].tolist() == [8, 5]
    assert data["truc_tuyen"].tolist() == [6, 1] and data["qua_han"].tolist() == [1, 2]
    assert sheet.report.fields["tiep_nhan"] == "Số hồ sơ nhận giải quyết › Tổng số"


@pytest.mark.parametrize("groups, found", [(["Kỳ này", "Kỳ trước"], None), (["Kỳ này", "Khác"], "Kỳ này › Tiếp nhận")])
def test_a_leaf_under_two_groups_alone_names_no_field(tmp_path, groups, found):
    """`Tiếp nhận` alone names the received count; under two groups (this period, the last) it
    cannot say which one, and neither is taken."""
    grid = [["Lĩnh vực", groups[0], None, "Số hồ sơ đã giải quyết", None],
            [None, "Tiếp nhận", "Trực tuyến", "Tổng số", "Quá hạn"], ["Tư pháp", "10", "6", "8", "1"]]
    if groups[1] == "Kỳ trước":
        grid = [[*grid[0], "Kỳ trước"], [*grid[1], "Tiếp nhận"], [*grid[2], "4"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.dataset == "thong_ke"
    assert sheet.report.fields.get("tiep_nhan") == found


def test_a_note_in_parentheses_after_a_header_is_ignored(tmp_path):
    grid = [["Mã hồ sơ (*)", "Ngày tiếp nhận (dd/mm/yyyy)", "Trạng thái [1]", "Hình thức nộp"], DOSSIER[:1] + DOSSIER[1:2]
            + DOSSIER[3:]]
    sheet = load(tmp_path, grid)
    assert sheet.report.fields == {"ma_ho_so": "Mã hồ sơ (*)", "ngay_tiep_nhan": "Ngày tiếp nhận (dd/mm/yyyy)",
                                   "hinh_thuc_nop": "Hình thức nộp", "trang_thai": "Trạng thái [1]"}


def test_a_note_in_parentheses_on_the_leaf_of_a_grouped_header(tmp_path):
    grid = [["Lĩnh vực", "Số hồ sơ đã giải quyết", None, None],
            [None, "Tổng số", "Trước hạn (sớm)", "Quá hạn (muộn)"], ["Tư pháp", "10", "6", "4"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.fields["truoc_han"] == "Số hồ sơ đã giải quyết › Trước hạn (sớm)"
    assert sheet.data["qua_han"].tolist() == [4]


def test_four_level_official_form(tmp_path):
    """Thông tư 01/2020: four header rows over the counts; every level carried over its columns."""
    grid = [["Lĩnh vực", "Số hồ sơ nhận giải quyết", None, None, None, "Số hồ sơ đã giải quyết", None, None],
            [None, "Tổng số", "Trong đó", None, None, "Tổng số", "Trong đó", None],
            [None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Kỳ trước", None, "Trả đúng thời hạn", "Quá hạn"],
            ["A", "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
            ["Tư pháp", "10", "6", "3", "1", "9", "8", "1"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.dataset == "thong_ke"
    data = sheet.data
    assert data["tiep_nhan"].tolist() == [10] and data["truc_tuyen"].tolist() == [6]
    assert data["da_giai_quyet"].tolist() == [9] and data["qua_han"].tolist() == [1]


def test_a_combined_column_beside_one_of_its_parts_holds_the_other(tmp_path):
    """`Trả đúng thời hạn` beside `Trước hạn` counts the on-time ones alone."""
    grid = [["Lĩnh vực", "Số hồ sơ đã giải quyết", None, None, None],
            [None, "Tổng số", "Trước hạn", "Trả đúng thời hạn", "Quá hạn"], ["Tư pháp", "10", "3", "5", "2"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.data["truoc_han"].tolist() == [3] and sheet.data["dung_han"].tolist() == [5]
    assert "dung_truoc_han" not in sheet.data


def test_a_combined_column_beside_all_its_parts_is_left_unread(tmp_path):
    grid = [["Lĩnh vực", "Số hồ sơ đã giải quyết", None, None, None],
            [None, "Trước hạn", "Đúng hạn", "Trả đúng thời hạn", "Quá hạn"], ["Tư pháp", "3", "5", "8", "2"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.data["truoc_han"].tolist() == [3] and sheet.data["dung_han"].tolist() == [5]
    assert "dung_truoc_han" not in sheet.data
    assert "Số hồ sơ đã giải quyết › Trả đúng thời hạn" in sheet.report.unmatched_headers


def test_a_combined_column_alone_is_read_as_itself(tmp_path):
    grid = [["Lĩnh vực", "Số hồ sơ đã giải quyết", None, None],
            [None, "Tổng số", "Trả đúng thời hạn", "Quá hạn"], ["Tư pháp", "10", "8", "2"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.data["dung_truoc_han"].tolist() == [8]


def test_sub_headers_no_vocabulary_word_knows_stay_in_the_header(tmp_path):
    """`Xử lý` over `Thời điểm | Người`: the row under the header is part of it, not a record."""
    grid = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp", "Xử lý", None],
            [None, None, None, None, "Thời điểm", "Người"],
            ["H001", "01/10/2026", "Đã trả kết quả", "Trực tuyến", "02/10/2026", "An"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 2]
    assert sheet.data["_row"].tolist() == [3]
    assert "Xử lý › Thời điểm" in sheet.report.headers


def test_a_first_record_under_the_header_is_no_sub_header(tmp_path):
    grid = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp", "Ghi chú"],
            ["H001", None, "Đã trả kết quả", "Trực tuyến", "nộp bổ sung"], ["H002", "02/10/2026", "Đã trả kết quả", "Trực tuyến", None]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 1]
    assert sheet.data["_row"].tolist() == [2, 3]


def test_the_dataset_with_the_most_fields_wins_and_the_runner_up_is_named(tmp_path):
    grid = [["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Ngày tiếp nhận", "Trạng thái"],
            ["H001", "Đăng ký khai sinh", "Hộ tịch", "01/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.runner_up is not None and sheet.report.runner_up != "ho_so"


def test_too_few_fields_recognise_no_dataset(tmp_path):
    grid = [["Mã hồ sơ", "Ghi chú", "Người nhập"], ["H001", "x", "An"]]
    loaded = load_file(_write(tmp_path, grid), require_dataset=False)
    assert loaded.sheets[0].report.dataset is None


def _write(tmp_path, grid):
    import csv

    path = tmp_path / "x.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=";").writerows([["" if c is None else c for c in row] for row in grid])
    return path


HEAD = ["Số biên nhận", "Ngày đến", "Ngày hẹn", "Tình trạng", "Cách nộp"]


@pytest.mark.parametrize("mapping", [
    {"ma_ho_so": "Số biên nhận", "ngay_tiep_nhan": "Ngày đến", "trang_thai": "tinh trang"},
    {"ho_so.ma_ho_so": "SỐ BIÊN NHẬN", "ho_so.ngay_tiep_nhan": "Ngày  đến", "trang_thai": "Tình trạng"},
])
def test_a_users_mapping_names_the_columns(tmp_path, mapping):
    sheet = load_mapped(tmp_path, [HEAD, ["B01", "01/10/2026", "05/10/2026", "Đã trả kết quả", "x"]], mapping)
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.fields["ma_ho_so"] == "Số biên nhận" and sheet.report.fields["ngay_tiep_nhan"] == "Ngày đến"
    assert sheet.data["ma_ho_so"].tolist() == ["B01"]


def test_a_mapping_beats_the_vocabulary(tmp_path):
    """`ngay_tiep_nhan` mapped to `Ngày nộp bù`: the column the vocabulary would take is left."""
    head = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày nộp bù", "Trạng thái"]
    sheet = load_mapped(tmp_path, [head, ["H001", "01/10/2026", "03/10/2026", "Đã trả kết quả"]],
                        {"ngay_tiep_nhan": "Ngày nộp bù"})
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày nộp bù"
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [3]


def test_a_mapping_for_another_dataset_is_not_used(tmp_path):
    head = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày nộp bù", "Trạng thái"]
    sheet = load_mapped(tmp_path, [head, ["H001", "01/10/2026", "03/10/2026", "Đã trả kết quả"]],
                        {"van_ban_di.ngay_ban_hanh": "Ngày nộp bù", "ho_so.khong_co": "x"} if False else
                        {"thong_ke.tiep_nhan": "Ngày nộp bù"})
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp nhận"


GROUPED = [["Mã hồ sơ", "Ngày", None, None, "Trạng thái"], [None, "Tiếp nhận", "Có kết quả", "Hẹn trả", None],
           ["H001", "01/10/2026", "04/10/2026", "05/10/2026", "Đã trả kết quả"]]


@pytest.mark.parametrize("header", ["Ngày › Có kết quả", "Ngày > Có kết quả", "ngày có kết quả", "Có kết quả"])
def test_a_mapped_header_is_written_whole_or_by_a_part_no_other_column_has(tmp_path, header):
    two = [[*GROUPED[0], "Kết quả", None], [*GROUPED[1], "Có kết quả", "Ngày"], [*GROUPED[2], "x", "09/10/2026"]]
    sheet = load_mapped(tmp_path, GROUPED if header == "Có kết quả" else two, {"ngay_co_ket_qua": header})
    assert sheet.report.fields["ngay_co_ket_qua"] == "Ngày › Có kết quả"
    assert sheet.data["ngay_co_ket_qua"].dt.day.tolist() == [4]


def test_a_part_two_columns_share_names_neither(tmp_path):
    two = [[*GROUPED[0], "Kết quả"], [*GROUPED[1], "Có kết quả"], [*GROUPED[2], "x"]]
    sheet = load_mapped(tmp_path, two, {"ngay_co_ket_qua": "Có kết quả"})
    assert "ngay_co_ket_qua" not in sheet.report.fields


def test_a_mapped_header_holding_a_greater_than_sign(tmp_path):
    """`Quá hạn > 5 ngày` is a header as written; `>` between words is read both ways."""
    grid = [["Lĩnh vực", "Tiếp nhận", "Số hồ sơ đã giải quyết", None], [None, None, "Tổng số", "Quá hạn > 5 ngày"],
            ["Tư pháp", "10", "8", "2"]]
    sheet = load_mapped(tmp_path, grid, {"qua_han": "Số hồ sơ đã giải quyết > Quá hạn > 5 ngày"})
    assert sheet.report.fields["qua_han"] == "Số hồ sơ đã giải quyết › Quá hạn > 5 ngày"
    assert sheet.data["qua_han"].tolist() == [2]


def test_a_parquet_header_is_given_whole(tmp_path):
    path = tmp_path / "ho-so.parquet"
    pq.write_table(pa.table({"Mã hồ sơ": ["H001", "H002"], "Ngày › Tiếp nhận": ["01/10/2026", "02/10/2026"],
                             "Trạng thái": ["Đã trả kết quả", "Đang xử lý"], "Ghi chú": ["", ""]}), path)
    sheet = load_file(path).sheets[0]
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.header_rows == []
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày › Tiếp nhận"
    assert sheet.report.unmatched_headers == ["Ghi chú"]
    assert sheet.data["ma_ho_so"].tolist() == ["H001", "H002"]


def test_the_more_specific_header_wins_a_field_two_columns_could_give(tmp_path):
    """`Ngày › Tiếp nhận` (group and sub-header) beats `Ngày nộp` further left; a header with a
    note in parentheses yields to one without."""
    grid = [["Mã hồ sơ", "Ngày nộp", "Ngày", None, "Trạng thái", "Hạn xử lý (dự kiến)", "Ngày hẹn trả"],
            [None, None, "Tiếp nhận", "Có kết quả", None, None, None],
            ["H001", "01/10/2026", "02/10/2026", "04/10/2026", "Đã trả kết quả", "08/10/2026", "09/10/2026"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày › Tiếp nhận"
    assert sheet.report.fields["ngay_hen_tra"] == "Ngày hẹn trả"
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [2]
    assert "Ngày nộp" in sheet.report.unmatched_headers


def test_of_two_equal_headers_the_leftmost_gives_the_field(tmp_path):
    grid = [["Mã hồ sơ", "Ngày nhận", "Ngày tiếp nhận", "Trạng thái"], ["H001", "01/10/2026", "02/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày nhận"
    assert sheet.report.unmatched_headers == ["Ngày tiếp nhận"]


def test_a_header_word_in_the_banner_does_not_move_the_header(tmp_path):
    """A title holding `Lĩnh vực` or `Trạng thái` above the header: the header is the row that
    names the most fields, as shallow as it can be."""
    grid = [["Lĩnh vực: Tư pháp"], ["Trạng thái"], [],
            ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Hình thức nộp"], DOSSIER]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [4, 4]
    assert sheet.data["_row"].tolist() == [5]


def test_the_header_is_read_over_as_many_rows_as_add_fields(tmp_path):
    grid = [["Mã hồ sơ", "Ngày", None, None, "Trạng thái"], [None, "Tiếp nhận", "Hẹn trả", "Có kết quả", None],
            ["H001", "01/10/2026", "05/10/2026", "04/10/2026", "Đã trả kết quả"],
            ["H002", "02/10/2026", "06/10/2026", "05/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 2]
    assert sheet.data["_row"].tolist() == [3, 4]
    assert sheet.data["ngay_co_ket_qua"].dt.day.tolist() == [4, 5]


def test_a_three_level_header_carries_each_group_over_its_own_columns(tmp_path):
    grid = [["Lĩnh vực", "Số hồ sơ nhận giải quyết", None, None, "Số hồ sơ đã giải quyết", None, None, "Ghi chú"],
            [None, "Tổng số", "Trong đó", None, "Tổng số", "Trong đó", None, None],
            [None, None, "Trực tuyến", "Trực tiếp", None, "Đúng hạn", "Quá hạn", None],
            ["Tư pháp", "10", "6", "4", "9", "8", "1", "x"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.header_rows == [1, 3]
    assert sheet.report.headers[1:4] == ["Số hồ sơ nhận giải quyết › Tổng số", "Số hồ sơ nhận giải quyết › Trong đó › Trực tuyến",
                                         "Số hồ sơ nhận giải quyết › Trong đó › Trực tiếp"]
    assert sheet.report.headers[7] == "Ghi chú"
    data = sheet.data
    assert (data["tiep_nhan"].tolist(), data["truc_tuyen"].tolist(), data["truc_tiep"].tolist()) == ([10], [6], [4])
    assert (data["da_giai_quyet"].tolist(), data["dung_han"].tolist(), data["qua_han"].tolist()) == ([9], [8], [1])


def test_a_blank_header_cell_is_not_filled_from_a_one_level_neighbour(tmp_path):
    """A column with no header of its own beside `Trạng thái` (one level, no sub-headers) is not
    `Trạng thái` again."""
    grid = [["Mã hồ sơ", "Ngày", None, "Trạng thái", None], [None, "Tiếp nhận", "Hẹn trả", None, "Ghi chú"],
            ["H001", "01/10/2026", "05/10/2026", "Đã trả kết quả", "Đang xử lý"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.fields["trang_thai"] == "Trạng thái"
    assert sheet.report.headers[4] == "Ghi chú"


def test_a_numbering_row_under_the_header_is_no_sub_header(tmp_path):
    grid = [["Mã hồ sơ", "Ngày", None, "Trạng thái"], [None, "Tiếp nhận", "Hẹn trả", None],
            ["(1)", "(2)", "(3)", "(4)"], ["H001", "01/10/2026", "05/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.rows_left_out == {"column_numbers": 1}


def test_a_parquet_file_of_no_known_dataset(tmp_path):
    path = tmp_path / "khac.parquet"
    pq.write_table(pa.table({"Cột A": ["x"], "Cột B": ["y"]}), path)
    sheet = load_file(path, require_dataset=False).sheets[0]
    assert sheet.report.dataset is None and sheet.report.runner_up is None


def test_a_parquet_file_names_its_runner_up(tmp_path):
    path = tmp_path / "ho-so.parquet"
    pq.write_table(pa.table({"Mã hồ sơ": ["H001"], "Tên thủ tục": ["Khai sinh"], "Ngày tiếp nhận": ["01/10/2026"],
                             "Trạng thái": ["Đã trả kết quả"]}), path)
    sheet = load_file(path).sheets[0]
    assert sheet.report.dataset == "ho_so" and sheet.report.runner_up not in (None, "ho_so")


def test_a_mapping_with_many_greater_than_signs_is_read_as_written_or_all_as_levels(tmp_path):
    grid = [["Lĩnh vực", "Tiếp nhận", "A > B > C > D > E > F", "Số hồ sơ đã giải quyết"], [None, None, None, "Tổng số"],
            ["Tư pháp", "10", "7", "8"]]
    sheet = load_mapped(tmp_path, grid, {"truc_tuyen": "A > B > C > D > E > F"})
    assert sheet.report.fields["truc_tuyen"] == "A > B > C > D > E > F"
    assert sheet.data["truc_tuyen"].tolist() == [7]


def test_a_note_on_the_leaf_of_a_three_level_header(tmp_path):
    grid = [["Lĩnh vực", "Số hồ sơ đã giải quyết", None, None],
            [None, "Tổng số", "Trong đó", None],
            [None, None, "Trả đúng thời hạn (trước hạn + đúng hạn)", "Quá hạn"], ["Tư pháp", "10", "8", "2"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.data["dung_truoc_han"].tolist() == [8]
    assert sheet.data["qua_han"].tolist() == [2]


def test_a_header_written_with_its_levels_in_one_cell(tmp_path):
    grid = [["Mã hồ sơ", "Ngày › Tiếp nhận", "Ngày › Hẹn trả", "Trạng thái"], ["H001", "01/10/2026", "05/10/2026", "Đang xử lý"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.headers == ["Mã hồ sơ", "Ngày › Tiếp nhận", "Ngày › Hẹn trả", "Trạng thái"]
    assert sheet.report.fields["ngay_hen_tra"] == "Ngày › Hẹn trả"


def test_a_mapped_leaf_may_leave_out_the_note_in_parentheses(tmp_path):
    grid = [["Mã hồ sơ", "Ngày", None, "Trạng thái"], [None, "Tiếp nhận", "Có kết quả (dd/mm/yyyy)", None],
            ["H001", "01/10/2026", "04/10/2026", "Đã trả kết quả"]]
    sheet = load_mapped(tmp_path, grid, {"ngay_co_ket_qua": "Có kết quả"})
    assert sheet.report.fields["ngay_co_ket_qua"] == "Ngày › Có kết quả (dd/mm/yyyy)"


def test_a_mapping_naming_the_dataset_beats_a_bare_one(tmp_path):
    head = ["Mã hồ sơ", "Ngày đến", "Ngày nộp bù", "Trạng thái"]
    sheet = load_mapped(tmp_path, [head, ["H001", "01/10/2026", "03/10/2026", "Đã trả kết quả"]],
                        {"ho_so.ngay_tiep_nhan": "Ngày nộp bù", "ngay_tiep_nhan": "Ngày đến"})
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày nộp bù"


def test_a_mapping_of_a_header_two_columns_share_whole_takes_the_first(tmp_path):
    head = ["Mã hồ sơ", "Ngày đến", "Ngày đến", "Trạng thái"]
    sheet = load_mapped(tmp_path, [head, ["H001", "01/10/2026", "03/10/2026", "Đã trả kết quả"]],
                        {"ngay_tiep_nhan": "Ngày đến"})
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [1]


def test_the_first_of_two_equal_headers_is_the_header(tmp_path):
    head = ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"]
    sheet = load(tmp_path, [head, ["H001", "01/10/2026", "Đang xử lý", "Trực tuyến"], head,
                            ["H002", "01/10/2026", "Đang xử lý", "Trực tuyến"]])
    assert sheet.report.header_rows == [1, 1]
    assert sheet.report.rows_left_out == {"repeated_header": 1}


def test_a_row_of_numbers_under_a_group_is_no_sub_header(tmp_path):
    grid = [["Lĩnh vực", "Tiếp nhận", "Số mới tiếp nhận trực tuyến", "Số mới tiếp nhận trực tiếp", "Ghi chú", None],
            [None, None, None, None, "12", "5"], ["Tư pháp", "10", "6", "4", None, None]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.header_rows == [1, 1]


def test_a_header_typed_for_a_mapping_uses_the_keyboards_sign():
    from dxcheck.load.headers import typed_header

    assert typed_header("Ngày › Có kết quả") == "Ngày > Có kết quả"
    assert typed_header("Trạng thái") == "Trạng thái"


def _parquet(tmp_path, columns: dict[str, list]):
    path = tmp_path / "xuat.parquet"
    pq.write_table(pa.table(columns), path)
    return load_file(path, require_dataset=False).sheets[0].report


def test_a_parquet_staff_list_is_read_with_no_runner_up(tmp_path):
    """Only the staff list knows `Họ và tên` and `Chức vụ`: no other dataset is named as closest."""
    report = _parquet(tmp_path, {"Họ và tên": ["Nguyễn Văn An"], "Chức vụ": ["Chủ tịch"]})
    assert report.dataset == "can_bo"
    assert report.fields == {"ho_ten": "Họ và tên", "chuc_vu": "Chức vụ"}
    assert report.runner_up is None


def test_a_parquet_dossier_list_names_the_complaints_list_as_runner_up(tmp_path):
    """`Ngày tiếp nhận` is also a header of the complaints list (one field): it is the runner-up."""
    report = _parquet(tmp_path, {"Mã hồ sơ": ["H001"], "Ngày tiếp nhận": ["01/10/2026"], "Trạng thái": ["Đang xử lý"]})
    assert (report.dataset, report.runner_up) == ("ho_so", "phan_anh")


def test_a_csv_dossier_list_names_its_runner_up(tmp_path):
    sheet = load(tmp_path, [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"], ["H001", "01/10/2026", "Đang xử lý"]])
    assert (sheet.report.dataset, sheet.report.runner_up) == ("ho_so", "phan_anh")


def test_a_staff_list_has_no_runner_up(tmp_path):
    sheet = load(tmp_path, [["STT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn An", "Chủ tịch"]], "can-bo.csv")
    assert (sheet.report.dataset, sheet.report.runner_up) == ("can_bo", None)


def test_a_title_right_above_the_header_is_no_part_of_it(tmp_path):
    """A title row with no blank row under it: the title over every column adds no field, so the
    header is the one row under it (as shallow as it can be)."""
    grid = [["DANH SÁCH HỒ SƠ"], ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Hình thức nộp"], DOSSIER]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [2, 2]
    assert sheet.report.headers[0] == "Mã hồ sơ"
    assert sheet.data["_row"].tolist() == [3]


def test_a_last_column_whose_title_runs_over_two_rows(tmp_path):
    """`Ngày` over `hẹn trả` in the row below (two unmerged cells): the header is both rows even
    though the first row alone already names a dataset, and the second row is no record."""
    grid = [["Mã hồ sơ", "Trạng thái", "Hình thức nộp", "Ngày tiếp nhận", "Ngày"], [None, None, None, None, "hẹn trả"],
            ["H001", "Đã trả kết quả", "Trực tuyến", "01/10/2026", "05/10/2026"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.fields["ngay_hen_tra"] == "Ngày › hẹn trả"
    assert sheet.data["ngay_hen_tra"].dt.day.tolist() == [5]
    assert sheet.data["_row"].tolist() == [3]


def test_every_header_numbered_in_parentheses(tmp_path):
    """`Mã hồ sơ (1)`, `Ngày tiếp nhận (2)` …: each header is read without its number."""
    grid = [["Mã hồ sơ (1)", "Ngày tiếp nhận (2)", "Trạng thái (3)"], ["H001", "01/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.fields == {"ma_ho_so": "Mã hồ sơ (1)", "ngay_tiep_nhan": "Ngày tiếp nhận (2)",
                                   "trang_thai": "Trạng thái (3)"}


def test_a_first_column_titled_in_the_lower_header_row_takes_no_group(tmp_path):
    """`Mã hồ sơ` written in the second header row of the first column: no group is carried onto
    it, not even the last column's `Ngày`."""
    grid = [[None, "Trạng thái", "Ngày tiếp nhận", "Ngày"], ["Mã hồ sơ", None, None, "Hẹn trả"],
            ["H001", "Đã trả kết quả", "01/10/2026", "05/10/2026"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.headers == ["Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận", "Ngày › Hẹn trả"]
    assert sheet.report.fields["ma_ho_so"] == "Mã hồ sơ"


def test_a_mapped_header_right_of_a_column_with_no_header(tmp_path):
    grid = [["Mã hồ sơ", None, "Ngày đến", "Trạng thái"], ["H001", "x", "01/10/2026", "Đã trả kết quả"]]
    sheet = load_mapped(tmp_path, grid, {"ngay_tiep_nhan": "Ngày đến"})
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày đến"
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [1]


def test_a_mapping_names_headers_no_vocabulary_word_knows(tmp_path):
    """`Số BN`, `Ngày đến`, `Kết cục` end no header the vocabulary knows: the user's mapping alone
    makes the row the header, and the sheet a dossier list."""
    grid = [["Số BN", "Ngày đến", "Kết cục"], ["B01", "01/10/2026", "Đã trả kết quả"]]
    sheet = load_mapped(tmp_path, grid, {"ma_ho_so": "Số BN", "ngay_tiep_nhan": "Ngày đến", "trang_thai": "Kết cục"})
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.fields == {"ma_ho_so": "Số BN", "ngay_tiep_nhan": "Ngày đến", "trang_thai": "Kết cục"}
    assert sheet.data["ma_ho_so"].tolist() == ["B01"]


def test_a_sheet_naming_one_field_shows_the_closest_dataset(tmp_path):
    """Only `Mã hồ sơ` is known: no dataset is recognised, but the report names the dossier list as
    the closest, with the one field found, so that the user sees what to map."""
    loaded = load_file(_write(tmp_path, [["Mã hồ sơ", "Ghi chú", "Người nhập"], ["H001", "x", "An"]]), require_dataset=False)
    report = loaded.sheets[0].report
    assert report.dataset is None
    assert report.runner_up == "ho_so"
    assert report.fields == {"ma_ho_so": "Mã hồ sơ"}
    assert report.header_rows == [1, 1]


def test_a_blank_row_inside_a_merged_header(tmp_path):
    """A tall merged header exported with an empty row between the groups and their sub-headers:
    the header runs over the three rows."""
    grid = [["Mã hồ sơ", "Ngày", None, "Trạng thái"], [], [None, "Tiếp nhận", "Hẹn trả", None],
            ["H001", "01/10/2026", "05/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 3]
    assert sheet.report.fields["ngay_hen_tra"] == "Ngày › Hẹn trả"
    assert sheet.data["_row"].tolist() == [4]


def test_headers_wrapped_over_two_unmerged_rows(tmp_path):
    """`Ngày tiếp` over `nhận`, `Ngày hẹn` over `trả`: neither row alone names the dates, both
    together do, and the sheet is a dossier list."""
    grid = [["Mã hồ sơ", "Ngày tiếp", "Ngày hẹn", "Trạng thái"], [None, "nhận", "trả", None],
            ["H001", "01/10/2026", "05/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp › nhận"
    assert sheet.data["ngay_hen_tra"].dt.day.tolist() == [5]


def test_a_group_in_the_first_column_over_two_sub_headers(tmp_path):
    """`Ngày` over the sheet's first two columns, and a last column titled in the lower row only."""
    grid = [["Ngày", None, "Mã hồ sơ", "Trạng thái", None], ["Tiếp nhận", "Hẹn trả", None, None, "Hình thức nộp"],
            ["01/10/2026", "05/10/2026", "H001", "Đã trả kết quả", "Trực tuyến"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.headers == ["Ngày › Tiếp nhận", "Ngày › Hẹn trả", "Mã hồ sơ", "Trạng thái", "Hình thức nộp"]
    assert sheet.data["ngay_hen_tra"].dt.day.tolist() == [5]


def test_a_middle_level_group_at_the_start_of_its_top_group(tmp_path):
    """`Trong đó` heads the first columns of `Số hồ sơ đã giải quyết`: it is carried over both of its
    sub-headers, never taken from the group to the left."""
    grid = [["Lĩnh vực", "Số hồ sơ nhận giải quyết", None, "Số hồ sơ đã giải quyết", None],
            [None, "Tổng số", "Trực tuyến", "Trong đó", None], [None, None, None, "Đúng hạn", "Quá hạn"],
            ["Tư pháp", "10", "6", "8", "1"]]
    sheet = load(tmp_path, grid, "thong-ke.csv")
    assert sheet.report.header_rows == [1, 3]
    assert sheet.report.headers[3:] == ["Số hồ sơ đã giải quyết › Trong đó › Đúng hạn", "Số hồ sơ đã giải quyết › Trong đó › Quá hạn"]
    assert (sheet.data["dung_han"].tolist(), sheet.data["qua_han"].tolist()) == ([8], [1])


XU_LY_HEAD = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp", "Xử lý", None],
              [None, None, None, None, "Thời điểm", "Người"]]


def test_an_export_of_no_records_keeps_its_sub_headers_in_the_header(tmp_path):
    """A period with no dossiers: the export is its header and sub-header rows, nothing else."""
    sheet = load(tmp_path, XU_LY_HEAD)
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.headers[4:] == ["Xử lý › Thời điểm", "Xử lý › Người"]
    assert sheet.report.rows_used == 0


def test_an_export_that_is_only_its_header_row(tmp_path):
    sheet = load(tmp_path, [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"]])
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.header_rows == [1, 1]
    assert sheet.report.rows_used == 0


def test_sub_headers_under_a_header_far_below_the_banners(tmp_path):
    """Six banner rows, then the header and its sub-headers: the sub-header row is still read as
    part of the header (the depth counted from the header's own first row)."""
    banners = [["UBND XÃ HOÀNG SƠN"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], [], ["DANH SÁCH HỒ SƠ"], ["Tháng 10/2026"], []]
    record = ["H001", "01/10/2026", "Đã trả kết quả", "Trực tuyến", "02/10/2026", "An"]
    sheet = load(tmp_path, [*banners, *XU_LY_HEAD, record])
    assert sheet.report.header_rows == [7, 8]
    assert sheet.data["_row"].tolist() == [9]
    assert sheet.report.runner_up == "phan_anh"


def test_a_staff_list_with_sub_headers_has_no_runner_up(tmp_path):
    grid = [["Họ và tên", "Chức vụ", "Xử lý", None], [None, None, "Thời điểm", "Người"], ["Nguyễn Văn An", "Chủ tịch", "x", "y"]]
    sheet = load(tmp_path, grid, "can-bo.csv")
    assert (sheet.report.dataset, sheet.report.runner_up) == ("can_bo", None)
    assert sheet.report.header_rows == [1, 2]


def test_a_row_holding_only_a_remark_under_the_header_is_no_sub_header(tmp_path):
    """A cell under `Ghi chú` alone (a remark, not a sub-header: `Ghi chú` has no group gap) does
    not join the header."""
    grid = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Ghi chú"], [None, None, None, "hồ sơ nộp bổ sung"],
            ["H001", "01/10/2026", "Đã trả kết quả", None]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 1]
    assert sheet.report.headers[3] == "Ghi chú"
    assert sheet.data["_row"].tolist() == [3]


def test_sub_headers_under_a_group_in_the_first_two_columns(tmp_path):
    """`Xử lý` over `Thời điểm | Người` at the sheet's left edge: the sub-header row is header."""
    grid = [["Xử lý", None, "Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"], ["Thời điểm", "Người", None, None, None],
            ["02/10/2026", "An", "H001", "01/10/2026", "Đã trả kết quả"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.headers[:2] == ["Xử lý › Thời điểm", "Xử lý › Người"]
    assert sheet.data["_row"].tolist() == [3]


def test_a_mapping_for_another_dataset_with_the_same_field_name_is_not_used(tmp_path):
    """`phan_anh.ngay_tiep_nhan` maps the complaints list's date: the dossier list's own
    `ngay_tiep_nhan` stays with its own header."""
    head = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày nộp bù", "Trạng thái"]
    sheet = load_mapped(tmp_path, [head, ["H001", "01/10/2026", "03/10/2026", "Đã trả kết quả"]],
                        {"phan_anh.ngay_tiep_nhan": "Ngày nộp bù"})
    assert sheet.report.dataset == "ho_so"
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp nhận"
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [1]


def test_of_two_datasets_equally_close_the_first_in_the_vocabulary_is_named(tmp_path):
    """`Độ mật` is a header of the outgoing documents register and of the work files list alike:
    the sheet is neither, and the one the vocabulary lists first is named as the closest."""
    loaded = load_file(_write(tmp_path, [["Độ mật", "Ghi chú"], ["Mật", "x"]]), require_dataset=False)
    report = loaded.sheets[0].report
    assert (report.dataset, report.runner_up, report.fields) == (None, "van_ban_di", {"do_mat": "Độ mật"})


def test_a_column_with_no_header_between_named_ones(tmp_path):
    """An unnamed column (a running number, a blank title) does not stop the columns right of it
    from being read."""
    grid = [["Mã hồ sơ", None, "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"],
            ["H001", "1", "01/10/2026", "Đã trả kết quả", "Trực tuyến"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.fields == {"ma_ho_so": "Mã hồ sơ", "ngay_tiep_nhan": "Ngày tiếp nhận",
                                   "hinh_thuc_nop": "Hình thức nộp", "trang_thai": "Trạng thái"}


def test_one_header_mapped_to_two_fields_feeds_the_first_listed(tmp_path):
    """`--map ngay_co_ket_qua="Ngày đến" --map ngay_tiep_nhan="Ngày đến"`: a column gives one
    field, the one the dataset lists first (the received date); the other stays missing."""
    grid = [["Mã hồ sơ", "Ngày đến", "Trạng thái"], ["H001", "01/10/2026", "Đã trả kết quả"]]
    sheet = load_mapped(tmp_path, grid, {"ngay_co_ket_qua": "Ngày đến", "ngay_tiep_nhan": "Ngày đến"})
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày đến"
    assert "ngay_co_ket_qua" not in sheet.report.fields


def test_two_key_fields_do_not_make_a_dossier_list(tmp_path):
    """`Mã hồ sơ`, `Ngày tiếp nhận` and `Lĩnh vực`: three fields, but the dossier list needs three
    of its key fields; the sheet is left out and the dossier list named as the closest."""
    grid = [["Mã hồ sơ", "Ngày tiếp nhận", "Lĩnh vực"], ["H001", "01/10/2026", "Hộ tịch"]]
    report = load_file(_write(tmp_path, grid), require_dataset=False).sheets[0].report
    assert (report.dataset, report.runner_up) == (None, "ho_so")
    assert report.fields == {"ma_ho_so": "Mã hồ sơ", "ngay_tiep_nhan": "Ngày tiếp nhận", "linh_vuc": "Lĩnh vực"}


def test_progress_words_under_a_second_deadline_header_are_the_progress(tmp_path):
    """OpenCPS: `Ngày hẹn trả` and `Hạn xử lý` both name the deadline; the second holds `Sớm hạn`,
    `Đúng hạn` …, so it is read as the progress field, the dates as the deadline."""
    grid = [["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Hạn xử lý", "Trạng thái"],
            *[[f"H00{i}", "01/10/2026", "05/10/2026", word, "Đã trả kết quả"]
              for i, word in enumerate(["Sớm hạn", "Đúng hạn", "Đúng hạn", "Quá hạn"], 1)]]
    sheet = load(tmp_path, grid)
    assert sheet.report.fields["ngay_hen_tra"] == "Ngày hẹn trả"
    assert sheet.report.fields["tien_do"] == "Hạn xử lý"
    assert sheet.data["ngay_hen_tra"].dt.day.tolist() == [5, 5, 5, 5]


def test_of_two_datasets_with_as_many_fields_the_one_with_more_key_fields_wins(tmp_path):
    """A procedure catalogue that also shows a sample dossier's code and date: six fields of the
    catalogue (five of them its key fields) and six of the dossier list (three key fields) — the
    catalogue wins although the dossier list comes first in the vocabulary."""
    head = ["Mã thủ tục", "Tên thủ tục", "Mức độ DVC", "Đủ điều kiện toàn trình", "Liên quan doanh nghiệp",
            "Mã hồ sơ", "Ngày tiếp nhận", "Thời hạn giải quyết theo quy định"]
    sheet = load(tmp_path, [head, ["1.001", "Đăng ký khai sinh", "Toàn trình", "Có", "Không", "H001", "01/10/2026", "5"]],
                 "thu-tuc.csv")
    assert (sheet.report.dataset, sheet.report.runner_up) == ("thu_tuc", "ho_so")
    assert sheet.report.unmatched_headers == ["Mã hồ sơ", "Ngày tiếp nhận"]


# --- a field header merged over sub-headers that name nothing (`Ngày tiếp nhận` over `Lần 1 | Lần 2`)

LAN_HEAD = [["STT", "Mã hồ sơ", "Tên thủ tục", "Ngày tiếp nhận", None, "Trạng thái", "Hình thức nộp"],
            [None, None, None, "Lần 1", "Lần 2", None, None]]


def lan_record(k: int, first: str | None, second: str | None) -> list[str | None]:
    return [str(k), f"H{k:03d}", "Đăng ký khai sinh", first, second, "Đã trả kết quả", "Trực tuyến"]


def _lan_workbook(tmp_path, merged: bool):
    """The report layout (banners, numbering row, total, signature) with `Ngày tiếp nhận` written
    over `Lần 1 | Lần 2`: merged across both columns, or only in the first (left unmerged)."""
    import datetime as dt

    import openpyxl
    import pandas as pd
    from dxcheck_synth.report import ReportSheet, write_workbook

    frame = pd.DataFrame({
        "Mã hồ sơ": ["H001", "H002", "H003"],
        "Tên thủ tục": ["Đăng ký khai sinh"] * 3,
        "Ngày tiếp nhận › Lần 1": [dt.datetime(2026, 10, d) for d in (1, 2, 3)],
        "Ngày tiếp nhận › Lần 2": [None, dt.datetime(2026, 10, 6), None],
        "Trạng thái": ["Đã trả kết quả"] * 3,
        "Hình thức nộp": ["Trực tuyến"] * 3,
    })
    path = tmp_path / "ho-so.xlsx"
    write_workbook(path, [ReportSheet("Hồ sơ", frame)])
    if not merged:
        book = openpyxl.load_workbook(path)
        sheet = book.active
        for cells in list(sheet.merged_cells.ranges):
            sheet.unmerge_cells(str(cells))
        book.save(path)
    return path


@pytest.mark.parametrize("layout", ["xlsx merged", "xlsx unmerged", "csv"])
def test_sub_headers_naming_nothing_under_a_field_header_are_no_record(tmp_path, layout):
    """The row `Lần 1 | Lần 2` under `Ngày tiếp nhận` is part of the header, never a dossier with
    no id and no date (it was counted as one more in-person dossier); the date is read from the
    first column, and the user is told that the header does not say which of the two is meant."""
    if layout == "csv":
        path = _write(tmp_path, [*LAN_HEAD, lan_record(1, "01/10/2026", None),
                                 lan_record(2, "02/10/2026", "06/10/2026"), lan_record(3, "03/10/2026", None)])
        first_record = 3
    else:
        path = _lan_workbook(tmp_path, merged=layout == "xlsx merged")
        first_record = 10  # six banner rows and a blank, two header rows, the numbering row
    loaded = load_file(path)
    sheet = loaded.sheets[0]
    assert sheet.report.header_rows == [first_record - 2 - (layout != "csv"), first_record - 1 - (layout != "csv")]
    assert sheet.report.rows_used == 3
    assert sheet.data["_row"].tolist() == [first_record, first_record + 1, first_record + 2]
    assert sheet.data["ma_ho_so"].tolist() == ["H001", "H002", "H003"]
    assert sheet.data["hinh_thuc_nop"].tolist() == ["truc_tuyen"] * 3
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp nhận › Lần 1"
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [1, 2, 3]
    assert "Ngày tiếp nhận › Lần 2" in sheet.report.unmatched_headers
    [warning] = [w for w in loaded.warnings if w.code == "load.group_columns_ambiguous"]
    assert (warning.field, warning.params["chosen"], warning.params["typed"]) == (
        "ngay_tiep_nhan", "Ngày tiếp nhận › Lần 1", "Ngày tiếp nhận > Lần 2")
    assert warning.params["columns"] == "“Ngày tiếp nhận › Lần 1”, “Ngày tiếp nhận › Lần 2”"


@pytest.mark.parametrize(("first", "second", "read_from"), [
    ("01/10/2026", None, "Ngày tiếp nhận › Lần 1"),
    (None, "01/10/2026", "Ngày tiếp nhận › Lần 2"),
])
def test_of_the_columns_under_a_field_header_the_one_holding_dates_is_read(tmp_path, first, second, read_from):
    """Only one of `Lần 1 | Lần 2` holds dates in this export: the data settles which column is
    the date, and nothing is left to warn about."""
    loaded = load_file(_write(tmp_path, [*LAN_HEAD, lan_record(1, first, second), lan_record(2, first, second)]))
    sheet = loaded.sheets[0]
    assert sheet.report.fields["ngay_tiep_nhan"] == read_from
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [1, 1]
    assert sheet.report.rows_used == 2
    assert not [w for w in loaded.warnings if w.code == "load.group_columns_ambiguous"]


def test_a_time_column_under_the_date_header_does_not_make_it_ambiguous(tmp_path):
    """`Ngày tiếp nhận` over `Ngày | Giờ`: the times are no dates, so the date is the first column."""
    head = [LAN_HEAD[0], [None, None, None, "Ngày", "Giờ", None, None]]
    loaded = load_file(_write(tmp_path, [*head, lan_record(1, "01/10/2026", "08:30"), lan_record(2, "02/10/2026", "14:05")]))
    sheet = loaded.sheets[0]
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp nhận › Ngày"
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [1, 2]
    assert not [w for w in loaded.warnings if w.code == "load.group_columns_ambiguous"]


def test_sub_headers_the_vocabulary_knows_under_a_field_header_are_no_record(tmp_path):
    """`Trực tiếp | Trực tuyến` are words the vocabulary knows (as leaves of the statistics forms),
    but under `Ngày tiếp nhận` they name no field of the dossier list: the row is header, and which
    column is the date stays unsettled."""
    head = [LAN_HEAD[0], [None, None, None, "Trực tiếp", "Trực tuyến", None, None]]
    loaded = load_file(_write(tmp_path, [*head, lan_record(1, "01/10/2026", None), lan_record(2, None, "02/10/2026"),
                                         lan_record(3, "03/10/2026", None)]))
    sheet = loaded.sheets[0]
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.rows_used == 3
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp nhận › Trực tiếp"
    [warning] = [w for w in loaded.warnings if w.code == "load.group_columns_ambiguous"]
    assert warning.params["typed"] == "Ngày tiếp nhận > Trực tuyến"


def test_a_mapping_settles_which_column_under_a_field_header_is_read(tmp_path):
    grid = [*LAN_HEAD, lan_record(1, "01/10/2026", "04/10/2026"), lan_record(2, "02/10/2026", "05/10/2026")]
    path = _write(tmp_path, grid)
    loaded = load_file(path, LoadOptions(mapping={"ngay_tiep_nhan": "Ngày tiếp nhận > Lần 2"}))
    sheet = loaded.sheets[0]
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp nhận › Lần 2"
    assert sheet.data["ngay_tiep_nhan"].dt.day.tolist() == [4, 5]
    assert sheet.report.rows_used == 2
    assert not [w for w in loaded.warnings if w.code == "load.group_columns_ambiguous"]


@pytest.mark.parametrize("first", [["H001", None, "nộp bổ sung", "Đã trả kết quả", "Trực tuyến"],
                                   ["H001", "chưa rõ", "nộp bổ sung", None, None]])
def test_a_first_record_with_text_beside_a_field_header_is_no_sub_header(tmp_path, first):
    """A first record with a remark in the unnamed column right of `Ngày tiếp nhận` has the shape of
    a sub-header row, but its id under `Mã hồ sơ` names no field: it stays a record."""
    grid = [["Mã hồ sơ", "Ngày tiếp nhận", None, "Trạng thái", "Hình thức nộp"], first,
            ["H002", "02/10/2026", None, "Đã trả kết quả", "Trực tuyến"]]
    sheet = load(tmp_path, grid)
    assert sheet.report.header_rows == [1, 1]
    assert sheet.data["ma_ho_so"].tolist() == ["H001", "H002"]
    assert sheet.report.fields["ngay_tiep_nhan"] == "Ngày tiếp nhận"


def test_a_fee_header_over_an_amount_and_a_payer_reads_the_amount(tmp_path):
    """`Lệ phí` over `Mức thu | Người nộp`: only the amounts are numbers, so the fee is read from
    them and nothing is ambiguous; the sub-header row is header, not a record."""
    head = [["STT", "Mã hồ sơ", "Ngày tiếp nhận", "Lệ phí", None, "Trạng thái", "Hình thức nộp"],
            [None, None, None, "Mức thu", "Người nộp", None, None]]
    records = [["1", "H001", "01/10/2026", "50.000", "Nguyễn Văn An", "Đã trả kết quả", "Trực tuyến"],
               ["2", "H002", "02/10/2026", "30.000", "Lê Thị Bình", "Đã trả kết quả", "Trực tuyến"]]
    loaded = load_file(_write(tmp_path, [*head, *records]))
    sheet = loaded.sheets[0]
    assert sheet.report.header_rows == [1, 2]
    assert sheet.report.fields["le_phi"] == "Lệ phí › Mức thu"
    assert sheet.data["le_phi"].tolist() == [50000, 30000]
    assert not [w for w in loaded.warnings if w.code == "load.group_columns_ambiguous"]
