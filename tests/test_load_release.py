"""The loader lets go of a sheet's raw columns as its fields are typed (issue 17: a million-row
workbook's raw and typed columns did not fit side by side under the memory limit), and the
records it gives are the same: every field is still read from its own column, on one thread or
several, also when two fields read one column."""

from __future__ import annotations

import numpy as np
import pytest

from dxcheck import parallel
from dxcheck.load import sheet as sheet_module
from dxcheck.load.cells import sheet_from_cells
from dxcheck.load.sheet import SheetLoader

HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục", "Ngày tiếp nhận", "Trạng thái", "Lệ phí", "Ghi chú"]
ROWS = [
    ["1", "H001", "Đăng ký khai sinh", "01/10/2026", "Đang xử lý", "10.000", "a"],
    ["2", "H002", "Chứng thực bản sao", "02/10/2026", "Đã trả kết quả", "", None],
    ["3", " H003 ", "Đăng ký  kết hôn", "2026-10-03", "Đang xử lý", "5000", "c"],
]


def raw_sheet():
    grid = [HEADER, *ROWS]
    cells = [(i, j, text) for i, row in enumerate(grid) for j, text in enumerate(row) if text]
    rows, cols, texts = zip(*cells)
    return sheet_from_cells("Hồ sơ", rows, cols, texts, [False] * len(texts))


@pytest.fixture(params=[1, 2], ids=["one thread", "two threads"])
def threads(request, monkeypatch):
    monkeypatch.setenv("DXCHECK_THREADS", str(request.param))
    monkeypatch.setattr(parallel, "THREADED_ROWS", 0)  # three rows typed on threads too
    return request.param


def test_the_raw_columns_are_let_go_and_the_records_are_read_from_them(threads):
    raw = raw_sheet()
    loaded = SheetLoader("ho-so.xlsx", raw, {}).load()
    # every column let go, also the one no field reads ("Ghi chú")
    assert [column is None for column in raw.columns] == [True] * len(HEADER)
    data = loaded.data
    assert data["ma_ho_so"].tolist() == ["H001", "H002", "H003"]
    assert data["ten_thu_tuc"].tolist() == ["Đăng ký khai sinh", "Chứng thực bản sao", "Đăng ký kết hôn"]
    assert data["ngay_tiep_nhan"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02", "2026-10-03"]
    assert data["trang_thai"].notna().all()
    assert data["le_phi"].tolist()[0] == 10000 and np.isnan(data["le_phi"].tolist()[1])
    assert data["_row"].tolist() == [2, 3, 4]


def test_a_column_two_fields_read_is_kept_until_both_hold_it(threads, monkeypatch):
    """Two fields placed on one column (as `claim_by_values` may): the first one typed must not
    take the column from the second."""
    claim = sheet_module.claim_by_values

    def claim_twice(sheet, choice, spec):
        claim(sheet, choice, spec)
        choice.best.fields["ma_thu_tuc"] = choice.best.fields["ten_thu_tuc"]

    monkeypatch.setattr(sheet_module, "claim_by_values", claim_twice)
    raw = raw_sheet()
    data = SheetLoader("ho-so.xlsx", raw, {}).load().data
    assert data["ma_thu_tuc"].tolist() == data["ten_thu_tuc"].tolist() == [
        "Đăng ký khai sinh", "Chứng thực bản sao", "Đăng ký kết hôn"]
    assert [column is None for column in raw.columns] == [True] * len(HEADER)
