"""What a user reads of one commune's evaluation: the failing records listed (which, how many,
their cells as written), the breakdown worst first, a rule with no figure and why, and how the
files and sheets of one commune are gathered — rows kept in file order, a record exported twice
counted once and said where, the row accounting, dates outside the period asked for, and a
statistics sheet whose rows are communes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dxcheck
import pandas as pd
import pytest
from dxcheck_synth.report import ReportSheet, write_workbook
from test_engine import as_loaded
from user_kit import dossier, evaluate, loaded, rule, user_pack, write_pack

from dxcheck.evaluation.data import collect, date_range, dates_outside_period, split_units
from dxcheck.evaluation.engine import Options, evaluate_packs
from dxcheck.evaluation.period import parse_period
from dxcheck.load import load_file
from dxcheck.load.api import LoadedFile
from dxcheck.load.sheet import LoadedSheet
from dxcheck.messages import t
from dxcheck.packs.loader import load_packs

OCTOBER = datetime(2026, 10, 10, 9)
PLAN = "Tỷ lệ hồ sơ được số hoá."

DIGITISED = """\
  - id: digitised
    title: {vi: "Hồ sơ được số hoá", en: "Dossiers digitised"}
    source: {section: "1", quote: "Tỷ lệ hồ sơ được số hoá"}
    target: {op: ">=", value: 90}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: received
        condition: so_hoa or le_phi > 100
