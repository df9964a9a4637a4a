"""Terminal: a summary line, a table per pack, what to fix, and the data-quality warnings."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..messages import t
from ..results import EvaluationResult, RuleResult
from . import format as fmt
from .escape import terminal as clean
from . import trajectory as trajectory_text

STYLES = {"pass": "bold green", "fail": "bold red", "no_data": "yellow", "error": "bold magenta"}
# Status marks that read without colour too (printed reports, screen readers, greyscale).
MARKS = {"pass": "✓", "fail": "✗", "no_data": "?", "error": "!"}
MAX_WARNINGS = 30
MAX_GROUPS = 3


def _plain(value: object, style: str = "") -> Text:
    """A table cell or line from data: a Text (never parsed as rich markup), controls made visible."""
    return Text(clean(value), style=style)


def say(console: Console, line: str, **options: object) -> None:
    """Print a line holding data (file, sheet, field names, values, messages) as inert text."""
    console.print(clean(line, newlines=True), markup=False, highlight=False, emoji=False, **options)


def _status_cell(code: str) -> Text:
    return Text(f"{MARKS[code]} {fmt.status(code)}", style=STYLES[code])


def _summary(result: EvaluationResult) -> Text:
    summary = result.summary
    text = Text()
    text.append(t("report.summary_label") + " ", style="bold")
    for code, number in (("pass", summary.pass_), ("fail", summary.fail), ("no_data", summary.no_data),
                         ("error", summary.error)):
        if number or code in ("pass", "fail"):
            text.append(f"{number} {fmt.status(code).lower()}", style=STYLES[code])
            text.append("  ")
    if result.period:
        text.append("\n" + clean(t("report.period_inferred" if result.period.inferred else "report.period",
                                   label=result.period.label, start=result.period.start[:10],
                                   end=result.period.end[:10]), newlines=True))
    return text


def _legend(result: EvaluationResult) -> Text:
    text = Text()
    for code in ("pass", "fail", "no_data", "error"):
        text.append(f"{MARKS[code]} {fmt.status(code).lower()}", style=STYLES[code])
        text.append("   ")
    if fmt.regressions(result.results):
        text.append(t("report_formats.regression_legend"), style="yellow")
    return text


def _table(result: EvaluationResult, pack_id: str, title: str | Text, width: int) -> Table:
    """Status is a mark (✓ ✗ ? !) so the rule's title gets the width on an 80-column terminal."""
    wide = width >= 110
    table = Table(title=title, title_justify="left", show_lines=False, expand=False, pad_edge=False)
    table.add_column("", no_wrap=True, width=1)
    table.add_column(t("report.col_rule"), ratio=1, min_width=24)
    table.add_column(t("report.col_value"), justify="right", no_wrap=True)
    table.add_column(t("report.col_target"), justify="right", no_wrap=True)
    rows = fmt.grouped([item for item in result.results if item.pack == pack_id])
    baselines = any(item.baseline for item in rows)
    if baselines:  # beside the value: the plan's earlier figure, marked when the value is below it
        table.add_column(t("report_formats.col_baseline"), justify="right", no_wrap=True)
    if wide:
        table.add_column(t("report.col_count"), justify="right", no_wrap=True)
    table.add_column(t("report.col_shortfall"), justify="right", no_wrap=True)
    if wide:
        table.add_column(t("report.col_deadline"), justify="right", no_wrap=True)
    lang = result.language
    for item in rows:
        rule = _plain(item.rule, style="bold")
        rule.append("\n" + clean(item.title.get(lang, item.title["vi"])), style="dim")
        if fmt.first_of_indicator(item, rows):
            rule.append("\n" + clean(fmt.indicator_line(item, rows)), style="italic")
        cells: list = [Text(MARKS[item.status], style=STYLES[item.status]), rule, _plain(fmt.value(item)),
                       _plain(fmt.target(item))]
        if baselines:
            cells.append(_plain(fmt.baseline_cell(item), style="bold yellow" if item.regression else ""))
        if wide:
            cells.append(Text(f"{fmt.count(item.numerator)}/{fmt.count(item.denominator)}"
                              if item.denominator is not None else ""))
        cells.append(Text("" if item.shortfall in (None, 0) else fmt.number(item.shortfall)))
        if wide:
            cells.append(_plain(item.deadline))
        table.add_row(*cells)
    return table


