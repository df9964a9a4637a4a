"""`dxcheck serve` without a browser (Starlette's TestClient): the security rules of the page, the
upload caps, the private folder's removal, and the flow results → downloads → column mapping.

tests/test_serve_browser.py drives the same pages in Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

import dxcheck  # noqa: E402
from dxcheck.messages import _language, set_language, t  # noqa: E402
from dxcheck.serve import settings_for  # noqa: E402
from dxcheck.serve.app import create_app  # noqa: E402
from dxcheck_synth.report import ReportSheet, write_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"
PORT = 8765
TOKEN = "test-token-not-secret"
HOME = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def app(tmp_path):
    settings = settings_for(tmp_path, TOKEN, PORT, "en")
    settings.mapping_path = tmp_path / "mapping.yaml"
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app, base_url=HOME) as client:
        assert client.get(f"/?t={TOKEN}").status_code == 200  # the redirect sets the cookie
        yield client


def state(app):
    return app.app.state.dxcheck


def sample_files(folder: Path = SAMPLE) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (path.name, path.read_bytes())) for path in sorted(folder.iterdir())]


def post(client, path: str, **kwargs):
    return client.post(path, headers={"origin": HOME}, **kwargs)


def english(key: str, **params) -> str:
    token = set_language("en")
    try:
        return t(key, **params)
    finally:
        _language.reset(token)


# --- security -----------------------------------------------------------------------------------


def test_wrong_or_missing_token_is_refused(app):
    with TestClient(app, base_url=HOME) as client:
        assert client.get("/?t=wrong").status_code == 403
        refused = client.get("/")
        assert refused.status_code == 403
        assert "access code" in refused.text or "mã truy cập" in refused.text
        assert client.get("/runs/x/report.json").status_code == 403


def test_token_moves_into_a_cookie_and_leaves_the_address(app):
    with TestClient(app, base_url=HOME) as client:
        first = client.get(f"/?t={TOKEN}", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/"
        cookie = first.headers["set-cookie"]
        assert TOKEN in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert client.get("/").status_code == 200  # the cookie is enough from now on


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1:1", f"192.168.1.5:{PORT}"])
def test_foreign_host_is_refused_even_with_the_token(app, host):
    """DNS rebinding: a site whose name resolves to 127.0.0.1 sends its own name as Host."""
    with TestClient(app, base_url=HOME) as client:
        response = client.get(f"/?t={TOKEN}", headers={"host": host}, follow_redirects=False)
        assert response.status_code == 400
        assert "set-cookie" not in response.headers


def test_localhost_is_accepted(app):
    with TestClient(app, base_url=f"http://localhost:{PORT}") as client:
        assert client.get(f"/?t={TOKEN}").status_code == 200


@pytest.mark.parametrize("headers", [{"origin": "http://evil.example"}, {"origin": "null"},
                                     {"referer": "http://evil.example/page"}, {}])
def test_cross_site_post_is_refused(client, headers):
    response = client.post("/run", headers=headers, data={"pack": "binh-minh-2030"}, files=sample_files())
    assert response.status_code == 403
    assert state(client.app).folders == []  # refused before anything was written


def test_same_origin_referer_is_enough(client):
    response = client.post("/run", headers={"referer": f"{HOME}/"}, data={"pack": "binh-minh-2030", "period": "2026-10"},
                           files=sample_files())
    assert response.status_code == 200


def test_every_page_forbids_other_origins(client):
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy and "connect-src" not in policy
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_oversize_upload_is_refused_with_a_clear_message(client, monkeypatch):
    """The CLI's cap (DXCHECK_MAX_FILE_BYTES) applies to each uploaded file, while it streams."""
    monkeypatch.setenv("DXCHECK_MAX_FILE_BYTES", "1000")
    response = post(client, "/run", data={"pack": "binh-minh-2030"},
                    files=[("files", ("lon-qua.xlsx", b"x" * 5000))])
    assert response.status_code == 413
    assert english("serve.upload_too_large", name="lon-qua.xlsx", limit=1000, env="DXCHECK_MAX_FILE_BYTES") in response.text
    assert not any(folder.exists() for folder in state(client.app).folders)


def test_private_folder_is_gone_after_a_run_and_was_private(client, monkeypatch):
    seen = {}
    import dxcheck.serve.app as serve_app

    original = serve_app.evaluate_folder

    def spy(state_, folder, pack, period):
        seen["mode"] = folder.stat().st_mode & 0o777
        seen["files"] = sorted(path.name for path in folder.iterdir())
        return original(state_, folder, pack, period)

    monkeypatch.setattr(serve_app, "evaluate_folder", spy)
    response = post(client, "/run", data={"pack": "binh-minh-2030", "period": "2026-10"}, files=sample_files())
    assert response.status_code == 200
    assert seen["mode"] == 0o700
    assert seen["files"] == sorted(path.name for path in SAMPLE.iterdir())
    folders = state(client.app).folders
    assert len(folders) == 1 and not folders[0].exists()


