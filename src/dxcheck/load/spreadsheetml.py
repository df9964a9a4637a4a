"""Excel 2003 XML spreadsheets (SpreadsheetML): what older systems and PHP/ASP pages send as `.xls`
(`<?mso-application progid="Excel.Sheet"?>`, `<Workbook xmlns="urn:schemas-microsoft-com:office:
spreadsheet">`).

Each `<Worksheet ss:Name>` becomes a `RawSheet`. Its `<Table>` holds `<Row>`s of `<Cell>`s; a row
or cell may jump ahead with `ss:Index` (1-based); `ss:MergeAcross="n"` makes a cell span n more
columns and `ss:MergeDown` n more rows — the value stays in the first cell, the rest are blank, as
a merged cell reads from an xlsx (the rows below name their next cell's `ss:Index` themselves).
`<Data ss:Type>` is String, Number, DateTime or Boolean (or Error, kept as its text such as
`#N/A`): numbers and dates are written as the xlsx reader gives them (`1234.5`,
`2026-10-01 08:30:00`, `true`), and number cells are marked as such (so `1.234` stored as a number
is one point two three four, not Vietnamese for 1234), number and date cells as no text (so that a
real date is told from text spelled like one, as `load.date_order` needs).

The parser is libxml2's XML parser (lxml) through its event interface, strict (a broken file is
damaged, as Excel finds it), with no network, no DTD and no entity expansion (a DOCTYPE, which
Excel never writes and which only serves to declare entities, is refused); every cap in
`limits` is checked while rows arrive.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import InputError
from .cells import feed, sheet_from_cells
from .formats import RawSheet, ReadResult, check_size, check_workbook_cells
from .limits import Limits, resolve_limits
from .text import shown

SS = "urn:schemas-microsoft-com:office:spreadsheet"
_WORKSHEET, _TABLE, _ROW, _CELL, _DATA = (f"{{{SS}}}{name}" for name in ("Worksheet", "Table", "Row", "Cell", "Data"))
#: worksheets in one workbook (a workbook file holds at most as many parts)
MAX_WORKSHEETS = 10_000


def _attr(attrib, name: str) -> str | None:
    """An `ss:` attribute (Excel always writes the prefix; some writers leave it out)."""
    value = attrib.get(f"{{{SS}}}{name}")
    return value if value is not None else attrib.get(name)


def _index(value: str | None) -> int | None:
    """A 1-based `ss:Index` as a 0-based position (None: absent or unreadable)."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9 or int(value) < 1:
        return None
    return int(value) - 1


def _number_text(text: str) -> tuple[str, bool]:
    """A Number cell as the xlsx reader shows it: `1234`, `1234.5` (and whether it is one)."""
    try:
        value = float(text)
    except ValueError:
        return text, False
    if value != value or value in (float("inf"), float("-inf")):
        return text, False
    if value.is_integer() and abs(value) < 2**63:
        return str(int(value)), True
    return repr(value), True