"""


def pack(folder: Path, body: str = DIGITISED, name: str = "pack") -> Path:
    return user_pack(folder, body, PLAN, name)


def sheets(*parts: tuple[str, list[dict]], path: str = "data.xlsx", doubtful=()) -> LoadedFile:
    """One file whose sheets (name, records) each hold dossier records, rows from 8."""
    out = []
    for name, records in parts:
        one = as_loaded(records, "ho_so", path).sheets[0]
        one.report.sheet = name
        out.append(LoadedSheet(report=one.report, data=one.data, doubtful_dates=list(doubtful)))
    return LoadedFile(path=path, sha256=f"sha-{path}", kind="xlsx", warnings=[], sheets=out)


def record(number: int, received: datetime = OCTOBER, digitised: bool = False, fee=None, **more) -> dict:
    return {**dossier(number, received), "so_hoa": digitised, "le_phi": fee, **more}


# --- the failing records listed --------------------------------------------------------------------


def test_failing_records_show_their_cells_as_written(tmp_path):
    """Dates with their time only when it is one (not midnight, not the end-of-day 23:59), yes/no
    in words, whole numbers without `.0`, blank cells blank; each with file, sheet and row."""
    times = [datetime(2026, 10, 3, 9, 0), datetime(2026, 10, 3, 0, 30), datetime(2026, 10, 3, 23, 59),
             datetime(2026, 10, 3, 23, 30), datetime(2026, 10, 3, 12, 59), datetime(2026, 10, 3)]
    fees = [50.0, 12.5, None, 0.0, 7.0, 3.0]
    records = [record(k, times[k], fee=fees[k]) for k in range(6)] + [record(6, digitised=True)]
    result = evaluate(pack(tmp_path), [sheets(("Hồ sơ", records), path="xa.xlsx")], period="2026-10")
    item = rule(result, "digitised")
    assert (item.status, item.numerator, item.denominator, item.samples_total) == ("fail", 1, 7, 6)
    assert (item.shortfall, item.message_code, item.message_params) == (
        6, "result.fail_shortfall", {"shortfall": 6, "row_of": "ho_so"})
    shown = [(s.record_id, s.path, s.sheet, s.row, s.values["ngay_tiep_nhan"], s.values["le_phi"],
              s.values["so_hoa"]) for s in item.samples]
    no = t("value.no")
    assert shown == [
        ("HS-00000", "xa.xlsx", "Hồ sơ", 8, "03/10/2026 09:00", "50", no),
        ("HS-00001", "xa.xlsx", "Hồ sơ", 9, "03/10/2026 00:30", "12.5", no),
        ("HS-00002", "xa.xlsx", "Hồ sơ", 10, "03/10/2026", "", no),
        ("HS-00003", "xa.xlsx", "Hồ sơ", 11, "03/10/2026 23:30", "0", no),
        ("HS-00004", "xa.xlsx", "Hồ sơ", 12, "03/10/2026 12:59", "7", no),
        ("HS-00005", "xa.xlsx", "Hồ sơ", 13, "03/10/2026", "3", no),
    ]
    assert "ma_ho_so" not in item.samples[0].values  # the id is shown once, as the record's id
    digitised = [record(k, digitised=True) for k in range(2)]
    passing = rule(evaluate(pack(tmp_path), [sheets(("Hồ sơ", digitised))], period="2026-10"), "digitised")
    assert (passing.status, passing.samples, passing.samples_total) == ("pass", [], 0)


def test_a_yes_cell_reads_yes_and_a_record_without_id_has_none(tmp_path):
    body = DIGITISED.replace("so_hoa or le_phi > 100", "not so_hoa")
    records = [record(0, digitised=True), {**record(1, digitised=True), "ma_ho_so": None}, record(2)]
    item = rule(evaluate(pack(tmp_path, body, "not"), [sheets(("Hồ sơ", records))], period="2026-10"), "digitised")
    assert [(s.record_id, s.values["so_hoa"]) for s in item.samples] == [("HS-00000", t("value.yes")),
                                                                         (None, t("value.yes"))]


def test_the_list_stops_at_the_samples_asked_for_but_counts_and_keeps_them_all(tmp_path):
    records = [record(k) for k in range(5)]
    result = evaluate(pack(tmp_path), [sheets(("Hồ sơ", records))], period="2026-10", samples=2, keep_failing=True)
    item = rule(result, "digitised")
    assert [s.row for s in item.samples] == [8, 9]
    assert item.samples_total == 5
    kept = item.failing.frame
    assert kept["ma_ho_so"].tolist() == [f"HS-{k:05d}" for k in range(5)]
    assert kept["_row"].tolist() == [8, 9, 10, 11, 12]
    assert item.failing.record_id == "ma_ho_so"
    without = rule(evaluate(pack(tmp_path), [sheets(("Hồ sơ", records))], period="2026-10", samples=2), "digitised")
    assert without.failing is None


# --- the breakdown ---------------------------------------------------------------------------------


def test_the_breakdown_lists_every_field_worst_first_with_its_counts(tmp_path):
    """0% and 100% fields are listed too; equal shares in the order of their names."""
    rows = ([dossier(k, OCTOBER, online=False, field="Tư pháp") for k in range(2)]
            + [dossier(10 + k, OCTOBER, online=k < 1, field="Đất đai") for k in range(2)]
            + [dossier(20 + k, OCTOBER, online=True, field="Hộ tịch") for k in range(3)]
            + [dossier(30 + k, OCTOBER, online=k < 1, field="Chứng thực") for k in range(2)])
    item = rule(evaluate(write_pack(tmp_path), [loaded(rows)], period="2026-10"), "online")
    assert item.breakdown_by == "linh_vuc"
    assert [(g.group, g.value, g.numerator, g.denominator, g.status) for g in item.breakdown] == [
        ("Tư pháp", 0.0, 0, 2, "fail"),
        ("Chứng thực", 50.0, 1, 2, "fail"),
        ("Đất đai", 50.0, 1, 2, "fail"),
        ("Hộ tịch", 100.0, 3, 3, "pass"),
    ]


def test_a_breakdown_asked_for_replaces_the_rules_and_one_on_a_missing_column_is_left_out(tmp_path):
    rows = [dossier(k, OCTOBER, online=k < 1, status="da_tra" if k < 2 else "dang_xu_ly") for k in range(3)]
    by_status = rule(evaluate(write_pack(tmp_path), [loaded(rows)], period="2026-10", by="trang_thai"), "online")
    assert by_status.breakdown_by == "trang_thai"
    assert [(g.group, g.numerator, g.denominator) for g in by_status.breakdown] == [
        ("dang_xu_ly", 0, 1), ("da_tra", 1, 2)]
    missing = rule(evaluate(write_pack(tmp_path), [loaded(rows)], period="2026-10", by="don_vi"), "online")
    assert (missing.breakdown_by, missing.breakdown) == (None, [])
    assert (missing.numerator, missing.denominator) == (1, 3)


# --- no figure, and why ----------------------------------------------------------------------------


def test_a_period_with_no_records_is_no_data_naming_the_dataset_and_period(tmp_path):
    item = rule(evaluate(write_pack(tmp_path), [loaded([dossier(1, OCTOBER)])], period="2026-11"), "online")
    assert (item.status, item.value, item.message_code) == ("no_data", None, "result.empty_population")
    assert item.message_params == {"dataset": "ho_so", "period": parse_period("2026-11").label}
    assert item.measurement.dataset == "ho_so"
    assert item.measurement.sources == ["data.xlsx › Sheet1"]


def test_dates_that_look_swapped_give_no_figure_and_say_where(tmp_path):
    records = [record(k, digitised=True) for k in range(3)]
    doubtful = sheets(("Hồ sơ", records), path="xa.xlsx", doubtful=["ngay_tiep_nhan"])
    item = rule(evaluate(pack(tmp_path), [doubtful], period="2026-10"), "digitised")
    assert (item.status, item.message_code) == ("no_data", "result.dates_doubtful")
    assert item.message_params == {"fields": "ngay_tiep_nhan (xa.xlsx › Hồ sơ › ngay_tiep_nhan)"}
    assert item.numerator is None


def test_a_rule_that_breaks_is_an_error_beside_the_others_results(tmp_path, monkeypatch):
    import dxcheck.evaluation.engine as engine

    packs = load_packs([str(write_pack(tmp_path))])
    datasets = collect([loaded([dossier(1, OCTOBER)])])

    def broken(*args):
        raise ValueError("hỏng")

    monkeypatch.setattr(engine, "measure_share", broken)
    results = evaluate_packs(packs, datasets, parse_period("2026-10"), Options())
    assert [(r.rule, r.status) for r in results] == [("online", "error"), ("online-report", "no_data")]
    assert results[0].message_code == "result.error"
    assert results[0].message_params == {"error": "ValueError: hỏng"}
    assert results[0].id == "user/online"


# --- several files and sheets of one commune -------------------------------------------------------


def test_sheets_and_files_of_one_commune_are_counted_together_in_file_order(tmp_path):
    first = sheets(("T10", [record(0, digitised=True), record(1)]), ("T11", [record(2, datetime(2026, 11, 2))]),
                   path="a.xlsx")
    second = sheets(("Hồ sơ", [record(3, digitised=True)]), path="b.xlsx")
    data = collect([first, second])["ho_so"]
    assert data.frame["ma_ho_so"].tolist() == ["HS-00000", "HS-00001", "HS-00002", "HS-00003"]
    assert data.frame["_path"].tolist() == ["a.xlsx", "a.xlsx", "a.xlsx", "b.xlsx"]
    assert data.frame["_sheet"].tolist() == ["T10", "T10", "T11", "Hồ sơ"]
    assert data.frame["_row"].tolist() == [8, 9, 8, 8]
    assert data.sources == ["a.xlsx › T10", "a.xlsx › T11", "b.xlsx › Hồ sơ"]
    assert {"ma_ho_so", "so_hoa", "le_phi"} <= data.present and not any(f.startswith("_") for f in data.present)
    result = evaluate(pack(tmp_path), [first, second], period="2026-10", group_by="combine")
    item = rule(result, "digitised")
    assert (item.numerator, item.denominator) == (2, 3)
    assert [(s.path, s.sheet, s.row) for s in item.samples] == [("a.xlsx", "T10", 9)]
    assert result.warnings == []


def test_a_column_only_one_file_has_is_blank_in_the_others_with_its_type(tmp_path):
    """A yes/no column missing from a file reads as its blank meaning (no), numbers as numbers."""
    with_columns = sheets(("A", [record(0, digitised=True, fee=150.0)]), path="a.xlsx")
    without = sheets(("B", [dossier(1, OCTOBER), dossier(2, OCTOBER)]), path="b.xlsx")
    data = collect([with_columns, without])["ho_so"]
    assert data.frame["so_hoa"].tolist() == [True, False, False]
    assert data.frame["so_hoa"].dtype == bool
    assert data.frame["le_phi"].dtype == "float64"
    assert data.frame["le_phi"].isna().tolist() == [False, True, True]
    assert pd.api.types.is_datetime64_any_dtype(data.frame["ngay_tiep_nhan"])
    assert str(data.frame["hinh_thuc_nop"].tolist()[1]) == "truc_tuyen"
    item = rule(evaluate(pack(tmp_path), [with_columns, without], period="2026-10", group_by="combine"), "digitised")
    assert (item.numerator, item.denominator) == (1, 3)


def test_columns_only_a_later_file_has_keep_their_types_for_every_file(tmp_path):
    """The first file lacks the yes/no, the fee and the ngay_co_ket_qua columns, the second has
    them: joined, the first file's records read "no", no fee and no date, and the second's keep
    their values as yes/no, numbers and dates (a rule counts them)."""
    without = sheets(("A", [dossier(0, OCTOBER), dossier(1, OCTOBER)]), path="a.xlsx")
    without.sheets[0].data = without.sheets[0].data.drop(columns=["ngay_co_ket_qua"])
    done = datetime(2026, 10, 9, 16)
    later = sheets(("B", [record(2, digitised=True, fee=150.0, ngay_co_ket_qua=done),
                          record(3, fee=20.0, ngay_co_ket_qua=done)]), path="b.xlsx")
    data = collect([without, later])["ho_so"]
    frame = data.frame
    assert frame["so_hoa"].dtype == bool and frame["so_hoa"].tolist() == [False, False, True, False]
    assert frame["le_phi"].dtype == "float64" and frame["le_phi"].tolist()[2:] == [150.0, 20.0]
    assert frame["le_phi"].isna().tolist() == [True, True, False, False]
    assert pd.api.types.is_datetime64_any_dtype(frame["ngay_co_ket_qua"])
    assert frame["ngay_co_ket_qua"].isna().tolist() == [True, True, False, False]
    assert frame["ngay_co_ket_qua"].iloc[2] == pd.Timestamp(done)
    item = rule(evaluate(pack(tmp_path), [without, later], period="2026-10", group_by="combine"), "digitised")
    assert (item.numerator, item.denominator) == (1, 4)


def test_a_workbooks_channel_cells_are_counted_in_each_data_sheet_after_a_notes_sheet(tmp_path):
    """Read by the loader (channels as written, a notes sheet first, a sheet whose channel
    column lacks a cell): every data sheet's rows are counted, each channel as written."""
    def dossiers(ids, field, channels):
        return pd.DataFrame({"Mã hồ sơ": ids, "Lĩnh vực": [field] * len(ids),
                             "Ngày › Tiếp nhận": ["05/10/2026"] * len(ids), "Trạng thái": ["Đang xử lý"] * len(ids),
                             "Hình thức nộp": channels})
    notes = pd.DataFrame({"Ghi chú": ["Số liệu tháng 10 do bộ phận một cửa tổng hợp"]})
    write_workbook(tmp_path / "xa.xlsx", [
        ReportSheet("Ghi chú", notes, banner=False, total_row=False),
        ReportSheet("T10", dossiers(["H1", "H2", "H3"], "Tư pháp", ["Trực tuyến", "Trực tiếp", "Trực tuyến"]),
                    total_row=False),
        ReportSheet("T10 (2)", dossiers(["H4", "H5", "H6"], "Đất đai", ["Trực tuyến", "Bưu chính", None]),
                    total_row=False)])
    item = rule(evaluate(write_pack(tmp_path / "pack"), [load_file(tmp_path / "xa.xlsx")], period="2026-10"),
                "online")
    assert (item.numerator, item.denominator) == (3, 6)
    assert [(g.group, g.numerator, g.denominator) for g in item.breakdown] == [("Đất đai", 1, 3), ("Tư pháp", 2, 3)]


