"""Row accounting: which rows below the header are records, and why the others are left out.

Reasons (REFERENCE §3 and issue #3; the names are part of the JSON output):
`blank`, `repeated_header`, `column_numbers`, `total`, `group`, `signature`, `footer`; and, given
once the records are read, `duplicate` (copies of a record id counted once: `duplicates.py`).
Every test runs on whole columns; only the handful of candidate rows (the last rows of the
sheet, rows that look like group labels) is looked at one by one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..datasets import DatasetSpec
from ..parallel import THREADED_ROWS, threaded_map
from ..textnorm import fold
from .formats import RawSheet
from .headers import HeaderChoice
from .text import STR, as_text, fold_series, is_str, regex_mask, regex_masks, shown

REASONS = ("column_numbers", "blank", "group", "total", "signature", "repeated_header", "footer", "duplicate")
DATA = -1
BLANK, REPEATED, NUMBERS, TOTAL, GROUP, SIGNATURE, FOOTER = range(7)
_CODE = {
    BLANK: "blank", REPEATED: "repeated_header", NUMBERS: "column_numbers", TOTAL: "total",
    GROUP: "group", SIGNATURE: "signature", FOOTER: "footer",
}

#: the last rows searched for a signature block or footer notes
TRAILER_ROWS = 300

# `1`, `(1)`, `A`, and a column defined by others: `5 = 6 + 7`, `(5) = (6) + (7) + (8)+(9)`
_NUMBER_TOKEN = r"\(?\s*(?:\d{1,3}|[A-Za-z])\s*\)?(?:\s*=\s*[\d\s+\-()]+)?"
_NUMBERING_CELL = re.compile(r"^\(?\s*(?:(\d{1,3})|([A-Za-z]))\s*\)?(?:\s*=\s*[\d\s+\-()]+)?$")
_STT = {"stt", "tt", "so tt", "so thu tu", "thu tu", "s.tt", "no"}
# A total label, folded: `Tổng cộng`, `Tổng số`, `Cộng`, `Tổng`, optionally with `:`/a count.
_TOTAL = re.compile(
    r"^(tong cong|tong so|tong|cong)"
    r"(?:\s*[:(].*|\s+\d[\d.,\s]*|\s+(?:toan|chung|ca|linh vuc|nhom|muc|phan|cac)\b.*)?$"
    # the whole area's row of a page listing units: `Toàn tỉnh`, `Toàn huyện`, `Cả tỉnh`
    r"|^(?:toan|ca) (?:tinh|huyen|thanh pho|thi xa|quan|xa|phuong)\b.*$"
)
# A label that is a total on its own, without sums beside it: `Tổng cộng`, `Cộng: 15 hồ sơ`, `Tổng số (3)`
_TOTAL_ALONE = re.compile(r"^(tong cong|tong so|tong|cong)(?:\s*[:(].*|\s+\d[\d.,\s]*)?$|^(?:toan|ca) \S+(?: \S+)?$")
# A cell a total row may hold beside its label: a sum (`30000`, `30.000`, `97,5%`, `15 hồ sơ`) or a
# placeholder for a column that is not summed (`x`, `-`); dates and names are no sums
_SUM_CELL = re.compile(r"^[(\-+]?\d[\d\s.,]*%?\)?(?:\s+[^\W\d_]+){0,3}$|^[xX\-–—…/.]+$")
# Raw-text prefilter for totals: T/C + any o-vowel + `ng` (NFC or NFD, any case), or `Toàn`/`Cả`.
_TOTAL_PREFILTER = r"(?i)^[^\pL\pN]*(?:[tc][oóòỏõọôốồổỗộơớờởỡợ]\p{Mn}*ng|to(?:a\p{Mn}*|à)n\s|c(?:a\p{Mn}*|ả)\s)"
_SIGNATURE_CONTAINS = (
    "nguoi lap bieu", "nguoi lap", "thu truong don vi", "thu truong co quan", "lanh dao don vi",
    "ky, ghi ro ho ten", "ky ghi ro ho ten", "ky, ho ten", "ky ten, dong dau", "ky, dong dau",
    "ky va ghi ro ho ten", "noi nhan", "xac nhan cua", "kt. chu tich", "kt chu tich", "tm. ",
    "tm ubnd", "nguoi tong hop", "can bo lap bieu", "nguoi bao cao",
)
_SIGNATURE_EXACT = {"chu tich", "pho chu tich", "thu truong", "truong phong", "giam doc", "lanh dao", "nguoi ky"}
_DATE_LINE = re.compile(r"ngay\s*\S*\s*thang\s*\S*\s*nam")
_FOOTER_PREFIX = ("ghi chu", "chu thich", "luu y", "chu y", "nguon", "ghi chu:", "(*)", "* ")
_NUMBERED_LABEL = re.compile(r"^\s*(?:[IVXLCDM]+|[A-Za-z]|\d+(?:\.\d+)*)\s*[.):\-]\s*[^\W\d_]")
_NUMBERING_ONLY = re.compile(r"^\s*(?:[IVXLCDM]+|[A-Za-z]|\d+(?:\.\d+)*)\s*[.):\-]?\s*$")
_ROMAN_OR_LETTER = re.compile(r"^\s*(?:[IVXLCDM]+|[A-Z])\s*[.)]?\s*$")
_INTEGER = re.compile(r"^\s*\d+\s*[.)]?\s*$")
_NUMERIC_CELL = re.compile(r"^[\d\s.,:/()%+\-]+$")
_LINH_VUC_WORD = re.compile(r"^\s*l\S*nh\s+v\S*c\b\s*[:.\-–]?\s*", re.IGNORECASE)
_LEADING_NUMBERING = re.compile(r"^\s*(?:[IVXLCDM]+|[A-Za-z]|\d+(?:\.\d+)*)\s*[.):\-]\s*(?=[^\W\d_])")


@dataclass
class RowPlan:
    start: int  # grid index of the first row below the header
    reasons: np.ndarray  # per row below the header: DATA or a reason code
    group_labels: pd.Series  # per row below the header: label of the current group row (or NaN)
    group_values: pd.Series  # the same label stripped of numbering and the word `Lĩnh vực`

    @property
    def data_mask(self) -> np.ndarray:
        return self.reasons == DATA

    def left_out(self) -> dict[str, int]:
        counts = np.bincount(self.reasons[self.reasons >= 0], minlength=len(_CODE))
        return {_CODE[code]: int(counts[code]) for code in sorted(_CODE, key=lambda c: _CODE[c]) if counts[code]}


def group_value(label: str) -> str:
    """`I. Lĩnh vực Tư pháp` -> `Tư pháp`; `1. Lĩnh vực đất đai` -> `đất đai`; `Lĩnh vực: Hộ tịch` -> `Hộ tịch`."""
    text = shown(label)
    text = _LEADING_NUMBERING.sub("", text)
    if fold(text).startswith("linh vuc"):
        text = _LINH_VUC_WORD.sub("", text)
    return text.strip(" :.-–") or shown(label)


def _text(series: pd.Series) -> pd.Series:
    return series if is_str(series) else as_text(series)


# Cell tests on a column's array, as `Series.notna()` and `Series == text` compute them, without
# building a Series for each answer (~50 µs apiece, most of the cost on a short column).

def _filled(series: pd.Series) -> np.ndarray:
    """`series.notna().to_numpy()`."""
    return ~np.asarray(series.array.isna(), dtype=bool)


def _equal_cells(series: pd.Series, text: str) -> np.ndarray:
    """`(_text(series) == text).fillna(False).to_numpy(dtype=bool)`."""
    same = _text(series).array == text
    if isinstance(same, pd.api.extensions.ExtensionArray):  # a text dtype with pd.NA for blanks
        return same.fillna(False).to_numpy(dtype=bool)
    return np.asarray(same, dtype=bool)


def _is_signature(folded: str) -> bool:
    if not folded:
        return False
    if folded in _SIGNATURE_EXACT or _DATE_LINE.search(folded):
        return True
    return any(marker in folded for marker in _SIGNATURE_CONTAINS)


def _looks_like_heading(cell: str, folded: str) -> bool:
    """Signature headings are written in capitals, in parentheses, or are the date line."""
    letters = [ch for ch in cell if ch.isalpha()]
    upper = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    return upper or cell.strip().startswith("(") or bool(_DATE_LINE.search(folded)) or folded.startswith(
        ("noi nhan", "kt.", "kt ", "tm.", "tm ", "xac nhan")
    )


def _is_footer(folded: str) -> bool:
    return bool(folded) and folded.startswith(_FOOTER_PREFIX)


def plan_rows(sheet: RawSheet, choice: HeaderChoice, spec: DatasetSpec, field_types: dict[str, str]) -> RowPlan:
    start = choice.last_row + 1
    n = max(sheet.height - start, 0)
    cols = [col.iloc[start:].reset_index(drop=True) for col in sheet.columns]
    width = len(cols)
    reasons = np.full(n, DATA, dtype=np.int8)
    empty = pd.Series([np.nan] * n, dtype="object")
    if n == 0 or width == 0:
        return RowPlan(start, reasons, empty, empty)

    nb = np.column_stack([_filled(col) for col in cols])
    count = nb.sum(axis=1)
    reasons[count == 0] = BLANK
    open_ = reasons == DATA

    span = [c.position for c in choice.columns if c.levels]
    field_positions = sorted(set(choice.best.fields.values())) if choice.best else []
    p0 = span[0] if span else 0
    p1 = span[1] if len(span) > 1 else p0

    # --- repeated header (a page break repeats the header rows)
    for raw in choice.raw_rows:
        texts = {j: t for j, t in enumerate(raw) if t is not None and j < width}
        if not texts:
            continue
        hits = np.zeros(n, dtype=np.int32)
        for j, t in texts.items():
            hits += _equal_cells(cols[j], t)
        need = max(1, math.ceil(0.6 * len(texts)))
        repeated = open_ & (hits >= need) & (count <= len(texts) + 1)
        reasons[repeated] = REPEATED
        open_ &= ~repeated

    # --- the row numbering the columns: 1 2 3 … / (1) (2) (3) … / A B C …
    # candidates: the first two label cells each a mark or blank, one at least a mark (the cell
    # under a header merged over two columns, or under an unnumbered label column, is left blank:
    # `_ | (1) | (2) | …` is still the numbering, never a record)
    first_two = [p0] if p0 == p1 else [p0, p1]
    cand = open_.copy()
    marked = np.zeros(n, dtype=bool)
    for j in first_two:
        mark = regex_mask(cols[j], _NUMBER_TOKEN, full=True)
        cand &= mark | ~nb[:, j]
        marked |= mark
    cand &= marked
    first_numbering = None
    for i in np.flatnonzero(cand):
        cells = [cols[j].iat[i] for j in range(width)]
        if not _is_numbering_row(cells, len(span)):
            continue
        # a numbering row heads the data (under the header or a page break's repeated header, or
        # a page break's copy of the first one); further down `1 | 2 | 3 | 4` is a row of counts
        heads = reasons[:i]
        repeated_at = np.flatnonzero(heads == REPEATED)
        top = repeated_at[-1] + 1 if repeated_at.size else 0
        under_header = all(reasons[k] in (BLANK, NUMBERS) or not _holds_number([cols[j].iat[k] for j in range(width)])
                           for k in range(top, i))  # a units line (`hồ sơ`) may sit between
        if under_header or (first_numbering is not None and _same_cells(cells, first_numbering)):
            first_numbering = cells if first_numbering is None else first_numbering
            reasons[i] = NUMBERS
            open_[i] = False

    # --- trailer: notes and the signature block after the data
    _plan_trailer(cols, nb, count, reasons, open_)

    # --- totals (`Tổng cộng`, `Tổng số`, `Cộng` in one of the first label cells), recognised by
    # their shape: a total label, sums beside it and no record id. A label alone is no proof:
    # `Tống Toàn Thắng` or `Công chứng hợp đồng` start like one.
    _mark_totals(cols, span[:3], _id_positions(choice, spec, field_types), reasons, open_)

    # --- group rows: only the first one or two cells filled
    stt = bool(choice.columns and choice.columns[p0].levels and fold(choice.columns[p0].leaf) in _STT)
    p0_field = next((f for f, p in choice.best.fields.items() if p == p0), None) if choice.best else None
    in_first_two = nb[:, p0] | (nb[:, p1] if p1 != p0 else False)
    cand = open_ & (count == (nb[:, p0].astype(int) + (nb[:, p1].astype(int) if p1 != p0 else 0))) & in_first_two
    group_label = np.full(n, None, dtype=object)
    group_field: dict[int, str] = {}
    for i in np.flatnonzero(cand):
        c0 = cols[p0].iat[i]
        c1 = cols[p1].iat[i] if p1 != p0 else None
        c0 = None if _blank(c0) else str(c0)
        c1 = None if _blank(c1) else str(c1)
        verdict = _group_verdict(c0, c1, stt, p0_field, spec, field_types)
        if verdict == GROUP:
            parts = [c for c in (c0, c1) if c]
            if c0 and c1 and _NUMBERING_ONLY.match(c0):
                group_label[i] = shown(f"{c0.strip()} {c1}")
                # `II | Lĩnh vực đất đai`: the field is the label cell's, whatever the numbering cell
                # holds (`II`, `A`: no `.` to tell it from a word once joined)
                group_field[i] = group_value(c1)
            else:
                group_label[i] = shown(" ".join(parts))
            reasons[i] = GROUP
            open_[i] = False
        elif verdict == BLANK:
            reasons[i] = BLANK
            open_[i] = False

    # --- rows with nothing in any recognised column are no records
    if field_positions:
        fcount = nb[:, field_positions].sum(axis=1)
        stray = open_ & (fcount == 0)
        for i in np.flatnonzero(stray):
            cells = [cols[j].iat[i] for j in range(width) if nb[i, j]]
            only_numbers = all(_NUMERIC_CELL.match(str(c)) for c in cells)
            reasons[i] = BLANK if only_numbers else FOOTER
            open_[i] = False

    # --- text lines after the last record that are no numbered group: notes
    data_idx = np.flatnonzero(reasons == DATA)
    last_data = data_idx[-1] if len(data_idx) else -1
    for i in np.flatnonzero((reasons == GROUP) & (np.arange(n) > last_data)):
        label = group_label[i] or ""
        if not (_NUMBERED_LABEL.match(label) or fold(label).startswith("linh vuc") or _NUMBERING_ONLY.match(label.split(" ")[0])):
            reasons[i] = FOOTER
            group_label[i] = None

    labels = pd.Series(group_label, dtype="object")
    values = pd.Series(np.full(n, None, dtype=object), dtype="object")
    at = np.flatnonzero(reasons == GROUP)
    if len(at):
        values.iloc[at] = [group_field.get(i) or group_value(group_label[i]) for i in at]
        labels = labels.ffill()
        values = values.ffill()
    # a group applies from its row on; rows before the first group row have none
    return RowPlan(start, reasons, labels, values)


def plan_given(sheet: RawSheet, choice: HeaderChoice, spec: DatasetSpec, field_types: dict[str, str]) -> RowPlan:
    """A given header (Parquet): every row is data but blank rows and total rows, the latter told
    by the same shape as under a found header (`_mark_totals`). Whole-column work only: a Parquet
    file may hold a million rows."""
    n = sheet.height
    cols = sheet.columns
    reasons = np.full(n, DATA, dtype=np.int8)
    empty = pd.Series([None] * n, dtype=object)
    if not cols:
        return RowPlan(0, reasons, empty, empty)
    any_value = np.zeros(n, dtype=bool)
    for col in cols:
        any_value |= _filled(col)
    reasons[~any_value] = BLANK
    open_ = reasons == DATA
    # a total label is text: a column typed as numbers or dates holds none
    label_cols = [c.position for c in choice.columns if c.levels][:3]
    label_cols = [j for j in label_cols if is_str(cols[j])]
    _mark_totals(cols, label_cols, _id_positions(choice, spec, field_types), reasons, open_)
    return RowPlan(0, reasons, empty, empty)


def _id_positions(choice: HeaderChoice, spec: DatasetSpec, field_types: dict[str, str]) -> list[int]:
    """Columns of the record id and of other id fields: a total row holds none."""
    if not choice.best:
        return []
    return sorted({p for f, p in choice.best.fields.items() if f == spec.record_id or field_types.get(f) == "id"})


def _mark_totals(cols: list[pd.Series], label_cols: list[int], id_positions: list[int], reasons: np.ndarray,
                 open_: np.ndarray) -> None:
    """Mark as TOTAL the open rows whose cell in one of `label_cols` holds a total label and whose
    shape is a total's: no record id beside the label, and every other filled cell a sum or a
    placeholder; with no other cell filled, the label must be a total by itself (`Tổng cộng`,
    `Cộng: 15 hồ sơ`). Whole columns throughout: a list of people named `Tống Toàn Thắng` puts
    every row among the candidates, and Python only looks at each distinct cell value once."""
    texts = [_text(cols[j]) for j in label_cols]
    # the raw-text test is most of the cost on a big sheet: the columns side by side; on a small one
    # building the pattern is, so the columns are tested together
    maybe = (threaded_map(lambda text: regex_mask(text, _TOTAL_PREFILTER), texts, len(open_))
             if len(open_) >= THREADED_ROWS else regex_masks(texts, _TOTAL_PREFILTER))
    for j, text, hits in zip(label_cols, texts, maybe, strict=True):
        idx = np.flatnonzero(open_ & hits)
        if not len(idx):
            continue
        # folded once per distinct label: a column of procedure names (`Công chứng hợp đồng` …)
        # repeats a few values over a million rows
        codes, distinct = pd.factorize(text.iloc[idx])
        folded = fold_series(pd.Series(distinct, dtype=STR))
        is_total = regex_mask(folded, _TOTAL.pattern, full=True)[codes]
        idx, labels = idx[is_total], folded.to_numpy(dtype=object)[codes[is_total]]
        others = np.zeros(len(idx), dtype=bool)  # another cell of the row is filled
        keep = np.ones(len(idx), dtype=bool)
        for k in [*id_positions, *(k for k in range(len(cols)) if k not in id_positions)]:
            if k == j or not keep.any():
                continue
            cells = cols[k].iloc[idx]
            filled = _filled(cells)
            others |= filled
            keep &= ~filled if k in id_positions else ~filled | _matches(cells, filled, _SUM_CELL)
        alone = _matches(pd.Series(labels), np.ones(len(idx), dtype=bool), _TOTAL_ALONE)
        total = idx[keep & (others | alone)]
        reasons[total] = TOTAL
        open_[total] = False


def _matches(cells: pd.Series, filled: np.ndarray, pattern: re.Pattern) -> np.ndarray:
    """Per cell: filled and `pattern` matches its text (`str`, stripped); the regex runs once per
    distinct value. A date is never a sum (`2026-10-01 00:00:00`), so a date column costs nothing."""
    if not filled.any() or pd.api.types.is_datetime64_any_dtype(cells.dtype):
        return np.zeros(len(cells), dtype=bool)
    values = cells.to_numpy(dtype=object)[filled]
    distinct = pd.unique(values)
    good = [v for v in distinct if pattern.match(str(v).strip())]
    out = np.zeros(len(cells), dtype=bool)
    out[filled] = pd.Series(values).isin(good).to_numpy() if good else False
    return out


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


_NUMBER_TEXT = re.compile(r"^\s*[-+]?\d[\d.,\s]*$")


def _holds_number(cells: list) -> bool:
    """Whether a row holds a number (a data row does; a header's units line does not)."""
    return any(isinstance(c, (int, float, np.number)) and not _blank(c) and not isinstance(c, bool)
               or isinstance(c, str) and _NUMBER_TEXT.match(c) for c in cells)


def _same_cells(cells: list, other: list) -> bool:
    return [None if _blank(c) else str(c).strip() for c in cells] == [None if _blank(c) else str(c).strip() for c in other]


def _counts_up(marks: list[tuple[int, int]]) -> bool:
    """Column marks (position, number) count up by one per column: a mark may skip the columns of
    a merged header (1 ≤ step ≤ columns apart), never run ahead of them (`3 | 5 | 7` is data)."""
    return all(1 <= b - a <= q - p for (p, a), (q, b) in zip(marks, marks[1:]))


def _is_numbering_row(cells: list, span_width: int) -> bool:
    tokens = [(position, str(c).strip()) for position, c in enumerate(cells) if not _blank(c)]
    if len(tokens) < 2 or len(tokens) < 0.5 * max(span_width, 1):
        return False
    numbers = []
    letters = []
    for position, token in tokens:
        match = _NUMBERING_CELL.match(token)
        if not match:
            return False
        if match.group(1):
            numbers.append((position, int(match.group(1))))
        else:
            letters.append((position, ord(match.group(2).upper())))
    return _counts_up(numbers) and _counts_up(letters)


def _group_verdict(c0, c1, stt: bool, p0_field, spec: DatasetSpec, field_types: dict[str, str]) -> int:
    if c0 and _NUMBERED_LABEL.match(c0):
        return GROUP
    if fold(c0 or "").startswith("linh vuc") or (not c0 and fold(c1 or "").startswith("linh vuc")):
        return GROUP
    if stt:
        if c1 and (c0 is None or _ROMAN_OR_LETTER.match(c0)):
            return GROUP
        if c0 and not c1 and _INTEGER.match(c0):
            return BLANK
        if c0 and not c1 and not _NUMERIC_CELL.match(c0):
            # a group label merged across the width sits in the STT cell (`Xã, phường, thị trấn`)
            return GROUP
        return DATA
    if c0 and not c1:
        if _NUMERIC_CELL.match(c0):
            return DATA
        if p0_field is None or (p0_field != spec.record_id and field_types.get(p0_field) != "id"):
            return GROUP
    if c0 and c1 and _ROMAN_OR_LETTER.match(c0):
        # `I.`/`A)` before a label; a bare `I` only where the first column is no field
        if c0.strip()[-1] in ".)" or p0_field is None:
            return GROUP
    return DATA


def _plan_trailer(cols: list[pd.Series], nb: np.ndarray, count: np.ndarray, reasons: np.ndarray, open_: np.ndarray) -> None:
    """Find the signature block / footer notes at the end and mark them."""
    n = len(reasons)
    lo = max(0, n - TRAILER_ROWS)
    width = len(cols)
    kinds: list[str] = []  # per row from lo: 'blank' | 'sig' | 'foot' | 'text' | 'data'
    tail = [col.iloc[lo:n].tolist() for col in cols]  # one conversion, not a lookup per cell
    for i in range(lo, n):
        if count[i] == 0:
            kinds.append("blank")
            continue
        cells = [str(tail[j][i - lo]) for j in range(width) if nb[i, j]]
        if len(cells) > 4 or any(_NUMERIC_CELL.match(c) for c in cells):
            kinds.append("data")
            continue
        folded = [fold(c) for c in cells]
        if any(_is_signature(f) and _looks_like_heading(c, f) for c, f in zip(cells, folded)) or all(
            _is_signature(f) for f in folded
        ):
            kinds.append("sig")
        elif _is_footer(folded[0]):
            kinds.append("foot")
        else:
            kinds.append("text")
    # earliest marker such that everything after it is trailer-like
    start = None
    for k in range(len(kinds) - 1, -1, -1):
        if kinds[k] == "data":
            break
        if kinds[k] in ("sig", "foot"):
            start = k
    if start is None:
        return
    in_signature = False
    for k in range(start, len(kinds)):
        i = lo + k
        if kinds[k] == "sig":
            in_signature = True
        if not open_[i]:
            continue
        if kinds[k] == "blank":
            continue
        reasons[i] = SIGNATURE if in_signature else FOOTER
        open_[i] = False
