"""Web pages saved as spreadsheets: the "Xuất Excel" button of many portals sends an HTML page
holding a `<table>`, named `.xls` (REFERENCE §3: files are what the user was given).

Each table holding data becomes one `RawSheet`, laid out as a spreadsheet shows it: a cell
spanning rows or columns (`rowspan`/`colspan`) puts its value in the top-left cell of the span and
leaves the rest blank, as a merged cell reads from an xlsx (the header finder carries merged
group cells right by itself). Rows of `<thead>`, `<tbody>` and `<tfoot>` come in document order.

The page is parsed by libxml2's HTML parser (lxml), which is tolerant of broken markup, through
its event interface: no document tree is built, so memory follows the cells kept, not the size of
the page, and every cap in `limits` is checked while rows arrive. The parser never touches the
network and loads no DTD; entities are the HTML ones only.

What surrounds the tables:
- Title lines above a table (`<p>`, `<div>`, `<h3>` … "UBND XÃ …", "BÁO CÁO …", "Từ ngày …")
  become rows above its first row, at most `TITLE_ROWS` of them, the ones nearest the table;
  its `<caption>` is the row just above it. Lines after the last table become rows below it (a
  signature block written as paragraphs). Text between two tables belongs to the second.
- A small table of banner lines (at most `BANNER_TABLE_ROWS` rows, at most two filled cells a
  row, no `<th>`) next to a bigger table is read as such title lines (before a table) or as the
  lines below the last table (a signature block), keeping its columns.
- A table inside a table's cell: when the inner table holds more filled cells than the outer
  table's own cells, the outer one is page layout (old web forms wrap the whole report in one):
  the inner tables are read and the outer table's own text gives title lines. Otherwise the
  inner table is part of the cell holding it: its rows become that cell's lines.

Cell text: the text content, `<br>` and block elements as line breaks, white space (including
`&nbsp;`) collapsed, entities decoded. A cell Excel marks as a number with its value
(`x:num="1234"`, shown as `1.234`) is read as that value, like a workbook's number cell; dates
and percentages keep the text they show.
"""

from __future__ import annotations

import codecs
from collections import deque
from pathlib import Path

from ..errors import InputError
from .cells import feed, sheet_from_cells
from .formats import (
    RawSheet,
    ReadResult,
    _utf16_without_bom,
    _valid_utf8,
    check_size,
    check_workbook_cells,
    decode_text,
)
from .limits import Limits, resolve_limits
from .text import shown

#: the HTML table model's own caps on spans (WHATWG: colspan ≤ 1000, rowspan ≤ 65534)
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534
#: text lines kept above a table (and below the last one)
TITLE_ROWS = 10
#: a table this short, with at most two filled cells a row and no <th>, next to a bigger one, is
#: a banner or signature block laid out as a table
BANNER_TABLE_ROWS = 10
BANNER_TABLE_CELLS = 2
#: tables in one page (nested ones included): an export holds a handful
MAX_TABLES = 10_000
#: bytes of the page looked at for its <meta charset>
_PRESCAN_BYTES = 65536

# elements whose text is no content of the page (head, scripts, Office's XML islands, forms)
_SKIP = frozenset({"script", "style", "title", "xml", "noscript", "template", "select", "option", "button",
                   "textarea", "object", "iframe"})
# elements that start a new line of text
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre",
                    "blockquote", "center", "section", "article", "header", "footer", "nav", "aside", "main",
                    "form", "fieldset", "legend", "address", "hr", "figure", "figcaption", "body", "html"})
_CELL = frozenset({"td", "th"})
_ROW_GROUP = frozenset({"thead", "tbody", "tfoot"})
# a cell shown as a plain number (grouped or not): Excel's x:num value may replace it
_NUMBER_CHARS = frozenset("0123456789.,- \u00a0()")


# ----------------------------------------------------------------------------------------------
# text of a cell or a line


