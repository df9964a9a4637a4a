"""HTML: one self-contained page to print on A4 and sign, laid out as a Vietnamese administrative
report (Decree 30/2020/NĐ-CP): issuing body and national motto in two columns, place and date,
title, body, and the signature block.

No external resources at all (inline CSS and inline SVG; fonts by family name only), so the file
can be mailed, archived and opened offline. Every value goes through Jinja2 with autoescaping on.
Status reads in greyscale: each carries a text label and an icon of its own shape; the bars are
solid when the target is met and pale with an outline when it is not.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..messages import get_language, set_language, t
from ..results import EvaluationResult, GroupResult, RuleResult
from . import condition_words
from . import format as fmt
from .escape import html_finalize
from . import trajectory as trajectory_text
from .terminal import MARKS

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]

#: chart geometry (CSS px): the bar's track runs from LEFT to LEFT + TRACK
CHART_WIDTH, CHART_HEIGHT, LEFT, TRACK = 72, 16, 2, 68


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("dxcheck.render", "templates"), autoescape=True, finalize=html_finalize,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _rf(key: str, **params: object) -> str:
    return t(f"report_formats.{key}", **params)


def _date_parts(result: EvaluationResult) -> dict[str, str] | None:
    """Day and month as ND 30/2020 writes them: a leading zero for days 1–9 and months 1–2."""
    moment = fmt.generated_local(result)
    if moment is None:
        return None
    return {"day": f"{moment.day:02d}", "month": f"{moment.month:02d}" if moment.month < 3 else str(moment.month),
            "year": str(moment.year)}


def _place_date(line: str) -> list[str]:
    """`Bình Minh - Bắc Sơn, ngày … năm …` → [`Bình Minh - Bắc Sơn,`, `ngày … năm …`]."""
    place, comma, date = line.partition(", ")
    return [place + ",", date] if comma else [line]


def _chart(item: RuleResult | GroupResult, rule: RuleResult) -> dict[str, Any] | None:
    """Where the value's bar ends and the target (and final target) markers stand, in px."""
    if item.value is None:
        return None
    target = rule.target
    marks = [target.value] + ([target.final_value] if target.final_value is not None else [])
    highest = max([item.value, *marks])
    # a share runs 0–100%; anything else (or a value above 100) gets a little room past its highest mark
    top = 100.0 if target.unit == "%" and highest <= 100 else (highest * 1.1 or 1.0)

    def x(value: float) -> float:
        return round(LEFT + TRACK * max(0.0, min(value, top)) / top, 2)

    value = fmt.group_value(item, rule) if isinstance(item, GroupResult) else fmt.value(rule)
    label = _rf("chart_label", value=value, target=fmt.target(rule))
    return {"width": round(x(item.value) - LEFT, 2), "target": x(target.value),
            "final": x(target.final_value) if target.final_value is not None else None,
            "passed": item.status == "pass", "label": label}


def _counts(item: RuleResult | GroupResult) -> dict[str, str]:
    """Numerator and denominator apart, so the template can let `3155/3187` wrap after the slash."""
    if item.denominator is None:
        return {"numerator": "", "denominator": ""}
    return {"numerator": fmt.count(item.numerator), "denominator": fmt.count(item.denominator)}


def _rule_row(index: int, item: RuleResult, group: list[RuleResult] | None = None) -> dict[str, Any]:
    return {**_baseline_and_indicator(item, group), **_trend_arrow(item), "no": index, "id": item.id, "rule": item.rule, "title": fmt.text_for(item.title),
            "status": item.status, "status_text": fmt.status(item.status), "mark": MARKS[item.status],
            "value": fmt.value(item), "target": fmt.target(item), **_counts(item),
            "shortfall": fmt.shortfall(item), "deadline": item.deadline, "chart": _chart(item, item),
            "warning_only": item.severity == "warning" and item.status in ("fail", "error")}


# --- baselines and shared indicators (issue 13) ---------------------------------------------------

def _baseline_and_indicator(item: RuleResult, group: list[RuleResult] | None) -> dict[str, Any]:
    """The baseline beside the value (marked when the value is below it) and, in the row opening a
    shared indicator's group, the line saying which of its thresholds are met."""
    return {"baseline_cell": fmt.baseline_cell(item), "regression": item.regression,
            "indicator_line": fmt.indicator_line(item, group) if group and fmt.first_of_indicator(item, group) else ""}


