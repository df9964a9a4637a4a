"""--history: each run stored by pack and period; earlier periods shown beside the current one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dxcheck
from dxcheck.history import load
from dxcheck.render import renderer
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, write_workbook


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("months")
    files = {}
    for index, (month, satisfaction) in enumerate((("2026-08", 0.90), ("2026-09", 0.93), ("2026-10", 0.97))):
        frame = records.dossiers(300, month, seed=index, rates={"satisfaction": satisfaction})
        files[month] = folder / f"ho-so-{month}.xlsx"
        write_workbook(files[month], [ReportSheet(name="Hồ sơ", frame=frame, title="DANH SÁCH HỒ SƠ")])
    return files


def test_history_is_stored_and_read_back_oldest_first(months, tmp_path):
    runs = {month: dxcheck.evaluate([path], rules=["binh-minh-2030"], period=month, timestamp=False,
                                    history=tmp_path) for month, path in months.items()}
    assert sorted(path.name for path in (tmp_path / "binh-minh-2030").iterdir()) == [
        "2026-08.json", "2026-09.json", "2026-10.json"]
    latest = runs["2026-10"]
    series = latest.history["binh-minh-2030/satisfaction"]
    assert [point.period for point in series] == ["2026-08", "2026-09"]
    for point in series:
        earlier = next(r for r in runs[point.period].results if r.id == "binh-minh-2030/satisfaction")
        assert (point.value, point.status) == (earlier.value, earlier.status)
    # the current period is not its own history, and re-running a period replaces it
    again = dxcheck.evaluate([months["2026-09"]], rules=["binh-minh-2030"], period="2026-09", timestamp=False,
                             history=tmp_path)
    assert [point.period for point in again.history["binh-minh-2030/satisfaction"]] == ["2026-08"]
    assert len(load(tmp_path)["binh-minh-2030/satisfaction"]) == 3
    stored = json.loads((tmp_path / "binh-minh-2030" / "2026-10.json").read_text(encoding="utf-8"))
    assert stored["period"]["label"] == "2026-10" and stored["pack"] == "binh-minh-2030"

    markdown = renderer("md")(latest, lang="en")
    assert "Trend (earlier periods)" in markdown and "2026-08" in markdown
    html = renderer("html")(latest, lang="en")
    assert "<polyline" in html and "Trend (earlier periods)" in html
    assert "2026-09" in renderer("terminal")(latest)


def test_a_foreign_file_in_the_history_folder_is_named_and_skipped(months, tmp_path):
    (tmp_path / "binh-minh-2030").mkdir()
    (tmp_path / "binh-minh-2030" / "notes.json").write_text("{\"hello\": 1}", encoding="utf-8")
    result = dxcheck.evaluate([months["2026-10"]], rules=["binh-minh-2030"], period="2026-10", history=tmp_path)
    assert [(w.code, Path(w.path).name) for w in result.warnings if w.code.startswith("outputs.")] == [
        ("outputs.history_unreadable", "notes.json")]
    assert "notes.json" in result.warnings[-1].message
    # the run itself was stored beside the foreign file
    assert (tmp_path / "binh-minh-2030" / "2026-10.json").is_file()


def test_cli_history_and_trend(months, tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "lich-su"
    for month in ("2026-08", "2026-09"):
        done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(months[month]), "--rules",
                               "binh-minh-2030", "--period", month, "--history", str(folder), "--format", "json"],
                              capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr
    trend = subprocess.run([sys.executable, "-m", "dxcheck", "trend", str(folder), "--format", "json"],
                           capture_output=True, text=True)
    assert trend.returncode == 0, trend.stderr
    document = json.loads(trend.stdout)
    assert [point["period"] for point in document["binh-minh-2030/satisfaction"]["points"]] == ["2026-08", "2026-09"]
    assert document["binh-minh-2030/satisfaction"]["trajectory"]["reason"] in ("few_points", "already_met")
    empty = subprocess.run([sys.executable, "-m", "dxcheck", "trend", str(tmp_path / "none")],
                           capture_output=True, text=True)
    assert empty.returncode == 2 and "none" in empty.stderr and "Traceback" not in empty.stderr


def test_trend_writes_a_workbook_that_agrees_with_its_json(tmp_path):
    """`trend -o x.xlsx` on a real history: one row per rule, a number per period (a percent as a
    fraction formatted as percent, a count as a count), the trend and projection, frozen header,
    autofilter; a rule id that looks like a formula stays text. Checked against `--format json`."""
    import shutil
    import subprocess
    import sys
    from decimal import Decimal

    import openpyxl

    root = Path(__file__).resolve().parents[1]
    folder = tmp_path / "lich-su"
    shutil.copytree(root / "samples" / "lich-su", folder)
    hostile, counted = "=HYPERLINK(\"http://x\")", "binh-minh-2030/on-time"
    for path in (folder / "binh-minh-2030").glob("*.json"):
        stored = json.loads(path.read_text(encoding="utf-8"))
        for item in stored["results"]:
            if item["id"] == "binh-minh-2030/satisfaction":
                item["id"] = hostile
            if item["id"] == counted:
                item["target"]["unit"] = "count"
        path.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "bao-cao" / "xu-huong.xlsx"
    command = [sys.executable, "-m", "dxcheck", "trend", str(folder), "--lang", "en"]
    written = subprocess.run([*command, "-o", str(out)], capture_output=True, text=True, cwd=root)
    assert written.returncode == 0 and written.stdout == "", written.stderr
    document = json.loads(subprocess.run([*command, "--format", "json"], capture_output=True, text=True,
                                         cwd=root).stdout)
    sheet = openpyxl.load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    periods = sorted({point["period"] for entry in document.values() for point in entry["points"]})
    assert header[:1 + len(periods)] == ["Rule", *periods]
    assert header[1 + len(periods):] == ["Trend/month", "Meets target", "On track", "Reading"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:{chr(ord('A') + len(header) - 1)}{len(document) + 1}"
    rows = {sheet.cell(row=row, column=1).value: row for row in range(2, sheet.max_row + 1)}
    assert set(rows) == set(document)
    assert sheet.cell(row=rows[hostile], column=1).data_type == "s"  # text, never a formula
    checked = 0
    for rule, entry in document.items():
        by_period = {point["period"]: point for point in entry["points"]}
        for column, period in enumerate(periods, 2):
            cell = sheet.cell(row=rows[rule], column=column)
            shown = (by_period.get(period) or {}).get("display_value")
            if shown is None:
                assert cell.value == "—"
                continue
            if rule == counted:
                assert Decimal(str(cell.value)) == Decimal(shown) and "%" not in cell.number_format
            else:
                assert Decimal(str(cell.value)) == Decimal(shown) / 100 and cell.number_format.endswith("%")
            checked += 1
        trajectory = entry["trajectory"]
        trend = sheet.cell(row=rows[rule], column=2 + len(periods)).value
        assert trend == (trajectory or {}).get("trend_per_month")
        if trajectory is not None:
            assert sheet.cell(row=rows[rule], column=3 + len(periods)).value == (trajectory["projected_period"] or "—")
    assert checked > 50
    bad = subprocess.run([*command, "-o", str(tmp_path / "x.csv")], capture_output=True, text=True, cwd=root)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_trend_shows_a_count_as_a_count_and_skips_a_damaged_file_in_every_format(tmp_path):
    """A count target's history reads `12`, not `12%`, in Markdown and on the terminal as in the
    workbook; a damaged file beside the good ones is named and left out by every format (the
    workbook too), never an exit 2."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    folder = tmp_path / "lich-su"
    shutil.copytree(root / "samples" / "lich-su", folder)
    counted = "binh-minh-2030/on-time"
    for path in (folder / "binh-minh-2030").glob("*.json"):
        stored = json.loads(path.read_text(encoding="utf-8"))
        for item in stored["results"]:
            if item["id"] == counted:
                item["target"]["unit"] = "count"
        path.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    (folder / "binh-minh-2030" / "2026-06.json").write_text('{"period": ', encoding="utf-8")  # cut short
    command = [sys.executable, "-m", "dxcheck", "trend", str(folder), "--lang", "en"]
    for extra in (["--format", "md"], ["--format", "terminal"], ["-o", str(tmp_path / "x.xlsx")]):
        done = subprocess.run([*command, *extra], capture_output=True, text=True, cwd=root)
        assert done.returncode == 0, done.stderr
        assert "2026-06.json" in done.stderr and "Traceback" not in done.stderr
        if extra[0] == "-o":
            continue
        row = next(line for line in done.stdout.splitlines() if "on-time" in line)
        assert "%" not in row and any(ch.isdigit() for ch in row), row
        other = next(line for line in done.stdout.splitlines() if "online-payment" in line)
        assert "%" in other, other
