"""What a user reads off a time-reduction figure, a sum ratio and a declared value (issue 19):
working days used against the statutory time, the appointment date or the published time, over
weekends and public holidays; reversed dates; dossiers without dates or without a statutory time,
named; the breakdown by field; the records to blame; rows short of their own total; the value
declared for the period.

November 2026: Fri 6 and Mon 9 are a weekend apart; Tue 24 is a public holiday (Vietnam Cultural
Day, in the shipped holiday table). Every expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import pytest

from dxcheck.messages import _language, set_language
from test_user_measures import english, pack  # noqa: F401  (english: the autouse language fixture)
from user_kit import evaluate, loaded, rule

RULES = """\
  - id: statutory
    title: {vi: "Cắt giảm so với thời hạn quy định", en: "Cut against the statutory time"}
    source: {section: "1", quote: "Mức độ hài lòng đạt 90%"}
    target: {op: ">=", value: 20}
    deadline: 2030
    measurements:
      - kind: computed
        dataset: ho_so
        function: statutory_time_reduction
        population: completed
        group_by: linh_vuc
  - id: in-person
    title: {vi: "Hồ sơ nộp trực tiếp", en: "Dossiers submitted in person"}
    source: {section: "2", quote: "Tỷ lệ hồ sơ nộp trực tuyến"}
    target: {op: "<=", value: 50}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: completed
        condition: 'hinh_thuc_nop == "truc_tiep"'
        group_by: trang_thai
        flags:
          - when: 'linh_vuc is blank'
            say: {vi: "không ghi lĩnh vực", en: "no field given"}
  - id: appointment
    title: {vi: "Cắt giảm so với ngày hẹn trả", en: "Cut against the appointment date"}
    source: {section: "1", quote: "Mức độ hài lòng đạt 90%"}
    target: {op: ">=", value: 20}
    deadline: 2030
    measurements:
      - kind: computed
        dataset: ho_so
        function: working_time_reduction
        population: completed
        group_by: linh_vuc
  - id: published
    title: {vi: "Cắt giảm công bố", en: "Published cut"}
    source: {section: "1", quote: "Mức độ hài lòng đạt 90%"}
    target: {op: ">=", value: 20}
    deadline: 2030
    measurements:
      - kind: computed
        dataset: thu_tuc
        function: published_time_reduction
        group_by: linh_vuc
  - id: report
    title: {vi: "Hồ sơ trực tuyến theo báo cáo", en: "Online dossiers from the report"}
    source: {section: "2", quote: "Tỷ lệ hồ sơ nộp trực tuyến"}
    target: {op: ">=", value: 50}
    deadline: 2030
    measurements:
      - kind: sum_ratio
        dataset: thong_ke
        numerator: [truc_tuyen]
        denominator: [tiep_nhan]
        group_by: linh_vuc
  - id: keyed
    title: {vi: "Chỉ số A", en: "Index A"}
    source: {section: "1", quote: "Mức độ hài lòng đạt 90%"}
    target: {op: ">=", value: 90}
    deadline: 2030
    measurements:
      - kind: declared
        keys: ["Chỉ số B"]
  - id: unkeyed
    title: {vi: "Chỉ số C", en: "Index C"}
    source: {section: "1", quote: "Mức độ hài lòng đạt 90%"}
    target: {op: ">=", value: 90}
    deadline: 2030
    measurements:
      - kind: declared
