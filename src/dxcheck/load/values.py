"""Reading cell values as their field's type, one whole column at a time.

Each column is factorised; the distinct values are parsed with vectorised string operations and
the result is mapped back, so a million rows with a few thousand distinct spellings cost little.
Every parser returns the typed column plus the distinct raw values it could not read (with the
positions of their cells) for the warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..datasets import FieldSpec
from ..textnorm import fold
from .text import STR, as_text, fold_series, nfc_series, regex_mask, shown

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_END_OF_DAY = pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)

_ISO = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?$"
)
_DMY = (
    r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})"
    r"(?:,?\s+(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?$"
)
_TIME_FIRST = (
    r"^(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?,?\s+"
    r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"
)
_SERIAL = r"^\d{4,6}(?:\.\d+)?$"
#: Excel serial days read as dates: from 10000 (1927-05-18: a smaller number is a bare year such as
#: `2026` or a code, no day) to the last day `_build` reads (2200-12-31; beyond pandas' range, a
#: larger number would stop the whole sheet)
_SERIAL_FIRST, _SERIAL_END = 10000, (pd.Timestamp("2201-01-01") - _EXCEL_EPOCH).days

_YES = {"co", "x", "✓", "✔", "☑", "v", "1", "yes", "y", "true", "dung", "dat", "roi", "ok", "da co", "co roi"}
_NO = {"khong", "0", "no", "n", "false", "-", "--", "—", "khong co", "chua", "sai", "k", "ko", "khong dat", "×", "✗", "✘"}


@dataclass
class Unreadable:
    """Distinct raw values that could not be read, and where."""

    values: list[str] = field(default_factory=list)
    positions: list[np.ndarray] = field(default_factory=list)  # row positions (0-based, in the data)

    def add(self, value: str, where: np.ndarray) -> None:
        self.values.append(value)
        self.positions.append(where)

    def __bool__(self) -> bool:
        return bool(self.values)


def _factorize(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object)


def _positions(codes: np.ndarray, which: np.ndarray) -> dict[int, np.ndarray]:
    """unique index -> positions of its cells, for the few unique indices in `which`."""
    out: dict[int, np.ndarray] = {}
    if len(which) == 0:
        return out
    wanted = np.zeros(codes.max(initial=-1) + 2, dtype=bool)
    wanted[which] = True
    hits = np.flatnonzero(wanted[codes] & (codes >= 0))
    order = np.argsort(codes[hits], kind="stable")
    hits = hits[order]
    split_at = np.flatnonzero(np.diff(codes[hits])) + 1
    for chunk in np.split(hits, split_at):
        if len(chunk):
            out[int(codes[chunk[0]])] = chunk
    return out


def _collect_bad(codes: np.ndarray, uniques: pd.Series, bad: np.ndarray, limit: int = 200) -> Unreadable:
    """The distinct unreadable values, as NFC text (so `không rõ` reads the same whether the
    file held it composed or decomposed); spellings that differ only in that are merged."""
    found = Unreadable()
    which = np.flatnonzero(bad)
    where = _positions(codes, which[:limit])
    merged: dict[str, list[np.ndarray]] = {}
    for k in which[:limit]:
        merged.setdefault(shown(str(uniques.iat[k])), []).append(where.get(int(k), np.array([], dtype=np.int64)))
    for value, parts in merged.items():
        found.add(value, np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0])
    return found


# ----------------------------------------------------------------------------------------------
# text


def parse_text(series: pd.Series) -> pd.Series:
    """NFC, trimmed, white space collapsed; pandas' Arrow-backed str dtype, NaN for blank (a
    million distinct ids are not boxed into Python strings)."""
    return nfc_series(series, shown=True)


# ----------------------------------------------------------------------------------------------
# dates


#: which pattern a date spelling matched (`DateSpellings.parts["form"]`)
ISO_FORM, DMY_FORM, TIME_FIRST_FORM = 0, 1, 2


def _components(text: pd.Series) -> pd.DataFrame:
    """Year, month, day, hour, minute, second, microsecond (float, NaN when absent) per value, and
    the form it was written in (ISO_FORM, DMY_FORM, TIME_FIRST_FORM; NaN: none). For a d/m/y
    spelling `d` and `m` are its first and second numbers, whatever they hold."""
    arr = pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    names = ["y", "m", "d", "H", "M", "S", "f"]
    found = {c: np.full(len(arr), np.nan) for c in names}
    form = np.full(len(arr), np.nan)
    done = np.zeros(len(arr), dtype=bool)
    for number, pattern in enumerate((_ISO, _DMY, _TIME_FIRST)):
        matched = pc.extract_regex(arr, pattern)
        valid = np.asarray(matched.is_valid()) & ~done
        if not valid.any():
            continue
        present_fields = {matched.type.field(i).name for i in range(matched.type.num_fields)}
        for c in names:
            if c not in present_fields:
                continue
            part = matched.field(c)
            if c == "f":
                part = pc.utf8_rpad(pc.utf8_slice_codeunits(part, 0, 6), 6, "0")
            part = pc.if_else(pc.equal(part, ""), pa.scalar(None, pa.large_string()), part.cast(pa.large_string()))
            values = part.cast(pa.float64()).to_numpy(zero_copy_only=False)
            found[c][valid] = values[valid]
        form[valid] = number
        done |= valid
    found["form"] = form
    return pd.DataFrame(found, index=text.index)


def _build(parts: pd.DataFrame) -> pd.Series:
    year = parts["y"]
    year = year.where(year >= 100, year + 2000)
    frame = pd.DataFrame({
        "year": year,
        "month": parts["m"],
        "day": parts["d"],
        "hour": parts["H"].fillna(0),
        "minute": parts["M"].fillna(0),
        "second": parts["S"].fillna(0),
        "us": parts["f"].fillna(0),
    })
    ok = frame["year"].between(1900, 2200) & frame["month"].between(1, 12) & frame["day"].between(1, 31)
    ok &= frame["hour"].between(0, 23) & frame["minute"].between(0, 59) & frame["second"].between(0, 59)
    result = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    if ok.any():
        built = pd.to_datetime(frame[ok].astype("int64"), errors="coerce")
        result[ok] = built.astype("datetime64[ns]")
    return result


@dataclass
class DateSpellings:
    """A text date column factorised: the parts of each distinct spelling and each cell's spelling."""

    codes: np.ndarray  # per cell: index of its distinct spelling, -1 when blank
    uniques: pd.Series  # the distinct raw spellings
    text: pd.Series  # the same, trimmed
    parts: pd.DataFrame  # per distinct spelling: `_components`


