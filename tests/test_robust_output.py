"""Hostile cell values, from a file on disk through `dxcheck evaluate` into every report format.

tests/test_render_*.py check each renderer on a built result; this runs the whole way: values that
look like markup, formulas, terminal control codes or paths are read from a workbook, listed as
failing records, and written with --output. They must come out as text, and nothing but the
files asked for may be written.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "corpus" / "make_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

HOSTILE = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://example.invalid","bấm vào")',
    "+SUM(1;2)",
    "@cmd",
    "-1+2",
    "\tTAB=1",
    "../../ngoai-thu-muc.html",
    "/tmp/tuyet-doi.xlsx",
    "C:\\Windows\\win.ini",
    "a\x1b[31mđỏ\x1b[0m",
    "chuông\x07",
    "| ô | bảng |",
    "**đậm** `mã`",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    data = folder / "can-bo.xlsx"
    rows = [[value, "Công chức", "Không"] for value in HOSTILE] + [["Nguyễn Văn An", "Chủ tịch", "Có"]]
    data.write_bytes(corpus.staff_xlsx(rows))
    before = sorted(p.name for p in folder.parent.iterdir())
    names = ["bao-cao.html", "bao-cao.xlsx", "ket-qua.json", "junit.xml", "bao-cao.md"]
    args = [sys.executable, "-m", "dxcheck", "evaluate", str(data), "--rules", "binh-minh-2030", "--no-timestamp",
            "--samples", "50"]
    for name in names:
        args += ["--output", name]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DXCHECK_")}
    done = subprocess.run(args, capture_output=True, text=True, cwd=folder, env=env, timeout=300)
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(["can-bo.xlsx", *names])
    assert sorted(p.name for p in folder.parent.iterdir()) == before
    files = {name: (folder / name).read_bytes() for name in names}
    terminal = subprocess.run(args[: args.index("--output")], capture_output=True, cwd=folder, env=env, timeout=300)
    assert terminal.returncode == 1 and sorted(p.name for p in folder.iterdir()) == sorted(["can-bo.xlsx", *names])
    files["terminal"] = terminal.stdout
    return files


def test_json_keeps_every_value_exactly(outputs):
    document = json.loads(outputs["ket-qua.json"])
    ids = {sample["record_id"] for result in document["results"] for sample in result.get("samples", [])}
    for value in HOSTILE:
        if "\x1b" in value or "\x07" in value:
            continue  # control characters: see the other formats
        assert " ".join(value.split()) in ids, value


def test_html_shows_markup_as_text(outputs):
    html = outputs["bao-cao.html"].decode("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1b" not in html and "\x07" not in html


def test_xlsx_holds_no_formula(outputs):
    data = outputs["bao-cao.xlsx"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t"]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_junit_is_well_formed_xml_without_control_characters(outputs):
    text = outputs["junit.xml"].decode("utf-8")
    ElementTree.fromstring(text)
    assert "\x1b" not in text and "\x07" not in text


def test_markdown_and_terminal_carry_no_control_characters(outputs):
    for name in ("bao-cao.md", "terminal"):
        text = outputs[name].decode("utf-8")
        assert "\x1b" not in text and "\x07" not in text, name
    markdown = outputs["bao-cao.md"].decode("utf-8")
    assert "<script>" not in markdown
