"""One record, one count: copies of a record id within one commune's data (REFERENCE §3).

The fixture is what communes really hand over: two overlapping exports of one month, the older
one pulled mid-month (dossiers still in progress), the newer at month-end (the same dossiers
finished). The truth is the generator's own frame, measured by its own oracle
(`records.dossier_figures`), never by the evaluator.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxcheck
from dxcheck.datasets import dataset
from dxcheck.load import load_file
from dxcheck.load.duplicates import copies_left_out, record_key, repeated
from dxcheck.messages import t
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, write_csv, write_workbook

PACK = "binh-minh-2030"
#: rule -> its metric in records.dossier_figures
RULES = {"on-time": "on_time", "online-dossiers": "online", "digitized": "digitized_with_result",
         "electronic-results": "e_result", "data-reuse": "reuse", "satisfaction": "satisfaction"}
ID, RESULT, STATUS, PROGRESS = "Mã hồ sơ", "Ngày › Có kết quả", "Trạng thái", "Tiến độ"


def _finished(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame[RESULT], errors="coerce").notna()


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """(folder, truth, older, newer, overlap, finished): the older export holds the first 60% of
    the month's dossiers, the newer the last 60%; the 20% in both are in progress in the older one
    where the truth has them finished. The older file's name sorts last, so that taking the later
    file's copy — instead of the most advanced one — would give wrong figures."""
    truth = records.dossiers(300, "2026-10", seed=3)
    n = len(truth)
    older = truth.iloc[: int(n * 0.6)].astype(object)
    newer = truth.iloc[int(n * 0.4):].copy()
    overlap = older.index.intersection(newer.index)
    finished = overlap[_finished(truth.loc[overlap]).to_numpy()]
    assert 0 < len(finished) < len(overlap)  # both kinds of copies: finished later, and unchanged
    older.loc[finished, [RESULT, PROGRESS]] = None
    older.loc[finished, STATUS] = "Đang xử lý"
    folder = tmp_path_factory.mktemp("xa") / "binh-minh"
    folder.mkdir()
    write_workbook(folder / "b-xuat-ngay-15.xlsx", [ReportSheet("Hồ sơ", older)])
    write_workbook(folder / "a-xuat-cuoi-thang.xlsx", [ReportSheet("Hồ sơ", newer)])
    return folder, truth, older, newer, overlap, finished


@pytest.fixture(scope="module")
def evaluated(exports):
    folder = exports[0]
    return dxcheck.evaluate([folder], rules=[PACK], period="2026-10", timestamp=False)


def _figures(result) -> dict[str, tuple]:
    by_rule = {item.rule: item for item in result.results}
    return {rule: (by_rule[rule].numerator, by_rule[rule].denominator) for rule in RULES}


def _truth(frame: pd.DataFrame) -> dict[str, tuple]:
    figures = records.dossier_figures(frame, "2026-10")
    return {rule: (figures[metric]["numerator"], figures[metric]["denominator"]) for rule, metric in RULES.items()}


def test_overlapping_exports_give_the_figures_of_the_records_they_hold(exports, evaluated):
    _, truth, older, newer, _, _ = exports
    assert _figures(evaluated) == _truth(truth)
    # the fixture can tell: counted twice, or with the older copies kept, the figures differ
    assert _truth(pd.concat([older, newer])) != _truth(truth)
    assert _truth(pd.concat([older, newer.drop(index=older.index, errors="ignore")])) != _truth(truth)


def test_one_warning_names_the_files_the_ids_and_the_copies_left_out(exports, evaluated):
    folder, _, older, newer, overlap, finished = exports
    across = [warning for warning in evaluated.warnings if warning.code == "load.duplicate_ids_across"]
    assert len(across) == 1 and len(evaluated.warnings) == 1
    (warning,) = across
    assert warning.params["count"] == len(overlap) and warning.params["dropped"] == len(overlap)
    assert warning.field == "ma_ho_so"
    newer_path, older_path = str(folder / "a-xuat-cuoi-thang.xlsx"), str(folder / "b-xuat-ngay-15.xlsx")
    # the warning sits in the first file where copies were left out, listing those rows
    assert warning.path == newer_path and warning.sheet == "Hồ sơ"
    kept_newer = len(overlap) - len(finished)  # unchanged dossiers: the later file's copy is kept
    assert len(warning.rows) == min(kept_newer, 50)
    assert f"{newer_path} › Hồ sơ + {older_path} › Hồ sơ: {len(overlap)}" in warning.params["places"]
    first_shared = newer.loc[overlap[0], ID]
    assert f"“{first_shared}” ({newer_path} › Hồ sơ: " in warning.params["values"]
    english = t(warning.code, lang="en", **warning.params)
    assert f"{len(overlap)} ids (ma_ho_so) occur in more than one file or sheet" in english
    assert "counted once" in english and "chỉ được tính một lần" in warning.message