"""


@pytest.fixture
def rules(tmp_path) -> Path:
    return pack(tmp_path, RULES, name="cuts")


def done(field: str | None, received: datetime, finished: datetime, statutory: float | None = None,
         appointment: datetime | None = None) -> dict:
    """A dossier received on `received` (8:00) whose result came on `finished` (16:00)."""
    return {"ma_ho_so": f"HS-{received:%m%d}-{finished:%m%d}", "linh_vuc": field,
            "ngay_tiep_nhan": received.replace(hour=8), "ngay_hen_tra": appointment,
            "ngay_co_ket_qua": finished.replace(hour=16), "trang_thai": "da_tra_ket_qua",
            "hinh_thuc_nop": "truc_tiep", "thoi_han_quy_dinh": statutory}


def nov(day: int) -> datetime:
    return datetime(2026, 11, day)


def groups(item) -> dict:
    return {g.group: (g.value, g.status) for g in item.breakdown}


# --- against the statutory time -----------------------------------------------------------------

STATUTORY_DOSSIERS = [
    done("Tư pháp", nov(23), nov(27), 10),    # row 8: Mon → Fri over the Tuesday holiday: 3 days of 10
    done("Tư pháp", nov(6), nov(10), 5),      # row 9: Fri → Tue over a weekend: Fri, Mon = 2 days of 5
    done("Đất đai", nov(12), nov(10), 5),     # row 10: result typed before reception: 0 days, not −2
    done(None, nov(16), nov(16), 1),          # row 11: no field; done the day it came: 0 days of 1
    done("Tư pháp", nov(16), nov(18), 0),     # row 12: a statutory time of 0 days is no time: left out
    done("Tư pháp", nov(16), nov(17), None),  # row 13: no statutory time: left out
    done("Hộ tịch", datetime(2026, 10, 15), datetime(2026, 10, 20), 10),  # row 14: done in October
    done("Đất đai", nov(2), nov(13), 10),     # row 15: 9 working days of 10: more than the 8 a 20% cut allows
]


def test_a_statutory_cut_counts_working_days_over_weekends_and_holidays(rules):
    # used 3 + 2 + 0 + 0 + 9 = 14 of 10 + 5 + 5 + 1 + 10 = 31 statutory days: 100 × (1 − 14/31) = 54.84%
    result = evaluate(rules, [loaded(STATUTORY_DOSSIERS)], period="2026-11", samples=5)
    item = rule(result, "statutory")
    assert item.value == pytest.approx(100 * 17 / 31) and item.status == "pass"
    assert item.details == {"dossiers": 5, "method": "statutory", "without_statutory_time": 2,
                            "working_days_used": 14, "working_days_statutory": 31, "used": 14, "base": 31}
    # by field: Tư pháp 5 of 15 → 66.67%, Đất đai 9 of 15 → 40%, the blank field 0 of 1 → 100%
    assert item.breakdown_by == "linh_vuc"
    assert groups(item) == {"Tư pháp": (pytest.approx(200 / 3), "pass"), "Đất đai": (40.0, "pass"),
                            "(blank)": (100.0, "pass")}
    # to blame: the dossier that alone used 9 of its 10 days (a 20% cut allows 8)
    assert [sample.row for sample in item.samples] == [15] and item.samples_total == 1
    # the two completed dossiers without a statutory time are named, with their rows
    [left_out] = [w for w in result.warnings if w.code == "result.rows_without_statutory_time"]
    assert left_out.rows == [12, 13]
    # another rule on the same dossiers breaks down by its own column, and names the row without a field
    in_person = rule(result, "in-person")
    assert [(g.group, g.numerator, g.denominator) for g in in_person.breakdown] == [("da_tra_ket_qua", 7, 7)]
    [flagged] = [w for w in result.warnings if w.code == "result.flagged_rows"]
    assert flagged.rows == [11] and "no field given" in flagged.message
    token = set_language("vi")
    try:
        assert "không ghi lĩnh vực" in flagged.message
    finally:
        _language.reset(token)


def test_a_dossier_done_the_day_it_came_uses_no_day(rules):
    # one dossier, statutory time 1 day, done the same day: 100 × (1 − 0/1) = 100%
    item = rule(evaluate(rules, [loaded([done("Tư pháp", nov(16), nov(16), 1)])], period="2026-11"), "statutory")
    assert (item.value, item.details["working_days_used"], item.details["working_days_statutory"]) == (100.0, 0, 1)


def test_without_any_statutory_time_the_statutory_cut_says_what_to_give(rules):
    rows = [done("Tư pháp", nov(16), nov(18)), done("Tư pháp", nov(16), nov(17)),
            done("Tư pháp", datetime(2026, 10, 1), datetime(2026, 10, 2))]  # the last one is October's
    item = rule(evaluate(rules, [loaded(rows)], period="2026-11"), "statutory")
    assert item.status == "no_data" and item.value is None
    assert item.message_code == "result.no_statutory_time" and item.message_params["count"] == 2
    assert "no statutory handling time for the 2 dossiers" in item.message
    assert item.details == {"dossiers": 0, "method": "statutory", "without_statutory_time": 2}


# --- against the appointment date ------------------------------------------------------------------

def test_an_appointment_cut_counts_the_days_to_the_appointment(rules):
    rows = [
        done("Tư pháp", nov(23), nov(27), appointment=nov(30)),  # row 8: 3 used of 4 (Tue 24 is a holiday)
        done("Tư pháp", nov(6), nov(10), appointment=nov(11)),   # row 9: 2 used of 3 (Fri, Mon, Tue)
        done("Đất đai", nov(16), nov(18), appointment=nov(16)),  # row 10: appointed the same day: 2 used of 0
        done("Đất đai", nov(16), nov(18)),                       # row 11: no appointment date: left out
        done(None, nov(18), nov(16), appointment=nov(20)),       # row 12: result typed before reception: 0 of 2
        done("Đất đai", nov(18), nov(19), appointment=nov(16)),  # row 13: appointment before reception: 1 of 0
    ]
    item = rule(evaluate(rules, [loaded(rows)], period="2026-11", samples=5), "appointment")
    # 100 × (1 − (3 + 2 + 2 + 0 + 1) ÷ (4 + 3 + 0 + 2 + 0)) = 100 × (1 − 8/9) = 11.11%, under 20
    assert item.value == pytest.approx(100 / 9) and item.status == "fail"
    assert (item.details["working_days_used"], item.details["working_days_allowed"], item.details["dossiers"]) == (8, 9, 5)
    # Tư pháp 5 of 7 → 28.57%; Đất đai had no day allowed: no figure, no verdict; no field 0 of 2 → 100%
    assert groups(item) == {"Tư pháp": (pytest.approx(200 / 7), "pass"), "Đất đai": (None, "no_data"),
                            "(blank)": (100.0, "pass")}
    # to blame: the dossiers that used days when none were allowed (3 of 4 and 2 of 3 are within 80%)
    assert [sample.row for sample in item.samples] == [10, 13]


def test_an_appointment_cut_with_one_day_allowed_and_none_used_is_whole(rules):
    item = rule(evaluate(rules, [loaded([done("Tư pháp", nov(16), nov(16), appointment=nov(17))])],
                         period="2026-11"), "appointment")
    assert (item.value, item.details["used"], item.details["base"]) == (100.0, 0, 1)


def test_an_appointment_cut_without_any_day_allowed_or_any_appointment_has_no_figure(rules):
    same_day = rule(evaluate(rules, [loaded([done("Tư pháp", nov(16), nov(18), appointment=nov(16))])],
                             period="2026-11"), "appointment")
    assert same_day.status == "no_data" and same_day.value is None
    undated = rule(evaluate(rules, [loaded([done("Tư pháp", nov(16), nov(18))])], period="2026-11"), "appointment")
    assert undated.status == "no_data" and undated.value is None


# --- the catalogue's published time -------------------------------------------------------------------

def procedure(code: str, field: str | None, statutory: float | None, published: float | None) -> dict:
    return {"ma_thu_tuc": code, "ten_thu_tuc": f"Thủ tục {code}", "linh_vuc": field,
            "thoi_han_quy_dinh": statutory, "thoi_han_cong_bo": published}


def test_a_published_cut_sums_the_catalogues_days(rules):
    catalogue = loaded([
        procedure("P1", "Tư pháp", 10, 8.01),  # row 8: 8.01 of 10 is more than the 8 a 20% cut allows
        procedure("P2", "Tư pháp", 10, 8),     # row 9: exactly 8: within
        procedure("P3", "Đất đai", 10, 5),     # row 10
        procedure("P4", "Đất đai", 10, None),  # row 11: no published time: left out
        procedure("P5", None, 1, 0.5),         # row 12: no field, 1 statutory day
        procedure("P6", "Hộ tịch", 0, 0),      # row 13: a statutory time of 0 is none: left out
        procedure("P7", "Hộ tịch", None, 3),   # row 14: no statutory time: left out
    ], dataset="thu_tuc", path="danh-muc.xlsx")
    item = rule(evaluate(rules, [catalogue], period="2026-11", samples=5), "published")
    # 100 × (1 − (8.01 + 8 + 5 + 0.5) ÷ (10 + 10 + 10 + 1)) = 100 × (1 − 21.51/31)
    assert item.value == pytest.approx(100 * (1 - 21.51 / 31)) and item.status == "pass"
    assert item.details == {"procedures": 4, "method": "published", "without_times": 3,
                            "days_published": pytest.approx(21.51), "days_statutory": 31,
                            "used": pytest.approx(21.51), "base": 31}
    # Tư pháp 16.01 of 20 → 19.95% (fails 20), Đất đai 5 of 10 → 50%, no field 0.5 of 1 → 50%
    assert groups(item) == {"Tư pháp": (pytest.approx(19.95), "fail"), "Đất đai": (50.0, "pass"),
                            "(blank)": (50.0, "pass")}
    assert [sample.row for sample in item.samples] == [8]


def test_a_catalogue_without_fields_has_a_published_cut_and_no_breakdown(rules):
    rows = [{key: value for key, value in procedure(code, None, 10, published).items() if key != "linh_vuc"}
            for code, published in [("P1", 6), ("P2", 9)]]
    item = rule(evaluate(rules, [loaded(rows, dataset="thu_tuc", path="danh-muc.xlsx")], period="2026-11"),
                "published")
    # 100 × (1 − 15/20) = 25%, with no field to break it down by
    assert item.value == 25.0 and item.breakdown == []


def test_a_catalogue_without_published_times_has_no_published_cut(rules):
    catalogue = loaded([procedure("P1", "Tư pháp", 10, None), procedure("P2", "Tư pháp", None, 4)],
                       dataset="thu_tuc", path="danh-muc.xlsx")
    item = rule(evaluate(rules, [catalogue], period="2026-11"), "published")
    assert item.status == "no_data" and item.value is None
    assert item.details == {"procedures": 0, "method": "published", "without_times": 2}


# --- sum ratios --------------------------------------------------------------------------------------

def test_a_sum_ratio_counts_blank_cells_as_nothing_and_warns_of_no_division(rules):
    rows = loaded([{"linh_vuc": field, "tiep_nhan": total, "truc_tuyen": online, "truc_tiep": 0.0, "da_giai_quyet": 0.0}
                   for field, total, online in [
                       ("Tư pháp", 10.0, 10.0),   # row 8
                       ("Tư pháp", 1.0, 0.5),     # row 9: short of its one dossier
                       ("Đất đai", 4.0, None),    # row 10: nothing online written: 0 of 4, short
                       ("Hộ tịch", 0.0, 0.0),     # row 11: nothing to reach
                       ("Xây dựng", 0.0, 3.0)]],  # row 12: more online than received: not short
                  dataset="thong_ke", path="bao-cao.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no "divide by zero" printed to the user
        item = rule(evaluate(rules, [rows], period="2026-11", samples=5), "report")
    # (10 + 0.5 + 0 + 0 + 3) ÷ 15 = 90%
    assert (item.numerator, item.denominator, item.value) == (13.5, 15, 90.0)
    assert isinstance(item.denominator, int)  # 15 dossiers, not "15.0"
    assert [sample.row for sample in item.samples] == [9, 10]
    assert {g.group: (g.numerator, g.denominator, g.value) for g in item.breakdown} == {
        "Tư pháp": (10.5, 11, pytest.approx(100 * 10.5 / 11)), "Đất đai": (0, 4, 0.0), "Hộ tịch": (0, 0, None),
        "Xây dựng": (3, 0, None)}


# --- declared values --------------------------------------------------------------------------------

def declared(*rows: tuple[str | None, float, str | None]):
    return loaded([{"chi_tieu": name, "gia_tri": value, "ky": period} for name, value, period in rows],
                  dataset="chi_tieu", path="chi-tieu.xlsx")


def test_a_row_without_an_indicator_name_declares_nothing(rules):
    item = rule(evaluate(rules, [declared(("Chỉ số B", 92.0, "11/2026"), (None, 50.0, "11/2026"))],
                         period="2026-11"), "keyed")
    assert (item.value, item.details["declared_row"]) == (92.0, 8) and "declared_rows" not in item.details


def test_a_years_value_does_not_stand_for_a_month(rules):
    rows = declared(("Chỉ số B", 50.0, "2026"), ("Chỉ số B", 60.0, "Năm 2026"), ("Chỉ số B", 92.0, None))
    assert rule(evaluate(rules, [rows], period="2026-11"), "keyed").value == 92.0
    assert rule(evaluate(rules, [rows], period="2026-Q4"), "keyed").value == 92.0
    # for the year itself, the last of its two spellings
    assert rule(evaluate(rules, [rows], period="2026"), "keyed").value == 60.0


def test_a_missing_declared_value_names_the_row_to_add(rules):
    result = evaluate(rules, [declared(("Chỉ số khác", 50.0, None))], period="2026-11")
    keyed, unkeyed = rule(result, "keyed"), rule(result, "unkeyed")
    assert keyed.status == "no_data" and keyed.message_code == "result.no_declared"
    # the example is the pack's own key when it gives one, else the rule's Vietnamese title
    assert keyed.message_params == {"id": "keyed", "example": "Chỉ số B"}
    assert unkeyed.message_params == {"id": "unkeyed", "example": "Chỉ số C"}
    assert "add a row 'unkeyed' (or 'Chỉ số C')" in unkeyed.message
