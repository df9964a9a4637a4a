"""Whole-column versions of `textnorm.fold` and `textnorm.nfc`, computed with Arrow kernels.

A province loads million-row files: per-cell Python calls are too slow, so the same
normalisation is expressed as Arrow compute functions (NFD, drop combining marks, lower case,
collapse white space, trim decoration). `tests/test_load_values.py` checks that they agree with
the scalar functions in `textnorm`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..textnorm import _EDGE_PUNCT, nfc

# RE2's \s is ASCII only; Python's str.split()/\s also treat these as white space.
_WS_RUN = r"[\s\x{0B}\x{1C}-\x{1F}\x{85}\pZ]+"
# Values shown in reports: control characters (ESC, BEL, C1 controls …) count as white space, so
# no data value can carry a terminal escape sequence into a report or a log.
_WS_OR_CONTROL_RUN = r"[\s\x{0B}\x{1C}-\x{1F}\x{85}\pZ\x{00}-\x{08}\x{0E}-\x{1B}\x{7F}-\x{9F}]+"
_COMBINING_MARKS = r"[\x{300}-\x{36F}]"
_ASCII_WS_RUN = r"[\t\n\f\r \x{0B}\x{1C}-\x{1F}]+"  # the ASCII characters of `_WS_RUN`
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def shown(text: str) -> str:
    """`textnorm.nfc` for text that reports show: control characters become white space."""
    return nfc(_CONTROL.sub(" ", text))
_EDGE_NO_SPACE = "".join(ch for ch in _EDGE_PUNCT if not ch.isspace())


def is_str(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype)


def as_text(series: pd.Series) -> pd.Series:
    """A string view of a column: text as is, numbers without a spurious `.0`, blanks NaN."""
    if is_str(series):
        return series
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.map({True: "true", False: "false"}).astype(STR)
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("Int64").astype(STR)
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        whole = np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 2**53)
        out = pd.Series(np.where(whole, values, np.nan), index=series.index).astype("Int64").astype(STR)
        out = out.where(whole, series.astype(STR))
        return out.where(series.notna())
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.dt.strftime("%Y-%m-%d %H:%M:%S.%f").where(series.notna()).astype(STR)
    return series.astype(STR).where(series.notna())


STR = pd.StringDtype(na_value=np.nan)


def _arrow(series: pd.Series) -> pa.Array | pa.ChunkedArray:
    text = as_text(series)
    try:
        return pa.array(text.array)
    except (TypeError, pa.ArrowInvalid):
        return pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.large_string())


def _series(arr: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    return pd.Series(arr, dtype=STR, index=index)


def fold_series(series: pd.Series) -> pd.Series:
    """`textnorm.fold` applied to every cell (blank cells stay NaN)."""
    if len(series) == 0:
        return pd.Series([], dtype=STR, index=series.index)
    arr = _arrow(series)
    arr = pc.utf8_normalize(arr, "NFD")
    arr = pc.replace_substring(arr, "đ", "d")
    arr = pc.replace_substring(arr, "Đ", "D")
    # RE2 builds `\p{Mn}` and `\pZ` anew on every call (~0.5 ms, the whole cost on a short column):
    # the marks of Vietnamese text lie in U+0300–U+036F, all Mn (textnorm.fold does the same), and
    # on ASCII text `_WS_RUN` is `_ASCII_WS_RUN`
    arr = pc.replace_substring_regex(arr, _COMBINING_MARKS, "")
    ascii_only = pc.all(pc.string_is_ascii(arr), min_count=0).as_py()
    if not ascii_only:
        arr = pc.replace_substring_regex(arr, r"\p{Mn}", "")
    arr = pc.utf8_lower(arr)
    arr = pc.replace_substring_regex(arr, _ASCII_WS_RUN if ascii_only else _WS_RUN, " ")
    arr = pc.utf8_trim(arr, _EDGE_PUNCT)
    arr = pc.utf8_trim_whitespace(arr)
    return _series(arr, series.index)


# Text made only of these characters, single-spaced and trimmed, is already what `nfc` gives:
# printable ASCII, Latin-1 letters, Latin Extended-A/B, IPA and the precomposed Vietnamese letters
# (U+1E00–U+1EFF). Most cells are like that, so only the others pay for normalisation.
# tests/test_load_values.py checks that no pair of these characters changes under NFC.
_SETTLED_CHARS = r"\x{21}-\x{7E}\x{A1}-\x{2FF}\x{1E00}-\x{1EFF}"
_SETTLED = rf"^[{_SETTLED_CHARS}]+(?: [{_SETTLED_CHARS}]+)*$"


def nfc_series(series: pd.Series, *, shown: bool = False) -> pd.Series:
    """`textnorm.nfc` applied to every cell; blank results become NaN. With `shown` (values that
    reports show), control characters count as white space too — in the same pass."""
    if len(series) == 0:
        return pd.Series([], dtype=STR, index=series.index)
    return _series(_nfc_arrow(_arrow(series), shown), series.index)


#: a text column is normalised value by value when its first rows hold few distinct values
_SAMPLE_ROWS = 8192
_FEW_DISTINCT = 512
_WORTH_ENCODING = 50_000


def _nfc_arrow(arr: pa.Array | pa.ChunkedArray, shown: bool) -> pa.Array:
    """`nfc_series` on an Arrow string array: blank results null. A long column of few distinct
    values (names of procedures, units, statuses) is worked on once per distinct value: hashing
    the column costs less than running the normalisation test over every cell."""
    if len(arr) >= _WORTH_ENCODING and len(pc.unique(arr.slice(0, _SAMPLE_ROWS))) <= _FEW_DISTINCT:
        encoded = pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
        return _nfc_values(encoded.dictionary, shown).take(encoded.indices)
    return _nfc_values(arr, shown)


def _nfc_values(arr: pa.Array | pa.ChunkedArray, shown: bool) -> pa.Array:
    todo = pc.invert(pc.fill_null(pc.match_substring_regex(arr, _SETTLED), True))
    if isinstance(arr, pa.ChunkedArray):  # one contiguous column from here on (one copy)
        arr = arr.combine_chunks()
        todo = todo.combine_chunks()
    if pc.any(todo).as_py():
        part = pc.filter(arr, todo)
        part = pc.utf8_normalize(part, "NFC")
        part = pc.replace_substring_regex(part, _WS_OR_CONTROL_RUN if shown else _WS_RUN, " ")
        part = pc.utf8_trim_whitespace(part)
        arr = pc.replace_with_mask(arr, todo, part.cast(arr.type))
    return _blank_as_null(arr)


def clean_text_arrow(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A raw text column trimmed, empty and white-space-only cells null (Arrow throughout)."""
    return _blank_as_null(pc.utf8_trim_whitespace(arr))


