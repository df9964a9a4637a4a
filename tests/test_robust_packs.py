"""Absurd and hostile rule packs: refused with a clear message, or evaluated within bounds.

YAML is parsed safely (tags that construct objects are refused: tests/test_rule_packs.py); here,
alias bombs, recursion, deep nesting, a thousand rules, chains of scopes, and an expression
language that cannot reach Python objects whatever text it is given.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dxcheck
from dxcheck import expr
from dxcheck.datasets import dataset
from dxcheck.errors import RulePackError
from dxcheck.messages import set_language
from dxcheck.packs import loader
from dxcheck.packs.loader import load_pack
from dxcheck_synth.report import ReportSheet, write_workbook

HEAD = """\
id: absurd
title: {vi: "Bộ thử", en: "Test pack"}
plan: {issuer: Xã Thử, document: KẾ HOẠCH thử, seed: plan.txt}
"""


def rule(index: int, condition: str = "da_boi_duong_so", population: str | None = None) -> str:
    extra = f"\n        population: {population}" if population else ""
    return f"""\
  - id: rule-{index}
    title: {{vi: "Quy tắc {index}", en: "Rule {index}"}}
    source: {{section: "1", quote: "100% cán bộ được bồi dưỡng"}}
    target: {{op: ">=", value: 100}}
    deadline: 2030
    measurements:
      - dataset: can_bo
        condition: {condition}{extra}
