"""`dxcheck init`: a commune folder that evaluates the shipped samples and lints clean, unedited."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from dxcheck.datasets import vocabulary
from dxcheck.load import parse_mapping
from dxcheck.messages import catalogue, set_language
from dxcheck.packs.loader import load_pack, shipped_rules_dir
from dxcheck.scaffold import Commune, mapping_text, parse_commune, slugify

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def dxcheck(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=cwd,
                          encoding="utf-8")


@pytest.fixture(autouse=True)
def _vietnamese():
    token = set_language("vi")
    yield
    from dxcheck.messages import _language

    _language.reset(token)


@pytest.mark.parametrize("source, commune, sample, pack_id", [
    ("binh-minh-2030", "Xã Bình Minh", "binh-minh", "binh-minh-2030"),
    ("hoang-son-2030", "xã Hoàng Sơn", "hoang-son", "hoang-son-2030"),
])
def test_init_output_evaluates_the_samples_and_lints_clean(tmp_path, source, commune, sample, pack_id):
    folder = tmp_path / "xa"
    made = dxcheck("init", str(folder), "--from", source, "--commune", commune)
    assert made.returncode == 0, made.stdout + made.stderr
    pack = folder / f"{pack_id}.yaml"
    seed = load_pack(shipped_rules_dir() / f"{source}.yaml").pack.plan.seed
    assert sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()) == sorted(
        [f"{pack_id}.yaml", f"sources/{seed}", "mapping.yaml", "README.md", "dxcheck.toml"])

    evaluated = dxcheck("evaluate", str(SAMPLES / sample), "--rules", str(pack), "--mapping",
                        str(folder / "mapping.yaml"), "--period", "2026-10", "--format", "json")
    assert evaluated.returncode in (0, 1), evaluated.stdout + evaluated.stderr
    copied = json.loads(evaluated.stdout)
    shipped = json.loads(dxcheck("evaluate", str(SAMPLES / sample), "--rules", source, "--period", "2026-10",
                                 "--format", "json").stdout)
    # the same rules, the same verdicts: only the pack's id and title changed
    assert [(r["id"].split("/")[1], r["status"], r["numerator"], r["denominator"]) for r in copied["results"]] == \
           [(r["id"].split("/")[1], r["status"], r["numerator"], r["denominator"]) for r in shipped["results"]]

    linted = dxcheck("rules", "lint", str(pack))
    assert linted.returncode == 0, linted.stdout
    assert "0 vấn đề" in linted.stdout


def test_the_copied_pack_keeps_every_rule_and_names_the_commune(tmp_path):
    assert dxcheck("init", str(tmp_path), "--from", "binh-minh-2030", "--commune", "Xã Tân An").returncode == 0
    copied = load_pack(tmp_path / "tan-an-2030.yaml")
    original = load_pack(shipped_rules_dir() / "binh-minh-2030.yaml")
    assert copied.pack.id == "tan-an-2030"
    assert copied.pack.title.vi.startswith("Xã Tân An: Chương trình hành động")
    assert copied.pack.title.en.startswith("Tân An commune: action programme")
    assert copied.pack.rules == original.pack.rules
    assert copied.pack.plan == original.pack.plan
    text = (tmp_path / "tan-an-2030.yaml").read_text(encoding="utf-8")
    assert text.startswith("# ") and "dxcheck init" in text.splitlines()[0]
    assert "# Operators follow the wording" in text  # the source's comments survive the copy


def test_refuses_to_overwrite_then_force_overwrites(tmp_path):
    args = ("init", str(tmp_path), "--from", "binh-minh-2030", "--commune", "Xã Bình Minh")
    assert dxcheck(*args).returncode == 0
    (tmp_path / "mapping.yaml").write_text("ho_so:\n  ngay_hen_tra: Hạn trả của xã\n", encoding="utf-8")
    again = dxcheck(*args)
    assert again.returncode == 2
    assert "--force" in again.stderr and "mapping.yaml" in again.stderr and "Traceback" not in again.stderr
    assert "Hạn trả của xã" in (tmp_path / "mapping.yaml").read_text(encoding="utf-8")  # untouched
    english = dxcheck(*args, "--lang", "en")
    assert english.returncode == 2 and "already exist" in english.stderr
    forced = dxcheck(*args, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Hạn trả của xã" not in (tmp_path / "mapping.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, needle", [
    (("--from", "binh-minh-2030", "--commune", "Xã A", "--kind", "huyện"), "huyện"),
    (("--from", "binh-minh-2030"), "--commune"),
    (("--from", "no-such-pack", "--commune", "Xã A"), "no-such-pack"),
    (("--from", "binh-minh-2030", "--commune", "Xã A", "--id", "Not A Slug"), "--id"),
    (("--from", "binh-minh-2030", "--commune", "!!!"), "--id"),
])
def test_bad_options_exit_2_with_one_sentence(tmp_path, args, needle):
    done = dxcheck("init", str(tmp_path / "x"), *args, "--lang", "en")
    assert done.returncode == 2
    assert needle in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()


def test_a_file_in_place_of_the_folder_is_an_input_error(tmp_path):
    (tmp_path / "x").write_text("", encoding="utf-8")
    done = dxcheck("init", str(tmp_path / "x"), "--from", "binh-minh-2030", "--commune", "Xã A")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_explicit_id_and_a_pack_file_as_source(tmp_path):
    first = tmp_path / "first"
    assert dxcheck("init", str(first), "--from", "hoang-son-2030", "--commune", "Hoàng Sơn").returncode == 0
    second = tmp_path / "second"
    done = dxcheck("init", str(second), "--from", str(first / "hoang-son-2030.yaml"), "--commune",
                   "Phường Hòa Bình", "--id", "hoa-binh-kh-2030")
    assert done.returncode == 0, done.stderr
    pack = load_pack(second / "hoa-binh-kh-2030.yaml")
    assert pack.pack.title.vi.startswith("Phường Hòa Bình: Kế hoạch")
    assert pack.pack.title.en.startswith("Hòa Bình ward: ")
    assert dxcheck("rules", "lint", str(second / "hoa-binh-kh-2030.yaml")).returncode == 0


def test_commune_names():
    assert parse_commune("Xã Bình Minh") == Commune("Xã", "Bình Minh")
    assert parse_commune("  xã   Bình Minh ") == Commune("Xã", "Bình Minh")
    assert parse_commune("Bình Minh") == Commune("Xã", "Bình Minh")
    assert parse_commune("PHƯỜNG Tân An").full == "Phường Tân An"
    assert parse_commune("Đặc khu Côn Đảo").english == "Côn Đảo special zone"
    assert slugify("Bình Minh - Bắc Sơn") == "binh-minh-bac-son"
    assert slugify("Đồng Đăng") == "dong-dang"
    nfd = "Xa\u0303 Bi\u0300nh Minh"  # NFD text, as some keyboards type it
    assert parse_commune(nfd) == Commune("Xã", "Bình Minh")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_mapping_template_reads_empty_and_every_line_uncommented_is_valid(tmp_path, lang):
    set_language(lang)
    text = mapping_text()
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    assert parse_mapping([], path) == {}
    # uncomment every dataset and field line (delete the leading "# "): parse_mapping accepts them all
    body = [line for line in text.splitlines() if re.match(r"^# (\w+:|  \w+: \")", line)]
    path.write_text("\n".join(line[2:] for line in body) + "\n", encoding="utf-8")
    mapping = parse_mapping([], path)
    assert "ho_so.ngay_hen_tra" in mapping and "chi_tieu.gia_tri" in mapping
    assert len(mapping) == sum(len(spec.fields) for spec in vocabulary().datasets.values())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_readme_is_in_the_chosen_language_and_fully_filled(tmp_path, lang):
    assert dxcheck("init", str(tmp_path), "--from", "binh-minh-2030", "--commune", "Xã Bình Minh",
                   "--lang", lang).returncode == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Xã Bình Minh: ")
    assert ("Hằng tháng" in readme) == (lang == "vi") and ("Every month" in readme) == (lang == "en")
    assert "--rules binh-minh-2030.yaml --mapping mapping.yaml --period 2026-10" in readme
    assert "| `vneid` |" in readme and "| `cashless` |" in readme
    assert not re.search(r"\{[a-z_]+\}", readme), "an unfilled placeholder"
    for name in ("binh-minh-2030.yaml", "mapping.yaml"):
        assert not re.search(r"\{[a-z_]+\}", (tmp_path / name).read_text(encoding="utf-8"))


def test_authoring_catalogues_have_the_same_keys_and_placeholders():
    vi = {key: value for key, value in catalogue("vi").items() if key.startswith("authoring.")}
    en = {key: value for key, value in catalogue("en").items() if key.startswith("authoring.")}
    assert vi.keys() == en.keys()
    for key in vi:
        assert set(re.findall(r"(?<!\{)\{(\w+)", vi[key])) == set(re.findall(r"(?<!\{)\{(\w+)", en[key])), key


def test_pack_copy_is_a_faithful_yaml_round_trip():
    """The copy changes nothing but id and title: the round trip itself must be lossless."""
    import io

    from dxcheck.scaffold import _yaml

    for path in sorted(shipped_rules_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        yaml = _yaml()
        out = io.StringIO()
        yaml.dump(yaml.load(text), out)
        assert out.getvalue() == text, path.name
    assert YAML(typ="safe").load(mapping_text()) is None
