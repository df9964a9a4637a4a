"""REFERENCE rev. 2 §4: the definitions that look a dossier's procedure up in the catalogue.

Each test builds records on which the old definition and the new one disagree, writes the
arithmetic of both out, and asserts the new one: full-online-processing over dossiers of
procedures offered fully online, online-payment-transactions "trong số đó" (procedures with online
payment deployed), time-reduction against the statutory time. Unknown rows are evaluated at both
bounds; unmatched dossiers are reported, never dropped.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from dxcheck.evaluation.data import collect
from dxcheck.evaluation.engine import Options, evaluate_packs
from dxcheck.evaluation.period import parse_period
from dxcheck.messages import set_language
from dxcheck.packs.loader import load_packs

from test_engine import as_loaded as sheet  # a loaded sheet of records, as the loader gives it

OCTOBER = parse_period("2026-10")
P1 = {"ma_thu_tuc": "1.001193.000.00.00.H12", "ten_thu_tuc": "Đăng ký khai sinh"}
P2 = {"ma_thu_tuc": "2.000815.000.00.00.H12", "ten_thu_tuc": "Chứng thực bản sao từ bản chính"}


@pytest.fixture(scope="module")
def packs():
    return load_packs(None)


def run(packs, *loaded, period=OCTOBER):
    datasets = collect(list(loaded))
    results = {result.id: result for result in evaluate_packs(packs, datasets, period, Options(samples=5))}
    warnings = [w for data in datasets.values() for w in data.warnings]
    return results, warnings + [w for result in results.values() for w in result.rule_warnings]


def dossier(index: int, procedure: dict, channel: str, **extra) -> dict:
    record = {"ma_ho_so": f"HS{index:04d}", **procedure, "ngay_tiep_nhan": datetime(2026, 10, 5, 9),
              "ngay_hen_tra": datetime(2026, 10, 20), "trang_thai": "dang_xu_ly", "hinh_thuc_nop": channel}
    record.update(extra)
    return record


# --- full-online-processing ------------------------------------------------------------------


def full_online_dossiers(level_on_row: bool) -> list[dict]:
    """50 dossiers of P1 (offered fully online): 49 online, 1 in person; 30 of P2 (partly online),
    all in person."""
    records = []
    for k in range(50):
        records.append(dossier(k, P1, "truc_tuyen" if k < 49 else "truc_tiep"))
    for k in range(50, 80):
        records.append(dossier(k, P2, "truc_tiep"))
    if level_on_row:
        for record in records:
            record["muc_do_dvc"] = "toan_trinh" if record["ten_thu_tuc"] == P1["ten_thu_tuc"] else "mot_phan"
    return records


def catalogue(rows: list[dict]):
    return sheet(rows, "thu_tuc", "danh-muc.xlsx", first_row=5)


def test_full_online_counts_only_dossiers_of_fully_online_procedures(packs):
    results, _ = run(packs, sheet(full_online_dossiers(level_on_row=True), "ho_so", "ho-so.xlsx"))
    result = results["hoang-son-2030/full-online-processing"]
    # old: online and toan_trinh over every received dossier = 49 / 80 = 61.25% → fail
    # new: online over dossiers of toan_trinh procedures     = 49 / 50 = 98.00% → pass (>= 98)
    assert (result.numerator, result.denominator) == (49, 50)
    assert result.value == pytest.approx(98.0)
    assert result.status == "pass"


def test_full_online_takes_the_level_from_the_catalogue_by_code_then_by_name(packs):
    records = full_online_dossiers(level_on_row=False)
    # half the dossiers carry no code: they are found by name, written in NFD, another case and spacing
    for record in records[::2]:
        record["ma_thu_tuc"] = None
        record["ten_thu_tuc"] = unicodedata.normalize("NFD", "  " + record["ten_thu_tuc"].upper().replace(" ", "  "))
    thu_tuc = catalogue([{**P1, "muc_do_dvc": "toan_trinh"}, {**P2, "muc_do_dvc": "mot_phan"}])
    results, warnings = run(packs, sheet(records, "ho_so", "ho-so.xlsx"), thu_tuc)
    result = results["hoang-son-2030/full-online-processing"]
    assert (result.numerator, result.denominator, result.status) == (49, 50, "pass")
    assert not [w for w in warnings if w.code == "join.unmatched"]


def test_unknown_level_with_two_verdicts_gives_no_data_naming_the_rows(packs):
    records = full_online_dossiers(level_on_row=False)
    # one more dossier, in person, of a procedure the catalogue does not list: its level is unknown
    records.append(dossier(80, {"ma_thu_tuc": "9.999", "ten_thu_tuc": "Thủ tục lạ"}, "truc_tiep"))
    thu_tuc = catalogue([{**P1, "muc_do_dvc": "toan_trinh"}, {**P2, "muc_do_dvc": "mot_phan"}])
    set_language("vi")
    results, warnings = run(packs, sheet(records, "ho_so", "ho-so.xlsx"), thu_tuc)
    result = results["hoang-son-2030/full-online-processing"]
    # without it: 49 / 50 = 98.00% → pass; with it: 49 / 51 = 96.08% → fail: no verdict
    assert result.status == "no_data" and result.value is None
    assert "98.00%" in result.message and "96.08%" in result.message and "1 hồ sơ" in result.message
    unmatched = [w for w in warnings if w.code == "join.unmatched"]
    assert len(unmatched) == 1 and unmatched[0].rows == [8 + 80] and "Thủ tục lạ" in unmatched[0].message
    unknown = [w for w in warnings if w.code == "result.unknown_rows"]
    assert [w.rows for w in unknown if "full-online-processing" in w.params["rule"]] == [[88]]


def test_unknown_level_with_one_verdict_stands_at_the_bound_nearer_the_target(packs):
    records = full_online_dossiers(level_on_row=False)
    records.append(dossier(80, {"ma_thu_tuc": "9.999", "ten_thu_tuc": "Thủ tục lạ"}, "truc_tuyen"))
    thu_tuc = catalogue([{**P1, "muc_do_dvc": "toan_trinh"}, {**P2, "muc_do_dvc": "mot_phan"}])
    results, _ = run(packs, sheet(records, "ho_so", "ho-so.xlsx"), thu_tuc)
    result = results["hoang-son-2030/full-online-processing"]
    # without it: 49 / 50 = 98.00%; with it: 50 / 51 = 98.04%: both pass; 98.00 is nearer the target
    assert result.status == "pass"
    assert (result.numerator, result.denominator) == (49, 50)
    set_language("en")
    assert "without them 98.00%, with all of them 98.04%" in result.message
    set_language("vi")


def test_no_level_anywhere_is_no_verdict_not_a_figure(packs):
    # no level on the rows and no catalogue: every dossier's place is unknown (0/0 against 49/80)
    results, _ = run(packs, sheet(full_online_dossiers(level_on_row=False), "ho_so", "ho-so.xlsx"))
    result = results["hoang-son-2030/full-online-processing"]
    assert result.status == "no_data" and result.message_params["count"] == 80


# --- online-payment-transactions ("trong số đó") ------------------------------------------------


def fee_dossiers() -> list[dict]:
    """20 fee-bearing dossiers of P1 (online payment deployed), 19 paid online; 10 of P2 (not
    deployed), none paid online; 5 of P1 without a fee."""
    records = [dossier(k, P1, "truc_tuyen", le_phi=8000.0, thanh_toan_truc_tuyen=k < 19) for k in range(20)]
    records += [dossier(k, P2, "truc_tiep", le_phi=2000.0, thanh_toan_truc_tuyen=False) for k in range(20, 30)]
    records += [dossier(k, P1, "truc_tuyen", le_phi=0.0, thanh_toan_truc_tuyen=False) for k in range(30, 35)]
    return records


def test_online_payment_counts_procedures_with_online_payment_deployed(packs):
    thu_tuc = catalogue([{**P1, "co_nghia_vu_tai_chinh": True, "thanh_toan_truc_tuyen": True},
                         {**P2, "co_nghia_vu_tai_chinh": True, "thanh_toan_truc_tuyen": False}])
    results, _ = run(packs, sheet(fee_dossiers(), "ho_so", "ho-so.xlsx"), thu_tuc)
    result = results["binh-minh-2030/online-payment-transactions"]
    # old: paid online over every fee-bearing dossier = 19 / 30 = 63.33% → fail
    # new: among procedures with online payment       = 19 / 20 = 95.00% → pass (>= 95)
    assert (result.numerator, result.denominator, result.status) == (19, 20, "pass")
    assert not result.remarks


def test_online_payment_without_a_catalogue_says_the_restriction_was_not_applied(packs):
    set_language("vi")
    results, _ = run(packs, sheet(fee_dossiers(), "ho_so", "ho-so.xlsx"))
    result = results["binh-minh-2030/online-payment-transactions"]
    assert (result.numerator, result.denominator, result.status) == (19, 30, "fail")
    assert [remark.code for remark in result.remarks] == ["result.caveat"]
    assert "chưa giới hạn" in result.message


# --- time-reduction against the statutory time --------------------------------------------------


def cut_dossiers(statutory_on_row: bool) -> list[dict]:
    """Two dossiers of P1, statutory time 10 working days, the commune's published time 5: each
    received Mon 05/10/2026, appointment Mon 12/10 (5 working days: the cut deadline), result
    Mon 12/10 (5 working days used)."""
    records = []
    for k in range(2):
        record = dossier(k, P1, "truc_tuyen", ngay_hen_tra=datetime(2026, 10, 12, 23, 59, 59),
                         ngay_co_ket_qua=datetime(2026, 10, 12, 15), trang_thai="da_tra_ket_qua")
        if statutory_on_row:
            record["thoi_han_quy_dinh"] = 10.0
        records.append(record)
    return records


def test_time_reduction_is_measured_against_the_statutory_time(packs):
    results, _ = run(packs, sheet(cut_dossiers(statutory_on_row=True), "ho_so", "ho-so.xlsx"))
    result = results["binh-minh-2030/time-reduction"]
    # old: 1 − Σ used ÷ Σ days to the appointment = 1 − 10/10 = 0% → fail
    # new: 1 − Σ used ÷ Σ statutory days          = 1 − 10/20 = 50% → pass (>= 20)
    assert result.details["method"] == "statutory"
    assert (result.details["working_days_used"], result.details["working_days_statutory"]) == (10, 20)
    assert result.value == pytest.approx(50.0) and result.status == "pass"
    assert not result.remarks


def test_time_reduction_reads_the_statutory_time_of_the_procedure_and_keeps_to_the_catalogue(packs):
    records = cut_dossiers(statutory_on_row=False)
    # a third dossier, of a procedure outside the commune's catalogue, used 5 of 5 days: left out
    records.append(dossier(2, {"ma_thu_tuc": "9.999", "ten_thu_tuc": "Thủ tục cấp huyện"}, "truc_tiep",
                           ngay_co_ket_qua=datetime(2026, 10, 12, 15), trang_thai="da_tra_ket_qua"))
    thu_tuc = catalogue([{**P1, "thoi_han_quy_dinh": 10.0, "thoi_han_cong_bo": 5.0}])
    results, warnings = run(packs, sheet(records, "ho_so", "ho-so.xlsx"), thu_tuc)
    result = results["binh-minh-2030/time-reduction"]
    assert result.details["dossiers"] == 2 and result.value == pytest.approx(50.0)
    assert [w.rows for w in warnings if w.code == "join.unmatched"] == [[10]]


def test_time_reduction_without_dossier_dates_uses_the_published_cut(packs):
    # statutory 10 and 15 days, published 7 and 12: 1 − 19/25 = 24% → pass (>= 20)
    thu_tuc = catalogue([{**P1, "thoi_han_quy_dinh": 10.0, "thoi_han_cong_bo": 7.0},
                         {**P2, "thoi_han_quy_dinh": 15.0, "thoi_han_cong_bo": 12.0}])
    results, _ = run(packs, thu_tuc)
    result = results["binh-minh-2030/time-reduction"]
    assert result.details["method"] == "published"
    assert result.value == pytest.approx(24.0) and result.status == "pass"


def test_time_reduction_without_statutory_times_is_labelled_an_approximation(packs):
    results, _ = run(packs, sheet(cut_dossiers(statutory_on_row=False), "ho_so", "ho-so.xlsx"))
    result = results["binh-minh-2030/time-reduction"]
    # 1 − 10 used ÷ 10 days to the appointment = 0% → fail, and said to be an approximation
    assert result.details["method"] == "appointment_date"
    assert result.value == pytest.approx(0.0) and result.status == "fail"
    set_language("en")
    assert "approximation" in result.message
    set_language("vi")


def test_dossiers_without_a_statutory_time_are_named(packs):
    records = cut_dossiers(statutory_on_row=True)
    records[1]["thoi_han_quy_dinh"] = None
    results, warnings = run(packs, sheet(records, "ho_so", "ho-so.xlsx"))
    result = results["binh-minh-2030/time-reduction"]
    # only the first: 1 − 5/10 = 50%
    assert result.details["without_statutory_time"] == 1 and result.value == pytest.approx(50.0)
    assert [w.rows for w in warnings if w.code == "result.rows_without_statutory_time"] == [[9]]


# --- records a result names: counted as the definition says, but shown ---------------------------


def test_petitions_and_dossiers_without_a_deadline_are_named(packs):
    petitions = [{"ma": f"PA{k}", "ngay_tiep_nhan": datetime(2026, 10, 2), "han_xu_ly": datetime(2026, 10, 12),
                  "ngay_xu_ly": datetime(2026, 10, 9)} for k in range(3)]
    petitions.append({"ma": "PA9", "ngay_tiep_nhan": datetime(2026, 10, 5), "han_xu_ly": None,
                      "ngay_xu_ly": datetime(2026, 10, 30)})
    records = [dossier(k, P1, "truc_tuyen", ngay_co_ket_qua=None) for k in range(3)]  # still open
    records[1]["ngay_hen_tra"] = None  # no deadline and no progress word: on time by definition, named
    results, warnings = run(packs, sheet(petitions, "phan_anh", "phan-anh.xlsx"),
                            sheet(records, "ho_so", "ho-so.xlsx"))
    # REFERENCE §4 counts them on time: 4/4 and 3/3; each is named with its row
    assert (results["binh-minh-2030/feedback-on-time"].numerator,
            results["binh-minh-2030/feedback-on-time"].denominator) == (4, 4)
    flagged = {(w.params["rule"], w.path): w.rows for w in warnings if w.code == "result.flagged_rows"}
    assert flagged[("binh-minh-2030/feedback-on-time", "phan-anh.xlsx")] == [11]
    assert flagged[("binh-minh-2030/on-time", "ho-so.xlsx")] == [9]
    assert flagged[("hoang-son-2030/on-time", "ho-so.xlsx")] == [9]


def test_communes_roll_up_on_their_days_and_never_across_methods(packs):
    from dxcheck.evaluation.rollup import rollup_rule

    catalogue_rows = [{**P1, "thoi_han_quy_dinh": 10.0}]
    first, _ = run(packs, sheet(cut_dossiers(statutory_on_row=False), "ho_so", "a.xlsx"), catalogue(catalogue_rows))
    second_records = cut_dossiers(statutory_on_row=False)[:1]
    second_records[0]["ngay_co_ket_qua"] = datetime(2026, 10, 6, 15)  # 1 working day of 10
    second, _ = run(packs, sheet(second_records, "ho_so", "b.xlsx"), catalogue(catalogue_rows))
    rule = "binh-minh-2030/time-reduction"
    rolled = rollup_rule([first[rule], second[rule]], 5)
    # (5 + 5 + 1) used of (10 + 10 + 10) statutory days: 1 − 11/30 = 63.33%, not the mean of 50% and 90%
    assert (rolled.details["used"], rolled.details["base"]) == (11, 30)
    assert rolled.value == pytest.approx(100 * 19 / 30) and rolled.status == "pass"
    # a commune without statutory times is measured against its appointments: no sum across methods
    third, _ = run(packs, sheet(cut_dossiers(statutory_on_row=False), "ho_so", "c.xlsx"))
    mixed = rollup_rule([first[rule], third[rule]], 5)
    assert mixed.status == "no_data" and mixed.message_code == "rollup.methods_differ"
