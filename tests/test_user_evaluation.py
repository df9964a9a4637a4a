"""What a user reads in an evaluation: a rule's status (pass, fail, no data), its percentage as
shown, its numerator and denominator, the shortfall, the failing records listed, the records
whose place the data cannot settle, the reason a rule has no data, and the lookup of a dossier's
procedure in the catalogue."""

from __future__ import annotations

from datetime import datetime

import pytest
from test_definitions_catalogue import (
    P1,
    P2,
    catalogue,
    full_online_dossiers,
    run,
    sheet,
)
from test_definitions_catalogue import dossier as procedure_dossier
from user_kit import dossier, evaluate, loaded, rule, write_pack

from dxcheck.messages import set_language
from dxcheck.packs.loader import load_packs

OCTOBER = datetime(2026, 10, 10, 9)


def share_file(online: int, total: int, path: str = "data.xlsx"):
    return loaded([dossier(k, OCTOBER, online=k < online) for k in range(total)], path=path)


def report_file(received: float, online: float, path: str = "report.xlsx"):
    """A statistics report of one row: dossiers received, of which online."""
    return loaded([{"linh_vuc": "Tư pháp", "tiep_nhan": received, "truc_tuyen": online, "truc_tiep": 0.0,
                    "da_giai_quyet": 0.0}], dataset="thong_ke", path=path)


# --- the figure shown and the shortfall ------------------------------------------------------


def test_a_failing_share_just_below_the_target_is_never_shown_as_the_target(tmp_path):
    """9,899.6 of 10,000 cannot be: 98,996 of 100,000 against `>= 99` fails and shows 98.996."""
    result = evaluate(write_pack(tmp_path, ">=", "99"), [share_file(98996, 100000)], period="2026-10")
    item = rule(result, "online")
    assert item.status == "fail"
    assert item.display_value == "98.996"
    assert (item.numerator, item.denominator, item.shortfall) == (98996, 100000, 4)


# (op, limit, online of 1,000,000,000 in a report, status, shown): shares that six decimals
# cannot tell from the limit are cut toward the side of their status, never rounded onto it
FINE = [
    (">=", "100", 999_999_999, "fail", "99.999999"),
    (">", "50", 500_000_001, "pass", "50.000001"),
    ("<=", "50", 500_000_001, "fail", "50.000001"),
    ("<", "50", 499_999_999, "pass", "49.999999"),
    # 98.9999986%: six decimals do tell it from 99 once rounded (98.999999), not cut
    (">=", "99", 989_999_986, "fail", "98.999999"),
]


@pytest.mark.parametrize("op,limit,online,status,shown", FINE)
def test_a_share_closer_to_its_limit_than_six_decimals_shows_its_side(tmp_path, op, limit, online, status, shown):
    result = evaluate(write_pack(tmp_path, op, limit), [report_file(1e9, float(online))], period="2026-10")
    item = rule(result, "online-report")
    assert (item.status, item.display_value) == (status, shown)
    assert (item.numerator, item.denominator) == (online, 1e9)


@pytest.mark.parametrize("op,limit,online,status,needed,message", [
    ("<", "2.71", 271, "fail", None, "result.fail_over_ceiling"),
    ("<=", "2.71", 272, "fail", None, "result.fail_over_ceiling"),
    ("<=", "2.71", 271, "pass", 0, None),
    ("==", "12.34", 1234, "pass", 0, None),
    ("==", "12.34", 1235, "fail", None, "result.fail_not_exactly"),
    (">=", "97.29", 9728, "fail", 1, "result.fail_shortfall"),
    (">", "100", 10000, "fail", None, "result.fail_unreachable"),
])
def test_shortfall_only_counts_records_that_could_still_turn_compliant(tmp_path, op, limit, online, status, needed,
                                                                      message):
    """An upper bound or exact target is not reached by more compliant records: no count is
    promised (`None`), and a passing rule needs none (0)."""
    result = evaluate(write_pack(tmp_path, op, limit), [share_file(online, 10000)], period="2026-10")
    item = rule(result, "online")
    assert (item.status, item.shortfall, item.message_code) == (status, needed, message)
    if needed:
        assert item.message_params == {"shortfall": needed, "row_of": "ho_so"}


