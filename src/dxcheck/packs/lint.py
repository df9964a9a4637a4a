"""`dxcheck rules lint`: everything that can be wrong with a pack, each finding at file:line.

Unlike loading, which stops at the first error, lint goes on: every schema error, every duplicate
id, the first error of each rule's measurements, and, on every rule that is well formed, the
checks that loading does not make:

- quotes (`source.quote`, each `source.also` clause, the baseline's quote) that do not appear
  verbatim in the plan's text;
- an operator that contradicts the wording around its figure ("trên 98%" is `>`; "tối thiểu",
  "ít nhất", "từ … trở lên", "đạt", "là" and a bare "98%" are `>=`), for the target (against each
  clause) and for the baseline; a deliberate departure is accepted only when the rule's notes
  write the comparison used (`>= 100`);
- a target or baseline value that its clause does not write, unless the notes state it;
- targets that cannot be met (a share above 100%, or `> 100`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import RulePackError
from ..messages import t
from . import wording
from .loader import _DISCRIMINATOR_TAGS, _compile_rule, _compile_scopes, _rule_id_at, read_yaml, shipped_rules_dir
from .model import Baseline, Pack, Rule, Source, Target

_SPACE = re.compile(r"\s+")


@dataclass
class Finding:
    path: str
    line: int
    column: int
    rule: str | None
    code: str                 # stable identifier, e.g. "operator-wording" (JSON, GitHub title)
    key: str                  # message catalogue key
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}{rule} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self)
        del record["key"], record["params"]
        record["message"] = self.message
        return record


def squash(text: str) -> str:
    """Quotes are compared ignoring line breaks and repeated spaces (and NFC/NFD)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _shorten(text: str, limit: int = 80) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Pack:
    """What the lint-stage checks need: the well-formed rules with their index in the file."""

    path: Path
    positions: Any
    seed: str | None
    rules: list[tuple[int, _Checked]]

    def at(self, *where: Any) -> tuple[int, int]:
        for end in range(len(where), -1, -1):
            position = self.positions.get(tuple(where[:end]))
            if position is not None:
                return position
        return (1, 1)

    def finding(self, where: tuple, rule: str | None, code: str, key: str, **params: Any) -> Finding:
        line, column = self.at(*where)
        return Finding(str(self.path), line, column, rule, code, key, params)


# --- loading, every error instead of the first --------------------------------------------------

def _load_finding(error: RulePackError, path: Path) -> Finding:
    params = error.params
    message = str(error)
    prefix = f"{params.get('path')}:{params.get('line')}:{params.get('column')}: "
    if message.startswith(prefix):
        message = message[len(prefix):]
    rule = params.get("rule")
    return Finding(str(params.get("path", path)), int(params.get("line", 1)), int(params.get("column", 1)),
                   rule if rule not in (None, "-") else None, error.key.split(".")[-1].replace("_", "-"),
                   "lint.load_error", {"problem": message})


def _duplicate_ids(data: dict, path: Path, positions: Any) -> list[Finding]:
    findings = []
    seen: dict[str, int] = {}
    for index, rule in enumerate(data.get("rules") if isinstance(data.get("rules"), list) else []):
        if isinstance(rule, dict) and isinstance(rule.get("id"), str):
            if rule["id"] in seen:
                line, col = positions.get(("rules", index, "id"), positions.get(("rules", index), (1, 1)))
                first_line = positions.get(("rules", seen[rule["id"]], "id"), (1, 1))[0]
                findings.append(_load_finding(RulePackError(
                    "pack.duplicate_id", path=str(path), line=line, column=col, rule=rule["id"],
                    first_line=first_line), path))
            else:
                seen[rule["id"]] = index
    return findings


def _schema_findings(exc: ValidationError, data: dict, path: Path, positions: Any,
                     duplicates: bool) -> list[Finding]:
    findings = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part in _DISCRIMINATOR_TAGS))
        if duplicates and not loc and "duplicate rule id" in error["msg"]:
            continue  # already reported, at the second id
        line, col = (1, 1)
        for end in range(len(loc), -1, -1):
            if loc[:end] in positions:
                line, col = positions[loc[:end]]
                break
        findings.append(_load_finding(RulePackError(
            "pack.schema", path=str(path), line=line, column=col, where=".".join(map(str, loc)) or "(pack)",
            problem=error["msg"], rule=_rule_id_at(data, loc) or "-", more=0), path))
    return findings


