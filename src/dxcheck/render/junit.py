"""JUnit XML: one test case per rule, so a CI system (Jenkins, GitLab, Azure, GitHub checks) shows
which targets a commune's submission meets.

Shape (the common Jenkins `junit-10.xsd` one): `<testsuites>` holding one `<testsuite>` per pack
(name = pack id) with tests/failures/errors/skipped counts; in it one `<testcase classname=PACK
name=RULE>` per rule. A failing rule has a `<failure>` whose message gives value, target, shortfall
and the plan's quoted clause; a rule without data is `<skipped>`, or an `<error>` under --strict
(where it fails the run); a rule that could not be computed is an `<error>`. Data-quality warnings
are listed in each suite's `<system-out>`; under --strict, where they fail the run, they are also
failing test cases of a `data-quality` suite. Everything is written with xml.etree, so any value is
escaped; characters XML 1.0 cannot carry are replaced by U+FFFD.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..messages import set_language, t
from ..results import EvaluationResult, RuleResult
from . import escape
from . import format as fmt

_clean = escape.xml  # every attribute and text goes through it (see _element)


def _rf(key: str, **params: object) -> str:
    return t(f"report_formats.{key}", **params)


def _element(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: object) -> ET.Element:
    cleaned = {name.rstrip("_"): _clean(value) for name, value in attributes.items() if value is not None}
    element = ET.Element(tag, cleaned) if parent is None else ET.SubElement(parent, tag, cleaned)
    if text:
        element.text = _clean(text)
    return element


def _verdict(item: RuleResult) -> str:
    """One line: value against target, and how many more records would make it pass."""
    value, target = fmt.value(item), fmt.target(item)
    if item.shortfall:
        noun = fmt.row_noun(item.measurement.dataset if item.measurement else None)
        return _rf("junit.failure_shortfall", value=value, target=target, shortfall=fmt.number(item.shortfall),
                   row=noun)
    return _rf("junit.failure", value=value, target=target)


def _quote(item: RuleResult) -> str:
    return "; ".join(f"{_rf('source_line', section=section)}: “{quote}”" for section, quote in fmt.clauses(item))


def _baseline_and_indicator(item: RuleResult, results: list[RuleResult]) -> list[str]:
    """The baseline (with the regression warning when the value is below it) and, for a rule sharing
    its indicator, which of the indicator's thresholds are met (issue 13)."""
    lines = []
    if item.baseline is not None:
        lines.append(f"{fmt.baseline_line(item)}: “{item.baseline.quote}”")
    if item.regression:
        lines.append(f"{fmt.REGRESSION_MARK} {fmt.regression_line(item)}")
    if indicator := fmt.indicator_line(item, results):
        lines.append(indicator)
    return lines


def _details(item: RuleResult, documents: dict[str, str], results: list[RuleResult]) -> str:
    """The failure's body: everything the Markdown report says about the rule, as plain text."""
    lines = [f"{item.id} — {fmt.text_for(item.title)}", t("report.col_status") + ": " + fmt.status(item.status)]
    if item.display_value is not None:
        line = _rf("result_line", value=fmt.value(item), target=fmt.target(item))
        if item.denominator is not None:
            noun = fmt.row_noun(item.measurement.dataset if item.measurement else None)
            line += " (" + _rf("counts_line", numerator=fmt.count(item.numerator), denominator=fmt.count(item.denominator),
                               row=noun).strip() + ")"
        lines.append(line)
    else:
        lines.append(t("report.col_target") + ": " + fmt.target(item))
    if item.message:
        lines.append(item.message)
    lines += _baseline_and_indicator(item, results)
    document = documents.get(item.pack)
    lines.append(f"{_rf('source')}: {_quote(item)}" + (f" — {document}" if document else ""))
    if item.measurement:
        measurement = item.measurement
        kind = _rf(f"kind.{measurement.kind}")
        lines.append(f"{_rf('measurement')}: " + _rf("measurement_kind", dataset=measurement.dataset,
                                                     kind=measurement.kind if kind.startswith("report_formats.") else kind))
        for key, part in (("population", measurement.population), ("condition", measurement.condition),
                          ("function", measurement.function)):
            if part:
                lines.append(f"  {_rf(key)}: {part}")
        if measurement.sources:
            lines.append(f"  {_rf('sources')}: " + "; ".join(measurement.sources))
    if item.samples:
        lines.append(_rf("samples") + ": " + _rf("samples_count", shown=len(item.samples), total=item.samples_total))
        for sample in item.samples:
            values = "; ".join(f"{name}={value}" for name, value in sample.values.items())
            lines.append(f"  {sample.path} › {sample.sheet} › {_rf('col_row')} {sample.row}: "
                         f"{sample.record_id or '—'}" + (f" ({values})" if values else ""))
    if item.breakdown:
        dataset = item.measurement.dataset if item.measurement else None
        lines.append(_rf("breakdown", by=fmt.field_label(dataset, item.breakdown_by or "")) + ":")
        for group in item.breakdown:
            lines.append(f"  {group.group}: {fmt.group_value(group, item)} — {fmt.status(group.status)}")
    return "\n".join(lines)


