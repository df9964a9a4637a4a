"""Markdown (GitHub-flavoured): a report to read in a repository, a merge request or an issue.

Title, summary, a table per pack, what to fix (quote, measurement, failing records, breakdown),
data-quality warnings and the inputs with their row accounting. Every value that comes from the
data or the packs goes through `text()` (or `code()`), so a `|`, `*` or `<script>` in a cell
stays a character and never becomes table structure, emphasis or markup.
"""

from __future__ import annotations


from ..messages import get_language, set_language, t
from ..results import EvaluationResult, RuleResult
from . import MARKDOWN_MARK
from . import condition_words
from . import escape
from . import format as fmt
from . import trajectory as trajectory_text
from .terminal import MARKS

# the escapers live in render/escape.py; these names are the ones this module has always used
text = escape.markdown
block = escape.markdown_block
code = escape.markdown_code


def _rf(key: str, **params: object) -> str:
    return t(f"report_formats.{key}", **params)


def _sentence(key: str, markdown: dict[str, str], **plain: object) -> str:
    """A catalogue sentence escaped as text, with the `markdown` parameters inserted as they are."""
    marks = {name: f"\ue000{index}\ue001" for index, name in enumerate(markdown)}
    escaped = text(_rf(key, **plain, **marks))
    for name, mark in marks.items():
        escaped = escaped.replace(mark, markdown[name])
    return escaped


