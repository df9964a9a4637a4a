"""`rules draft --check PACK PLAN`: does a pack cite every target of its plan, and is every quote
of the pack in the plan?

A plan's target counts as cited when a clause of the pack (its quote or a `source.also` clause)
and the target's clause overlap: one holds the other, after NFC and white-space folding and
without the trailing punctuation (a pack may quote a whole sentence holding two targets, or one
part of a sentence the drafter did not split).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..packs.lint import squash
from .sentences import parse_plan
from .targets import Target, targets


def comparable(text: str) -> str:
    """A quote as compared: NFC, single spaces, no trailing punctuation."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().rstrip(" .;,:")


@dataclass
class CheckResult:
    targets: int
    missing: list[Target]                       # targets of the plan no clause of the pack cites
    absent: list[tuple[str, str]]               # (rule id, quote) not in the plan


def pack_clauses(pack: dict) -> list[tuple[str, str]]:
    """(rule id, quote) of every clause a pack cites: sources, `also` clauses, baselines."""
    clauses = []
    for rule in pack.get("rules") or []:
        source = rule.get("source") or {}
        if source.get("quote"):
            clauses.append((rule.get("id", "?"), source["quote"]))
        clauses += [(rule.get("id", "?"), clause["quote"]) for clause in source.get("also") or [] if clause.get("quote")]
        if (rule.get("baseline") or {}).get("quote"):
            clauses.append((rule.get("id", "?"), rule["baseline"]["quote"]))
    return clauses


def check(pack: dict, plan_text: str) -> CheckResult:
    found = targets(parse_plan(plan_text))
    cited = [comparable(quote) for _, quote in pack_clauses(pack)]
    missing = [target for target in found
               if not any(quote and (quote in comparable(target.quote) or comparable(target.quote) in quote)
                          for quote in cited)]
    text = squash(plan_text)
    absent = [(rule, quote) for rule, quote in pack_clauses(pack) if squash(quote) not in text]
    return CheckResult(len(found), missing, absent)
