"""`dxcheck trend DIR`: the stored history alone, one row per rule and one column per period, then
each rule's trend and projection (render/trajectory.py)."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..messages import t
from ..results import HistoryPoint, Trajectory
from . import escape
from . import format as fmt
from . import trajectory as trajectory_text
from .terminal import MARKS, STYLES


def periods(history: dict[str, list[HistoryPoint]]) -> list[str]:
    """The period labels, oldest first."""
    return [label for _, label in sorted({(point.start, point.period) for series in history.values()
                                          for point in series})]


def _cell(point: HistoryPoint | None, percent: bool = True) -> str:
    if point is None or point.display_value is None:
        return "—"
    return f"{MARKS[point.status]} {fmt.number(point.display_value)}" + ("%" if percent else "")


def _lines(history: dict[str, list[HistoryPoint]], trajectories: dict[str, Trajectory | None]) -> list[tuple]:
    """(rule id, its trajectory, the one-line reading) for the rules with something to say."""
    out = []
    for rule, trajectory in trajectories.items():
        if trajectory is None or (trajectory.trend_per_month is None and trajectory.on_track is None
                                  and trajectory.reason != "already_met"):
            continue
        percent = trajectory.unit == "%"
        latest = history[rule][-1]
        value = fmt.number(latest.display_value) + ("%" if percent else "") if latest.display_value else "—"
        out.append((rule, trajectory, trajectory_text.summary(trajectory, value, percent)))
    return out


def render_trend(history: dict[str, list[HistoryPoint]], output: str, console: Console,
                 trajectories: dict[str, Trajectory | None] | None = None,
                 units: dict[str, str] | None = None) -> None:
    """`units`: rule id -> its target's unit (history.units); a rule not in it is shown as a percent."""
    trajectories = trajectories or {}
    units = units or {}
    labels = periods(history)
    measured = {rule: series for rule, series in history.items() if any(p.display_value for p in series)}
    if output == "json":
        document = {rule: {"points": [point.model_dump(mode="json") for point in series],
                           "trajectory": (trajectories[rule].model_dump(mode="json")
                                          if trajectories.get(rule) is not None else None)}
                    for rule, series in history.items()}
        console.file.write(escape.json(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)) + "\n")
        return
    lines = _lines(history, trajectories)
    if output == "md":  # rule ids and periods come from history files: data, escaped (render/escape.py)
        out = [f"## {t('history.section')}", "",
               "| " + " | ".join([t("history.col_rule"), *map(escape.markdown, labels)]) + " |",
               "|---|" + "---:|" * len(labels)]
        for rule, series in measured.items():
            by_period = {point.period: point for point in series}
            percent = units.get(rule, "%") == "%"
            out.append("| " + escape.markdown_code(rule) + " | "
                       + " | ".join(_cell(by_period.get(label), percent) for label in labels) + " |")
        if lines:
            out += ["", f"## {t('trajectory.section')}", "", t("trajectory.note"), ""]
            out += [f"- {escape.markdown_code(rule)}: {escape.markdown(line)}." for rule, _, line in lines]
        console.file.write("\n".join(out) + "\n")
        return
    table = Table(title=t("history.section"), title_justify="left", pad_edge=False)
    table.add_column(t("history.col_rule"), ratio=1, overflow="fold")
    for label in labels:
        table.add_column(Text(escape.terminal(label)), justify="right", no_wrap=True)
    for rule, series in measured.items():
        by_period = {point.period: point for point in series}
        cells = []
        for label in labels:
            point = by_period.get(label)
            cells.append(Text(_cell(point, units.get(rule, "%") == "%"), style=STYLES[point.status] if point else ""))
        table.add_row(Text(escape.terminal(rule)), *cells)
    console.print(table)
    if lines:
        console.print()
        console.print(Text(t("trajectory.section"), style="bold"))
        for rule, trajectory, line in lines:
            mark = {True: MARKS["pass"], False: MARKS["fail"]}.get(trajectory.on_track, "•")
            console.print(escape.terminal(f" {mark} {rule}: {line}"), markup=False, highlight=False, emoji=False)