@pytest.mark.parametrize("op,limit,online,excess", [
    ("<=", "1", 150, 50),     # 1% of 10,000 allows 100: 50 fewer would have met it
    ("<=", "1", 101, 1),
    ("<", "1", 100, 1),       # exactly 1% is not under 1%: one fewer
    ("<", "1.005", 150, 50),  # under 100.5 allows 100
    ("<=", "1.005", 150, 50),  # up to 100.5 allows 100 too
    ("<=", "0", 3, 3),        # none allowed: every counted one is too many
])
def test_a_failing_ceiling_says_how_many_fewer_would_have_met_it(tmp_path, op, limit, online, excess):
    """A ceiling (`<`, `<=`) is always met by fewer counted records: it is never "out of reach"."""
    result = evaluate(write_pack(tmp_path, op, limit), [share_file(online, 10000)], period="2026-10")
    item = rule(result, "online")
    assert (item.status, item.shortfall, item.message_code) == ("fail", None, "result.fail_over_ceiling")
    assert item.message_params == {"excess": excess, "row_of": "ho_so"}


@pytest.mark.parametrize("received,online,shown", [(10.0, 1.5, "15.00"), (10.5, 2.0, "19.05")])
def test_a_ceiling_over_fractions_of_a_dossier_names_the_value_and_one_below_zero_is_out_of_reach(
        tmp_path, received, online, shown):
    report = rule(evaluate(write_pack(tmp_path, "<=", "10"), [report_file(received, online)], period="2026-10"),
                  "online-report")
    assert (report.status, report.shortfall, report.message_code) == ("fail", None, "result.fail_above_ceiling")
    assert report.message == f"giá trị {shown} vượt mức chỉ tiêu cho phép (<= 10)"
    # under 0% is met by no number of records: that one truly cannot be reached
    below_zero = rule(evaluate(write_pack(tmp_path, "<", "0"), [share_file(0, 10)], period="2026-10"), "online")
    assert (below_zero.status, below_zero.message_code) == ("fail", "result.fail_unreachable")


@pytest.mark.parametrize("limit,online,total,needed", [
    ("12.34", 1235, 10000, 1234),   # one fewer: exactly 12.34%
    ("12.5", 3, 16, 2),             # 2 of 16 is 12.5%
    ("0", 1, 10, 0),                # none at all
    ("100", 9, 10, 10),             # every one
])
def test_a_failing_exact_target_says_how_many_would_meet_it(tmp_path, limit, online, total, needed):
    """`==` is met by exactly one count when some whole count gives the share: the result says which."""
    item = rule(evaluate(write_pack(tmp_path, "==", limit), [share_file(online, total)], period="2026-10"), "online")
    assert (item.status, item.shortfall, item.message_code) == ("fail", None, "result.fail_not_exactly")
    assert item.message_params == {"needed": needed, "count": online, "row_of": "ho_so"}
    assert item.message == f"chỉ tiêu chỉ đạt khi đúng {needed} hồ sơ được tính vào tỷ lệ (hiện có {online})"


def test_a_reports_whole_counts_get_the_same_wording_as_records(tmp_path):
    """A statistics report of whole numbers is worded like a list of records: the one count an
    exact target needs, and a target above 100% that no count reaches."""
    exact = rule(evaluate(write_pack(tmp_path, "==", "50"), [report_file(10.0, 6.0)], period="2026-10"),
                 "online-report")
    assert (exact.status, exact.message_code, exact.message_params) == (
        "fail", "result.fail_not_exactly", {"needed": 5, "count": 6, "row_of": "thong_ke"})
    beyond = rule(evaluate(write_pack(tmp_path, ">", "100"), [report_file(10.0, 10.0)], period="2026-10"),
                  "online-report")
    assert (beyond.status, beyond.shortfall, beyond.message_code) == ("fail", None, "result.fail_unreachable")