def date_spellings(series: pd.Series) -> DateSpellings | None:
    """The factorised spellings of a text column; None for a column the reader already typed
    (real datetimes, numbers), which holds no spelling to read either way."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return None
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return None
    codes, uniques = _factorize(as_text(series))
    u = pd.Series(uniques.to_numpy(dtype=object), dtype=STR).str.strip()
    return DateSpellings(codes=codes, uniques=uniques, text=u, parts=_components(u))


def dates_of(spellings: DateSpellings, deadline: bool = False,
             swap: np.ndarray | None = None) -> tuple[pd.Series, Unreadable]:
    """The dates a factorised column holds, day first; the cells in `swap` (a mask over the
    cells) are read with their day and month exchanged (see `date_order`)."""
    codes, uniques, parts = spellings.codes, spellings.uniques, spellings.parts
    parsed = _build(parts)
    unread = (parts["form"].isna() & parsed.isna()).to_numpy()
    if unread.any():  # Excel serial numbers written as text
        u = spellings.text
        serial = unread & regex_mask(u, _SERIAL.strip("^$"), full=True)
        _, moments = _serial_dates(pd.to_numeric(u[serial], errors="coerce"))
        parsed.loc[moments.index] = moments.astype("datetime64[ns]")
    values = parsed.to_numpy(dtype="datetime64[ns]")
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    present = codes >= 0
    out[present] = values[codes[present]]
    bad_codes, bad_uniques = codes, parsed.isna().to_numpy()
    if swap is not None and swap.any():
        exchanged = _build(parts.assign(d=parts["m"], m=parts["d"])).to_numpy(dtype="datetime64[ns]")
        chosen = swap & present
        out[chosen] = exchanged[codes[chosen]]
        # what stays unreadable is judged cell by cell: one spelling may be read both ways
        bad_cells = present & np.isnat(out)
        bad_codes = np.where(bad_cells, codes, -1)
        bad_uniques = np.zeros(len(uniques), dtype=bool)
        bad_uniques[np.unique(codes[bad_cells])] = True
    result = pd.Series(out, index=range(len(codes)))
    if deadline:
        result = _end_of_day(result)
    return result.astype("datetime64[ns]"), _collect_bad(bad_codes, uniques, bad_uniques)


def _serial_dates(days: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Which serial day numbers are in the window, and their dates (to the second)."""
    ok = (days >= _SERIAL_FIRST) & (days < _SERIAL_END)
    return ok, (_EXCEL_EPOCH + pd.to_timedelta(days[ok], unit="D")).dt.round("s")


