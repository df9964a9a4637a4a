"""`dxcheck trend DIR -o trend.xlsx`: the stored history as one sheet a province team can filter and
sort: one row per rule, one column per period (numbers; percents as numbers formatted as percent),
then the rule's trend, projection and reading (render/trajectory.py)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from ..messages import t
from ..results import HistoryPoint, Trajectory
from . import format as fmt
from . import trajectory as trajectory_text
from .trend import periods
from .xlsx import (FIXED_TIME, STATUS_FILLS, SheetNames, _decimals, _format, _header, _landscape, put_number,
                   put_text, workbook_bytes)


def _put_point(cell, point: HistoryPoint | None, percent: bool) -> None:
    """The figure as shown (display_value) as a number; a percent as a fraction formatted as percent."""
    try:
        shown = Decimal(point.display_value) if point is not None and point.display_value is not None else None
    except InvalidOperation:
        shown = None
    if shown is None:
        put_text(cell, "—")
        return
    put_number(cell, shown / 100 if percent else shown, _format(_decimals(point.display_value), percent))
    cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[point.status])


def _latest_shown(series: list[HistoryPoint], percent: bool) -> str:
    latest = series[-1] if series else None
    if latest is None or latest.display_value is None:
        return "—"
    return fmt.number(latest.display_value) + ("%" if percent else "")


def render_trend_xlsx(history: dict[str, list[HistoryPoint]], trajectories: dict[str, Trajectory | None],
                      units: dict[str, str]) -> bytes:
    """The workbook as .xlsx bytes (the same bytes for the same history)."""
    labels = periods(history)
    book = Workbook()
    sheet = book.active
    sheet.title = SheetNames().take(t("trajectory.sheet"))
    header = [t("history.col_rule"), *labels, t("trajectory.col_trend"), t("trajectory.col_projected"),
              t("trajectory.col_on_track"), t("trajectory.col_summary")]
    _header(sheet, 1, header, [40] + [11] * len(labels) + [13, 13, 11, 80])
    first_after = 2 + len(labels)
    for row, (rule, series) in enumerate(history.items(), 2):
        percent = units.get(rule, "%") == "%"
        put_text(sheet.cell(row=row, column=1), rule)
        by_period = {point.period: point for point in series}
        for column, label in enumerate(labels, 2):
            _put_point(sheet.cell(row=row, column=column), by_period.get(label), percent)
        trajectory = trajectories.get(rule)
        if trajectory is None:
            continue
        # the slope is in the value's unit per month (percentage points for a percent): a plain number
        put_number(sheet.cell(row=row, column=first_after), trajectory.trend_per_month, "+0.00;-0.00;0.00")
        put_text(sheet.cell(row=row, column=first_after + 1), trajectory.projected_period or "—")
        put_text(sheet.cell(row=row, column=first_after + 2), trajectory_text.yes_no(trajectory.on_track))
        put_text(sheet.cell(row=row, column=first_after + 3),
                 trajectory_text.summary(trajectory, _latest_shown(series, percent), percent))
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(2, len(history) + 1)}"
    _landscape(sheet)
    return workbook_bytes(book, t("trajectory.section"), __version__, FIXED_TIME)