def _date_text(text: str) -> str:
    """`2026-10-01T08:30:00.000` -> `2026-10-01 08:30:00`, as the xlsx reader shows a date cell."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    return moment.strftime("%Y-%m-%d %H:%M:%S") + (f".{moment.microsecond:06d}" if moment.microsecond else "")


class _Sheet:
    """The value cells of one worksheet: (row, column, text, stored as a number)."""

    def __init__(self, name: str, path: str, limits: Limits):
        self.name = name
        self.path = path
        self.limits = limits
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.texts: list[str] = []
        self.numbers: list[bool] = []
        self.dates: list[bool] = []
        self.row = -1
        self.col = 0
        self.height = 0
        self.width = 0
        self.in_table = False

    def start_row(self, attrib) -> None:
        index = _index(_attr(attrib, "Index"))
        self.row = index if index is not None and index > self.row else self.row + 1
        self.col = 0
        if self.row + 1 > self.height:
            self.height = self.row + 1
            check_size(self.path, self.name, self.height, self.width, self.limits)

    def start_cell(self, attrib) -> int:
        if self.row < 0:  # a cell outside any row: the first row
            self.start_row({})
        index = _index(_attr(attrib, "Index"))
        col = index if index is not None and index >= self.col else self.col
        across = _index(_attr(attrib, "MergeAcross"))  # "n" -> n - 1; the span is n + 1 cells
        span = 1 if across is None else across + 2
        self.col = col + min(span, self.limits.max_columns + 1)
        return col

    def put(self, col: int, text: str, numeric: bool, date: bool = False) -> None:
        if col + 1 > self.width:
            self.width = col + 1
            check_size(self.path, self.name, self.height, self.width, self.limits)
        self.rows.append(self.row)
        self.cols.append(col)
        self.texts.append(text)
        self.numbers.append(numeric)
        self.dates.append(date)


class _Book:
    """Target of lxml's XML parser: collects the worksheets' cells."""

    def __init__(self, path: str, limits: Limits):
        self.path = path
        self.limits = limits
        self.sheets: list[_Sheet] = []
        self.sheet: _Sheet | None = None
        self.cell_col: int | None = None
        self.data_type: str | None = None
        self.text: list[str] | None = None  # the text of the <Data> being read

    def start(self, tag: str, attrib) -> None:
        sheet = self.sheet
        if tag == _DATA and sheet is not None and self.cell_col is not None:
            self.text = []
            self.data_type = (_attr(attrib, "Type") or "String").strip()
        elif tag == _CELL and sheet is not None and sheet.in_table:
            self.cell_col = sheet.start_cell(attrib)
        elif tag == _ROW and sheet is not None and sheet.in_table:
            sheet.start_row(attrib)
        elif tag == _TABLE and sheet is not None:
            sheet.in_table = True
        elif tag == _WORKSHEET:
            if len(self.sheets) >= MAX_WORKSHEETS:
                raise InputError("load.too_many_parts", path=self.path, count=len(self.sheets) + 1,
                                 limit=MAX_WORKSHEETS)
            name = shown(_attr(attrib, "Name") or f"Sheet{len(self.sheets) + 1}")
            self.sheet = _Sheet(name, self.path, self.limits)
            self.sheets.append(self.sheet)

    def end(self, tag: str) -> None:
        if tag == _DATA and self.text is not None:
            text = "".join(self.text)
            self.text = None
            kind = (self.data_type or "String").lower()
            numeric = False
            if kind == "number":
                text, numeric = _number_text(text.strip())
            elif kind == "datetime":
                text = _date_text(text)
            elif kind == "boolean":
                text = {"1": "true", "0": "false"}.get(text.strip(), text)
            if text.strip():
                self.sheet.put(self.cell_col, text, numeric, kind == "datetime")
        elif tag == _CELL:
            self.cell_col = None
        elif tag == _TABLE and self.sheet is not None:
            self.sheet.in_table = False
        elif tag == _WORKSHEET:
            self.sheet = None

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        # Excel never writes one; a DOCTYPE only serves to declare entities (billion laughs, XXE)
        raise InputError("load.damaged", path=self.path, reason=f"<!DOCTYPE {name}>")

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def close(self) -> None:
        pass


def read_spreadsheetml(path: Path, data: bytes, limits: Limits | None = None) -> ReadResult:
    """Every worksheet of an Excel 2003 XML workbook, as raw sheets."""
    from lxml import etree  # imported when such a workbook is read

    name = str(path)
    limits = limits or resolve_limits()
    book = _Book(name, limits)
    parser = etree.XMLParser(target=book, resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    feed(parser, data, name)
    sheets = []
    total = 0
    for sheet in book.sheets:
        raw = _raw_sheet(sheet)
        check_size(name, raw.name, raw.height, raw.width, limits)
        total = check_workbook_cells(name, total, raw, len(sheets), limits)
        sheets.append(raw)
    return ReadResult(kind="xml", sheets=sheets)


def _raw_sheet(sheet: _Sheet) -> RawSheet:
    # numbers and real dates are stored as no text: the swapped-dates evidence needs to know
    stored = [number or date for number, date in zip(sheet.numbers, sheet.dates)]
    return sheet_from_cells(sheet.name, sheet.rows, sheet.cols, sheet.texts, sheet.numbers, stored=stored)