def two_digit_years(spellings: DateSpellings, values: pd.Series) -> tuple[Unreadable, str] | None:
    """The cells whose year is written in two digits (`05/10/26`), or below 100 in any spelling
    (`0099-01-01`, `01/01/0099`), which `_build` reads as 20yy (the Vietnamese day/month/year
    order; these systems date from this century), and one of them as read (`05/10/26 →
    05/10/2026`) for the message; None when every year has four digits."""
    parts = spellings.parts
    short = (parts["y"] < 100).to_numpy()  # NaN (no spelling matched) is no year
    if not short.any():
        return None
    found = _collect_bad(spellings.codes, spellings.uniques, short)
    first = int(np.flatnonzero(np.isin(spellings.codes, np.flatnonzero(short)))[0])
    read = values.iat[first]
    example = f"{str(spellings.uniques.iat[spellings.codes[first]]).strip()} → " + (
        read.strftime("%d/%m/%Y") if not pd.isna(read) else "—")
    return found, example


def _end_of_day(result: pd.Series) -> pd.Series:
    """A deadline with no time of day (or exactly 00:00) means the end of that day."""
    midnight = result.notna() & (result == result.dt.normalize())
    return result.where(~midnight, result + _END_OF_DAY)


def parse_dates(series: pd.Series, deadline: bool = False) -> tuple[pd.Series, Unreadable]:
    """Dates in any of the export spellings, day first; deadlines at 00:00 mean end of day."""
    spellings = date_spellings(series)
    if spellings is not None:
        values, bad = dates_of(spellings, deadline)
        values.index = series.index
        return values, bad
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        result = series.astype("datetime64[ns]")
        bad = Unreadable()
    else:
        ok, moments = _serial_dates(pd.to_numeric(series, errors="coerce"))
        result = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
        result[ok] = moments
        bad_mask = series.notna() & ~ok
        codes, uniques = _factorize(as_text(series).where(bad_mask))
        bad = _collect_bad(codes, uniques, np.ones(len(uniques), dtype=bool))
    if deadline:
        result = _end_of_day(result)
    return result.astype("datetime64[ns]"), bad


# ----------------------------------------------------------------------------------------------
# numbers


