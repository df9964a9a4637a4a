"""Excel: a workbook to sort, filter and forward — a summary sheet with one row per rule, a sheet
of the non-compliant records of each failing rule, the data-quality warnings and the inputs.

Two promises. Numbers dxcheck computes are numbers (with number formats, so Excel shows them in
the reader's locale: 98,50% or 98.50%), and every text that came from the data is a text cell:
`=HYPERLINK(...)`, `+1`, `-2`, `@SUM(A1)` stay the characters they were, never a formula (written
as strings, data type "s", with Excel's quote prefix so editing the cell does not turn them into
one either). Dates and numbers the loader read from the data are date and number cells; codes are
shown as their words. A sheet of records lists every failing record when the run kept them
(`RuleResult.failing`, kept only when an xlsx is asked for), each linked to its source row. Sheet names come from rule ids, never from data. The bytes are deterministic: fixed
document properties and zip timestamps when the run has no timestamp.
"""

from __future__ import annotations

import io
import math
from copy import copy
import zipfile
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..evaluation.data import PATH, ROW, SHEET
from ..messages import set_language, t
from ..results import EvaluationResult, RuleResult
from . import XLSX_PROPERTY
from . import format as fmt
from . import trajectory as trajectory_text
from . import escape
from .terminal import MARKS

