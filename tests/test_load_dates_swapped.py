"""Dates swapped by a month-first (US) computer: detected from the evidence, never a silent figure.

The fixtures reproduce what really happens. A system exports a day-first report (`dd/mm/yyyy`
text); Excel set to US regional settings opens it, turns every text whose day is ≤ 12 into a real
date with day and month exchanged (`05/10/2026` → 10 May 2026), leaves the others (`25/10/2026`)
as text, and the clerk saves the workbook. Or Excel saves a CSV, writing every date `m/d/yyyy`.
The true figures are computed here from the true dates, independently of dxcheck.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import dxcheck
from dxcheck.errors import UsageError
from dxcheck.load import LoadOptions, load_file
from dxcheck.load.date_order import MIN_DISTINCT, MONTH_FIRST, SWAPPED, examine
from dxcheck.load.values import date_spellings
from dxcheck_synth.report import ReportSheet, write_csv, write_workbook

ROOT = Path(__file__).resolve().parents[1]
D = dt.datetime
START, END = D(2026, 10, 1), D(2026, 10, 31, 23, 59, 59)
RECEIVED, DEADLINE, RESULT = "Ngày › Tiếp nhận", "Ngày › Hẹn trả", "Ngày › Có kết quả"
DATE_COLUMNS = (RECEIVED, DEADLINE, RESULT)
PACK = """\
id: dates-test
title: {vi: "Thử ngày", en: "Dates test"}
plan: {issuer: Xã Thử, document: KẾ HOẠCH thử, seed: plan.txt}
rules:
  - id: online-dossiers
    title: {vi: "Hồ sơ nộp trực tuyến", en: "Dossiers submitted online"}
    source: {section: "1", quote: "Tỷ lệ hồ sơ trực tuyến"}
    target: {op: ">=", value: 0}
    deadline: 2030
    measurements:
      - {dataset: ho_so, population: received, condition: 'hinh_thuc_nop == "truc_tuyen"'}
  - id: on-time
    title: {vi: "Hồ sơ đúng hạn", en: "Dossiers on time"}
    source: {section: "2", quote: "Tỷ lệ hồ sơ đúng hạn"}
    target: {op: ">=", value: 0}
    deadline: 2030
    measurements:
      - {dataset: ho_so, population: handled, condition: on_time}
"""


# ----------------------------------------------------------------------------------------------
# the truth, and the files a month-first computer leaves


def dossiers(n: int = 60, seed: int = 12) -> pd.DataFrame:
    """`n` dossiers of October 2026 (a few received in late September) with their true dates."""
    rng = np.random.default_rng(seed)
    received = [D(2026, 9, 24) + dt.timedelta(days=int(rng.integers(0, 38)), hours=int(rng.integers(7, 17)),
                                               minutes=int(rng.choice([0, 15, 30, 45]))) for _ in range(n)]
    received.sort()
    deadlines = [(moment + dt.timedelta(days=int(rng.integers(2, 15)))).replace(hour=0, minute=0) for moment in received]
    results, states = [], []
    for moment, deadline in zip(received, deadlines):
        draw = rng.random()
        if draw < 0.15:
            results.append(None)
            states.append("Đang xử lý")
        elif draw < 0.2:
            results.append(None)
            states.append("Đã hủy")
        else:
            # most on time, some late by a few days
            late = rng.random() < 0.2
            days = int(rng.integers(1, 5)) + ((deadline - moment).days if late else 0)
            results.append((moment + dt.timedelta(days=days)).replace(hour=int(rng.integers(8, 17)), minute=0))
            states.append("Đã trả kết quả")
    return pd.DataFrame({
        "Mã hồ sơ": [f"H{i:03d}" for i in range(1, n + 1)],
        "Tên thủ tục": [["Đăng ký khai sinh", "Chứng thực bản sao", "Đăng ký kết hôn"][i % 3] for i in range(n)],
        "Lĩnh vực": sorted(["Hộ tịch", "Chứng thực"] * (n // 2) + ["Hộ tịch"] * (n % 2)),
        RECEIVED: received,
        DEADLINE: deadlines,
        RESULT: results,
        "Hình thức nộp": [["Trực tuyến", "Trực tiếp", "Trực tuyến", "Qua dịch vụ BCCI"][int(k)]
                          for k in rng.integers(0, 4, n)],
        "Trạng thái": states,
    })


def truth(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) of both rules for October 2026, from the true dates (REFERENCE §4)."""
    received = online = handled = on_time = 0
    for row in frame.to_dict("records"):
        got, deadline, result = row[RECEIVED], row[DEADLINE], row[RESULT]
        cancelled = row["Trạng thái"] == "Đã hủy"
        if START <= got <= END and not cancelled:
            received += 1
            online += row["Hình thức nộp"] == "Trực tuyến"
        if cancelled or got > END or (result is not None and result < START):
            continue
        handled += 1
        end_of_deadline = deadline.replace(hour=23, minute=59, second=59)  # a date alone: end of that day
        if result is not None and result <= END:
            on_time += result <= end_of_deadline
        else:
            on_time += end_of_deadline >= END
    return {"online-dossiers": (online, received), "on-time": (on_time, handled)}


