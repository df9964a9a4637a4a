"""dxcheck's own reports saved into the data folder are skipped, never read as data (REFERENCE §3).

Reports are written by the real command (`dxcheck evaluate --format … -o`), into the very folder
that is evaluated next month.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

import dxcheck
from dxcheck.errors import InputError
from dxcheck.load import load_inputs
from dxcheck.load.inspect import inspect
from dxcheck.load.own_reports import is_dxcheck_report
from dxcheck.messages import _language, set_language
from dxcheck.render import renderer
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, write_csv, write_plain_xlsx, write_workbook

ROOT = Path(__file__).resolve().parents[1]
PACK = "binh-minh-2030"
FORMATS = {"xlsx": "bao-cao.xlsx", "html": "bao-cao.html", "md": "bao-cao.md", "json": "bao-cao.json",
           "junit": "bao-cao.xml"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=ROOT)


def _comparable(document: dict) -> dict:
    return {key: document[key] for key in ("summary", "results", "warnings", "period")}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A commune's data folder: a dossier list and a staff list."""
    path = tmp_path_factory.mktemp("xa") / "binh-minh"
    path.mkdir()
    write_workbook(path / "ho-so-2026-10.xlsx", [ReportSheet("Hồ sơ", records.dossiers(120, "2026-10", seed=4))])
    write_workbook(path / "can-bo.xlsx", [ReportSheet("Cán bộ", records.staff(15, seed=4), total_row=False)])
    return path


@pytest.fixture(scope="module")
def with_reports(folder, tmp_path_factory) -> tuple[dict, Path]:
    """(the JSON result before any report was saved, the folder holding last month's reports)."""
    before = run("evaluate", str(folder), "-r", PACK, "-p", "2026-10", "--no-timestamp", "-f", "json")
    assert before.returncode in (0, 1), before.stderr
    # dxcheck refuses to write inside its input folder (output_guard.py): last month's reports get
    # there by hand, copied from where they were written
    elsewhere = tmp_path_factory.mktemp("bao-cao")
    outputs = [arg for name in FORMATS.values() for arg in ("-o", str(elsewhere / name))]
    written = run("evaluate", str(folder), "-r", PACK, "-p", "2026-10", *outputs)
    assert written.returncode in (0, 1), written.stderr
    for name in FORMATS.values():
        (folder / name).write_bytes((elsewhere / name).read_bytes())
    return json.loads(before.stdout), folder


def test_every_report_format_is_recognised_by_its_content(with_reports, tmp_path):
    _, folder = with_reports
    for kind, name in FORMATS.items():
        path = folder / name
        assert is_dxcheck_report(path) == kind, name
        assert is_dxcheck_report(path, path.read_bytes()) == kind, name
        renamed = tmp_path / f"du-lieu-{kind}.xlsx"  # by content, whatever the name says
        renamed.write_bytes(path.read_bytes())
        assert is_dxcheck_report(renamed) == kind, name
    head = (folder / FORMATS["html"]).read_bytes()[:4096]  # a reader that looked at the head only
    assert is_dxcheck_report(folder / FORMATS["html"], head) == "html"


def test_exports_are_not_taken_for_reports(folder, tmp_path):
    frame = records.dossiers(20, "2026-10", seed=2)
    write_plain_xlsx(tmp_path / "plain.xlsx", frame)
    write_csv(tmp_path / "ho-so.csv", frame)
    (tmp_path / "portal.html").write_text(
        '<html><head><meta name="generator" content="Cổng dịch vụ công"></head><body><table><tr><td>Mã hồ sơ</td>'
        "</tr><tr><td>dxcheck</td></tr></table></body></html>", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"data": [], "dxcheck_version": "0.1.0"}', encoding="utf-8")
    (tmp_path / "ci.xml").write_text('<?xml version="1.0"?>\n<testsuites name="pytest"></testsuites>\n', encoding="utf-8")
    # the generator's workbooks say creator "dxcheck" (no version): data, not a report
    for path in [*folder.glob("*.xlsx"), *tmp_path.iterdir()]:
        if not path.name.startswith("bao-cao"):
            assert is_dxcheck_report(path) is None, path.name
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert is_dxcheck_report(tmp_path / "broken.xlsx") is None  # the reader says what is wrong with it


