"""Rule listings for `dxcheck rules list` and `rules show` (rich renderables)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..messages import get_language, t
from ..packs.loader import LoadedPack
from ..packs.model import Rule
from .escape import terminal as clean
from .format import OP_SYMBOLS, number


def _target(rule: Rule) -> str:
    unit = "%" if rule.target.unit == "%" else ""
    return f"{OP_SYMBOLS[rule.target.op]} {number(rule.target.value)}{unit}"


def _datasets(rule: Rule) -> str:
    return "\n".join(measurement.dataset for measurement in rule.measurements)


def rules_table(packs: list[LoadedPack]) -> Group:
    """One table per pack (rule ids are short within a pack, so the titles get the width)."""
    lang = get_language()
    tables = []
    for pack in packs:
        # pack text is data: Text cells, never parsed as rich markup (render/escape.py)
        table = Table(title=Text(clean(f"{pack.id} — {pack.pack.title.get(lang)}")), title_justify="left")
        table.add_column(t("rules.col_id"), overflow="fold")
        table.add_column(t("rules.col_title"), ratio=1, min_width=20)
        table.add_column(t("rules.col_target"), no_wrap=True)
        table.add_column(t("rules.col_dataset"))
        table.add_column(t("rules.col_deadline"), no_wrap=True)
        for rule in pack.pack.rules:
            table.add_row(*(Text(clean(cell, newlines=True)) for cell in (
                rule.id, rule.title.get(lang), _target(rule), _datasets(rule), str(rule.deadline))))
        tables.append(table)
    return Group(*tables)


def rule_details(pack: LoadedPack, rule: Rule) -> Group:
    lang = get_language()
    line, _ = pack.position(*pack.rule_path(rule.id))
    lines = [
        Text(f"{pack.id}/{rule.id}", style="bold"),
        Text(f"{rule.title.vi}\n{rule.title.en}"),
        Text(f"{t('rules.target')}: {_target(rule)}   {t('rules.deadline')}: {rule.deadline}   "
             f"{t('rules.severity')}: {rule.severity}"),
    ]
    if rule.milestones:
        lines.append(Text(f"{t('rules.milestones')}: " + ", ".join(
            f"{year}: {OP_SYMBOLS[rule.target.op]} {number(value)}" for year, value in sorted(rule.milestones.items()))))
    for clause in rule.source.clauses():  # a target stated twice: every clause it is stated in
        lines.append(Text(f"{t('rules.source')}: {pack.pack.plan.issuer} — {pack.pack.plan.seed}, "
                          f"{t('rules.section')} {clause.section}"))
        lines.append(Text(f"“{clause.quote}”", style="italic"))
    if rule.baseline:
        lines.append(Text(f"{t('rules.baseline')} {rule.baseline.period}: {number(rule.baseline.value)} — "
                          f"“{rule.baseline.quote}”"))
    if rule.notes:
        lines.append(Text(f"{t('rules.notes')}: {rule.notes}"))
    for index, measurement in enumerate(rule.measurements, start=1):
        parts = [f"{t('rules.measurement')} {index}: {measurement.kind} · {measurement.dataset}"]
        for attribute in ("population", "condition", "numerator", "denominator", "function", "keys", "group_by"):
            value = getattr(measurement, attribute, None)
            if value:
                parts.append(f"    {attribute}: {' + '.join(value) if isinstance(value, list) else value}")
        lines.append(Text("\n".join(parts)))
    lines.append(Text(f"{pack.path}:{line}", style="dim"))
    _ = lang
    # pack text is data: controls and escape sequences made visible (render/escape.py)
    return Group(*(Text(clean(line.plain, newlines=True), style=line.style) for line in lines))
