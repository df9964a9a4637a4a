"""What the printed report shows fits the A4 page: Chromium clips whatever crosses the printable
width (165 mm between the @page margins), so a status word one pixel too wide is cut in print
("KHÔNG ĐẠ"). Measured in the browser at the printable width, print media, both languages, with
every status word the signed table can hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxcheck.render import pdf

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = pdf.find_browser()
if CHROMIUM is None:
    pytest.skip("no Chromium: install Debian's package (apt-get install -y chromium) to run the browser tests",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="no Playwright: pip install -e '.[test]'")

PRINTABLE_PX = 165 / 25.4 * 96  # A4 210 mm less the 30 mm + 15 mm margins, in CSS pixels


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


def report(tmp_path: Path, lang: str) -> Path:
    """The Bình Minh sample without its declared-indicators sheet: pass, fail and no-data rows."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "samples" / "binh-minh", data)
    (data / "chi-tieu-2026-10.xlsx").unlink()
    out = tmp_path / "bao-cao.html"
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(data), "--rules", "binh-minh-2030",
                           "--period", "2026-10", "--lang", lang, "-o", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_table_cell_fits_its_column_and_the_page(browser, tmp_path, lang):
    page = browser.new_page(viewport={"width": int(PRINTABLE_PX), "height": 1123})
    page.emulate_media(media="print")
    page.goto(report(tmp_path, lang).as_uri())
    found = page.evaluate("""() => {
        const table = document.querySelector('table.signed');
        const statuses = [...table.querySelectorAll('td .status')];
        const over = [...document.querySelectorAll('td, td *')].filter(e => {
            const cell = e.closest('td').getBoundingClientRect();
            return e.getBoundingClientRect().right > cell.right + 0.5 || e.scrollWidth > e.clientWidth + 1 && e.tagName === 'TD';
        }).map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 40));
        return {right: Math.max(...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)), over,
                kinds: [...new Set(statuses.map(s => s.className))]};
    }""")
    page.close()
    assert {"status status-pass", "status status-fail", "status status-no_data"} <= set(found["kinds"]), found["kinds"]
    assert found["right"] <= PRINTABLE_PX + 0.5
    assert found["over"] == [], found["over"]
