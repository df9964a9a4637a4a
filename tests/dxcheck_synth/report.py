"""Write records the way commune systems export them: report-style workbooks, plain tables, CSV.

Real exports are reports, not tables (REFERENCE §3): banners above the header, a merged
two-level header, a row numbering the columns, group rows, a total row and a signature block.
This writer reproduces those shapes from a DataFrame so that tests and the shipped samples
exercise the loader on realistic files. Output is deterministic: the same frame gives the same
bytes (fixed document timestamps and zip entry dates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

#: Separator of header levels in a column name: `Ngày › Tiếp nhận`.
LEVEL_SEP = "›"
_FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


@dataclass
class ReportSheet:
    """One sheet of a report-style workbook.

    `frame` columns are header texts; `Ngày › Tiếp nhận` becomes a merged group `Ngày` over the
    sub-header `Tiếp nhận` (any depth; consecutive columns sharing a group share one merged cell).
    Values are what the cells should hold: datetimes, numbers, text; NaN/None/NaT leave the cell
    empty.
    """

    name: str
    frame: pd.DataFrame
    banner: bool = True
    title: str = "BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    commune: str = "Hoàng Sơn"
    period_line: str | None = "(Từ ngày 01/10/2026 đến ngày 31/10/2026)"
    #: "plain" 1 2 3 … | "paren" (1) (2) (3) … | None
    numbered_row: str | None = "plain"
    #: column whose value starts a group row `I. <value>` each time it changes
    group_by: str | None = None
    drop_group_column: bool = False
    total_row: bool = True
    signature: bool = True
    #: "normal" | "upper" | "no_diacritics" | "nfd"
    header_style: str = "normal"
    #: write text cells in NFD (decomposed) form, as some systems do
    nfd_values: bool = False
    #: "excel" real dates | "text" dd/mm/yyyy | "serial" Excel serial numbers | "iso" yyyy-mm-dd text
    date_mode: str = "excel"
    #: a leading "STT" column numbering the records 1..n
    stt_column: bool = True
    # --- options for the layouts of real forms and systems (tests/corpus/real_layouts.py) ---
    #: header text of the leading numbering column (`STT`, `TT`)
    stt_label: str = "STT"
    #: explicit labels of the column-numbering row (e.g. `(5) = (6) + (7)`); overrides `numbered_row`
    numbering: list[str] | None = None
    #: strftime format of date cells written as text (e.g. `%H:%M, %d/%m/%Y`); overrides `date_mode`
    date_format: str | None = None
    #: Excel number format of numeric cells (`#,##0` shows 1.234 on a Vietnamese computer)
    number_format: str | None = None
    #: after each group, a subtotal row with this label (`Cộng`) summing the group's numeric columns
    subtotal_label: str | None = None
    #: "roman": `I` + label in the first two cells; "merged": the label alone, merged across the row
    group_style: str = "roman"
    #: repeat the header (and numbering row) after every this many records, as printed pages do
    repeat_header_every: int | None = None
    total_label: str = "Tổng cộng"
    #: left banner lines (default: `ỦY BAN NHÂN DÂN XÃ …`, `BỘ PHẬN MỘT CỬA`)
    issuer: tuple[str, ...] | None = None
    #: a line just above the header, right-aligned (`Đơn vị tính: Số hồ sơ TTHC`)
    unit_note: str | None = None
    #: a form code in the banner's top-left cell (`Biểu số II.06a/VPCP/KSTT`)
    form_code: str | None = None


@dataclass
class SheetRows:
    """What `write_workbook` wrote below a sheet's header, by kind (for row-accounting tests)."""

    header_row: int  # 1-based number of the header's last row
    records: int = 0
    column_numbers: int = 0
    group: int = 0
    total: int = 0  # subtotal rows and the final total row
    repeated_header: int = 0  # repeated header rows (each physical row of a repeated header)
    trailer: int = 0  # the signature block, blank rows within it and before it included
    last_row: int = 0


# ----------------------------------------------------------------------------------------------
# cell values


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return plain.replace("đ", "d").replace("Đ", "D")