def _blank_as_null(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Empty strings as null; no copy when there are none."""
    blank = pc.equal(arr, "")
    if pc.any(blank).as_py():
        arr = pc.if_else(blank, pa.scalar(None, arr.type), arr)
    return arr


def regex_mask(series: pd.Series, pattern: str, *, full: bool = False) -> np.ndarray:
    """Bool array: cells matching the RE2 `pattern` (`full`: the whole cell); blank cells False."""
    if len(series) == 0:
        return np.zeros(0, dtype=bool)
    if full:
        pattern = f"^(?:{pattern})$"
    result = pc.match_substring_regex(_arrow(series), pattern)
    return np.asarray(pc.fill_null(result, False), dtype=bool)


def regex_masks(columns: list[pd.Series], pattern: str) -> list[np.ndarray]:
    """`regex_mask(column, pattern)` for each column, in one pass over the columns put end to end:
    RE2 builds the pattern again on every call (and every chunk), which is most of the cost on
    short columns. The columns are copied into one array: meant for short ones."""
    arrays = [_arrow(column) for column in columns if len(column)]
    if len(arrays) < 2:
        return [regex_mask(column, pattern) for column in columns]
    chunks = [chunk for array in arrays for chunk in (array.chunks if isinstance(array, pa.ChunkedArray) else [array])]
    joined = pa.concat_arrays([chunk.cast(pa.large_string()) for chunk in chunks])
    found = np.asarray(pc.fill_null(pc.match_substring_regex(joined, pattern), False), dtype=bool)
    return np.split(found, np.cumsum([len(column) for column in columns])[:-1])
