"""The bundle's launcher (dxcheck/launcher.py): double-click, a dropped folder, the command line."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from dxcheck import launcher

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(launcher.webbrowser, "open", lambda url, *a, **k: calls.append(url) or True)
    return calls


def month_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "du-lieu" / "2026-10"
    folder.mkdir(parents=True)
    for name in ("can-bo.xlsx", "thon.xlsx"):
        (folder / name).write_bytes((ROOT / "samples" / "binh-minh" / name).read_bytes())
    return folder


def test_report_goes_beside_the_dropped_folder(tmp_path: Path) -> None:
    folder = month_folder(tmp_path)
    assert launcher.report_path([folder]) == folder.parent / "bao-cao-2026-10.html"
    # files dropped from the folder: the report goes beside their folder
    assert launcher.report_path([folder / "thon.xlsx", folder / "can-bo.xlsx"]) == folder.parent / "bao-cao-2026-10.html"


def test_report_goes_to_the_configured_folder(tmp_path: Path) -> None:
    folder = month_folder(tmp_path)
    config = types.SimpleNamespace(path=tmp_path / "dxcheck.toml", report_dir="bao-cao", language="en")
    assert launcher.report_path([folder], config) == tmp_path / "bao-cao" / "2026-10.html"
    config.report_dir = tmp_path / "elsewhere"
    assert launcher.report_path([folder], config) == tmp_path / "elsewhere" / "2026-10.html"


def test_dropped_folder_is_evaluated_and_its_report_opened(tmp_path: Path, opened: list[str],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = month_folder(tmp_path)
    code = launcher.main([str(folder)])
    report = folder.parent / "bao-cao-2026-10.html"
    assert code in (0, 1)
    assert report.is_file() and "<html" in report.read_text(encoding="utf-8")
    assert opened == [report.as_uri()]
    assert "Đang mở báo cáo" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == ["can-bo.xlsx", "thon.xlsx"]  # inputs untouched


def test_a_found_config_sets_language_and_report_folder(tmp_path: Path, opened: list[str],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = month_folder(tmp_path)
    (tmp_path / "dxcheck.toml").write_text('commune = "Bình Minh"\npacks = ["binh-minh-2030"]\nlanguage = "en"\n'
                                           'report_dir = "bao-cao"\n', encoding="utf-8")
    code = launcher.main([str(folder)])
    report = tmp_path / "bao-cao" / "2026-10.html"
    assert code in (0, 1), capsys.readouterr()
    text = report.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "binh-minh-2030" in text and "hoang-son-2030" not in text
    assert "period taken from the folder name" in text  # the month from the folder's name, via the config
    assert "Opening the report" in capsys.readouterr().out
    assert opened == [report.as_uri()]


def test_without_the_config_module_the_drop_uses_the_defaults(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dxcheck.toml").write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setitem(sys.modules, "dxcheck.config", None)  # an older tree: import fails
    assert launcher._find_config(tmp_path) is None


def test_a_bad_drop_opens_nothing(tmp_path: Path, opened: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "trong"
    folder.mkdir()
    assert launcher.main([str(folder)]) == 2
    assert opened == [] and not list(tmp_path.glob("*.html"))
    assert "Traceback" not in capsys.readouterr().err


def test_other_arguments_are_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert launcher.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("dxcheck ")


def test_double_click_starts_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(launcher, "_cli", lambda args: started.append(args) or 0)
    assert launcher.main([]) == 0 and started == [["serve"]]