def test_an_exact_target_no_whole_count_gives_is_out_of_reach(tmp_path):
    """12.34% of 101 records is 12.4634 records: no count meets it, and the result says so."""
    item = rule(evaluate(write_pack(tmp_path, "==", "12.34"), [share_file(12, 101)], period="2026-10"), "online")
    assert (item.status, item.message_code) == ("fail", "result.fail_unreachable")
    assert item.message == "không thể đạt chỉ tiêu với tập bản ghi này"


def test_a_failing_ceiling_is_worded_as_fewer_records_and_a_floor_keeps_its_wording(tmp_path):
    ceiling = rule(evaluate(write_pack(tmp_path, "<=", "1"), [share_file(150, 10000)], period="2026-10"), "online")
    floor = rule(evaluate(write_pack(tmp_path, ">=", "99"), [share_file(9850, 10000)], period="2026-10"), "online")
    assert ceiling.message == ("vượt mức tối đa 50 hồ sơ: nếu số hồ sơ được tính vào tỷ lệ ít đi 50 (trong cùng "
                               "phạm vi tính) thì đã đạt chỉ tiêu")
    assert floor.message == "cần thêm 50 hồ sơ đạt yêu cầu để đạt chỉ tiêu"
    set_language("en")
    try:
        assert ceiling.message == ("over the ceiling by 50 dossier(s): 50 fewer counted in the share (in the same "
                                   "population) would have met the target")
        assert floor.message == "50 more compliant dossier(s) needed to reach the target"
    finally:
        set_language("vi")
    assert "cannot be reached" not in ceiling.message and "không thể đạt" not in ceiling.message


# --- records whose place the data cannot settle (REFERENCE §4) ---------------------------------

FULL_ONLINE = "hoang-son-2030/full-online-processing"
STRANGE = {"ma_thu_tuc": "9.999", "ten_thu_tuc": "Thủ tục lạ"}


@pytest.fixture(scope="module")
def packs():
    return load_packs(None)


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("vi")


def test_bounds_that_disagree_name_what_would_settle_them(packs, english):
    records = full_online_dossiers(level_on_row=False) + [procedure_dossier(80, STRANGE, "truc_tiep")]
    thu_tuc = catalogue([{**P1, "muc_do_dvc": "toan_trinh"}, {**P2, "muc_do_dvc": "mot_phan"}])
    results, warnings = run(packs, sheet(records, "ho_so", "ho-so.xlsx"), thu_tuc)
    result = results[FULL_ONLINE]
    assert result.message == (
        "no verdict: 1 dossiers of unknown place in the population (they lack “Mức độ DVC” (ho_so) / "
        "“Mức độ DVC” (thu_tuc)); without them 98.00%, with all of them 96.08%, and the two bounds disagree. "
        "Give the procedure catalogue (thu_tuc) with those columns, or export the dossier list with that column")
    assert result.details == {"without_unknown": "98.00%", "with_unknown": "96.08%"}
    unknown = [w for w in warnings if w.code == "result.unknown_rows"]
    assert [(w.path, w.sheet, w.rows, w.params) for w in unknown] == [
        ("ho-so.xlsx", "Sheet1", [88], {"rule": FULL_ONLINE, "count": 1, "what": "muc_do_dvc, thu_tuc.muc_do_dvc"})]


def test_bounds_that_both_fail_stand_at_the_one_nearer_the_target(packs):
    """40 of 50 online (80.00%); one more online dossier of unknown level: 41 of 51 (80.39%)."""
    records = [procedure_dossier(k, P1, "truc_tuyen" if k < 40 else "truc_tiep") for k in range(50)]
    records.append(procedure_dossier(50, STRANGE, "truc_tuyen"))
    results, _ = run(packs, sheet(records, "ho_so", "ho-so.xlsx"), catalogue([{**P1, "muc_do_dvc": "toan_trinh"}]))
    result = results[FULL_ONLINE]
    assert (result.status, result.numerator, result.denominator, result.display_value) == ("fail", 41, 51, "80.39")
    assert [remark.params["without"] for remark in result.remarks if remark.code == "result.bounds_agree"] == ["80.00%"]


