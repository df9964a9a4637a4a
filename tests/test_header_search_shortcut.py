"""The header search skips blocks of rows in which no column's lowest cell can end a header the
vocabulary knows, and blocks that could take fewer fields than a qualifying block already found
(headers.py `_block_bound`). The shortcuts must never change the header chosen: on every head of the shipped samples and of the real-layout corpus, the choice with the
shortcut equals the choice without it."""

from __future__ import annotations

from pathlib import Path

import pytest

import dxcheck
from corpus import real_layouts as L
from dxcheck.load import headers

ROOT = Path(__file__).resolve().parents[1]


def _choices(heads, shortcut: bool, monkeypatch):
    if not shortcut:
        monkeypatch.setattr(headers, "_block_bound", lambda *args: 1 << 20)  # every block may win
    out = []
    for head in heads:
        choice = headers.find_header(head, {})
        out.append(None if choice is None else (choice.first_row, choice.last_row, choice.best.dataset,
                                                choice.best.fields, choice.runner_up and choice.runner_up.dataset,
                                                [column.levels for column in choice.columns]))
    monkeypatch.undo()
    return out


@pytest.fixture(scope="module")
def heads(tmp_path_factory):
    """Every head the loader searched while reading the samples and each real layout once."""
    seen: list = []
    original = headers.find_header

    def recording(head, mapping):
        seen.append([list(row) for row in head])
        return original(head, mapping)

    import dxcheck.load.sheet as sheet

    sheet.find_header = recording
    try:
        for folder in ("binh-minh", "hoang-son"):
            dxcheck.evaluate([ROOT / "samples" / folder], period="2026-10")
        folder = tmp_path_factory.mktemp("layouts")
        for layout in L.LAYOUTS:
            path = folder / f"{layout.name}.xlsx"
            L.write(layout, path, "xlsx")
            dxcheck.evaluate([str(path)], period=L.PERIOD, timestamp=False)
    finally:
        sheet.find_header = original
    return seen


def test_the_shortcut_never_changes_the_header_chosen(heads, monkeypatch):
    assert len(heads) > 20
    fast, slow = _choices(heads, True, monkeypatch), _choices(heads, False, monkeypatch)
    assert fast == slow
    assert sum(choice is not None for choice in fast) > 20


def test_the_shortcut_skips_data_rows():
    head = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"], ["H1", "01/10/2026", "Đang xử lý"],
            ["H2", "02/10/2026", "Đã trả kết quả"]]
    ends = [[headers._cell_ends(cell) for cell in row] for row in head]
    assert headers._block_bound(ends, 0, 0) == 3  # the header row: each column may take a field
    assert headers._block_bound(ends, 1, 2) == 0  # two rows of data
    # the header with a row of data under it: the data row's cells are the leaves, and none may end a key
    assert headers._block_bound(ends, 0, 1) == 0


def test_blocks_that_cannot_beat_the_header_found_are_not_ranked(monkeypatch):
    """A sheet of many records: once the header block qualifies, the blocks of data rows below it
    (whose cells may end a vocabulary key, as status words do) are not even built into columns."""
    head = [["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Hình thức nộp", "Tiến độ"]]
    head += [[f"H{i}", "01/10/2026", "05/10/2026", "Trực tuyến", "Đúng hạn" if i % 3 else "Quá hạn"]
             for i in range(30)]
    built = []
    original = headers.build_columns
    monkeypatch.setattr(headers, "build_columns", lambda rows: built.append(len(rows)) or original(rows))
    choice = headers.find_header(head, {})
    assert (choice.first_row, choice.last_row, choice.best.dataset) == (0, 0, "ho_so")
    assert len(built) == 1  # the header row alone
