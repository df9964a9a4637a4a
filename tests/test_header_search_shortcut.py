"""The header search skips blocks of rows in which no column's lowest cell can end a header the
vocabulary knows (headers.py `_block_may_match`). The shortcut must never change the header
chosen: on every head of the shipped samples and of the real-layout corpus, the choice with the
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
        monkeypatch.setattr(headers, "_block_may_match", lambda *args: True)
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
    assert headers._block_may_match(ends, 0, 0)  # the header row
    assert not headers._block_may_match(ends, 1, 2)  # two rows of data
