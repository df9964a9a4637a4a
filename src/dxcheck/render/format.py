"""Number, target and status wording shared by every human-readable renderer."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone

from ..messages import catalogue, get_language, t
from ..results import EvaluationResult, GroupResult, PackOut, PeriodOut, RuleResult

OP_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def number(text_or_value: str | float | int | None, lang: str | None = None) -> str:
    """`98.50` → `98,50` in Vietnamese; thousands are not grouped (counts stay copyable)."""
    if text_or_value is None:
        return "—"
    if isinstance(text_or_value, float) and text_or_value.is_integer():
        text_or_value = int(text_or_value)
    text = str(text_or_value)
    return text.replace(".", ",") if (lang or get_language()) == "vi" else text


def value(result: RuleResult, lang: str | None = None) -> str:
    if result.display_value is None:
        return "—"
    unit = "%" if result.target.unit == "%" else ""
    return f"{number(result.display_value, lang)}{unit}"


def target(result: RuleResult, lang: str | None = None) -> str:
    unit = "%" if result.target.unit == "%" else ""
    text = f"{OP_SYMBOLS[result.target.op]} {number(result.target.value, lang)}{unit}"
    if result.target.milestone_year:
        text += " " + t("report.milestone", year=result.target.milestone_year, lang=lang)
    return text


def status(code: str, lang: str | None = None) -> str:
    return t(f"status.{code}", lang=lang)


def count(value: int | float | None, lang: str | None = None) -> str:
    return "—" if value is None else number(value, lang)


# --- report headers: dates, periods, the commune, inputs (shared by md, html, junit, xlsx) --------

def text_for(mapping: dict[str, str], lang: str | None = None) -> str:
    """A {vi, en} title in `lang`, falling back to Vietnamese (the plans' own language)."""
    return mapping.get(lang or get_language()) or mapping.get("vi") or next(iter(mapping.values()), "")


def day(iso: str | None) -> str:
    """`2026-10-31T23:59:59` → `31/10/2026` (day first, as Vietnamese documents write dates)."""
    if not iso:
        return "—"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


#: Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset needs no tz database.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")


def generated_local(result: EvaluationResult) -> datetime | None:
    """The generation time in Vietnam's time zone, or None when the run left it out."""
    if not result.generated_at:
        return None
    moment = datetime.fromisoformat(result.generated_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(VIETNAM_TZ)


def generated_line(result: EvaluationResult, lang: str | None = None) -> str:
    moment = generated_local(result)
    if moment is None:
        return t("report_formats.generated_undated", lang=lang, version=result.dxcheck_version)
    return t("report_formats.generated", lang=lang, version=result.dxcheck_version,
             time=moment.strftime("%H:%M"), date=moment.strftime("%d/%m/%Y"))


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_OPEN_START, _OPEN_END = "1900", "2100"


def period_name(period: PeriodOut, lang: str | None = None) -> str:
    """`2026-10` → `tháng 10/2026`, `2026-Q4` → `quý IV/2026`, `2026` → `năm 2026`, a range in days."""
    label = period.label
    if match := re.fullmatch(r"(\d{4})-(\d{2})", label):
        return t("report_formats.period_month", lang=lang, year=match[1], month=match[2])
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        return t("report_formats.period_quarter", lang=lang, year=match[1], quarter=match[2],
                 roman=_ROMAN[int(match[2])])
    if re.fullmatch(r"\d{4}", label):
        return t("report_formats.period_year", lang=lang, year=label)
    if label == "all":
        return t("report_formats.period_all", lang=lang)
    open_start, open_end = period.start.startswith(_OPEN_START), period.end.startswith(_OPEN_END)
    if open_start and open_end:
        return t("report_formats.period_all", lang=lang)
    if open_start:
        return t("report_formats.period_to", lang=lang, end=day(period.end))
    if open_end:
        return t("report_formats.period_from", lang=lang, start=day(period.start))
    return t("report_formats.period_range", lang=lang, start=day(period.start), end=day(period.end))


def period_line(result: EvaluationResult, lang: str | None = None) -> str:
    """One sentence naming the period evaluated, and saying so when it was inferred from the data."""
    period = result.period
    if period is None:
        return t("report_formats.period_none", lang=lang)
    bounded = not (period.start.startswith(_OPEN_START) or period.end.startswith(_OPEN_END))
    if period.inferred:
        if not bounded:
            return t("report_formats.period_none", lang=lang)
        return t("report_formats.period_inferred", lang=lang, start=day(period.start), end=day(period.end))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}", period.label) or not bounded:
        return t("report_formats.period_line_open", lang=lang, name=period_name(period, lang))
    return t("report_formats.period_line", lang=lang, name=period_name(period, lang), start=day(period.start),
             end=day(period.end))


def _commune_in(pack: PackOut) -> str | None:
    """`Xã Hoàng Sơn: Kế hoạch …` → `Hoàng Sơn`; else the capitalised words after `xã` in the issuer."""
    if match := re.match(r"\s*xã\s+([^:]+?)\s*:", pack.title.get("vi", ""), re.IGNORECASE):
        return match[1]
    words = pack.issuer.split()
    for index, word in enumerate(words):
        if word.lower() == "xã":
            name = []
            for following in words[index + 1:]:
                if not following[:1].isupper():
                    break
                name.append(following.strip(",;()"))
                if following[-1:] in ",;()":
                    break
            if name:
                return " ".join(name)
    return None


def commune(result: EvaluationResult, override: str | None = None) -> str | None:
    """The commune the report is about: given, or named alike by every pack's plan; else None.
    A roll-up of several communes is about none of them, whatever the plan it was measured by."""
    if override:
        return override
    if result.units:
        return None
    names = {_commune_in(pack) for pack in result.packs}
    return names.pop() if len(names) == 1 else None


# --- the report heading from dxcheck.toml (commune kind, issuing body, signers) -------------------


def unit_label(name: str, kind: str | None, lang: str | None = None) -> str:
    """`Tân An`, `phường` → `phường Tân An` (en: `Tân An ward`); without a kind, as a xã always was."""
    if not kind:
        return t("report_formats.commune", lang=lang, name=name)
    from ..scaffold import UNIT_KINDS

    shown = kind if (lang or get_language()) == "vi" else UNIT_KINDS.get(kind, kind)
    return t("config.unit_name", lang=lang, kind=shown, name=name)


_PEOPLES_COMMITTEE = re.compile(r"^\s*(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(.+)$", re.IGNORECASE)


def masthead(name: str | None, kind: str | None = None, issuer: str | None = None,
             lang: str | None = None) -> tuple[str, str]:
    """The two lines top left (Nghị định 30/2020: the body above, the issuing body): the commune's
    People's Committee by default; an issuer of its own (a commune office) under the committee."""
    above = t("report_formats.body_above", lang=lang)
    if not name:
        committee = t("report_formats.body_unknown", lang=lang).upper()
    elif kind:
        from ..scaffold import UNIT_KINDS

        shown = kind if (lang or get_language()) == "vi" else UNIT_KINDS.get(kind, kind)
        committee = t("config.body_name", lang=lang, kind=shown, commune=name).upper()
    else:
        committee = t("report_formats.body_name", lang=lang, commune=name).upper()
    if issuer:
        issuer = unicodedata.normalize("NFC", issuer)
        if match := _PEOPLES_COMMITTEE.match(issuer):
            return (above if match[1].lower() == "ubnd" else match[1]).upper(), match[2].upper()
        return (f"{above} {committee}" if name else ""), issuer.upper()
    return above, committee


def signers(titles: list[str] | None, lang: str | None = None) -> list[dict[str, object]]:
    """The signature block's columns: the titles given (the last one signs for the body and seals),
    else the preparer and the head of the office."""
    if not titles:
        return [{"lines": [t("report_formats.preparer", lang=lang)], "hint": t("report_formats.preparer_hint", lang=lang)},
                {"lines": [t("report_formats.head", lang=lang)], "hint": t("report_formats.head_hint", lang=lang)}]
    last = len(titles) - 1
    return [{"lines": [line.strip().upper() for line in title.splitlines() if line.strip()],
             "hint": t("report_formats.head_hint" if index == last else "report_formats.preparer_hint", lang=lang)}
            for index, title in enumerate(titles)]


def left_out(rows_left_out: dict[str, int], lang: str | None = None) -> str:
    """`{"banner": 5, "total": 1}` → `tiêu đề báo cáo 5, dòng tổng cộng 1` (unknown reasons as given)."""
    if not rows_left_out:
        return t("report_formats.left_out_none", lang=lang)
    parts = []
    for reason, count_ in sorted(rows_left_out.items()):
        label = reason
        for key in (f"report_formats.left_out.{reason}", f"inspect.reason.{reason}"):
            if t(key, lang=lang) != key:
                label = t(key, lang=lang)
                break
        parts.append(f"{label} {count_}")
    return ", ".join(parts)


def field_label(dataset_name: str | None, field: str, lang: str | None = None) -> str:
    """A field as the office knows it: its usual header in Vietnamese, the catalogue's English label
    in English (`report_formats.field_label.*`); a field known to neither shows as it is."""
    if (lang or get_language()) != "vi":
        key = f"report_formats.field_label.{field}"
        label = t(key, lang=lang)
        return field if label == key else label
    spec = field_spec(dataset_name, field)
    return spec.headers[0] if spec and spec.headers else field


def field_spec(dataset_name: str | None, field: str):
    """The vocabulary's field, or None (no dataset, an unknown dataset or field: shown as it is)."""
    if not dataset_name:
        return None
    from ..datasets import dataset

    try:
        return dataset(dataset_name).fields.get(field)
    except Exception:  # an unknown dataset name
        return None


def value_label(dataset_name: str | None, field: str, value: str, lang: str | None = None) -> str:
    """A category code as words (`khong` → `Không` / `Not online (information only)`): the
    catalogue's label of the field's code, else the dataset's first spelling of it; any other value
    (a date, a number, a yes/no already in words, free text) as it is."""
    key = f"report_formats.value_label.{field}.{value}"
    # a value is data, never a template: `{{` in a cell must not come back as `{` (nor as the key);
    # a key the language lacks is not looked up: `t` would read the English catalogue (10 ms) for a
    # fallback it cannot hold, both catalogues having the same keys (tests/test_render_signed.py)
    unlabelled = "{" in key or "}" in key or key not in catalogue(lang or get_language())
    label = key if unlabelled else t(key, lang=lang)
    if label != key:
        return label
    spec = field_spec(dataset_name, field)
    spellings = spec.values.get(value) if spec is not None and spec.type == "category" else None
    return spellings[0] if spellings else value


def row_noun(dataset_name: str | None, lang: str | None = None) -> str:
    """What one row of the dataset is (`hồ sơ`, `cán bộ`), for counts like `35/40 hồ sơ`."""
    if not dataset_name:
        return ""
    from ..datasets import dataset

    try:
        return dataset(dataset_name).row.get(lang or get_language())
    except Exception:
        return ""


def counts(result: RuleResult, lang: str | None = None) -> str:
    """`35/40` (empty when the rule has no counts, e.g. a declared value)."""
    if result.denominator is None:
        return ""
    return f"{count(result.numerator, lang)}/{count(result.denominator, lang)}"


def shortfall(result: RuleResult, lang: str | None = None) -> str:
    return "" if result.shortfall in (None, 0) else number(result.shortfall, lang)


def group_value(group: GroupResult, result: RuleResult, lang: str | None = None) -> str:
    """A breakdown group's value, displayed like a rule's: never contradicting the group's status."""
    if group.value is None:
        return "—"
    from ..evaluation.exact import as_fraction, display_decimals, share

    numerator, denominator = group.numerator, group.denominator
    ratio = result.measurement is not None and result.measurement.kind in ("share", "sum_ratio")
    if (ratio and numerator is not None and denominator and float(numerator).is_integer()
            and float(denominator).is_integer()):
        exact = share(int(numerator), int(denominator))
    else:
        exact = as_fraction(group.value)
    shown = display_decimals(exact, result.target.op, result.target.value, group.status == "pass")
    return f"{number(shown, lang)}{'%' if result.target.unit == '%' else ''}"


def rows_text(rows: list[int], limit: int = 12) -> str:
    """`[14, 27, 31, 32, 33]` → `14, 27, 31–33`; after `limit` runs, `… (+N)` more rows."""
    runs: list[list[int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in runs[:limit]]
    rest = sum(b - a + 1 for a, b in runs[limit:])
    if rest:
        parts.append(f"… (+{rest})")
    return ", ".join(parts)


def unit_rows(result) -> list[tuple[str, int, int, int, int]]:
    """(unit, pass, fail, no_data, error) per commune, most failures first."""
    rows = [(unit.name, unit.summary.pass_, unit.summary.fail, unit.summary.no_data, unit.summary.error)
            for unit in result.units]
    return sorted(rows, key=lambda row: (-row[2], -row[4], row[0]))


def ranked_rules(result) -> list[tuple[str, list]]:
    """(rule id, ranking entries) for the rules that some commune measured, in result order."""
    return [(item.id, result.ranking[item.id]) for item in result.results
            if any(entry.value is not None for entry in result.ranking.get(item.id, []))]


def rank_value(entry, result_item, lang: str | None = None) -> str:
    if entry.display_value is None:
        return "—"
    unit = "%" if result_item.target.unit == "%" else ""
    return f"{number(entry.display_value, lang)}{unit}"


HISTORY_COLUMNS = 6


def history_table(result, limit: int = HISTORY_COLUMNS, lang: str | None = None) -> tuple[list[str], list[tuple]]:
    """(the last `limit` earlier periods, rows of (result item, [value shown per period])) for
    the rules that have history; the current value is the item's own."""
    periods = sorted({(point.start, point.period) for series in result.history.values() for point in series})
    periods = periods[-limit:]
    rows = []
    for item in result.results:
        series = {point.period: point for point in result.history.get(item.id, [])}
        if not any(point.display_value for point in series.values()):
            continue
        cells = []
        for _, label in periods:
            point = series.get(label)
            shown = "—" if point is None or point.display_value is None else number(point.display_value, lang)
            cells.append(shown + ("%" if point is not None and point.display_value and item.target.unit == "%" else ""))
        rows.append((item, cells))
    return [label for _, label in periods], rows


def sample_fields(item) -> list[str]:
    """The fields shown for a rule's failing samples, in first-seen order."""
    fields: list[str] = []
    for sample in item.samples:
        fields += [name for name in sample.values if name not in fields]
    return fields


# --- baselines and indicators shared by two thresholds (issue 13) ---------------------------------

#: beside a baseline in a table: the value is below it
REGRESSION_MARK = "↓"


def baseline_figure(result: RuleResult, lang: str | None = None) -> str:
    """The baseline as the plan states it: `99%`, or `> 99%` for "trên 99%"; empty without one."""
    baseline = result.baseline
    if baseline is None:
        return ""
    figure = number(baseline.value, lang) + ("%" if result.target.unit == "%" else "")
    return figure if baseline.op == ">=" else f"{OP_SYMBOLS[baseline.op]} {figure}"


def baseline_cell(result: RuleResult, lang: str | None = None) -> str:
    """The baseline beside the value in a table: `99%`, `99% ↓` when the value is below it (the
    report's legend, `regression_legend`, says what the arrow means)."""
    figure = baseline_figure(result, lang)
    return f"{figure} {REGRESSION_MARK}" if figure and result.regression else figure


def baseline_line(result: RuleResult, lang: str | None = None) -> str:
    """`Số liệu nền 2020-2025 (mục II.1.1): 99%` (empty without a baseline)."""
    if result.baseline is None:
        return ""
    return t("report_formats.baseline", lang=lang, period=result.baseline.period, section=result.baseline.section,
             value=baseline_figure(result, lang))


def regression_line(result: RuleResult, lang: str | None = None) -> str:
    """The warning of a value below its baseline (empty when it is not)."""
    if not result.regression or result.baseline is None:
        return ""
    return t("report_formats.regression", lang=lang, value=value(result, lang), period=result.baseline.period,
             baseline=baseline_figure(result, lang), section=result.baseline.section)


def remarked(results: list[RuleResult]) -> list[RuleResult]:
    """Passing rules whose figure comes with a remark (an approximation, a restriction that could
    not be applied, bounds over unknown records, a response rate): a failing rule says it in its
    message among the rules to fix, a passing one would otherwise say it nowhere but in JSON."""
    return [item for item in results if item.remarks and item.status == "pass"]


def remarks_line(result: RuleResult) -> str:
    return " ".join(remark.message if remark.message.rstrip().endswith(".") else remark.message + "."
                    for remark in result.remarks)


def regressions(results: list[RuleResult]) -> list[RuleResult]:
    return [item for item in results if item.regression]


def grouped(results: list[RuleResult]) -> list[RuleResult]:
    """`results` with the rules of one indicator next to each other, at the place of the first."""
    members: dict[str, list[RuleResult]] = {}
    for item in results:
        members.setdefault(item.indicator or item.id, []).append(item)
    ordered: list[RuleResult] = []
    for item in results:
        group = members.pop(item.indicator or item.id, None)
        if group:
            ordered += group
    return ordered


def indicator_members(result: RuleResult, results: list[RuleResult]) -> list[RuleResult]:
    """The rules measuring the same indicator as `result` (itself included), in result order."""
    key = result.indicator or result.id
    return [item for item in results if (item.indicator or item.id) == key]


_COUNT_WORDS = {2: "two", 3: "three", 4: "four"}


def indicator_line(result: RuleResult, results: list[RuleResult], lang: str | None = None) -> str:
    """`Một chỉ tiêu, hai ngưỡng: ≥ 80% đạt, ≥ 100% chưa đạt` for a rule that shares its indicator
    with others (so one figure is never shown as both met and not met without saying why); empty
    for a rule measuring an indicator of its own."""
    members = indicator_members(result, results)
    if len(members) < 2:
        return ""
    parts = ", ".join(f"{target(item, lang)} {t(f'report_formats.indicator_state.{item.status}', lang=lang)}"
                      for item in members)
    word = _COUNT_WORDS.get(len(members))
    count_text = t(f"report_formats.indicator_count.{word}", lang=lang) if word else str(len(members))
    return t("report_formats.indicator_line", lang=lang, count=count_text, parts=parts)


def first_of_indicator(result: RuleResult, results: list[RuleResult]) -> bool:
    """Whether `result` opens its indicator's group (where a table shows the indicator's line)."""
    members = indicator_members(result, results)
    return len(members) > 1 and members[0] is result


def clauses(result: RuleResult) -> list[tuple[str, str]]:
    """(section, quote) of every clause the rule cites: its own, then those stating it again."""
    return [(result.section, result.quote)] + [(clause["section"], clause["quote"]) for clause in result.also]