def test_folder_names_in_uploads_cannot_escape(client, monkeypatch):
    import dxcheck.serve.app as serve_app

    seen = {}
    monkeypatch.setattr(serve_app, "evaluate_folder",
                        lambda state_, folder, pack, period: seen.setdefault("files", sorted(
                            str(path.relative_to(folder)) for path in folder.rglob("*"))) and ("error", "stop"))
    data = (SAMPLE / "thon.xlsx").read_bytes()
    post(client, "/run", data={"pack": "binh-minh-2030"},
         files=[("files", ("../../thon.xlsx", data)), ("files", ("binh-minh/thon.xlsx", data)),
                ("files", ("C:\\du-lieu\\<thon>.xlsx", data))])
    assert seen["files"] == ["_thon_.xlsx", "thon (2).xlsx", "thon.xlsx"]


# --- the flow -----------------------------------------------------------------------------------


def counts(page: str) -> dict[str, int]:
    return {status: int(count) for status, count in
            re.findall(r'data-status="(\w+)">.*?<strong class="count">(\d+)</strong>', page, re.S)}


def test_results_match_the_library_and_downloads_name_the_files_as_uploaded(client):
    response = post(client, "/run", data={"pack": "binh-minh-2030", "period": "2026-10"}, files=sample_files())
    assert response.status_code == 200
    expected = dxcheck.evaluate([SAMPLE], rules=["binh-minh-2030"], period="2026-10", lang="en").summary
    assert counts(response.text) == {"pass": expected.pass_, "fail": expected.fail} | (
        {"no_data": expected.no_data} if expected.no_data else {})
    run = re.search(r"/runs/(\w+)/report.json", response.text).group(1)
    report = json.loads(client.get(f"/runs/{run}/report.json").text)
    assert report["summary"]["pass"] == expected.pass_
    assert sorted(item["path"] for item in report["inputs"]) == sorted(path.name for path in SAMPLE.iterdir())
    html = client.get(f"/runs/{run}/report.html")
    assert html.headers["content-disposition"] == 'attachment; filename="bao-cao-2026-10.html"'
    assert "dxcheck-serve-" not in html.text
    assert client.get(f"/runs/{run}/report.xlsx").content[:2] == b"PK"


def test_the_excel_download_lists_every_failing_record_without_the_private_folder(client):
    import io
    import zipfile

    from openpyxl import load_workbook

    response = post(client, "/run", data={"pack": "binh-minh-2030", "period": "2026-10"}, files=sample_files())
    run = re.search(r"/runs/(\w+)/report.json", response.text).group(1)
    report = json.loads(client.get(f"/runs/{run}/report.json").text)
    content = client.get(f"/runs/{run}/report.xlsx").content
    # the uploads are gone: no sheet links into them, and no part of the file names their folder
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            assert b"dxcheck-serve-" not in archive.read(name), name
    book = load_workbook(io.BytesIO(content))
    failing = [item for item in report["results"] if item["status"] == "fail" and item["samples_total"]]
    assert any(item["samples_total"] > len(item["samples"]) for item in failing)  # the JSON is capped
    for item in failing:
        sheet = next(book[name] for name in book.sheetnames if name.startswith(item["rule"][:25]))
        rows = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
        assert len(rows) == item["samples_total"], item["id"]
        assert all(not cell.hyperlink for row in sheet.iter_rows() for cell in row)
        files = {row[3] for row in rows}
        assert files <= {path.name for path in SAMPLE.iterdir()}, files


def test_a_bad_period_is_said_on_the_page(client):
    response = post(client, "/run", data={"pack": "binh-minh-2030", "period": "tháng mười"}, files=sample_files())
    assert response.status_code == 400
    assert 'id="error"' in response.text and "tháng mười" in response.text


def test_data_strings_are_escaped(client, tmp_path):
    """A header holding markup is shown as text on the mapping page."""
    path = tmp_path / "x.xlsx"
    frame = unknown_key_frame()
    frame["<script>alert(1)</script>"] = "x"
    write_workbook(path, [ReportSheet("<i>Sổ", frame)])
    response = post(client, "/run", data={"pack": "binh-minh-2030"}, files=[("files", (path.name, path.read_bytes()))])
    assert 'action="/map"' in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "&lt;i&gt;Sổ" in response.text


# --- mapping a column of a sheet that was not recognised ----------------------------------------

UNKNOWN_KEY = "Số biên nhận nội bộ"


def unknown_key_frame(key_header: str = UNKNOWN_KEY):
    """A dossier list whose key column (the dossier number) has a header no vocabulary knows: with
    its result date under an unknown header too, two known key fields are fewer than the three a
    dossier list needs, so the sheet is not recognised until the key column is named."""
    import pandas as pd
    from datetime import datetime, timedelta

    received = [datetime(2026, 10, 1 + i) for i in range(10)]
    return pd.DataFrame({
        key_header: [f"BN-{i:03d}" for i in range(10)],
        "Ngày tiếp nhận": received,
        "Ngày hẹn trả": [day + timedelta(days=5) for day in received],
        "Xử lý › Thời điểm": [day + timedelta(days=3) for day in received],
    })