def report(frame: pd.DataFrame, **options) -> ReportSheet:
    return ReportSheet(name="Hồ sơ", frame=frame, group_by="Lĩnh vực", drop_group_column=True,
                       title="SỔ THEO DÕI HỒ SƠ", **options)


_DMY_TEXT = re.compile(r"^(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2}))?$")


def resave_month_first(source: Path, target: Path, headers=DATE_COLUMNS) -> list[int]:
    """What Excel with US regional settings does to a day-first text export it opens and saves:
    every dd/mm text whose day ≤ 12 becomes a real date read mm/dd; the rest stays text. Returns
    the rows whose date changed value (day ≠ month)."""
    book = openpyxl.load_workbook(source)
    sheet = book.active
    leaves = {header.split("›")[-1].strip() for header in headers}
    columns = {cell.column for row in sheet.iter_rows(max_row=15) for cell in row if cell.value in leaves}
    assert len(columns) == len(headers)
    changed = []
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if cell.column not in columns or not isinstance(cell.value, str):
                continue
            found = _DMY_TEXT.match(cell.value)
            if not found or int(found[1]) > 12:
                continue
            first, second, year = int(found[1]), int(found[2]), int(found[3])
            hour, minute = int(found[4] or 0), int(found[5] or 0)
            cell.value = D(year, first, second, hour, minute)  # read month first
            cell.number_format = "m/d/yyyy h:mm" if found[4] else "m/d/yyyy"
            if first != second:
                changed.append(cell.row)
    book.save(target)
    return sorted(set(changed))


@pytest.fixture(scope="module")
def truth_frame() -> pd.DataFrame:
    return dossiers()


@pytest.fixture(scope="module")
def swapped_file(tmp_path_factory, truth_frame) -> tuple[Path, list[int]]:
    folder = tmp_path_factory.mktemp("swapped")
    exported = folder / "xuat-tu-he-thong.xlsx"
    write_workbook(exported, [report(truth_frame, date_mode="text")])
    target = folder / "ho-so-luu-lai.xlsx"
    return target, resave_month_first(exported, target)


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    (folder / "sources").mkdir()
    (folder / "sources" / "plan.txt").write_text("Tỷ lệ hồ sơ trực tuyến. Tỷ lệ hồ sơ đúng hạn.", encoding="utf-8")
    path = folder / "pack.yaml"
    path.write_text(PACK, encoding="utf-8")
    return path


def figures(result) -> dict[str, tuple]:
    return {item.rule: (item.status, item.numerator, item.denominator) for item in result.results}


def measured(counts: dict[str, tuple[int, int]]) -> dict[str, tuple]:
    return {rule: ("pass", n, d) for rule, (n, d) in counts.items()}


# ----------------------------------------------------------------------------------------------
# swapped real dates in a workbook


