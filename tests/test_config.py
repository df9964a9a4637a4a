"""dxcheck.toml: discovery, validation, what it changes in a run; periods from folder names and the
office spellings; UTF-8 output under a Windows code page; the verdict line of a run that writes files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxcheck.config import find_config, load_config
from dxcheck.errors import UsageError
from dxcheck.evaluation.period import folder_period, parse_period
from dxcheck.messages import catalogue

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"


def dxcheck(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, cwd=cwd, env=environment)


def month_folder(tmp_path: Path, name: str = "2026-10") -> Path:
    """A commune folder with the Bình Minh sample's exports in du-lieu/<name>."""
    data = tmp_path / "xa" / "du-lieu" / name
    data.mkdir(parents=True)
    for path in SAMPLE.glob("*.xlsx"):
        shutil.copy(path, data / path.name)
    return data


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, label", [
    ("10/2026", "2026-10"), ("T10/2026", "2026-10"), ("t3/2026", "2026-03"), ("Q4/2026", "2026-Q4"),
    ("Quý 4/2026", "2026-Q4"), ("quý 1 năm 2027", "2027-Q1"), ("2026-10", "2026-10"), ("2026", "2026"),
])
def test_office_spellings_of_a_period(text, label):
    assert parse_period(text).label == label


@pytest.mark.parametrize("text", ["13/2026", "Q5/2026", "T0/2026", "10-2026-1", "tháng mười"])
def test_not_a_period(text):
    with pytest.raises(UsageError):
        parse_period(text)


@pytest.mark.parametrize("name, label", [
    ("2026-11", "2026-11"), ("thang-11-2026", "2026-11"), ("Tháng 11 năm 2026", "2026-11"), ("T11-2026", "2026-11"),
    ("2026_11", "2026-11"), ("2026-Q4", "2026-Q4"), ("quy-4-2026", "2026-Q4"),
    ("du-lieu", None), ("2026", None), ("ho-so-2026-11", None), ("2026-13", None),
])
def test_period_from_a_folder_name(name, label):
    period = folder_period(name)
    assert (period.label if period else None) == label


# --- finding and reading the file ------------------------------------------------------------


def test_found_in_a_parent_with_paths_resolved_and_the_period_from_the_data_folder(tmp_path):
    data = month_folder(tmp_path, "thang-11-2026")
    (tmp_path / "xa" / "mapping.yaml").write_text("ngay_hen_tra: Hạn trả\n", encoding="utf-8")
    (tmp_path / "xa" / "dxcheck.toml").write_text(
        'commune = "Phường Tân An"\nsigners = "CHỦ TỊCH"\npacks = ["binh-minh-2030"]\nmapping_file = "mapping.yaml"\n'
        'report_dir = "bao-cao"\n[mapping]\nngay_co_ket_qua = "Ngày > Có kết quả"\n', encoding="utf-8")
    config = find_config(data / "ho-so-2026-10.xlsx")
    assert config is not None and config.path == tmp_path / "xa" / "dxcheck.toml"
    assert (config.commune, config.commune_kind, config.signers) == ("Tân An", "phường", ["CHỦ TỊCH"])
    assert config.mapping_file == tmp_path / "xa" / "mapping.yaml" and config.report_dir == tmp_path / "xa" / "bao-cao"
    assert config.mapping == {"ngay_co_ket_qua": "Ngày > Có kết quả"}
    assert config.period is not None and config.period.label == "2026-11"
    assert find_config(tmp_path / "xa").period is None  # `xa` is no period


def test_search_stops_at_a_git_folder(tmp_path):
    (tmp_path / "dxcheck.toml").write_text('commune = "Bình Minh"\n', encoding="utf-8")
    project = tmp_path / "repo" / "data"
    project.mkdir(parents=True)
    assert find_config(project) is not None
    (tmp_path / "repo" / ".git").mkdir()
    assert find_config(project) is None


@pytest.mark.parametrize("text, line, needle", [
    ('commune = "Bình Minh"\ncomune_kind = "xã"\n', "2", "commune_kind"),  # a typo: the close key suggested
    ('commune = "Bình Minh"\n\ncommune_kind = "huyện"\n', "3", "huyện"),
    ('language = "fr"\n', "1", "fr"),
    ('signers = ["A", 3]\n', "1", "signers"),
    ('commune = "Bình Minh\n', "1", "TOML"),
    ('packs = ["x"]\n[mapping]\nngay_hen_tra = "Hạn trả"\nno_such_field = "Cột"\n', "4", "no_such_field"),
    ('mapping_file = "missing.yaml"\n', "1", "missing.yaml"),
    ('issuer = ""\n', "1", "issuer"),
])
def test_mistakes_name_the_file_and_line(tmp_path, text, line, needle):
    path = tmp_path / "dxcheck.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:") and needle in message, message


