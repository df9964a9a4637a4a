"""PDF: the HTML report printed by an installed Chromium, Chrome or Microsoft Edge.

A headless browser prints exactly what the clerk sees when they open the HTML report and press
Ctrl+P (A4 from the report's CSS `@page`), with no layout engine of our own to keep in step;
every Windows 10/11 PC already has Edge. The page is our own report, written to a private
temporary folder and loaded from disk with the browser's networking disabled.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import UsageError

#: Program names looked up on PATH, in order of preference.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge",
                 "microsoft-edge-stable", "msedge", "chrome")
#: Where the Windows installers put the browsers, under %ProgramFiles%, %ProgramFiles(x86)% and
#: %LocalAppData% (Edge ships with Windows; Chrome installs per machine or per user).
WINDOWS_BROWSERS = (r"Microsoft\Edge\Application\msedge.exe", r"Google\Chrome\Application\chrome.exe",
                    r"Chromium\Application\chrome.exe")
MACOS_BROWSERS = ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                  "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                  "/Applications/Chromium.app/Contents/MacOS/Chromium")
#: An explicit choice of browser, for one installed somewhere unusual.
BROWSER_ENV = "DXCHECK_BROWSER"
#: Seconds a print may take: a cold start of Edge on a slow office PC is a few seconds, a
#: 3000-row report a few more; a browser hung on a dialog must not hang the run.
TIMEOUT = 120.0

_FLAGS = (
    "--headless",
    # The sandbox cannot start as root or in most containers; the page is our own escaped,
    # script-free report read from disk, with networking off. (Turning scripts off through
    # --blink-settings makes headless printing fail silently: the report has none anyway.)
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    # Without these the browser stamps the date, the page title and the file:// URL on each page.
    # Chromium 111+ knows the first; older ones the second; each ignores the flag it does not know.
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)


def find_browser() -> Path | None:
    """The Chromium-family browser to print with, or None when none is installed."""
    chosen = os.environ.get(BROWSER_ENV)
    if chosen:
        path = Path(chosen)
        return path if path.is_file() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    candidates: list[Path] = [Path(p) for p in MACOS_BROWSERS] if sys.platform == "darwin" else []
    for variable in ("ProgramFiles", "ProgramFiles(x86)", "LocalAppData"):
        base = os.environ.get(variable)
        if base:
            candidates += [Path(base) / relative for relative in WINDOWS_BROWSERS]
    return next((path for path in candidates if path.is_file()), None)


def require_browser() -> Path:
    """The browser, or a UsageError naming what to install (checked before a long evaluation)."""
    browser = find_browser()
    if browser is None:
        raise UsageError("report_formats.pdf.no_browser", variable=BROWSER_ENV)
    return browser


def html_to_pdf(html: str, target: Path, *, browser: Path | None = None, timeout: float = TIMEOUT) -> None:
    """Print `html` to the PDF file `target`, A4, without the browser's header and footer.

    The file appears whole or not at all: the browser prints to a temporary file beside `target`
    which then replaces it. Raises UsageError when no browser is found, the print fails or takes
    longer than `timeout` seconds, or `target` cannot be written.
    """
    from ..atomic import write_atomic

    browser = browser or require_browser()
    target = Path(target)
    # the browser prints into a private folder; the bytes then replace `target` in one rename
    with tempfile.TemporaryDirectory(prefix="dxcheck-pdf-", ignore_cleanup_errors=True) as folder:
        printed = Path(folder) / "report.pdf"
        _print(browser, html, printed, timeout)
        try:
            write_atomic(target, printed.read_bytes())
        except OSError as exc:
            raise UsageError("cli.output_unwritable", path=str(target), reason=exc.strerror or str(exc)) from None


def render(result, *, lang: str | None = None, **options: object) -> bytes:
    """The report as PDF bytes (the FORMATS contract), printed from the HTML report."""
    from .html import render as render_html

    html = render_html(result, lang=lang, **options)
    browser = require_browser()
    with tempfile.TemporaryDirectory(prefix="dxcheck-pdf-", ignore_cleanup_errors=True) as folder:
        target = Path(folder) / "report.pdf"
        html_to_pdf(html, target, browser=browser)
        return target.read_bytes()


def _print(browser: Path, html: str, output: Path, timeout: float) -> None:
    # A fresh profile each time: no first-run dialogs, no user's extensions, no lock held by a
    # browser window the clerk has open.
    with tempfile.TemporaryDirectory(prefix="dxcheck-browser-", ignore_cleanup_errors=True) as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [str(browser), *_FLAGS, f"--user-data-dir={Path(folder) / 'profile'}",
                   f"--print-to-pdf={output}", page.as_uri()]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, **_own_group())
        except OSError as exc:
            raise UsageError("report_formats.pdf.failed", browser=str(browser),
                             reason=exc.strerror or str(exc)) from None
        try:
            log, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise UsageError("report_formats.pdf.timeout", browser=str(browser), seconds=int(timeout)) from None
        if not _is_pdf(output):
            reason = _last_line(log) or f"exit code {process.returncode}"
            raise UsageError("report_formats.pdf.failed", browser=str(browser), reason=reason)


def _own_group() -> dict:
    """Start the browser in its own process group, so a timeout ends its helpers too."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW}
    return {"start_new_session": True}


def _kill(process: subprocess.Popen) -> None:
    if os.name == "nt":
        # taskkill /T ends the renderer and GPU helpers the browser started.
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.kill()
    process.communicate()


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def _last_line(log: bytes | None) -> str:
    lines = [line.strip() for line in (log or b"").decode("utf-8", "replace").splitlines() if line.strip()]
    # Chromium logs harmless D-Bus and GPU complaints; the last line is the one that matters.
    return lines[-1][:300] if lines else ""
