"""`dxcheck serve` in a real browser: Debian's Chromium driven by Playwright's Python package.

Open the page → upload the shipped sample folder → results (the same counts as `dxcheck.evaluate`)
→ download the HTML and JSON → upload a sheet whose key column is unknown → name that column in
the drop-down → rerun → recognised. Screenshots of the main pages go to tests/artifacts/serve/.

Needs `pip install playwright` (the `test` extra) and Chromium at /usr/bin/chromium
(`apt-get install chromium`; .ci/run installs it). Never `playwright install`: the browser is
the system's, the network is closed.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("no Chromium: install Debian's package (apt-get install -y chromium) to run the browser tests",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="no Playwright: pip install -e '.[test]' (or pip "
                               "install playwright) to run the browser tests; never `playwright install`")
uvicorn = pytest.importorskip("uvicorn")

import dxcheck  # noqa: E402
from dxcheck.serve import settings_for  # noqa: E402
from dxcheck.serve.app import create_app  # noqa: E402
from dxcheck_synth.report import ReportSheet, write_workbook  # noqa: E402

from test_serve import UNKNOWN_KEY, unknown_key_frame  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"
ARTIFACTS = ROOT / "tests" / "artifacts" / "serve"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextmanager
def serving(folder: Path, token: str, mapping_path: Path | None = None):
    """The app for `folder` on a free loopback port in a thread, as `dxcheck serve` runs it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    settings = settings_for(folder, token, port, "vi")
    if mapping_path is not None:
        settings.mapping_path = mapping_path
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        yield {"url": f"http://127.0.0.1:{port}/?t={token}", "home": folder, "app": app}
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("commune")
    with serving(home, "browser-token", home / "mapping.yaml") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    # Playwright starts Chromium headless with a fresh profile of its own (a --user-data-dir
    # argument is refused by launch()); the other flags keep it off the network
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=[flag for flag in FLAGS if flag != "--headless"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def shown_counts(page) -> dict[str, int]:
    return {box.get_attribute("data-status"): int(box.locator(".count").inner_text())
            for box in page.locator("#summary [data-status]").all()}


def test_sample_folder_results_and_downloads(server, page, tmp_path):
    page.goto(server["url"])
    assert "?t=" not in page.url  # the token went into a cookie
    page.locator("#period-upload").fill("2026-10")
    page.locator("#pack-upload").select_option("binh-minh-2030")
    page.locator("#folder-files").set_input_files(str(SAMPLE))
    shot(page, "1-trang-chon-tep")
    page.locator("#check").click()
    page.wait_for_selector("#verdict")
    expected = dxcheck.evaluate([SAMPLE], rules=["binh-minh-2030"], period="2026-10").summary
    counts = shown_counts(page)
    assert counts["pass"] == expected.pass_ and counts["fail"] == expected.fail
    assert counts.get("no_data", 0) == expected.no_data
    # the report itself, in the frame: the same document as the printable HTML
    frame = page.frame_locator("#report")
    assert frame.locator("h1, .title").first.inner_text().strip()
    # polled from here: wait_for_function would eval() in the page, which its CSP forbids (as it should)
    for _ in range(200):
        if page.locator("#report").evaluate("frame => frame.offsetHeight") > 1000:
            break
        page.wait_for_timeout(100)
    assert page.locator("#report").evaluate("frame => frame.offsetHeight") > 1000
    shot(page, "2-ket-qua", full_page=False)
    with page.expect_download() as info:
        page.locator("#download-html").click()
    html_path = tmp_path / info.value.suggested_filename
    info.value.save_as(html_path)
    assert info.value.suggested_filename == "bao-cao-2026-10.html"
    assert 'name="generator" content="dxcheck' in html_path.read_text(encoding="utf-8")
    with page.expect_download() as info:
        page.locator("#download-json").click()
    json_path = tmp_path / info.value.suggested_filename
    info.value.save_as(json_path)
    report = json.loads(json_path.read_text(encoding="utf-8"))
    assert report["summary"]["pass"] == expected.pass_ and report["summary"]["fail"] == expected.fail
    assert not any(folder.exists() for folder in server["app"].app.state.dxcheck.folders)


def test_unrecognised_column_is_mapped_in_the_page(server, page, tmp_path):
    path = tmp_path / "so-bien-nhan-2026-10.xlsx"
    write_workbook(path, [ReportSheet("Sổ theo dõi", unknown_key_frame())])
    page.goto(server["url"])
    page.locator("#period-upload").fill("2026-10")
    page.locator("#files").set_input_files(str(path))
    page.locator("#check").click()
    page.wait_for_selector("#mapping")
    select = page.locator(f'select[data-header="{UNKNOWN_KEY}"]')
    assert select.count() == 1
    select.select_option("ho_so.ma_ho_so")
    shot(page, "3-chon-cot")
    page.locator("#rerun").click()
    page.wait_for_selector("#verdict")
    shot(page, "4-ket-qua-sau-khi-chon-cot", full_page=False)
    assert "ma_ho_so" in (server["home"] / "mapping.yaml").read_text(encoding="utf-8")
    with page.expect_download() as info:
        page.locator("#download-json").click()
    saved = tmp_path / "r.json"
    info.value.save_as(saved)
    sheet = json.loads(saved.read_text(encoding="utf-8"))["inputs"][0]["sheets"][0]
    assert sheet["dataset"] == "ho_so" and sheet["fields"]["ma_ho_so"] == UNKNOWN_KEY


def test_oversize_file_is_refused_on_the_page(server, page, tmp_path, monkeypatch):
    monkeypatch.setenv("DXCHECK_MAX_FILE_BYTES", "2000")
    path = tmp_path / "qua-lon.xlsx"
    path.write_bytes(b"x" * 5000)
    page.goto(server["url"])
    page.locator("#files").set_input_files(str(path))
    page.locator("#check").click()
    error = page.locator("#error")
    error.wait_for()
    assert "qua-lon.xlsx" in error.inner_text() and "2000" in error.inner_text()
    shot(page, "5-tep-qua-lon")


def test_from_init_to_the_printed_report(tmp_path, browser):
    """A commune's month folder: `dxcheck init` writes its dxcheck.toml; the page opened on that
    folder has the plan and the month filled in; the sample goes in and the PDF comes out."""
    from typer.testing import CliRunner

    from dxcheck.cli import app as cli_app
    from dxcheck.render.pdf import find_browser

    month = tmp_path / "binh-minh" / "2026-10"
    shutil.copytree(SAMPLE, month)
    made = CliRunner().invoke(cli_app, ["init", str(month), "--pack", "binh-minh-2030"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "binh-minh" / "dxcheck.toml").is_file()  # beside the month folders
    with serving(month, "init-token") as running:
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(running["url"])
        # the month from the folder's name and the plan from dxcheck.toml, filled in
        assert page.locator("#period-upload").input_value() == "2026-10"
        assert page.locator("#pack-upload").input_value() == "binh-minh-2030"
        page.locator("#folder-files").set_input_files(str(month))
        page.locator("#check").click()
        page.wait_for_selector("#verdict")
        assert find_browser() is not None  # the PDF button shows where a browser can print
        with page.expect_download(timeout=120_000) as info:
            page.locator("#download-pdf").click()
        pdf = tmp_path / "bao-cao.pdf"
        info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        shot(page, "6-tu-init-den-pdf", full_page=False)
        context.close()
