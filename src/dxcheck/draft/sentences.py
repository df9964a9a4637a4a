"""A plan's text as numbered sections and sentences.

Plans come as Markdown-ish exports ("## **2. Mục tiêu …**", "### *a. …*") or as hard-wrapped
text with a blank line after every printed line; a blank line is therefore no paragraph break.
A new block starts at a heading, a bullet, or a capitalised line after one that ended a sentence;
any other line continues the one before it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..textnorm import fold

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
# "II-", "III.", "2.", "2.2.1.", "a." / "a)" ; Markdown marks (#, *, _) are stripped first.
_HEADING = re.compile(
    r"^(?:(?P<roman>(?=[IVX])" + _ROMAN + r")\s*[.\-–]|(?P<arabic>\d{1,2}(?:\.\d{1,2})*)\s*[.\-–)]|(?P<letter>[a-zđ])\s*[.)])\s+(?P<title>\S.*)$")
_MARKDOWN = re.compile(r"^\s*#{1,6}\s*")
_DECORATION = " \t*_"
_BULLET = re.compile(r"^\s*[-+•–]\s+")
_SENTENCE_END = re.compile(r"[.!?:;…]\s*$")
#: a heading line is short; a longer numbered line is a numbered paragraph ("1. Căn cứ …")
HEADING_MAX = 110
# A sentence ends at ". " before a capital letter, a digit, a bullet or a quote mark; never inside
# "1.1." or "99,95 %" (no space follows) nor after an abbreviation like "TP." (listed).
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])")
_ABBREVIATIONS = ("TP.", "Tp.", "ThS.", "TS.", "PGS.", "GS.", "Đ/c.", "đ/c.")


@dataclass
class Section:
    number: str                       # as the pack writes it: "II.2.a", "III.2.1"
    titles: list[str]                 # this heading and its ancestors', outermost first

    @property
    def folded(self) -> str:
        return " / ".join(fold(title) for title in self.titles)


@dataclass
class Sentence:
    text: str                         # verbatim (NFC, line breaks joined by one space)
    section: Section
    block: str                        # the whole paragraph or bullet it stands in
    index: int                        # order in the plan


@dataclass
class Plan:
    text: str                         # NFC
    sentences: list[Sentence] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    period: tuple[int, int] | None = None


def _roman_value(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        total += -value if index + 1 < len(text) and values[text[index + 1]] > value else value
    return total


def _strip_marks(line: str) -> tuple[str, bool]:
    markdown = bool(_MARKDOWN.match(line))
    return _MARKDOWN.sub("", line).strip().strip(_DECORATION).strip(), markdown


class _Numbering:
    """Section numbers as a pack writes them: Roman part, arabic path, letter."""

    def __init__(self) -> None:
        self.roman: str | None = None
        self.arabic: list[str] = []
        self.letter: str | None = None
        self.titles: dict[str, str] = {}

    def enter(self, match: re.Match) -> Section:
        title = match.group("title").strip().strip(_DECORATION).strip()
        if match.group("roman"):
            self.roman, self.arabic, self.letter = match.group("roman"), [], None
            self.titles = {"roman": title}
        elif match.group("arabic"):
            self.arabic, self.letter = match.group("arabic").split("."), None
            depth = len(self.arabic)
            self.titles = {key: value for key, value in self.titles.items()
                           if key == "roman" or (key.startswith("a") and int(key[1:]) < depth)}
            self.titles[f"a{depth}"] = title
        else:
            self.letter = match.group("letter")
            self.titles = {key: value for key, value in self.titles.items() if key != "letter"}
            self.titles["letter"] = title
        return self.section()

    def section(self) -> Section:
        parts = ([self.roman] if self.roman else []) + self.arabic + ([self.letter] if self.letter else [])
        order = sorted(self.titles, key=lambda key: (key != "roman", key == "letter", key))
        return Section(".".join(parts), [self.titles[key] for key in order])


def _is_heading(line: str, markdown: bool, next_line: str | None) -> re.Match | None:
    match = _HEADING.match(line)
    if not match:
        return None
    if markdown:
        return match
    if len(line) > HEADING_MAX or line.endswith((",", ";")):
        return None
    if next_line and next_line[:1].islower():
        return None  # the numbered line's sentence goes on: a numbered paragraph
    return match


def split_sentences(block: str) -> list[str]:
    pieces = _SPLIT.split(block)
    merged: list[str] = []
    for piece in pieces:
        if merged and merged[-1].endswith(_ABBREVIATIONS):
            merged[-1] += " " + piece
        else:
            merged.append(piece)
    return [piece.strip() for piece in merged if piece.strip()]


def _period(text: str) -> tuple[int, int] | None:
    """The plan's period: the most frequent 'YYYY-YYYY' (a later second year) in its text."""
    counts: dict[tuple[int, int], int] = {}
    for first, second in re.findall(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b", text):
        if int(second) > int(first):
            key = (int(first), int(second))
            counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda key: (counts[key], key[1])) if counts else None


def parse_plan(text: str) -> Plan:
    """Sections and sentences of a plan's text (NFC or NFD)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [stripped for stripped in (line.strip() for line in text.split("\n")) if stripped]
    plan = Plan(text=text, period=_period(text))
    numbering = _Numbering()
    section = Section("", [])
    blocks: list[tuple[str, Section]] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append((" ".join(current), section))
            current.clear()

    for index, raw in enumerate(lines):
        line, markdown = _strip_marks(raw)
        if not line:
            continue
        following = _strip_marks(lines[index + 1])[0] if index + 1 < len(lines) else None
        heading = _is_heading(line, markdown, following)
        if heading:
            close()
            section = numbering.enter(heading)
            plan.sections.append(section)
            continue
        if markdown:
            close()  # an unnumbered heading ("Nơi nhận:") ends the block, keeps the section
            blocks.append((line, section))
            continue
        starts_block = bool(_BULLET.match(line)) or not current or (
            _SENTENCE_END.search(current[-1]) is not None and not line[:1].islower())
        if starts_block:
            close()
            line = _BULLET.sub("", line)
        current.append(line)
    close()
    for block, where in blocks:
        for sentence in split_sentences(block):
            plan.sentences.append(Sentence(sentence, where, block, len(plan.sentences)))
    return plan