def _details(console: Console, item: RuleResult, results: list[RuleResult] = ()) -> None:
    console.print(Text(f"{MARKS[item.status]} {clean(item.id)}", style=STYLES[item.status]),
                  Text(f" {clean(item.message or '', newlines=True)}"))
    if line := fmt.indicator_line(item, list(results) or [item]):
        say(console, "   " + line)
    if item.breakdown:
        worst = [group for group in item.breakdown if group.status == "fail"][:MAX_GROUPS]
        if worst:
            dataset = item.measurement.dataset if item.measurement else None
            parts = [f"{fmt.value_label(dataset, item.breakdown_by or '', group.group)}: "
                     f"{fmt.number(round(group.value, 2)) if group.value is not None else '—'}%" for group in worst]
            by = fmt.field_label(dataset, item.breakdown_by or "")
            say(console, "   " + t("report.worst_groups", by=clean(by)) + " " + "; ".join(clean(part) for part in parts))
    if item.samples:
        first = item.samples[0]
        say(console, "   " + t("report.sample_hint", total=item.samples_total, id=clean(first.record_id or "—"),
                                  path=clean(first.path), sheet=clean(first.sheet), row=first.row))


def _regressions(console: Console, result: EvaluationResult) -> None:
    """Values below the plan's earlier figure: a warning, whatever the status."""
    below = fmt.regressions(result.results)
    if not below:
        return
    console.print()
    console.print(Text(f"{t('report_formats.regressions_title')} ({len(below)})", style="bold yellow"))
    for item in below:
        say(console, f" ↓ {clean(item.id)}: {clean(fmt.regression_line(item))}")
        say(console, f"   “{clean(item.baseline.quote)}”", style="dim")


def _remarks(console: Console, result: EvaluationResult) -> None:
    """What a passing figure rests on, when it is more than a plain count."""
    noted = fmt.remarked(result.results)
    if not noted:
        return
    console.print()
    console.print(Text(f"{t('report_formats.remarks_title')} ({len(noted)})", style="bold"))
    for item in noted:
        say(console, f" ✓ {clean(item.id)}: {clean(fmt.remarks_line(item))}")


def _units(console: Console, result: EvaluationResult) -> None:
    """Several communes: a tally per commune, and for each rule the communes below target."""
    console.print()
    console.print(Text(t("units.section"), style="bold"))
    console.print(Text(t("units.rollup_note"), style="dim"))
    table = Table(show_lines=False, pad_edge=False)
    table.add_column(t("units.col_unit"), ratio=1, overflow="fold")
    for code in ("pass", "fail", "no_data", "error"):
        table.add_column(MARKS[code], justify="right", no_wrap=True, style=STYLES[code])
    for name, *counts in fmt.unit_rows(result):
        table.add_row(_plain(name), *(Text(str(count)) for count in counts))
    console.print(table)
    items = {item.id: item for item in result.results}
    for rule_id, entries in fmt.ranked_rules(result):
        failing = [entry for entry in entries if entry.status == "fail"]
        if failing:
            listed = "; ".join(f"{clean(entry.unit)} {fmt.rank_value(entry, items[rule_id])}"
                               for entry in failing[::-1][:5])
            say(console, f" {MARKS['fail']} {clean(rule_id)}: " + t("units.below_target", count=len(failing))
                 + f" {listed}")


def _ranking(console: Console, result: EvaluationResult) -> None:
    """Several communes: each measured rule's communes, best first, with their values."""
    ranked = fmt.ranked_rules(result)
    if not ranked:
        return
    items = {item.id: item for item in result.results}
    table = Table(title=t("units.ranking"), title_justify="left", show_lines=False, pad_edge=False)
    table.add_column(t("history.col_rule"), no_wrap=True)
    table.add_column(t("units.col_unit"), ratio=1, overflow="fold")
    for rule_id, entries in ranked:
        line = Text()
        for index, entry in enumerate(entries):
            if index:
                line.append(" · ")
            line.append(f"{entry.rank or '—'}. {clean(entry.unit)} ")
            line.append(clean(fmt.rank_value(entry, items[rule_id])), style=STYLES.get(entry.status, ""))
        table.add_row(_plain(rule_id), line)
    console.print()
    console.print(table)


