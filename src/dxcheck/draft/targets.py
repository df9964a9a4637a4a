"""The targets a plan states, one per figure, each with the clause that states it.

A target is a share ("98%", "trên 70%"), a per-unit count ("Mỗi ấp có 01 tổ …": every unit,
100%), or, in an objectives section, a complete-coverage wording without a figure ("Hoàn thành
việc …", "toàn bộ", "đầy đủ": 100%). Figures of a section reporting the previous period
("Thực trạng", "Kết quả giai đoạn trước") are baselines, not targets. Document references
(Nghị định số …, dates, "giai đoạn 2025-2030") are masked before any figure is read. The operator
comes from `packs.wording`, the table `rules lint` checks against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..packs import wording
from ..textnorm import fold
from .sentences import Plan, Section, Sentence

# Section kinds, decided by the innermost heading that names one.
_KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("general", ("muc tieu chung",)),
    ("baseline", ("thuc trang", "ket qua giai doan truoc", "ket qua nhiem ky", "ket qua thuc hien",
                  "danh gia ket qua", "ton tai", "han che")),
    ("objectives", ("chi tieu", "muc tieu")),
]
# Words that state complete coverage without a figure (objectives sections only: elsewhere
# "quán triệt đầy đủ" or "toàn bộ hoạt động" describe work, not a target).
_COVERAGE = ("hoan thanh", "toan bo", "day du", "tat ca")
# Spans that hold numbers but are never targets: document numbers, dates, year ranges.
_REFERENCES = re.compile(
    r"(?:(?:Nghị định|Nghị quyết|Quyết định|Thông tư|Chỉ thị|Kế hoạch(?: hành động)?|Chương trình(?: hành động)?|"
    r"Văn bản|Công văn|Kết luận|Luật|Hướng dẫn|Thông báo)\s+(?:số\s+)?[\w./\-]*\d[\w./\-]*)"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"
    r"|\b\d{4}\s*[-–]\s*\d{4}\b|\bnăm\s+\d{4}\b",
    re.IGNORECASE)
_PERCENT = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*\s*%")
# "Mỗi ấp có 01 tổ …", "có ít nhất 01 điểm …" in a sentence that opens with "Mỗi …".
_PER_UNIT = re.compile(r"\bcó\s+(?:ít nhất\s+|tối thiểu\s+)?(0?\d{1,2})\s+(?!%)(?=\w)", re.IGNORECASE)
_EACH = re.compile(r"(?:^|\s)mỗi\s+\w+", re.IGNORECASE)
# A sentence stating what the plan is based on ("Căn cứ …") never states a target.
_BASIS = re.compile(r"^(?:Căn cứ|Thực hiện (?:Nghị quyết|Chỉ thị|Quyết định|Kế hoạch|Chương trình))", re.IGNORECASE)
# Words left at the end of a clause when a sentence is split before its next target.
_CONNECTIVES = ("trong số đó", "trong đó", "đồng thời", "qua đó", "theo đó", "và")
_ASSURES = re.compile(r"\b(?:đảm bảo|bảo đảm)\s+(?=\S*\d)", re.IGNORECASE)
_DEADLINE = re.compile(r"đến\s+năm\s+(20\d\d)", re.IGNORECASE)
_PREVIOUS_PERIOD = re.compile(r"(?:giai đoạn|nhiệm kỳ)\s+(20\d\d\s*[-–]\s*20\d\d)", re.IGNORECASE)


@dataclass
class Target:
    quote: str            # the clause, verbatim
    sentence: Sentence
    op: str
    value: float
    unit: str             # "%" (per-unit and coverage targets are 100% of the units)
    written: str          # the words that state it ("trên 98%", "có 01", "hoàn thành")
    kind: str             # "figure", "per-unit" or "coverage"
    deadline: int | None
    counted: str = ""     # folded words naming what the figure counts ("ho so thu tuc …"), if any

    @property
    def section(self) -> str:
        return self.sentence.section.number


@dataclass
class BaselineFigure:
    quote: str
    sentence: Sentence
    op: str
    value: float
    period: str


def section_kind(section: Section) -> str:
    for title in reversed(section.titles):
        folded = fold(title)
        for kind, words in _KINDS:
            if any(word in folded for word in words):
                return kind
    return "other"


def mask_references(text: str) -> str:
    """`text` with document references, dates and year ranges blanked (same length)."""
    return _REFERENCES.sub(lambda match: " " * len(match.group(0)), text)


def _figure_spans(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each target figure in the sentence, in order."""
    masked = mask_references(sentence)
    spans = [(match.start(), match.end(), "figure") for match in _PERCENT.finditer(masked)]
    if _EACH.search(masked):
        spans += [(match.start(1), match.end(1), "per-unit") for match in _PER_UNIT.finditer(masked)]
    return sorted(spans)