def _table(header: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    """A GFM table; cells are already Markdown (escaped by the caller)."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if index in right else "---" for index in range(len(header))) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def _status(code_: str) -> str:
    return f"{MARKS[code_]} {fmt.status(code_)}"


def _header(result: EvaluationResult, commune: str | None, kind: str | None = None) -> list[str]:
    lang = get_language()
    where = [fmt.unit_label(commune, kind)] if commune else []
    if result.period:
        where.append(fmt.period_name(result.period))
    lines = [f"# {text(_rf('title_short'))}" + (": " + text(", ".join(where)) if where else ""), ""]
    for pack in result.packs:
        lines.append(f"- **{_rf('plan')}** {code(pack.id)}: {text(fmt.text_for(pack.title, lang))}"
                     f" — {text(pack.issuer)}")
    lines.append(f"- {text(fmt.period_line(result))}")
    lines.append(f"- {text(fmt.generated_line(result))}")
    lines.append("")
    summary = result.summary
    total = summary.pass_ + summary.fail + summary.no_data + summary.error
    lines.append(f"**{text(_rf('summary_line', total=total, **{'pass': summary.pass_}, fail=summary.fail, no_data=summary.no_data, error=summary.error))}**")
    lines.append("")
    if result.strict:
        lines += [text(_rf("strict_note")), ""]
    lines += [text(_rf("verdict_ok" if int(result.exit_code()) == 0 else "verdict_failed")), ""]
    return lines


def _results_tables(result: EvaluationResult) -> list[str]:
    lang = get_language()
    lines = [f"## {text(_rf('section_results'))}", ""]
    header = [t("report.col_status"), t("report.col_rule"), t("report.col_value"), t("report.col_target"),
              t("report.col_count"), t("report.col_shortfall"), t("report.col_deadline")]
    for pack in result.packs:
        items = fmt.grouped([item for item in result.results if item.pack == pack.id])
        baselines = any(item.baseline for item in items)
        rows = []
        for item in items:
            rows.append([_status(item.status), f"{code(item.rule)} {text(fmt.text_for(item.title, lang))}"
                         + _indicator_note(item, items),
                         text(fmt.value(item)), text(fmt.target(item)), text(fmt.counts(item)),
                         text(fmt.shortfall(item)), str(item.deadline)])
            if baselines:
                rows[-1].insert(3, text(fmt.baseline_cell(item)))
        lines += [f"### {code(pack.id)} — {text(fmt.text_for(pack.title, lang))}", ""]
        columns = header[:3] + [_rf("col_baseline")] + header[3:] if baselines else header
        lines += _table([text(cell) for cell in columns], rows, right=set(range(2, len(columns))))
        lines.append("")
    return lines + _regressions(result) + _remarks(result)


# --- baselines and shared indicators (issue 13) ---------------------------------------------------

def _indicator_note(item: RuleResult, items: list[RuleResult]) -> str:
    """In the row opening a shared indicator's group: `— *Một chỉ tiêu, hai ngưỡng: …*`."""
    return f" — *{text(fmt.indicator_line(item, items))}*" if fmt.first_of_indicator(item, items) else ""


def _remarks(result: EvaluationResult) -> list[str]:
    noted = fmt.remarked(result.results)
    if not noted:
        return []
    lines = [f"### {text(_rf('remarks_title'))} ({len(noted)})", ""]
    lines += [f"- {code(item.id)}: {text(fmt.remarks_line(item))}" for item in noted]
    return lines + [""]


def _regressions(result: EvaluationResult) -> list[str]:
    below = fmt.regressions(result.results)
    if not below:
        return []
    lines = [f"### {text(fmt.REGRESSION_MARK + ' ' + _rf('regressions_title'))} ({len(below)})", ""]
    for item in below:
        lines.append(f"- {code(item.id)}: {text(fmt.regression_line(item))} “{text(item.baseline.quote)}”")
    return lines + [""]


def _units(result: EvaluationResult) -> list[str]:
    """Several communes: their own tallies, then each rule's ranking (best first)."""
    if not result.units:
        return []
    lines = [f"## {text(t('units.section'))}", "", text(t("units.rollup_note")), ""]
    header = [t("units.col_unit"), fmt.status("pass"), fmt.status("fail"), fmt.status("no_data"), fmt.status("error")]
    rows = [[code(name), str(passed), str(failed), str(missing), str(errors)]
            for name, passed, failed, missing, errors in fmt.unit_rows(result)]
    lines += _table([text(cell) for cell in header], rows, right={1, 2, 3, 4}) + [""]
    lines += [f"### {text(t('units.ranking'))}", ""]
    items = {item.id: item for item in result.results}
    for rule_id, entries in fmt.ranked_rules(result):
        lines += [f"#### {code(rule_id)}", ""]
        rows = [[str(entry.rank or "—"), code(entry.unit), text(fmt.rank_value(entry, items[rule_id])),
                 _status(entry.status)] for entry in entries]
        lines += _table([text(t("units.col_rank")), text(t("units.col_unit")), text(t("report.col_value")),
                         text(t("report.col_status"))], rows, right={0, 2}) + [""]
    return lines


def _history(result: EvaluationResult) -> list[str]:
    periods, rows = fmt.history_table(result)
    if not rows:
        return []
    lines = [f"## {text(t('history.section'))}", ""]
    header = [t("history.col_rule"), *periods, t("history.current")]
    body = [[code(item.id), *(text(cell) for cell in cells), f"{MARKS[item.status]} {text(fmt.value(item))}"]
            for item, cells in rows]
    return lines + _table([text(cell) for cell in header], body, right=set(range(1, len(header)))) + [""]


def _trajectory(result: EvaluationResult) -> list[str]:
    """One line per rule: trend, projection, on track (render/trajectory.py)."""
    items = trajectory_text.rules_with_trajectory(result)
    if not items:
        return []
    lines = [f"## {text(t('trajectory.section'))}", "", text(t("trajectory.note")), ""]
    for item in items:
        percent = item.target.unit == "%"
        line = f"- {code(item.id)}: {text(trajectory_text.summary(item.trajectory, fmt.value(item), percent))}."
        path = trajectory_text.path_text(item.trajectory, percent)
        lines.append(line[:-1] + (f"; {text(path)}." if path else "."))
    return lines + [""]


def _measurement(item: RuleResult) -> list[str]:
    measurement = item.measurement
    if measurement is None:
        return []
    kind = _rf(f"kind.{measurement.kind}")
    kind = measurement.kind if kind.startswith("report_formats.") else kind
    parts = [_sentence("measurement_kind", {"dataset": text(condition_words.dataset_title(measurement.dataset))}, kind=kind)]
    if measurement.index:
        parts[0] += " " + text(_rf("measurement_fallback", index=measurement.index + 1))
    expressions = []
    for key, value in (("population", measurement.population), ("condition", measurement.condition)):
        said = condition_words.words(value, measurement.dataset)
        if said:
            parts.append(f"{text(_rf(key))}: {text(said)}")
            expressions.append(f"{text(_rf(key))}: {code(value)}")
        elif value:
            parts.append(f"{text(_rf(key))}: {code(value)}")
    if measurement.numerator:
        parts.append(f"{text(_rf('sum_numerator'))}: "
                     + " + ".join(text(fmt.field_label(measurement.dataset, name)) for name in measurement.numerator))
    if measurement.denominator:
        parts.append(f"{text(_rf('sum_denominator'))}: "
                     + " + ".join(text(fmt.field_label(measurement.dataset, name)) for name in measurement.denominator))
    if measurement.function:
        parts.append(f"{text(_rf('function'))}: {code(measurement.function)}")
    if measurement.sources:
        parts.append(f"{text(_rf('sources'))}: " + "; ".join(text(source) for source in measurement.sources))
    lines = [f"**{text(_rf('measurement'))}:** " + "; ".join(parts) + ".", ""]
    if expressions:  # the rule-language form, for checking the pack: after the words
        lines += [f"*{text(_rf('expression'))}:* " + "; ".join(expressions) + ".", ""]
    return lines


def _samples(item: RuleResult) -> list[str]:
    if not item.samples:
        return []
    dataset = item.measurement.dataset if item.measurement else None
    fields = fmt.sample_fields(item)
    header = [_rf("col_no"), _rf("col_record"), _rf("col_file"), _rf("col_sheet"), _rf("col_row")]
    header += [fmt.field_label(dataset, name) for name in fields]
    rows = [[str(index), text(sample.record_id), text(sample.path), text(sample.sheet), str(sample.row)]
            + [text(fmt.value_label(dataset, name, sample.values[name]) if name in sample.values else "")
               for name in fields]
            for index, sample in enumerate(item.samples, 1)]
    lines = [f"**{text(_rf('samples'))}** — "
             + text(_rf("samples_count", shown=len(item.samples), total=item.samples_total)), ""]
    lines += _table([text(cell) for cell in header], rows, right={0, 4})
    lines.append("")
    if item.samples_total > len(item.samples):
        lines += [text(_rf("samples_more", count=item.samples_total - len(item.samples), total=item.samples_total)), ""]
    return lines


def _breakdown(item: RuleResult) -> list[str]:
    if not item.breakdown:
        return []
    dataset = item.measurement.dataset if item.measurement else None
    by = fmt.field_label(dataset, item.breakdown_by or "")
    rows = [[text(fmt.value_label(dataset, item.breakdown_by or "", group.group)), text(fmt.group_value(group, item)),
             text(f"{fmt.count(group.numerator)}/{fmt.count(group.denominator)}" if group.denominator is not None else ""),
             _status(group.status)] for group in item.breakdown]
    header = [_rf("col_group"), t("report.col_value"), t("report.col_count"), t("report.col_status")]
    return [f"**{text(_rf('breakdown', by=by))}**", ""] + _table([text(cell) for cell in header], rows,
                                                                 right={1, 2}) + [""]


def _details(result: EvaluationResult) -> list[str]:
    lang = get_language()
    problems = [item for item in result.results if item.status in ("fail", "error", "no_data")]
    lines = [f"## {text(_rf('section_details'))}", ""]
    if not problems:
        return lines + [text(_rf("no_details")), ""]
    documents = {pack.id: pack.document for pack in result.packs}
    for item in fmt.grouped(problems):
        lines += [f"### {MARKS[item.status]} {code(item.id)} — {text(fmt.text_for(item.title, lang))}", ""]
        verdict = f"**{text(fmt.status(item.status))}**"
        if item.display_value is not None:
            verdict += ": " + text(_rf("result_line", value=fmt.value(item), target=fmt.target(item)))
            if item.denominator is not None:
                noun = fmt.row_noun(item.measurement.dataset if item.measurement else None)
                verdict += " (" + text(_rf("counts_line", numerator=fmt.count(item.numerator),
                                           denominator=fmt.count(item.denominator), row=noun).strip()) + ")"
        else:
            verdict += ": " + text(t("report.col_target") + " " + fmt.target(item))
        if item.severity == "warning":
            verdict += " " + text(_rf("warning_severity"))
        lines += [verdict + ".", ""]
        if item.message:
            lines += [block(item.message), ""]
        if indicator := fmt.indicator_line(item, result.results):
            lines += [f"*{text(indicator)}*", ""]
        document = documents.get(item.pack)
        for section, quote in fmt.clauses(item):
            source = _rf("source_line", section=section)
            lines += [f"> {block(quote)}", ">",
                      f"> — {text(source)}" + (f", {text(document)}" if document else ""), ""]
        lines += _measurement(item)
        if item.notes:
            lines += [f"**{text(_rf('notes'))}:** {text(item.notes)}", ""]
        if item.baseline is not None:
            lines += [text(fmt.baseline_line(item)) + f": “{text(item.baseline.quote)}”", ""]
            if item.regression:
                lines += [f"**{text(fmt.REGRESSION_MARK)}** {text(fmt.regression_line(item))}", ""]
        lines += _samples(item)
        lines += _breakdown(item)
    return lines


def _warnings(result: EvaluationResult) -> list[str]:
    lines = [f"## {text(_rf('section_warnings'))} ({len(result.warnings)})", ""]
    if not result.warnings:
        return lines + [text(_rf("no_warnings")), ""]
    header = [_rf("col_file"), _rf("col_sheet"), _rf("col_field"), _rf("col_rows"), _rf("col_warning")]
    rows = [[text(warning.path), text(warning.sheet), code(warning.field) if warning.field else "",
             text(fmt.rows_text(warning.rows)), text(warning.message)] for warning in result.warnings]
    return lines + _table([text(cell) for cell in header], rows) + [""]


def _notes(result: EvaluationResult) -> list[str]:
    """Facts about the data that are no problem (dates read right on request); only when there are some."""
    if not result.notes:
        return []
    lines = [f"### {text(_rf('section_notes'))} ({len(result.notes)})", ""]
    header = [_rf("col_file"), _rf("col_sheet"), _rf("col_field"), _rf("col_rows"), _rf("col_warning")]
    rows = [[text(note.path), text(note.sheet), code(note.field) if note.field else "",
             text(fmt.rows_text(note.rows)), text(note.message)] for note in result.notes]
    return lines + _table([text(cell) for cell in header], rows) + [""]


def _inputs(result: EvaluationResult) -> list[str]:
    lines = [f"## {text(_rf('section_inputs'))}", ""]
    header = [_rf("col_file"), _rf("col_sha256"), _rf("col_sheet"), _rf("col_dataset"), _rf("col_header_row"),
              _rf("col_rows_total"), _rf("col_rows_used"), _rf("col_rows_left_out")]
    rows = []
    for item in result.inputs:
        for sheet in item.sheets:
            rows.append([text(item.path), code(item.sha256), text(sheet.sheet),
                         code(sheet.dataset) if sheet.dataset else text(_rf("not_recognised")), str(sheet.header_row),
                         str(sheet.rows_total), str(sheet.rows_used), text(fmt.left_out(sheet.rows_left_out))])
    return lines + _table([text(cell) for cell in header], rows, right={4, 5, 6}) + [""]


def render(result: EvaluationResult, *, lang: str | None = None, commune: str | None = None,
           commune_kind: str | None = None, **_: object) -> str:
    """The report as Markdown in `lang` (default: the current language)."""
    token = set_language(lang) if lang else None
    try:
        # first line: the mark that keeps this report from being read as data (load/own_reports.py)
        lines = [MARKDOWN_MARK.format(version=result.dxcheck_version)]
        lines += _header(result, fmt.commune(result, commune), commune_kind)
        lines += _results_tables(result)
        lines += _units(result)
        lines += _history(result)
        lines += _trajectory(result)
        lines += _details(result)
        lines += _warnings(result)
        lines += _notes(result)
        lines += _inputs(result)
        return "\n".join(lines).rstrip("\n") + "\n"
    finally:
        if token is not None:
            from ..messages import _language

            _language.reset(token)