def _style_header(text: str, style: str) -> str:
    if style == "upper":
        return text.upper()
    if style == "no_diacritics":
        return _strip_diacritics(text)
    if style == "nfd":
        return unicodedata.normalize("NFD", text)
    if style != "normal":
        raise ValueError(f"unknown header_style {style!r}")
    return text


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


def _as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None


def _has_time(moment: dt.datetime) -> bool:
    return (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0)


def _date_text(moment: dt.datetime, iso: bool) -> str:
    if iso:
        return moment.strftime("%Y-%m-%d %H:%M:%S" if _has_time(moment) else "%Y-%m-%d")
    if not _has_time(moment):
        return moment.strftime("%d/%m/%Y")
    return moment.strftime("%d/%m/%Y %H:%M:%S" if moment.second else "%d/%m/%Y %H:%M")


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _cell_value(value: Any, date_mode: str, nfd: bool, date_format: str | None = None,
                number_format: str | None = None) -> tuple[Any, str | None]:
    """(value to write, number format) for one cell."""
    if _is_blank(value):
        return None, None
    moment = _as_datetime(value)
    if moment is not None and date_format:
        return moment.strftime(date_format), None
    if moment is not None:
        if date_mode == "excel":
            return moment, ("dd/mm/yyyy hh:mm" if _has_time(moment) else "dd/mm/yyyy")
        if date_mode == "text":
            return _date_text(moment, iso=False), None
        if date_mode == "iso":
            return _date_text(moment, iso=True), None
        if date_mode == "serial":
            serial = (moment - _EXCEL_EPOCH) / dt.timedelta(days=1)
            return (int(serial) if serial == int(serial) else round(serial, 10)), None
        raise ValueError(f"unknown date_mode {date_mode!r}")
    value = _plain(value)
    if isinstance(value, bool):
        return ("Có" if value else "Không"), None
    if isinstance(value, str):
        return (unicodedata.normalize("NFD", value) if nfd else value), None
    if isinstance(value, float) and value == int(value) and abs(value) < 2**53:
        return int(value), number_format
    if isinstance(value, (int, float)):
        return value, number_format
    return value, None


# ----------------------------------------------------------------------------------------------
# report-style workbook


def _levels(columns: list[str]) -> list[list[str]]:
    return [[part.strip() for part in str(col).split(LEVEL_SEP)] for col in columns]


def _write_header(ws, top: int, columns: list[str], style: str) -> int:
    """Write a (possibly multi-level) merged header starting at row `top`; return its last row."""
    levels = _levels(columns)
    depth = max((len(parts) for parts in levels), default=1)
    bottom = top + depth - 1
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, parts in enumerate(levels, start=1):
        for lvl, part in enumerate(parts):
            row = top + lvl
            is_leaf = lvl == len(parts) - 1
            cell = ws.cell(row=row, column=col)
            # a group part is written once, in the first column of its run
            if not is_leaf and col > 1 and levels[col - 2][: lvl + 1] == parts[: lvl + 1]:
                continue
            cell.value = _style_header(part, style)
        # leaf cells of shallow columns span down to the header's last row
        if len(parts) < depth:
            ws.merge_cells(start_row=top + len(parts) - 1, start_column=col, end_row=bottom, end_column=col)
    # merge each group run horizontally
    for lvl in range(depth - 1):
        col = 0
        while col < len(levels):
            parts = levels[col]
            if lvl >= len(parts) - 1:
                col += 1
                continue
            end = col
            while (end + 1 < len(levels) and len(levels[end + 1]) - 1 > lvl
                   and levels[end + 1][: lvl + 1] == parts[: lvl + 1]):
                end += 1
            if end > col:
                ws.merge_cells(start_row=top + lvl, start_column=col + 1, end_row=top + lvl, end_column=end + 1)
            col = end + 1
    for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=len(columns)):
        for cell in row:
            cell.font = bold
            cell.alignment = center
            cell.border = _BOX
    return bottom


