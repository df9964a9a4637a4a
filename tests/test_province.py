"""A province's folder of commune folders, evaluated by naming the province folder alone.

The communes are copies of the shipped Bình Minh sample whose banners are rewritten: one keeps
its banner, one names another commune, one has no banner at all and says its name in its own
dxcheck.toml, one says nothing anywhere (named by its folder). The province folder's dxcheck.toml
names the issuing body of the roll-up.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import dxcheck
from dxcheck.province import commune_folders

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"
ISSUER = "Sở Nội vụ tỉnh Thái Nguyên"
NAMES = ["Xã Bình Minh", "Xã Hòa Bình", "Phường Tân An", "xa-04"]


def _rewrite_banners(folder: Path, new: str) -> None:
    """Replace `BÌNH MINH` in the banner rows of every workbook (the commune line only)."""
    for path in folder.glob("*.xlsx"):
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(max_row=8):
                for cell in row:
                    if isinstance(cell.value, str) and "ỦY BAN NHÂN DÂN XÃ BÌNH MINH" in cell.value:
                        cell.value = cell.value.replace("ỦY BAN NHÂN DÂN XÃ BÌNH MINH", new)
        book.save(path)


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tinh")
    for folder in ("xa-01", "xa-02", "xa-03", "xa-04"):
        shutil.copytree(SAMPLE, root / folder)
    _rewrite_banners(root / "xa-02", "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH")
    _rewrite_banners(root / "xa-03", "BÁO CÁO")  # no banner: the folder's dxcheck.toml names it
    (root / "xa-03" / "dxcheck.toml").write_text('commune = "Phường Tân An"\n', encoding="utf-8")
    _rewrite_banners(root / "xa-04", "BÁO CÁO")  # nothing names it: its folder does
    (root / "ghi-chu").mkdir()  # a folder without exports is no commune
    (root / "ghi-chu" / "readme.md").write_text("notes", encoding="utf-8")
    (root / "dxcheck.toml").write_text(f'issuer = "{ISSUER}"\n', encoding="utf-8")
    return root


def test_the_commune_folders_are_found_under_the_province_folder(province):
    assert [path.name for path in commune_folders(province)] == ["xa-01", "xa-02", "xa-03", "xa-04"]
    assert commune_folders(province / "xa-01") is None  # a commune's folder holds exports itself


def test_communes_are_named_from_their_data_then_their_config_then_their_folder(province):
    result = dxcheck.evaluate([province], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    assert [unit.name for unit in result.units] == NAMES
    ranking = result.ranking["binh-minh-2030/online-dossiers"]
    assert sorted(entry.unit for entry in ranking) == sorted(NAMES)
    # the same exports everywhere: the same value, so one shared first rank, not 1, 2, 3, 4
    assert [entry.rank for entry in ranking] == [1, 1, 1, 1]
    single = dxcheck.evaluate([province / "xa-01"], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    assert ranking[0].denominator == single.results[[r.id for r in single.results].index(
        "binh-minh-2030/online-dossiers")].denominator
    rolled = next(item for item in result.results if item.id == "binh-minh-2030/online-dossiers")
    assert rolled.denominator == 4 * ranking[0].denominator  # the exact roll-up of the four communes
    parallel = dxcheck.evaluate([province], rules=["binh-minh-2030"], period="2026-10", timestamp=False, jobs=2)
    assert parallel.to_json() == result.to_json()  # worker processes name the communes alike


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=ROOT,
                          encoding="utf-8")


def test_the_province_folder_gives_named_communes_and_the_configured_masthead(province, tmp_path):
    out = tmp_path / "bao-cao"
    done = _run("evaluate", str(province), "--rules", "binh-minh-2030", "--period", "2026-10", "--no-timestamp",
                "-o", str(out / "r.json"), "-o", str(out / "r.html"), "-o", str(out / "r.md"),
                "-o", str(out / "r.xlsx"))
    assert done.returncode in (0, 1), done.stderr
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert [unit["name"] for unit in data["units"]] == NAMES
    html = (out / "r.html").read_text(encoding="utf-8")
    assert ISSUER.upper() in html
    # the roll-up speaks for the province: no commune heads it
    assert "ỦY BAN NHÂN DÂN XÃ BÌNH MINH" not in html.upper()
    markdown = (out / "r.md").read_text(encoding="utf-8")
    assert all(name in markdown for name in NAMES)
    book = openpyxl.load_workbook(io.BytesIO((out / "r.xlsx").read_bytes()))
    ranking = [sheet for sheet in book.worksheets if sheet.title in ("Xếp hạng", "Ranking")][0]
    assert sorted(ranking.cell(row=row, column=1).value for row in range(2, 6)) == sorted(NAMES)
    terminal = _run("evaluate", str(province), "--rules", "binh-minh-2030", "--period", "2026-10",
                    "--issuer", "Ủy ban nhân dân tỉnh Thái Nguyên")
    for name in NAMES:
        assert f"1. {name}" in terminal.stdout  # each rule's ranking, with the shared first rank
    html = _run("evaluate", str(province), "--rules", "binh-minh-2030", "--period", "2026-10", "--format", "html",
                "--issuer", "Ủy ban nhân dân tỉnh Thái Nguyên").stdout
    assert "TỈNH THÁI NGUYÊN" in html and ISSUER.upper() not in html  # --issuer wins over the file


def test_a_blank_issuer_is_refused(province):
    done = _run("evaluate", str(province), "--rules", "binh-minh-2030", "--issuer", " ")
    assert done.returncode == 2 and "--issuer" in done.stderr and "Traceback" not in done.stderr


def test_a_commits_files_are_grouped_by_commune_folder(province, tmp_path):
    # pre-commit names the files of a commit one by one, relative to the repository
    files = [f"{folder}/{name}" for folder in ("xa-01", "xa-02") for name in ("ho-so-2026-10.xlsx", "can-bo.xlsx")]
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", *files, "--rules", "binh-minh-2030",
                           "--period", "2026-10", "--format", "json", "--no-timestamp"],
                          capture_output=True, text=True, cwd=province, encoding="utf-8")
    assert done.returncode in (0, 1), done.stderr
    units = json.loads(done.stdout)["units"]
    assert [unit["name"] for unit in units] == ["Xã Bình Minh", "Xã Hòa Bình"]
    assert [len(unit["inputs"]) for unit in units] == [2, 2]  # the dossier list and the staff list together
    staff = [next(r for r in unit["results"] if r["id"] == "binh-minh-2030/staff-digital-signature")
             for unit in units]
    assert all(item["status"] in ("pass", "fail") for item in staff)  # measured within each commune


def test_files_of_one_folder_stay_one_unit_each(tmp_path):
    from dxcheck.province import CommuneFiles, group_by_commune_folder

    for name in ("a/2026-10/ho-so.xlsx", "a/can-bo.xlsx", "b/2026-10/ho-so.xlsx", "x.xlsx", "y.xlsx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    same_folder = [tmp_path / "x.xlsx", tmp_path / "y.xlsx"]
    assert group_by_commune_folder(same_folder) == same_folder
    grouped = group_by_commune_folder([tmp_path / "a/2026-10/ho-so.xlsx", tmp_path / "b/2026-10/ho-so.xlsx",
                                       tmp_path / "a/can-bo.xlsx", tmp_path / "x.xlsx"])
    assert grouped == [
        CommuneFiles(folder=tmp_path / "a", files=(tmp_path / "a/2026-10/ho-so.xlsx", tmp_path / "a/can-bo.xlsx")),
        CommuneFiles(folder=tmp_path / "b", files=(tmp_path / "b/2026-10/ho-so.xlsx",)),
        tmp_path / "x.xlsx",
    ]


# --- each commune folder's own dxcheck.toml ----------------------------------------------------


def _rename_header(folder: Path, old: str, new: str) -> None:
    """The dossier list's `old` column headed `new` instead (a commune whose software words it so)."""
    path = folder / "ho-so-2026-10.xlsx"
    book = openpyxl.load_workbook(path)
    for row in book.worksheets[0].iter_rows(max_row=8):
        for cell in row:
            if cell.value == old:
                cell.value = new
    book.save(path)


