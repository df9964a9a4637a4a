"""The Excel lists every failing record (issue 15): all of them, typed, labelled, filterable, linked
to their source row; `--samples` caps only the screen and the HTML."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from dxcheck.messages import set_language
from dxcheck.render.xlsx import render
from test_render_fixture import FORMULA, HOSTILE_IDS, build_result, fixture_messages  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"


def _evaluate(tmp_path: Path, *options: str) -> tuple[dict, openpyxl.Workbook]:
    """One run of the CLI writing JSON and Excel side by side, with a small --samples."""
    json_path, xlsx_path = tmp_path / "report.json", tmp_path / "report.xlsx"
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", "samples/binh-minh", "--rules", "binh-minh-2030",
                           "--period", "2026-10", "--samples", "2", "--no-timestamp", "-o", str(json_path),
                           "-o", str(xlsx_path), *options], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1, done.stderr  # the sample fails some rules
    return json.loads(json_path.read_text(encoding="utf-8")), openpyxl.load_workbook(xlsx_path)


@pytest.fixture(scope="module")
def binh_minh(tmp_path_factory):
    return _evaluate(tmp_path_factory.mktemp("binh-minh"))


def _records(book: openpyxl.Workbook, rule_id: str):
    """The sheet the summary links a rule to, its header row and its rows of records as dicts."""
    summary = book[book.sheetnames[0]]
    cell = next(cell for row in summary.iter_rows() for cell in row if cell.value == rule_id)
    sheet = book[cell.hyperlink.location.split("!")[0].strip("'")]
    header = next(row for row in sheet.iter_rows() if row[0].value in ("STT", "No."))
    names = [item.value for item in header]
    rows = [dict(zip(names, row)) for row in sheet.iter_rows(min_row=header[0].row + 1)]
    return sheet, header[0].row, rows


def test_every_failing_record_is_listed_however_few_samples(binh_minh):
    report, book = binh_minh
    failing = [item for item in report["results"] if item["status"] == "fail" and item["samples_total"]]
    assert any(item["samples_total"] > len(item["samples"]) for item in failing)  # --samples did cap the JSON
    for item in failing:
        _, _, rows = _records(book, item["rule"])
        assert len(rows) == item["samples_total"], item["id"]
        assert [row["STT"].value for row in rows] == list(range(1, item["samples_total"] + 1))
        # the first records are the JSON's samples, in the same order
        assert [row["Dòng"].value for row in rows[:len(item["samples"])]] == [s["row"] for s in item["samples"]]
        assert [row["Mã bản ghi"].value for row in rows[:len(item["samples"])]] == [
            s["record_id"] for s in item["samples"]]


def test_records_sheet_has_autofilter_and_frozen_header(binh_minh):
    _, book = binh_minh
    sheet, header_row, rows = _records(book, "digitized-results")
    assert sheet.freeze_panes == f"A{header_row + 1}"
    last_column = openpyxl.utils.get_column_letter(len(rows[0]))
    assert sheet.auto_filter.ref == f"A{header_row}:{last_column}{header_row + len(rows)}"


def test_dates_are_date_cells(binh_minh):
    report, book = binh_minh
    _, _, rows = _records(book, "digitized-results")
    cell = rows[0]["Ngày có kết quả"]
    assert cell.is_date and cell.data_type == "d"
    assert cell.value == datetime(2026, 10, 5, 11, 24) and cell.number_format == "dd/mm/yyyy hh:mm"
    sample = next(item for item in report["results"] if item["rule"] == "digitized-results")["samples"][0]
    assert sample["values"]["ngay_co_ket_qua"] == cell.value.strftime("%d/%m/%Y %H:%M")
    # a deadline stored as the day's last moment is a plain date
    _, _, feedback = _records(book, "feedback-on-time")
    deadline = feedback[0]["Hạn xử lý"]
    assert (deadline.value, deadline.number_format) == (datetime(2026, 10, 21), "dd/mm/yyyy")


def test_codes_are_shown_as_words(binh_minh, tmp_path):
    _, book = binh_minh
    _, _, rows = _records(book, "business-procedures-online")
    assert rows[0]["Mức độ DVC"].value == "Không (cung cấp thông tin)"  # the code is `khong`
    _, _, rows = _records(book, "digitized-results")
    assert {row["Trạng thái"].value for row in rows} == {"Đã trả kết quả", "Đã xử lý xong"}  # not the codes
    _, english = _evaluate(tmp_path, "--lang", "en")
    _, _, rows = _records(english, "business-procedures-online")
    assert rows[0]["Online service level"].value == "Not online (information only)"


def test_each_record_links_to_its_source_row(binh_minh):
    _, book = binh_minh
    _, _, rows = _records(book, "digitized-results")
    for row in rows:
        source = row["Nguồn (tệp › trang › dòng)"]
        assert source.value == f"ho-so-2026-10.xlsx › Danh sách hồ sơ › {row['Dòng'].value}"
        assert source.hyperlink.target == (SAMPLE / "ho-so-2026-10.xlsx").resolve().as_uri()
        assert source.hyperlink.location == f"'Danh sách hồ sơ'!A{row['Dòng'].value}"


def test_percent_cells_are_numbers_formatted_as_percent(binh_minh):
    report, book = binh_minh
    summary = book[book.sheetnames[0]]
    header = next(row for row in summary.iter_rows() if row[0].value == "STT")
    names = [cell.value for cell in header]
    rows = [dict(zip(names, row)) for row in summary.iter_rows(min_row=header[0].row + 1)]
    item = next(item for item in report["results"] if item["rule"] == "digitized-results")
    row = next(row for row in rows if row["Mã"].value == "digitized-results")
    assert row["Kết quả"].data_type == "n" and row["Kết quả"].number_format.endswith("%")
    assert round(row["Kết quả"].value * 100, 6) == float(item["display_value"])


def test_hostile_values_stay_text_in_the_full_list(fixture_messages):
    result = build_result("vi", samples=1, keep_failing=True)
    online = next(item for item in result.results if item.status == "fail" and item.failing is not None
                  and set(HOSTILE_IDS) <= set(item.failing.frame["ma_ho_so"]))
    token = set_language("vi")
    try:
        data = render(result)
    finally:
        from dxcheck.messages import _language

        _language.reset(token)
    book = openpyxl.load_workbook(io.BytesIO(data))
    _, _, rows = _records(book, online.rule)
    assert len(rows) == online.samples_total > len(online.samples)
    cells = {row["Mã bản ghi"].value: row["Mã bản ghi"] for row in rows}
    assert cells[FORMULA].data_type == "s" and cells[FORMULA].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))


def test_without_kept_records_the_samples_and_their_count_are_listed(fixture_messages):
    result = build_result("vi", samples=1)
    item = next(item for item in result.results if item.status == "fail" and item.samples_total > 1)
    assert item.failing is None
    book = openpyxl.load_workbook(io.BytesIO(render(result)))
    sheet, _, rows = _records(book, item.rule)
    assert len(rows) == 1
    assert str(item.samples_total) in sheet["A3"].value  # says how many there are in all


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_roll_up_keeps_every_communes_records(tmp_path, jobs):
    import shutil

    import dxcheck

    units = [tmp_path / name for name in ("xa-a", "xa-b")]
    for unit in units:
        shutil.copytree(SAMPLE, unit)
    result = dxcheck.evaluate(units, rules=["binh-minh-2030"], period="2026-10", samples=1, timestamp=False,
                              keep_failing=True, jobs=jobs)
    assert len(result.units) == 2
    failing = [item for item in result.results if item.samples_total]
    assert any(item.samples_total > 1 for item in failing)
    for item in failing:
        assert len(item.failing) == item.samples_total, item.id
        assert {Path(path).parent.name for path in item.failing.frame["_path"].astype(str)} == {"xa-a", "xa-b"}
