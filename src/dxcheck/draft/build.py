"""From a plan's text to draft rules: targets, their indicators, their baselines.

Nothing here is a guess: an unmatched target becomes a `declared` rule marked TODO, a target that
cannot be met as written keeps the plan's words in its notes, and every choice the drafter made
(match, confidence, runner-up) is carried to the YAML as a comment for the reviewer.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, UsageError
from ..textnorm import fold
from .match import Indicator, Match, Matcher, catalogue, indicators_from, not_measured
from .sentences import Plan, parse_plan
from .targets import BaselineFigure, Target, baselines, targets, words_after

#: below this a match is shown as needing a look (it is still used)
LOW_CONFIDENCE = 0.5
_TITLE_MAX = 90


@dataclass
class DraftRule:
    id: str
    target: Target
    match: Match
    title_vi: str
    title_en: str | None
    op: str
    measurements: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)       # catalogue keys with params
    todo: list[tuple[str, dict]] = field(default_factory=list)
    baseline: BaselineFigure | None = None
    indicator: str | None = None
    same_as: str | None = None                           # an earlier rule with the same indicator and value


@dataclass
class DraftPack:
    id: str
    plan: Plan
    seed: str
    document: str
    rules: list[DraftRule]
    unused_baselines: list[BaselineFigure]


def _slug(text: str, words: int = 5) -> str:
    parts = re.findall(r"[a-z0-9]+", fold(text))
    return "-".join(parts[:words]) or "target"


def _title(clause: str) -> str:
    text = " ".join(clause.split()).rstrip(" .;,:")
    return text if len(text) <= _TITLE_MAX else text[: _TITLE_MAX - 1].rstrip() + "…"


def _document_title(plan: Plan) -> str:
    """The plan's name: its first lines, up to the first heading or 'Căn cứ …' sentence."""
    lines = []
    for raw in plan.text.split("\n"):
        line = raw.strip().strip("#*_ ").strip()
        if not line or set(line) <= set("-–—_*"):
            if lines and set(line) and set(line) <= set("-–—_*"):
                break
            continue
        if re.match(r"^(?:Căn cứ|I\s*[.\-])", line) or len(line) > 200:
            break
        lines.append(line)
        if len(lines) == 4:
            break
    return " ".join(lines) or "?"


def known_indicators(shipped: dict[str, dict], learn_from: list[dict]) -> list[Indicator]:
    return catalogue(shipped) + indicators_from(learn_from)


def draft_pack(text: str, seed: str, pack_id: str, shipped: dict[str, dict],
               learn_from: list[dict] | None = None, deadline: int | None = None) -> DraftPack:
    plan = parse_plan(text)
    matcher = Matcher(known_indicators(shipped, learn_from or []), not_measured())
    found = targets(plan)
    if not found:
        raise InputError("authoring.draft.no_targets", path=seed)
    if deadline is None and any(target.deadline is None for target in found):
        raise UsageError("authoring.draft.no_deadline", path=seed)
    rules: list[DraftRule] = []
    used_ids: set[str] = set()
    for target in found:
        match = matcher.match(target.quote, target.counted)
        rules.append(_rule(target, match, used_ids, deadline))
    _mark_indicators(rules)
    unused = _attach_baselines(rules, baselines(plan), matcher)
    return DraftPack(pack_id, plan, seed, _document_title(plan), rules, unused)


def _rule(target: Target, match: Match, used_ids: set[str], deadline: int | None) -> DraftRule:
    indicator = match.indicator
    base = indicator.rule if indicator else _slug(target.counted or target.quote)
    rule_id, number = base, 2
    while rule_id in used_ids:
        rule_id, number = f"{base}-{number}", number + 1
    used_ids.add(rule_id)
    title = _title(target.quote)
    if indicator:
        measurements = copy.deepcopy(indicator.measurements)
    else:
        measurements = [{"kind": "declared", "keys": [title]}]
    rule = DraftRule(rule_id, target, match, title, indicator.title_en if indicator else None, target.op, measurements)
    if target.kind == "coverage":
        rule.notes.append(("authoring.draft.note_coverage", {"words": target.written}))
    elif target.kind == "per-unit":
        rule.notes.append(("authoring.draft.note_per_unit", {"words": target.written,
                                                              "unit": target.counted or "?"}))
    if target.unit == "%" and (target.value > 100 or (target.op == ">" and target.value >= 100)):
        rule.op = ">="
        rule.notes.append(("authoring.draft.note_unreachable", {"words": target.written,
                                                                 "value": f"{target.value:g}"}))
        rule.todo.append(("authoring.draft.todo_unreachable", {"words": target.written}))
    if indicator is None:
        if not match.measurable and match.counted:
            rule.todo.append(("authoring.draft.todo_not_measured", {"counted": match.counted}))
        else:
            rule.todo.append(("authoring.draft.todo_unmatched", {
                "best": match.runner_up.name if match.runner_up else "-", "score": match.runner_up_score}))
    elif match.score < LOW_CONFIDENCE:
        rule.todo.append(("authoring.draft.todo_low", {"score": match.score}))
    return rule


def _mark_indicators(rules: list[DraftRule]) -> None:
    """Rules matched to one indicator share its slug (two thresholds are reported together); the
    same indicator at the same value may be one target stated twice: say so, for a `source.also`."""
    by_indicator: dict[str, list[DraftRule]] = {}
    for rule in rules:
        if rule.match.indicator:
            by_indicator.setdefault(rule.match.indicator.rule, []).append(rule)
    for name, group in by_indicator.items():
        if len(group) < 2:
            continue
        for index, rule in enumerate(group):
            rule.indicator = name
            earlier = next((other for other in group[:index] if other.target.value == rule.target.value
                            and other.op == rule.op), None)
            if earlier:
                rule.same_as = earlier.id


def _attach_baselines(rules: list[DraftRule], figures: list[BaselineFigure], matcher: Matcher) -> list[BaselineFigure]:
    """Each previous-period figure, offered as the baseline of the rule measuring its indicator."""
    unused = []
    for figure in figures:
        counted = words_after(figure.quote[figure.quote.find("%") + 1:]) if "%" in figure.quote else ""
        match = matcher.match(figure.quote, counted)
        # a baseline feeds regression warnings: offered only on a confident match
        confident = match.indicator is not None and match.score >= LOW_CONFIDENCE
        rule = next((rule for rule in rules if confident and rule.match.indicator
                     and rule.match.indicator.rule == match.indicator.rule and rule.baseline is None), None)
        if rule is None:
            unused.append(figure)
        else:
            rule.baseline = figure
    return unused
