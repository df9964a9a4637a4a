"""Make docs/report-sample.png: the first page of the HTML report, as headless Chromium shows it.

    python docs/make_report_screenshot.py            # writes docs/report-sample.png
    python docs/make_report_screenshot.py --pdf x.pdf  # also prints the report to an A4 PDF

The report is the one README shows: `dxcheck evaluate samples/binh-minh --rules binh-minh-2030
--period 2026-10 --format html` (with --no-timestamp, so the picture only changes when the report
does; the date line then shows the dotted blanks a signer fills in). Without the shipped samples it
falls back to the test fixture of tests/test_render_fixture.py.

Needs a Chromium (`apt-get install chromium`, or set CHROMIUM=/path/to/chrome). Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "report-sample.png"
WINDOW = "1000,1450"


def report_html() -> str:
    samples = ROOT / "samples" / "binh-minh"
    if samples.is_dir():
        command = [sys.executable, "-m", "dxcheck", "evaluate", str(samples), "--rules", "binh-minh-2030",
                   "--period", "2026-10", "--format", "html", "--no-timestamp", "--lang", "vi"]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode not in (0, 1):  # 1 = some target fails, which the sample data is meant to show
            sys.exit(f"dxcheck failed ({done.returncode}):\n{done.stderr}")
        # show the sample files by their paths in the repository, not this machine's
        return done.stdout.replace(str(ROOT) + os.sep, "")
    sys.path.insert(0, str(ROOT / "tests"))
    from test_render_fixture import build_result, install_fixture_messages  # noqa: E402

    from dxcheck.render.html import render

    install_fixture_messages()
    return render(build_result("vi", pack="binh-minh-2030", samples=10), lang="vi")


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    sys.exit("no Chromium found: apt-get install chromium, or set CHROMIUM=/path/to/chrome")


def run_chromium(html: Path, *arguments: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                   f"--user-data-dir={profile}", *arguments, html.as_uri()]
        subprocess.run(command, check=True, capture_output=True, timeout=180)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=OUTPUT, help="PNG to write (default: %(default)s)")
    parser.add_argument("--pdf", type=Path, help="also print the report to this A4 PDF")
    parser.add_argument("--html", type=Path, help="also keep the HTML report here")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "report.html"
        html.write_text(report_html(), encoding="utf-8")
        if options.html:
            shutil.copyfile(html, options.html)
        run_chromium(html, f"--window-size={WINDOW}", f"--screenshot={options.output.resolve()}")
        if options.pdf:
            run_chromium(html, "--no-pdf-header-footer", f"--print-to-pdf={options.pdf.resolve()}")
    print(f"wrote {options.output}" + (f" and {options.pdf}" if options.pdf else ""))


if __name__ == "__main__":
    main()
