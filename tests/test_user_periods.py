"""Periods as a user asks for them: each counts exactly the records dated inside it, both ends
included, a last day's 23:59 included and the next period's 00:00 not."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest

import dxcheck
from dxcheck_synth.report import ReportSheet, write_workbook
from user_kit import dossier, evaluate, loaded, rule, write_pack

D = datetime
LATE = dict(hour=23, minute=59)
LAST_INSTANT = dict(hour=23, minute=59, second=59, microsecond=999999)

# (period as typed, records that fall inside it, records just outside it)
PERIODS = {
    "2026-10": ([D(2026, 10, 1), D(2026, 10, 1, 0, 0, 1), D(2026, 10, 31, **LATE), D(2026, 10, 31, **LAST_INSTANT)],
                [D(2026, 9, 30, **LAST_INSTANT), D(2026, 11, 1)]),
    "2026-02": ([D(2026, 2, 1), D(2026, 2, 28, **LATE)], [D(2026, 1, 31, **LATE), D(2026, 3, 1)]),
    "2028-02": ([D(2028, 2, 29, **LATE)], [D(2028, 3, 1)]),  # a leap year's last day of February
    "2026-Q4": ([D(2026, 10, 1), D(2026, 11, 15), D(2026, 12, 31, **LATE)],
                [D(2026, 9, 1), D(2026, 9, 30, **LATE), D(2027, 1, 1)]),
    "2026-Q1": ([D(2026, 1, 1), D(2026, 3, 31, **LATE)], [D(2025, 12, 31, **LATE), D(2026, 4, 1)]),
    "Quý 3/2026": ([D(2026, 7, 1), D(2026, 9, 30, **LATE)], [D(2026, 6, 30, **LATE), D(2026, 10, 1)]),
    "2026": ([D(2026, 1, 1), D(2026, 12, 31, **LATE), D(2026, 12, 31, **LAST_INSTANT)],
             [D(2025, 12, 31, **LATE), D(2027, 1, 1)]),
}


def _records(inside: list[datetime], outside: list[datetime]) -> list[dict]:
    return [dossier(k, moment) for k, moment in enumerate([*inside, *outside])]


@pytest.mark.parametrize("period", sorted(PERIODS))
def test_a_period_counts_exactly_the_records_dated_in_it(tmp_path, period):
    inside, outside = PERIODS[period]
    result = evaluate(write_pack(tmp_path), [loaded(_records(inside, outside))], period=period)
    online = rule(result, "online")
    assert (online.numerator, online.denominator) == (len(inside), len(inside))
    assert online.status == "pass"


def test_quarter_four_is_october_to_december(tmp_path):
    result = evaluate(write_pack(tmp_path), [loaded(_records([D(2026, 10, 1)], []))], period="2026-Q4")
    assert result.period.start == "2026-10-01T00:00:00"
    assert result.period.end.startswith("2026-12-31T23:59:59")
    assert result.period.label == "2026-Q4"


@pytest.mark.parametrize("date_from,date_to,inside,outside", [
    ("2026-10-05", "2026-10-20", [D(2026, 10, 5), D(2026, 10, 20, **LATE), D(2026, 10, 20, **LAST_INSTANT)],
     [D(2026, 10, 4, **LATE), D(2026, 10, 21)]),
    ("05/10/2026", "20/10/2026", [D(2026, 10, 5), D(2026, 10, 20, **LATE)], [D(2026, 10, 4, **LATE), D(2026, 10, 21)]),
    ("2026-10-20", "2026-10-20", [D(2026, 10, 20), D(2026, 10, 20, **LATE)], [D(2026, 10, 19, **LATE), D(2026, 10, 21)]),
    (None, "2026-10-20", [D(2020, 1, 1), D(2026, 10, 20, **LATE)], [D(2026, 10, 21)]),
    ("2026-10-05", None, [D(2026, 10, 5), D(2029, 12, 31, **LATE)], [D(2026, 10, 4, **LATE)]),
])
def test_from_to_includes_both_days_whole(tmp_path, date_from, date_to, inside, outside):
    result = evaluate(write_pack(tmp_path), [loaded(_records(inside, outside))], date_from=date_from, date_to=date_to)
    online = rule(result, "online")
    assert (online.numerator, online.denominator) == (len(inside), len(inside))


def test_no_period_takes_every_record_and_ends_on_the_last_day_in_the_data(tmp_path):
    moments = [D(2026, 9, 14, 8), D(2026, 10, 2), D(2026, 11, 30, **LATE)]
    result = evaluate(write_pack(tmp_path), [loaded(_records(moments, []))])
    online = rule(result, "online")
    assert (online.numerator, online.denominator) == (3, 3)
    assert result.period.inferred
    assert result.period.start == "2026-09-14T00:00:00" and result.period.end.startswith("2026-11-30T23:59:59")


def test_a_deadline_means_the_end_of_its_day_and_the_period_end_is_the_last_instant(tmp_path):
    """On time as the user reads it: finished on the deadline day at 22:30 is on time; still open
    at the end of October with the deadline on 31 October is still within it."""
    from dxcheck.load import load_file

    frame = pd.DataFrame({
        "Mã hồ sơ": ["A", "B", "C", "D"],
        "Ngày › Tiếp nhận": ["01/10/2026 08:00", "01/10/2026 08:00", "01/10/2026 08:00", "01/10/2026 08:00"],
        "Ngày › Hẹn trả": ["14/10/2026", "31/10/2026", "14/10/2026", "30/10/2026"],
        "Ngày › Có kết quả": ["14/10/2026 22:30", None, "15/10/2026 00:10", None],
        "Trạng thái": ["Đã trả kết quả", "Đang xử lý", "Đã trả kết quả", "Đang xử lý"],
    })
    path = tmp_path / "ho-so.xlsx"
    write_workbook(path, [ReportSheet("Hồ sơ", frame, total_row=False)])
    assert load_file(path).sheets[0].data["ngay_hen_tra"].iloc[0] == pd.Timestamp("2026-10-14 23:59:59.999999")
    result = dxcheck.evaluate([path], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    on_time = next(item for item in result.results if item.rule == "on-time")
    # A on time (22:30 on its deadline day), B still within its deadline at the period's end,
    # C late by ten minutes, D open past its deadline
    assert (on_time.numerator, on_time.denominator) == (2, 4)
    assert {sample.record_id for sample in on_time.samples} == {"C", "D"}


def test_cli_period_quarter_covers_october_to_december(tmp_path):
    frame = pd.DataFrame({
        "Mã hồ sơ": ["sep", "oct", "dec", "jan"],
        "Ngày › Tiếp nhận": ["30/09/2026 23:59", "01/10/2026 00:00", "31/12/2026 23:59", "01/01/2027 00:00"],
        "Hình thức nộp": ["Trực tuyến"] * 4,
        "Trạng thái": ["Đang xử lý"] * 4,
        "Lĩnh vực": ["Tư pháp"] * 4,
    })
    path = tmp_path / "ho-so.xlsx"
    write_workbook(path, [ReportSheet("Hồ sơ", frame, total_row=False)])
    pack = write_pack(tmp_path / "pack")
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(path), "--rules", str(pack),
                           "--period", "2026-Q4", "-o", str(out)], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["period"]["start"].startswith("2026-10-01") and data["period"]["end"].startswith("2026-12-31")
    online = next(item for item in data["results"] if item["rule"] == "online")
    assert (online["numerator"], online["denominator"]) == (2, 2)


@pytest.mark.parametrize("date_from,date_to", [("2026-10-01", None), (None, None)])
def test_an_open_end_closes_on_the_last_day_in_the_data(date_from, date_to):
    """`--from` alone: an open dossier still within its deadline is not late because the period
    would run to 2100, and the target is the one for the data's year, not for 2100."""
    records = [{"ma_ho_so": "open", "ngay_tiep_nhan": D(2026, 10, 2), "ngay_hen_tra": D(2026, 11, 6, **LAST_INSTANT),
                "ngay_co_ket_qua": None, "trang_thai": "dang_xu_ly", "hinh_thuc_nop": "truc_tuyen"},
               {"ma_ho_so": "done", "ngay_tiep_nhan": D(2026, 10, 5), "ngay_hen_tra": D(2026, 10, 9, **LAST_INSTANT),
                "ngay_co_ket_qua": D(2026, 10, 25, 10), "trang_thai": "da_tra_ket_qua", "hinh_thuc_nop": "truc_tuyen"}]
    result = dxcheck.evaluate([loaded(records)], rules=["binh-minh-2030"], date_from=date_from, date_to=date_to,
                              timestamp=False)
    on_time = next(item for item in result.results if item.rule == "on-time")
    assert (on_time.numerator, on_time.denominator) == (1, 2)
    assert [sample.record_id for sample in on_time.samples] == ["done"]
    assert result.period.end.startswith("2026-10-25T23:59:59")
    assert result.period.start.startswith(date_from or "2026-10-02")