def _well_formed_rules(data: dict) -> list[tuple[int, Rule]]:
    rules = []
    for index, item in enumerate(_rule_items(data)):
        try:
            rules.append((index, Rule.model_validate(item)))
        except ValidationError:
            continue  # its errors are reported by the validation of the whole pack
    return rules


def _rule_items(data: dict) -> list:
    return data.get("rules") if isinstance(data.get("rules"), list) else []


@dataclass
class _Checked:
    """The parts of a rule the lint-stage checks read, each None when it is malformed (the schema
    finding names it), so that a rule with a bad deadline still has its quote and operator checked."""

    id: str | None
    source: Source | None
    target: Target | None
    baseline: Baseline | None
    milestones: dict[int, float]
    notes: str | None


def _part(model: type, value: Any) -> Any:
    try:
        return model.model_validate(value) if value is not None else None
    except ValidationError:
        return None


def _checked_rules(data: dict) -> list[tuple[int, _Checked]]:
    checked = []
    for index, item in enumerate(_rule_items(data)):
        if not isinstance(item, dict):
            continue
        milestones = item.get("milestones")
        milestones = milestones if isinstance(milestones, dict) and all(
            isinstance(year, int) and isinstance(value, (int, float)) for year, value in milestones.items()) else {}
        notes = item.get("notes") if isinstance(item.get("notes"), str) else None
        checked.append((index, _Checked(
            id=item["id"] if isinstance(item.get("id"), str) else None, source=_part(Source, item.get("source")),
            target=_part(Target, item.get("target")), baseline=_part(Baseline, item.get("baseline")),
            milestones=milestones, notes=notes)))
    return checked


def _compile_findings(data: dict, rules: list[tuple[int, Rule]], path: Path, positions: Any) -> list[Finding]:
    """Scopes, datasets, fields and expressions: the first error of each rule (and of the scopes)."""
    raw = data.get("scopes")
    if not (isinstance(raw, dict) and all(isinstance(items, dict) and all(isinstance(text, str) for text in items.values())
                                          for items in raw.values())):
        raw = {}  # malformed: the schema finding names it; check the rules against the built-in scopes
    try:
        scopes = _compile_scopes(Pack.model_construct(scopes=raw), path, positions)
    except RulePackError as error:
        return [_load_finding(error, path)]
    findings = []
    memos: dict = {}
    for index, rule in rules:
        try:
            _compile_rule(rule, index, scopes, path, positions, memos)
        except RulePackError as error:
            findings.append(_load_finding(error, path))
    return findings


# --- the checks loading does not make -----------------------------------------------------------

def _source_path(pack_path: Path, seed: str) -> Path | None:
    for base in (pack_path.parent / "sources", shipped_rules_dir() / "sources"):
        candidate = base / seed
        if candidate.is_file():
            return candidate
    return None


def _quote_findings(pack: _Pack) -> list[Finding]:
    if pack.seed is None:
        return []  # the schema finding says the seed is missing
    source_file = _source_path(pack.path, pack.seed)
    if source_file is None:
        return [pack.finding(("plan", "seed"), None, "source-missing", "lint.source_missing", seed=pack.seed)]
    source = squash(source_file.read_text(encoding="utf-8"))
    findings = []
    for index, rule in pack.rules:
        quotes = []
        if rule.source:
            quotes.append((("source", "quote"), rule.source.quote))
            quotes += [(("source", "also", number, "quote"), clause.quote)
                       for number, clause in enumerate(rule.source.also)]
        if rule.baseline:
            quotes.append((("baseline", "quote"), rule.baseline.quote))
        for where, quote in quotes:
            if squash(quote) not in source:
                findings.append(pack.finding(("rules", index, *where), rule.id, "quote-not-found",
                                             "lint.quote_not_found", quote=_shorten(quote), seed=pack.seed))
    return findings


def _number(value: float) -> str:
    return f"{value:g}"