class _Text:
    """Text fragments as the parser gives them; `None` marks a hard line break, a `_Table` a
    table nested at that point."""

    __slots__ = ("parts", "nested")

    def __init__(self) -> None:
        self.parts: list = []
        self.nested = False

    def add(self, text: str) -> None:
        self.parts.append(text)

    def brk(self) -> None:
        if self.parts and self.parts[-1] is not None:
            self.parts.append(None)

    def table(self, table: _Table) -> None:
        self.brk()
        self.parts.append(table)
        self.parts.append(None)
        self.nested = True

    def text(self, *, nested: bool = True) -> str:
        """Lines joined by a line break, each with its white space collapsed; with `nested`
        False the text of nested tables is left out."""
        parts = self.parts
        if len(parts) <= 1:  # most cells: one piece of text, or none
            return " ".join(parts[0].split()) if parts and isinstance(parts[0], str) else ""
        lines: list[str] = []
        current: list[str] = []
        for part in self.parts:
            if part is None:
                lines.append(" ".join("".join(current).split()))
                current = []
            elif isinstance(part, str):
                current.append(part)
            elif nested:
                lines.append(part.flat_text())
        lines.append(" ".join("".join(current).split()))
        return "\n".join(line for line in lines if line)


# ----------------------------------------------------------------------------------------------
# one table as a sparse grid