def test_a_column_that_looks_like_a_missing_one_is_named_from_whichever_sheet_has_it(tmp_path):
    """The hint for a rule without data comes from the unused columns of every sheet, not only
    the last one's."""
    file = sheets(("A", [record(0)]), ("B", [record(1)]), path="xa.xlsx")
    for one in file.sheets:
        one.data = one.data.drop(columns=["hinh_thuc_nop"])
    file.sheets[0].report.unmatched_headers = ["Hình thức nộp HS"]
    file.sheets[1].report.unmatched_headers = ["Ghi chú"]
    item = rule(evaluate(write_pack(tmp_path), [file], period="2026-10"), "online")
    assert item.status == "no_data"
    assert "“Hình thức nộp HS” (xa.xlsx › A)" in item.message


def test_dates_that_look_swapped_are_named_by_the_header_each_sheet_gave_them(tmp_path):
    done = record(0, trang_thai="da_tra_ket_qua", ngay_co_ket_qua=datetime(2026, 10, 12), thoi_han_quy_dinh=5.0)
    file = sheets(("A", [done]), ("B", [{**done, "ma_ho_so": "HS-1"}]), path="xa.xlsx", doubtful=["ngay_tiep_nhan"])
    file.sheets[0].report.fields = {"ngay_tiep_nhan": "Ngày nhận hồ sơ"}
    file.sheets[1].report.fields = {"ngay_tiep_nhan": "Ngày tiếp nhận"}
    item = rule(evaluate(pack(tmp_path, COMPUTED, "cut"), [file], period="2026-10"), "cut")
    assert item.message_code == "result.dates_doubtful"
    assert item.message_params["fields"] == "ngay_tiep_nhan (xa.xlsx › A › Ngày nhận hồ sơ, xa.xlsx › B › Ngày tiếp nhận)"


def test_a_record_in_two_files_is_counted_once_and_the_warning_says_where(tmp_path):
    a = sheets(("Hồ sơ", [record(k, digitised=k < 2) for k in range(4)]), path="a.xlsx")
    b = sheets(("Hồ sơ", [record(k, digitised=True) for k in range(2, 5)]), path="b.xlsx")
    result = evaluate(pack(tmp_path), [a, b], period="2026-10", group_by="combine")
    item = rule(result, "digitised")
    assert (item.numerator, item.denominator) == (5, 5)
    [warning] = result.warnings
    assert (warning.code, warning.path, warning.sheet, warning.field, warning.rows) == (
        "load.duplicate_ids_across", "a.xlsx", "Hồ sơ", "ma_ho_so", [10, 11])
    assert warning.params == {
        "count": 2, "field": "ma_ho_so", "places": "a.xlsx › Hồ sơ + b.xlsx › Hồ sơ: 2", "dropped": 2,
        "values": "“HS-00002” (a.xlsx › Hồ sơ: 10, b.xlsx › Hồ sơ: 8); “HS-00003” (a.xlsx › Hồ sơ: 11, b.xlsx › Hồ sơ: 9)"}
    [first, second] = result.inputs
    assert (first.sheets[0].rows_used, first.sheets[0].rows_left_out) == (2, {"duplicate": 2})
    assert (second.sheets[0].rows_used, second.sheets[0].rows_left_out) == (3, {})


def test_many_copies_are_summed_up_in_the_warning():
    """Six ids copied, one of them in six sheets: five examples then `… +1`, five places then `…`."""
    files = [sheets(*[(f"S{k}", [record(n) for n in range(6)] if k == 0 else [record(0)]) for k in range(6)],
                    path="x.xlsx")]
    data = collect(files)["ho_so"]
    assert len(data.frame) == 6
    [warning] = data.warnings
    assert warning.params["count"] == 1
    assert warning.params["dropped"] == 5
    assert warning.params["values"] == ("“HS-00000” (x.xlsx › S0: 8, x.xlsx › S1: 8, x.xlsx › S2: 8, x.xlsx › S3: 8, "
                                        "x.xlsx › S4: 8, …)")
    assert data.duplicates == {(0, k): 1 for k in range(5)}  # equal copies: the later one is kept
    twelve = [sheets(("A", [record(n) for n in range(12)]), path="a.xlsx")] + [
        sheets(("B", [record(n)]), path=f"b{n:02d}.xlsx") for n in range(12)]
    data = collect(twelve)["ho_so"]
    [warning] = data.warnings
    assert warning.params["count"] == 12
    assert warning.params["places"].count(": 1") == 10
    assert warning.params["places"].endswith("; … +2")
    assert warning.params["places"].startswith("a.xlsx › A + b00.xlsx › B: 1; a.xlsx › A + b01.xlsx › B: 1")
    assert warning.params["values"].endswith("; … +7")
    assert warning.params["values"].count("“HS-") == 5
    assert (warning.path, warning.sheet, warning.rows) == ("a.xlsx", "A", list(range(8, 20)))


