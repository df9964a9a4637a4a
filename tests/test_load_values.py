"""Cell values read as their field's type, on whole columns."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxcheck.datasets import dataset
from dxcheck.load.rows import group_value
from dxcheck.load.text import _SETTLED, fold_series, nfc_series
from dxcheck.load.values import (
    parse_bools,
    parse_categories,
    parse_dates,
    parse_numbers,
)
from dxcheck.textnorm import fold, nfc

TS = pd.Timestamp
END = pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


def s(values):
    return pd.Series(values, dtype="str")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ ÀÁẢÃẠàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "\u0300\u0301\u0303\u0309\u0323\t\n\u00a0\u2003.,;:!?*'\"()[]{}-–—_•·#/›0123456789İ")), max_size=30),
    min_size=1, max_size=20))
def test_column_fold_and_nfc_agree_with_the_scalar_functions(texts):
    series = s(texts)
    assert fold_series(series).fillna("").tolist() == [fold(t) for t in texts]
    assert nfc_series(series).fillna("").tolist() == [nfc(t) for t in texts]


def _settled_characters() -> list[str]:
    """The characters `_SETTLED` lets through without normalisation, read off the pattern."""
    import re

    ranges = re.findall(r"\\x\{([0-9A-F]+)\}-\\x\{([0-9A-F]+)\}", _SETTLED)
    assert len(ranges) == 6  # three ranges, written twice in the pattern
    return sorted({chr(c) for low, high in ranges for c in range(int(low, 16), int(high, 16) + 1)})


def test_text_passed_over_by_the_fast_path_is_already_normal():
    # nfc_series skips cells made only of these characters: no such cell may change under NFC,
    # nor any two of them side by side (a second character could compose with the first)
    chars = _settled_characters()
    assert "a" in chars and "ệ" in chars and "\u0301" not in chars and "\u00a0" not in chars
    assert all(unicodedata.is_normalized("NFC", c) and not c.isspace() for c in chars)
    for first in chars:
        assert all(unicodedata.is_normalized("NFC", first + second) for second in chars), first


def test_dates_every_spelling_day_first():
    values, bad = parse_dates(s([
        "01/10/2026", "1/2/2026 7:05", "02/10/2026 08:30:15", "03-10-2026", "04.10.2026", "2026-10-05",
        "2026-10-06 13:45:10.250", "46300", "46300.5", "08:30 07/10/2026", None, "31/02/2026", "không rõ",
        "13/13/2026",
    ]))
    assert values.tolist()[:10] == [
        TS("2026-10-01"), TS("2026-02-01 07:05"), TS("2026-10-02 08:30:15"), TS("2026-10-03"), TS("2026-10-04"),
        TS("2026-10-05"), TS("2026-10-06 13:45:10.250"), TS("2026-10-05"), TS("2026-10-05 12:00"),
        TS("2026-10-07 08:30"),
    ]
    assert values.iloc[10:].isna().all()
    assert values.dtype == "datetime64[ns]"
    assert sorted(bad.values) == ["13/13/2026", "31/02/2026", "không rõ"]
    assert [p.tolist() for p in bad.positions] == [[11], [12], [13]]


def test_deadlines_without_time_mean_end_of_day():
    values, _ = parse_dates(s(["03/10/2026", "03/10/2026 00:00", "03/10/2026 17:00", "46298"]), deadline=True)
    assert values.tolist() == [TS("2026-10-03") + END, TS("2026-10-03") + END, TS("2026-10-03 17:00"),
                               TS("2026-10-03") + END]
    native, _ = parse_dates(pd.Series(pd.to_datetime(["2026-10-03", "2026-10-03 09:00"], format="ISO8601")), deadline=True)
    assert native.tolist() == [TS("2026-10-03") + END, TS("2026-10-03 09:00")]


@pytest.mark.parametrize("text, number", [
    ("50.000", 50000.0), ("97,29", 97.29), ("97,29 %", 97.29), ("1.234.567,5", 1234567.5), ("1234.5", 1234.5),
    ("1,234,567.89", 1234567.89), ("12", 12.0), ("-3", -3.0), ("(500)", -500.0), ("50.000 đ", 50000.0),
    ("50 000", 50000.0), ("0.5", 0.5), ("1.5e3", 1500.0),
])
def test_numbers(text, number):
    values, bad = parse_numbers(s([text]))
    assert values.tolist() == [number] and not bad


def test_number_ambiguity_follows_the_column_and_the_cell_type():
    # `1.234` next to English decimals is a decimal; next to Vietnamese numbers it is 1234
    assert parse_numbers(s(["1.234", "97.29"]))[0].tolist() == [1.234, 97.29]
    assert parse_numbers(s(["1.234", "97,29"]))[0].tolist() == [1234.0, 97.29]
    assert parse_numbers(s(["1.234", "50.000"]))[0].tolist() == [1234.0, 50000.0]
    # a cell stored as a number in the workbook is never read as thousands
    assert parse_numbers(s(["1.234", "50.000"]), np.array([True, False]))[0].tolist() == [1.234, 50000.0]
    values, bad = parse_numbers(s(["-", "abc", None]))
    assert values.isna().all() and bad.values == ["abc"]


def test_yes_no():
    spec = dataset("ho_so").fields["so_hoa"]
    cells = ["Có", "x", "X", "✓", "1", "Đã số hóa", "Không", "0", "Chưa số hóa", "-", None, "có lẽ", "CÓ", "khong"]
    values, bad, blank, _ = parse_bools(s(cells), spec)
    assert values.tolist() == [True, True, True, True, True, True, False, False, False, False, False, False, True, False]
    assert bad.values == ["có lẽ"] and bad.positions[0].tolist() == [11]
    assert blank.tolist() == [False] * 10 + [True] + [False] * 3


def test_yes_no_field_spellings():
    ky_so = dataset("van_ban_di").fields["ky_so"]
    assert parse_bools(s(["Ký số", "Ký tay", "Bản giấy", "Đã ký số"]), ky_so)[0].tolist() == [True, False, False, True]
    do_mat = dataset("van_ban_di").fields["do_mat"]
    assert parse_bools(s(["Mật", "Tối mật", "Thường", None]), do_mat)[0].tolist() == [True, True, False, False]
    pay = dataset("ho_so").fields["thanh_toan_truc_tuyen"]
    assert parse_bools(s(["Trực tuyến", "Tiền mặt", "Trực tiếp"]), pay)[0].tolist() == [True, False, False]


def test_categories_with_nfd_case_and_unknown_values():
    spec = dataset("ho_so").fields["trang_thai"]
    cells = [unicodedata.normalize("NFD", "Đã trả kết quả"), "ĐANG XỬ LÝ", "Công dân rút hồ sơ", "Trả lại", "Hủy",
             "Lạ", "Lạ", None]
    result = parse_categories(s(cells), spec, {})
    assert result.codes.tolist() == ["da_tra_ket_qua", "dang_xu_ly", "rut_ho_so", "tu_choi", "da_huy", None, None, None]
    assert result.unknown.values == ["Lạ"] and result.unknown.positions[0].tolist() == [5, 6]
    assert result.blank.tolist() == [False] * 7 + [True]
    assert result.value_counts["Lạ"] == 2 and result.value_counts[""] == 1
    assert result.value_counts["Đã trả kết quả"] == 1


@pytest.mark.parametrize("label, value", [
    ("I. Lĩnh vực Tư pháp", "Tư pháp"), ("1. Lĩnh vực đất đai", "đất đai"), ("Lĩnh vực: Hộ tịch", "Hộ tịch"),
    ("II Chứng thực", "II Chứng thực"), ("A. Văn hóa", "Văn hóa"), ("LĨNH VỰC TƯ PHÁP", "TƯ PHÁP"),
])
def test_group_values(label, value):
    assert group_value(label) == value
