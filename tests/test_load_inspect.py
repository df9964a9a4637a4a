"""`dxcheck inspect` data and rendering (terminal and JSON, Vietnamese and English)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from rich.console import Console

from dxcheck.load import inspect, load_file, render_inspect
from dxcheck.messages import _language, set_language
from dxcheck_synth.report import ReportSheet, write_workbook


@pytest.fixture
def workbook(tmp_path):
    frame = pd.DataFrame({
        "Mã hồ sơ": ["H1", "H2", "H3", "H4"],
        "Lĩnh vực": ["Hộ tịch", "Hộ tịch", "Đất đai", "Đất đai"],
        "Ngày tiếp nhận": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03", "bad"], errors="coerce"),
        "Hạn xử lý": ["05/10/2026", "06/10/2026", "31/02/2026", "08/10/2026"],
        "Hình thức nộp": ["Trực tuyến", "Qua Zalo", "Qua Zalo", None],
        "Trạng thái": ["Đã trả kết quả", "Đang xử lý", "Đang xử lý", "Đã hủy"],
    })
    notes = pd.DataFrame({"Nội dung": ["x"], "Người nhập": ["y"]})
    path = tmp_path / "ho_so.xlsx"
    write_workbook(path, [
        ReportSheet("Hồ sơ", frame, group_by="Lĩnh vực", drop_group_column=True),
        ReportSheet("Ghi chú", notes, banner=False, numbered_row=None, total_row=False, signature=False),
    ])
    return load_file(path)


def render(files, fmt, lang):
    token = set_language(lang)
    try:
        buffer = io.StringIO()
        render_inspect(files, fmt=fmt, console=Console(file=buffer, width=200, color_system=None))
        return buffer.getvalue()
    finally:
        _language.reset(token)


def test_inspect_data(workbook):
    data = inspect([workbook])
    (file,) = data["files"]
    hs, notes = file["sheets"]
    assert hs["dataset"] == "ho_so" and hs["header_row"] == 7 and hs["runner_up"] is not None
    assert {f["field"]: f["header"] for f in hs["fields"]}["linh_vuc"] == "<group rows>"
    assert hs["rows_left_out"] == {"blank": 4, "column_numbers": 1, "group": 2, "signature": 4, "total": 1}
    channel = {row["value"]: row for row in hs["value_counts"]["hinh_thuc_nop"]}
    assert channel["Qua Zalo"] == {"value": "Qua Zalo", "count": 2, "code": None, "known": False}
    assert channel["Trực tuyến"]["code"] == "truc_tuyen" and channel[""]["code"] == "truc_tiep"
    assert notes["dataset"] is None and notes["rows_left_out"] == {"unrecognised_sheet": 2}
    codes = sorted(w["code"] for w in file["warnings"])
    assert codes == ["load.unknown_values", "load.unreadable_date"]


def test_inspect_json_is_deterministic(workbook):
    first = render([workbook], "json", "vi")
    assert first == render([workbook], "json", "vi")
    parsed = json.loads(first)
    assert parsed["files"][0]["sheets"][0]["dataset"] == "ho_so"
    assert "Qua Zalo" in first


def test_inspect_terminal_vi_and_en(workbook):
    vi = render([workbook], "terminal", "vi")
    assert "Bộ dữ liệu: ho_so" in vi and "Hàng tiêu đề: 7" in vi
    assert "KHÔNG NHẬN RA" in vi and "Qua Zalo" in vi
    assert "(lấy từ các hàng nhóm)" in vi and "hàng nhóm 2" in vi
    assert "Không nhận ra bộ dữ liệu" in vi
    assert "31/02/2026" in vi
    en = render([workbook], "terminal", "en")
    assert "Dataset: ho_so" in en and "Header row: 7" in en and "NOT RECOGNISED" in en
    assert "group rows 2" in en and "Dataset not recognised" in en


def test_inspect_prints_cell_text_literally(tmp_path):
    frame = pd.DataFrame({
        "Mã hồ sơ": ["[bold]H1[/bold]", "H2"],
        "Ngày tiếp nhận": ["01/10/2026", "02/10/2026"],
        "Trạng thái": ["[red]Lạ[/red] :smile:", "Đang xử lý"],
    })
    path = tmp_path / "x.xlsx"
    write_workbook(path, [ReportSheet("Sổ (x)", frame)])
    files = [load_file(path)]
    out = render(files, "terminal", "vi")
    assert "[red]Lạ[/red] :smile:" in out and "“Sổ (x)”" in out
    assert ":smile:" in render(files, "json", "en")