class _Table:
    """The cells of one `<table>`: value cells only (row, column, text), spans as blanks."""

    def __init__(self, name: str, label: str, limits: Limits):
        self.name = name  # the file, for messages
        self.label = label  # the sheet it would be, for messages
        self.limits = limits
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.texts: list[str] = []
        self.numbers: list[bool] = []
        self.height = 0  # rows begun
        self.width = 0  # 1 + the rightmost column holding a value
        self.has_th = False
        self.filled_per_row: list[int] = []  # filled cells of each row (for banner tables)
        self.caption: _Text | None = None
        self.caption_open = False
        # rowspans reaching down: column -> first row no longer covered
        self.covered: dict[int, int] = {}
        self.row_open = False
        self.col = 0
        self.cell: _Text | None = None
        self.cell_at = (0, 0, 1, 1)
        self.cell_number: str | None = None
        # cells holding a nested table, settled once the table is known to be data or layout
        self.deferred: dict[tuple[int, int], _Text] = {}
        #: tables nested in this one, with the row that holds them
        self.nested: list[tuple[int, _Table]] = []
        self.layout = False
        self.own_cells = 0  # filled cells, nested tables left out

    # -- building, called by the parser's events

    def start_group(self) -> None:
        self.end_row()
        self.covered.clear()  # a rowspan ends with its row group (HTML table model)

    def start_row(self) -> None:
        self.end_row()
        self.row_open = True
        self.col = 0
        self.filled_per_row.append(0)
        self.height += 1

    def end_row(self) -> None:
        if not self.row_open:
            return
        self.end_cell()
        self.row_open = False
        self._check(self.height, self.width)

    def start_cell(self, tag: str, attrib) -> None:
        if not self.row_open:
            self.start_row()
        self.end_cell()
        if tag == "th":
            self.has_th = True
        row = self.height - 1
        col = self.col
        covered = self.covered
        if covered:
            while covered.get(col, 0) > row:
                col += 1
        self.cell = _Text()
        if not attrib:  # most cells (and lxml's empty attribute mapping is slow to query)
            self.cell_at = (row, col, 1, 1)
            self.cell_number = None
            self.col = col + 1
            return
        colspan = min(_span(attrib.get("colspan"), MAX_COLSPAN), max(1, self.limits.max_columns - col))
        rowspan = _span(attrib.get("rowspan"), MAX_ROWSPAN)
        self.cell_at = (row, col, colspan, rowspan)
        number = attrib.get("x:num")
        self.cell_number = number.strip() if number and number.strip() else None
        if rowspan > 1:
            # only as far as the column cap: a huge colspan costs nothing beyond it
            for c in range(col, col + colspan):
                if covered.get(c, 0) < row + rowspan:
                    covered[c] = row + rowspan
        self.col = col + colspan

    def end_cell(self) -> None:
        cell = self.cell
        if cell is None:
            return
        self.cell = None
        row, col, _colspan, _rowspan = self.cell_at
        if cell.nested:
            self.deferred[(row, col)] = cell
            if cell.text(nested=False):
                self.own_cells += 1
            self._widen(col)
            return
        text = cell.text()
        if not text:
            return
        number = self.cell_number
        numeric = number is not None and _NUMBER_CHARS.issuperset(text) and _is_number(number)
        self._put(row, col, number if numeric else text, numeric)
        self.own_cells += 1

    def _put(self, row: int, col: int, text: str, numeric: bool = False) -> None:
        self._widen(col)
        self.rows.append(row)
        self.cols.append(col)
        self.texts.append(text)
        self.numbers.append(numeric)
        self.filled_per_row[row] += 1

    def _widen(self, col: int) -> None:
        if col >= self.width:
            self.width = col + 1
            self._check(self.height, self.width)

    def _check(self, rows: int, columns: int) -> None:
        check_size(self.name, self.label, rows, columns, self.limits)

    def start_caption(self) -> None:
        self.end_row()
        self.caption = self.caption or _Text()
        self.caption_open = True

    def text_sink(self) -> _Text | None:
        """Where text goes now: the open cell, the open caption, or nowhere (between cells)."""
        if self.cell is not None:
            return self.cell
        return self.caption if self.caption_open else None

    # -- once the table is closed

    def finish(self) -> None:
        """Decide whether this table is page layout (it wraps a bigger table) or data; data
        tables take the text of the tables nested in their cells."""
        self.end_row()
        self.covered.clear()
        biggest = max((table.weight for _, table in self.nested), default=0)
        self.layout = biggest > self.own_cells
        if not self.layout:
            for (row, col), cell in sorted(self.deferred.items()):
                text = cell.text()
                if text:
                    self._put(row, col, text)
            self.deferred.clear()
            self.nested.clear()

    @property
    def filled(self) -> int:
        return len(self.texts) + len(self.deferred)

    @property
    def weight(self) -> int:
        """Filled cells, a layout table's counted through the tables it wraps."""
        if self.layout:
            return self.own_cells + sum(table.weight for _, table in self.nested)
        return self.filled

    def grid_rows(self, *, nested: bool = True) -> list[list[tuple[int, str, bool]]]:
        """Every row as its (column, text, numeric) cells, in column order."""
        out: list[list[tuple[int, str, bool]]] = [[] for _ in range(self.height)]
        for row, col, text, numeric in zip(self.rows, self.cols, self.texts, self.numbers):
            out[row].append((col, text, numeric))
        for (row, col), cell in self.deferred.items():
            text = cell.text(nested=nested)
            if text:
                out[row].append((col, text, False))
        for cells in out:
            cells.sort(key=lambda cell: cell[0])
        return out

    def flat_text(self) -> str:
        """The table as the text of one cell: a line per row, its cells separated by spaces."""
        lines = [" ".join(text for _, text, _ in cells) for cells in self.grid_rows()]
        return "\n".join(line for line in lines if line)

    def is_banner(self) -> bool:
        return (not self.has_th and not self.layout and 0 < self.height <= BANNER_TABLE_ROWS
                and max(self.filled_per_row, default=0) <= BANNER_TABLE_CELLS)

    def pieces(self):
        """A layout table's content in document order: its own rows as lines, then the tables
        its cells hold (themselves data, or layout opened in turn)."""
        by_row: dict[int, list[_Table]] = {}
        for row, table in self.nested:
            by_row.setdefault(row, []).append(table)
        for row, cells in enumerate(self.grid_rows(nested=False)):
            if cells:
                yield "line", [(col, text) for col, text, _ in cells]
            for table in by_row.get(row, []):
                if table.layout:
                    yield from table.pieces()
                else:
                    yield "table", table


def _span(value: str | None, cap: int) -> int:
    """A rowspan/colspan attribute as the HTML table model reads it: leading digits, 1 when
    absent, zero or unreadable, at most `cap`."""
    if not value:
        return 1
    digits = ""
    for ch in value.strip():
        if not ch.isascii() or not ch.isdigit():
            break
        digits += ch
        if len(digits) > 7:
            break
    return min(max(int(digits), 1), cap) if digits else 1


