"""The Excel report: numbers as numbers, data as text (never a formula), sane sheet names, same bytes."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from dxcheck.messages import set_language
from dxcheck.render.xlsx import SheetNames, render
from test_render_fixture import FORMULA, HOSTILE_IDS, SCRIPT, build_result, fixture_messages  # noqa: F401

FORBIDDEN = set('[]:*?/\\')


def _render(lang="vi", result=None, **options) -> tuple:
    result = result or build_result(lang, **options)
    token = set_language(lang)
    try:
        data = render(result)
    finally:
        from dxcheck.messages import _language

        _language.reset(token)
    return result, data, openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture
def workbook(fixture_messages):
    return _render()


def _table(sheet, header_text="STT"):
    header = next(row for row in sheet.iter_rows() if row[0].value == header_text)
    names = [cell.value for cell in header]
    rows = [dict(zip(names, row)) for row in sheet.iter_rows(min_row=header[0].row + 1)]
    return header[0].row, rows


def test_summary_sheet_numbers_match_the_result(workbook):
    result, _, book = workbook
    sheet = book["Tổng hợp"]
    header_row, rows = _table(sheet)
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{header_row}:")
    assert len(rows) == len(result.results)
    statuses = {"pass": 0, "fail": 0, "no_data": 0, "error": 0}
    for row, item in zip(rows, result.results):
        assert (row["Bộ chỉ tiêu"].value, row["Mã"].value) == (item.pack, item.rule)
        assert row["Trạng thái"].value.endswith(("ĐẠT", "DỮ LIỆU", "LỖI"))
        statuses[item.status] += 1
        value = row["Kết quả"]
        if item.display_value is None:
            assert value.value is None
        else:
            assert value.data_type == "n"
            assert Decimal(str(value.value)) == Decimal(item.display_value) / 100
            assert value.number_format == "0." + "0" * len(item.display_value.split(".")[1]) + "%"
        assert row["Mục tiêu"].value == pytest.approx(item.target.value / 100)
        assert row["Số đạt"].value == item.numerator and row["Tổng số"].value == item.denominator
        assert row["Còn thiếu"].value == item.shortfall
        assert row["Hạn"].value == item.deadline and row["Hạn"].data_type == "n"
    summary = result.summary
    assert statuses == {"pass": summary.pass_, "fail": summary.fail, "no_data": summary.no_data, "error": summary.error}
    assert sheet.column_dimensions["D"].width >= 40


def test_formula_looking_data_stays_text(workbook):
    result, data, book = workbook
    sheet = book["online-submission"]
    _, rows = _table(sheet)
    ids = {row["Mã bản ghi"].value: row["Mã bản ghi"] for row in rows}
    assert set(HOSTILE_IDS) <= set(ids)
    for value in HOSTILE_IDS:
        assert ids[value].data_type == "s"
    assert ids[FORMULA].quotePrefix and ids["+1"].quotePrefix and ids["@SUM(A1)"].quotePrefix
    # nowhere in the package is there a formula
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode() and "<f " not in archive.read(name).decode()
    # group names and warning messages that look like formulas are text as well
    warnings = book["Cảnh báo"]
    messages = [row[5] for row in warnings.iter_rows(min_row=2)]
    assert any(FORMULA in cell.value for cell in messages) and all(cell.data_type == "s" for cell in messages)


def test_a_sheet_per_failing_rule_with_its_records(workbook):
    result, _, book = workbook
    failing = [item for item in result.results if item.status == "fail" and item.samples]
    for item in failing:
        sheet = book[item.rule]
        header_row, rows = _table(sheet)
        assert sheet.freeze_panes == f"A{header_row + 1}"
        assert [row["Dòng"].value for row in rows] == [sample.row for sample in item.samples]
        assert all(row["Dòng"].data_type == "n" for row in rows)
    for name in book.sheetnames:
        assert len(name) <= 31 and not set(name) & FORBIDDEN
    assert len({name.lower() for name in book.sheetnames}) == len(book.sheetnames)
    # the summary links each failing rule to its sheet
    _, rows = _table(book["Tổng hợp"])
    linked = {row["Mã"].value: row["Mã"].hyperlink.location for row in rows if row["Mã"].hyperlink}
    assert linked == {item.rule: f"'{item.rule}'!A1" for item in failing}


def test_inputs_sheet_accounts_for_every_row(workbook):
    result, _, book = workbook
    sheet = book["Dữ liệu đầu vào"]
    names = [cell.value for cell in sheet[1]]
    rows = [dict(zip(names, (cell.value for cell in row))) for row in sheet.iter_rows(min_row=2)]
    assert [row["SHA-256"] for row in rows] == [item.sha256 for item in result.inputs]
    for row in rows:
        left = sum(value for name, value in row.items() if name.startswith("Dòng loại ra"))
        assert row["Dòng dùng"] + left == row["Tổng số dòng"]


def test_bytes_are_deterministic_and_dated_by_the_run(fixture_messages):
    _, first, book = _render()
    _, second, _ = _render()
    assert first == second
    assert book.properties.created.year == 1980 and book.properties.modified.year == 1980
    _, dated, book = _render(generated_at="2026-11-01T08:30:00+00:00")
    assert (book.properties.created.isoformat(), book.properties.modified.isoformat()) == (
        "2026-11-01T08:30:00", "2026-11-01T08:30:00")
    with zipfile.ZipFile(io.BytesIO(dated)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_extra_decimals_survive_as_number_format(fixture_messages):
    result = build_result("vi")
    item = next(item for item in result.results if item.rule == "digitized")
    item.display_value, item.value = "98.996", 98.996
    _, _, book = _render(result=result)
    _, rows = _table(book["Tổng hợp"])
    cell = next(row["Kết quả"] for row in rows if row["Mã"].value == "digitized")
    assert cell.number_format == "0.000%" and cell.value == pytest.approx(0.98996)


def test_characters_xml_cannot_carry_are_replaced(fixture_messages):
    result = build_result("vi")
    result.results[0].samples[0].record_id = "=bad\x01id"
    _, _, book = _render(result=result)
    _, rows = _table(book["online-submission"])
    assert rows[0]["Mã bản ghi"].value == "=bad\ufffdid"


@pytest.mark.parametrize("wanted,expected", [
    ("online-submission", "online-submission"),
    ("a" * 40, "a" * 31),
    ("x[1]:y*z?/w\\", "x-1--y-z--w-"),
    ("'quoted'", "quoted"),
    ("", "sheet"),
    ("History", "History~2"),
])
def test_sheet_names(wanted, expected):
    assert SheetNames().take(wanted) == expected


def test_sheet_names_stay_unique_when_cut():
    names = SheetNames()
    taken = [names.take("on-time"), names.take("ON-TIME"), names.take("b" * 40), names.take("b" * 35)]
    assert taken == ["on-time", "ON-TIME~2", "b" * 31, "b" * 29 + "~2"]


def test_english_sheet_names(fixture_messages):
    _, _, book = _render("en")
    assert book.sheetnames[0] == "Summary" and "Inputs" in book.sheetnames and "Warnings" in book.sheetnames