def _write_banner(ws, sheet: ReportSheet, ncols: int) -> int:
    """Banner rows; return the last row used (0 when there is no banner)."""
    right = max(ncols // 2 + 1, 3)
    bold = Font(bold=True)
    issuer = sheet.issuer or (f"ỦY BAN NHÂN DÂN XÃ {sheet.commune.upper()}", "BỘ PHẬN MỘT CỬA")
    ws.cell(row=1, column=1, value=issuer[0]).font = bold
    ws.cell(row=1, column=right, value="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = bold
    if len(issuer) > 1:
        ws.cell(row=2, column=1, value=issuer[1])
    ws.cell(row=2, column=right, value="Độc lập - Tự do - Hạnh phúc").font = bold
    if sheet.form_code:
        ws.cell(row=3, column=1, value=sheet.form_code).font = Font(bold=True, size=9)
    ws.cell(row=4, column=1, value=sheet.title).font = Font(bold=True, size=13)
    if ncols > 1:
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=ncols)
    last = 4
    if sheet.period_line:
        ws.cell(row=5, column=1, value=sheet.period_line).font = Font(italic=True)
        if ncols > 1:
            ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=ncols)
        last = 5
    ws.cell(row=4, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=5, column=1).alignment = Alignment(horizontal="center")
    return last + 1  # one empty row before the header


def _write_signature(ws, start: int, ncols: int, commune: str) -> int:
    left = 2 if ncols >= 2 else 1
    right = max(ncols - 2, left + 1)
    ws.cell(row=start, column=right, value=f"{commune}, ngày 31 tháng 10 năm 2026").font = Font(italic=True)
    ws.cell(row=start + 1, column=left, value="NGƯỜI LẬP BIỂU").font = Font(bold=True)
    ws.cell(row=start + 1, column=right, value="THỦ TRƯỞNG ĐƠN VỊ").font = Font(bold=True)
    ws.cell(row=start + 2, column=left, value="(Ký, ghi rõ họ tên)").font = Font(italic=True)
    ws.cell(row=start + 2, column=right, value="(Ký tên, đóng dấu)").font = Font(italic=True)
    ws.cell(row=start + 6, column=left, value="Nguyễn Thị Lan")
    ws.cell(row=start + 6, column=right, value="Trần Văn Hùng")
    return start + 6


def _numeric_columns(frame: pd.DataFrame) -> list[bool]:
    flags = []
    for col in frame.columns:
        series = frame[col]
        flags.append(
            pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
        )
    return flags


def _numbering_labels(sheet: ReportSheet, ncols: int) -> list[Any] | None:
    if sheet.numbering is not None:
        if len(sheet.numbering) != ncols:
            raise ValueError(f"numbering has {len(sheet.numbering)} labels for {ncols} columns")
        return list(sheet.numbering)
    if sheet.numbered_row == "paren":
        return [f"({c})" for c in range(1, ncols + 1)]
    if sheet.numbered_row:
        return list(range(1, ncols + 1))
    return None


def _write_sum_row(ws, row: int, label: str, block: pd.DataFrame, numeric: list[bool], sheet: ReportSheet,
                   label_col: int) -> None:
    ws.cell(row=row, column=label_col, value=label).font = Font(bold=True)
    offset = 1 if sheet.stt_column else 0
    for j, is_num in enumerate(numeric):
        if is_num and j >= offset and j + 1 != label_col:
            total = pd.to_numeric(block.iloc[:, j - offset], errors="coerce").sum()
            out, fmt = _cell_value(float(total), "excel", False, number_format=sheet.number_format)
            cell = ws.cell(row=row, column=j + 1, value=out)
            cell.font = Font(bold=True)
            if fmt:
                cell.number_format = fmt