# --- the signed page (issue 15): a trend arrow beside the value, codes shown as words -------------

#: the direction of the fitted trend (per month), beside the value in the results table
_ARROWS = {1: "↗", 0: "→", -1: "↘"}


def _trend_arrow(item: RuleResult) -> dict[str, str]:
    """`↗` with its slope in words (`+1,40 điểm %/tháng`) when earlier periods give the rule a trend;
    nothing without one (fewer than three periods with a value: no direction to show)."""
    slope = item.trajectory.trend_per_month if item.trajectory is not None else None
    if slope is None:
        return {"trend_arrow": "", "trend_text": ""}
    direction = (slope > 0) - (slope < 0)
    return {"trend_arrow": _ARROWS[direction],
            "trend_text": _rf("trend_arrow", slope=trajectory_text.slope(item.trajectory, item.target.unit == "%"))}


def _sample_cells(dataset: str | None, fields: list[str], values: dict[str, str]) -> list[str]:
    return [fmt.value_label(dataset, name, values[name]) if name in values else "" for name in fields]


def _remarks(result: EvaluationResult) -> list[dict[str, str]]:
    return [{"id": item.id, "line": fmt.remarks_line(item)} for item in fmt.remarked(result.results)]


def _regressions(result: EvaluationResult) -> list[dict[str, str]]:
    return [{"id": item.id, "title": fmt.text_for(item.title), "line": fmt.regression_line(item),
             "quote": item.baseline.quote} for item in fmt.regressions(result.results)]


def _measurement(item: RuleResult) -> list[tuple[str, str, bool]]:
    """(label, text, monospace) lines describing how the value was measured."""
    measurement = item.measurement
    if measurement is None:
        return []
    kind = _rf(f"kind.{measurement.kind}")
    kind = measurement.kind if kind.startswith("report_formats.") else kind
    text = _rf("measurement_kind", kind=kind, dataset=condition_words.dataset_title(measurement.dataset))
    if measurement.index:
        text += " " + _rf("measurement_fallback", index=measurement.index + 1)
    lines = [(_rf("measurement"), text, False)]
    expressions = []
    for key, value in (("population", measurement.population), ("condition", measurement.condition)):
        said = condition_words.words(value, measurement.dataset)
        if said:
            lines.append((_rf(key), said, False))
            expressions.append((_rf("expression_of", what=_rf(key)), value, True))
        elif value:
            lines.append((_rf(key), value, True))
    lines += expressions
    if measurement.function:
        lines.append((_rf("function"), measurement.function, True))
    for key, value in (("sum_numerator", measurement.numerator), ("sum_denominator", measurement.denominator)):
        if value:
            lines.append((_rf(key), " + ".join(fmt.field_label(measurement.dataset, name) for name in value), False))
    if measurement.sources:
        lines.append((_rf("sources"), "; ".join(measurement.sources), False))
    return lines


def _detail(index: int, item: RuleResult, documents: dict[str, str], results: list[RuleResult]) -> dict[str, Any]:
    dataset = item.measurement.dataset if item.measurement else None
    facts: list[tuple[str, str]] = []
    if item.display_value is not None:
        facts.append((t("report.col_value"), fmt.value(item)))
    facts.append((t("report.col_target"), fmt.target(item)))
    if item.target.final_value is not None:
        facts.append(("", _rf("milestone_final", target=f"{fmt.OP_SYMBOLS[item.target.op]} "
                                                         f"{fmt.number(item.target.final_value)}%")))
    if item.denominator is not None:
        facts.append((t("report.col_count"), _rf("counts_line", numerator=fmt.count(item.numerator),
                                                 denominator=fmt.count(item.denominator),
                                                 row=fmt.row_noun(dataset)).strip()))
    if item.shortfall:
        facts.append((t("report.col_shortfall"), fmt.number(item.shortfall)))
    facts.append((t("report.col_deadline"), str(item.deadline)))
    fields = fmt.sample_fields(item)
    baseline = (f"{fmt.baseline_line(item)}: “{item.baseline.quote}”" if item.baseline is not None else None)
    return {
        "indicator": fmt.indicator_line(item, results), "regression": fmt.regression_line(item),
        "no": index, "row": _rule_row(index, item), "facts": facts, "message": item.message,
        "clauses": [{"quote": quote, "source": _rf("source_line", section=section)}
                    for section, quote in fmt.clauses(item)],
        "document": documents.get(item.pack),
        "measurement": _measurement(item), "notes": item.notes, "baseline": baseline,
        "fields": [fmt.field_label(dataset, name) for name in fields],
        "samples": [{"no": number, "record_id": sample.record_id or "—", "path": sample.path, "sheet": sample.sheet,
                     "row": sample.row, "cells": _sample_cells(dataset, fields, sample.values)}
                    for number, sample in enumerate(item.samples, 1)],
        "samples_count": _rf("samples_count", shown=len(item.samples), total=item.samples_total),
        "samples_more": (_rf("samples_more", count=item.samples_total - len(item.samples), total=item.samples_total)
                         if item.samples_total > len(item.samples) else None),
        "breakdown_by": fmt.field_label(dataset, item.breakdown_by) if item.breakdown_by else None,
        "breakdown": [{"group": fmt.value_label(dataset, item.breakdown_by or "", group.group), "value": fmt.group_value(group, item),
                       **_counts(group),
                       "status": group.status, "status_text": fmt.status(group.status), "mark": MARKS[group.status],
                       "chart": _chart(group, item)} for group in item.breakdown],
    }