def _wording_findings(pack: _Pack) -> list[Finding]:
    """Each operator against the words around its figure in each clause that states it."""
    findings = []
    for index, rule in pack.rules:
        if rule.target is None:
            continue
        unit = rule.target.unit
        checks = []
        if rule.source:
            checks += [(("source", "quote"), rule.source.quote, ("target", "op"), rule.target.op, rule.target.value)]
            checks += [(("source", "also", number, "quote"), clause.quote, ("target", "op"), rule.target.op,
                        rule.target.value) for number, clause in enumerate(rule.source.also)]
        if rule.baseline:
            checks.append((("baseline", "quote"), rule.baseline.quote, ("baseline", "op"), rule.baseline.op,
                           rule.baseline.value))
        for quote_at, quote, op_at, op, value in checks:
            matching = [figure for figure in wording.figures(quote, unit) if wording.same_value(figure.value, value)]
            shown = _number(value) + ("%" if unit == "%" else "")
            if not matching:
                if not wording.states_value(rule.notes, value, unit):
                    findings.append(pack.finding(("rules", index, *quote_at), rule.id, "value-not-in-quote",
                                                 "lint.value_not_in_quote", value=shown, quote=_shorten(quote)))
                continue
            wrong = next((figure for figure in matching if figure.op != op), None)
            if wrong and not wording.states_comparison(rule.notes, op, value):
                findings.append(pack.finding(("rules", index, *op_at), rule.id, "operator-wording",
                                             "lint.operator_wording", op=op, expected=wrong.op,
                                             wording=wrong.phrase, value=_number(value)))
    return findings


def _target_findings(pack: _Pack) -> list[Finding]:
    findings = []
    for index, rule in pack.rules:
        if rule.target is None or rule.target.unit != "%":
            continue
        checks = [(("target", "value"), rule.target.value)]
        checks += [(("milestones", year), value) for year, value in rule.milestones.items()]
        for where, value in checks:
            if value > 100 or (rule.target.op == ">" and value >= 100):
                findings.append(pack.finding(("rules", index, *where), rule.id, "unreachable-target",
                                             "lint.unreachable_target", op=rule.target.op, value=value))
    return findings


def lint_file(path: str | Path) -> list[Finding]:
    """Every finding of one pack file, in file order. A missing file raises RulePackError."""
    path = Path(path)
    try:
        data, positions = read_yaml(path)
    except RulePackError as error:
        if error.key == "pack.missing":
            raise
        return [_load_finding(error, path)]
    if not isinstance(data, dict):
        return [_load_finding(RulePackError("pack.not_mapping", path=str(path)), path)]
    findings = _duplicate_ids(data, path, positions)
    rules = _well_formed_rules(data)
    try:
        Pack.model_validate(data)
    except ValidationError as exc:
        findings += _schema_findings(exc, data, path, positions, duplicates=bool(findings))
    findings += _compile_findings(data, rules, path, positions)
    plan = data.get("plan")
    seed = plan.get("seed") if isinstance(plan, dict) and isinstance(plan.get("seed"), str) else None
    pack = _Pack(path=path, positions=positions, seed=seed, rules=_checked_rules(data))
    findings += _target_findings(pack) + _wording_findings(pack) + _quote_findings(pack)
    return sorted(findings, key=lambda finding: (finding.line, finding.column))


def lint_targets(items: list[str] | None) -> list[Path]:
    """The pack files named by `items`: files, folders of packs, or shipped pack ids; every shipped
    pack without any. Names that are none of these are reported together (UsageError, exit 2)."""
    from ..errors import UsageError
    from .loader import pack_files
    from .model import is_slug

    shipped = {file.stem: file for file in pack_files(None)}
    resolved: list[str | Path] = []
    unknown: list[str] = []
    for item in items or []:
        path = Path(item)
        if path.exists():
            resolved.append(path)
        elif is_slug(item) and item in shipped:
            resolved.append(shipped[item])
        else:
            unknown.append(item)
    if unknown:
        raise UsageError("lint.unknown_target", values=", ".join(unknown), choices=", ".join(sorted(shipped)))
    return pack_files(resolved or None)
