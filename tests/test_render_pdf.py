"""PDF output: the HTML report printed by a headless Chromium-family browser, A4, no browser
header or footer, written whole or not at all; a clear error when no browser is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxcheck.errors import UsageError
from dxcheck.messages import set_language
from dxcheck.render import pdf

ROOT = Path(__file__).resolve().parents[1]
BROWSER = pdf.find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium, Chrome or Edge installed: `apt-get install chromium` (CI installs it)")
posix_only = pytest.mark.skipif(os.name == "nt", reason="the stand-in browsers are shell scripts")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def without_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))
    for variable in (pdf.BROWSER_ENV, "ProgramFiles", "ProgramFiles(x86)", "LocalAppData"):
        monkeypatch.delenv(variable, raising=False)


def stand_in_browser(tmp_path: Path, body: str) -> Path:
    """A shell script in place of the browser; `$out` is the --print-to-pdf path it was given."""
    script = tmp_path / "fake-browser"
    script.write_text("#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; "
                      f"esac; done\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if BROWSER is None:
        pytest.skip("no Chromium, Chrome or Edge installed: `apt-get install chromium` (CI installs it)")
    out = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    done = run("evaluate", "samples/binh-minh", "--rules", "binh-minh-2030", "--period", "2026-10", "-o", str(out))
    assert done.returncode in (0, 1), done.stderr
    return out


def pdf_text(path: Path, *pages: int) -> str:
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", "-layout", *first_last, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@needs_browser
def test_sample_report_prints_to_an_a4_pdf(sample_pdf: Path) -> None:
    data = sample_pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert not list(sample_pdf.parent.glob(".*.part")), "the partial file was left behind"
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = pdf_text(sample_pdf)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU CHUYỂN ĐỔI SỐ" in text
    assert "BÌNH MINH" in text and "Bình Minh" in text
    assert "tháng 10/2026" in text
    info = subprocess.run(["pdfinfo", str(sample_pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info


@needs_browser
def test_pdf_carries_no_browser_header_or_footer(sample_pdf: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = pdf_text(sample_pdf)
    # The browser's own header and footer print the file:// URL, the page title and "1/14".
    assert "file:" not in text and "report.html" not in text
    pages = text.count("\f")
    assert pages >= 2
    assert f"1/{pages}" not in text
    # The report's own running head (CSS @page) numbers the pages after the first.
    second = pdf_text(sample_pdf, 2)
    assert second.splitlines()[0].strip() == "2"


@needs_browser
def test_format_pdf_with_an_output_of_another_name(tmp_path: Path) -> None:
    out = tmp_path / "thang-10.bin"
    done = run("evaluate", "samples/binh-minh", "--rules", "binh-minh-2030", "--period", "2026-10",
               "--format", "pdf", "--output", str(out), "--lang", "en")
    assert done.returncode in (0, 1), done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        assert "DIGITAL TRANSFORMATION" in pdf_text(out).upper()


@needs_browser
def test_html_to_pdf_prints_escaped_text_and_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.pdf"
    target.parent.mkdir()
    target.write_bytes(b"last month")
    pdf.html_to_pdf("<!doctype html><meta charset=utf-8><title>t</title><p>Xã Bình Minh &lt;b&gt;</p>", target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]
    if shutil.which("pdftotext"):
        assert "Xã Bình Minh <b>" in pdf_text(target)


def test_no_browser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    without_browser(monkeypatch, tmp_path)
    assert pdf.find_browser() is None
    set_language("vi")
    with pytest.raises(UsageError) as raised:
        pdf.html_to_pdf("<p>x</p>", tmp_path / "x.pdf")
    message = str(raised.value)
    assert raised.value.key == "report_formats.pdf.no_browser"
    assert "Microsoft Edge" in message and "Chromium" in message and "DXCHECK_BROWSER" in message
    assert not (tmp_path / "x.pdf").exists()


def test_cli_without_a_browser_exits_2_before_evaluating(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    without_browser(monkeypatch, tmp_path)
    out = tmp_path / "bao-cao.pdf"
    done = run("evaluate", "samples/binh-minh", "--rules", "binh-minh-2030", "-o", str(out), "--lang", "en",
               env=dict(os.environ))
    assert done.returncode == 2
    assert "no browser found to print the PDF" in done.stderr and "Traceback" not in done.stderr
    assert "Install Microsoft Edge, Google Chrome or Chromium" in done.stderr
    assert not out.exists()


def test_browser_chosen_by_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    without_browser(monkeypatch, tmp_path)
    script = stand_in_browser(tmp_path, "exit 0")
    monkeypatch.setenv(pdf.BROWSER_ENV, str(script))
    assert pdf.find_browser() == script
    monkeypatch.setenv(pdf.BROWSER_ENV, str(tmp_path / "missing.exe"))
    assert pdf.find_browser() is None


def test_windows_install_locations_are_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    without_browser(monkeypatch, tmp_path)
    edge = tmp_path / "Program Files (x86)" / "Microsoft" / "Edge" / "Application" / "msedge.exe"
    edge.parent.mkdir(parents=True)
    edge.write_bytes(b"")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "Program Files (x86)"))
    # On Linux the backslashes of the relative path are part of one file name; build it the
    # way Windows would read it.
    monkeypatch.setattr(pdf, "WINDOWS_BROWSERS", tuple(p.replace("\\", os.sep) for p in pdf.WINDOWS_BROWSERS))
    assert pdf.find_browser() == edge


@posix_only
def test_a_hung_browser_is_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = stand_in_browser(tmp_path, "sleep 37.25 & wait")
    target = tmp_path / "x.pdf"
    set_language("en")
    with pytest.raises(UsageError) as raised:
        pdf.html_to_pdf("<p>x</p>", target, browser=script, timeout=1)
    assert raised.value.key == "report_formats.pdf.timeout"
    assert "more than 1 seconds" in str(raised.value)
    assert not target.exists() and not list(tmp_path.glob(".*.part"))
    # the browser's own children went with it
    leftover = subprocess.run(["pgrep", "-f", "sleep 37.25"], capture_output=True, text=True).stdout.strip()
    assert leftover == ""


@posix_only
def test_a_failed_print_keeps_the_previous_file(tmp_path: Path) -> None:
    script = stand_in_browser(tmp_path, 'printf "half" > "$out"; echo "Printing failed: out of paper" >&2; exit 1')
    target = tmp_path / "x.pdf"
    target.write_bytes(b"%PDF-1.4 last month")
    set_language("en")
    with pytest.raises(UsageError) as raised:
        pdf.html_to_pdf("<p>x</p>", target, browser=script)
    assert raised.value.key == "report_formats.pdf.failed"
    assert "out of paper" in str(raised.value)
    assert target.read_bytes() == b"%PDF-1.4 last month"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
