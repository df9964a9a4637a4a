"""Rule-pack loading, `dxcheck rules lint` and `dxcheck schema`: every defect named at file:line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from dxcheck.errors import RulePackError
from dxcheck.packs.lint import lint_file
from dxcheck.packs.loader import load_pack, shipped_rules_dir

PLAN_TEXT = """KẾ HOẠCH thử
- Tỷ lệ hồ sơ giải quyết đúng hạn
đạt từ 99% trở lên.
- 100% văn bản đi được ký số.
"""

VALID_PACK = """\
id: test-pack
title: {vi: "Bộ thử", en: "Test pack"}
plan:
  issuer: Đảng bộ xã Thử
  document: KẾ HOẠCH thử
  seed: plan.txt
rules:
  - id: on-time
    title: {vi: "Đúng hạn", en: "On time"}
    source: {section: "II.1", quote: "Tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 99% trở lên"}
    target: {op: ">=", value: 99}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: handled
        condition: on_time
  - id: outgoing-signed
    title: {vi: "Văn bản đi ký số", en: "Outgoing documents signed"}
    source: {section: "II.2", quote: "100% văn bản đi được ký số"}
    target: {op: ">=", value: 100}
    deadline: 2030
    measurements:
      - dataset: van_ban_di
        population: issued and not do_mat
        condition: ky_so
"""


def write_pack(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "plan.txt").write_text(PLAN_TEXT, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in text")


def test_valid_pack_loads_and_lints_clean(tmp_path):
    path = write_pack(tmp_path, VALID_PACK)
    pack = load_pack(path)
    assert [rule.id for rule in pack.pack.rules] == ["on-time", "outgoing-signed"]
    on_time = pack.measurements["on-time"][0]
    assert {"ngay_tiep_nhan", "ngay_hen_tra", "ngay_co_ket_qua"} <= on_time.required
    assert "tien_do" in on_time.optional  # the system's own verdict is used only where exported
    assert lint_file(path) == []


# Each defect: (description, replace this, with that, text in the finding, line to point at)
DEFECTS = [
    ("yaml syntax", "deadline: 2030\n    measurements:\n      - dataset: ho_so",
     "deadline: 2030\n    measurements:\n      - dataset: ho_so: x", "YAML", "dataset: ho_so: x"),
    ("bad operator", 'op: ">=", value: 99', 'op: "=>", value: 99', "rules.0.target.op", 'op: "=>"'),
    ("duplicate id", "- id: outgoing-signed", "- id: on-time", "on-time", "- id: on-time#2"),
    ("unknown dataset", "- dataset: van_ban_di", "- dataset: van_ban_den", "van_ban_den", "van_ban_den"),
    ("unknown field", "condition: ky_so", "condition: ky_so_dien_tu", "ky_so_dien_tu", "ky_so_dien_tu"),
    ("unknown value code", "condition: on_time", 'condition: hinh_thuc_nop == "online"', "online",
     'hinh_thuc_nop == "online"'),
    ("unknown operator", "condition: on_time", "condition: le_phi =< 0", "=<", "le_phi =< 0"),
    ("quote not in source", "100% văn bản đi được ký số", "100% văn bản đến được ký số", "văn bản đến",
     "văn bản đến"),
    ("share above 100", "value: 100}", "value: 105}", "105", "value: 105"),
    ("strictly above 100", 'op: ">=", value: 100}', 'op: ">", value: 100}', "> 100", 'op: ">", value: 100'),
    ("python tag", "deadline: 2030\n    measurements:\n      - dataset: van_ban_di",
     "deadline: !!python/object:os.system 2030\n    measurements:\n      - dataset: van_ban_di",
     "python/object", "!!python"),
]


@pytest.mark.parametrize("name,old,new,expected,pointer", DEFECTS, ids=[defect[0] for defect in DEFECTS])
def test_lint_names_each_defect_at_file_line(tmp_path, name, old, new, expected, pointer):
    assert old in VALID_PACK, name
    text = VALID_PACK.replace(old, new, 1)
    path = write_pack(tmp_path, text)
    findings = lint_file(path)
    assert findings, f"{name}: lint found nothing"
    rendered = "\n".join(str(finding) for finding in findings)
    assert expected in rendered
    needle, _, occurrence = pointer.partition("#")
    assert f"{path}:{line_of(text, needle, int(occurrence or 1))}:" in rendered, rendered
    if name not in ("yaml syntax", "python tag"):
        assert "[on-time]" in rendered or "[outgoing-signed]" in rendered, rendered


def test_lint_cli_exit_codes(tmp_path):
    good = write_pack(tmp_path, VALID_PACK, "good.yaml")
    bad = write_pack(tmp_path, VALID_PACK.replace("value: 100}", "value: 120}"), "bad.yaml")
    run = [sys.executable, "-m", "dxcheck", "rules", "lint"]
    clean = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    dirty = subprocess.run([*run, str(good), str(bad), "--lang", "en"], capture_output=True, text=True)
    assert dirty.returncode == 1
    assert f"{bad}:{line_of(VALID_PACK, 'value: 100}')}:" in dirty.stdout  # 120% cannot be met
    assert f"{bad}:{line_of(VALID_PACK, '100% văn bản đi')}:" in dirty.stdout  # nor is it what the clause says
    assert "2 pack(s) checked, 2 finding(s)" in dirty.stdout
    missing = subprocess.run([*run, str(tmp_path / "nope.yaml")], capture_output=True, text=True)
    assert missing.returncode == 2
    assert "nope.yaml" in missing.stderr and "Traceback" not in missing.stderr


def test_shipped_packs_lint_clean():
    files = sorted(shipped_rules_dir().glob("*.yaml"))
    assert {file.stem for file in files} >= {"hoang-son-2030", "binh-minh-2030"}
    for file in files:
        assert lint_file(file) == [], file


def test_schema_validates_shipped_packs_and_rejects_a_broken_one():
    result = subprocess.run([sys.executable, "-m", "dxcheck", "schema"], capture_output=True, text=True, check=True)
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    yaml = YAML(typ="safe")
    for file in sorted(shipped_rules_dir().glob("*.yaml")):
        errors = list(validator.iter_errors(yaml.load(file.read_text(encoding="utf-8"))))
        assert errors == [], (file, errors[:1])
    broken = yaml.load(VALID_PACK)
    broken["rules"][0]["target"]["op"] = "=>"
    del broken["rules"][1]["deadline"]
    assert len(list(validator.iter_errors(broken))) >= 2


def test_load_pack_error_carries_location(tmp_path):
    text = VALID_PACK.replace("condition: on_time", "condition: on_time and", 1)
    path = write_pack(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert f"{path}:{line_of(text, 'condition: on_time and')}:" in message
    assert "on-time" in message


def test_scope_cycle_is_rejected(tmp_path):
    text = VALID_PACK.replace("rules:\n", "scopes:\n  ho_so:\n    a: b\n    b: a and received\nrules:\n", 1)
    path = write_pack(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    assert "a → b → a" in str(caught.value) or "b → a → b" in str(caught.value)