def _history(result: EvaluationResult) -> dict[str, Any] | None:
    periods, rows = fmt.history_table(result)
    if not rows:
        return None
    out = []
    for item, cells in rows:
        out.append({"id": item.id, "title": fmt.text_for(item.title), "cells": cells, "now": fmt.value(item),
                    "status": item.status, "status_text": fmt.status(item.status)})
    return {"periods": periods, "rows": out}


def _trajectories(result: EvaluationResult) -> list[dict[str, Any]]:
    """Each rule's trend line and, where it has earlier periods, its chart (render/trajectory.py)."""
    out = []
    for item in trajectory_text.rules_with_trajectory(result):
        percent = item.target.unit == "%"
        line = trajectory_text.summary(item.trajectory, fmt.value(item), percent)
        history = result.history.get(item.id, [])
        chart = (trajectory_text.chart(item, history, result.period.label, line)
                 if any(point.value is not None for point in history) else None)
        out.append({"id": item.id, "title": fmt.text_for(item.title), "summary": line,
                    "path": trajectory_text.path_text(item.trajectory, percent), "chart": chart})
    return out


def _units(result: EvaluationResult) -> dict[str, Any] | None:
    """Several communes: a tally per commune and each rule's ranking (best first)."""
    if not result.units:
        return None
    items = {item.id: item for item in result.results}
    return {
        "rows": [{"name": name, "counts": counts} for name, *counts in fmt.unit_rows(result)],
        "ranking": [{"id": rule_id, "title": fmt.text_for(items[rule_id].title), "target": fmt.target(items[rule_id]),
                     "entries": [{"rank": entry.rank or "—", "unit": entry.unit,
                                  "value": fmt.rank_value(entry, items[rule_id]), "status": entry.status,
                                  "status_text": fmt.status(entry.status)} for entry in entries]}
                    for rule_id, entries in fmt.ranked_rules(result)],
    }