def _fill_sheet(ws, sheet: ReportSheet) -> SheetRows:
    frame = sheet.frame.reset_index(drop=True)
    group_values = frame[sheet.group_by].tolist() if sheet.group_by else None
    if sheet.group_by and sheet.drop_group_column:
        frame = frame.drop(columns=[sheet.group_by])
    columns = [str(c) for c in frame.columns]
    numeric = _numeric_columns(frame)
    if sheet.stt_column:
        columns = [sheet.stt_label, *columns]
        numeric = [False, *numeric]
    ncols = len(columns)
    label_col = 2 if sheet.stt_column and ncols > 1 else 1

    row = _write_banner(ws, sheet, ncols) + 1 if sheet.banner else 1
    if sheet.unit_note:
        ws.cell(row=row, column=ncols, value=sheet.unit_note).font = Font(italic=True)
        row += 1
    header_top = row
    last_header = _write_header(ws, row, columns, sheet.header_style)
    depth = last_header - header_top + 1
    counts = SheetRows(header_row=last_header)
    row = last_header + 1
    labels = _numbering_labels(sheet, ncols)

    def numbering_row(at: int) -> int:
        if labels is None:
            return at
        for col, label in enumerate(labels, start=1):
            cell = ws.cell(row=at, column=col, value=label)
            cell.alignment = Alignment(horizontal="center")
            cell.font = Font(italic=True)
        counts.column_numbers += 1
        return at + 1

    row = numbering_row(row)

    def subtotal(at: int, start: int, end: int) -> int:
        if sheet.subtotal_label is None or end <= start:
            return at
        _write_sum_row(ws, at, sheet.subtotal_label, frame.iloc[start:end], numeric, sheet, label_col)
        counts.total += 1
        return at + 1

    values = frame.to_numpy(dtype=object)
    group_no = 0
    group_start = 0
    current_group: Any = object()
    for i, record in enumerate(values):
        if sheet.repeat_header_every and i and i % sheet.repeat_header_every == 0:
            # a printed page ends: the next one starts with the header again
            _write_header(ws, row, columns, sheet.header_style)
            counts.repeated_header += depth
            row = numbering_row(row + depth)
        if group_values is not None and group_values[i] != current_group:
            if i:
                row = subtotal(row, group_start, i)
            current_group = group_values[i]
            group_start = i
            group_no += 1
            label = "" if _is_blank(current_group) else str(current_group)
            if sheet.nfd_values:
                label = unicodedata.normalize("NFD", label)
            if sheet.group_style == "merged":
                ws.cell(row=row, column=1, value=label).font = Font(bold=True)
                if ncols > 1:
                    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            elif sheet.stt_column:
                ws.cell(row=row, column=1, value=_roman(group_no)).font = Font(bold=True)
                ws.cell(row=row, column=2, value=label).font = Font(bold=True)
            else:
                ws.cell(row=row, column=1, value=f"{_roman(group_no)}. {label}").font = Font(bold=True)
            counts.group += 1
            row += 1
        col = 1
        if sheet.stt_column:
            ws.cell(row=row, column=1, value=i + 1)
            col = 2
        for value in record:
            out, fmt = _cell_value(value, sheet.date_mode, sheet.nfd_values, sheet.date_format, sheet.number_format)
            if out is not None:
                cell = ws.cell(row=row, column=col, value=out)
                if fmt:
                    cell.number_format = fmt
            col += 1
        counts.records += 1
        row += 1
    if group_values is not None and len(values):
        row = subtotal(row, group_start, len(values))

    if sheet.total_row:
        _write_sum_row(ws, row, sheet.total_label, frame, numeric, sheet, label_col)
        counts.total += 1
        row += 1

    last = row - 1
    if sheet.signature:
        last = _write_signature(ws, row + 1, ncols, f"Xã {sheet.commune}")
        counts.trailer = last - (row - 1)
    counts.last_row = last

    for col in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(col)].width = 6 if (sheet.stt_column and col == 1) else 18
    return counts