#: the document date when a run has no timestamp (and the zip members' date, always)
FIXED_TIME = datetime(1980, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FORMULA_START = escape.FORMULA_START
SHEET_NAME_MAX = 31

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="FFE7E6E6")
STATUS_FILLS = {"pass": "FFE2EFDA", "fail": "FFF8D7D3", "no_data": "FFFFF2CC", "error": "FFE4D7EE"}
THIN = Side(style="thin", color="FF808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def _rf(key: str, **params: object) -> str:
    return t(f"report_formats.{key}", **params)


def put_text(cell, value: object) -> None:
    """Write `value` as a text cell, whatever it looks like (formulas included)."""
    text, formula_like = escape.spreadsheet(value)  # XML 1.0's forbidden characters → U+FFFD
    cell.value = text
    cell.data_type = "s"  # openpyxl makes any "=…" a formula; this keeps it a string
    if formula_like:
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def put_number(cell, value: int | float | Decimal | None, number_format: str = "0") -> None:
    if value is None:
        return
    cell.value = float(value) if isinstance(value, Decimal) else value
    cell.number_format = number_format


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _format(decimals: int, percent: bool) -> str:
    body = "0" + ("." + "0" * decimals if decimals else "")
    return body + "%" if percent else body


def _percent_value(text: str | None) -> tuple[Decimal | None, int]:
    """`"98.996"` → (Decimal("0.98996"), 3): the shown figure exactly, as a fraction of 1."""
    if text is None:
        return None, 0
    try:
        return Decimal(text) / 100, _decimals(text)
    except InvalidOperation:
        return None, 0


def _plain_decimal(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _header(sheet: Worksheet, row: int, labels: list[str], widths: list[float]) -> None:
    for column, (label, width) in enumerate(zip(labels, widths), 1):
        cell = sheet.cell(row=row, column=column)
        put_text(cell, label)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width


class SheetNames:
    """Excel sheet names: ≤ 31 characters, none of []:*?/\\, no edge apostrophe, unique ignoring case."""

    def __init__(self) -> None:
        self.used: set[str] = {"history"}  # reserved by Excel

    def take(self, wanted: str) -> str:
        base = INVALID_TITLE_REGEX.sub("-", escape.xml(wanted)).strip("'").strip() or "sheet"
        base = base[:SHEET_NAME_MAX]
        name, number = base, 1
        while name.lower() in self.used:
            number += 1
            suffix = f"~{number}"
            name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        self.used.add(name.lower())
        return name


def _info_rows(sheet: Worksheet, result: EvaluationResult, span: int) -> int:
    """Title, plans, period, summary at the top of the summary sheet; returns the next free row."""
    commune = fmt.commune(result)
    title = _rf("title") + (f" — {_rf('commune', name=commune).upper()}" if commune else "")
    lines = [(title, TITLE)]
    for pack in result.packs:
        lines.append((f"{_rf('plan')}: {pack.document} ({pack.issuer}) — {pack.id}", None))
    summary = result.summary
    total = summary.pass_ + summary.fail + summary.no_data + summary.error
    verdict = _rf("verdict_ok" if int(result.exit_code()) == 0 else "verdict_failed")
    lines.append((f"{fmt.period_line(result)}. {fmt.generated_line(result)}.", None))
    lines.append((_rf("summary_line", total=total, fail=summary.fail, no_data=summary.no_data, error=summary.error,
                      **{"pass": summary.pass_}) + " " + verdict
                  + (" " + _rf("strict_note") if result.strict else ""), BOLD))
    for row, (text, font) in enumerate(lines, 1):
        cell = sheet.cell(row=row, column=1)
        put_text(cell, text)
        if font:
            cell.font = font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    return len(lines) + 1


def _summary_sheet(sheet: Worksheet, result: EvaluationResult, links: dict[str, str]) -> None:
    labels = [_rf("col_no"), _rf("col_pack"), _rf("col_id"), _rf("col_title"), t("report.col_status"),
              t("report.col_value"), _rf("col_baseline"), _rf("col_op"), t("report.col_target"), _rf("col_numerator"),
              _rf("col_denominator"), t("report.col_shortfall"), t("report.col_deadline"), _rf("col_section"),
              _rf("col_message"), _rf("col_quote")]
    widths = [5, 16, 26, 48, 17, 10, 10, 9, 10, 9, 9, 9, 7, 9, 48, 60]
    header_row = _info_rows(sheet, result, 8)
    _header(sheet, header_row, labels, widths)
    row = header_row
    for index, item in enumerate(fmt.grouped(result.results), 1):  # the rules of one indicator side by side
        row += 1
        cells = [sheet.cell(row=row, column=column) for column in range(1, len(labels) + 1)]
        put_number(cells[0], index)
        put_text(cells[1], item.pack)
        put_text(cells[2], item.rule)
        if item.id in links:
            # an in-workbook link (a location, no relationship): the rule's sheet of records
            cells[2].hyperlink = Hyperlink(ref=cells[2].coordinate, location=f"{quote_sheetname(links[item.id])}!A1")
            cells[2].font = Font(underline="single", color="FF0563C1")
        put_text(cells[3], fmt.text_for(item.title))
        put_text(cells[4], f"{MARKS[item.status]} {fmt.status(item.status)}")
        cells[4].fill = PatternFill("solid", fgColor=STATUS_FILLS[item.status])
        cells[4].font = BOLD
        percent = item.target.unit == "%"
        shown, decimals = _percent_value(item.display_value) if percent else (
            (Decimal(item.display_value), _decimals(item.display_value)) if item.display_value else (None, 0))
        put_number(cells[5], shown, _format(decimals, percent))
        _baseline_cell(cells[6], item, percent)
        put_text(cells[7], fmt.OP_SYMBOLS[item.target.op])
        target_text = _plain_decimal(item.target.value)
        target_value = Decimal(target_text) / 100 if percent else Decimal(target_text)
        put_number(cells[8], target_value, _format(_decimals(target_text), percent))
        put_number(cells[9], item.numerator, "0" if float(item.numerator or 0).is_integer() else "0.00")
        put_number(cells[10], item.denominator, "0" if float(item.denominator or 0).is_integer() else "0.00")
        put_number(cells[11], item.shortfall)
        put_number(cells[12], item.deadline)
        cited = fmt.clauses(item)
        put_text(cells[13], "; ".join(dict.fromkeys(section for section, _ in cited)))
        put_text(cells[14], "\n".join(filter(None, [item.message, *_baseline_and_indicator_lines(item, result.results)])))
        put_text(cells[15], "\n".join(quote for _, quote in cited))
        for cell in cells:
            cell.border = BOX
            cell.alignment = WRAP if cell.column in (4, 15, 16) else TOP
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(labels))}{max(row, header_row)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _landscape(sheet)


# --- baselines and shared indicators (issue 13) ---------------------------------------------------

REGRESSION_FILL = PatternFill("solid", fgColor="FFFFF2CC")


def _baseline_cell(cell, item: RuleResult, percent: bool) -> None:
    """The baseline as a number beside the value; highlighted when the value is below it."""
    if item.baseline is None:
        return
    text = _plain_decimal(item.baseline.value)
    put_number(cell, Decimal(text) / 100 if percent else Decimal(text), _format(_decimals(text), percent))
    if item.regression:
        cell.fill, cell.font = REGRESSION_FILL, BOLD


def _baseline_and_indicator_lines(item: RuleResult, results: list[RuleResult]) -> list[str]:
    """The regression warning and, for a rule sharing its indicator, which thresholds are met."""
    lines = [f"{fmt.REGRESSION_MARK} {fmt.regression_line(item)}"] if item.regression else []
    if item.baseline is not None:
        lines.append(f"{fmt.baseline_line(item)}: “{item.baseline.quote}”")
    if indicator := fmt.indicator_line(item, results):
        lines.append(indicator)
    return lines


def _samples_sheet(sheet: Worksheet, item: RuleResult, source_links: bool) -> None:
    """The rule's failing records: every one when the run kept them (`RuleResult.failing`), else
    the samples with a line saying how many more there are."""
    if item.failing is not None:
        _all_records_sheet(sheet, item, source_links)
        return
    dataset = item.measurement.dataset if item.measurement else None
    fields = fmt.sample_fields(item)
    lines = [(_rf("xlsx.samples_title", id=item.id), TITLE), (fmt.text_for(item.title), None),
             (_rf("samples_count", shown=len(item.samples), total=item.samples_total)
              + (" " + _rf("samples_more", count=item.samples_total - len(item.samples), total=item.samples_total)
                 if item.samples_total > len(item.samples) else ""), None)]
    header_row = _records_header(sheet, lines, dataset, fields)
    links = SourceLinks(CellStyles(), enabled=source_links)
    for index, sample in enumerate(item.samples, 1):
        row = header_row + index
        _record_start(sheet, row, index, sample.record_id, sample.path, sample.sheet, sample.row, links)
        for offset, name in enumerate(fields):
            put_text(sheet.cell(row=row, column=FIRST_FIELD + offset), sample.values.get(name, ""))
    _records_end(sheet, header_row, header_row + len(item.samples), len(fields))


# --- every failing record, typed (issue 15) ------------------------------------------------------

#: columns before the rule's fields: No, record id, source link, file, sheet, row
FIRST_FIELD = 7
#: data files whose sheets a link can point into (`#'Sheet'!A12`); a CSV opens at its top
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
DATE_FORMAT, DATETIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
LINK_FONT = Font(underline="single", color="FF0563C1")


class CellStyles:
    """Styles of a long list, each built once: openpyxl looks a style up at every assignment, which
    dominated the time of writing tens of thousands of records; a cell takes a copy instead."""

    def __init__(self) -> None:
        self.built: dict[object, object] = {}

    def apply(self, cell, key: object, build) -> None:
        if key in self.built:
            cell._style = copy(self.built[key])
        else:
            build(cell)
            self.built[key] = copy(cell._style)

    def number(self, cell, value, number_format: str) -> None:
        cell.value = value
        self.apply(cell, ("number", number_format), lambda target: setattr(target, "number_format", number_format))


class SourceLinks:
    """Where a record came from, as a link Excel follows: the data file (absolute `file:` URI, when
    the file is there to open) at the record's sheet and row. One file-system look-up per file."""

    def __init__(self, styles: CellStyles, enabled: bool = True) -> None:
        self.files: dict[str, str | None] = {}
        self.styles = styles
        self.enabled = enabled

    def target(self, path: str) -> str | None:
        if not self.enabled:
            return None
        if path not in self.files:
            from pathlib import Path

            source = Path(path)
            self.files[path] = source.resolve().as_uri() if source.is_file() else None
        return self.files[path]

    def put(self, cell, path: str, sheet_name: str, row: int) -> None:
        from pathlib import PurePath

        put_text(cell, f"{PurePath(path).name} › {sheet_name} › {row}")
        target = self.target(path)
        if target is None:
            return
        location = (f"{quote_sheetname(escape.xml(sheet_name))}!A{row}"
                    if sheet_name and path.lower().endswith(WORKBOOK_SUFFIXES) else None)
        # an external link is a relationship to the file (escaped by the writer), never a formula
        cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target, location=location)
        self.styles.apply(cell, "link", lambda link: setattr(link, "font", LINK_FONT))