def test_the_fixture_holds_the_evidence_it_claims(swapped_file):
    path, changed = swapped_file
    book = openpyxl.load_workbook(path)
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    real = [v for v in values if isinstance(v, dt.datetime)]
    text = [v for v in values if isinstance(v, str) and _DMY_TEXT.match(v)]
    assert len(real) > 30 and len(text) > 30 and changed
    assert all(v.day <= 12 for v in real) and all(int(v[:2]) > 12 for v in text)


def test_swapped_dates_are_warned_with_rows_counts_and_evidence(swapped_file, truth_frame):
    path, changed = swapped_file
    loaded = load_file(path)
    warnings = {w.field: w for w in loaded.warnings if w.code.startswith("load.dates_")}
    assert set(warnings) == {"ngay_tiep_nhan", "ngay_hen_tra", "ngay_co_ket_qua"}
    received = warnings["ngay_tiep_nhan"]
    assert received.code == "load.dates_swapped" and received.sheet == "Hồ sơ" and received.path == str(path)
    # the evidence counted from the fixture itself
    true_received = truth_frame[RECEIVED]
    small_day = true_received.map(lambda d: d.day <= 12)
    assert received.params["real"] == int(small_day.sum())
    assert received.params["text"] == int((~small_day).sum())
    assert received.params["count"] == int(true_received.map(lambda d: d.day <= 12 and d.day != d.month).sum())
    all_rows = sorted({row for w in warnings.values() for row in w.rows})
    assert all_rows == changed  # exactly the cells whose value the re-save changed
    message = received.message
    assert "Ngày › Tiếp nhận" in message and "--swapped-dates fix" in message and "≤ 12" in message
    sheet = loaded.sheets[0]
    assert sheet.doubtful_dates == ["ngay_tiep_nhan", "ngay_hen_tra", "ngay_co_ket_qua"]
    # the example names a real row: as read (month first) → swapped back (the truth)
    first_row = received.rows[0]
    true_date = truth_frame[RECEIVED].iloc[list(sheet.data["_row"]).index(first_row)]
    assert f"{first_row}: {true_date:%m/%d/%Y %H:%M} → {true_date:%d/%m/%Y %H:%M}" in received.params["examples"]


def test_without_the_option_no_figure_is_computed_from_swapped_dates(swapped_file, pack):
    path, _ = swapped_file
    result = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", timestamp=False)
    for item in result.results:
        assert item.status == "no_data" and item.message_code == "result.dates_doubtful"
        assert "ngay_tiep_nhan" in item.message and "--swapped-dates fix" in item.message
    assert int(result.exit_code()) == 0
    strict = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", strict=True, timestamp=False)
    assert int(strict.exit_code()) == 1


def test_fix_reads_the_true_dates_and_gives_the_true_figures(swapped_file, pack, truth_frame, tmp_path):
    path, changed = swapped_file
    options = LoadOptions(swapped_dates="fix")
    result = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", load_options=options, timestamp=False)
    assert figures(result) == measured(truth(truth_frame))
    assert not [w for w in result.warnings if w.code.startswith("load.dates_")]
    notes = [n for n in result.notes if n.code == "load.dates_swapped_fixed"]
    assert {n.field for n in notes} == {"ngay_tiep_nhan", "ngay_hen_tra", "ngay_co_ket_qua"}
    assert sum(n.params["count"] for n in notes) == sum(
        truth_frame[c].dropna().map(lambda d: d.day <= 12 and d.day != d.month).sum() for c in DATE_COLUMNS)
    assert sorted({row for n in notes for row in n.rows}) == changed
    # the same as the export as it was before the re-save
    clean = tmp_path / "clean.xlsx"
    write_workbook(clean, [report(truth_frame)])
    assert figures(dxcheck.evaluate([clean], rules=[str(pack)], period="2026-10", timestamp=False)) == figures(result)
    # and every date read is the true one
    data = load_file(path, options).sheets[0].data
    assert list(data["ngay_tiep_nhan"]) == list(truth_frame[RECEIVED])
    results = truth_frame[RESULT].map(lambda v: pd.NaT if v is None else pd.Timestamp(v))
    assert data["ngay_co_ket_qua"].equals(results.astype("datetime64[ns]").rename("ngay_co_ket_qua"))