def _make_deterministic(path: Path) -> None:
    """Rewrite the zip with fixed entry dates and document timestamps."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "dxcheck"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    return wb


def write_workbook(path: str | Path, sheets: list[ReportSheet]) -> list[SheetRows]:
    """Write report-style sheets (banner, merged header, numbering, groups, total, signature);
    return, per sheet, what was written below its header."""
    path = Path(path)
    wb = _new_workbook()
    wb.remove(wb.active)
    written = []
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.name[:31])
        written.append(_fill_sheet(ws, sheet))
    wb.save(path)
    _make_deterministic(path)
    return written


def write_plain_xlsx(path: str | Path, frame: pd.DataFrame, sheet: str = "Sheet1") -> None:
    """A clean table: the header in row 1, one record per row, real Excel dates."""
    path = Path(path)
    wb = _new_workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in frame.columns])
    for record in frame.to_numpy(dtype=object):
        out_row = []
        formats = []
        for value in record:
            out, fmt = _cell_value(value, "excel", False)
            out_row.append(out)
            formats.append(fmt)
        ws.append(out_row)
        if any(formats):
            for col, fmt in enumerate(formats, start=1):
                if fmt:
                    ws.cell(row=ws.max_row, column=col).number_format = fmt
    wb.save(path)
    _make_deterministic(path)


def _csv_text(value: Any, decimal: str) -> str:
    if _is_blank(value):
        return ""
    moment = _as_datetime(value)
    if moment is not None:
        return _date_text(moment, iso=False)
    value = _plain(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if value == int(value) and abs(value) < 2**53:
            return str(int(value))
        return repr(value).replace(".", decimal)
    return str(value)


def write_csv(
    path: str | Path, frame: pd.DataFrame, *, encoding: str = "utf-8-sig", sep: str = ";", decimal: str = "."
) -> None:
    """A CSV export: header in the first line, dates as dd/mm/yyyy [HH:MM[:SS]].

    `encoding` may be "utf-8-sig" (BOM), "utf-8", "utf-16" (Excel's Unicode text, with BOM) or
    "cp1258"; `decimal` "," writes Vietnamese decimal commas.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([str(c) for c in frame.columns])
    for record in frame.to_numpy(dtype=object):
        writer.writerow([_csv_text(v, decimal) for v in record])
    text = buffer.getvalue()
    if encoding.lower().replace("_", "-") in ("cp1258", "windows-1258"):
        # Windows-1258 stores Vietnamese with combining tone marks; encode the NFD form so every
        # letter is representable, as Vietnamese Windows software does.
        data = encode_cp1258(text)
    else:
        data = text.encode(encoding)
    Path(path).write_bytes(data)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 holds the base letters (ê, ơ, ư, ă, đ …) precomposed and the five tone marks
    as combining characters: `ệ` is written `ê` + combining dot below."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return bytes(out)


# ----------------------------------------------------------------------------------------------
# web page saved as .xls (a portal's "Xuất Excel")


def _vn_number_text(value: float | int) -> str:
    """`8000` -> `8.000`, `50000.5` -> `50.000,5`: numbers as Vietnamese portals print them."""
    negative = value < 0
    value = abs(value)
    if isinstance(value, float) and value != int(value):
        whole, _, fraction = repr(value).partition(".")
        whole = int(whole)
    else:
        whole, fraction = int(value), ""
    grouped = f"{whole:,}".replace(",", ".")
    return ("-" if negative else "") + grouped + ("," + fraction if fraction else "")


def _html_cell_text(value: Any) -> tuple[str, bool]:
    """(escaped cell content, whether it is text that looks like a number: an id such as
    `000.01.001`, which portals mark `mso-number-format:"\\@"` so that Excel keeps it as text)."""
    from html import escape

    if value is None:
        return "", False
    if isinstance(value, dt.datetime):
        return _date_text(value, iso=False), False
    if isinstance(value, bool):
        return ("Có" if value else "Không"), False
    if isinstance(value, (int, float)):
        return _vn_number_text(value), False
    text = str(value)
    looks_numeric = bool(text) and all(ch.isdigit() or ch in ".,-/" for ch in text)
    return "<br>".join(escape(line) for line in text.split("\n")), looks_numeric


def _html_rows(ws, first: int, last: int, merged: dict, covered: set, ncols: int) -> list[str]:
    rows = []
    for r in range(first, last + 1):
        cells = []
        for c in range(1, ncols + 1):
            if (r, c) in covered:
                continue
            text, as_text = _html_cell_text(ws.cell(row=r, column=c).value)
            rowspan, colspan = merged.get((r, c), (1, 1))
            attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            bold = ws.cell(row=r, column=c).font.bold
            tag = "th" if bold and ws.cell(row=r, column=c).border.left.style else "td"
            style = ' class="text"' if as_text else ""
            cells.append(f"<{tag}{attrs}{style}>{text}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def _html_sheet(ws, title_blocks: bool) -> str:
    """One worksheet as a portal writes it: the same grid as a table, merged cells as
    rowspan/colspan. With `title_blocks`, the banner above the header is written as paragraphs
    and a two-column banner table, and the signature block as a table after the data."""
    ncols, nrows = ws.max_column, ws.max_row
    merged, covered = {}, set()
    for span in ws.merged_cells.ranges:
        merged[(span.min_row, span.min_col)] = (span.max_row - span.min_row + 1, span.max_col - span.min_col + 1)
        covered |= {(r, c) for r in range(span.min_row, span.max_row + 1) for c in range(span.min_col, span.max_col + 1)
                    if (r, c) != (span.min_row, span.min_col)}
    if not title_blocks:
        return '<table border="1">' + "\n".join(_html_rows(ws, 1, nrows, merged, covered, ncols)) + "</table>"
    boxed = [r for r in range(1, nrows + 1) if ws.cell(row=r, column=1).border.left.style]
    top = boxed[0] if boxed else 1
    values = {r: [c for c in range(1, ncols + 1) if ws.cell(row=r, column=c).value is not None]
              for r in range(1, nrows + 1)}
    bottom = max((r for r in range(top, nrows + 1) if values[r] and len(values[r]) > 2 or r in boxed), default=nrows)
    # the table ends with its last row holding more than a signature's two cells (or the total)
    for r in range(bottom + 1, nrows + 1):
        if values[r] and ws.cell(row=r, column=values[r][0]).value == "Tổng cộng":
            bottom = r
    out = []
    banner_pairs = [r for r in range(1, top) if len(values[r]) == 2]
    if banner_pairs:
        pairs = []
        for r in banner_pairs:
            left, right = (ws.cell(row=r, column=c).value for c in values[r])
            pairs.append(f"<tr><td><b>{_html_cell_text(left)[0]}</b></td><td><b>{_html_cell_text(right)[0]}</b></td></tr>")
        out.append('<table border="0" width="100%">' + "".join(pairs) + "</table>")
    for r in range(1, top):
        if len(values[r]) == 1:
            text = _html_cell_text(ws.cell(row=r, column=values[r][0]).value)[0]
            out.append(f"<h3>{text}</h3>" if ws.cell(row=r, column=values[r][0]).font.size == 13 else f"<p><i>{text}</i></p>")
    out.append('<table border="1" cellspacing="0">' + "\n".join(_html_rows(ws, top, bottom, merged, covered, ncols))
               + "</table>")
    tail = [r for r in range(bottom + 1, nrows + 1)]
    if any(values[r] for r in tail):
        rows = []
        for r in tail:
            cells = "".join(f"<td>{_html_cell_text(ws.cell(row=r, column=c).value)[0]}</td>" for c in values[r])
            rows.append(f"<tr>{cells or '<td></td>'}</tr>")
        out.append('<table border="0" width="100%">' + "".join(rows) + "</table>")
    return "\n".join(out)


def write_html(path: str | Path, sheets: list[ReportSheet], *, title_blocks: bool = False,
               encoding: str = "utf-8") -> None:
    """The report-style sheets as one web page named as the caller likes (`.xls`), the way the
    "Xuất Excel" button of many provincial one-stop portals writes them: an HTML page with
    Excel's namespace, a `content-type: application/vnd.ms-excel` meta, the sheet names in
    Excel's `<x:Name>` block, one `<table>` per sheet with merged cells as rowspan/colspan, dates
    as `dd/mm/yyyy [HH:MM]` text, numbers as Vietnamese text (`50.000,5`). `encoding` "cp1258"
    writes Windows-1258 (tone marks combining) and declares it.
    """
    wb = _new_workbook()
    wb.remove(wb.active)
    bodies, names = [], []
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.name[:31])
        _fill_sheet(ws, sheet)
        bodies.append(_html_sheet(ws, title_blocks))
        names.append(ws.title)
    from html import escape

    windows = encoding.lower().replace("_", "-") in ("cp1258", "windows-1258")
    charset = "windows-1258" if windows else encoding
    sheet_xml = "".join(f"<x:ExcelWorksheet><x:Name>{escape(name)}</x:Name></x:ExcelWorksheet>" for name in names)
    page = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">\n'
            f'<head><meta http-equiv="content-type" content="application/vnd.ms-excel; charset={charset}">\n'
            f"<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets>{sheet_xml}</x:ExcelWorksheets>"
            "</x:ExcelWorkbook></xml><![endif]-->\n"
            '<style>.text { mso-number-format:"\\@"; } td, th { border: .5pt solid windowtext; }</style></head>\n'
            "<body>\n" + "\n<br>\n".join(bodies) + "\n</body></html>\n")
    Path(path).write_bytes(encode_cp1258(page) if windows else page.encode(encoding))


