"""Whole-column text normalisation on long columns: a column of few distinct values is worked on
value by value (load/text.py `_nfc_arrow`); it must give, cell for cell, what the scalar
functions give."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa

from dxcheck.load import text
from dxcheck.load.text import STR, nfc_series, shown
from dxcheck.textnorm import nfc

_SPELLINGS = ["Cấp giấy chứng nhận quyền sử dụng đất", unicodedata.normalize("NFD", "Đăng ký khai sinh"),
              "  Chứng thực   bản sao\n", "", "   ", None, "Xã\x1b[31m Bình Minh", "Đã trả kết quả", "x\u00a0y"]


def _column(rows: int, seed: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(_SPELLINGS), rows)
    return pd.Series([_SPELLINGS[i] for i in picks], dtype=STR)


def _expected(series: pd.Series, as_shown: bool) -> list:
    scalar = shown if as_shown else nfc
    return [None if value is None or pd.isna(value) or not scalar(value) else scalar(value)
            for value in series.astype(object)]


def _cells(series: pd.Series) -> list:
    return [None if pd.isna(value) else value for value in series.astype(object)]


def test_a_long_column_of_few_values_is_normalised_cell_for_cell():
    column = _column(text._WORTH_ENCODING + 1234, seed=7)
    assert len(pa.compute.unique(text._arrow(column).slice(0, text._SAMPLE_ROWS))) <= text._FEW_DISTINCT
    for as_shown in (True, False):
        assert _cells(nfc_series(column, shown=as_shown)) == _expected(column, as_shown)


def test_a_long_column_of_distinct_values_takes_the_cell_by_cell_path_with_the_same_result():
    ids = pd.Series([f" HS-{i:06d} " if i % 5 else unicodedata.normalize("NFD", f"Hồ sơ {i}")
                     for i in range(text._WORTH_ENCODING + 10)], dtype=STR)
    assert len(pa.compute.unique(text._arrow(ids).slice(0, text._SAMPLE_ROWS))) > text._FEW_DISTINCT
    assert _cells(nfc_series(ids, shown=True)) == _expected(ids, True)


def test_both_paths_agree_on_a_chunked_column():
    column = _column(text._WORTH_ENCODING * 2, seed=11)
    arrow = text._arrow(column)
    chunked = pa.chunked_array([arrow.slice(0, 70_000), arrow.slice(70_000)])
    encoded = text._nfc_arrow(chunked, True)
    plain = text._nfc_values(chunked, True)
    plain = plain.combine_chunks() if isinstance(plain, pa.ChunkedArray) else plain
    assert encoded.type == plain.type and encoded.to_pylist() == plain.to_pylist()


# --- folding: marks dropped by table where that settles it (textnorm.fold, text.fold_series) ------


def _fold_by_category(value: str) -> str:
    """textnorm.fold as first written: every character's category asked."""
    from dxcheck.textnorm import _EDGE_PUNCT, _SPACES

    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip(_EDGE_PUNCT).strip()


def test_the_marks_dropped_by_table_are_all_nonspacing_marks_for_python_and_for_re2():
    from dxcheck.textnorm import _COMBINING_MARKS

    block = [chr(code) for code in _COMBINING_MARKS]
    assert len(block) == 0x70 and all(unicodedata.category(ch) == "Mn" for ch in block)
    re2_removes = pa.compute.replace_substring_regex(pa.array(block), r"\p{Mn}", "").to_pylist()
    assert re2_removes == [""] * len(block)
    assert pa.compute.replace_substring_regex(pa.array(block), text._COMBINING_MARKS, "").to_pylist() == re2_removes


_FOLD_CASES = ["Ngày  Tiếp\nNhận:", unicodedata.normalize("NFD", "Đơn vị (Phường)"), "Tổng cộng", "ASCII only",
               # marks outside U+0300–U+036F (Cyrillic titlo, combining for symbols, Hebrew) and non-ASCII letters
               "x\u0483y", "A\u20d0B", "\u05b0ש", "Ωμέγα", "ǅ", "Straße", "\u1ab0đ", "", "  ", "-(1)-", "ÀÉÎÕÜ\u0301"]


def test_fold_gives_what_asking_every_character_gives():
    from dxcheck.textnorm import fold

    assert [fold(value) for value in _FOLD_CASES] == [_fold_by_category(value) for value in _FOLD_CASES]


def test_fold_series_gives_the_same_whether_or_not_marks_outside_the_block_remain():
    from dxcheck.load.text import fold_series

    vietnamese = _FOLD_CASES[:4]
    for values in (vietnamese, _FOLD_CASES, [*vietnamese, None], [None, None]):
        column = pd.Series(values, dtype=STR)
        expected = [None if value is None or not _fold_by_category(value) else _fold_by_category(value)
                    for value in values]
        got = [None if pd.isna(value) else value for value in fold_series(column).astype(object)]
        assert [value or None for value in got] == expected


def test_testing_columns_together_marks_the_cells_testing_each_marks():
    from dxcheck.load.rows import _TOTAL_PREFILTER
    from dxcheck.load.text import regex_mask, regex_masks

    labels = pd.Series(["Tổng cộng", None, "Cộng: 15 hồ sơ", "Tống Toàn Thắng", "", "toàn xã", "x"], dtype=STR)
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["  Tổng số", None], ["cả năm ", "Cong"]])))
    columns = [labels, pd.Series([], dtype=STR), pd.Series([1.0, None, 3.5]), chunked, pd.Series([None, None], dtype=STR),
               pd.Series(pd.to_datetime(["2026-10-01", None]))]
    expected = [regex_mask(column, _TOTAL_PREFILTER) for column in columns]
    got = regex_masks(columns, _TOTAL_PREFILTER)
    assert [mask.dtype for mask in got] == [np.dtype(bool)] * len(columns)
    assert [mask.tolist() for mask in got] == [mask.tolist() for mask in expected]
    assert expected[0].tolist() == [True, False, True, True, False, True, False]  # the prefilter, not yet the label test
    assert expected[3].tolist() == [True, False, True, True]
    assert [mask.tolist() for mask in regex_masks(columns[:1], "^x$")] == [[False] * 6 + [True]]


def test_on_ascii_text_the_ascii_white_space_run_is_the_full_one():
    ascii_chars = [chr(code) for code in range(128)]
    column = pa.array([f"a{ch}{ch}b" for ch in ascii_chars])
    full = pa.compute.replace_substring_regex(column, text._WS_RUN, " ").to_pylist()
    assert pa.compute.replace_substring_regex(column, text._ASCII_WS_RUN, " ").to_pylist() == full
    assert sum(value == "a b" for value in full) == 10  # \t \n \v \f \r, \x1c-\x1f and the space


def test_folding_part_of_a_column_keeps_each_cell_on_its_row():
    """A column's rows picked out (the rows left open, say) fold cell for cell onto the same rows:
    put back beside the column, each folded text stands on the row it came from."""
    from dxcheck.load.text import fold_series

    column = pd.Series(["Đã trả", "Hủy", "  Đang   XỬ LÝ ", "Straße"], dtype=STR, index=[10, 11, 12, 13])
    expected = {10: "da tra", 11: "huy", 12: "dang xu ly", 13: "straße"}
    for picked in (column.iloc[[2, 0]], column.iloc[[1, 3]]):  # ASCII once folded; one cell still not
        folded = fold_series(picked)
        assert list(folded.index) == list(picked.index)
        assert column.to_frame("cell").assign(folded=folded)["folded"].dropna().to_dict() == {
            row: expected[row] for row in picked.index}
    assert fold_series(column.iloc[:0]).index.equals(column.iloc[:0].index)