def _number_uniques(u: pd.Series, ambiguous_as_decimal: np.ndarray | None) -> pd.Series:
    """Parse distinct number spellings (Vietnamese first, English where unambiguous)."""
    t = pd.Series(u.to_numpy(dtype=object), dtype=STR)
    t = nfc_series(t).fillna("")
    t = t.str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    t = t.str.replace(r"(?i)(%|đồng|đ|vnđ|vnd)$", "", regex=True)
    # handling times in catalogues: `05 ngày làm việc`, `15 ngày` (spaces are already gone)
    t = t.str.replace(r"(?i)ngày(?:làmviệc)?$", "", regex=True)
    neg = regex_mask(t, r"\(.*\)", full=True)
    t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    out = pd.Series(np.nan, index=u.index, dtype="float64")

    def fill(pattern: str | np.ndarray, values: pd.Series) -> None:
        mask = regex_mask(t, pattern, full=True) if isinstance(pattern, str) else pattern
        mask = mask & out.isna().to_numpy()
        if mask.any():
            out[mask] = pd.to_numeric(values[mask], errors="coerce")

    ambiguous = regex_mask(t, r"-?\d{1,3}\.\d{3}", full=True)
    if ambiguous_as_decimal is not None:
        fill(ambiguous & ambiguous_as_decimal, t)
    fill(r"-?\d+", t)
    fill(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?", t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    fill(r"-?\d+,\d+", t.str.replace(",", ".", regex=False))
    fill(r"-?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|-?\d{1,3},\d{3}\.\d+", t.str.replace(",", "", regex=False))
    fill(r"-?\d*\.\d+", t)
    fill(r"-?\d+(?:\.\d+)?[eE][-+]?\d+", t)
    out[neg] *= -1
    # `1e400` or 400 digits overflow to infinity: no count or amount, so unreadable, not summed
    out[~np.isfinite(out.to_numpy())] = np.nan
    return out


def _finite_numbers(values: pd.Series) -> tuple[pd.Series, Unreadable]:
    """Numbers stored as numbers (Parquet): an infinite one is reported as unreadable, not
    summed, so that no figure (nor a JSON report) holds `Infinity`."""
    infinite = np.isinf(values.to_numpy())
    if not infinite.any():
        return values, Unreadable()
    codes, uniques = _factorize(values.where(infinite).map(lambda v: "inf" if v > 0 else "-inf", na_action="ignore"))
    bad = _collect_bad(codes, uniques, np.ones(len(uniques), dtype=bool))
    return values.mask(infinite), bad


def parse_numbers(
    series: pd.Series, numeric_cells: np.ndarray | None = None
) -> tuple[pd.Series, Unreadable]:
    """Numbers: `50.000` = 50000, `97,29` / `97,29 %` = 97.29, `1.234.567,5`, English `1234.5`.

    `1.234` is 1.234 in a cell the spreadsheet stores as a number (`numeric_cells`, per row); in
    text it is read as the column's other text cells are written (`parse_numbers_checked`).
    """
    values, bad, _ = parse_numbers_checked(series, numeric_cells)
    return values, bad


#: text written the English way (`97.29`, `0.5`, `1234.5678`) or the Vietnamese way (`97,29`, `1.234.567`)
_ENGLISH_TEXT = r"-?\d+\.(?:\d{1,2}|\d{4,})"
_VIETNAMESE_TEXT = r"-?\d+,\d+|-?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|-?\d{1,3}\.\d{3},\d+"


def parse_numbers_checked(
    series: pd.Series, numeric_cells: np.ndarray | None = None
) -> tuple[pd.Series, Unreadable, Unreadable]:
    """`parse_numbers`, and the text cells whose reading the column cannot settle.

    A text `1.234` is a thousands-grouped 1234 (the Vietnamese convention: dot for thousands,
    comma for decimals) unless the column's other text cells are written the English way
    (`97.29`) and none the Vietnamese way; when they are written both ways it is read the
    Vietnamese way and returned as doubtful, to be warned about. Cells stored as numbers are
    English notation whatever their neighbours, and are no evidence about the text ones.
    """
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64"), Unreadable(), Unreadable()
    if pd.api.types.is_numeric_dtype(series.dtype):
        return (*_finite_numbers(pd.to_numeric(series, errors="coerce").astype("float64")), Unreadable())
    text = as_text(series)
    codes, uniques = _factorize(text)
    u = pd.Series(uniques.to_numpy(dtype=object), dtype=STR).str.strip()
    # `-`, `—` and friends mean nothing to report
    dash = regex_mask(u, r"[-–—_./]+", full=True)
    squeezed = u.str.replace(r"\s", "", regex=True)
    ambiguous = regex_mask(squeezed, r"-?\d{1,3}\.\d{3}", full=True)
    present = codes >= 0
    stored_rows = present & numeric_cells if numeric_cells is not None else np.zeros(len(codes), dtype=bool)
    doubtful = Unreadable()
    decimal_hint = None
    if ambiguous.any():
        in_text = np.zeros(len(uniques), dtype=bool)
        in_text[np.unique(codes[present & ~stored_rows])] = True
        english = bool((regex_mask(squeezed, _ENGLISH_TEXT, full=True) & in_text).any())
        vietnamese = bool((regex_mask(squeezed, _VIETNAMESE_TEXT, full=True) & in_text).any())
        decimal_hint = np.full(len(uniques), english and not vietnamese)
        if english and vietnamese:
            text_codes = np.where(stored_rows, -1, codes)
            doubtful = _collect_bad(text_codes, uniques, ambiguous & in_text)
    parsed = _number_uniques(u, decimal_hint)
    bad = _collect_bad(codes, uniques, parsed.isna().to_numpy() & ~dash)
    values = parsed.to_numpy(dtype="float64")
    out = np.full(len(codes), np.nan)
    out[present] = values[codes[present]]
    if ambiguous.any() and stored_rows.any():
        # the same spelling stored as a number: English notation, 1.234
        as_stored = _number_uniques(u, np.ones(len(uniques), dtype=bool)).to_numpy(dtype="float64")
        out[stored_rows] = as_stored[codes[stored_rows]]
    return pd.Series(out, index=series.index, dtype="float64"), bad, doubtful


# ----------------------------------------------------------------------------------------------
# yes / no and categories


def _folded_uniques(series: pd.Series) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """codes, raw distinct values (NFC text), folded distinct values."""
    text = as_text(series)
    codes, uniques = _factorize(text)
    raw = pd.Series(uniques.to_numpy(dtype=object), dtype=STR)
    return codes, nfc_series(raw, shown=True), fold_series(raw)


def _dashes(raw: pd.Series) -> np.ndarray:
    """Distinct values that are only a dash (`-`, `--`, `—`): an explicit "nothing"."""
    return regex_mask(raw, r"[\s\-–—_.]+", full=True)


def bool_lookup(spec: FieldSpec) -> dict[str, bool]:
    table = {k: True for k in _YES}
    table.update({k: False for k in _NO})
    for spelling in spec.yes:
        table[fold(spelling)] = True
    for spelling in spec.no:
        table[fold(spelling)] = False
    return table


#: `Không …`/`Chưa …` mean no — except when what follows says the answer is not known:
#: `không rõ`, `chưa xác định`, `chưa cập nhật` are no answer at all, and are reported
_UNKNOWN_AFTER_NO = ("ro", "xac dinh", "biet", "co thong tin", "co du lieu", "cap nhat", "ap dung", "nho")


def _bool_of(folded: str, table: dict[str, bool]) -> bool | None:
    """yes (True), no (False) or not a yes/no answer (None), for a folded cell text."""
    if folded in table:
        return table[folded]
    if folded.startswith(("da ", "đa ")):
        return True
    if folded.startswith(("chua ", "khong ")):
        rest = folded.split(" ", 1)[1]
        if rest.startswith(_UNKNOWN_AFTER_NO):
            return None
        return False
    return None


def _any_pattern(patterns: list[str]) -> str:
    """One case-insensitive RE2 alternation of `patterns`."""
    return "(?i:" + "|".join(f"(?:{pattern})" for pattern in patterns) + ")"


def bool_meanings(raw: pd.Series, folded: pd.Series, spec: FieldSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For distinct cell texts (NFC, trimmed) and their folded forms: (meaning, unknown,
    rejected). Yes/no words first; then the field's `yes_pattern` (an account name, an address)
    and `no_pattern` (an address that does not qualify: read no, and `rejected` so that its rows
    are reported). What is left is no answer (`unknown`)."""
    table = bool_lookup(spec)
    dashes = _dashes(raw)
    mapped = [
        False if dashes[k] else (_bool_of(f, table) if isinstance(f, str) else None)
        for k, f in enumerate(folded.tolist())
    ]
    unknown = np.array([m is None for m in mapped], dtype=bool)
    meaning = np.array([bool(m) for m in mapped], dtype=bool)
    rejected = np.zeros(len(mapped), dtype=bool)
    if spec.yes_pattern and unknown.any():
        hit = unknown & regex_mask(raw, _any_pattern(spec.yes_pattern), full=True)
        meaning[hit], unknown[hit] = True, False
    if spec.no_pattern and unknown.any():
        rejected = unknown & regex_mask(raw, _any_pattern(spec.no_pattern), full=True)
        unknown[rejected] = False
    return meaning, unknown, rejected


def parse_bools(series: pd.Series, spec: FieldSpec) -> tuple[pd.Series, Unreadable, np.ndarray, Unreadable]:
    """Yes/no cells; blank and unreadable cells take the field's blank meaning (default no).

    Also returns the mask of cells that were blank, and the cells read no by the field's
    `no_pattern` (to be reported: an e-mail address outside the official mail system).
    """
    blank_value = spec.blank == "yes"
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(bool), Unreadable(), np.zeros(len(series), dtype=bool), Unreadable()
    if pd.api.types.is_object_dtype(series.dtype) and series.map(lambda v: isinstance(v, (bool, np.bool_)) or v is None).all():
        blank = series.isna().to_numpy()
        return series.fillna(blank_value).astype(bool), Unreadable(), blank, Unreadable()
    codes, raw, folded = _folded_uniques(series)
    meaning, unknown, rejected = bool_meanings(raw, folded, spec)
    values = np.where(unknown, blank_value, meaning)
    out = np.full(len(codes), blank_value, dtype=bool)
    present = codes >= 0
    out[present] = values[codes[present]]
    return (pd.Series(out, index=series.index), _collect_bad(codes, raw, unknown), ~present,
            _collect_bad(codes, raw, rejected))


def _no_verdict(spec: FieldSpec) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{pattern})" for pattern in spec.no_verdict)) if spec.no_verdict else None


def category_lookup(spec: FieldSpec) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, spellings in spec.values.items():
        table[fold(code)] = code
        table[fold(code.replace("_", " "))] = code
        for spelling in spellings:
            table.setdefault(fold(spelling), code)
    return table


@dataclass
class CategoryResult:
    #: per cell, the position of its canonical code in `vocabulary`, or -1 (blank or unknown;
    #: blank default not applied): the column is kept as codes, never as a million Python strings
    positions: np.ndarray
    vocabulary: list[str]
    index: pd.Index
    blank: np.ndarray  # cells that were blank
    unknown: Unreadable
    value_counts: dict[str, int]
    compound: dict[int, dict[str, str]]  # unique index -> {field: code} for compound spellings
    cell_codes: np.ndarray  # factorised positions, for compound fills
    compound_rows: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def codes(self) -> pd.Series:
        """object: canonical code or None per cell (blank or unknown; blank default not applied)."""
        return code_words(self.positions, self.vocabulary).set_axis(self.index)


def category_column(positions: np.ndarray, vocabulary: list[str]) -> pd.Series:
    """A category field's column: pandas Categorical over the field's whole vocabulary (-1:
    blank). Blank tests and factorisation read its integer codes instead of hashing a million
    Python strings, and every sheet's column has the same categories, so sheets concatenate
    without falling back to object."""
    return pd.Series(pd.Categorical.from_codes(positions, categories=vocabulary))


def code_words(positions: np.ndarray, vocabulary: list[str]) -> pd.Series:
    """The same column as object values: the code, or None where blank."""
    return pd.Series(np.array([*vocabulary, None], dtype=object)[positions], dtype=object)


def parse_categories(series: pd.Series, spec: FieldSpec, compounds: dict[str, dict[str, str]]) -> CategoryResult:
    codes, raw, folded = _folded_uniques(series)
    table = category_lookup(spec)
    mapped: list[str | None] = []
    dash: set[int] = set()  # cells holding only punctuation (`-`): blank
    compound_at: dict[int, dict[str, str]] = {}
    dashes = _dashes(raw)
    silent = _no_verdict(spec)
    for k, f in enumerate(folded.tolist()):
        if not isinstance(f, str) or dashes[k] or (silent is not None and silent.fullmatch(f)):
            mapped.append(None)
            dash.add(k)
            continue
        if f in compounds:
            compound_at[k] = compounds[f]
            mapped.append(None)
            continue
        mapped.append(table.get(f))
    vocabulary = list(spec.values)
    where = {code: k for k, code in enumerate(vocabulary)}
    mapped_arr = np.array([where[m] if m is not None else -1 for m in mapped] + [-1], dtype=np.int64)
    out = mapped_arr[np.where(codes >= 0, codes, len(mapped))]
    unknown = np.array([m is None and k not in compound_at and k not in dash for k, m in enumerate(mapped)], dtype=bool)
    bad = _collect_bad(codes, raw, unknown)
    counts = np.bincount(codes[codes >= 0], minlength=len(raw)) if len(raw) else np.array([], dtype=int)
    value_counts: dict[str, int] = {}
    for k, spelling in enumerate(raw.tolist()):
        key = spelling if isinstance(spelling, str) else ""
        value_counts[key] = value_counts.get(key, 0) + int(counts[k])
    n_blank = int((codes < 0).sum())
    if n_blank:
        value_counts[""] = value_counts.get("", 0) + n_blank
    is_dash = np.zeros(len(raw) + 1, dtype=bool)
    is_dash[list(dash)] = True
    return CategoryResult(
        positions=out,
        vocabulary=vocabulary,
        index=series.index,
        blank=(codes < 0) | is_dash[np.where(codes >= 0, codes, len(raw))],
        unknown=bad,
        value_counts=value_counts,
        compound=compound_at,
        cell_codes=codes,
    )


def raw_value_counts(series: pd.Series) -> dict[str, int]:
    """Raw spelling (NFC) -> count, blanks under ''."""
    counts = as_text(series).value_counts(dropna=False)  # distinct raw spellings first
    keys = nfc_series(pd.Series(counts.index.to_numpy(dtype=object, na_value=None), dtype=STR), shown=True)
    out: dict[str, int] = {}
    for key, value in zip(keys.tolist(), counts.tolist()):
        key = key if isinstance(key, str) else ""
        out[key] = out.get(key, 0) + int(value)
    return dict(sorted(out.items()))