def test_a_bound_with_an_empty_population_shows_a_dash_not_a_percentage(packs):
    # no level anywhere: without the 80 unknown dossiers nothing is left; with them 49 of 80
    results, _ = run(packs, sheet(full_online_dossiers(level_on_row=False), "ho_so", "ho-so.xlsx"))
    params = results[FULL_ONLINE].message_params
    assert (params["without"], params["with"], params["count"]) == ("—", "61.25%", 80)


OWN_PACK = """\
id: own
title: {vi: "Bộ tự soạn", en: "Own pack"}
plan: {issuer: Xã Thử, document: KẾ HOẠCH thử, seed: plan.txt}
rules:
  - id: level-unknown
    title: {vi: "Hồ sơ toàn trình nộp trực tuyến", en: "Fully online dossiers submitted online"}
    source: {section: "1", quote: "Tỷ lệ hồ sơ nộp trực tuyến"}
    target: {op: ">=", value: 90}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: 'received and muc_do_dvc == "toan_trinh"'
        unknown: 'received and muc_do_dvc is blank'
        optional: [muc_do_dvc]
        condition: 'hinh_thuc_nop == "truc_tuyen"'
  - id: declared-only
    title: {vi: "Người dân dùng ví điện tử", en: "Residents using an e-wallet"}
    source: {section: "2", quote: "Tỷ lệ hồ sơ trực tuyến theo báo cáo"}
    target: {op: ">=", value: 50}
    deadline: 2030
    measurements:
      - kind: declared
"""


def own_pack(folder):
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "sources" / "plan.txt").write_text(
        "Tỷ lệ hồ sơ nộp trực tuyến. Tỷ lệ hồ sơ trực tuyến theo báo cáo.", encoding="utf-8")
    path = folder / "own.yaml"
    path.write_text(OWN_PACK, encoding="utf-8")
    return path


def test_unknown_records_of_an_own_pack_without_settling_fields_say_so_with_a_dash(tmp_path, english):
    records = [dossier(k, OCTOBER, online=k < 9) for k in range(10)]
    for k, record in enumerate(records):
        record["muc_do_dvc"] = "toan_trinh" if k < 5 else None
    result = evaluate(own_pack(tmp_path), [loaded(records)], period="2026-10")
    item = rule(result, "level-unknown")
    # without them 5/5 = 100%, with them 9/10 = 90%: both pass, the nearer bound stands
    assert (item.status, item.numerator, item.denominator) == ("pass", 9, 10)
    assert [remark.params["what"] for remark in item.remarks if remark.code == "result.bounds_agree"] == ["—"]
    unknown = [w for w in item.rule_warnings if w.code == "result.unknown_rows"]
    assert [(w.rows, w.params["what"], w.params["count"]) for w in unknown] == [([13, 14, 15, 16, 17], "—", 5)]


# --- why a rule has no data ---------------------------------------------------------------------


def test_a_declared_value_with_no_row_names_the_rule_and_its_title(tmp_path, english):
    result = evaluate(own_pack(tmp_path), [loaded([dossier(0, OCTOBER)])], period="2026-10")
    item = rule(result, "declared-only")
    assert item.status == "no_data"
    assert item.message == (
        "no data: the data given — Administrative-procedure dossiers (ho_so) — has no column for this target. "
        "It is measured from a value declared in the indicators sheet (chi_tieu): a row “declared-only” or "
        "“Người dân dùng ví điện tử” with its value.")


