"""A draft pack as YAML, with the drafter's reasons as comments (ruamel.yaml keeps them)."""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from ..messages import t
from .build import DraftPack, DraftRule


def _flow(**items: object) -> CommentedMap:
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _notes(rule: DraftRule) -> str | None:
    return " ".join(t(key, **params) for key, params in rule.notes) or None


def _rule_map(rule: DraftRule, pack: DraftPack, deadline: int | None) -> CommentedMap:
    target = rule.target
    item = CommentedMap()
    item["id"] = rule.id
    item["title"] = _flow(vi=Quoted(rule.title_vi), en=Quoted(rule.title_en or t("authoring.draft.title_en_todo")))
    item["source"] = CommentedMap(section=Quoted(target.section or "?"), quote=Quoted(target.quote))
    item["target"] = _flow(op=rule.op, value=_number(target.value), unit="%")
    item["deadline"] = target.deadline or deadline
    if rule.indicator:
        item["indicator"] = rule.indicator
    if rule.baseline:
        figure = rule.baseline
        item["baseline"] = CommentedMap(op=figure.op, value=_number(figure.value), period=Quoted(figure.period),
                                        section=Quoted(figure.sentence.section.number or "?"), quote=Quoted(figure.quote))
        item.yaml_add_eol_comment(t("authoring.draft.comment_baseline"), "baseline")
    notes = _notes(rule)
    if notes:
        item["notes"] = Quoted(notes)
    item["measurements"] = rule.measurements
    return item


def _comment(rule: DraftRule) -> str:
    match = rule.match
    lines = []
    if match.indicator:
        lines.append(t("authoring.draft.comment_match", name=match.indicator.name, score=match.score,
                       runner=match.runner_up.name if match.runner_up else "-", runner_score=match.runner_up_score))
    lines += ["TODO " + t(key, **params) for key, params in rule.todo]
    if rule.same_as:
        lines.append("TODO " + t("authoring.draft.todo_same_as", other=rule.same_as))
    return "\n".join(lines)


def to_yaml(pack: DraftPack, source_name: str, deadline: int | None = None) -> str:
    document = CommentedMap()
    document["id"] = pack.id
    document["title"] = _flow(vi=Quoted(pack.document), en=Quoted(t("authoring.draft.title_en_todo")))
    document["language"] = "vi"
    plan = CommentedMap()
    plan["issuer"] = Quoted(t("authoring.draft.issuer_todo"))
    plan["document"] = Quoted(pack.document)
    plan["seed"] = Quoted(pack.seed)
    if pack.plan.period:
        plan["period"] = Quoted(f"{pack.plan.period[0]}-{pack.plan.period[1]}")
    document["plan"] = plan
    plan.yaml_add_eol_comment("TODO " + t("authoring.draft.todo_issuer"), "issuer")
    rules = CommentedSeq()
    for index, rule in enumerate(pack.rules):
        rules.append(_rule_map(rule, pack, deadline))
        comment = _comment(rule)
        if comment:
            rules.yaml_set_comment_before_after_key(index, before=comment, indent=2)
    document["rules"] = rules
    header = t("authoring.draft.header", source=source_name, rules=len(pack.rules),
               matched=sum(1 for rule in pack.rules if rule.match.indicator),
               todo=sum(1 for rule in pack.rules if rule.todo or rule.same_as))
    if pack.unused_baselines:
        header += "\n" + t("authoring.draft.header_unused_baselines") + "".join(
            f"\n  [{figure.sentence.section.number}] {figure.quote}" for figure in pack.unused_baselines)
    document.yaml_set_start_comment(header)
    yaml = YAML()
    yaml.width = 4096  # a quote stays on one line, as written in the plan
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()
