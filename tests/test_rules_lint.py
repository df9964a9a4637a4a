"""`dxcheck rules lint` (REFERENCE rev. 2 §4): operators against their wording, every finding of every
pack in one run, pack ids as arguments, and text / JSON / GitHub output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from dxcheck.messages import set_language
from dxcheck.packs.lint import Finding, lint_file
from dxcheck.packs.loader import shipped_rules_dir
from dxcheck.render.lint import github_annotation

PLAN = """KẾ HOẠCH thử nghiệm
1. Tối thiểu 98% hồ sơ được xử lý trực tuyến toàn trình.
2. Tỷ lệ giải quyết hồ sơ đúng hạn đạt trên 98%.
3. Giai đoạn 2020-2025, thanh toán lệ phí trực tuyến đạt 97,29 %; số hồ sơ xử lý trực tuyến đạt trên 99%.
4. Các cơ sở dữ liệu được kết nối với cổng dịch vụ công.
5. Đến năm 2030 ít nhất 60% doanh nghiệp ứng dụng công nghệ số, trong đó trên 30% ứng dụng toàn diện.
"""


def rule(rule_id: str, quote: str, op: str, value: float, *, extra: str = "", condition: str = "so_hoa") -> str:
    return (f"  - id: {rule_id}\n"
            f"    title: {{vi: \"{rule_id}\", en: \"{rule_id}\"}}\n"
            f"    source: {{section: \"1\", quote: \"{quote}\"}}\n"
            f"    target: {{op: \"{op}\", value: {value}}}\n"
            f"    deadline: 2030\n{extra}"
            f"    measurements: [{{dataset: ho_so, condition: \"{condition}\"}}]\n")


def pack(*rules: str, pack_id: str = "thu-nghiem") -> str:
    return (f"id: {pack_id}\ntitle: {{vi: \"Thử\", en: \"Test\"}}\n"
            "plan: {issuer: Xã Thử, document: KẾ HOẠCH thử nghiệm, seed: plan.txt}\nrules:\n" + "".join(rules))


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "plan.txt").write_text(PLAN, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(findings: list[Finding]) -> list[tuple[str | None, str]]:
    return [(finding.rule, finding.code) for finding in findings]


def dxcheck(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd)


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("vi")


FULL_ONLINE = "Tối thiểu 98% hồ sơ được xử lý trực tuyến toàn trình"
ON_TIME = "Tỷ lệ giải quyết hồ sơ đúng hạn đạt trên 98%"


@pytest.mark.parametrize("quote,op,flagged", [
    (FULL_ONLINE, ">", True),      # the planted `> 98` for "tối thiểu 98%"
    (FULL_ONLINE, ">=", False),
    (ON_TIME, ">=", True),         # ">= 98" for "trên 98%"
    (ON_TIME, ">", False),
    (ON_TIME, "==", True),
])
def test_operator_is_checked_against_the_wording(tmp_path, quote, op, flagged):
    path = write(tmp_path, pack(rule("r", quote, op, 98)))
    findings = lint_file(path)
    assert codes(findings) == ([("r", "operator-wording")] if flagged else [])
    if flagged:
        text = path.read_text(encoding="utf-8")
        op_line = next(number for number, line in enumerate(text.splitlines(), 1) if "target:" in line)
        assert (findings[0].line, findings[0].column) == (op_line, text.splitlines()[op_line - 1].index("op:") + 1)
        assert f"operator {op} contradicts" in findings[0].message


@pytest.mark.parametrize("wording,strict", [
    ("tối thiểu 98%", False), ("ít nhất 98%", False), ("từ 98% trở lên", False), ("đạt 98%", False),
    ("là 98%", False), ("98% hồ sơ", False), ("trên 98%", True), ("TRÊN 98 %", True),
    (unicodedata.normalize("NFD", "đạt trên 98%"), True), ("trên tổng số hồ sơ là 98%", False),
])
def test_each_wording_of_the_contract(tmp_path, wording, strict):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "plan.txt").write_text(f"Chỉ tiêu: {wording}.\n", encoding="utf-8")
    for op in (">", ">="):
        path = tmp_path / "pack.yaml"
        path.write_text(pack(rule("r", wording, op, 98)), encoding="utf-8")
        wrong = (op == ">") != strict
        assert codes(lint_file(path)) == ([("r", "operator-wording")] if wrong else []), (wording, op)


def test_only_the_figure_equal_to_the_target_is_judged(tmp_path):
    quote = "ít nhất 60% doanh nghiệp ứng dụng công nghệ số, trong đó trên 30% ứng dụng toàn diện"
    path = write(tmp_path, pack(rule("at-least-60", quote, ">=", 60), rule("above-30", quote, ">", 30),
                                rule("wrong-30", quote, ">=", 30), rule("absent-45", quote, ">=", 45)))
    assert codes(lint_file(path)) == [("wrong-30", "operator-wording"), ("absent-45", "value-not-in-quote")]


def test_decimal_comma_and_baseline_operator(tmp_path):
    baseline = ('    baseline: {{op: "{op}", value: {value}, period: "2020-2025", section: "3", quote: "{quote}"}}\n')
    paid = "thanh toán lệ phí trực tuyến đạt 97,29 %"
    online = "số hồ sơ xử lý trực tuyến đạt trên 99%"
    path = write(tmp_path, pack(
        rule("paid-ok", FULL_ONLINE, ">=", 98, extra=baseline.format(op=">=", value=97.29, quote=paid)),
        rule("paid-strict", FULL_ONLINE, ">=", 98, extra=baseline.format(op=">", value=97.29, quote=paid)),
        rule("online-ok", FULL_ONLINE, ">=", 98, extra=baseline.format(op=">", value=99, quote=online)),
        rule("online-lost", FULL_ONLINE, ">=", 98, extra=baseline.format(op=">=", value=99, quote=online)),
        rule("paid-misread", FULL_ONLINE, ">=", 98, extra=baseline.format(op=">=", value=97.3, quote=paid)),
    ))
    findings = lint_file(path)
    assert codes(findings) == [("paid-strict", "operator-wording"), ("online-lost", "operator-wording"),
                               ("paid-misread", "value-not-in-quote")]
    assert "“trên 99%”" in findings[1].message and "means > 99" in findings[1].message


def test_notes_must_state_a_departure_or_a_figure_the_clause_does_not_write(tmp_path):
    no_figure = "Các cơ sở dữ liệu được kết nối với cổng dịch vụ công"
    explained_value = "    notes: \"Không ghi số; được hiểu là 100% cơ sở dữ liệu.\"\n"
    explained_op = "    notes: \"Viết 'trên 98%' nhưng được chép là >= 98 vì ...\"\n"
    vague = "    notes: \"Viết khác.\"\n"
    path = write(tmp_path, pack(
        rule("no-figure", no_figure, ">=", 100),
        rule("no-figure-explained", no_figure, ">=", 100, extra=explained_value),
        rule("departure-explained", ON_TIME, ">=", 98, extra=explained_op),
        rule("departure-vague", ON_TIME, ">=", 98, extra=vague),
        rule("departure-other-op", ON_TIME, "==", 98, extra=explained_op),
    ))
    assert codes(lint_file(path)) == [("no-figure", "value-not-in-quote"), ("departure-vague", "operator-wording"),
                                      ("departure-other-op", "operator-wording")]


def test_also_clauses_are_verbatim_and_worded_like_the_target(tmp_path):
    also = ('    source: {section: "1", quote: "%s",\n'
            '             also: [{section: "2", quote: "%s"}, {section: "9", quote: "Tối thiểu 98%% hồ sơ bị sửa"}]}\n')
    text = pack(rule("r", FULL_ONLINE, ">=", 98)).replace(
        f"    source: {{section: \"1\", quote: \"{FULL_ONLINE}\"}}\n", also % (FULL_ONLINE, ON_TIME))
    path = write(tmp_path, text)
    findings = lint_file(path)
    assert codes(findings) == [("r", "quote-not-found"), ("r", "operator-wording")]
    assert findings[0].line == 8 and "bị sửa" in findings[0].message  # the also list's line
    assert findings[1].line == 9 and "“trên 98%”" in findings[1].message  # at the target's operator


def test_every_finding_of_a_pack_is_reported(tmp_path):
    text = pack(
        rule("wording", FULL_ONLINE, ">", 98),
        rule("expression", ON_TIME, ">", 98, condition="so_hoa_x"),
        rule("bad-deadline", "Tỷ lệ giải quyết hồ sơ đúng hạn đạt trên 95%", ">=", 95).replace(
            "deadline: 2030", "deadline: 20300"),
        rule("too-high", FULL_ONLINE, ">=", 120),
        rule("wording", ON_TIME, ">", 98),
    )
    findings = lint_file(write(tmp_path, text))
    assert sorted(set(codes(findings))) == sorted({
        ("wording", "operator-wording"), ("expression", "expression"),
        ("bad-deadline", "quote-not-found"), ("bad-deadline", "operator-wording"), ("bad-deadline", "schema"),
        ("too-high", "unreachable-target"), ("too-high", "value-not-in-quote"), ("wording", "duplicate-id")})
    assert [finding.line for finding in findings] == sorted(finding.line for finding in findings)


def test_several_packs_ids_and_folders_in_one_run(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path / "a", pack(rule("r", FULL_ONLINE, ">", 98)))
    second = write(tmp_path / "b", pack(rule("s", ON_TIME, ">=", 98), pack_id="thu-nghiem-b"))
    run = dxcheck("rules", "lint", str(first), "hoang-son-2030", str(second.parent), "--lang", "en")
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"{first}:8:") and "[r]" in lines[0]
    assert lines[1].startswith(f"{second}:8:") and "[s]" in lines[1]
    assert lines[-1] == "3 pack(s) checked, 2 finding(s)."


def test_pack_ids_and_unknown_names():
    shipped = sorted(file.stem for file in shipped_rules_dir().glob("*.yaml"))
    run = dxcheck("rules", "lint", "hoang-son-2030", "--lang", "en")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "1 pack(s) checked, 0 finding(s)."
    unknown = dxcheck("rules", "lint", "hoang-son-2031", "missing/pack.yaml", "--lang", "en")
    assert unknown.returncode == 2
    assert "hoang-son-2031, missing/pack.yaml" in unknown.stderr and ", ".join(shipped) in unknown.stderr
    assert "Traceback" not in unknown.stderr and unknown.stdout == ""


def test_shipped_packs_lint_clean_from_the_command_line():
    run = dxcheck("rules", "lint", "--lang", "en")
    assert run.returncode == 0, run.stdout
    count = len(list(shipped_rules_dir().glob("*.yaml")))
    assert run.stdout.strip() == f"{count} pack(s) checked, 0 finding(s)."


def test_json_format(tmp_path):
    path = write(tmp_path, pack(rule("r", FULL_ONLINE, ">", 98), rule("s", ON_TIME, ">", 98, condition="x_y")))
    run = dxcheck("rules", "lint", str(path), "--format", "json", "--lang", "vi")
    assert run.returncode == 1
    records = json.loads(run.stdout)
    assert [(record["rule"], record["code"], record["line"]) for record in records] == [
        ("r", "operator-wording", 8), ("s", "expression", 16)]
    assert set(records[0]) == {"path", "line", "column", "rule", "code", "message", "severity"}
    assert records[0]["path"] == str(path) and records[0]["severity"] == "error"
    assert "tối thiểu 98%" in records[0]["message"].lower()  # in --lang, diacritics intact
    clean = dxcheck("rules", "lint", "binh-minh-2030", "--format", "json")
    assert clean.returncode == 0 and json.loads(clean.stdout) == []


def _parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command read back as GitHub's runner does (unescaping as actions/toolkit escapes)."""
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line

    def unescape(text: str) -> str:
        return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
                .replace("%25", "%"))

    properties = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), {key: unescape(value) for key, value in properties.items()}, unescape(match.group(3))


