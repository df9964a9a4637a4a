"""Which known indicator a draft target measures, by the words of its clause.

The known indicators are the built-in catalogue (`indicators.yaml`: what dxcheck can measure,
REFERENCE §4, in a plan's words) and the rules of any pack we are told to learn from (`--from`:
their Vietnamese titles, quotes and declared keys). Scoring is TF-IDF cosine over folded word unigrams and bigrams, with figures and
the most common function words left out: small, transparent, and the same on every machine. A
target whose best score is under `THRESHOLD` is left unmatched (a `declared` rule marked TODO):
never a guess.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..textnorm import fold

#: below this cosine a target is left unmatched
THRESHOLD = 0.30
# Words that say nothing of what is measured (their weight would only add noise).
_STOP = set("""
    cua va cac duoc la co cho trong tren voi theo ve de dat tu den the nhung mot hoac khi tai da
    ty le toi thieu it nhat tro len phan dau dam bao bao dam thuc hien quy dinh so xa
""".split())
_WORD = re.compile(r"[a-z]+")


def tokens(text: str) -> list[str]:
    words = [word for word in _WORD.findall(fold(text)) if word not in _STOP and len(word) > 1]
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


@dataclass
class Indicator:
    pack: str
    rule: str
    title_vi: str
    title_en: str
    measurements: list[dict[str, Any]]
    text: str                                  # what it is known by
    counts: tuple[str, ...] = ()               # what its figure counts (catalogue only), folded
    vector: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.pack}/{self.rule}"

    @property
    def declared_only(self) -> bool:
        return all(item.get("kind") == "declared" for item in self.measurements)


@dataclass
class Match:
    indicator: Indicator | None
    score: float
    runner_up: Indicator | None
    runner_up_score: float
    counted: str | None = None                 # the thing counted, when it decided the candidates
    measurable: bool = True                    # False: it counts a thing no export holds


def _words(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


def indicators_from(packs: list[dict[str, Any]]) -> list[Indicator]:
    """One indicator per rule of each pack (raw YAML data, so measurements copy as written)."""
    known = []
    for pack in packs:
        for rule in pack.get("rules") or []:
            source = rule.get("source") or {}
            parts = [rule.get("title", {}).get("vi", ""), source.get("quote", "")]
            parts += [clause.get("quote", "") for clause in source.get("also") or []]
            for item in rule.get("measurements") or []:
                parts += item.get("keys") or []
            known.append(Indicator(pack.get("id", "?"), rule["id"], rule.get("title", {}).get("vi", ""),
                                   rule.get("title", {}).get("en", ""), list(rule.get("measurements") or []),
                                   " ".join(parts)))
    return known


def catalogue(shipped: dict[str, dict[str, Any]]) -> list[Indicator]:
    """The built-in indicators, each with the measurements of the shipped rule it names.

    `shipped` maps a pack id to its raw data (packs.loader.read_yaml)."""
    from importlib import resources

    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(resources.files(__package__).joinpath("indicators.yaml").read_text(encoding="utf-8"))
    known = []
    for entry in data["indicators"]:
        pack_id, rule_id = entry["measure"].split("/")
        rule = next(rule for rule in shipped[pack_id]["rules"] if rule["id"] == rule_id)
        known.append(Indicator("dxcheck", entry["id"], entry["title"]["vi"], entry["title"]["en"],
                               list(rule["measurements"]), " ".join([entry["title"]["vi"], *entry["words"]]),
                               tuple(_words(name) for name in entry["counts"])))
    return known


def not_measured() -> tuple[str, ...]:
    """Things a plan's figure may count that no export holds (population, businesses, …)."""
    from importlib import resources

    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(resources.files(__package__).joinpath("indicators.yaml").read_text(encoding="utf-8"))
    return tuple(_words(name) for name in data["not_measured"])


class Matcher:
    def __init__(self, known: list[Indicator], unmeasured: tuple[str, ...] = ()) -> None:
        self.known = known
        self.unmeasured = unmeasured
        documents = [Counter(tokens(indicator.text)) for indicator in known]
        frequency = Counter(term for document in documents for term in document)
        total = max(len(documents), 1)
        self.idf = {term: math.log((1 + total) / (1 + count)) + 1 for term, count in frequency.items()}
        for indicator, document in zip(known, documents):
            indicator.vector = self._vector(document)

    def _vector(self, counts: Counter) -> dict[str, float]:
        vector = {term: (1 + math.log(count)) * self.idf.get(term, 0.0) for term, count in counts.items()}
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {term: value / norm for term, value in vector.items() if value}

    def _subject(self, counted: str) -> tuple[str | None, bool]:
        """The longest known name of a counted thing that `counted` starts with, and whether an
        indicator counts it."""
        names = [(name, True) for indicator in self.known for name in indicator.counts]
        names += [(name, False) for name in self.unmeasured]
        hits = [(name, measured) for name, measured in names if counted == name or counted.startswith(name + " ")]
        if not hits:
            return None, True
        longest = max(len(name) for name, _ in hits)
        return next(name for name, _ in hits if len(name) == longest), any(
            measured for name, measured in hits if len(name) == longest)

    def match(self, clause: str, counted: str = "") -> Match:
        subject, measurable = self._subject(counted) if counted else (None, True)
        allowed = [index for index, indicator in enumerate(self.known)
                   if subject is None or not indicator.counts or subject in indicator.counts]
        query = self._vector(Counter(tokens(clause)))
        scored = sorted(((sum(weight * self.known[index].vector.get(term, 0.0) for term, weight in query.items()), index)
                         for index in allowed), reverse=True)
        best = scored[0] if scored else (0.0, -1)
        best_indicator = self.known[best[1]] if scored else None
        runner = next(((score, index) for score, index in scored[1:]
                       if best_indicator is None or self.known[index].rule != best_indicator.rule), (0.0, -1))
        runner_indicator = self.known[runner[1]] if runner[1] >= 0 else None
        if best[0] < THRESHOLD:
            return Match(None, round(best[0], 2), best_indicator, round(best[0], 2), subject, measurable)
        return Match(best_indicator, round(best[0], 2), runner_indicator, round(runner[0], 2), subject, measurable)