def test_keep_reads_the_cells_as_they_are_with_a_note(swapped_file, pack, truth_frame):
    path, _ = swapped_file
    result = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10",
                              load_options=LoadOptions(swapped_dates="keep"), timestamp=False)
    assert {n.code for n in result.notes} == {"load.dates_order_kept"}
    assert not [w for w in result.warnings if w.code.startswith("load.dates_")]
    # computed from the swapped dates: a different figure, which is why it is never the default
    assert all(status == "pass" for status, _, _ in figures(result).values())
    assert figures(result) != measured(truth(truth_frame))


def test_every_report_shows_the_warning_and_the_rules_message(swapped_file, pack):
    from dxcheck.render import renderer

    path, _ = swapped_file
    result = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", timestamp=False, lang="en")
    from dxcheck.messages import set_language

    set_language("en")
    markdown = renderer("md")(result)
    html = renderer("html")(result)
    for text in (markdown, html):
        assert "look swapped by a computer set to US (month-first) dates" in text
        assert "--swapped-dates fix" in text
    fixed = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", timestamp=False, lang="en",
                             load_options=LoadOptions(swapped_dates="fix"))
    assert "Notes on the data" in renderer("md")(fixed) and "swapped back" in renderer("html")(fixed)
    document = json.loads(fixed.to_json())
    assert {note["code"] for note in document["notes"]} == {"load.dates_swapped_fixed"}
    set_language("vi")


def test_a_date_column_with_too_few_cells_follows_the_sheet_evidence(tmp_path, pack):
    frame = dossiers(40, seed=3)
    # only two results, both with day ≤ 12 (they become real dates) and one with day > 12
    results = [None] * len(frame)
    results[5], results[9], results[20] = D(2026, 10, 3, 9, 0), D(2026, 10, 7, 15, 0), D(2026, 10, 22, 10, 0)
    frame[RESULT] = results
    frame["Trạng thái"] = ["Đã trả kết quả" if r is not None else "Đang xử lý" for r in results]
    exported = tmp_path / "export.xlsx"
    write_workbook(exported, [report(frame, date_mode="text")])
    path = tmp_path / "resaved.xlsx"
    resave_month_first(exported, path)
    warnings = {w.field: w for w in load_file(path).warnings if w.code.startswith("load.dates_")}
    assert warnings["ngay_tiep_nhan"].code == "load.dates_swapped"
    assert warnings["ngay_co_ket_qua"].code == "load.dates_swapped_like"
    assert warnings["ngay_co_ket_qua"].params["like"] == "Ngày › Tiếp nhận"
    assert warnings["ngay_co_ket_qua"].params["count"] == 2
    fixed = load_file(path, LoadOptions(swapped_dates="fix")).sheets[0].data["ngay_co_ket_qua"]
    assert list(fixed.dropna()) == [pd.Timestamp(r) for r in results if r is not None]


def test_an_xls_resaved_month_first_is_detected_too(tmp_path, truth_frame, pack):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Ho so")
    style = xlwt.easyxf(num_format_str="M/D/YYYY H:MM")
    sheet.write(0, 0, "SỔ THEO DÕI HỒ SƠ")
    columns = list(truth_frame.columns)
    for j, name in enumerate(columns):
        sheet.write(2, j, name.split("›")[-1].strip() if "›" in name else name)
    for i, row in enumerate(truth_frame.itertuples(index=False), start=3):
        for j, value in enumerate(row):
            if value is None or value is pd.NaT:
                continue
            if isinstance(value, (pd.Timestamp, dt.datetime)):
                value = pd.Timestamp(value).to_pydatetime()
                if value.day <= 12:  # Excel read it month first: a real date, day and month exchanged
                    sheet.write(i, j, value.replace(month=value.day, day=value.month), style)
                else:
                    sheet.write(i, j, value.strftime("%d/%m/%Y %H:%M"))
            else:
                sheet.write(i, j, value)
    path = tmp_path / "ho-so.xls"
    book.save(str(path))
    mapping = {"ngay_tiep_nhan": "Tiếp nhận", "ngay_hen_tra": "Hẹn trả", "ngay_co_ket_qua": "Có kết quả"}
    loaded = load_file(path, LoadOptions(mapping=mapping))
    assert loaded.kind == "xls"
    assert {w.code for w in loaded.warnings if w.field == "ngay_tiep_nhan"} == {"load.dates_swapped"}
    result = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", timestamp=False,
                              load_options=LoadOptions(mapping=mapping, swapped_dates="fix"))
    assert figures(result) == measured(truth(truth_frame))