def _is_number(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return value == value and abs(value) != float("inf")


# ----------------------------------------------------------------------------------------------
# the parser's events


class _Page:
    """Target of lxml's HTML parser: collects the tables and the lines of text between them."""

    def __init__(self, name: str, stem: str, limits: Limits):
        self.name = name
        self.stem = stem
        self.limits = limits
        self.open: list[_Table] = []
        self.skip = 0
        self.line = _Text()
        self.sheet_names: list[str] = []
        self.naming: _Text | None = None
        self.started = 0  # top-level tables begun (for the name in a message)
        self.tables = 0  # every table begun, nested ones too
        # the page as pieces: ("lines", first lines, last lines) between tables, ("table", t)
        self.pieces: list[tuple] = []
        self.first: list[list[tuple[int, str]]] = []
        self.last: deque = deque(maxlen=TITLE_ROWS)

    # text outside tables

    def _end_line(self) -> None:
        text = self.line.text()
        self.line = _Text()
        if text:
            self.add_line([(0, text)])

    def add_line(self, cells: list[tuple[int, str]]) -> None:
        if len(self.first) < TITLE_ROWS:
            self.first.append(cells)
        self.last.append(cells)

    def add_table(self, table: _Table) -> None:
        self.pieces.append(("lines", self.first, list(self.last)))
        self.pieces.append(("table", table))
        self.first, self.last = [], deque(maxlen=TITLE_ROWS)

    # events

    def start(self, tag: str, attrib) -> None:
        if tag == "x:name":
            self.naming = _Text()
            return
        if self.skip or tag in _SKIP:
            self.skip += 1
            return
        if tag == "table":
            self.tables += 1
            if self.tables > MAX_TABLES:
                raise InputError("load.html_too_many_tables", path=self.name, limit=MAX_TABLES)
            if not self.open:
                self._end_line()
                self.started += 1
            label = self.stem if self.started <= 1 else f"{self.stem} {self.started}"
            self.open.append(_Table(self.name, label, self.limits))
            return
        if not self.open:
            if tag == "br" or tag in _BLOCK:
                self._end_line()
            return
        table = self.open[-1]
        if tag == "tr":
            table.start_row()
        elif tag in _CELL:
            table.start_cell(tag, attrib)
        elif tag in _ROW_GROUP:
            table.start_group()
        elif tag == "caption":
            table.start_caption()
        elif tag == "br" or tag in _BLOCK:
            sink = table.text_sink()
            if sink is not None:
                sink.brk()

    def end(self, tag: str) -> None:
        if tag == "x:name":
            if self.naming is not None:
                self.sheet_names.append(self.naming.text())
            self.naming = None
            return
        if self.skip:
            if tag in _SKIP:
                self.skip -= 1
            return
        if tag == "table":
            if self.open:
                self._end_table(self.open.pop())
            return
        if not self.open:
            if tag in _BLOCK:
                self._end_line()
            return
        table = self.open[-1]
        if tag in _CELL:
            table.end_cell()
        elif tag == "tr":
            table.end_row()
        elif tag in _ROW_GROUP:
            table.start_group()
        elif tag == "caption":
            table.caption_open = False
        elif tag in _BLOCK:
            sink = table.text_sink()
            if sink is not None:
                sink.brk()

    def _end_table(self, table: _Table) -> None:
        table.finish()
        if self.open:
            parent = self.open[-1]
            if parent.cell is None:  # a table straight in a table, outside any cell: its own row
                parent.start_row()
                parent.start_cell("td", {})
            parent.nested.append((parent.cell_at[0], table))
            parent.cell.table(table)
            return
        if table.layout:
            for kind, content in table.pieces():
                if kind == "line":
                    self.add_line(content)
                else:
                    self.add_table(content)
        else:
            self.add_table(table)

    def data(self, text: str) -> None:
        if self.naming is not None:
            self.naming.add(text)
            return
        if self.skip:
            return
        if not self.open:
            self.line.add(text)
            return
        table = self.open[-1]
        if table.cell is not None:
            table.cell.parts.append(text)
        elif table.caption_open:
            table.caption.add(text)

    def comment(self, text: str) -> None:
        # Excel's sheet name lives in a conditional comment: <!--[if gte mso 9]><xml>
        # <x:ExcelWorkbook>…<x:Name>Danh sách</x:Name>…</xml><![endif]-->
        if "x:name" in text.lower():
            self.sheet_names.extend(_names_in(text))

    def close(self) -> None:
        while self.open:
            self._end_table(self.open.pop())
        self._end_line()
        self.pieces.append(("lines", self.first, list(self.last)))


class _Names:
    """Target collecting the text of <x:Name> elements."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.current: _Text | None = None

    def start(self, tag: str, attrib) -> None:
        if tag == "x:name":
            self.current = _Text()

    def end(self, tag: str) -> None:
        if tag == "x:name" and self.current is not None:
            self.names.append(self.current.text())
            self.current = None

    def data(self, text: str) -> None:
        if self.current is not None:
            self.current.add(text)

    def close(self) -> list[str]:
        return self.names


def _names_in(text: str) -> list[str]:
    from lxml import etree

    target = _Names()
    parser = etree.HTMLParser(target=target, no_network=True, encoding="utf-8")
    try:
        parser.feed(text.encode("utf-8"))
        return parser.close()
    except etree.LxmlError:
        return []


# ----------------------------------------------------------------------------------------------
# is it a web page?

_PAGE_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<style", b"<title")


def looks_like_html(data: bytes) -> bool:
    """Whether a file's first bytes are a web page's (UTF-8, a legacy code page or UTF-16)."""
    head = data[:4096]
    wide = head.startswith((b"\xff\xfe", b"\xfe\xff")) and "utf-16" or _utf16_without_bom(head)
    if wide:
        head = head[: len(head) // 2 * 2].decode(wide, errors="replace").encode("utf-8")
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(_PAGE_STARTS) or b"<html" in probe[:1024]:
        return True
    # a comment or an XML declaration first (XHTML, Excel's own pages)
    return probe.startswith((b"<!--", b"<?xml")) and (b"<html" in probe or b"<table" in probe)


# ----------------------------------------------------------------------------------------------
# encoding


class _Meta:
    """Target finding the charset a page declares (<meta charset> or http-equiv content-type)."""

    def __init__(self) -> None:
        self.charset: str | None = None

    def start(self, tag: str, attrib) -> None:
        if tag != "meta" or self.charset:
            return
        if attrib.get("charset"):
            self.charset = attrib["charset"].strip()
            return
        if (attrib.get("http-equiv") or "").strip().lower() == "content-type":
            for part in (attrib.get("content") or "").split(";"):
                key, _, value = part.partition("=")
                if key.strip().lower() == "charset" and value.strip():
                    self.charset = value.strip().strip("\"'")

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> str | None:
        return self.charset


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first bytes, as a Python codec name (None: none, or
    one Python does not know)."""
    from lxml import etree

    parser = etree.HTMLParser(target=_Meta(), no_network=True, encoding="iso-8859-1")
    try:
        parser.feed(data[:_PRESCAN_BYTES])
        charset = parser.close()
    except etree.LxmlError:
        return None
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def page_utf8(path: Path, data: bytes, encoding: str | None) -> tuple[bytes, str]:
    """The page as UTF-8 bytes and the encoding it was in: the one given, else a BOM, else the
    declared charset, else UTF-8, else Windows-1258. A page that is valid UTF-8 beyond ASCII is
    UTF-8 whatever it declares: templates keep stale declarations (`iso-8859-1`, which cannot
    even hold Vietnamese), and text in a legacy code page is practically never valid UTF-8."""
    if encoding or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data[:8192]):
        text, used = decode_text(path, data, encoding)
        return text.lstrip("\ufeff").encode("utf-8"), used
    declared = declared_charset(data)
    if declared and declared != "utf-8" and not (not data.isascii() and _utf8(data)):
        try:
            return data.decode(declared).encode("utf-8"), declared
        except UnicodeDecodeError:
            pass
    if _utf8(data):
        return data, "utf-8"
    text, used = decode_text(path, data, None)
    return text.lstrip("\ufeff").encode("utf-8"), used