def _case(suite: ET.Element, result: EvaluationResult, item: RuleResult, documents: dict[str, str],
          items: list[RuleResult]) -> str:
    """Add the rule's test case; return the counter it adds to (tests only, failures, errors, skipped)."""
    case = _element(suite, "testcase", classname=item.pack, name=item.rule)
    if item.status == "fail":
        indicator = fmt.indicator_line(item, items)  # "≥ 80% met, ≥ 100% not yet": why the same figure fails here
        _element(case, "failure", _details(item, documents, items),
                 message=f"{_verdict(item)} — {_quote(item)}" + (f" ({indicator})" if indicator else ""),
                 type="fail" if item.severity == "error" else "warning")
        return "failures"
    if item.status == "error":
        _element(case, "error", _details(item, documents, items), message=item.message or _rf("junit.error"), type="error")
        return "errors"
    if item.status == "no_data":
        if result.strict:
            _element(case, "error", _details(item, documents, items), message=item.message or _rf("junit.no_data"),
                     type="no_data")
            return "errors"
        _element(case, "skipped", message=item.message or _rf("junit.no_data"))
        return "skipped"
    _element(case, "system-out", "\n".join(
        [_rf("result_line", value=fmt.value(item), target=fmt.target(item))
         + (f" ({fmt.counts(item)})" if item.denominator is not None else ""),
         *_baseline_and_indicator(item, items)]))
    return "tests"


def _warning_lines(result: EvaluationResult) -> str:
    lines = [f"{_rf('section_warnings')} ({len(result.warnings)}):"]
    for warning in result.warnings:
        where = " › ".join(filter(None, [warning.path, warning.sheet, warning.field]))
        rows = fmt.rows_text(warning.rows)
        lines.append(f"- {where}" + (f" ({_rf('col_rows')} {rows})" if rows else "") + f": {warning.message}")
    return "\n".join(lines)


def _note_lines(result: EvaluationResult) -> str:
    return "\n".join([f"{_rf('section_notes')} ({len(result.notes)}):"] + [f"- {note.message}" for note in result.notes])


def _set_counts(element: ET.Element, counts: dict[str, int], skipped: bool = True) -> None:
    element.set("tests", str(counts["tests"]))
    element.set("failures", str(counts["failures"]))
    element.set("errors", str(counts["errors"]))
    if skipped:
        element.set("skipped", str(counts["skipped"]))


def _properties(suite: ET.Element, result: EvaluationResult, extra: dict[str, str]) -> None:
    properties = _element(suite, "properties")
    values = dict(extra)
    values["dxcheck.version"] = result.dxcheck_version
    if result.period:
        values["period"] = result.period.label
        values["period.start"] = result.period.start
        values["period.end"] = result.period.end
    values["strict"] = "true" if result.strict else "false"
    for index, item in enumerate(result.inputs):
        values[f"input.{index + 1}"] = f"{item.path} sha256:{item.sha256}"
    for name, value in values.items():
        _element(properties, "property", name=name, value=value)


def render(result: EvaluationResult, *, lang: str | None = None, **_: object) -> str:
    """The JUnit XML document (UTF-8 text with its XML declaration)."""
    token = set_language(lang) if lang else None
    try:
        return _render(result)
    finally:
        if token is not None:
            from ..messages import _language

            _language.reset(token)


def _render(result: EvaluationResult) -> str:
    root = _element(None, "testsuites", name="dxcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    documents = {pack.id: pack.document for pack in result.packs}
    warnings_text = "\n\n".join(filter(None, [_warning_lines(result) if result.warnings else None,
                                                _note_lines(result) if result.notes else None])) or None
    suites = [(pack.id, fmt.text_for(pack.title), pack.document) for pack in result.packs]
    known = {pack.id for pack in result.packs}
    for orphan in dict.fromkeys(item.pack for item in result.results if item.pack not in known):
        suites.append((orphan, orphan, None))
    # the roll-up (or the single commune), then one suite per commune and pack when there are several
    scopes = [(None, result.results)] + [(unit.name, unit.results) for unit in result.units]
    for unit_name, items in scopes:
        for pack_id, title, document in suites:
            name = pack_id if unit_name is None else f"{pack_id} · {unit_name}"
            suite = _element(root, "testsuite", name=name, timestamp=result.generated_at)
            extra = {"title": title, **({"document": document} if document else {}),
                     **({"unit": unit_name} if unit_name else {})}
            _properties(suite, result, extra)
            counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
            for item in fmt.grouped(items):  # the rules of one indicator side by side
                if item.pack != pack_id:
                    continue
                counts["tests"] += 1
                outcome = _case(suite, result, item, documents, items)
                if outcome != "tests":
                    counts[outcome] += 1
            if warnings_text and unit_name is None:
                _element(suite, "system-out", warnings_text)
            _set_counts(suite, counts)
            for key in totals:
                totals[key] += counts[key]
    if result.strict and result.warnings:
        # Under --strict the warnings fail the run: show them as failures, so CI says why.
        suite = _element(root, "testsuite", name="data-quality", timestamp=result.generated_at)
        _properties(suite, result, {"title": _rf("junit.warnings_suite")})
        for index, warning in enumerate(result.warnings, 1):
            where = " › ".join(filter(None, [warning.path, warning.sheet, warning.field]))
            case = _element(suite, "testcase", classname="data-quality", name=f"{index:03d} {where}")
            rows = fmt.rows_text(warning.rows)
            _element(case, "failure", f"{where}" + (f" ({_rf('col_rows')} {rows})" if rows else "")
                     + f": {warning.message}", message=warning.message, type="data_quality")
        counts = {"tests": len(result.warnings), "failures": len(result.warnings), "errors": 0, "skipped": 0}
        _set_counts(suite, counts)
        for key in totals:
            totals[key] += counts[key]
    _set_counts(root, totals, skipped=False)  # junit-10.xsd has no `skipped` on <testsuites>
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