def as_resaved(truth: pd.DataFrame) -> pd.DataFrame:
    """The cell values a month-first re-save leaves: real dates read month first, or dd/mm text."""
    frame = truth.copy()
    for column in DATE_COLUMNS:
        frame[column] = pd.Series([
            None if v is None or pd.isna(v) else
            (pd.Timestamp(v).replace(month=v.day, day=v.month) if v.day <= 12 else f"{v:%d/%m/%Y %H:%M}")
            for v in truth[column]], dtype=object)
    return frame


def test_an_excel_2003_xml_resaved_month_first_is_read_right_with_the_option(tmp_path, truth_frame, pack):
    from dxcheck_synth.report import write_spreadsheetml

    path = tmp_path / "ho-so.xls"
    write_spreadsheetml(path, [report(as_resaved(truth_frame))])
    loaded = load_file(path)
    assert {w.code for w in loaded.warnings if w.field == "ngay_tiep_nhan"} == {"load.dates_swapped"}
    result = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", timestamp=False,
                              load_options=LoadOptions(swapped_dates="fix"))
    assert figures(result) == measured(truth(truth_frame))


def test_an_ods_resaved_month_first_is_read_right_with_the_option(tmp_path, truth_frame, pack):
    pytest.importorskip("odf")
    frame = as_resaved(truth_frame)
    frame.columns = [c.split("›")[-1].strip() for c in frame.columns]
    path = tmp_path / "ho-so.ods"
    frame.to_excel(path, engine="odf", index=False, sheet_name="Hồ sơ")
    mapping = {"ngay_tiep_nhan": "Tiếp nhận", "ngay_hen_tra": "Hẹn trả", "ngay_co_ket_qua": "Có kết quả"}
    loaded = load_file(path, LoadOptions(mapping=mapping))
    assert loaded.kind == "ods"
    assert {w.code for w in loaded.warnings if w.field == "ngay_tiep_nhan"} == {"load.dates_swapped"}
    result = dxcheck.evaluate([path], rules=[str(pack)], period="2026-10", timestamp=False,
                              load_options=LoadOptions(mapping=mapping, swapped_dates="fix"))
    assert figures(result) == measured(truth(truth_frame))


# ----------------------------------------------------------------------------------------------
# no false alarm


def _columns_warned(path: Path) -> list[str]:
    return [w.field for w in load_file(path).warnings if w.code.startswith("load.dates_")]


def test_real_dates_all_early_in_the_month_are_no_evidence(tmp_path):
    frame = dossiers(30, seed=5)
    frame[RECEIVED] = [D(2026, 10, 1 + i % 12, 9, 0) for i in range(len(frame))]
    frame[DEADLINE] = [D(2026, 10, 1 + (i + 3) % 12) for i in range(len(frame))]
    frame[RESULT] = None
    path = tmp_path / "early.xlsx"
    write_workbook(path, [report(frame)])  # real dates only, every day ≤ 12, no text
    assert _columns_warned(path) == []