def test_github_annotations_escape_data_and_properties(tmp_path):
    folder = tmp_path / "xã, thôn: 1"
    folder.mkdir()
    path = write(folder, pack(rule("r", FULL_ONLINE, ">", 98)))
    run = dxcheck("rules", "lint", str(path), "--format", "github", "--lang", "en")
    assert run.returncode == 1
    annotation, summary = run.stdout.splitlines()
    level, properties, message = _parse_annotation(annotation)
    assert level == "error"
    assert properties == {"file": str(path), "line": "8", "col": "14",
                          "title": "dxcheck rules lint: operator-wording [r]"}
    assert message.startswith("operator > contradicts the wording “Tối thiểu 98%”")
    assert "%25" in annotation and "98%”" not in annotation.split("::")[-1]
    assert summary == "1 pack(s) checked, 1 finding(s)."
    tricky = Finding("a,b:c.yaml", 3, 5, None, "schema", "lint.load_error", {"problem": "50% off\r\nnext: line"})
    line = github_annotation(tricky)
    assert "\n" not in line and "\r" not in line
    assert _parse_annotation(line) == ("error", {"file": "a,b:c.yaml", "line": "3", "col": "5",
                                                 "title": "dxcheck rules lint: schema"}, "50% off\r\nnext: line")


def test_bad_format_is_refused():
    run = dxcheck("rules", "lint", "--format", "xml", "--lang", "en")
    assert run.returncode == 2 and "xml" in run.stderr and "github" in run.stderr
