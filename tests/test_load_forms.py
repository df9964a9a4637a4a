"""Official forms read as they are printed: four header levels, combined and inclusive columns,
pages whose rows are units, and the register's two result dates (REFERENCE §3, §3.1, §3.2).

Each fixture is written in code (`dxcheck_synth.report`); every expected figure is worked out
in the test from the rows it writes, not taken from dxcheck.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import dxcheck
from dxcheck.load import load_file
from dxcheck.load.headers import ColumnHeader, rank_datasets
from dxcheck_synth.report import ReportSheet, write_workbook

D = dt.datetime
RECEIVED = "Số hồ sơ nhận giải quyết"
NEW = f"{RECEIVED} › Trong đó › Số mới tiếp nhận"
RESULT = "Kết quả giải quyết"
DONE = f"{RESULT} › Số hồ sơ đã giải quyết"
OPEN = f"{RESULT} › Số hồ sơ đang giải quyết"

# Biểu II.06a of Thông tư 01/2020/TT-VPCP as communes fill it: lĩnh vực rows, four header levels,
# in person and postal counted together, "Trả đúng thời hạn" including the early ones.
FIELDS = [
    # lĩnh vực, carried over, new online, new in person or postal, done on time (incl. early),
    # done late, open within the deadline, open late
    ("Hộ tịch", 3, 40, 12, 50, 1, 4, 0),
    ("Chứng thực", 0, 25, 30, 54, 0, 1, 0),
    ("Đất đai", 5, 6, 9, 12, 2, 5, 1),
]


def official_form() -> pd.DataFrame:
    rows = []
    for name, carried, online, offline, on_time, late, open_ok, open_late in FIELDS:
        rows.append({
            "Lĩnh vực, công việc giải quyết theo cấp": name,
            f"{RECEIVED} › Tổng số": carried + online + offline,
            f"{RECEIVED} › Trong đó › Số kỳ trước chuyển qua": carried,
            f"{NEW} › Trực tuyến": online,
            f"{NEW} › Trực tiếp, dịch vụ bưu chính": offline,
            f"{DONE} › Tổng số": on_time + late,
            f"{DONE} › Trả đúng thời hạn": on_time,
            f"{DONE} › Trả quá hạn": late,
            f"{OPEN} › Tổng số": open_ok + open_late,
            f"{OPEN} › Chưa đến hạn": open_ok,
            f"{OPEN} › Quá hạn": open_late,
        })
    return pd.DataFrame(rows)


def write(tmp_path, frame: pd.DataFrame, name: str = "bieu.xlsx", **options) -> str:
    path = tmp_path / name
    settings = {"title": "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "numbered_row": "paren"}
    settings.update(options)
    write_workbook(path, [ReportSheet(name="II.06a", frame=frame, **settings)])
    return str(path)


def test_four_level_official_form_is_read_without_a_map(tmp_path):
    loaded = load_file(write(tmp_path, official_form()))
    report = loaded.sheets[0].report
    assert report.dataset == "thong_ke"
    # the form's header takes rows 7-10 under the banners: the last of them is the header row
    assert report.header_row == 10
    assert report.fields["truc_tuyen"] == f"{NEW} › Trực tuyến"
    assert report.fields["truc_tiep_buu_chinh"] == f"{NEW} › Trực tiếp, dịch vụ bưu chính"
    assert report.fields["ky_truoc"] == f"{RECEIVED} › Trong đó › Số kỳ trước chuyển qua"
    assert report.fields["dung_truoc_han"] == f"{DONE} › Trả đúng thời hạn"
    assert report.fields["da_giai_quyet"] == f"{DONE} › Tổng số"
    assert report.fields["dang_giai_quyet"] == f"{OPEN} › Tổng số"
    assert report.fields["tiep_nhan"] == f"{RECEIVED} › Tổng số"
    # folded into the combined columns, not missing
    for name in ("truc_tiep", "buu_chinh", "truoc_han", "dung_han"):
        assert name not in report.missing_fields
    assert report.rows_used == len(FIELDS)
    assert report.rows_left_out["column_numbers"] == 1 and report.rows_left_out["total"] == 1
    assert report.rows_used + sum(report.rows_left_out.values()) == report.rows_total
    assert not loaded.warnings  # the form's own totals add up


def test_official_form_gives_on_time_and_online_exactly(tmp_path):
    result = dxcheck.evaluate([write(tmp_path, official_form())], rules=["hoang-son-2030"], period="2026-10",
                              timestamp=False)
    by_id = {item.id: item for item in result.results}
    on_time_top = sum(f[4] + f[6] for f in FIELDS)
    on_time_bottom = sum(f[4] + f[5] + f[6] + f[7] for f in FIELDS)
    on_time = by_id["hoang-son-2030/on-time"]
    assert on_time.measurement.dataset == "thong_ke"
    assert (on_time.numerator, on_time.denominator) == (on_time_top, on_time_bottom)
    online = by_id["hoang-son-2030/online-submission"]
    assert (online.numerator, online.denominator) == (sum(f[2] for f in FIELDS), sum(f[2] + f[3] for f in FIELDS))
    # a form cannot tell satisfaction: no figure is made up
    assert by_id["hoang-son-2030/satisfaction"].status == "no_data"


def test_inclusive_column_beside_a_separate_early_column_is_only_on_time(tmp_path):
    frame = pd.DataFrame({
        "Lĩnh vực": ["Hộ tịch", "Đất đai"],
        "Số hồ sơ đã giải quyết › Tổng số": [30, 12],
        "Số hồ sơ đã giải quyết › Trước hạn": [10, 2],
        "Số hồ sơ đã giải quyết › Trả đúng thời hạn": [19, 8],
        "Số hồ sơ đã giải quyết › Trả quá hạn": [1, 2],
        "Số hồ sơ đang giải quyết › Tổng số": [4, 3],
        "Số hồ sơ đang giải quyết › Chưa đến hạn": [4, 1],
        "Số hồ sơ đang giải quyết › Quá hạn": [0, 2],
    })
    loaded = load_file(write(tmp_path, frame))
    report = loaded.sheets[0].report
    assert report.fields["dung_han"] == "Số hồ sơ đã giải quyết › Trả đúng thời hạn"
    assert "dung_truoc_han" not in report.fields
    assert not loaded.warnings
    result = dxcheck.evaluate([loaded], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    on_time = next(item for item in result.results if item.id == "binh-minh-2030/on-time")
    assert (on_time.numerator, on_time.denominator) == (10 + 19 + 4 + 2 + 8 + 1, 30 + 4 + 12 + 3)


def test_totals_are_checked_only_where_every_part_is_filled(tmp_path):
    frame = official_form()
    frame.loc[0, f"{DONE} › Tổng số"] = 60  # 50 + 1 = 51: wrong
    frame.loc[1, f"{OPEN} › Chưa đến hạn"] = None  # a blank part: this row's open total is not checked
    frame.loc[1, f"{OPEN} › Tổng số"] = 7
    loaded = load_file(write(tmp_path, frame))
    warnings = [w for w in loaded.warnings if w.code == "load.totals_mismatch"]
    assert [w.field for w in warnings] == ["da_giai_quyet"]
    assert warnings[0].rows == [int(loaded.sheets[0].data["_row"].iloc[0])]


def test_a_leaf_shared_by_several_groups_is_not_matched_on_its_own():
    columns = [ColumnHeader(0, ["Lĩnh vực"]),
               ColumnHeader(1, ["Nhóm A", "Tổng số"]), ColumnHeader(2, ["Nhóm B", "Tổng số"]),
               ColumnHeader(3, ["Nhận và trả kết quả", "Ngày, tháng, năm nhận hồ sơ"])]
    # `Tổng số` alone would be nothing; the unique leaf of column 3 is a dossier's reception date
    ranking = {match.dataset: match for match in rank_datasets(columns, {})}
    assert 1 not in ranking["thong_ke"].fields.values() and 2 not in ranking["thong_ke"].fields.values()
    assert ranking["ho_so"].fields.get("ngay_tiep_nhan") == 3


# ---------------------------------------------------------------------------------------------
# a page whose rows are units (a province portal's statistics by commune)

UNITS = {
    # unit: (online, in person, postal, early, on time, late, open within, open late)
    "Xã Hoàng Sơn": (80, 15, 5, 40, 50, 2, 6, 0),
    "Xã Bình Minh": (30, 60, 0, 20, 55, 10, 4, 3),
    "Phường Bắc Sơn": (120, 10, 2, 90, 30, 1, 10, 0),
}


def unit_page() -> pd.DataFrame:
    rows = []
    for name, (online, offline, post, early, on_time, late, open_ok, open_late) in UNITS.items():
        rows.append({
            "Đơn vị": name,
            "Số hồ sơ nhận giải quyết › Tổng số": online + offline + post,
            "Số hồ sơ nhận giải quyết › Trực tuyến": online,
            "Số hồ sơ nhận giải quyết › Trực tiếp": offline,
            "Số hồ sơ nhận giải quyết › Bưu chính": post,
            "Số hồ sơ đã giải quyết › Tổng số": early + on_time + late,
            "Số hồ sơ đã giải quyết › Trước hạn": early,
            "Số hồ sơ đã giải quyết › Đúng hạn": on_time,
            "Số hồ sơ đã giải quyết › Quá hạn": late,
            "Số hồ sơ đang giải quyết › Tổng số": open_ok + open_late,
            "Số hồ sơ đang giải quyết › Trong hạn": open_ok,
            "Số hồ sơ đang giải quyết › Quá hạn": open_late,
        })
    frame = pd.DataFrame(rows)
    # portals put the whole area's row first
    whole = {column: frame[column].sum() for column in frame.columns if column != "Đơn vị"}
    return pd.concat([pd.DataFrame([{"Đơn vị": "Toàn huyện", **whole}]), frame], ignore_index=True)


def test_a_page_of_units_gives_one_result_per_unit_and_the_exact_roll_up(tmp_path):
    path = write(tmp_path, unit_page(), name="thong-ke-don-vi.xlsx", total_row=False,
                 title="THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO ĐƠN VỊ")
    result = dxcheck.evaluate([path], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    sheet = result.inputs[0].sheets[0]
    assert sheet.dataset == "thong_ke" and sheet.rows_used == len(UNITS)
    assert sheet.rows_left_out["total"] == 1  # `Toàn huyện` is no unit
    assert sorted(unit.name for unit in result.units) == sorted(UNITS)
    for unit in result.units:
        online, offline, post, early, on_time, late, open_ok, open_late = UNITS[unit.name]
        item = next(r for r in unit.results if r.id == "binh-minh-2030/on-time")
        assert (item.numerator, item.denominator) == (early + on_time + open_ok,
                                                      early + on_time + late + open_ok + open_late)
    rolled = next(r for r in result.results if r.id == "binh-minh-2030/online-dossiers")
    assert rolled.numerator == sum(u[0] for u in UNITS.values())
    assert rolled.denominator == sum(u[0] + u[1] + u[2] for u in UNITS.values())
    ranking = result.ranking["binh-minh-2030/online-dossiers"]
    assert [entry.unit for entry in ranking] == ["Phường Bắc Sơn", "Xã Hoàng Sơn", "Xã Bình Minh"]


# ---------------------------------------------------------------------------------------------
# the register of Thông tư 01/2018 (Mẫu số 06): the result date and the hand-over date

REG = "Nhận và trả kết quả"


def register(with_result_date: bool = True) -> pd.DataFrame:
    # received, deadline, result ready, handed over
    rows = [
        ("HS-01", D(2026, 10, 1, 8), D(2026, 10, 5), D(2026, 10, 5, 10), D(2026, 10, 20, 9)),  # collected late
        ("HS-02", D(2026, 10, 2, 9), D(2026, 10, 6), D(2026, 10, 6, 15), D(2026, 10, 6, 16)),
        ("HS-03", D(2026, 10, 5, 8), D(2026, 10, 7), D(2026, 10, 9, 8), D(2026, 10, 9, 10)),  # late
        ("HS-04", D(2026, 10, 6, 14), D(2026, 10, 9), D(2026, 10, 8, 11), D(2026, 10, 29, 8)),  # collected late
    ]
    frame = pd.DataFrame({
        "Mã hồ sơ": [r[0] for r in rows],
        "Tên thủ tục hành chính": ["Đăng ký khai sinh", "Chứng thực bản sao", "Đăng ký kết hôn", "Chứng thực chữ ký"],
        f"{REG} › Ngày, tháng, năm nhận hồ sơ": [r[1] for r in rows],
        f"{REG} › Ngày, tháng, năm hẹn trả kết quả": [r[2] for r in rows],
        f"{REG} › Ngày, tháng, năm nhận kết quả từ cơ quan giải quyết": [r[3] for r in rows],
        f"{REG} › Ngày, tháng, năm trả kết quả cho cá nhân, tổ chức": [r[4] for r in rows],
        "Ghi chú": [None] * len(rows),
    })
    if not with_result_date:
        frame = frame.drop(columns=[f"{REG} › Ngày, tháng, năm nhận kết quả từ cơ quan giải quyết"])
    return frame


def test_register_judges_on_time_on_the_result_date_not_the_hand_over(tmp_path):
    path = write(tmp_path, register(), name="so-theo-doi.xlsx", title="SỔ THEO DÕI HỒ SƠ", total_row=False)
    loaded = load_file(path)
    report = loaded.sheets[0].report
    assert report.dataset == "ho_so"
    assert report.fields["ngay_co_ket_qua"].endswith("nhận kết quả từ cơ quan giải quyết")
    assert report.fields["ngay_tra"].endswith("trả kết quả cho cá nhân, tổ chức")
    result = dxcheck.evaluate([loaded], rules=["hoang-son-2030"], period="2026-10", timestamp=False)
    on_time = next(item for item in result.results if item.id == "hoang-son-2030/on-time")
    # only HS-03 finished after its deadline; collecting late makes nobody late
    assert (on_time.numerator, on_time.denominator) == (3, 4)


def test_hand_over_date_alone_gives_no_data_that_says_why(tmp_path):
    path = write(tmp_path, register(with_result_date=False), name="so-theo-doi.xlsx", title="SỔ THEO DÕI HỒ SƠ",
                 total_row=False)
    result = dxcheck.evaluate([path], rules=["hoang-son-2030"], period="2026-10", timestamp=False, lang="en")
    on_time = next(item for item in result.results if item.id == "hoang-son-2030/on-time")
    assert on_time.status == "no_data" and on_time.value is None
    assert "handed to the citizen" in on_time.message and "--map ngay_co_ket_qua=" in on_time.message


@pytest.mark.parametrize("header", ["Ngày trả kết quả", "Ngày trả thực tế", "Ngày công dân nhận kết quả"])
def test_hand_over_headers_are_never_the_result_date(tmp_path, header):
    frame = register().rename(columns={f"{REG} › Ngày, tháng, năm trả kết quả cho cá nhân, tổ chức": header})
    report = load_file(write(tmp_path, frame, total_row=False)).sheets[0].report
    assert report.fields["ngay_tra"] == header
    assert report.fields["ngay_co_ket_qua"] != header


# ---------------------------------------------------------------------------------------------
# the outgoing-document register of Nghị định 30/2020 (Phụ lục IV): no `Độ mật` column


def test_decree_30_register_without_a_secrecy_column_is_measured(tmp_path):
    signed = ["Ký số", "Ký số", "Ký tay", "Ký số", "Ký số"]
    frame = pd.DataFrame({
        "Số, ký hiệu văn bản": ["101/UBND-VP", "102/QĐ-UBND", "103/TB-UBND", "104/BC-UBND", "105/KH-UBND"],
        "Ngày tháng văn bản": [D(2026, 10, 2), D(2026, 10, 6), D(2026, 10, 9), D(2026, 10, 30), D(2026, 11, 2)],
        "Tên loại và trích yếu nội dung văn bản": ["Công văn về …", "Quyết định …", "Thông báo …", "Báo cáo …",
                                                  "Kế hoạch …"],
        "Người ký": ["Nguyễn Văn An"] * 5,
        "Nơi nhận văn bản": ["UBND tỉnh"] * 5,
        "Đơn vị, người nhận bản lưu": ["VP"] * 5,
        "Số lượng bản": [3, 2, 4, 3, 2],
        "Hình thức ký": signed,
        "Ghi chú": [None] * 5,
    })
    path = write(tmp_path, frame, name="so-van-ban-di.xlsx", title="SỔ ĐĂNG KÝ VĂN BẢN ĐI", total_row=False)
    result = dxcheck.evaluate([path], rules=["hoang-son-2030"], period="2026-10", timestamp=False)
    assert result.inputs[0].sheets[0].dataset == "van_ban_di"
    signed_rule = next(item for item in result.results if item.id == "hoang-son-2030/outgoing-signed")
    # four issued in October, three of them signed digitally; no column says any is secret
    assert (signed_rule.numerator, signed_rule.denominator) == (3, 4)


def test_sub_headers_that_match_no_field_stay_in_the_header(tmp_path):
    # `Xử lý › Thời điểm | Người xử lý` names nothing dxcheck knows: the sub-header row is still
    # part of the header, not a row of data
    frame = pd.DataFrame({
        "Mã hồ sơ": ["H1", "H2"],
        "Tên thủ tục": ["Đăng ký khai sinh", "Chứng thực bản sao"],
        "Ngày tiếp nhận": [D(2026, 10, 1), D(2026, 10, 2)],
        "Ngày hẹn trả": [D(2026, 10, 3), D(2026, 10, 4)],
        "Xử lý › Thời điểm": ["sáng", "chiều"],
        "Xử lý › Người xử lý": ["Lan", "Hùng"],
    })
    report = load_file(write(tmp_path, frame, total_row=False)).sheets[0].report
    assert report.dataset == "ho_so"
    assert report.rows_used == 2 and "footer" not in report.rows_left_out
    assert "Xử lý › Thời điểm" in report.unmatched_headers


def _sheet(tmp_path, rows: list[list], merges: list[str] = ()) -> str:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for area in merges:
        sheet.merge_cells(area)
    path = tmp_path / "form.xlsx"
    workbook.save(path)
    return str(path)


def test_numbering_row_with_column_formulas_and_a_group_row_merged_across(tmp_path):
    header = ["STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết", None, None, None]
    sub = [None, None, "Tổng số", "Trực tuyến", "Trực tiếp", "Bưu chính"]
    path = _sheet(tmp_path, [
        ["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC"],
        header, sub,
        ["(1)", "(2)", "(3) = (4) + (5) + (6)", "(4)", "(5)", "(6)"],
        ["Xã, phường, thị trấn", None, None, None, None, None],
        [1, "Hộ tịch", 12, 8, 3, 1],
        [2, "Đất đai", 5, 1, 4, 0],
    ], merges=["C2:F2", "A2:A3", "B2:B3", "A5:F5"])
    loaded = load_file(path)
    report = loaded.sheets[0].report
    assert report.dataset == "thong_ke"
    assert report.rows_used == 2
    assert report.rows_left_out == {"column_numbers": 1, "group": 1}
    assert loaded.sheets[0].data["tiep_nhan"].tolist() == [12.0, 5.0]


def test_decision_766_payment_and_digitisation_pages_feed_their_rules(tmp_path):
    units = {  # unit: (fee-bearing, paid online, digitised at reception, not digitised, reusing data)
        "Xã Hoằng Đạt": (40, 38, 90, 10, 30),
        "Xã Hoằng Xuân": (25, 20, 50, 25, 5),
    }
    payment = pd.DataFrame({
        "Mã định danh": ["000.22.56.H56", "000.31.56.H56"],
        "Tên đơn vị": list(units),
        "Tổng HS có nghĩa vụ tài chính": [u[0] for u in units.values()],
        "Thanh toán trực tuyến trên Cổng DVC Quốc gia › Số HS đã TTTT cổng DVC QG": [u[1] for u in units.values()],
        "Thanh toán trực tuyến trên Cổng DVC Quốc gia › Tỷ lệ TTTT cổng DVC QG (%)":
            [f"{100 * u[1] / u[0]:.2f}".replace(".", ",") for u in units.values()],
    })
    digitisation = pd.DataFrame({
        "Đơn vị": list(units),
        "Tiếp nhận": [u[2] + u[3] for u in units.values()],
        "Số hóa hồ sơ TTHC khi tiếp nhận › Chưa số hóa TPHS": [u[3] for u in units.values()],
        "Số hóa hồ sơ TTHC khi tiếp nhận › Có số hóa TPHS": [u[2] for u in units.values()],
        "Số hóa hồ sơ TTHC khi tiếp nhận › Có tái sử dụng thành phần": [u[4] for u in units.values()],
    })
    paths = [write(tmp_path, payment, name="thanh-toan.xlsx", numbered_row=None, signature=False),
             write(tmp_path, digitisation, name="so-hoa.xlsx", numbered_row=None, signature=False)]
    result = dxcheck.evaluate(paths, rules=["binh-minh-2030", "hoang-son-2030"], period="2026-10",
                              timestamp=False, group_by="combine")
    assert [sheet.dataset for item in result.inputs for sheet in item.sheets] == ["thong_ke", "thong_ke"]
    by_id = {item.id: item for item in result.results}
    paid = by_id["binh-minh-2030/online-payment-transactions"]
    assert (paid.numerator, paid.denominator) == (38 + 20, 40 + 25)
    digitised = by_id["hoang-son-2030/digitized"]
    assert (digitised.numerator, digitised.denominator) == (90 + 50, 100 + 75)
    reuse = by_id["binh-minh-2030/data-reuse"]
    assert (reuse.numerator, reuse.denominator) == (35, 175)
    assert sorted(unit.name for unit in result.units) == sorted(units)


# ---------------------------------------------------------------------------------------------
# OpenCPS dossier lists: `Hạn xử lý` holds the system's progress words beside `Ngày hẹn trả`


def opencps_list(swap: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame({
        "Mã hồ sơ": ["000.00.21.H12-261001-0001", "000.00.21.H12-261002-0002", "000.00.21.H12-261003-0003",
                     "000.00.21.H12-261006-0004", "000.00.21.H12-261007-0005"],
        "Ngày tiếp nhận": ["01/10/2026 08:00:00", "02/10/2026 09:00:00", "03/10/2026 10:00:00",
                           "06/10/2026 08:30:00", "07/10/2026 14:00:00"],
        "Ngày hẹn trả": ["05/10/2026 17:00:00", "06/10/2026 17:00:00", "07/10/2026 17:00:00",
                         "05/11/2026 17:00:00", "09/10/2026 17:00:00"],
        "Ngày hoàn thành": ["04/10/2026 10:00:00", "06/10/2026 16:00:00", "09/10/2026 09:00:00", None, None],
        "Trực tuyến": ["true", "false", "true", "true", "false"],
        # a verdict where finished (the system judged HS-3 on time against an extended deadline);
        # open ones are relative to the moment of the export
        "Hạn xử lý": ["Sớm hạn", "Đúng hạn", "Đúng hạn", "Còn 2.5 ngày", "Quá 3.0 ngày"],
    })
    if swap:
        frame = frame[["Mã hồ sơ", "Ngày tiếp nhận", "Hạn xử lý", "Ngày hẹn trả", "Ngày hoàn thành", "Trực tuyến"]]
    return frame


@pytest.mark.parametrize("swap", [False, True], ids=["deadline-first", "progress-first"])
def test_opencps_progress_words_under_a_deadline_header(tmp_path, swap):
    loaded = load_file(write(tmp_path, opencps_list(swap), title="DANH SÁCH HỒ SƠ", total_row=False))
    report = loaded.sheets[0].report
    assert report.fields["tien_do"] == "Hạn xử lý" and report.fields["ngay_hen_tra"] == "Ngày hẹn trả"
    # a bare `Trực tuyến` header is not taken for the channel: it is the channel's commonest value,
    # and a row of records holding it would pass for a header
    assert "hinh_thuc_nop" not in report.fields
    assert not [w for w in loaded.warnings if w.code in ("load.unknown_values", "load.unreadable_date")]
    result = dxcheck.evaluate([loaded], rules=["hoang-son-2030"], period="2026-10", timestamp=False)
    by_id = {item.id: item for item in result.results}
    # the three verdicts decide; of the open ones, HS-4 is within its deadline at the end of
    # October and HS-5 is past it
    assert (by_id["hoang-son-2030/on-time"].numerator, by_id["hoang-son-2030/on-time"].denominator) == (4, 5)
    assert by_id["hoang-son-2030/online-submission"].status == "no_data"


def test_a_note_in_parentheses_on_a_deep_leaf_still_matches():
    columns = [ColumnHeader(0, ["Lĩnh vực"]),
               ColumnHeader(1, ["Kết quả giải quyết", "Số hồ sơ đã giải quyết", "Tổng số"]),
               ColumnHeader(2, ["Kết quả giải quyết", "Số hồ sơ đã giải quyết", "Đúng hạn (kể cả chờ bổ sung)"]),
               ColumnHeader(3, ["Kết quả giải quyết", "Số hồ sơ đã giải quyết", "Quá hạn"]),
               ColumnHeader(4, ["Kết quả giải quyết", "Số hồ sơ đang giải quyết", "Tổng số"])]
    thong_ke = {match.dataset: match for match in rank_datasets(columns, {})}["thong_ke"]
    assert thong_ke.fields.get("dung_han") == 2
