"""`dxcheck trend DIR`: the stored history alone, one row per rule and one column per period."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..messages import t
from ..results import HistoryPoint
from . import format as fmt
from .terminal import MARKS, STYLES


def _periods(history: dict[str, list[HistoryPoint]]) -> list[str]:
    return [label for _, label in sorted({(point.start, point.period) for series in history.values()
                                          for point in series})]


def _cell(point: HistoryPoint | None) -> str:
    if point is None or point.display_value is None:
        return "—"
    return f"{MARKS[point.status]} {fmt.number(point.display_value)}%"


def render_trend(history: dict[str, list[HistoryPoint]], output: str, console: Console) -> None:
    periods = _periods(history)
    measured = {rule: series for rule, series in history.items() if any(p.display_value for p in series)}
    if output == "json":
        document = {rule: [point.model_dump(mode="json") for point in series] for rule, series in history.items()}
        console.file.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    if output == "md":
        lines = [f"## {t('history.section')}", "", "| " + " | ".join([t("history.col_rule"), *periods]) + " |",
                 "|---|" + "---:|" * len(periods)]
        for rule, series in measured.items():
            by_period = {point.period: point for point in series}
            lines.append("| `" + rule + "` | " + " | ".join(_cell(by_period.get(label)) for label in periods) + " |")
        console.file.write("\n".join(lines) + "\n")
        return
    table = Table(title=t("history.section"), title_justify="left", pad_edge=False)
    table.add_column(t("history.col_rule"), ratio=1, overflow="fold")
    for label in periods:
        table.add_column(label, justify="right", no_wrap=True)
    for rule, series in measured.items():
        by_period = {point.period: point for point in series}
        cells = []
        for label in periods:
            point = by_period.get(label)
            cells.append(Text(_cell(point), style=STYLES[point.status] if point else ""))
        table.add_row(rule, *cells)
    console.print(table)
