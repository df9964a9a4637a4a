"""`dxcheck evaluate FILE` on every file of tests/corpus/: the exit code and the message for each.

A file that cannot be read gives exit 2 and one clear line on standard error that names the file
(no traceback, nothing on standard output). A file that can be read gives exit 0 or 1 and the
expected data warnings, and its rows add up. Every file in the folder must have an entry here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "corpus"

#: exit 2: words the message must contain (besides the file name)
REFUSED = {
    "truncated.xlsx": ["damaged"],
    "far-cell.xlsx": ["column 16384", "DXCHECK_MAX_COLUMNS"],
    "lying-dimension.xlsx": ["column 16384", "DXCHECK_MAX_COLUMNS"],
    "far-cell.xlsb": ["column 16384", "DXCHECK_MAX_COLUMNS"],
    "cells-without-reference.xlsx": ["column 16384", "DXCHECK_MAX_COLUMNS"],
    "zip-bomb.xlsx": ["unpacks to 3000001", "DXCHECK_MAX_UNZIPPED_BYTES", "zip bomb"],
    "size-mismatch.xlsx": ["damaged", "declares"],
    "empty-workbook.xlsx": ["every sheet is empty"],
    "not-a-dataset.xlsx": ["no sheet is recognised"],
    "pdf-renamed.xlsx": ["not a spreadsheet", "PDF"],
    "html-no-table.xls": ["web page (HTML)", "no table"],
    "word-renamed.xlsx": ["Word (DOCX)"],
    "encrypted.xlsx": ["password-protected"],
    "binary-junk.xlsx": ["matches no known format"],
    "truncated.parquet": ["damaged"],
    "empty.csv": ["is empty"],
    "wide.csv": ["column 3001", "DXCHECK_MAX_COLUMNS"],
    "repeated-cells.ods": ["100001 rows × 1000 columns", "DXCHECK_MAX_CELLS"],
}

#: exit 0/1: (exit code, rows used, {warning code: words its message must contain})
READ = {
    "empty-formatted-columns.xlsx": (0, 3, {}),
    "formula-without-value.xlsx": (1, 4, {"load.formula_without_value": ["C3, C5", "never computes"]}),
    "excel-errors.xlsx": (1, 3, {"load.unknown_yes_no": ["“#N/A” ×1 (3)"]}),
    "macros.xlsm": (0, 3, {}),
    "macros.ods": (0, 3, {}),
    "external-link.xlsx": (0, 3, {"load.external_links": ["tap-huan-2026.xlsx", "never opened"]}),
    "merged-everywhere.xlsx": (0, 3, {}),
    "header-only.xlsx": (0, 0, {}),
    "xlsx-named.csv": (0, 3, {}),
    "utf16be-no-bom.txt": (0, 3, {}),
    "utf32.csv": (0, 3, {}),
    "windows-1258-nfd.csv": (0, 3, {}),
    "junk-values.csv": (1, 3, {"load.unknown_yes_no": ["hình như có", "#N/A"]}),
    "html-table.xls": (0, 3, {}),  # a portal's "export to Excel": a web page holding the table
    "xml-2003.xls": (0, 3, {}),  # Excel 2003 XML (SpreadsheetML)
}

#: `dxcheck inspect` notes (no data problem, so not a warning)
NOTICES = {"macros.xlsm": "never run", "macros.ods": "never run"}


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DXCHECK_")}
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def runs() -> dict[str, subprocess.CompletedProcess]:
    """Every CLI run of this module, a few at a time (each is its own process)."""
    jobs = {name: ("evaluate", str(CORPUS / name), "--lang", "en", "--format", "json", "--no-timestamp")
            for name in [*REFUSED, *READ]}
    jobs.update({f"inspect:{name}": ("inspect", str(CORPUS / name), "--lang", "en", "--format", "json")
                 for name in NOTICES})
    jobs["vi:zip-bomb.xlsx"] = ("evaluate", str(CORPUS / "zip-bomb.xlsx"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_run, *args) for name, args in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def test_every_corpus_file_has_an_expectation():
    files = {path.name for path in CORPUS.iterdir() if path.is_file() and path.suffix != ".py"}
    assert files == set(REFUSED) | set(READ)
    assert not set(REFUSED) & set(READ)


def test_the_committed_corpus_is_what_the_script_makes():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.build().items():
        assert (CORPUS / name).read_bytes() == data, f"{name}: run python tests/corpus/make_corpus.py"
        assert len(data) < 8_000, f"{name} should stay tiny"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unreadable_files_exit_2_with_one_clear_line(runs, name):
    result = runs[name]
    assert result.returncode == 2, result.stderr + result.stdout[-500:]
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    first, *rest = result.stderr.strip().splitlines()
    assert first.startswith("dxcheck: ") and name in first, first
    for word in REFUSED[name]:
        assert word in first, (word, first)
    if name != "not-a-dataset.xlsx":  # that one lists each sheet below its first line, by design
        assert rest == [], result.stderr


@pytest.mark.parametrize("name", sorted(READ))
def test_readable_files_give_results_and_the_expected_warnings(runs, name):
    code, used, expected = READ[name]
    result = runs[name]
    assert result.returncode == code, result.stderr + result.stdout[-2000:]
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    (item,) = document["inputs"]
    sheets = [sheet for sheet in item["sheets"] if sheet["dataset"]]
    assert sum(sheet["rows_used"] for sheet in sheets) == used
    for sheet in item["sheets"]:
        assert sheet["rows_used"] + sum(sheet["rows_left_out"].values()) == sheet["rows_total"]
    codes = {warning.get("code") or "": warning["message"] for warning in document["warnings"]}
    messages = " ".join(warning["message"] for warning in document["warnings"])
    assert len(document["warnings"]) == len(expected), messages
    for key, words in expected.items():
        assert key in codes or all(word in messages for word in words), (key, messages)
        for word in words:
            assert word in messages, (word, messages)


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_inspect_notes_what_was_not_done(runs, name):
    result = runs[f"inspect:{name}"]
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)["files"]
    assert any(NOTICES[name] in notice["message"] for notice in item["notices"]), item["notices"]


def test_messages_are_vietnamese_by_default(runs):
    result = runs["vi:zip-bomb.xlsx"]
    assert result.returncode == 2
    assert "zip-bomb.xlsx" in result.stderr and "giải nén" in result.stderr and "DXCHECK_MAX_UNZIPPED_BYTES" in result.stderr
