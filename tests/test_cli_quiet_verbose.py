"""`--quiet` says only errors and the final summary; `--verbose` says which settings, files and
sheets were used and how long each step took, on standard error."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"
RUN = ("--rules", "binh-minh-2030", "--period", "2026-10", "--lang", "en", "--no-timestamp")


def dxcheck(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    env.pop("DXCHECK_LANG", None)
    return subprocess.run([sys.executable, "-m", "dxcheck", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The sample's files in a folder with its own dxcheck.toml, which a run names on stderr."""
    target = tmp_path_factory.mktemp("xa") / "2026-10"
    shutil.copytree(SAMPLE, target)
    made = dxcheck("init", target, "--commune", "Xã Bình Minh", "--pack", "binh-minh-2030", "--lang", "en")
    assert made.returncode == 0, made.stderr
    return target


@pytest.fixture(scope="module")
def summary(folder) -> dict:
    done = dxcheck("evaluate", folder, *RUN, "--format", "json")
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)["summary"]


def test_quiet_prints_the_summary_line_only(folder, summary):
    assert summary["fail"] > 0  # the sample fails some targets: the line has something to say
    loud = dxcheck("evaluate", folder, *RUN)
    assert "dxcheck.toml" in loud.stderr and len(loud.stdout.splitlines()) > 10
    quiet = dxcheck("evaluate", folder, *RUN, "--quiet")
    assert quiet.returncode == 1
    assert quiet.stderr == ""
    expected = f"{summary['pass']} passed, {summary['fail']} failed"
    if summary["no_data"]:
        expected += f", {summary['no_data']} without data"
    assert quiet.stdout.splitlines() == [expected]


def test_quiet_still_writes_the_report_asked_for(folder, summary, tmp_path):
    report = tmp_path / "ket-qua.json"
    done = dxcheck("evaluate", folder, *RUN, "-q", "--output", report)
    assert done.returncode == 1 and done.stderr == ""
    assert len(done.stdout.splitlines()) == 1 and str(report) in done.stdout
    assert json.loads(report.read_text(encoding="utf-8"))["summary"] == summary


def test_verbose_names_the_settings_files_sheets_and_timings(folder, tmp_path):
    done = dxcheck("evaluate", folder, *RUN, "--verbose", "--output", tmp_path / "r.json")
    assert done.returncode == 1
    said = done.stderr
    settings = next(folder.parent.rglob("dxcheck.toml"))  # init keeps it above the month's folder
    assert f"using configuration {settings}" in said
    for path in sorted(folder.glob("*.xlsx")):
        assert f"read {path}" in said, path.name
    assert "sheet “Danh sách hồ sơ”: ho_so, 3200 of 3219 rows used" in said
    assert re.search(r"8 file\(s\) read and evaluated in \d+\.\d\d s", said), said
    assert re.search(r"wrote the json report in \d+\.\d\d s", said), said
    assert "read " not in done.stdout  # standard output keeps only what it had


def test_inspect_quiet_counts_what_the_listing_shows(folder):
    listing = json.loads(dxcheck("inspect", folder, "--format", "json", "--lang", "en").stdout)
    files = listing if isinstance(listing, list) else listing["files"]
    sheets = [sheet for item in files for sheet in item["sheets"]]
    recognised = sum(1 for sheet in sheets if sheet.get("dataset"))
    done = dxcheck("inspect", folder, "-q", "--lang", "en")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines() == [f"{len(files)} files, {len(sheets)} sheets, {recognised} recognised"]


def test_inspect_verbose_says_how_long_reading_took(folder):
    done = dxcheck("inspect", folder, "-v", "--lang", "en")
    assert done.returncode == 0
    assert re.search(r"\d+ file\(s\) read in \d+\.\d\d s", done.stderr), done.stderr


@pytest.mark.parametrize("command", ["evaluate", "inspect"])
def test_quiet_and_verbose_exclude_each_other(command):
    done = dxcheck(command, SAMPLE, "-q", "-v", "--lang", "en")
    assert done.returncode == 2
    assert "--quiet and --verbose exclude each other" in done.stderr and "Traceback" not in done.stderr