def _split_point(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where to cut between two targets: the last ';', else the last ',', else the last ' và '."""
    between = text[start:end]
    for separator in (";", ",", " và "):
        at = between.rfind(separator)
        if at >= 0:
            return start + at, start + at + len(separator)
    return None


def _trim_tail(clause: str) -> str:
    clause = clause.rstrip(" ,;:")
    changed = True
    while changed:
        changed = False
        for word in _CONNECTIVES:
            if fold(clause).endswith(" " + fold(word)) or fold(clause).endswith("," + fold(word)):
                clause = clause[: len(clause) - len(word)].rstrip(" ,;:")
                changed = True
    return clause


def _clauses(sentence: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, int]]:
    """One clause per figure (its text and the figure's offset in it)."""
    if len(spans) == 1:
        return [(sentence, spans[0][0])]
    cuts = [0]
    ends = []
    for (_, end, _kind), (next_start, _, _) in zip(spans, spans[1:]):
        point = _split_point(sentence, end, next_start)
        if point is None:
            return [(sentence, span[0]) for span in spans]  # no separator: the sentence for each
        ends.append(point[0])
        cuts.append(point[1])
    ends.append(len(sentence))
    clauses = []
    for number, (start, end) in enumerate(zip(cuts, ends)):
        piece = sentence[start:end]
        lead = len(piece) - len(piece.lstrip())
        piece, start = piece.strip(), start + lead
        offset = spans[number][0] - start
        assures = _ASSURES.search(piece)
        if assures and assures.start() < offset and number == 0:
            piece, offset = piece[assures.start():], offset - assures.start()
        if number < len(spans) - 1:
            piece = _trim_tail(piece)
        clauses.append((piece, offset))
    return clauses


_LEADING = ("cac ", "nhung ", "deu ")
_RATE = re.compile(r"^(?:ty le|muc do)\s+")


def words_after(text: str, limit: int = 8) -> str:
    """The first words of `text`, folded, punctuation dropped ("các thôn" -> "thon")."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    joined = " ".join(words[:limit])
    for lead in _LEADING:
        if joined.startswith(lead):
            joined = joined[len(lead):]
    return joined


def _counted(clause: str, offset: int, end: int, kind: str, sentence: str) -> str:
    """What the figure counts: the words after it ("98% hồ sơ"), after "Mỗi" for a per-unit
    target, or after "Tỷ lệ" when the clause opens with it."""
    if kind == "per-unit":
        each = _EACH.search(sentence)
        return words_after(each.group(0).split(None, 1)[1]) if each else ""
    after = words_after(clause[end:])
    folded = fold(clause)
    if _RATE.match(folded) and (not after or after.startswith(("dat", "la "))):
        return words_after(_RATE.sub("", folded))
    return after if after else ""


def _deadline(sentence: Sentence, plan: Plan) -> int | None:
    for text in (sentence.text, sentence.block, *reversed(sentence.section.titles)):
        match = _DEADLINE.search(text)
        if match:
            return int(match.group(1))
    return plan.period[1] if plan.period else None


def _figure_op(clause: str, value: float) -> tuple[str, str]:
    for figure in wording.figures(clause, "%"):
        if wording.same_value(figure.value, value):
            return figure.op, figure.phrase
    return wording.AT_LEAST, f"{value:g}%"


def targets(plan: Plan) -> list[Target]:
    found: list[Target] = []
    for sentence in plan.sentences:
        kind = section_kind(sentence.section)
        if kind == "baseline" or _BASIS.match(sentence.text):
            continue
        spans = _figure_spans(sentence.text)
        deadline = _deadline(sentence, plan)
        if spans:
            for (clause, offset), (start, end, figure_kind) in zip(_clauses(sentence.text, spans), spans):
                written = sentence.text[start:end]
                counted = _counted(clause, offset, offset + end - start, figure_kind, sentence.text)
                if figure_kind == "per-unit":
                    found.append(Target(clause, sentence, ">=", 100.0, "%", written, "per-unit", deadline, counted))
                    continue
                value = wording.parse_number(written.rstrip(" %"), percent=True)
                if value is None:
                    continue
                op, phrase = _figure_op(clause, value)
                found.append(Target(clause, sentence, op, value, "%", phrase, "figure", deadline, counted))
        elif kind == "objectives":
            folded = fold(sentence.text)
            words = [word for word in _COVERAGE if re.search(r"(?:^|\W)" + word + r"(?:\W|$)", folded)]
            if words:
                found.append(Target(sentence.text, sentence, ">=", 100.0, "%", words[0], "coverage", deadline))
    return found


def baselines(plan: Plan) -> list[BaselineFigure]:
    """Figures of the sections reporting the previous period, one per figure, like targets."""
    found: list[BaselineFigure] = []
    for sentence in plan.sentences:
        if section_kind(sentence.section) != "baseline":
            continue
        spans = [span for span in _figure_spans(sentence.text) if span[2] == "figure"]
        if not spans:
            continue
        period = _previous_period(sentence, plan)
        for (clause, offset), (start, end, _kind) in zip(_clauses(sentence.text, spans), spans):
            value = wording.parse_number(sentence.text[start:end].rstrip(" %"), percent=True)
            if value is not None:
                clause = _own_part(clause, offset)
                op, _phrase = _figure_op(clause, value)
                found.append(BaselineFigure(clause, sentence, op, value, period))
    return found


def _own_part(clause: str, offset: int) -> str:
    """The part of a results sentence, between semicolons, that holds the figure at `offset`:
    "… 106 tài khoản; Đã cấp chữ ký số cho 100% cán bộ lãnh đạo" is about signatures only."""
    start = clause.rfind(";", 0, offset) + 1
    end = clause.find(";", offset)
    return clause[start: end if end >= 0 else len(clause)].strip()


def _previous_period(sentence: Sentence, plan: Plan) -> str:
    """The period a baseline section reports: the first 'giai đoạn / nhiệm kỳ YYYY-YYYY' before
    the plan's own period in the section's text, else the one ending where the plan starts."""
    own = plan.period
    for match in _PREVIOUS_PERIOD.finditer(plan.text):
        years = re.findall(r"20\d\d", match.group(1))
        if own and int(years[1]) <= own[0]:
            return f"{years[0]}-{years[1]}"
    return f"trước {own[0]}" if own else "giai đoạn trước"