def _records_header(sheet: Worksheet, lines: list, dataset: str | None, fields: list[str]) -> int:
    """The title lines and the header row of a sheet of records; returns the header's row."""
    for row, (text, font) in enumerate(lines, 1):
        cell = sheet.cell(row=row, column=1)
        put_text(cell, text)
        if font:
            cell.font = font
    labels = [_rf("col_no"), _rf("col_record"), _rf("xlsx.col_source"), _rf("col_file"), _rf("col_sheet"),
              _rf("col_row")]
    labels += [fmt.field_label(dataset, name) for name in fields]
    header_row = len(lines) + 1
    _header(sheet, header_row, labels, [6, 24, 36, 34, 18, 7] + [18] * len(fields))
    return header_row


def _record_start(sheet: Worksheet, row: int, index: int, record_id: str | None, path: str, sheet_name: str,
                  source_row: int, links: SourceLinks) -> None:
    links.styles.number(sheet.cell(row=row, column=1), index, "0")
    put_text(sheet.cell(row=row, column=2), record_id or "")
    links.put(sheet.cell(row=row, column=3), path, sheet_name, source_row)
    put_text(sheet.cell(row=row, column=4), path)
    put_text(sheet.cell(row=row, column=5), sheet_name)
    links.styles.number(sheet.cell(row=row, column=6), source_row, "0")