def _utf8(data: bytes) -> bool:
    return _valid_utf8(data)


# ----------------------------------------------------------------------------------------------
# reading


def read_html(path: Path, data: bytes, encoding: str | None = None, limits: Limits | None = None) -> ReadResult:
    """Every table of a web page holding data, as sheets (see the module's docstring)."""
    from lxml import etree  # imported when a page is read: it costs a CSV run nothing

    name = str(path)
    limits = limits or resolve_limits()
    utf8, used = page_utf8(path, data, encoding)
    del data
    page = _Page(name, path.stem, limits)
    parser = etree.HTMLParser(target=page, no_network=True, encoding="utf-8", remove_comments=False,
                              remove_pis=True, default_doctype=False)
    feed(parser, utf8, name)
    del utf8
    layouts = _sheets_of(page)
    if not layouts:
        raise InputError("load.html_no_table", path=name)
    names = _sheet_names(path.stem, page.sheet_names, [table for table, _, _ in layouts])
    sheets = []
    total = 0
    for (table, above, below), sheet_name in zip(layouts, names):
        sheet = _raw_sheet(name, sheet_name, table, above, below, limits)
        total = check_workbook_cells(name, total, sheet, len(sheets), limits)
        sheets.append(sheet)
    return ReadResult(kind="html", sheets=sheets, encoding=used)


