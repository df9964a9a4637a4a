"""Per-file progress on standard error: which file is read (and how many of how many), only on a
terminal, only without --quiet, only for runs longer than the delay; standard output unchanged."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import dxcheck.load.api as load_api
from dxcheck import cli, cli_progress

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"
ODD_NAME = "[bold]thon.xlsx"  # a file name that looks like rich markup is shown as named


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xa")
    for name in ("ho-so-2026-10.xlsx", "can-bo.xlsx"):
        shutil.copy(SAMPLE / name, root / name)
    shutil.copy(SAMPLE / "thon.xlsx", root / ODD_NAME)
    return root


def _run(monkeypatch, folder: Path, *options: str, terminal: bool, delay: float) -> tuple[str, str]:
    """(stdout, stderr) of `evaluate FOLDER` with every file read slowly (0.3 s)."""
    original = load_api.load_file

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(load_api, "load_file", slow)
    monkeypatch.setattr(cli_progress, "DELAY", delay)
    buffer = io.StringIO()
    monkeypatch.setattr(cli, "stderr", Console(file=buffer, force_terminal=terminal, width=200, highlight=False))
    done = CliRunner().invoke(cli.app, ["evaluate", str(folder), "--rules", "binh-minh-2030", "--period", "2026-10",
                                        "--no-timestamp", "--format", "md", *options])
    assert done.exit_code in (0, 1), done.output
    return done.stdout, buffer.getvalue()


def test_a_slow_run_on_a_terminal_names_each_file_on_stderr_only(monkeypatch, folder):
    out, err = _run(monkeypatch, folder, "--lang", "en", terminal=True, delay=0.2)
    # files in name order, counted over all inputs
    assert "reading can-bo.xlsx (2/3)" in err and "reading ho-so-2026-10.xlsx (3/3)" in err
    assert "reading [bold]thon.xlsx (1/3)" in err  # shown as named, not as markup
    plain, quiet_err = _run(monkeypatch, folder, "--lang", "en", terminal=False, delay=0.2)
    assert out == plain and "reading" not in out  # standard output is the same with or without progress
    assert "reading" not in quiet_err  # not a terminal: nothing


def test_quiet_and_quick_runs_show_no_progress(monkeypatch, folder):
    _, err = _run(monkeypatch, folder, "--lang", "en", "--quiet", terminal=True, delay=0.2)
    assert "reading" not in err
    _, err = _run(monkeypatch, folder, "--lang", "en", terminal=True, delay=60)  # quicker than the delay
    assert "reading" not in err