def test_most_shared_sets_of_sheets_come_first_in_the_warning():
    a = sheets(("A", [record(n) for n in range(3)]), path="a.xlsx")
    b = sheets(("B", [record(0)]), path="b.xlsx")
    c = sheets(("C", [record(1), record(2)]), path="c.xlsx")
    [warning] = collect([a, b, c])["ho_so"].warnings
    assert warning.params["places"] == "a.xlsx › A + c.xlsx › C: 2; a.xlsx › A + b.xlsx › B: 1"


def test_a_sheet_without_ids_says_copies_could_not_be_looked_for():
    a = sheets(("A", [record(0)]), path="a.xlsx")
    plain = {k: v for k, v in record(0).items() if k != "ma_ho_so"}
    b = sheets(("B", [plain]), path="b.xlsx")
    data = collect([a, b])["ho_so"]
    [warning] = data.warnings
    assert (warning.code, warning.path, warning.sheet, warning.field, warning.rows) == (
        "load.duplicates_unchecked", "b.xlsx", "B", "ma_ho_so", [])
    assert warning.params == {"count": 2, "dataset": "ho_so", "field": "ma_ho_so", "sheets": "b.xlsx › B"}
    assert len(data.frame) == 2 and data.duplicates == {}


def test_statistics_rows_of_two_files_are_never_taken_for_copies():
    """A statistics report has no record id: the same field in two files is two rows."""
    row = {"linh_vuc": "Tư pháp", "tiep_nhan": 4.0, "truc_tuyen": 2.0}
    files = [loaded([row], dataset="thong_ke", path=f"{name}.xlsx") for name in "ab"]
    data = collect(files)["thong_ke"]
    assert data.frame["tiep_nhan"].tolist() == [4.0, 4.0]
    assert data.warnings == []


# --- the data's dates and the period ---------------------------------------------------------------


def test_the_datas_dates_run_over_event_dates_only_and_none_outside_the_period_is_said():
    records = [record(0, datetime(2026, 9, 3)), {**record(1, datetime(2026, 9, 20)), "ngay_hen_tra": datetime(2027, 1, 1)}]
    datasets = collect([sheets(("Hồ sơ", records), path="xa.xlsx")])
    assert date_range(datasets) == (pd.Timestamp(2026, 9, 3), pd.Timestamp(2026, 9, 20))
    [warning] = dates_outside_period(datasets, parse_period("2026-10"))
    assert (warning.code, warning.path, warning.sheet) == ("period.no_dates_in_period", "xa.xlsx", "Hồ sơ")
    assert warning.params == {"dataset": "ho_so", "period": parse_period("2026-10").label,
                              "first": "2026-09-03", "last": "2026-09-20"}
    assert dates_outside_period(datasets, parse_period("2026-09")) == []
    assert date_range({}) == (None, None)


@pytest.mark.parametrize("day", [datetime(2026, 10, 1), datetime(2026, 10, 31, 23, 59)])
def test_a_date_on_the_periods_first_or_last_day_is_inside_it(day):
    datasets = collect([sheets(("Hồ sơ", [record(0, datetime(2026, 9, 3)), record(1, day)]))])
    assert dates_outside_period(datasets, parse_period("2026-10")) == []


def test_dates_that_look_swapped_are_left_out_of_the_datas_dates():
    datasets = collect([sheets(("Hồ sơ", [record(0, datetime(2026, 9, 3))]), doubtful=["ngay_tiep_nhan"])])
    assert date_range(datasets) == (None, None)
    assert dates_outside_period(datasets, parse_period("2026-10")) == []


# --- a statistics sheet whose rows are communes ----------------------------------------------------


def test_a_sheet_of_communes_is_split_by_commune_and_rows_naming_none_are_said():
    rows = [{"don_vi": "Xã B", "linh_vuc": "Tư pháp", "tiep_nhan": 4.0, "truc_tuyen": 2.0},
            {"don_vi": "Xã A", "linh_vuc": "Tư pháp", "tiep_nhan": 5.0, "truc_tuyen": 5.0},
            {"don_vi": None, "linh_vuc": "Tư pháp", "tiep_nhan": 1.0, "truc_tuyen": 0.0},
            {"don_vi": "Xã B", "linh_vuc": "Đất đai", "tiep_nhan": 6.0, "truc_tuyen": 3.0}]
    datasets = collect([loaded(rows, dataset="thong_ke", path="tinh.xlsx"),
                        loaded([dossier(1, OCTOBER)], path="hs.xlsx")])
    split = split_units(datasets)
    assert [unit for unit, _ in split.units] == ["Xã A", "Xã B"]
    assert split.units[1][1]["thong_ke"].frame["tiep_nhan"].tolist() == [4.0, 6.0]
    assert split.units[1][1]["thong_ke"].sources == ["tinh.xlsx › Sheet1"]
    blank, unattributed = split.warnings("vi")
    assert (blank.code, blank.path, blank.sheet, blank.field, blank.rows, blank.params) == (
        "load.unit_blank", "tinh.xlsx", "Sheet1", "don_vi", [10], {"count": 1})
    assert (unattributed.code, unattributed.path, unattributed.sheet, unattributed.rows) == (
        "load.unit_unattributed", "hs.xlsx", "Sheet1", [])
    assert unattributed.params == {"dataset": "ho_so", "title": "Hồ sơ thủ tục hành chính", "rows": 1}
    assert split.warnings("en")[1].params["title"] == "Administrative-procedure dossiers"  # the dataset named in the report's language
    one = [{"don_vi": "Xã A", "linh_vuc": "Tư pháp", "tiep_nhan": 4.0, "truc_tuyen": 2.0}]
    assert split_units(collect([loaded(one, dataset="thong_ke")])) is None


# --- a declared figure first, the records next -----------------------------------------------------

DECLARED_FIRST = """\
  - id: index
    title: {{vi: "Chỉ số thử", en: "Test index"}}
    source: {{section: "1", quote: "Chỉ số thử đạt {target}%"}}
    target: {{op: ">=", value: {target}}}
    deadline: 2030
    measurements:
      - kind: declared
        keys: ["Chỉ số thử"]
      - dataset: ho_so
        population: received
        condition: so_hoa
"""


def declared(value: float, period: str = "10/2026"):
    return loaded([{"chi_tieu": "Chỉ số thử", "gia_tri": value, "ky": period}], dataset="chi_tieu", path="chi-tieu.xlsx")


