"""Which comparison a plan's wording states around a figure ("trên 98%" is `>`, "tối thiểu 98%" `>=`).

The text is folded (no diacritics, lower case, NFC or NFD alike) character by character, keeping a
map back to the original, so that a finding can quote the plan's own words. Figures are read with
a decimal comma ("97,29 %") or point.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# Words just before the figure that make the comparison something other than "at least", longest
# first so that "không vượt quá" is not read as "vượt quá" nor "ít hơn" as "hơn".
_BEFORE: list[tuple[str, str]] = [
    ("khong vuot qua", "<="), ("khong qua", "<="), ("khong hon", "<="), ("toi da", "<="),
    ("it hon", "<"), ("thap hon", "<"), ("duoi", "<"),
    ("nhieu hon", ">"), ("cao hon", ">"), ("vuot qua", ">"), ("vuot", ">"), ("hon", ">"), ("tren", ">"),
]
# Words just after it ("từ 99% trở lên", "10% trở xuống").
_AFTER: list[tuple[str, str]] = [("tro len", ">="), ("tro xuong", "<=")]
#: what every other wording means: "tối thiểu", "ít nhất", "đạt", "là", a bare "X%"
AT_LEAST = ">="

_BEFORE_RE = [(re.compile(r"(?:^|\W)" + words.replace(" ", r"\s+") + r"\s*$"), op) for words, op in _BEFORE]
_AFTER_RE = [(re.compile(r"^\s*" + words.replace(" ", r"\s+") + r"(?:\W|$)"), op) for words, op in _AFTER]
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(\s*%)?")
# Words that say "at least" before a figure, only to quote them in a finding.
_AT_LEAST_WORDS = ["dat toi thieu", "dat it nhat", "toi thieu", "it nhat", "dat tu", "dat", "tu", "la"]
_AT_LEAST_RE = [re.compile(r"(?:^|\W)" + words.replace(" ", r"\s+") + r"\s*$") for words in _AT_LEAST_WORDS]
_STATED_OP = re.compile(r"(?<![<>=!])(>=|<=|==|>|<)\s*(\d+(?:[.,]\d+)*)")


@dataclass(frozen=True)
class Figure:
    value: float
    op: str        # the comparison its wording states
    phrase: str    # the plan's words around it, as written


def _fold_mapped(text: str) -> tuple[str, list[int]]:
    """`text` folded, and for each folded character the index of the original one it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFD", char)
        kept = "".join(part for part in decomposed if unicodedata.category(part) != "Mn")
        kept = kept.replace("đ", "d").replace("Đ", "D").lower()
        folded.append(kept)
        origin.extend([index] * len(kept))
    return "".join(folded), origin


def parse_number(text: str, percent: bool) -> float | None:
    """'97,29' and '97.29' are 97.29; '1.000' (not a share) is a thousand; '01' is 1."""
    if "," in text:
        text = text.replace(".", "").replace(",", ".", 1)
        if "," in text:
            return None
    elif not percent and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


def figures(quote: str, unit: str) -> list[Figure]:
    """Every figure of `quote` in `unit` ('%': a number followed by %; otherwise a number without
    one), with the comparison its wording states."""
    text = unicodedata.normalize("NFC", quote)
    folded, origin = _fold_mapped(text)
    found = []
    for match in _NUMBER.finditer(folded):
        percent = bool(match.group(2))
        if percent != (unit == "%"):
            continue
        value = parse_number(match.group(1), percent)
        if value is None:
            continue
        before, after = folded[: match.start()], folded[match.end():]
        op, start, end = AT_LEAST, match.start(), match.end()
        for pattern, candidate in _BEFORE_RE:
            hit = pattern.search(before)
            if hit:
                op, start = candidate, hit.start() + (0 if hit.group(0)[:1].isalnum() else 1)
                break
        else:
            # no marker: show the "at least" words before the figure, if any ("tối thiểu 98%")
            for pattern in _AT_LEAST_RE:
                hit = pattern.search(before)
                if hit:
                    start = hit.start() + (0 if hit.group(0)[:1].isalnum() else 1)
                    break
            for pattern, candidate in _AFTER_RE:
                hit = pattern.match(after)
                if hit:
                    op, end = candidate, match.end() + len(hit.group(0).rstrip(" ,.;:)"))
                    break
        phrase = text[origin[start]: origin[end - 1] + 1] if end > start else match.group(0)
        found.append(Figure(value=value, op=op, phrase=" ".join(phrase.split())))
    return found


def states_value(notes: str | None, value: float, unit: str) -> bool:
    """Do the notes state `value` (in `unit`), as a note explaining a figure the clause does not
    write ("được hiểu là 100%") does?"""
    return any(same_value(figure.value, value) for figure in figures(notes or "", unit))


def states_comparison(notes: str | None, op: str, value: float) -> bool:
    """Do the notes write the comparison itself ("được chép là >= 100"), as a note explaining a
    deliberate departure from the wording must?"""
    for match in _STATED_OP.finditer(unicodedata.normalize("NFC", notes or "")):
        number = parse_number(match.group(2), percent=True)
        if match.group(1) == op and number is not None and same_value(number, value):
            return True
    return False
