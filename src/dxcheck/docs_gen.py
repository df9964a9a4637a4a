"""`dxcheck rules docs`: reference pages written from the program's own definitions.

The field vocabulary (datasets.yaml), the rule packs and the exit codes are the only sources:
every page is rendered from them, Vietnamese first and English second, so the pages cannot say
anything the program does not do. The output is deterministic (no dates, versions or paths), so
a checked-in copy can be compared with a fresh one (`--check`, and the test suite).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .datasets import DatasetSpec, FieldSpec, vocabulary
from .exit_codes import ExitCode
from .messages import LANGUAGES, t
from .packs.loader import CompiledMeasurement, LoadedPack
from .packs.model import Rule
from .render.format import number

DATASETS_PAGE = "datasets.md"
EXIT_CODES_PAGE = "exit-codes.md"
INDEX_PAGE = "README.md"


def generate(packs: list[LoadedPack]) -> dict[str, str]:
    """File name → Markdown text of every reference page, in a fixed order."""
    pages = {
        INDEX_PAGE: _bilingual(lambda lang: _index(packs, lang)),
        DATASETS_PAGE: _bilingual(_datasets),
        EXIT_CODES_PAGE: _bilingual(_exit_codes),
    }
    for pack in packs:
        pages[f"{pack.id}.md"] = _bilingual(lambda lang, pack=pack: _pack(pack, lang))
    return pages


def write(pages: dict[str, str], folder: Path) -> list[Path]:
    from .atomic import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages.items():
        written.append(write_atomic(folder / name, text))
    return written


def stale(pages: dict[str, str], folder: Path) -> list[tuple[Path, str]]:
    """(path, "missing" | "stale") for each page whose file in `folder` differs from `pages`."""
    problems = []
    for name, text in pages.items():
        path = folder / name
        if not path.is_file():
            problems.append((path, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            problems.append((path, "stale"))
    return problems


# --- page frame --------------------------------------------------------------------------------


def _bilingual(render: Callable[[str], list[str]]) -> str:
    parts = []
    for lang in LANGUAGES:  # vi first, then en
        lines = [f'<a id="{_lang_anchor(lang)}"></a>', "",
                 f"[Tiếng Việt](#{_lang_anchor('vi')}) · [English](#{_lang_anchor('en')})", ""]
        lines += render(lang)
        lines += ["", f"*{t('authoring.docs.generated', lang=lang)}*"]
        parts.append("\n".join(lines))
    return "\n\n---\n\n".join(parts).rstrip("\n") + "\n"


def _lang_anchor(lang: str) -> str:
    return {"vi": "tieng-viet", "en": "english"}[lang]


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return re.sub(r"\s+", " ", str(text)).replace("|", "\\|").strip()


def _code(text: str) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return f"`{flat}`" if "`" not in flat else f"`` {flat} ``"


def _codes(names: list[str]) -> str:
    return ", ".join(_code(name) for name in names)


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in re.sub(r"[ \t]+", " ", text.strip()).splitlines()]


def _anchor(lang: str, *parts: str) -> str:
    return "-".join([lang, *parts])


# --- index -------------------------------------------------------------------------------------


def _index(packs: list[LoadedPack], lang: str) -> list[str]:
    lines = [f"# {t('authoring.docs.index_title', lang=lang)}", "", t("authoring.docs.index_intro", lang=lang), "",
             f"- [{DATASETS_PAGE}]({DATASETS_PAGE}#{_lang_anchor(lang)}) — {t('authoring.docs.index_datasets', lang=lang)}",
             (f"- [{EXIT_CODES_PAGE}]({EXIT_CODES_PAGE}#{_lang_anchor(lang)}) — "
              f"{t('authoring.docs.index_exit_codes', lang=lang)}")]
    for pack in packs:
        lines.append(f"- [{pack.id}.md]({pack.id}.md#{_lang_anchor(lang)}) — "
                     f"{t('authoring.docs.index_pack', lang=lang, id=pack.id, title=pack.pack.title.get(lang))}")
    return lines


# --- datasets ----------------------------------------------------------------------------------


def _datasets(lang: str) -> list[str]:
    datasets = vocabulary().datasets
    lines = [f"# {t('authoring.docs.datasets_title', lang=lang)}", "", t("authoring.docs.datasets_intro", lang=lang), "",
             f"## {t('authoring.docs.datasets_contents', lang=lang)}", ""]
    for name, spec in datasets.items():
        lines.append(f"- [{_code(name)} — {spec.title.get(lang)}](#{_anchor(lang, name)})")
    for name, spec in datasets.items():
        lines += [""] + _dataset(name, spec, lang)
    return lines


def _dataset(name: str, spec: DatasetSpec, lang: str) -> list[str]:
    tr = _translator(lang)
    lines = [f'<a id="{_anchor(lang, name)}"></a>', "", f"## {_code(name)} — {spec.title.get(lang)}", "",
             tr("dataset_row", row=spec.row.get(lang), record_id=spec.record_id) + " "
             + tr("dataset_recognised", min_fields=spec.min_fields, columns=_codes(spec.key))]
    if spec.required:
        lines[-1] += " " + tr("dataset_required", required=_codes(spec.required))
    if spec.required_one_of:
        lines[-1] += " " + tr("dataset_required_one_of", required=_codes(spec.required_one_of))
    if spec.unit_field:
        lines[-1] += " " + tr("dataset_unit_field", field=_code(spec.unit_field))
    for item in spec.combined:
        lines[-1] += " " + tr("dataset_combined", field=_code(item.field), parts=_codes(item.parts))
    if spec.unique_id:
        lines += ["", _copies(spec, lang)]
    if spec.lookup is not None:
        lines += ["", tr("dataset_lookup", dataset=_code(spec.lookup.dataset), by=_codes(spec.lookup.by),
                         example=_code(f"{spec.lookup.dataset}.muc_do_dvc"),
                         found=_code(f"{spec.lookup.dataset}.found"))]
    lines += ["", f"| {tr('col_field')} | {tr('col_type')} | {tr('col_headers')} | {tr('col_values')} |",
              "|---|---|---|---|"]
    for field_name, field in spec.fields.items():
        lines.append(f'| <a id="{_anchor(lang, name, field_name)}"></a>{_code(field_name)} | '
                     f"{_cell(tr('type.' + field.type))} | {_cell('; '.join(field.headers))} | "
                     f"{_field_values(field, lang)} |")
    if spec.compound_values:
        lines += ["", f"### {tr('compound_title')}", ""]
        for compound in spec.compound_values:
            sets = ", ".join(f"{_code(key)} = {_code(value)}" for key, value in compound.sets.items())
            spellings = ", ".join(f"“{spelling}”" for spelling in compound.spellings)
            lines.append(f"- {tr('compound_row', spellings=spellings, sets=sets)}")
    if spec.scopes:
        lines += ["", f"### {tr('scopes_title')}", "", tr("scopes_intro"), "",
                  f"| {tr('col_scope')} | {tr('col_meaning')} | {tr('col_expression')} |", "|---|---|---|"]
        for scope_name, scope in spec.scopes.items():
            lines.append(f'| <a id="{_anchor(lang, name, "scope", scope_name)}"></a>{_code(scope_name)} | '
                         f"{_cell(scope.description.get(lang))} | {_cell(_code(scope.expr))} |")
    if spec.checks:
        lines += ["", f"### {tr('checks_title')}", "", tr("checks_intro"), ""]
        for check in spec.checks:
            lines.append(f"- {_code(check.total)} = " + " + ".join(_code(part) for part in check.parts))
    return lines


def _copies(spec: DatasetSpec, lang: str) -> str:
    """Which copy of a record is kept when its id occurs twice (`most_advanced`)."""
    tr = _translator(lang)
    steps = []
    for step in spec.most_advanced:
        kind = spec.fields[step.field].type
        if kind == "category":
            order = " > ".join(_code(item) if isinstance(item, str) else " = ".join(_code(code) for code in item)
                               for item in step.order)
            steps.append(tr("copies_category", field=_code(step.field), order=order))
        else:
            steps.append(tr(f"copies_{'date' if kind in ('date', 'deadline') else kind}", field=_code(step.field)))
    steps.append(tr("copies_last"))
    text = tr("copies", record_id=_code(spec.record_id), steps=tr("copies_then").join(steps))
    if spec.id_per_year_of:
        text += " " + tr("copies_per_year", record_id=_code(spec.record_id), field=_code(spec.id_per_year_of))
    return text


def _field_values(field: FieldSpec, lang: str) -> str:
    tr = _translator(lang)
    items: list[str] = []
    if field.same_as:
        dataset_name, field_name = field.same_as.split(".")
        items.append(tr("same_as", other=f"[{_code(field.same_as)}](#{_anchor(lang, dataset_name, field_name)})"))
    elif field.type == "category":
        for code, spellings in field.values.items():
            items.append(f"{_code(code)}: " + ", ".join(spellings) if spellings else _code(code))
    if field.type == "bool":
        if field.yes:
            items.append(f"{tr('yes')}: " + ", ".join(field.yes))
        if field.no:
            items.append(f"{tr('no')}: " + ", ".join(field.no))
        if field.blank == "yes":
            items.append(tr("blank_is", value=tr("yes")))
    elif field.type == "category" and field.blank and not field.same_as:
        items.append(tr("blank_is", value=_code(field.blank)))
    return "<br>".join(_cell(item) for item in items)


def _translator(lang: str) -> Callable[..., str]:
    return lambda name, /, **params: t(f"authoring.docs.{name}", lang=lang, **params)


# --- exit codes --------------------------------------------------------------------------------


def _exit_codes(lang: str) -> list[str]:
    tr = _translator(lang)
    lines = [f"# {tr('exit_title')}", "", tr("exit_intro"), "",
             f"| {tr('col_code')} | {tr('col_name')} | {tr('col_meaning')} |", "|---|---|---|"]
    for code in ExitCode:
        lines.append(f"| {int(code)} | {_code(code.name)} | {_cell(t('authoring.exit.' + code.name.lower(), lang=lang))} |")
    lines += ["", tr("exit_strict")]
    return lines


# --- rule packs --------------------------------------------------------------------------------


def _target(rule: Rule, value: float, lang: str) -> str:
    unit = "%" if rule.target.unit == "%" else ""
    return f"{t('authoring.docs.op.' + rule.target.op, lang=lang)} {number(value, lang)}{unit}"


def _pack(pack: LoadedPack, lang: str) -> list[str]:
    tr = _translator(lang)
    plan = pack.pack.plan
    lines = [f"# {tr('pack_title', id=pack.id)}", "", f"**{pack.pack.title.get(lang)}**", "",
             tr("pack_plan", document=plan.document, issuer=plan.issuer) + " "
             + tr("pack_seed", seed=plan.seed, period=plan.period or "—"), ""]
    if pack.pack.scopes:
        lines += [f"## {tr('scopes_title')}", "", f"| {tr('col_scope')} | {tr('col_expression')} |", "|---|---|"]
        for dataset_name, scopes in pack.pack.scopes.items():
            for scope_name, text in scopes.items():
                lines.append(f'| <a id="{_anchor(lang, "scope", dataset_name, scope_name)}"></a>'
                             f"{_code(dataset_name + '.' + scope_name)} | {_cell(_code(text))} |")
        lines.append("")
    lines += [f"## {tr('pack_summary')}", "",
              f"| {tr('col_rule')} | {tr('col_title')} | {tr('col_target')} | {tr('col_deadline')} | {tr('col_dataset')} |",
              "|---|---|---|---|---|"]
    for rule in pack.pack.rules:
        datasets = ", ".join(dict.fromkeys(item.dataset for item in rule.measurements))
        lines.append(f"| [{_code(rule.id)}](#{_anchor(lang, 'rule', rule.id)}) | {_cell(rule.title.get(lang))} | "
                     f"{_cell(_target(rule, rule.target.value, lang))} | {rule.deadline} | {datasets} |")
    for rule in pack.pack.rules:
        lines += [""] + _rule(pack, rule, lang)
    return lines


def _rule(pack: LoadedPack, rule: Rule, lang: str) -> list[str]:
    tr = _translator(lang)
    lines = [f'<a id="{_anchor(lang, "rule", rule.id)}"></a>', "",
             f"### {_code(pack.id + '/' + rule.id)} — {rule.title.get(lang)}", "",
             tr("rule_target", target=_target(rule, rule.target.value, lang), deadline=rule.deadline)]
    if rule.milestones:
        lines[-1] += " " + tr("rule_milestones", milestones=", ".join(
            f"{year}: {_target(rule, value, lang)}" for year, value in sorted(rule.milestones.items())))
    if rule.severity == "warning":
        lines[-1] += " " + tr("rule_warning")
    for clause in rule.source.clauses():  # a target stated twice: every clause it is stated in
        lines += ["", tr("rule_source", section=clause.section), ""] + _quote(clause.quote)
    if rule.baseline:
        baseline = rule.baseline
        unit = "%" if rule.target.unit == "%" else ""
        lines += ["", tr("rule_baseline", period=baseline.period, value=number(baseline.value, lang) + unit,
                         section=baseline.section), ""] + _quote(baseline.quote)
    if rule.notes:
        notes = re.sub(r"\s+", " ", rule.notes).strip()
        lines += ["", f"{tr('rule_notes')} {notes}"]
    compiled = pack.measurements.get(rule.id, [])
    lines += ["", tr("rule_measurements_many" if len(compiled) > 1 else "rule_measurements_one"), ""]
    for number_, item in enumerate(compiled, start=1):
        lines += _measurement(number_, item, rule, pack, lang)
    return lines


def _measurement(index: int, item: CompiledMeasurement, rule: Rule, pack: LoadedPack, lang: str) -> list[str]:
    tr = _translator(lang)
    spec = item.spec
    if spec.kind == "share":
        head = tr("measure_share", dataset=spec.dataset)
    elif spec.kind == "sum_ratio":
        head = tr("measure_sum_ratio", dataset=spec.dataset, numerator=" + ".join(spec.numerator),
                  denominator=" + ".join(spec.denominator))
    elif spec.kind == "computed":
        head = tr("measure_computed", dataset=spec.dataset, function=tr(f"function.{spec.function}"))
    else:
        keys = tr("declared_keys", keys=", ".join(f"“{key}”" for key in spec.keys)) if spec.keys else ""
        head = tr("measure_declared", id=rule.id, keys=keys)
    lines = [f"{index}. {head}"]
    if spec.kind != "declared":
        label = "population" if spec.kind == "share" else "filter"
        lines.append(f"   - {tr(label)}: {_expression(item, 'population', pack, lang)}")
        if spec.kind == "share":
            lines.append(f"   - {tr('condition')}: {_expression(item, 'condition', pack, lang)}")
            if spec.unknown:
                lines.append(f"   - {tr('unknown')}: {_expression(item, 'unknown', pack, lang)}")
            for flag in spec.flags:
                lines.append(f"   - {tr('flag', when=_code(flag.when), say=flag.say.get(lang))}")
            for attribute in ("settled_by", "requires"):
                if getattr(spec, attribute):
                    lines.append(f"   - {tr(attribute, fields=', '.join(map(_code, getattr(spec, attribute))))}")
        if getattr(spec, "caveat", None) is not None:
            lines.append(f"   - {tr('caveat', text=spec.caveat.get(lang))}")
        if getattr(spec, "response_rate", None) is not None:
            wider = _expression(item, "response_rate", pack, lang, spec.response_rate.population)
            lines.append(f"   - {tr('response_rate', population=wider, threshold=number(spec.response_rate.warn_below, lang))}")
        if spec.group_by:
            lines.append(f"   - {tr('group_by', field=spec.group_by)}")
    return lines


def _expression(item: CompiledMeasurement, attribute: str, pack: LoadedPack, lang: str, text: str | None = None) -> str:
    text = re.sub(r"\s+", " ", text if text is not None else getattr(item.spec, attribute)).strip()
    if text == "true":
        return t("authoring.docs.every_row", lang=lang)
    builtin = item.dataset.scopes
    checked = getattr(item, attribute)
    used = sorted(checked.scopes) if checked is not None else []
    described = []
    for name in used:
        if name in builtin:
            link = f"[{_code(name)}]({DATASETS_PAGE}#{_anchor(lang, item.dataset.name, 'scope', name)})"
            described.append(f"{link}: {builtin[name].description.get(lang)}")
        else:
            described.append(f"[{_code(name)}](#{_anchor(lang, 'scope', item.dataset.name, name)})")
    if text in used and len(used) == 1:
        return described[0]
    return _code(text) + (" — " + "; ".join(described) if described else "")