@pytest.fixture(scope="module")
def own_mappings(tmp_path_factory) -> Path:
    """Three communes; the third heads its digitisation column `Đã quét giấy tờ`, which only its own
    dxcheck.toml maps and names (the province's file names the issuer and maps nothing)."""
    root = tmp_path_factory.mktemp("tinh-map")
    for folder in ("xa-01", "xa-02", "xa-03"):
        shutil.copytree(SAMPLE, root / folder)
    _rename_header(root / "xa-03", "Số hóa", "Đã quét giấy tờ")
    _rewrite_banners(root / "xa-03", "BÁO CÁO")  # no banner: its own file names it too
    (root / "xa-03" / "dxcheck.toml").write_text(
        'commune = "Xã Tân Lập"\n[mapping]\nso_hoa = "Đã quét giấy tờ"\n', encoding="utf-8")
    (root / "dxcheck.toml").write_text(f'issuer = "{ISSUER}"\n', encoding="utf-8")
    return root


ONLINE = "binh-minh-2030/digitized"


def test_a_communes_own_mapping_reads_its_files_right_in_a_province_run(own_mappings):
    result = dxcheck.evaluate([own_mappings], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    ranking = {entry.unit: entry for entry in result.ranking[ONLINE]}
    assert len(ranking) == 3 and "Xã Tân Lập" in ranking
    values = [entry.value for entry in result.ranking[ONLINE]]
    assert None not in values and len(set(values)) == 1  # the renamed column was read: same data, same figure
    rolled = next(item for item in result.results if item.id == ONLINE)
    assert rolled.denominator == 3 * result.ranking[ONLINE][0].denominator
    parallel = dxcheck.evaluate([own_mappings], rules=["binh-minh-2030"], period="2026-10", timestamp=False, jobs=2)
    assert parallel.to_json() == result.to_json()  # worker processes read the commune's mapping alike


def test_without_its_own_mapping_the_commune_has_no_figure(own_mappings, tmp_path):
    copy = tmp_path / "tinh"
    shutil.copytree(own_mappings, copy)
    (copy / "xa-03" / "dxcheck.toml").write_text('commune = "Xã Tân Lập"\n', encoding="utf-8")
    result = dxcheck.evaluate([copy], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    third = next(entry for entry in result.ranking[ONLINE] if entry.unit == "Xã Tân Lập")
    assert third.value is None  # the fixture needs the mapping: without it nothing says what was digitised


def test_a_communes_mapping_applies_to_its_files_only(own_mappings, tmp_path):
    copy = tmp_path / "tinh"
    shutil.copytree(own_mappings, copy)
    # a header no file of the first commune has: refused naming it, though another commune might have it
    (copy / "xa-01" / "dxcheck.toml").write_text('[mapping]\nngay_hen_tra = "Đã quét giấy tờ"\n', encoding="utf-8")
    done = _run("evaluate", str(copy), "--rules", "binh-minh-2030", "--period", "2026-10", "--lang", "en")
    assert done.returncode == 2 and "Đã quét giấy tờ" in done.stderr and "Traceback" not in done.stderr


def test_a_commits_files_are_read_with_each_communes_own_file_not_the_first_ones(own_mappings, tmp_path):
    """pre-commit names a commit's files; the first is the third commune's, whose dxcheck.toml maps
    its own header and names it. That file must not head the two-commune report nor map the other
    commune's columns: each commune is read with its own file, the report with the common folder's."""
    files = ["xa-03/ho-so-2026-10.xlsx", "xa-01/ho-so-2026-10.xlsx"]
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", *files, "--rules", "binh-minh-2030",
                           "--period", "2026-10", "--no-timestamp", "--lang", "en",
                           "-o", str(tmp_path / "r.md"), "-o", str(tmp_path / "r.html")],
                          capture_output=True, text=True, cwd=own_mappings, encoding="utf-8")
    assert done.returncode in (0, 1), done.stderr
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    title = next(line for line in markdown.splitlines() if line.startswith("# "))
    assert "Tân Lập" not in title  # one commune's name does not head both
    assert str(own_mappings / "dxcheck.toml") in done.stderr  # the province's file, which names the issuer
    assert ISSUER.upper() in (tmp_path / "r.html").read_text(encoding="utf-8").upper()
    result = dxcheck.evaluate([own_mappings / name for name in files], rules=["binh-minh-2030"], period="2026-10",
                              timestamp=False)
    values = [entry.value for entry in result.ranking[ONLINE]]
    assert len(values) == 2 and None not in values and len(set(values)) == 1  # each read with its own mapping