def _sheets_of(page: _Page) -> list[tuple[_Table, list, list]]:
    """The data tables with the lines above them (and below the last one). Empty tables are
    dropped; banner tables beside a bigger table are read as lines."""
    pieces = [piece for piece in page.pieces if piece[0] == "lines" or piece[1].filled]
    if any(not piece[1].is_banner() for piece in pieces if piece[0] == "table"):
        pieces = [("lines", *([_banner_lines(piece[1])] * 2)) if piece[0] == "table" and piece[1].is_banner()
                  else piece for piece in pieces]
    # consecutive runs of lines are one run: its first lines (`head`, at most TITLE_ROWS) go
    # below the table before it when that is the last one, its last lines above the next table
    out: list[tuple[_Table, list, list]] = []
    head: list = []
    tail: deque = deque(maxlen=TITLE_ROWS)
    for piece in pieces:
        if piece[0] == "lines":
            head.extend(piece[1][: TITLE_ROWS - len(head)])
            tail.extend(piece[2])
            continue
        out.append((piece[1], list(tail), []))
        head, tail = [], deque(maxlen=TITLE_ROWS)
    if out:
        out[-1] = (out[-1][0], out[-1][1], head)
    return out


def _banner_lines(table: _Table) -> list[list[tuple[int, str]]]:
    """A banner table's rows as lines, blank rows kept (a signature block's gap is a row)."""
    return [[(col, text) for col, text, _ in cells] for cells in table.grid_rows()]


def _sheet_names(stem: str, declared: list[str], tables: list[_Table]) -> list[str]:
    """Excel's own sheet names when the page declares one per table; else the file's stem (one
    table), or each table's caption or the stem and a number."""
    declared = [shown(name).strip() for name in declared]
    if len(declared) == len(tables) and all(declared):
        names = declared
    elif len(tables) == 1:
        names = [stem]
    else:
        names = []
        for number, table in enumerate(tables, start=1):
            caption = table.caption.text().replace("\n", " ") if table.caption else ""
            names.append(caption or f"{stem} {number}")
    seen: set[str] = set()
    out = []
    for name in names:
        name = shown(name)
        unique, n = name, 1
        while unique in seen:
            n += 1
            unique = f"{name} ({n})"
        seen.add(unique)
        out.append(unique)
    return out


def _raw_sheet(name: str, sheet_name: str, table: _Table, above: list, below: list, limits: Limits) -> RawSheet:
    """The grid of one table with its title lines above and closing lines below."""
    lines = list(above)
    if table.caption is not None and table.caption.text():
        lines.append([(0, table.caption.text())])
    offset = len(lines)
    rows = [row + offset for row in table.rows]
    cols = list(table.cols)
    texts = list(table.texts)
    numbers = list(table.numbers)
    for first, block in ((0, lines), (offset + table.height, below)):
        for r, cells in enumerate(block):
            for col, text in cells:
                rows.append(first + r)
                cols.append(col)
                texts.append(text)
                numbers.append(False)
    return sheet_from_cells(sheet_name, rows, cols, texts, numbers,
                            check=lambda height, width: check_size(name, sheet_name, height, width, limits))