def test_row_accounting_counts_every_copy_left_out(exports, evaluated):
    folder, truth, older, newer, overlap, finished = exports
    sheets = {Path(item.path).name: item.sheets[0] for item in evaluated.inputs}
    for sheet in sheets.values():
        assert sheet.rows_used + sum(sheet.rows_left_out.values()) == sheet.rows_total
    # the in-progress copies of the older export are left out; of the unchanged ones, the newer export's
    assert sheets["b-xuat-ngay-15.xlsx"].rows_left_out["duplicate"] == len(finished)
    assert sheets["a-xuat-cuoi-thang.xlsx"].rows_left_out["duplicate"] == len(overlap) - len(finished)
    assert sum(sheet.rows_used for sheet in sheets.values()) == len(truth)
    # the files as loaded (what `inspect` shows) are untouched: nothing repeats inside either sheet
    alone = load_file(folder / "b-xuat-ngay-15.xlsx").sheets[0].report
    assert "duplicate" not in alone.rows_left_out and alone.rows_used == len(older)


def test_several_communes_are_never_deduplicated_against_each_other(tmp_path, exports):
    _, truth, *_ = exports
    paths = []
    for name in ("xa-mot", "xa-hai"):  # two communes whose systems number dossiers alike
        folder = tmp_path / name
        folder.mkdir()
        write_workbook(folder / "ho-so.xlsx", [ReportSheet("Hồ sơ", truth)])
        paths.append(folder)
    apart = dxcheck.evaluate(paths, rules=[PACK], period="2026-10", group_by="file", timestamp=False)
    assert not [w for w in apart.warnings if "duplicate" in w.code]
    assert [item.sheets[0].rows_used for item in apart.inputs] == [len(truth), len(truth)]
    doubled = {rule: (2 * k, 2 * n) for rule, (k, n) in _truth(truth).items()}
    assert _figures(apart) == doubled
    for unit in apart.units:
        by_rule = {item.rule: item for item in unit.results}
        assert {rule: (by_rule[rule].numerator, by_rule[rule].denominator) for rule in RULES} == _truth(truth)
    # `auto` takes them for two communes too (both hold ho_so); `combine` for one commune's data
    assert _figures(dxcheck.evaluate(paths, rules=[PACK], period="2026-10", timestamp=False)) == doubled
    together = dxcheck.evaluate(paths, rules=[PACK], period="2026-10", group_by="combine", timestamp=False)
    assert _figures(together) == _truth(truth)
    assert [item.sheets[0].rows_left_out.get("duplicate", 0) for item in together.inputs] == [len(truth), 0]


def test_sheets_without_an_id_column_say_duplicates_could_not_be_looked_for(tmp_path, exports):
    _, truth, *_ = exports
    plain = truth.drop(columns=[ID])
    write_workbook(tmp_path / "thang-9.xlsx", [ReportSheet("Hồ sơ", plain.iloc[:200])])
    write_workbook(tmp_path / "thang-10.xlsx", [ReportSheet("Hồ sơ", plain.iloc[100:])])
    result = dxcheck.evaluate([tmp_path], rules=[PACK], period="2026-10", timestamp=False)
    (warning,) = [w for w in result.warnings if w.code == "load.duplicates_unchecked"]
    assert warning.path == str(tmp_path / "thang-10.xlsx") and warning.field == "ma_ho_so"
    assert warning.params["count"] == 2
    assert warning.params["sheets"] == f"{tmp_path / 'thang-10.xlsx'} › Hồ sơ, {tmp_path / 'thang-9.xlsx'} › Hồ sơ"
    assert "counted twice" in t(warning.code, lang="en", **warning.params)
    # one such sheet alone is one export: nothing to say
    single = dxcheck.evaluate([tmp_path / "thang-9.xlsx"], rules=[PACK], period="2026-10", timestamp=False)
    assert not [w for w in single.warnings if w.code == "load.duplicates_unchecked"]


def test_ids_are_compared_trimmed_and_ignoring_case_across_formats(tmp_path):
    frame = records.dossiers(40, "2026-10", seed=8)
    lower = frame.copy()
    lower[ID] = "  " + lower[ID].str.lower() + " "
    write_workbook(tmp_path / "a.xlsx", [ReportSheet("Hồ sơ", frame.iloc[:25])])
    write_csv(tmp_path / "b.csv", lower.iloc[15:])
    result = dxcheck.evaluate([tmp_path], rules=[PACK], period="2026-10", timestamp=False)
    (warning,) = [w for w in result.warnings if w.code == "load.duplicate_ids_across"]
    assert warning.params["count"] == 10
    assert sum(item.sheets[0].rows_used for item in result.inputs) == 40


