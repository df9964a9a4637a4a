"""The condition language: parsing, checking against a dataset, and evaluation on columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dxcheck import expr
from dxcheck.datasets import dataset

HO_SO = dataset("ho_so")


def frame(**columns) -> expr.Frame:
    data = pd.DataFrame(columns)
    return expr.Frame(data, HO_SO, {}, pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31 23:59:59"))


def test_precedence_and_parentheses():
    node = expr.parse('a == "x" or b == "y" and not c')
    assert isinstance(node, expr.BoolOp) and node.op == "or"
    assert isinstance(node.items[1], expr.BoolOp) and node.items[1].op == "and"
    grouped = expr.parse('(a == "x" or b == "y") and c')
    assert grouped.op == "and"


def test_blank_semantics_on_categories():
    f = frame(hinh_thuc_nop=["truc_tuyen", None, "truc_tiep"])
    assert f.mask('hinh_thuc_nop == "truc_tuyen"').tolist() == [True, False, False]
    assert f.mask('hinh_thuc_nop != "truc_tuyen"').tolist() == [False, True, True]
    assert f.mask('hinh_thuc_nop in ["truc_tuyen", "truc_tiep"]').tolist() == [True, False, True]
    assert f.mask('hinh_thuc_nop not in ["truc_tuyen"]').tolist() == [False, True, True]
    assert f.mask("hinh_thuc_nop is blank").tolist() == [False, True, False]
    assert f.mask("not (hinh_thuc_nop is not blank)").tolist() == [False, True, False]


def test_dates_fields_and_period():
    f = frame(ngay_tiep_nhan=pd.Series([pd.Timestamp("2026-09-30 23:00"), pd.Timestamp("2026-10-01"), pd.NaT]),
              ngay_hen_tra=pd.Series([pd.Timestamp("2026-10-02"), pd.Timestamp("2026-09-30"), pd.Timestamp("2026-10-05")]))
    assert f.mask("ngay_tiep_nhan >= period.start").tolist() == [False, True, False]
    assert f.mask("ngay_tiep_nhan <= ngay_hen_tra").tolist() == [True, False, False]


def test_bool_fields_numbers_and_literals():
    f = frame(so_hoa=[True, False, True], le_phi=[0.0, 50000.0, np.nan])
    assert f.mask("so_hoa and le_phi > 0").tolist() == [False, False, False]
    assert f.mask("so_hoa or le_phi >= 50000").tolist() == [True, True, True]
    assert f.mask("so_hoa == false").tolist() == [False, True, False]
    assert f.mask("true").tolist() == [True, True, True]


@pytest.mark.parametrize("text,key", [
    ('hinh_thuc_nop == "online"', "expr.unknown_code"),
    ("kenh_nop == 1", "expr.unknown_name"),
    ('ngay_tiep_nhan > "2026"', "expr.type_mismatch"),
    ('hinh_thuc_nop < "truc_tuyen"', "expr.not_ordered"),
    ("le_phi", "expr.not_boolean"),
    ("so_hoa and", "expr.expected_operand"),
    ("le_phi =< 0", "expr.bad_character"),
    ("(so_hoa", "expr.expected"),
    ("so_hoa; import os", "expr.bad_character"),
    ("__import__", "expr.unknown_name"),
])
def test_errors_name_their_kind_and_place(text, key):
    with pytest.raises(expr.ExprError) as caught:
        expr.check(text, HO_SO, {})
    assert caught.value.key == key
    assert 0 <= caught.value.offset <= len(text)


def test_nesting_is_bounded():
    deep = "(" * 200 + "so_hoa" + ")" * 200
    with pytest.raises(expr.ExprError) as caught:
        expr.parse(deep)
    assert caught.value.key == "expr.too_deep"
    with pytest.raises(expr.ExprError):
        expr.parse("not " * 200 + "so_hoa")
    with pytest.raises(expr.ExprError) as caught:
        expr.parse("so_hoa or " * 1000 + "so_hoa")
    assert caught.value.key == "expr.too_long"


def test_scopes_expand_to_their_fields():
    scopes = {"received": expr.Scope("received", expr.parse("ngay_tiep_nhan >= period.start and trang_thai != \"da_huy\""),
                                     frozenset({"trang_thai"}))}
    checked = expr.check("received and so_hoa", HO_SO, scopes)
    required, optional = expr.required_fields(checked, scopes, HO_SO)
    assert required == {"ngay_tiep_nhan", "so_hoa"} and optional == {"trang_thai"}