def test_no_data_names_the_missing_columns_and_a_column_that_looks_like_one(packs, english):
    record = {"ma_ho_so": "A", "ngay_tiep_nhan": datetime(2026, 10, 2), "trang_thai": "dang_xu_ly",
              "ngay_tra": datetime(2026, 10, 3)}
    loaded_sheet = sheet([record], "ho_so", "h.xlsx")
    loaded_sheet.sheets[0].report.unmatched_headers = ["Hình thức nộp HS", "Ngày hẹn trả KQ", "Lĩnh vực TTHC"]
    results, _ = run(packs, loaded_sheet)
    online = results["binh-minh-2030/online-dossiers"].message
    assert online.startswith(
        "no data: the Administrative-procedure dossiers (ho_so) given has no column for hinh_thuc_nop "
        "(Hình thức nộp / Kênh nộp / Hình thức tiếp nhận). Its column “Hình thức nộp HS” (h.xlsx › Sheet1) looks "
        "like hinh_thuc_nop: if it is, add --map hinh_thuc_nop=\"Hình thức nộp HS\". It can also be measured from "
        "Statistics report on dossier handling (thong_ke) with the columns truc_tuyen (Số hồ sơ nhận giải quyết › "
        "Trực tuyến / Số mới tiếp nhận trực tuyến / Số mới tiếp nhận › Trực tuyến); truc_tiep (")
    on_time = results["binh-minh-2030/on-time"].message
    assert on_time.startswith("no data: the ho_so sheet has only the date the result was handed to the citizen")
    # each sentence ends with a full stop, and the next one starts with a capital
    assert "map it: --map ngay_co_ket_qua=HEADER. The Administrative-procedure dossiers (ho_so) given has no " \
           "column for ngay_hen_tra" in on_time
    # the hand-over date is explained once, not listed again as a missing result date
    assert "has no column for ngay_hen_tra (Ngày hẹn trả / Hạn xử lý / Hạn giải quyết). Its column “Ngày hẹn trả KQ”" \
        in on_time
    assert "no column for ngay_hen_tra (Ngày hẹn trả / Hạn xử lý / Hạn giải quyết);" not in on_time


def test_no_data_from_an_unrelated_export_lists_every_way_to_measure(packs, english):
    results, _ = run(packs, sheet([{"ho_ten": "X"}], "can_bo", "cb.xlsx"))
    assert results["binh-minh-2030/online-dossiers"].message.startswith(
        "no data: the data given — Staff list (can_bo) — has no column for this target. It is measured from "
        "Administrative-procedure dossiers (ho_so) with the columns ngay_tiep_nhan (Ngày tiếp nhận / Ngày nhận / "
        "Thời gian tiếp nhận); hinh_thuc_nop (Hình thức nộp / Kênh nộp / Hình thức tiếp nhận) or from Statistics "
        "report on dossier handling (thong_ke) with the columns truc_tuyen (")
    assert results["binh-minh-2030/satisfaction"].message.startswith(
        "no data: the data given — Staff list (can_bo) — has no column for this target. It is measured from a "
        "value declared in the indicators sheet (chi_tieu): a row “satisfaction” or “Mức độ hài lòng” with its "
        "value or from Administrative-procedure dossiers (ho_so)")


def test_a_map_hint_qualifies_a_field_that_several_exports_share(packs, english):
    record = {"ma_ho_so": "A", "ngay_co_ket_qua": datetime(2026, 10, 2), "trang_thai": "da_tra_ket_qua"}
    loaded_sheet = sheet([record], "ho_so", "h.xlsx")
    loaded_sheet.sheets[0].report.unmatched_headers = ["Ngày tiếp nhận HS"]
    results, _ = run(packs, loaded_sheet)
    # ngay_tiep_nhan is a field of the petitions too: --map must say which one
    assert ("Its column “Ngày tiếp nhận HS” (h.xlsx › Sheet1) looks like ngay_tiep_nhan: if it is, add "
            "--map ho_so.ngay_tiep_nhan=\"Ngày tiếp nhận HS\".") in results["binh-minh-2030/online-dossiers"].message