def test_copies_within_one_sheet_and_across_sheets_of_one_file(tmp_path):
    frame = records.dossiers(60, "2026-10", seed=5)
    repeated_inside = pd.concat([frame.iloc[:30], frame.iloc[[3, 4]]])  # two ids twice in the sheet "Tất cả"
    path = tmp_path / "ho-so.xlsx"
    write_workbook(path, [ReportSheet("Tất cả", repeated_inside), ReportSheet("Thêm", frame.iloc[25:])])
    result = dxcheck.evaluate([path], rules=[PACK], period="2026-10", timestamp=False)
    codes = sorted(w.code for w in result.warnings)
    assert codes == ["load.duplicate_ids", "load.duplicate_ids_across"]
    inside = next(w for w in result.warnings if w.code == "load.duplicate_ids")
    assert inside.params["count"] == 2 and inside.params["dropped"] == 2
    across = next(w for w in result.warnings if w.code == "load.duplicate_ids_across")
    assert across.params["count"] == 5 and across.params["places"] == f"{path} › Tất cả + {path} › Thêm: 5"
    sheets = {sheet.sheet: sheet for sheet in result.inputs[0].sheets}
    assert sheets["Tất cả"].rows_left_out["duplicate"] + sheets["Thêm"].rows_left_out.get("duplicate", 0) == 7
    assert sheets["Tất cả"].rows_used + sheets["Thêm"].rows_used == 60
    for sheet in sheets.values():
        assert sheet.rows_used + sum(sheet.rows_left_out.values()) == sheet.rows_total
    assert _figures(result) == _truth(frame)


# ---- which copy is kept ------------------------------------------------------------------------


def _kept(name: str, rows: dict) -> list[int]:
    frame = pd.DataFrame(rows)
    frame[dataset(name).record_id] = frame[dataset(name).record_id].astype("str")
    key = record_key(frame, dataset(name))
    return np.flatnonzero(~copies_left_out(frame, dataset(name), key, repeated(key))).tolist()


def test_a_dossier_copy_with_a_result_a_later_result_then_a_further_status_wins():
    day = pd.Timestamp
    kept = _kept("ho_so", {
        "ma_ho_so": ["A", "A", "B", "B", "C", "C", "D", "D", "E", "e", None, None],
        "ngay_co_ket_qua": [day("2026-10-05"), pd.NaT, pd.NaT, day("2026-10-03"), day("2026-10-09"),
                            day("2026-10-04"), day("2026-10-06"), day("2026-10-06"), pd.NaT, pd.NaT, pd.NaT, pd.NaT],
        "trang_thai": ["da_tra_ket_qua", "dang_xu_ly", "dang_xu_ly", "da_xu_ly_xong", "da_xu_ly_xong",
                       "da_tra_ket_qua", "da_tra_ket_qua", "da_xu_ly_xong", "rut_ho_so", "cho_bo_sung", None, None],
    })
    # A: the result (first); B: the result (second); C: the later result; D: returned beats done;
    # E/e: one id, the withdrawal beats waiting for papers; rows without an id are never merged
    assert kept == [0, 3, 4, 6, 8, 10, 11]


def test_copies_rank_the_same_by_a_status_held_as_a_categorical():
    # collect holds category fields as Categoricals; one whose categories are exactly the ranked
    # codes, with blank cells, ranks as the object column does (blank lowest)
    rows = {"ma_ho_so": ["A", "A", "B", "B", "C", "C"], "ngay_co_ket_qua": [pd.NaT] * 6,
            "trang_thai": [None, "da_xu_ly_xong", "da_tra_ket_qua", None, "da_tra_ket_qua", "da_xu_ly_xong"]}
    status = pd.Categorical(rows["trang_thai"], categories=["da_tra_ket_qua", "da_xu_ly_xong"])
    assert _kept("ho_so", rows) == _kept("ho_so", {**rows, "trang_thai": status}) == [1, 2, 4]


def test_ties_keep_the_later_copy_and_other_datasets_rank_their_own_way():
    assert _kept("ho_so", {"ma_ho_so": ["A", "A", "A"], "ngay_co_ket_qua": [pd.NaT] * 3,
                           "trang_thai": ["dang_xu_ly", "cho_bo_sung", "tam_dung"]}) == [2]
    assert _kept("phan_anh", {"ma": ["P1", "P1", "P2", "P2"],
                              "ngay_xu_ly": [pd.Timestamp("2026-10-02"), pd.NaT, pd.NaT, pd.NaT]}) == [0, 3]
    assert _kept("van_ban_di", {"so_ky_hieu": ["12/UBND", "12/UBND", "13/UBND", "13/UBND"],
                                "ngay_ban_hanh": [pd.Timestamp("2026-10-02")] * 4,
                                "ky_so": [True, False, False, True]}) == [0, 3]
    assert _kept("thu_tuc", {"ma_thu_tuc": ["1.0001", "1.0001"], "ten_thu_tuc": ["cũ", "mới"]}) == [1]


def test_document_numbers_name_one_document_only_within_one_year():
    # numbering restarts every 1 January: 01/UBND of 2025 and of 2026 are two documents
    day = pd.Timestamp
    assert _kept("van_ban_di", {
        "so_ky_hieu": ["01/UBND", "01/UBND", "01/ubnd", "02/UBND", "02/UBND"],
        "ngay_ban_hanh": [day("2025-01-03"), day("2026-01-05"), day("2026-01-05"), day("2026-02-01"), pd.NaT],
        "ky_so": [True, False, True, True, False],
    }) == [0, 2, 3, 4]