def test_a_few_hand_typed_texts_in_a_real_date_column_are_no_evidence(tmp_path):
    frame = dossiers(30, seed=6)
    frame[RECEIVED] = [D(2026, 10, 1 + i % 12, 9, 0) for i in range(len(frame))]
    frame[RESULT] = None
    path = tmp_path / "typed.xlsx"
    write_workbook(path, [report(frame)])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    column = next(cell.column for row in sheet.iter_rows(max_row=15) for cell in row if cell.value == "Tiếp nhận")
    rows = [cell.row for cell in sheet[openpyxl.utils.get_column_letter(column)] if isinstance(cell.value, dt.datetime)]
    for row, text in zip(rows[-4:], ["15/10/2026", "18/10/2026", "21/10/2026", "27/10/2026"]):
        sheet.cell(row=row, column=column, value=text)  # typed by hand after the export, same month
    book.save(path)
    # real dates all ≤ 12 and texts all > 12, but the texts lie in the month the real dates already
    # lie in: read as they are, the real dates fit; swapped, they would scatter over the year
    assert _columns_warned(path) == []


def test_day_first_text_and_full_month_real_dates_are_no_evidence(tmp_path, truth_frame):
    text, real = tmp_path / "text.xlsx", tmp_path / "real.xlsx"
    write_workbook(text, [report(truth_frame, date_mode="text")])
    write_workbook(real, [report(truth_frame)])
    assert _columns_warned(text) == [] and _columns_warned(real) == []
    csv = tmp_path / "ho-so.csv"
    write_csv(csv, truth_frame)
    assert _columns_warned(csv) == []


def test_iso_text_typed_like_a_date_cell_is_not_taken_for_a_real_date(tmp_path):
    """Text cells spelled as the reader prints real dates are no real dates (a typed read tells)."""
    frame = dossiers(30, seed=8)
    path = tmp_path / "iso.xlsx"
    write_workbook(path, [report(frame, date_mode="text")])
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows():
        for cell in row:
            found = isinstance(cell.value, str) and _DMY_TEXT.match(cell.value)
            if found and int(found[1]) <= 12:
                cell.value = f"{found[3]}-{found[1]}-{found[2]} {found[4] or '00'}:{found[5] or '00'}:00"
    book.save(path)
    assert _columns_warned(path) == []


def _spellings(values: list[str]):
    return date_spellings(pd.Series(values, dtype=pd.StringDtype(na_value=np.nan)))


def test_the_evidence_rules_at_their_edges():
    everywhere = np.ones(1000, dtype=bool)
    real = [f"2026-{m:02d}-10 00:00:00" for m in range(1, 13)]  # 10 Jan … 10 Dec as read
    texts = ["25/10/2026", "14/10/2026", "30/10/2026"]
    found = examine(_spellings(real + texts), lambda: everywhere[: len(real) + len(texts)])
    assert found.kind == SWAPPED and found.conclusive and found.real == 12 and found.text == 3
    # one real date with day > 12: no such re-save leaves it
    assert examine(_spellings(real + ["2026-10-13 00:00:00"] + texts), lambda: everywhere[:16]) is None
    # one text with day ≤ 12: Excel would have converted it
    assert examine(_spellings(real + texts + ["05/10/2026"]), lambda: everywhere[:16]) is None
    # too few texts
    assert not examine(_spellings(real + texts[:MIN_DISTINCT - 1]), lambda: everywhere[:14]).conclusive
    # over a whole year both readings fit: 3 distinct real dates are not enough, 8 are
    year_texts = [f"{d}/{m:02d}/2026" for m in range(1, 13) for d in (15, 20)]
    few = ["2026-03-04 00:00:00", "2026-07-02 00:00:00", "2026-11-09 00:00:00"]
    assert not examine(_spellings(few + year_texts), lambda: everywhere[:27]).conclusive
    many = [f"2026-{m:02d}-{d:02d} 00:00:00" for m, d in ((3, 4), (7, 2), (11, 9), (1, 5), (2, 8), (6, 1), (9, 3), (12, 7))]
    assert examine(_spellings(many + year_texts), lambda: everywhere[:32]).conclusive
    # month-first text: three distinct dates no day-first reading accepts, no first number > 12
    us = ["10/25/2026", "10/14/2026", "10/30/2026 8:15", "10/05/2026"]
    found = examine(_spellings(us), None)
    assert found.kind == MONTH_FIRST and found.conclusive and found.proof == 3
    assert not examine(_spellings(us[:2] + us[3:]), None).conclusive
    assert examine(_spellings(us + ["13/10/2026"]), None) is None