# ----------------------------------------------------------------------------------------------
# Excel 2003 XML (SpreadsheetML), as PHP/ASP exports write it


def _spreadsheetml_cell(value: Any) -> tuple[str, str]:
    """(ss:Type, text) of one cell."""
    from xml.sax.saxutils import escape

    if isinstance(value, dt.datetime):
        return "DateTime", value.strftime("%Y-%m-%dT%H:%M:%S.000")
    if isinstance(value, bool):
        return "String", "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return "Number", repr(value) if isinstance(value, float) else str(value)
    return "String", escape(str(value)).replace("\n", "&#10;")


def _spreadsheetml_sheet(ws) -> str:
    merged, covered = {}, set()
    for span in ws.merged_cells.ranges:
        merged[(span.min_row, span.min_col)] = (span.max_row - span.min_row, span.max_col - span.min_col)
        covered |= {(r, c) for r in range(span.min_row, span.max_row + 1) for c in range(span.min_col, span.max_col + 1)
                    if (r, c) != (span.min_row, span.min_col)}
    rows, last_row = [], 0
    for r in range(1, ws.max_row + 1):
        cells, next_col = [], 1
        for c in range(1, ws.max_column + 1):
            value = ws.cell(row=r, column=c).value
            down, across = merged.get((r, c), (0, 0))
            if (r, c) in covered or (value is None and not (down or across)):
                continue
            attrs = (f' ss:Index="{c}"' if c != next_col else "") + (f' ss:MergeAcross="{across}"' if across else "") \
                + (f' ss:MergeDown="{down}"' if down else "")
            data = ""
            if value is not None:
                kind, text = _spreadsheetml_cell(value)
                data = f'<Data ss:Type="{kind}">{text}</Data>'
            cells.append(f"<Cell{attrs}>{data}</Cell>")
            next_col = c + across + 1
        if cells:
            rows.append((f'<Row ss:Index="{r}">' if r != last_row + 1 else "<Row>") + "".join(cells) + "</Row>")
            last_row = r
    return "".join(rows)


def write_spreadsheetml(path: str | Path, sheets: list[ReportSheet]) -> None:
    """The report-style sheets as an Excel 2003 XML workbook (what older systems send as `.xls`):
    merged cells as `ss:MergeAcross`/`ss:MergeDown`, skipped rows and cells as `ss:Index`,
    dates as `DateTime`, numbers as `Number`."""
    from xml.sax.saxutils import quoteattr

    wb = _new_workbook()
    wb.remove(wb.active)
    parts = []
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.name[:31])
        _fill_sheet(ws, sheet)
        parts.append(f"<Worksheet ss:Name={quoteattr(ws.title)}><Table>{_spreadsheetml_sheet(ws)}</Table></Worksheet>")
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:html="http://www.w3.org/TR/REC-html40">\n' + "\n".join(parts) + "\n</Workbook>\n")
    Path(path).write_bytes(text.encode("utf-8"))