def _history(console: Console, result: EvaluationResult) -> None:
    periods, rows = fmt.history_table(result)
    if not rows:
        return
    console.print()
    table = Table(title=t("history.section"), title_justify="left", pad_edge=False)
    table.add_column(t("history.col_rule"), ratio=1, overflow="fold")
    for label in periods:
        table.add_column(_plain(label), justify="right", no_wrap=True)
    table.add_column(t("history.current"), justify="right", no_wrap=True)
    for item, cells in rows:
        table.add_row(_plain(item.id), *(_plain(cell) for cell in cells), _plain(fmt.value(item), STYLES[item.status]))
    console.print(table)


def _trajectory(console: Console, result: EvaluationResult) -> None:
    """One line per rule: trend, projection, on track (render/trajectory.py)."""
    items = trajectory_text.rules_with_trajectory(result)
    if not items:
        return
    console.print()
    console.print(Text(t("trajectory.section"), style="bold"))
    for item in items:
        line = trajectory_text.summary(item.trajectory, fmt.value(item), item.target.unit == "%")
        mark = {True: MARKS["pass"], False: MARKS["fail"]}.get(item.trajectory.on_track, "•")
        say(console, f" {mark} {clean(item.id)}: {clean(line)}")


def render_to(console: Console, result: EvaluationResult) -> None:
    console.print(_summary(result))
    console.print(_legend(result))
    for pack in result.packs:
        console.print()
        title = _plain(f"{pack.id} — {pack.title.get(result.language, pack.title['vi'])}")
        console.print(_table(result, pack.id, title, console.width))
    if result.units:
        _units(console, result)
        _ranking(console, result)
    if result.history:
        _history(console, result)
    _trajectory(console, result)
    problems = [item for item in result.results if item.status in ("fail", "error", "no_data")]
    if problems:
        console.print()
        console.print(Text(t("report.to_fix"), style="bold"))
        for item in fmt.grouped(problems):
            _details(console, item, result.results)
    _regressions(console, result)
    _remarks(console, result)
    if result.warnings:
        console.print()
        console.print(Text(t("report.warnings", count=len(result.warnings)), style="bold yellow"))
        for warning in result.warnings[:MAX_WARNINGS]:
            where = " › ".join(clean(part) for part in filter(None, [warning.path, warning.sheet, warning.field]))
            say(console, f" • {where}: {clean(warning.message)}")
        if len(result.warnings) > MAX_WARNINGS:
            console.print(" " + t("report.more_warnings", count=len(result.warnings) - MAX_WARNINGS))
    if result.notes:
        console.print()
        console.print(Text(t("report.notes", count=len(result.notes)), style="bold"))
        for note in result.notes:
            where = " › ".join(clean(part) for part in filter(None, [note.path, note.sheet, note.field]))
            say(console, f" • {where}: {clean(note.message)}")
    console.print()
    console.print(Text(t("report.inputs"), style="bold"))
    for item in result.inputs:
        for sheet in item.sheets:
            left = fmt.left_out(sheet.rows_left_out)
            say(console, f" • {clean(item.path)} › {clean(sheet.sheet)}: {clean(sheet.dataset or '—')}, "
                 + t("report.rows_line", used=sheet.rows_used, total=sheet.rows_total, left=clean(left)))


def render(result: EvaluationResult, console: Console | None = None, **_: object) -> str:
    """Print to `console` (coloured on a terminal); return plain text when no console is given."""
    if console is not None:
        render_to(console, result)
        return ""
    buffer = io.StringIO()
    render_to(Console(file=buffer, width=120, color_system=None, force_terminal=False), result)
    return buffer.getvalue()