def context(result: EvaluationResult, *, commune: str | None = None, place: str | None = None,
            commune_kind: str | None = None, issuer: str | None = None,
            signers: list[str] | None = None) -> dict[str, Any]:
    """Everything the template shows, as display strings (numbers already in the language's style)."""
    lang = get_language()
    name = fmt.commune(result, commune)
    body_above, body_name = fmt.masthead(name, commune_kind, issuer)
    date = _date_parts(result)
    where = place or name or _rf("place_blank")
    summary = result.summary
    total = summary.pass_ + summary.fail + summary.no_data + summary.error
    documents = {pack.id: pack.document for pack in result.packs}
    packs = []
    known = set()
    for pack in result.packs:
        known.add(pack.id)
        rows = fmt.grouped([item for item in result.results if item.pack == pack.id])
        packs.append({"id": pack.id, "title": fmt.text_for(pack.title), "document": pack.document,
                      "issuer": pack.issuer, "rows": [_rule_row(i, item, rows) for i, item in enumerate(rows, 1)]})
    orphans = [item for item in result.results if item.pack not in known]
    if orphans:
        packs.append({"id": "", "title": "", "document": "", "issuer": "",
                      "rows": [_rule_row(i, item) for i, item in enumerate(orphans, 1)]})
    # failing rules get a full account each; rules without data, one line each saying what is missing
    problems = fmt.grouped([item for item in result.results if item.status in ("fail", "error")])
    missing = [item for item in result.results if item.status == "no_data"]
    sections = iter(_ROMAN)
    return {
        "lang": lang,
        "title": _rf("title"),
        "doc_title": _rf("title_short") + (f" — {fmt.unit_label(name, commune_kind)}" if name else "")
                     + (f" — {fmt.period_name(result.period)}" if result.period else ""),
        "body_above": body_above,
        "body_name": body_name,
        "signers": fmt.signers(signers),
        "document_number": _rf("document_number"),
        "nation": _rf("nation"), "motto": _rf("motto"),
        # place and date kept whole each: a long commune name moves the date to a line of its own
        "place_date": _place_date(_rf("place_date", place=where, **date) if date else _rf("date_blank", place=where)),
        "period_line": fmt.period_line(result),
        "generated": fmt.generated_line(result),
        "packs": packs,
        "summary": [{"status": code, "mark": MARKS[code], "label": fmt.status(code), "count": count}
                    for code, count in (("pass", summary.pass_), ("fail", summary.fail),
                                        ("no_data", summary.no_data), ("error", summary.error))
                    if count or code in ("pass", "fail")],
        "summary_line": _rf("summary_line", total=total, fail=summary.fail, no_data=summary.no_data,
                            error=summary.error, **{"pass": summary.pass_}),
        "strict_note": _rf("strict_note") if result.strict else None,
        "verdict": _rf("verdict_ok" if int(result.exit_code()) == 0 else "verdict_failed"),
        "verdict_ok": int(result.exit_code()) == 0,
        "details": [_detail(i, item, documents, result.results) for i, item in enumerate(problems, 1)],
        "regressions": _regressions(result),
        "remarks": _remarks(result),
        "missing": [{"no": i, "id": item.id, "rule": item.rule, "title": fmt.text_for(item.title), "section": item.section,
                     "message": item.message or ""} for i, item in enumerate(missing, 1)],
        "warnings": [{"no": i, "where": " › ".join(filter(None, [warning.path, warning.sheet])),
                      "field": warning.field or "", "rows": fmt.rows_text(warning.rows), "message": warning.message}
                     for i, warning in enumerate(result.warnings, 1)],
        "notes": [{"no": i, "where": " › ".join(filter(None, [note.path, note.sheet])),
                   "field": note.field or "", "rows": fmt.rows_text(note.rows), "message": note.message}
                  for i, note in enumerate(result.notes, 1)],
        "inputs": [{"path": item.path, "sha256": item.sha256,
                    "sheets": [{"sheet": sheet.sheet, "dataset": sheet.dataset or _rf("not_recognised"),
                                "header_row": sheet.header_row, "rows_total": sheet.rows_total,
                                "rows_used": sheet.rows_used, "left_out": fmt.left_out(sheet.rows_left_out)}
                               for sheet in item.sheets]} for item in result.inputs],
        "units": _units(result),
        "history": _history(result),
        "trajectory": _trajectories(result),
        "roman": {key: next(sections) for key in ("general", "details", "warnings", "inputs")},
        "has_trend": any(item.trajectory is not None and item.trajectory.trend_per_month is not None
                         for item in result.results),
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, "left": LEFT, "track": TRACK},
        "rf": _rf, "t": t,
    }


def render(result: EvaluationResult, *, lang: str | None = None, commune: str | None = None,
           place: str | None = None, commune_kind: str | None = None, issuer: str | None = None,
           signers: list[str] | None = None, **_: object) -> str:
    """The report as one HTML file. `commune` names the issuing People's Committee when the packs'
    plans do not (or disagree); `place` is the place name of the date line (default: the commune);
    `commune_kind`, `issuer` and `signers` (dxcheck.toml) fill the heading and signature block."""
    token = set_language(lang) if lang else None
    try:
        return _environment().get_template("report.html.j2").render(**context(
            result, commune=commune, place=place, commune_kind=commune_kind, issuer=issuer, signers=signers))
    finally:
        if token is not None:
            from ..messages import _language

            _language.reset(token)