# ----------------------------------------------------------------------------------------------
# a CSV written month first


def us_text(moment) -> str | None:
    """How Excel with US settings writes a date into a CSV: m/d/yyyy h:mm, no leading zeros."""
    if moment is None or pd.isna(moment):
        return None
    moment = pd.Timestamp(moment)
    text = f"{moment.month}/{moment.day}/{moment.year}"
    return text + f" {moment.hour}:{moment.minute:02d}" if (moment.hour, moment.minute) != (0, 0) else text


@pytest.fixture(scope="module")
def month_first_csv(tmp_path_factory, truth_frame) -> Path:
    frame = truth_frame.copy()
    for column in DATE_COLUMNS:
        frame[column] = frame[column].map(us_text).astype(object)
    frame.columns = [c.replace("Ngày › ", "Ngày ").replace("Tiếp nhận", "tiếp nhận").replace("Hẹn trả", "hẹn trả")
                     .replace("Có kết quả", "có kết quả") for c in frame.columns]
    path = tmp_path_factory.mktemp("csv") / "ho-so-us.csv"
    write_csv(path, frame, sep=",")
    return path


def test_month_first_csv_is_warned_and_read_right_with_the_option(month_first_csv, pack, truth_frame):
    loaded = load_file(month_first_csv)
    warnings = {w.field: w for w in loaded.warnings if w.code.startswith("load.dates_")}
    assert warnings["ngay_tiep_nhan"].code == "load.dates_month_first"
    proof = truth_frame[RECEIVED].map(lambda d: d.day > 12).sum()
    assert warnings["ngay_tiep_nhan"].params["proof"] == proof
    assert warnings["ngay_tiep_nhan"].params["count"] == truth_frame[RECEIVED].map(lambda d: d.day != d.month).sum()
    plain = dxcheck.evaluate([month_first_csv], rules=[str(pack)], period="2026-10", timestamp=False)
    assert {item.status for item in plain.results} == {"no_data"}
    fixed = dxcheck.evaluate([month_first_csv], rules=[str(pack)], period="2026-10", timestamp=False,
                             load_options=LoadOptions(swapped_dates="fix"))
    assert figures(fixed) == measured(truth(truth_frame))
    assert not [w for w in fixed.warnings if w.code in ("load.dates_month_first", "load.unreadable_date")]
    assert {n.code for n in fixed.notes} == {"load.dates_month_first_fixed"}


# ----------------------------------------------------------------------------------------------
# the command line


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_option_and_exit_codes(swapped_file, pack, truth_frame):
    path, _ = swapped_file
    common = ("evaluate", str(path), "--rules", str(pack), "--period", "2026-10", "--format", "json")
    lenient = run(*common)
    assert lenient.returncode == 0, lenient.stderr
    assert json.loads(lenient.stdout)["summary"]["no_data"] == 2
    assert run(*common, "--strict").returncode == 1  # the warning fails a strict run
    fixed = run(*common, "--swapped-dates", "fix", "--strict")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    document = json.loads(fixed.stdout)
    got = {item["id"].split("/")[1]: ("pass", item["numerator"], item["denominator"]) for item in document["results"]}
    assert got == measured(truth(truth_frame))
    terminal = run("evaluate", str(path), "--rules", str(pack), "--period", "2026-10", "--lang", "en")
    assert "--swapped-dates fix" in terminal.stdout and "look swapped" in terminal.stdout
    bad = run(*common, "--swapped-dates", "maybe")
    assert bad.returncode == 2 and "--swapped-dates" in bad.stderr and "Traceback" not in bad.stderr
    shown = run("inspect", str(path), "--swapped-dates", "fix", "--lang", "en")
    assert shown.returncode == 0 and "swapped back" in shown.stdout


def test_library_option_is_checked():
    with pytest.raises(UsageError) as caught:
        LoadOptions(swapped_dates="swap")
    assert "fix" in str(caught.value)