def test_the_declared_figure_of_the_period_comes_before_the_records(tmp_path):
    body = DECLARED_FIRST.format(target="90")
    records = sheets(("Hồ sơ", [record(0, digitised=True), record(1)]), path="hs.xlsx")
    item = rule(evaluate(pack(tmp_path, body, "d90"), [declared(85.0), records], period="2026-10",
                         group_by="combine"), "index")
    assert (item.measurement.kind, item.status, item.value) == ("declared", "fail", 85.0)
    assert item.message_code == "result.fail_value"
    assert item.message_params == {"value": item.display_value, "op": ">=", "target": "90"}
    assert item.display_value.startswith("85")
    assert (item.samples, item.samples_total) == ([], 0)  # a declared figure has no records to list
    # no row for October: the records measure it instead
    item = rule(evaluate(pack(tmp_path, body, "d90"), [declared(85.0, "9/2026"), records], period="2026-10",
                         group_by="combine"), "index")
    assert (item.measurement.kind, item.numerator, item.denominator, item.status) == ("share", 1, 2, "fail")
    # no records either: the declared sheet is the last way, and it has nothing for October
    item = rule(evaluate(pack(tmp_path, body, "d90"), [declared(85.0, "9/2026")], period="2026-10"), "index")
    assert (item.measurement.kind, item.status, item.value) == ("declared", "no_data", None)


def test_a_fractional_target_is_named_as_written_in_the_failure(tmp_path):
    body = DECLARED_FIRST.format(target="97.5")
    item = rule(evaluate(pack(tmp_path, body, "d975"), [declared(97.0)], period="2026-10"), "index")
    assert (item.status, item.message_params["target"], item.message_params["op"]) == ("fail", "97.5", ">=")
    item = rule(evaluate(pack(tmp_path, body, "d975"), [declared(97.5)], period="2026-10"), "index")
    assert (item.status, item.message_code) == ("pass", None)


def report(received: float, online: float):
    return loaded([{"linh_vuc": "Tư pháp", "tiep_nhan": received, "truc_tuyen": online}], dataset="thong_ke",
                  path="bao-cao.xlsx")


@pytest.mark.parametrize("received,online,shortfall,message", [
    (10.0, 8.0, 1, "result.fail_shortfall"),     # whole numbers in a report: one more online dossier
    (20.0, 16.0, 2, "result.fail_shortfall"),
    # a fraction of a dossier cannot be counted: the failure is its value, not an unreachable target
    (10.0, 8.5, None, "result.fail_value"),
    (10.5, 8.0, None, "result.fail_value"),
])
def test_a_reports_shortfall_is_counted_in_dossiers_only_from_whole_numbers(tmp_path, received, online, shortfall,
                                                                            message):
    item = rule(evaluate(write_pack(tmp_path), [report(received, online)], period="2026-10"), "online-report")
    assert (item.status, item.shortfall, item.message_code) == ("fail", shortfall, message)
    if shortfall:
        assert item.message_params == {"shortfall": shortfall, "row_of": "thong_ke"}
    else:
        assert item.message_params == {"value": item.display_value, "op": ">=", "target": "90"}


# --- what the result says about the rule -----------------------------------------------------------

MILESTONE = """\
  - id: digitised
    title: {vi: "Hồ sơ được số hoá", en: "Dossiers digitised"}
    source: {section: "1.2", quote: "Tỷ lệ hồ sơ được số hoá"}
    target: {op: ">=", value: 90, unit: "%"}
    milestones: {2026: 40}
    severity: warning
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: received
        condition: so_hoa
        caveat: {vi: "Gần đúng", en: "Approximate"}
"""


def test_a_years_milestone_is_the_target_of_that_year_and_the_final_one_is_named(tmp_path):
    records = sheets(("Hồ sơ", [record(0, digitised=True), record(1)]))
    item = rule(evaluate(pack(tmp_path, MILESTONE, "m"), [records], period="2026-10"), "digitised")
    assert (item.target.op, item.target.value, item.target.milestone_year, item.target.final_value) == (
        ">=", 40, 2026, 90)
    assert (item.status, item.value, item.severity, item.section, item.id) == (
        "pass", 50.0, "warning", "1.2", "user/digitised")
    assert [(remark.code, remark.params) for remark in item.remarks] == [
        ("result.caveat", {"vi": "Gần đúng", "en": "Approximate"})]
    later = sheets(("Hồ sơ", [record(0, datetime(2027, 10, 1), digitised=True), record(1, datetime(2027, 10, 1))]))
    item = rule(evaluate(pack(tmp_path, MILESTONE, "m"), [later], period="2027-10"), "digitised")
    assert (item.target.value, item.target.milestone_year, item.target.final_value, item.status) == (
        90, None, None, "fail")


def test_the_measurement_used_is_described(tmp_path):
    share = rule(evaluate(write_pack(tmp_path), [loaded([dossier(1, OCTOBER)])], period="2026-10"), "online")
    assert (share.measurement.kind, share.measurement.population, share.measurement.condition) == (
        "share", "received", 'hinh_thuc_nop == "truc_tuyen"')
    ratio = rule(evaluate(write_pack(tmp_path), [report(10.0, 9.0)], period="2026-10"), "online-report")
    assert (ratio.measurement.kind, ratio.measurement.numerator, ratio.measurement.denominator) == (
        "sum_ratio", ["truc_tuyen"], ["tiep_nhan"])
    assert ratio.measurement.sources == ["bao-cao.xlsx › Sheet1"]


def test_records_of_no_field_are_their_own_group_and_records_without_ids_are_listed_by_row(tmp_path):
    rows = [{**dossier(k, OCTOBER, online=False), "linh_vuc": None} for k in range(2)] + [dossier(5, OCTOBER)]
    item = rule(evaluate(write_pack(tmp_path), [loaded(rows)], period="2026-10"), "online")
    assert [(g.group, g.numerator, g.denominator) for g in item.breakdown] == [
        (t("value.blank_group"), 0, 2), ("Tư pháp", 1, 1)]
    no_ids = [{k: v for k, v in row.items() if k != "ma_ho_so"} for row in rows]
    item = rule(evaluate(write_pack(tmp_path), [loaded(no_ids)], period="2026-10", keep_failing=True), "online")
    assert [(s.record_id, s.row) for s in item.samples] == [(None, 8), (None, 9)]
    assert item.failing.record_id is None
    assert list(item.failing.frame.columns[:3]) == ["_path", "_sheet", "_row"]


def test_a_passing_rule_keeps_no_failing_list(tmp_path):
    rows = [dossier(k, OCTOBER) for k in range(3)]
    item = rule(evaluate(write_pack(tmp_path), [loaded(rows)], period="2026-10", keep_failing=True), "online")
    assert (item.status, item.samples_total, item.failing) == ("pass", 0, None)
    rows.append(dossier(9, OCTOBER, online=False))
    item = rule(evaluate(write_pack(tmp_path), [loaded(rows)], period="2026-10", keep_failing=True), "online")
    assert list(item.failing.frame.columns[:4]) == ["ma_ho_so", "_path", "_sheet", "_row"]