def test_the_communes_own_packs_are_used_when_they_agree_and_said_when_not(own_mappings, tmp_path):
    copy = tmp_path / "tinh"
    shutil.copytree(own_mappings, copy)
    for folder in ("xa-01", "xa-02"):
        (copy / folder / "dxcheck.toml").write_text('packs = ["binh-minh-2030"]\n', encoding="utf-8")
    (copy / "xa-03" / "dxcheck.toml").write_text(
        'commune = "Xã Tân Lập"\npacks = ["binh-minh-2030"]\n[mapping]\nso_hoa = "Đã quét giấy tờ"\n', encoding="utf-8")
    agreed = dxcheck.evaluate([copy], period="2026-10", timestamp=False)  # no pack named by the run
    assert {item.pack for item in agreed.results} == {"binh-minh-2030"}  # not every shipped pack
    assert not [note for note in agreed.notes if note.code == "province.own_packs_not_used"]
    (copy / "xa-02" / "dxcheck.toml").write_text('packs = ["hoang-son-2030"]\n', encoding="utf-8")
    differ = dxcheck.evaluate([copy], rules=["binh-minh-2030"], period="2026-10", timestamp=False, lang="en")
    said = [note for note in differ.notes if note.code == "province.own_packs_not_used"]
    assert [Path(note.path).parent.name for note in said] == ["xa-02"]
    assert "hoang-son-2030" in said[0].message and "binh-minh-2030" in said[0].message
