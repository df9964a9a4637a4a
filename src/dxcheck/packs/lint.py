"""`dxcheck rules lint`: everything that can be wrong with a pack, each finding at file:line.

Loading already checks the schema, unique ids, datasets, fields, value codes and expressions
(the first such error stops loading and becomes a finding). On a pack that loads, lint adds:
quotes (and baseline quotes) that do not appear verbatim in the plan's text, and targets that
cannot be met (a share above 100%, or `> 100`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RulePackError
from ..messages import t
from .loader import LoadedPack, load_pack, shipped_rules_dir

_SPACE = re.compile(r"\s+")


@dataclass
class Finding:
    path: str
    line: int
    column: int
    rule: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return t(self.code, **self.params)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}{rule} {self.message}"


def squash(text: str) -> str:
    """Quotes are compared ignoring line breaks and repeated spaces (and NFC/NFD)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _source_path(pack: LoadedPack) -> Path | None:
    for base in (pack.path.parent / "sources", shipped_rules_dir() / "sources"):
        candidate = base / pack.pack.plan.seed
        if candidate.is_file():
            return candidate
    return None


def _quote_findings(pack: LoadedPack) -> list[Finding]:
    source_file = _source_path(pack)
    if source_file is None:
        line, col = pack.position("plan", "seed")
        return [Finding(str(pack.path), line, col, None, "lint.source_missing", {"seed": pack.pack.plan.seed})]
    source = squash(source_file.read_text(encoding="utf-8"))
    findings = []
    for index, rule in enumerate(pack.pack.rules):
        quotes = [(("source", "quote"), rule.source.quote)]
        quotes += [(("source", "also", number, "quote"), clause.quote) for number, clause in enumerate(rule.source.also)]
        if rule.baseline:
            quotes.append((("baseline", "quote"), rule.baseline.quote))
        for where, quote in quotes:
            if squash(quote) not in source:
                line, col = pack.position("rules", index, *where)
                findings.append(Finding(str(pack.path), line, col, rule.id, "lint.quote_not_found",
                                        {"quote": _shorten(quote), "seed": pack.pack.plan.seed}))
    return findings


def _shorten(text: str, limit: int = 80) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _target_findings(pack: LoadedPack) -> list[Finding]:
    findings = []
    for index, rule in enumerate(pack.pack.rules):
        if rule.target.unit != "%":
            continue
        checks = [("target", rule.target.value)] + [(f"milestones.{year}", value) for year, value in rule.milestones.items()]
        for where, value in checks:
            if value > 100 or (rule.target.op == ">" and value >= 100):
                path = ("rules", index, *where.split(".")) if where != "target" else ("rules", index, "target", "value")
                line, col = pack.position(*[int(part) if str(part).isdigit() else part for part in path])
                findings.append(Finding(str(pack.path), line, col, rule.id, "lint.unreachable_target",
                                        {"op": rule.target.op, "value": value}))
    return findings


def lint_file(path: str | Path) -> list[Finding]:
    path = Path(path)
    try:
        pack = load_pack(path)
    except RulePackError as error:
        if error.key in ("pack.missing",):
            raise
        params = error.params
        return [Finding(str(params.get("path", path)), int(params.get("line", 1)), int(params.get("column", 1)),
                        params.get("rule") if params.get("rule") not in (None, "-") else None,
                        "lint.load_error", {"problem": _strip_location(str(error), params)})]
    return _target_findings(pack) + _quote_findings(pack)


def _strip_location(message: str, params: dict) -> str:
    prefix = f"{params.get('path')}:{params.get('line')}:{params.get('column')}: "
    return message[len(prefix):] if message.startswith(prefix) else message