def test_a_field_with_nothing_received_comes_last_in_the_breakdown_with_no_figure(tmp_path):
    rows = [{"linh_vuc": "Tư pháp", "tiep_nhan": 10.0, "truc_tuyen": 5.0},
            {"linh_vuc": "Đất đai", "tiep_nhan": 0.0, "truc_tuyen": 0.0},
            {"linh_vuc": "Hộ tịch", "tiep_nhan": 4.0, "truc_tuyen": 4.0},
            {"linh_vuc": None, "tiep_nhan": 4.0, "truc_tuyen": 1.0}]
    item = rule(evaluate(write_pack(tmp_path), [loaded(rows, dataset="thong_ke")], period="2026-10"), "online-report")
    assert [(g.group, g.value, g.status) for g in item.breakdown] == [
        (t("value.blank_group"), 25.0, "fail"), ("Tư pháp", 50.0, "fail"), ("Hộ tịch", 100.0, "pass"),
        ("Đất đai", None, "no_data")]


def test_copies_left_out_of_a_files_second_sheet_are_counted_in_that_sheet():
    a = sheets(("T9", [record(0), record(1)]), ("T10", [record(2), record(3)]), path="a.xlsx")
    b = sheets(("Hồ sơ", [record(2), record(3), record(4)]), path="b.xlsx")
    files = [a, b]
    datasets = collect(files)
    assert datasets["ho_so"].duplicates == {(0, 1): 2}  # equal copies: the later file's is kept
    from dxcheck.evaluation.data import input_reports

    first, second = input_reports(files, datasets)
    assert [(s.sheet, s.rows_used, s.rows_left_out) for s in first.sheets] == [
        ("T9", 2, {}), ("T10", 0, {"duplicate": 2})]
    assert [(s.sheet, s.rows_used, s.rows_left_out) for s in second.sheets] == [("Hồ sơ", 3, {})]
    [warning] = datasets["ho_so"].warnings
    assert (warning.path, warning.sheet, warning.rows) == ("a.xlsx", "T10", [8, 9])


def test_a_long_list_of_copies_names_the_first_fifty_rows():
    a = sheets(("A", [record(n) for n in range(60)]), path="a.xlsx")
    b = sheets(("B", [record(n) for n in range(60)]), path="b.xlsx")
    data = collect([a, b])["ho_so"]
    [warning] = data.warnings
    assert warning.rows == list(range(8, 58))
    assert (warning.params["count"], warning.params["dropped"]) == (60, 60)
    assert len(data.frame) == 60


def test_a_sheet_of_communes_lists_at_most_fifty_rows_naming_none_per_sheet():
    rows = [{"don_vi": "Xã A", "linh_vuc": "Tư pháp", "tiep_nhan": 1.0}, {"don_vi": "Xã B", "linh_vuc": "Tư pháp", "tiep_nhan": 1.0}]
    rows += [{"don_vi": None, "linh_vuc": "Tư pháp", "tiep_nhan": 1.0}] * 55
    split = split_units(collect([loaded(rows, dataset="thong_ke", path="tinh.xlsx")]))
    [blank] = split.warnings("en")
    assert blank.rows == list(range(10, 60)) and blank.params == {"count": 55}
    assert [len(datasets["thong_ke"].frame) for _, datasets in split.units] == [1, 1]


FLAGGED = DIGITISED + """\
        flags:
          - when: 'hinh_thuc_nop == "truc_tiep"'
            say: {vi: "nộp trực tiếp", en: "submitted in person"}
"""


def test_flagged_records_are_warned_per_sheet_in_file_order_with_their_first_fifty_rows(tmp_path):
    in_person = [record(k, hinh_thuc_nop="truc_tiep") for k in range(55)]
    file = sheets(("T10", [record(900)] + [record(901 + k, hinh_thuc_nop="truc_tiep") for k in range(2)]),
                  ("Khác", in_person), path="xa.xlsx")
    item = rule(evaluate(pack(tmp_path, FLAGGED, "flags"), [file], period="2026-10"), "digitised")
    warnings = [w for w in item.rule_warnings if w.params.get("rule") == "user/digitised"]
    assert [(w.path, w.sheet, w.params["count"], w.rows) for w in warnings] == [
        ("xa.xlsx", "T10", 2, [9, 10]), ("xa.xlsx", "Khác", 55, list(range(8, 58)))]


BASELINE = DIGITISED.replace("    deadline: 2030\n", """    deadline: 2030
    baseline: {op: ">=", value: 99, period: "2020-2025", section: "1", quote: "Tỷ lệ hồ sơ được số hoá đạt 99%"}
""")


@pytest.mark.parametrize("digitised,regression,shown", [(98996, True, "98.996"), (99000, False, "99.00")])
def test_a_figure_just_below_the_plans_earlier_one_is_shown_below_it(tmp_path, digitised, regression, shown):
    """Passing the target (90) but below the baseline (99): 98.996 is never shown as 99."""
    records = [record(k, digitised=k < digitised) for k in range(100000)]
    item = rule(evaluate(pack(tmp_path, BASELINE, "base"), [sheets(("Hồ sơ", records))], period="2026-10"),
                "digitised")
    assert (item.status, item.regression, item.display_value) == ("pass", regression, shown)


RATED = """\
  - id: satisfied
    title: {vi: "Hài lòng", en: "Satisfied"}
    source: {section: "1", quote: "Mức độ hài lòng đạt 90%"}
    target: {op: ">=", value: 90}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: rated
        condition: satisfied
        response_rate: {population: completed, warn_below: 50}
"""


def test_a_satisfaction_figure_states_its_response_rate_and_warns_when_it_is_low(tmp_path):
    rows = [{**record(k, trang_thai="da_tra_ket_qua", ngay_co_ket_qua=datetime(2026, 10, 12)),
             "danh_gia": "hai_long" if k < 3 else "chua_danh_gia"} for k in range(10)]
    result = evaluate(pack(tmp_path, RATED, "rated"), [sheets(("Hồ sơ", rows), path="xa.xlsx")], period="2026-10")
    item = rule(result, "satisfied")
    assert (item.numerator, item.denominator, item.status) == (3, 3, "pass")
    assert item.details["response_rate"] == {"population": "completed", "warn_below": 50, "responses": 3, "of": 10,
                                             "rate": 30.0}
    assert [(remark.code, remark.params["scope_of"], remark.params["row_of"]) for remark in item.remarks] == [
        ("result.response_rate_low", "ho_so", "ho_so")]
    [warning] = [w for w in result.warnings if w.code == "result.low_response_rate"]
    assert (warning.path, warning.sheet, warning.params["rule"]) == ("xa.xlsx", "Hồ sơ", "user/satisfied")


def test_failing_records_show_only_the_columns_the_rule_reads(tmp_path):
    rows = [dossier(k, OCTOBER, online=False) for k in range(2)]
    item = rule(evaluate(write_pack(tmp_path), [loaded(rows)], period="2026-10"), "online")
    assert set(item.samples[0].values) == {"ngay_tiep_nhan", "hinh_thuc_nop", "trang_thai"}