def test_no_data_from_two_unrelated_exports_names_both(packs, english):
    results, _ = run(packs, sheet([{"ho_ten": "X"}], "can_bo", "cb.xlsx"), sheet([{"ma": "X"}], "phan_anh", "pa.xlsx"))
    assert results["binh-minh-2030/online-dossiers"].message.startswith(
        "no data: the data given — Staff list (can_bo), Citizen feedback and petitions (phan_anh) — has no column "
        "for this target.")


def test_no_data_in_vietnamese_names_the_dataset_in_vietnamese(packs):
    set_language("vi")
    results, _ = run(packs, sheet([{"ho_ten": "X"}], "can_bo", "cb.xlsx"))
    message = results["binh-minh-2030/online-dossiers"].message
    assert "Danh sách cán bộ" in message and "Staff list" not in message


def test_the_hand_over_date_sentence_in_vietnamese_ends_before_the_next_begins(packs):
    set_language("vi")
    record = {"ma_ho_so": "A", "ngay_tiep_nhan": datetime(2026, 10, 2), "trang_thai": "dang_xu_ly",
              "ngay_tra": datetime(2026, 10, 3)}
    results, _ = run(packs, sheet([record], "ho_so", "h.xlsx"))
    on_time = results["binh-minh-2030/on-time"].message
    assert on_time.startswith("không có dữ liệu: bảng ho_so chỉ có ngày trả kết quả cho công dân (ngay_tra)")
    assert "hãy chỉ định: --map ngay_co_ket_qua=TIÊU_ĐỀ. Bảng Hồ sơ thủ tục hành chính (ho_so) đã đưa vào " \
           "không có cột ngay_hen_tra" in on_time


# --- a dossier's procedure looked up in the catalogue --------------------------------------------

LEVELS = [{**P1, "muc_do_dvc": "toan_trinh"}, {**P2, "muc_do_dvc": "mot_phan"}]


def full_online(packs, records, *catalogues):
    results, warnings = run(packs, *catalogues, sheet(records, "ho_so", "ho-so.xlsx"))
    return results[FULL_ONLINE], [w for w in warnings if w.code == "join.unmatched"]


def test_a_code_written_with_spaces_and_another_case_finds_its_procedure_whatever_the_name(packs):
    """Found by code although the name on the dossier is misspelt: the catalogue is given first."""
    records = [procedure_dossier(k, {"ma_thu_tuc": " 1.001193.000.00.00.h12", "ten_thu_tuc": "Đăng kí khai sinh"},
                                 "truc_tuyen" if k < 3 else "truc_tiep") for k in range(4)]
    records[0]["ma_thu_tuc"] = "1.001193 .000.00.00.H12"
    # a procedure of the catalogue without a code is still listed (found by name only)
    without_code = {"ma_thu_tuc": None, "ten_thu_tuc": "Thủ tục chưa có mã", "muc_do_dvc": "mot_phan"}
    result, unmatched = full_online(packs, records, catalogue([without_code, *LEVELS]))
    assert (result.status, result.numerator, result.denominator) == ("fail", 3, 4)
    assert unmatched == []


def test_the_first_catalogue_row_of_a_procedure_listed_twice_is_used(packs):
    records = [procedure_dossier(k, P2, "truc_tuyen") for k in range(2)]
    result, _ = full_online(packs, records, catalogue([{**P2, "muc_do_dvc": "toan_trinh"}, *LEVELS]))
    assert (result.status, result.numerator, result.denominator) == ("pass", 2, 2)