def test_an_unknown_key_suggests_only_a_close_one(tmp_path):
    """A key with no near spelling (`period`: the period comes from the folder's name) is named
    with the keys there are, and no empty suggestion (it used to say “did you mean —?”)."""
    path = tmp_path / "dxcheck.toml"
    path.write_text('period = "2026-10"\n', encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "“period”" in message and "commune_kind" in message and "—" not in message and "?" not in message
    path.write_text('comune = "Bình Minh"\n', encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert "“commune”?" in str(caught.value)


@pytest.mark.parametrize("text, line", [
    ('[mapping]\nngay_hen_tra = "Hạn trả"\n"ho_so.ngay_tiep_nhan.cu" = "Ngày nhận"\n', "3"),
    ('[mapping]\nho_so.ngay_tiep_nhan.cu = "Ngày nhận"\n', "2"),  # unquoted: TOML nests it
    ('[mapping.ho_so]\nngay_tiep_nhan . cu = "Ngày nhận"\n', "2"),
    ('mapping = { "ho_so.ngay_tiep_nhan.cu" = "Ngày nhận" }\n', "1"),
])
def test_a_mapping_key_with_two_dots_is_refused_with_the_key_and_the_fix(tmp_path, text, line):
    """`--map` refuses `ho_so.ngay_tiep_nhan.cu=…`; the file does too, saying where, which key and
    what a key may be, in both languages."""
    path = tmp_path / "dxcheck.toml"
    path.write_text(text, encoding="utf-8")
    for lang, words in (("vi", "nhiều nhất một dấu chấm"), ("en", "one dot at most")):
        done = dxcheck("inspect", str(tmp_path), "--lang", lang)
        stderr = done.stderr.decode("utf-8")
        assert done.returncode == 2 and "Traceback" not in stderr, stderr
        assert f"dxcheck.toml:{line}:" in stderr and "“ho_so.ngay_tiep_nhan.cu”" in stderr and words in stderr, stderr
        assert "“ho_so.ngay_tiep_nhan”" in stderr  # what was probably meant


def test_a_mapping_key_with_one_dot_is_read_quoted_or_not(tmp_path):
    """`ho_so.ngay_tiep_nhan = …` means what `--map ho_so.ngay_tiep_nhan=…` means, written as TOML
    reads it (unquoted: a table `ho_so`) or quoted."""
    path = tmp_path / "dxcheck.toml"
    for text in ('[mapping]\nho_so.ngay_tiep_nhan = "Ngày nhận"\n"ho_so.ngay_hen_tra" = "Hạn"\n',
                 '[mapping.ho_so]\nngay_tiep_nhan = "Ngày nhận"\nngay_hen_tra = "Hạn"\n'):
        path.write_text(text, encoding="utf-8")
        assert load_config(path).mapping == {"ho_so.ngay_tiep_nhan": "Ngày nhận", "ho_so.ngay_hen_tra": "Hạn"}


def test_a_bad_file_stops_evaluate_with_exit_2_and_one_line(tmp_path):
    data = month_folder(tmp_path)
    (tmp_path / "xa" / "dxcheck.toml").write_text('packs = "binh-minh-2030"\nsignrs = ["A"]\n', encoding="utf-8")
    done = dxcheck("evaluate", str(data), "--lang", "en")
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "dxcheck.toml:2:" in stderr and "signers" in stderr and "Traceback" not in stderr


# --- what the file changes in a run -------------------------------------------------------------


def test_evaluate_uses_the_file_and_the_folder_period_and_options_win(tmp_path):
    data = month_folder(tmp_path)
    (tmp_path / "xa" / "dxcheck.toml").write_text(
        'commune = "Bình Minh"\ncommune_kind = "phường"\nissuer = "Văn phòng HĐND và UBND"\n'
        'signers = ["Người lập biểu", "KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH", "CHỦ TỊCH"]\npacks = ["binh-minh-2030"]\n'
        'language = "en"\n', encoding="utf-8")
    report = tmp_path / "r.html"
    done = dxcheck("evaluate", str(data), "-o", str(report), "-o", str(tmp_path / "r.json"))
    stderr, stdout = done.stderr.decode(), done.stdout.decode()
    assert done.returncode == 1, stderr
    assert stderr.strip() == f"using configuration {tmp_path / 'xa' / 'dxcheck.toml'}"  # language from the file
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["period"]["label"] == "2026-10" and not document["period"]["inferred"]
    assert {r["id"].split("/")[0] for r in document["results"]} == {"binh-minh-2030"}  # packs from the file
    assert [note["message"] for note in document["notes"] if "folder name" in note["message"]] == [
        "period taken from the folder name “2026-10”: 2026-10"]
    summary = document["summary"]
    assert stdout == f"{summary['pass']} passed, {summary['fail']} failed — wrote {report}, {tmp_path / 'r.json'}\n"
    html = report.read_text(encoding="utf-8")
    assert "PEOPLE&#39;S COMMITTEE OF BÌNH MINH WARD<br>VĂN PHÒNG HĐND VÀ UBND" in html
    assert "KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH" in html and html.count('<td style="width: 33%">') == 3

    # every option on the command line wins: period, packs, language
    given = dxcheck("evaluate", str(data), "--period", "Q4/2026", "--rules", "hoang-son-2030", "--lang", "vi",
                    "--format", "json")
    document = json.loads(given.stdout)
    assert document["period"]["label"] == "2026-Q4"
    assert {r["id"].split("/")[0] for r in document["results"]} == {"hoang-son-2030"}
    assert not any("thư mục" in note["message"] for note in document["notes"])
    assert given.stderr.decode().startswith("dùng cấu hình ")


def test_mapping_from_the_file_is_used_and_map_overrides_it(tmp_path):
    data = month_folder(tmp_path)
    toml = tmp_path / "xa" / "dxcheck.toml"
    toml.write_text('packs = ["binh-minh-2030"]\n[mapping]\nngay_hen_tra = "Không có cột này"\n', encoding="utf-8")
    refused = dxcheck("inspect", str(data), "--lang", "en")
    assert refused.returncode == 2 and "Không có cột này" in refused.stderr.decode()  # the file's mapping was read
    fine = dxcheck("inspect", str(data), "--lang", "en", "--map", "ngay_hen_tra=Hạn trả kết quả")
    assert "Không có cột này" not in fine.stdout.decode() + fine.stderr.decode()


def test_no_file_changes_nothing(tmp_path):
    data = month_folder(tmp_path)
    done = dxcheck("evaluate", str(data), "--rules", "binh-minh-2030", "--format", "json")
    assert done.stderr == b"" and json.loads(done.stdout)["period"]["inferred"] is True


def test_a_period_without_any_of_the_data_dates_is_a_warning():
    done = dxcheck("evaluate", str(SAMPLE), "--rules", "binh-minh-2030", "--period", "2025-10", "--format", "json",
                   "--lang", "en")
    warnings = [w for w in json.loads(done.stdout)["warnings"] if w["code"] == "period.no_dates_in_period"]
    assert {w["params"]["dataset"] for w in warnings} >= {"ho_so"}
    assert all("2025-10" in w["message"] for w in warnings)
    right = dxcheck("evaluate", str(SAMPLE), "--rules", "binh-minh-2030", "--period", "2026-10", "--format", "json")
    assert not [w for w in json.loads(right.stdout)["warnings"] if w["code"] == "period.no_dates_in_period"]


# --- init ------------------------------------------------------------------------------------


def test_init_writes_a_config_from_the_banner_and_never_overwrites(tmp_path):
    data = month_folder(tmp_path)
    done = dxcheck("init", str(data))
    assert done.returncode == 0, done.stderr
    path = tmp_path / "xa" / "du-lieu" / "dxcheck.toml"  # beside the month folders, so next month finds it
    text = path.read_text(encoding="utf-8")
    assert "# Tên đơn vị" in text and "# The unit's name" in text
    config = load_config(path)
    assert (config.commune, config.commune_kind, config.packs, config.issuer) == (
        "Bình Minh", "xã", ["binh-minh-2030"], "Ủy ban nhân dân xã Bình Minh")
    path.write_text(text.replace('language = "vi"', 'language = "en"'), encoding="utf-8")
    again = dxcheck("init", str(data), "--commune", "Phường Tân An")
    assert again.returncode == 2 and "--force" in again.stderr.decode()
    assert 'language = "en"' in path.read_text(encoding="utf-8")
    forced = dxcheck("init", str(data), "--commune", "Tân An", "--kind", "phường", "--signer", "CHỦ TỊCH", "--force")
    assert forced.returncode == 0
    config = load_config(path)
    assert (config.commune, config.commune_kind, config.signers, config.packs) == ("Tân An", "phường", ["CHỦ TỊCH"], [])
    evaluated = dxcheck("evaluate", str(data), "--format", "json")  # no pack named: every shipped pack
    assert evaluated.returncode in (0, 1)


# --- Windows text ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "terminal"])
def test_output_is_utf8_under_a_windows_code_page(tmp_path, fmt):
    done = dxcheck("evaluate", str(SAMPLE), "--rules", "binh-minh-2030", "--period", "2026-10", "--format", fmt,
                   cwd=tmp_path, env={"PYTHONIOENCODING": "cp1258"})
    assert done.returncode in (0, 1), done.stderr
    (tmp_path / "r.md").write_bytes(done.stdout)
    text = (tmp_path / "r.md").read_bytes().decode("utf-8")  # strict: valid UTF-8 or an exception
    assert "ĐẠT" in text or "Đạt" in text or "đạt" in text
    assert "Hồ sơ" in text or "hồ sơ" in text


def test_errors_are_utf8_under_a_windows_code_page(tmp_path):
    done = dxcheck("evaluate", "khong-co.xlsx", cwd=tmp_path, env={"PYTHONIOENCODING": "cp1258"})
    assert done.returncode == 2
    assert "Không tìm thấy" in done.stderr.decode("utf-8") and "Traceback" not in done.stderr.decode("utf-8")


def test_catalogues_have_the_same_keys():
    vi = {key for key in catalogue("vi") if key.split(".")[0] in ("config", "period", "output")}
    en = {key for key in catalogue("en") if key.split(".")[0] in ("config", "period", "output")}
    assert vi == en and len(vi) > 20