def test_a_folder_holding_last_months_report_gives_the_same_results_with_a_notice(with_reports):
    before, folder = with_reports
    again = run("evaluate", str(folder), "-r", PACK, "-p", "2026-10", "--no-timestamp", "-f", "json")
    assert again.returncode in (0, 1), again.stderr
    after = json.loads(again.stdout)
    assert _comparable(after) == _comparable(before)
    report = str(folder / "bao-cao.xlsx")  # the only report with an extension a folder is read for
    skipped = [item for item in after["inputs"] if item.get("skipped")]
    assert skipped == [{"path": report, "sha256": skipped[0]["sha256"], "sheets": [], "skipped": "dxcheck_report"}]
    assert [item["path"] for item in after["inputs"] if "skipped" not in item] == [
        item["path"] for item in before["inputs"]]
    (notice,) = after["notes"]
    assert notice["code"] == "load.own_report_skipped" and notice["path"] == report
    assert "báo cáo do dxcheck viết" in notice["message"] and "bỏ qua" in notice["message"]
    # a notice fails nothing, not even under --strict
    strict_before = run("evaluate", str(folder / "ho-so-2026-10.xlsx"), str(folder / "can-bo.xlsx"), "-r", PACK,
                        "-p", "2026-10", "--strict")
    strict_after = run("evaluate", str(folder), "-r", PACK, "-p", "2026-10", "--strict", "--lang", "en")
    assert strict_after.returncode == strict_before.returncode
    assert "is a report written by dxcheck (xlsx): it was skipped" in " ".join(strict_after.stdout.split())


def test_the_notice_is_shown_in_every_report_and_in_inspect(with_reports):
    _, folder = with_reports
    result = dxcheck.evaluate([folder], rules=[PACK], period="2026-10", timestamp=False)
    token = set_language("en")
    try:
        sentence = f"{folder / 'bao-cao.xlsx'} is a report written by dxcheck (xlsx): it was skipped, not read as data."
        assert [note.message for note in result.notes] == [sentence]
        for name in ("md", "html", "junit", "json"):
            assert html.escape(sentence, quote=False) in renderer(name)(result), name
        assert sentence in " ".join(renderer("terminal")(result).split())
        book = load_workbook(BytesIO(renderer("xlsx")(result)))
        assert sentence in [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    finally:
        _language.reset(token)
    files = inspect(load_inputs([folder]))["files"]
    (entry,) = [item for item in files if item["path"].endswith("bao-cao.xlsx")]
    assert entry["sheets"] == [] and [notice["code"] for notice in entry["notices"]] == ["load.own_report_skipped"]


def test_a_report_named_on_the_command_line_is_an_input_error(with_reports):
    _, folder = with_reports
    path = folder / FORMATS["xlsx"]
    done = run("evaluate", str(path), str(folder / "can-bo.xlsx"), "-r", PACK, "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert f"{path} is a report written by dxcheck (xlsx), not an export from a system" in done.stderr
    assert "Traceback" not in done.stderr
    for kind, name in FORMATS.items():  # whatever its format, and whether or not a folder would read it
        with pytest.raises(InputError) as error:
            dxcheck.evaluate([folder / name], rules=[PACK], lang="en")
        assert error.value.key == "load.own_report" and error.value.params["format"] == kind


def test_a_folder_of_reports_only_is_an_input_error(with_reports, tmp_path):
    _, folder = with_reports
    (tmp_path / "bao-cao-thang-9.xlsx").write_bytes((folder / "bao-cao.xlsx").read_bytes())
    done = run("inspect", str(tmp_path), "--lang", "en")
    assert done.returncode == 2
    assert f"Folder {tmp_path} holds only reports written by dxcheck (bao-cao-thang-9.xlsx)" in done.stderr


def test_a_web_page_report_saved_as_xls_is_skipped_not_read_as_a_portal_page(with_reports, tmp_path):
    # web pages saved as .xls are read as the table they hold — except a report of ours
    _, folder = with_reports
    for name in ("ho-so-2026-10.xlsx", "can-bo.xlsx"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    (tmp_path / "bao-cao-web.xls").write_bytes((folder / FORMATS["html"]).read_bytes())
    loaded = load_inputs([tmp_path])
    (skipped,) = [item for item in loaded if item.skipped]
    assert skipped.path == str(tmp_path / "bao-cao-web.xls") and skipped.kind == "html" and skipped.sheets == []
    assert [notice.code for notice in skipped.notices] == ["load.own_report_skipped"]
