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