def test_a_share_no_number_of_records_can_bring_to_its_target_says_so(tmp_path):
    rows = [dossier(k, OCTOBER, online=k < 1) for k in range(3)]
    item = rule(evaluate(write_pack(tmp_path, "==", "50"), [loaded(rows)], period="2026-10"), "online")
    assert (item.status, item.shortfall, item.message_code) == ("fail", None, "result.fail_unreachable")


COMPUTED = """\
  - id: cut
    title: {vi: "Cắt giảm thời gian", en: "Time cut"}
    source: {section: "1", quote: "Giảm 20% thời gian"}
    target: {op: ">=", value: 20}
    deadline: 2030
    measurements:
      - kind: computed
        dataset: ho_so
        function: statutory_time_reduction
        population: completed
"""


def test_a_computed_measurement_is_named_by_its_function(tmp_path):
    done = record(0, trang_thai="da_tra_ket_qua", ngay_co_ket_qua=datetime(2026, 10, 12), thoi_han_quy_dinh=5.0)
    item = rule(evaluate(pack(tmp_path, COMPUTED, "cut"), [sheets(("Hồ sơ", [done]))], period="2026-10"), "cut")
    assert (item.measurement.kind, item.measurement.function) == ("computed", "statutory_time_reduction")
    assert item.status in ("pass", "fail") and item.value is not None


NOTED = MILESTONE.replace("    severity: warning\n", """    severity: warning
    notes: "Ghi chú của kế hoạch"
    indicator: so-hoa
""")


def test_a_result_carries_the_rules_title_source_notes_and_indicator(tmp_path):
    records = sheets(("Hồ sơ", [record(0, digitised=True)]))
    item = rule(evaluate(pack(tmp_path, NOTED, "noted"), [records], period="2026-10"), "digitised")
    assert item.title == {"vi": "Hồ sơ được số hoá", "en": "Dossiers digitised"}
    assert (item.quote, item.deadline, item.notes, item.indicator, item.target.unit) == (
        "Tỷ lệ hồ sơ được số hoá", 2030, "Ghi chú của kế hoạch", "user/so-hoa", "%")
    plain = rule(evaluate(pack(tmp_path, MILESTONE, "m"), [records], period="2026-10"), "digitised")
    assert (plain.indicator, plain.notes) == ("user/digitised", None)


def test_a_rule_whose_data_is_missing_says_what_is_missing(tmp_path):
    item = rule(evaluate(pack(tmp_path), [report(10.0, 9.0)], period="2026-10"), "digitised")
    assert (item.status, item.message_code, item.measurement) == ("no_data", "result.no_data", None)
    assert "ho_so" in item.message_params["missing"]


def test_dates_that_look_swapped_in_two_columns_of_two_sheets_are_all_named(tmp_path):
    done = record(0, trang_thai="da_tra_ket_qua", ngay_co_ket_qua=datetime(2026, 10, 12), thoi_han_quy_dinh=5.0)
    file = sheets(("A", [done]), ("B", [{**done, "ma_ho_so": "HS-1"}]), path="xa.xlsx",
                  doubtful=["ngay_tiep_nhan", "ngay_co_ket_qua"])
    item = rule(evaluate(pack(tmp_path, COMPUTED, "cut"), [file], period="2026-10"), "cut")
    assert item.message_code == "result.dates_doubtful"
    assert item.message_params["fields"] == (
        "ngay_co_ket_qua (xa.xlsx › A › ngay_co_ket_qua, xa.xlsx › B › ngay_co_ket_qua); "
        "ngay_tiep_nhan (xa.xlsx › A › ngay_tiep_nhan, xa.xlsx › B › ngay_tiep_nhan)")


# --- the copies warning at its limits ----------------------------------------------------------------


def test_an_id_in_exactly_five_sheets_lists_all_five_places_without_an_ellipsis():
    files = [sheets(*[(f"S{k}", [record(0)]) for k in range(5)], path="x.xlsx")]
    [warning] = collect(files)["ho_so"].warnings
    assert warning.params["values"] == ("“HS-00000” (x.xlsx › S0: 8, x.xlsx › S1: 8, x.xlsx › S2: 8, "
                                        "x.xlsx › S3: 8, x.xlsx › S4: 8)")
    # the later copy is kept: the warning points at the first sheet a copy was dropped from
    assert (warning.sheet, warning.rows, warning.params["dropped"]) == ("S0", [8], 4)


def test_exactly_five_ids_copied_are_all_named_and_six_end_with_a_count_of_the_rest():
    five = [sheets(("A", [record(n) for n in range(5)]), ("B", [record(n) for n in range(5)]), path="x.xlsx")]
    [warning] = collect(five)["ho_so"].warnings
    assert warning.params["count"] == 5
    assert warning.params["values"].count("“HS-") == 5 and "… +" not in warning.params["values"]
    six = [sheets(("A", [record(n) for n in range(6)]), ("B", [record(n) for n in range(6)]), path="x.xlsx")]
    [warning] = collect(six)["ho_so"].warnings
    assert warning.params["values"].endswith("; … +1")


def test_exactly_ten_sets_of_sheets_are_all_listed():
    """Sheet H holds ids 0–9, sheet Sk a copy of id k: ten sets of two sheets, one id each."""
    parts = [("H", [record(n) for n in range(10)])] + [(f"S{k}", [record(k)]) for k in range(10)]
    [warning] = collect([sheets(*parts, path="x.xlsx")])["ho_so"].warnings
    places = warning.params["places"].split("; ")
    assert len(places) == 10 and not any(place.startswith("…") for place in places)
    eleven = [("H", [record(n) for n in range(11)])] + [(f"S{k}", [record(k)]) for k in range(11)]
    [warning] = collect([sheets(*eleven, path="x.xlsx")])["ho_so"].warnings
    assert warning.params["places"].endswith("; … +1")


def test_sets_shared_by_as_many_ids_are_listed_in_sheet_order():
    """Ids 0 and 1 both first met in sheet A; id 0 is copied in C, id 1 in B. Each set holds one id,
    so they are listed by their sheets: A + B before A + C, whichever id came first."""
    files = [sheets(("A", [record(0), record(1)]), ("B", [record(1)]), ("C", [record(0)]), path="x.xlsx")]
    [warning] = collect(files)["ho_so"].warnings
    assert warning.params["places"] == "x.xlsx › A + x.xlsx › B: 1; x.xlsx › A + x.xlsx › C: 1"


def test_an_id_written_in_another_case_is_one_record_named_as_first_written():
    a = sheets(("Hồ sơ", [record(2)]), path="a.xlsx")
    lower = record(2)
    lower["ma_ho_so"] = "hs-00002"
    b = sheets(("Hồ sơ", [lower]), path="b.xlsx")
    data = collect([a, b])["ho_so"]
    assert len(data.frame) == 1
    [warning] = data.warnings
    assert warning.params["values"] == "“HS-00002” (a.xlsx › Hồ sơ: 8, b.xlsx › Hồ sơ: 8)"


