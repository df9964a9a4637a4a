"""A workbook sheet is read straight into Arrow (the reader's eager mode) only when the guard has
settled what the lazy mode would tell: the sheet's state and that the reader's grid starts at
column A. Each case here is read both ways and must give the same columns, letters and state.

The reader drops a cell from its grid unless it holds a value with some text or an inline string
(an empty `<v></v>`, `<v/>` or a formula without a saved value is dropped): the cases below are
what was found by trying, and the guard counts a column-A cell only when the reader surely keeps it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import fastexcel
import openpyxl
import pytest

from dxcheck.load import formats, guard
from dxcheck.load.limits import resolve_limits
from dxcheck.load.text import shown

ROOT = Path(__file__).resolve().parent.parent

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Hồ sơ" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_SHARED = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" '
           'uniqueCount="3"><si><t></t></si><si><t>Mã hồ sơ</t></si><si><t xml:space="preserve">   </t></si></sst>')


def _workbook(path: Path, first_cell: str, second_cell: str = "") -> Path:
    """A one-sheet workbook whose A1 is `first_cell` and A2 `second_cell` (raw XML; '' for none),
    B1:C2 holding values."""
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData><row r="1">{first_cell}<c r="B1" t="s"><v>1</v></c></row>'
             f'<row r="2">{second_cell}<c r="B2" t="s"><v>1</v></c><c r="C2"><v>5</v></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", _SHARED)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _both_ways(path: Path) -> list[tuple[guard.SheetScan, formats.RawSheet, formats.RawSheet | None]]:
    """For each sheet: the guard's measure, the lazy read, and the eager read when the guard allows it."""
    scan = guard.scan_xlsx(str(path), path.read_bytes(), resolve_limits())
    reader = fastexcel.read_excel(str(path))
    out = []
    for name in reader.sheet_names:
        measured = scan.sheet(shown(name))
        lazy = formats._read_excel_sheet(reader, str(path), name, measured.errors, measured.percent_cells)
        eager = (formats._read_excel_sheet(reader, str(path), name, measured.errors, measured.percent_cells,
                                           known=measured) if measured.starts_at_a else None)
        out.append((measured, lazy, eager))
    return out


def _same(lazy: formats.RawSheet, eager: formats.RawSheet) -> None:
    assert eager.column_names == lazy.column_names
    assert eager.visibility == lazy.visibility
    assert eager.height == lazy.height
    assert len(eager.columns) == len(lazy.columns)
    for left, right in zip(lazy.columns, eager.columns):
        assert left.equals(right)


# (A1 as written, whether the guard may say the grid starts at column A, the grid's first column)
CASES = {
    "shared string": ('<c r="A1" t="s"><v>1</v></c>', True, "A"),
    "empty shared string": ('<c r="A1" t="s"><v>0</v></c>', True, "A"),
    "blank shared string": ('<c r="A1" t="s"><v>2</v></c>', True, "A"),
    "inline string": ('<c r="A1" t="inlineStr"><is><t>STT</t></is></c>', True, "A"),
    "empty inline string": ('<c r="A1" t="inlineStr"><is><t></t></is></c>', True, "A"),
    "number": ('<c r="A1"><v>1</v></c>', True, "A"),
    "Excel error": ('<c r="A1" t="e"><v>#N/A</v></c>', True, "A"),
    "yes/no": ('<c r="A1" t="b"><v>0</v></c>', True, "A"),
    "text in a number cell": ('<c r="A1"><v>abc</v></c>', True, "A"),
    "empty value": ('<c r="A1"><v></v></c>', False, "B"),
    "closed value": ('<c r="A1"><v/></c>', False, "B"),
    "formula without a value": ('<c r="A1"><f>1+1</f></c>', False, "B"),
    # kept by the reader, but the guard cannot tell it from the dropped empty value: read lazily
    "empty formula text": ('<c r="A1" t="str"><f>""</f><v></v></c>', False, "A"),
    "styled, no value": ('<c r="A1" s="1"/>', False, "B"),
    "nothing in A": ("", False, "B"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_guard_says_the_grid_starts_at_a_only_when_the_reader_keeps_that_cell(tmp_path, case):
    first_cell, starts_at_a, first_letter = CASES[case]
    [(measured, lazy, eager)] = _both_ways(_workbook(tmp_path / "a.xlsx", first_cell))
    assert lazy.column_names[0] == first_letter  # what the reader does: the premise of the rule
    assert measured.starts_at_a is starts_at_a
    if eager is not None:
        _same(lazy, eager)


@pytest.mark.parametrize("first_cell", ["", '<c r="A1" s="1"/>', '<c r="A1"><v></v></c>'])
def test_a_value_in_column_a_below_the_first_row_starts_the_grid_at_a_too(tmp_path, first_cell):
    """Column A empty (or dropped) in the first row, a number in A2: the reader's grid starts at A,
    and the guard, looking past the first row's cells, says so; the eager read gives the same cells."""
    [(measured, lazy, eager)] = _both_ways(_workbook(tmp_path / "a.xlsx", first_cell, '<c r="A2"><v>7</v></c>'))
    assert lazy.column_names[0] == "A"
    assert measured.starts_at_a is True
    _same(lazy, eager)


def test_read_excel_reads_a_column_a_sheet_eagerly_with_the_same_cells(tmp_path, monkeypatch):
    path = _workbook(tmp_path / "a.xlsx", '<c r="A1" t="s"><v>1</v></c>')
    asked = []
    original = formats._read_excel_sheet
    monkeypatch.setattr(formats, "_read_excel_sheet",
                        lambda *args, **kwargs: asked.append(kwargs.get("known")) or original(*args, **kwargs))
    result = formats.read_excel(path, path.read_bytes(), "xlsx")
    assert asked and asked[0] is not None
    assert result.sheets[0].column_names == ["A", "B", "C"]
    assert result.sheets[0].columns[1].tolist()[:2] == ["Mã hồ sơ", "Mã hồ sơ"]


@pytest.mark.parametrize("state", ["visible", "hidden", "veryHidden"])
def test_a_sheets_state_read_eagerly_is_the_readers(tmp_path, state):
    book = openpyxl.Workbook()
    book.active.title = "Trang bìa"
    book.active["A1"] = "Báo cáo"
    sheet = book.create_sheet("Hồ sơ")
    for row in (["STT", "Mã hồ sơ"], [1, "H01"], [2, "H02"]):
        sheet.append(row)
    sheet.sheet_state = state
    book.save(tmp_path / "b.xlsx")
    read = _both_ways(tmp_path / "b.xlsx")
    assert [measured.state for measured, _, _ in read] == ["visible", state.lower()]
    for measured, lazy, eager in read:
        assert eager is not None
        _same(lazy, eager)


def test_every_shipped_sample_sheet_reads_the_same_both_ways():
    workbooks = sorted((ROOT / "samples").rglob("*.xlsx"))
    assert workbooks
    eager_sheets = 0
    for path in workbooks:
        for _measured, lazy, eager in _both_ways(path):
            if eager is not None:
                eager_sheets += 1
                _same(lazy, eager)
    assert eager_sheets >= len(workbooks)  # real exports start in column A: the fast path is the usual one