def _records_end(sheet: Worksheet, header_row: int, last_row: int, field_count: int) -> None:
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(FIRST_FIELD - 1 + field_count)}{last_row}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _landscape(sheet)


def _value_labels(dataset: str | None, field: str) -> dict[str, str]:
    """A category field's codes as words in the report's language (`khong` → `Không (…)`): the
    same words as the HTML report's (`format.value_label`)."""
    spec = fmt.field_spec(dataset, field)
    return {code: fmt.value_label(dataset, field, code) for code in (getattr(spec, "values", None) or {})}


def _put_value(cell, value: object, labels: dict[str, str], styles: CellStyles) -> None:
    """A data value in its own type: a date cell, a number, yes/no, a label, else text."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, (pd.Timestamp, datetime)):
        moment = pd.Timestamp(value)
        if moment.tzinfo is not None:  # Excel has no time zones: the local time as read
            moment = moment.tz_localize(None)
        # a day's end (23:59, how deadlines are stored) or midnight is a date, not a moment
        date_only = (moment.hour, moment.minute) in ((0, 0), (23, 59))
        styles.number(cell, (moment.normalize() if date_only else moment.floor("min")).to_pydatetime(),
                      DATE_FORMAT if date_only else DATETIME_FORMAT)
        return
    if isinstance(value, (bool, np.bool_)):
        put_text(cell, t("value.yes") if value else t("value.no"))
        return
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = value.item() if isinstance(value, np.generic) else value
        styles.number(cell, number, "#,##0" if float(number).is_integer() else "#,##0.00")
        return
    text = str(value)
    put_text(cell, labels.get(text, text))


def _all_records_sheet(sheet: Worksheet, item: RuleResult, source_links: bool) -> None:
    failing = item.failing
    frame = failing.frame
    record_id = failing.record_id
    fields = [name for name in frame.columns if name not in (record_id, PATH, SHEET, ROW)]
    lines = [(_rf("xlsx.samples_title", id=item.id), TITLE), (fmt.text_for(item.title), None),
             (_rf("xlsx.all_records", total=len(frame)), None)]
    header_row = _records_header(sheet, lines, failing.dataset, fields)
    labels = [_value_labels(failing.dataset, name) for name in fields]
    ids = frame[record_id].tolist() if record_id else [None] * len(frame)
    paths, sheets, rows = (frame[name].astype(object).tolist() for name in (PATH, SHEET, ROW))
    values = [frame[name].astype(object).tolist() for name in fields]  # one column at a time: lists, not rows
    links = SourceLinks(CellStyles(), enabled=source_links)
    for k in range(len(frame)):
        row = header_row + 1 + k
        record = ids[k]
        _record_start(sheet, row, k + 1, None if record is None or record != record else str(record),
                      str(paths[k]), str(sheets[k]), int(rows[k]), links)
        for offset in range(len(fields)):
            _put_value(sheet.cell(row=row, column=FIRST_FIELD + offset), values[offset][k], labels[offset], links.styles)
    _records_end(sheet, header_row, header_row + len(frame), len(fields))


def _warnings_sheet(sheet: Worksheet, result: EvaluationResult) -> None:
    labels = [_rf("col_no"), _rf("col_file"), _rf("col_sheet"), _rf("col_field"), _rf("col_rows"),
              _rf("col_warning")]
    _header(sheet, 1, labels, [5, 34, 18, 18, 24, 80])
    for index, warning in enumerate(result.warnings, 1):
        row = index + 1
        put_number(sheet.cell(row=row, column=1), index)
        for column, value in enumerate([warning.path, warning.sheet or "", warning.field or "",
                                        fmt.rows_text(warning.rows, limit=200), warning.message], 2):
            cell = sheet.cell(row=row, column=column)
            put_text(cell, value)
            cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    _landscape(sheet)


def _inputs_sheet(sheet: Worksheet, result: EvaluationResult) -> None:
    reasons = sorted({reason for item in result.inputs for report in item.sheets for reason in report.rows_left_out})
    labels = [_rf("col_file"), _rf("col_sha256"), _rf("col_sheet"), _rf("col_dataset"), _rf("col_header_row"),
              _rf("col_rows_total"), _rf("col_rows_used")]
    labels += [f"{_rf('col_rows_left_out')}: {fmt.left_out({reason: 0}).rsplit(' ', 1)[0]}" for reason in reasons]
    _header(sheet, 1, labels, [40, 66, 20, 14, 9, 9, 9] + [12] * len(reasons))
    row = 1
    for item in result.inputs:
        for report in item.sheets:
            row += 1
            put_text(sheet.cell(row=row, column=1), item.path)
            put_text(sheet.cell(row=row, column=2), item.sha256)
            put_text(sheet.cell(row=row, column=3), report.sheet)
            put_text(sheet.cell(row=row, column=4), report.dataset or _rf("not_recognised"))
            put_number(sheet.cell(row=row, column=5), report.header_row)
            put_number(sheet.cell(row=row, column=6), report.rows_total)
            put_number(sheet.cell(row=row, column=7), report.rows_used)
            for offset, reason in enumerate(reasons):
                put_number(sheet.cell(row=row, column=8 + offset), report.rows_left_out.get(reason, 0))
    if result.notes:  # under the table, a blank row apart: files skipped, macros never run
        row += 2
        put_text(sheet.cell(row=row, column=1), _rf("section_notes"))
        sheet.cell(row=row, column=1).font = BOLD
        for note in result.notes:
            row += 1
            put_text(sheet.cell(row=row, column=1), note.message)
    sheet.freeze_panes = "A2"
    _landscape(sheet)


def _ranking_sheet(sheet: Worksheet, result: EvaluationResult) -> None:
    """Several communes: one row per commune; per measured rule its value, then its rank (equal
    values share one, 1, 1, 3, as in the JSON), so a filter or sort on either keeps both."""
    ranked = fmt.ranked_rules(result)
    items = {item.id: item for item in result.results}
    labels = [t("units.col_unit"), fmt.status("pass"), fmt.status("fail"), fmt.status("no_data")]
    for rule_id, _ in ranked:
        labels += [items[rule_id].rule, t("units.col_rank")]
    _header(sheet, 1, labels, [40, 9, 9, 9] + [14, 7] * len(ranked))
    for row, (name, passed, failed, missing, _errors) in enumerate(fmt.unit_rows(result), 2):
        put_text(sheet.cell(row=row, column=1), name)
        for column, count in enumerate((passed, failed, missing), 2):
            put_number(sheet.cell(row=row, column=column), count)
        for column, (rule_id, entries) in zip(range(5, 5 + 2 * len(ranked), 2), ranked):
            entry = next((entry for entry in entries if entry.unit == name), None)
            cell = sheet.cell(row=row, column=column)
            if entry is None or entry.display_value is None:
                put_text(cell, "—")
                continue
            percent = items[rule_id].target.unit == "%"
            value, decimals = _percent_value(entry.display_value) if percent else (Decimal(entry.display_value), 2)
            put_number(cell, value, _format(decimals, percent))
            put_number(sheet.cell(row=row, column=column + 1), entry.rank)
            if entry.status == "fail":
                cell.font = BOLD
    sheet.freeze_panes = "B2"
    _landscape(sheet)


def _trajectory_sheet(sheet: Worksheet, items: list[RuleResult]) -> None:
    """With --history: one row per rule with its trend, projection and path (render/trajectory.py)."""
    labels = [t("report.col_rule"), t("trajectory.col_trend"), t("trajectory.col_projected"),
              t("trajectory.col_on_track"), t("trajectory.col_path"), t("trajectory.col_summary")]
    _header(sheet, 1, labels, [34, 14, 14, 12, 14, 90])
    for row, item in enumerate(items, 2):
        trajectory = item.trajectory
        percent = item.target.unit == "%"
        put_text(sheet.cell(row=row, column=1), item.id)
        put_number(sheet.cell(row=row, column=2), trajectory.trend_per_month, "+0.00;-0.00;0.00")
        put_text(sheet.cell(row=row, column=3), trajectory.projected_period or "—")
        put_text(sheet.cell(row=row, column=4), trajectory_text.yes_no(trajectory.on_track))
        if trajectory.path_value is not None:
            put_number(sheet.cell(row=row, column=5), Decimal(str(trajectory.path_value)) / (100 if percent else 1),
                       _format(2, percent))
        reading = trajectory_text.summary(trajectory, fmt.value(item), percent)
        path = trajectory_text.path_text(trajectory, percent)
        put_text(sheet.cell(row=row, column=6), reading + (f"; {path}" if path else ""))
        for column in range(1, 7):
            sheet.cell(row=row, column=column).alignment = WRAP if column == 6 else TOP
    sheet.freeze_panes = "B2"
    _landscape(sheet)


def _landscape(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _document_time(result: EvaluationResult) -> datetime:
    if not result.generated_at:
        return FIXED_TIME
    moment = datetime.fromisoformat(result.generated_at)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _workbook(result: EvaluationResult, source_links: bool = True) -> Workbook:
    book = Workbook()
    names = SheetNames()
    summary = book.active
    summary.title = names.take(_rf("xlsx.summary_sheet"))
    reserved = [names.take(_rf("xlsx.warnings_sheet")) if result.warnings else None,
                names.take(_rf("xlsx.inputs_sheet"))]
    failing = [item for item in result.results if item.status == "fail" and (
        item.samples or (item.failing is not None and len(item.failing)))]
    links = {item.id: names.take(item.rule) for item in failing}
    _summary_sheet(summary, result, links)
    for item in failing:
        _samples_sheet(book.create_sheet(links[item.id]), item, source_links)
    if reserved[0]:
        _warnings_sheet(book.create_sheet(reserved[0]), result)
    _inputs_sheet(book.create_sheet(reserved[1]), result)
    if result.units:
        _ranking_sheet(book.create_sheet(names.take(t("units.ranking_sheet"))), result)
    if trajectory_text.rules_with_trajectory(result):
        _trajectory_sheet(book.create_sheet(names.take(t("trajectory.sheet"))),
                          trajectory_text.rules_with_trajectory(result))
    return book


def workbook_bytes(book: Workbook, title: str, version: str, moment: datetime) -> bytes:
    """A workbook of ours as .xlsx bytes: titled, dated `moment` (the same bytes for the same
    content), and marked so that it is never read as data when saved into a data folder."""
    properties = book.properties
    properties.creator, properties.lastModifiedBy = f"dxcheck {version}", None
    properties.title = title
    properties.created = properties.modified = moment
    book.custom_doc_props.append(StringProperty(name=XLSX_PROPERTY, value=version))
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(book, archive).save()  # not save_workbook(): that stamps `modified` with the clock
    return _deterministic_zip(buffer.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with every member dated ZIP_TIME (zipfile stamps members with the clock)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            archive.writestr(member, source.read(info.filename))
    return output.getvalue()


def render(result: EvaluationResult, *, lang: str | None = None, source_links: bool = True, **_: object) -> bytes:
    """The workbook as .xlsx bytes. `source_links=False` when the data files are not where the
    paths say (the web page's uploads are deleted once read): the source is named, never linked."""
    token = set_language(lang) if lang else None
    try:
        return workbook_bytes(_workbook(result, source_links), _rf("title"), result.dxcheck_version,
                              _document_time(result))
    finally:
        if token is not None:
            from ..messages import _language

            _language.reset(token)