"""


@pytest.fixture(autouse=True)
def english():
    from dxcheck.messages import _language

    token = set_language("en")
    yield
    _language.reset(token)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "plan.txt").write_text("100% cán bộ được bồi dưỡng", encoding="utf-8")
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> RulePackError:
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    assert str(path) in str(caught.value)
    return caught.value


def staff(tmp_path: Path, n: int = 4) -> Path:
    frame = pd.DataFrame({"Họ và tên": [f"Người {i}" for i in range(n)], "Chức vụ": ["Công chức"] * n,
                          "Đã bồi dưỡng kỹ năng số": ["Có"] * (n - 1) + ["Không"]})
    path = tmp_path / "can-bo.xlsx"
    write_workbook(path, [ReportSheet("Cán bộ", frame, total_row=False)])
    return path


# ----------------------------------------------------------------------------------------------
# YAML: aliases, recursion, nesting


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 12):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    path = write(tmp_path, HEAD + "\n".join(lines) + "\nrules:\n" + rule(1))
    err = refused(path)  # 9**12 values: it returns at all because nothing was expanded
    assert err.key == "pack.too_many_nodes" and "aliases" in str(err)
    assert f"{path}:" in str(err)


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    path = write(tmp_path, HEAD + "loop: &me [1, *me]\nrules:\n" + rule(1))
    err = refused(path)
    assert err.key == "pack.recursive_alias" and "*me" in str(err) and f"{path}:4:" in str(err)


def test_deep_nesting_is_refused_before_it_is_built(tmp_path):
    path = write(tmp_path, HEAD + "deep: " + "[" * 5000 + "]" * 5000 + "\nrules:\n" + rule(1))
    err = refused(path)
    assert err.key == "pack.too_deep" and "32" in str(err)


def test_ordinary_aliases_still_work(tmp_path):
    text = HEAD + "rules:\n" + rule(1).replace("    measurements:\n", "    measurements: &m\n") + (
        rule(2).split("    measurements:")[0] + "    measurements: *m\n")
    pack = load_pack(write(tmp_path, text))
    assert [r.id for r in pack.pack.rules] == ["rule-1", "rule-2"]
    assert pack.pack.rules[1].measurements[0].condition == "da_boi_duong_so"


# ----------------------------------------------------------------------------------------------
# size: a thousand rules are evaluated; more are refused


def test_a_thousand_rules_load_and_evaluate(tmp_path):
    text = HEAD + "rules:\n" + "".join(rule(i, population="not (ho_ten is blank)") for i in range(1000))
    pack = load_pack(write(tmp_path, text))
    assert len(pack.pack.rules) == 1000
    result = dxcheck.evaluate([staff(tmp_path)], packs=[pack])
    assert result.summary.fail == 1000 and {r.numerator for r in result.results} == {3}


def test_more_than_a_thousand_rules_are_refused(tmp_path):
    text = HEAD + "rules:\n" + "".join(rule(i) for i in range(1001))
    err = refused(write(tmp_path, text))
    assert err.key == "pack.schema" and "1000" in str(err)


def test_scope_chains_are_bounded_and_evaluate(tmp_path):
    def chain(length: int) -> str:
        names = [f"s{i}" for i in range(length)]
        body = "".join(f"    {a}: {b} and not (ho_ten is blank)\n" for a, b in zip(names, names[1:]))
        body += f"    {names[-1]}: da_boi_duong_so\n"
        return HEAD + "scopes:\n  can_bo:\n" + body + "rules:\n" + rule(1, condition="s0")

    pack = load_pack(write(tmp_path, chain(loader.MAX_SCOPE_DEPTH)))
    result = dxcheck.evaluate([staff(tmp_path)], packs=[pack])
    assert (result.results[0].numerator, result.results[0].denominator) == (3, 4)
    err = refused(write(tmp_path, chain(loader.MAX_SCOPE_DEPTH + 1)))
    assert err.key == "pack.scope_too_deep"


def test_too_many_scopes(tmp_path):
    body = "".join(f"    s{i}: da_boi_duong_so\n" for i in range(loader.MAX_PACK_SCOPES + 1))
    err = refused(write(tmp_path, HEAD + "scopes:\n  can_bo:\n" + body + "rules:\n" + rule(1)))
    assert err.key == "pack.too_many_scopes"


def test_a_scope_cycle_names_only_the_cycle(tmp_path):
    body = "    a: b\n    b: c and da_boi_duong_so\n    c: b\n"
    err = refused(write(tmp_path, HEAD + "scopes:\n  can_bo:\n" + body + "rules:\n" + rule(1, condition="a")))
    assert err.key == "pack.scope_cycle" and str(err).endswith("b → c → b")


def test_the_cli_refuses_an_alias_bomb_in_one_line(tmp_path):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 10):
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [" + ", ".join([f"*{chr(96 + level)}"] * 10) + "]")
    path = write(tmp_path, HEAD + "\n".join(lines) + "\nrules:\n" + rule(1))
    done = subprocess.run([sys.executable, "-m", "dxcheck", "rules", "list", "--rules", str(path), "--lang", "en"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and str(path) in done.stderr


# ----------------------------------------------------------------------------------------------
# the expression language: any text gives a tree of the closed set of nodes, or an ExprError


HO_SO = dataset("ho_so")
_WORDS = ["and", "or", "not", "in", "is", "blank", "true", "false", "(", ")", "[", "]", ",", "==", "!=", "<",
          "<=", ">", ">=", "so_hoa", "le_phi", "hinh_thuc_nop", "ngay_tiep_nhan", "ngay_hen_tra", "period.start",
          "period.end", '"truc_tuyen"', '"x"', "0", "1.5", "-3", "received", "__import__", "__class__",
          "os.system", "eval", "lambda", ".", ";", "'", '"', "\\", "{", "}", "__builtins__", "ma_ho_so"]
_NODES = (expr.Name, expr.Literal, expr.Compare, expr.InList, expr.IsBlank, expr.BoolOp, expr.Not)


def _walk(node):
    assert isinstance(node, _NODES), node
    for value in vars(node).values():
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, _NODES):
                yield from _walk(item)
    yield node


FRAME = pd.DataFrame({
    "so_hoa": [True, False, True, False],
    "le_phi": [0.0, 50000.0, np.nan, 1.5],
    "hinh_thuc_nop": ["truc_tuyen", None, "truc_tiep", "truc_tuyen"],
    "ngay_tiep_nhan": pd.to_datetime(["2026-10-01", None, "2026-09-30", "2026-10-31"]),
    "ngay_hen_tra": pd.to_datetime(["2026-10-03", "2026-10-01", None, "2026-11-02"]),
    "ma_ho_so": ["a", "b", None, "d"],
})


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join),
    st.text(max_size=80),
))
def test_any_text_is_a_checked_expression_or_an_expr_error(text):
    scopes = {"received": expr.Scope("received", expr.parse("ngay_tiep_nhan >= period.start"))}
    try:
        checked = expr.check(text, HO_SO, scopes)
    except expr.ExprError as exc:
        assert 0 <= exc.offset <= len(text)
        return
    for node in _walk(checked.node):
        if isinstance(node, expr.Name):
            assert node.name in HO_SO.fields or node.name in scopes or node.name in expr.PERIOD_NAMES
    frame = expr.Frame(FRAME, HO_SO, scopes, pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31 23:59:59"))
    mask = frame.mask(checked.node)
    assert mask.dtype == bool and mask.shape == (len(FRAME),)


@pytest.mark.parametrize("text", [
    "period.start.__class__", "so_hoa.__class__", "__import__('os')", "ma_ho_so.upper()", "so_hoa; import os",
    'ma_ho_so == f"{1}"', "lambda: 1", "[x for x in so_hoa]", "so_hoa if true else false", "ma_ho_so[0]",
    "getattr(so_hoa, 'x')", "so_hoa @ so_hoa", "`ls`",
])
def test_python_constructs_are_not_the_language(text):
    with pytest.raises(expr.ExprError):
        expr.check(text, HO_SO, {})


def test_huge_expressions_are_refused_by_length_and_depth():
    with pytest.raises(expr.ExprError) as caught:
        expr.check(" or ".join(["so_hoa"] * 2000), HO_SO, {})
    assert caught.value.key == "expr.too_long"
    with pytest.raises(expr.ExprError) as caught:
        expr.check("(" * 60 + "so_hoa" + ")" * 60, HO_SO, {})
    assert caught.value.key == "expr.too_deep"
    # within the bounds, the widest and the deepest evaluate
    wide = " or ".join(["so_hoa"] * 390)
    deep = "not " * 40 + "so_hoa"
    frame = expr.Frame(FRAME, HO_SO, {}, pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"))
    assert frame.mask(expr.check(wide, HO_SO, {}).node).tolist() == FRAME["so_hoa"].tolist()
    assert frame.mask(expr.check(deep, HO_SO, {}).node).tolist() == FRAME["so_hoa"].tolist()


@pytest.mark.parametrize("pack_id", ["../../ngoai", "a/b", "C:\\x", "con.", "Tên có dấu"])
def test_a_pack_id_that_could_be_a_path_is_refused(tmp_path, pack_id):
    # history files are named after the pack id: it must stay a plain slug
    err = refused(write(tmp_path, HEAD.replace("id: absurd", f"id: '{pack_id}'") + "rules:\n" + rule(1)))
    assert err.key == "pack.schema" and "id" in str(err)