def test_dossiers_without_a_code_column_are_found_by_name_and_blank_names_match_nothing(packs):
    records = [{key: value for key, value in procedure_dossier(k, P1, "truc_tuyen").items() if key != "ma_thu_tuc"}
               for k in range(3)]
    records[2]["ten_thu_tuc"] = "—"
    # a catalogue row without a code is still found by its name
    result, unmatched = full_online(packs, records, catalogue([{**P2, "muc_do_dvc": "mot_phan"},
                                                               {"ma_thu_tuc": None, **{k: v for k, v in P1.items()
                                                                if k != "ma_thu_tuc"}, "muc_do_dvc": "toan_trinh"}]))
    assert (result.numerator, result.denominator) == (2, 2)
    assert [(w.path, w.sheet, w.field, w.rows, w.params) for w in unmatched] == [
        ("ho-so.xlsx", "Sheet1", "ten_thu_tuc", [10], {"count": 1, "dataset": "thu_tuc", "names": "—"})]


def test_unmatched_dossiers_are_named_once_per_procedure(packs, english):
    records = [procedure_dossier(k, P1, "truc_tuyen") for k in range(2)]
    records += [procedure_dossier(2, STRANGE, "truc_tuyen"), procedure_dossier(3, STRANGE, "truc_tiep"),
                procedure_dossier(4, {"ma_thu_tuc": "8.888", "ten_thu_tuc": "Thủ tục khác"}, "truc_tiep")]
    _, unmatched = full_online(packs, records, catalogue(LEVELS))
    assert [(w.sheet, w.field, w.rows, w.params) for w in unmatched] == [
        ("Sheet1", "ten_thu_tuc", [10, 11, 12], {"count": 3, "dataset": "thu_tuc", "names": "Thủ tục lạ; Thủ tục khác"})]
    assert "3 dossiers match no procedure of the catalogue (thu_tuc)" in unmatched[0].message


def test_dossiers_that_name_no_procedure_are_all_unmatched(packs):
    records = [{key: value for key, value in procedure_dossier(k, P1, "truc_tuyen").items()
                if key not in P1} for k in range(2)]
    result, unmatched = full_online(packs, records, catalogue(LEVELS))
    assert result.status == "no_data" and result.message_params["count"] == 2
    assert [(w.field, w.rows, w.params["names"]) for w in unmatched] == [(None, [8, 9], "—")]


def test_an_empty_catalogue_leaves_every_level_unknown(packs):
    empty = catalogue(LEVELS)
    empty.sheets[0].data = empty.sheets[0].data.iloc[0:0]
    result, unmatched = full_online(packs, full_online_dossiers(level_on_row=False)[:3], empty)
    assert result.status == "no_data" and result.message_params["count"] == 3
    assert [w.rows for w in unmatched] == [[8, 9, 10]]


def test_online_payment_of_an_unmatched_dossier_is_not_counted_either_way(packs):
    """19 of 20 fee-bearing dossiers of P1 (online payment deployed) paid online; one more of a
    procedure the catalogue lacks, paid online: 19/20 and 20/21 both pass, the nearer stands."""
    records = [procedure_dossier(k, P1, "truc_tuyen", le_phi=8000.0, thanh_toan_truc_tuyen=k < 19) for k in range(20)]
    records.append(procedure_dossier(20, STRANGE, "truc_tuyen", le_phi=8000.0, thanh_toan_truc_tuyen=True))
    thu_tuc = catalogue([{**P1, "co_nghia_vu_tai_chinh": True, "thanh_toan_truc_tuyen": True}])
    results, _ = run(packs, thu_tuc, sheet(records, "ho_so", "ho-so.xlsx"))
    result = results["binh-minh-2030/online-payment-transactions"]
    assert (result.status, result.numerator, result.denominator) == ("pass", 19, 20)
    assert [remark.code for remark in result.remarks] == ["result.bounds_agree"]


def test_a_dossier_found_by_code_at_the_first_catalogue_row_keeps_it_whatever_its_name(packs):
    misspelt = {"ma_thu_tuc": P1["ma_thu_tuc"], "ten_thu_tuc": "Đăng kí khai sinh"}
    records = [procedure_dossier(k, misspelt, "truc_tuyen") for k in range(2)]
    result, unmatched = full_online(packs, records, catalogue(LEVELS))
    assert (result.status, result.numerator, result.denominator) == ("pass", 2, 2)
    assert unmatched == []