@pytest.mark.parametrize("limit,online,total,code,params", [
    ("12.5", 3, 16, "result.fail_not_exactly", {"needed": 2, "count": 3, "row_of": "ho_so"}),  # 2 of 16 meet it
    ("12.34", 12, 101, "result.fail_unreachable", {}),  # 12.4634 records: no whole count meets it
    ("50", 3, 4, "result.fail_not_exactly", {"needed": 2, "count": 3, "row_of": "ho_so"}),
])
def test_a_failing_exact_target_names_the_count_that_meets_it_when_there_is_one(tmp_path, limit, online, total,
                                                                                 code, params):
    files = [loaded([dossier(k, OCTOBER, online=k < online) for k in range(total)])]
    item = rule(evaluate(write_pack(tmp_path, "==", limit), files, period="2026-10"), "online")
    assert (item.status, item.shortfall, item.message_code, item.message_params) == ("fail", None, code, params)


# --- a field some sheets have and another lacks -------------------------------------------------


def test_a_sheet_without_a_column_the_other_sheets_have_is_named_with_its_records():
    """The counter's list has no status column, the portal's has: the counter's dossiers match no
    status in any rule. The data cannot say whether the export left the column out, so the sheet
    is named, with the others' heading."""
    portal = sheets(("Cổng DVC", [record(0), record(1, trang_thai="da_tra_ket_qua")]), path="cong.xlsx")
    counter_rows = [{k: v for k, v in record(n).items() if k != "trang_thai"} for n in (2, 3, 4)]
    counter = sheets(("Một cửa", counter_rows), path="mot-cua.xlsx")
    portal.sheets[0].report.fields["trang_thai"] = "Trạng thái xử lý"  # the heading the portal's export uses
    data = collect([portal, counter])["ho_so"]
    [warning] = data.warnings
    assert (warning.code, warning.path, warning.sheet, warning.field) == (
        "load.field_missing_in_sheet", "mot-cua.xlsx", "Một cửa", "trang_thai")
    assert warning.params == {"field": "trang_thai", "header": "Trạng thái xử lý", "count": 3,
                              "other": "cong.xlsx › Cổng DVC"}
    assert "--map trang_thai=" in warning.message
    assert data.frame["trang_thai"].isna().sum() == 3 and len(data.frame) == 5


def test_a_sheet_without_the_rating_column_is_read_as_not_rated_not_as_unsatisfied():
    """Satisfaction counts the rated dossiers with a result in the period. The counter's list has
    no `Đánh giá` column: its dossiers are not rated (a blank rating is `chua_danh_gia`), as if
    every cell were blank. Without a value they passed `danh_gia != "chua_danh_gia"` and were
    counted as rated and not satisfied: 2 of 4 (fail) instead of 2 of 2, response rate 100%."""
    done = {"ngay_co_ket_qua": datetime(2026, 10, 20), "trang_thai": "da_tra_ket_qua"}
    portal = sheets(("Cổng DVC", [record(0, danh_gia="hai_long", **done), record(1, danh_gia="rat_hai_long", **done)]),
                    path="cong.xlsx")
    counter = sheets(("Một cửa", [record(n, **done) for n in (2, 3)]), path="mot-cua.xlsx")
    result = dxcheck.evaluate([portal, counter], rules=["binh-minh-2030"], period="2026-10", group_by="combine",
                              timestamp=False)
    satisfaction = rule(result, "satisfaction")
    assert (satisfaction.status, satisfaction.numerator, satisfaction.denominator) == ("pass", 2, 2)
    assert satisfaction.details["response_rate"]["responses"] == 2 and satisfaction.details["response_rate"]["of"] == 4
    [warning] = [w for w in result.warnings if w.code.startswith("load.field_missing_in_sheet")]
    assert (warning.code, warning.sheet, warning.field, warning.params["blank"]) == (
        "load.field_missing_in_sheet_read_as_blank", "Một cửa", "danh_gia", "chua_danh_gia")
    # and a blank channel is in person, on the rows of a sheet without the channel column too
    data = collect([sheets(("A", [record(0)]), path="a.xlsx"),
                    sheets(("B", [{k: v for k, v in record(1).items() if k != "hinh_thuc_nop"}]), path="b.xlsx")])
    assert data["ho_so"].frame["hinh_thuc_nop"].astype(object).tolist() == ["truc_tuyen", "truc_tiep"]
    # a column no sheet has stays absent: its rules have no data, not a figure over blanks
    neither = collect([sheets((name, [record(n)]), path=f"{name}.xlsx") for n, name in enumerate("ab")])["ho_so"]
    assert "danh_gia" not in neither.frame.columns and "danh_gia" not in neither.present
    alone = dxcheck.evaluate([sheets(("A", [record(0, **done)]), path="a.xlsx")], rules=["binh-minh-2030"],
                             period="2026-10", timestamp=False)
    assert rule(alone, "satisfaction").status == "no_data"


def test_no_sheet_is_named_when_every_sheet_lacks_the_column_or_has_it():
    both = [sheets((name, [record(n)]), path=f"{name}.xlsx") for n, name in enumerate("ab")]
    assert collect(both)["ho_so"].warnings == []
    bare = [{k: v for k, v in record(n).items() if k != "trang_thai"} for n in (0, 1)]
    neither = [sheets((name, [row]), path=f"{name}.xlsx") for name, row in zip("ab", bare)]
    assert collect(neither)["ho_so"].warnings == []


def test_an_optional_column_left_out_of_one_register_is_not_a_finding():
    """`Độ mật` is optional (the Nghị định 30 register has none: absent means not secret)."""
    row = {"so_ky_hieu": "01/QĐ-UBND", "ngay_ban_hanh": OCTOBER, "trich_yeu": "Quyết định", "ky_so": True}
    with_secrecy = loaded([{**row, "do_mat": False}], dataset="van_ban_di", path="a.xlsx")
    without = loaded([{**row, "so_ky_hieu": "02/QĐ-UBND"}], dataset="van_ban_di", path="b.xlsx")
    assert [w.code for w in collect([with_secrecy, without])["van_ban_di"].warnings] == []


def test_a_sheet_built_without_headings_names_the_field_itself():
    """Sheets made in code (the Python API) may carry no headings: the field's name stands in."""
    portal = sheets(("Cổng DVC", [record(0)]), path="cong.xlsx")
    portal.sheets[0].report.fields.clear()
    counter = sheets(("Một cửa", [{k: v for k, v in record(1).items() if k != "trang_thai"}]), path="mot-cua.xlsx")
    [warning] = collect([portal, counter])["ho_so"].warnings
    assert warning.params["header"] == "trang_thai" and "“trang_thai”" in warning.message