def test_unrecognised_sheet_is_mapped_saved_and_used(client, tmp_path):
    path = tmp_path / "so-bien-nhan.xlsx"
    write_workbook(path, [ReportSheet("Sổ", unknown_key_frame())])
    files = [("files", (path.name, path.read_bytes()))]
    first = post(client, "/run", data={"pack": "binh-minh-2030", "period": "2026-10"}, files=files)
    assert first.status_code == 200 and 'action="/map"' in first.text
    select = re.search(r'<select name="(c[\d-]+)" id="[^"]+" data-header="' + UNKNOWN_KEY + '"', first.text)
    assert select, "the unknown header is shown with a drop-down"
    run = re.search(r'name="run" value="(\w+)"', first.text).group(1)
    pending = state(client.app).pending[run].folder
    assert pending.exists()  # kept for the rerun
    second = post(client, "/map", data={"run": run, select.group(1): "ho_so.ma_ho_so"})
    assert second.status_code == 200 and 'id="verdict"' in second.text
    assert not pending.exists()
    saved = (tmp_path / "mapping.yaml").read_text(encoding="utf-8")
    assert "ho_so:" in saved and f"ma_ho_so: {UNKNOWN_KEY}" in saved
    # next month: the same file is recognised at once, from the saved mapping
    again = post(client, "/run", data={"pack": "binh-minh-2030", "period": "2026-10"}, files=files)
    assert 'id="verdict"' in again.text
    run = re.search(r"/runs/(\w+)/report.json", again.text).group(1)
    report = json.loads(client.get(f"/runs/{run}/report.json").text)
    assert report["inputs"][0]["sheets"][0]["dataset"] == "ho_so"
    assert report["inputs"][0]["sheets"][0]["fields"]["ma_ho_so"] == UNKNOWN_KEY


def test_a_hidden_sheet_is_not_offered_for_mapping(client, tmp_path):
    """A sheet the workbook hides is left out unread (as `evaluate` does, with a notice): the
    mapping page offers only the visible sheet, not an empty entry for the hidden one."""
    import openpyxl

    path = tmp_path / "so-bien-nhan.xlsx"
    write_workbook(path, [ReportSheet("Sổ", unknown_key_frame()), ReportSheet("Nháp ẩn", unknown_key_frame())])
    book = openpyxl.load_workbook(path)
    book["Nháp ẩn"].sheet_state = "hidden"
    book.save(path)
    page = post(client, "/run", data={"pack": "binh-minh-2030"}, files=[("files", (path.name, path.read_bytes()))])
    assert 'action="/map"' in page.text and "Sổ" in page.text
    assert "Nháp ẩn" not in page.text
    assert len(re.findall(r'data-header="' + UNKNOWN_KEY + '"', page.text)) == 1


def test_mapping_keeps_the_files_comments(tmp_path):
    from dxcheck.serve.mapping_file import save_choices

    path = tmp_path / "mapping.yaml"
    path.write_text("# cột của xã\nho_so:\n  ngay_hen_tra: Hạn trả  # từ tháng 9\n", encoding="utf-8")
    save_choices(path, {"ho_so.ma_ho_so": "Số biên nhận", "can_bo.ho_ten": "Tên"})
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# cột của xã") and "# từ tháng 9" in text
    from dxcheck.load import parse_mapping

    assert parse_mapping([], path) == {"ho_so.ngay_hen_tra": "Hạn trả", "ho_so.ma_ho_so": "Số biên nhận",
                                       "can_bo.ho_ten": "Tên"}


def test_a_field_chosen_for_two_columns_is_refused(client, tmp_path):
    path = tmp_path / "so-bien-nhan.xlsx"
    write_workbook(path, [ReportSheet("Sổ", unknown_key_frame())])
    first = post(client, "/run", data={"pack": "binh-minh-2030"}, files=[("files", (path.name, path.read_bytes()))])
    names = re.findall(r'<select name="(c[\d-]+)"', first.text)
    run = re.search(r'name="run" value="(\w+)"', first.text).group(1)
    response = post(client, "/map", data={"run": run, names[0]: "ho_so.ma_ho_so", names[1]: "ho_so.ma_ho_so"})
    assert response.status_code == 400 and "ho_so.ma_ho_so" in response.text
    assert not (tmp_path / "mapping.yaml").exists()


def test_shutdown_removes_files_waiting_for_a_mapping(app, tmp_path):
    path = tmp_path / "so-bien-nhan.xlsx"
    write_workbook(path, [ReportSheet("Sổ", unknown_key_frame())])
    with TestClient(app, base_url=HOME) as client:
        client.get(f"/?t={TOKEN}")
        post(client, "/run", data={"pack": "binh-minh-2030"}, files=[("files", (path.name, path.read_bytes()))])
        waiting = state(app).folders[-1]
        assert waiting.exists()
    assert not waiting.exists()
