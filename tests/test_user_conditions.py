"""Rule conditions as a pack author writes them and as the loaders hand the columns over: text
cells read from a spreadsheet arrive as Python objects (load/cells.py), not only as pandas' str;
optional fields missing from an export read as blank; a mistyped condition is refused with the
place and the text at fault. Found by mutation testing (docs/mutation-testing.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dxcheck import expr
from dxcheck.datasets import dataset
from dxcheck.messages import t

HO_SO = dataset("ho_so")


def frame(length: int | None = None, **columns) -> expr.Frame:
    data = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(length))
    return expr.Frame(data, HO_SO, {}, pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31 23:59:59.999999"))


ONLINE_BLANK_DIRECT = ["truc_tuyen", None, "truc_tiep", "truc_tuyen"]


@pytest.mark.parametrize("dtype", [object, "str"], ids=["cells-as-objects", "pandas-str"])
def test_category_conditions_count_the_same_rows_however_the_cells_were_read(dtype):
    f = frame(hinh_thuc_nop=pd.Series(ONLINE_BLANK_DIRECT, dtype=dtype))
    assert f.mask('hinh_thuc_nop == "truc_tuyen"').tolist() == [True, False, False, True]
    assert f.mask('hinh_thuc_nop != "truc_tuyen"').tolist() == [False, True, True, False]
    assert f.mask('hinh_thuc_nop == "truc_tiep"').tolist() == [False, False, True, False]
    assert f.mask('hinh_thuc_nop in ["truc_tiep"]').tolist() == [False, False, True, False]
    assert f.mask('hinh_thuc_nop in ["truc_tuyen", "truc_tiep"]').tolist() == [True, False, True, True]
    assert f.mask('hinh_thuc_nop not in ["truc_tuyen"]').tolist() == [False, True, True, False]
    assert f.mask("hinh_thuc_nop is blank").tolist() == [False, True, False, False]


def test_a_blank_category_cell_is_neither_equal_nor_in_a_list():
    f = frame(hinh_thuc_nop=pd.Series([None, None], dtype=object))
    assert f.mask('hinh_thuc_nop == "truc_tuyen"').tolist() == [False, False]
    assert f.mask('hinh_thuc_nop in ["truc_tuyen"]').tolist() == [False, False]
    assert f.mask('hinh_thuc_nop != "truc_tuyen"').tolist() == [True, True]


def test_optional_fields_missing_from_the_export_read_as_blank_on_every_row():
    f = frame(ma_ho_so=pd.Series(["A", "B", "C"], dtype=object))
    assert f.mask("ngay_tra is blank").tolist() == [True, True, True]           # a date
    assert f.mask("ngay_tra <= ngay_hen_tra").tolist() == [False, False, False]
    assert f.mask("le_phi is blank").tolist() == [True, True, True]             # a number
    assert f.mask("le_phi >= 0").tolist() == [False, False, False]
    assert f.mask("so_hoa").tolist() == [False, False, False]                    # a yes/no: no
    assert f.mask("not so_hoa").tolist() == [True, True, True]
    assert f.mask("danh_gia is blank").tolist() == [True, True, True]           # a category
    assert f.mask('danh_gia == "hai_long"').tolist() == [False, False, False]
    assert f.mask('danh_gia not in ["hai_long"]').tolist() == [True, True, True]


def test_missing_fields_keep_their_kind_for_comparisons():
    f = frame(ma_ho_so=pd.Series(["A", "B"], dtype=object))
    assert f.column("ngay_tra").dtype.kind == "M"
    assert f.column("le_phi").dtype == np.float64
    assert f.column("so_hoa").dtype == bool
    assert f.column("danh_gia").dtype == object
    assert all(len(f.column(name)) == 2 for name in ("ngay_tra", "le_phi", "so_hoa", "danh_gia"))


def test_an_expression_longer_than_the_limit_is_refused_and_one_at_it_is_read():
    at_limit = "so_hoa" + " " * (expr.MAX_EXPRESSION_LENGTH - len("so_hoa"))
    assert isinstance(expr.parse(at_limit), expr.Name)
    with pytest.raises(expr.ExprError) as refused:
        expr.parse(at_limit + " ")
    assert refused.value.key == "expr.too_long" and refused.value.offset == 0
    assert t("expr.too_long", **refused.value.params) == t("expr.too_long", limit=expr.MAX_EXPRESSION_LENGTH)
    assert str(expr.MAX_EXPRESSION_LENGTH) in t("expr.too_long", **refused.value.params)


def test_a_mistyped_operator_is_refused_quoting_ten_characters_from_the_fault():
    with pytest.raises(expr.ExprError) as refused:
        expr.parse("le_phi  =< 0 and so_hoa")
    assert refused.value.key == "expr.bad_character"
    assert refused.value.offset == 8
    assert refused.value.params == {"text": "=< 0 and s"}
    assert "'=< 0 and s'" in t("expr.bad_character", **refused.value.params)


def test_trailing_spaces_end_an_expression():
    tokens = expr.tokenize("so_hoa   ")
    assert [(token.kind, token.text) for token in tokens][-1] == ("end", "")
    assert len(tokens) == 2


# (condition as written, message key, the text the error must point at, words the message must name)
REFUSALS = [
    ('hinh_thuc_nop == "online"', "expr.unknown_code", '"online"', ["'online'", "hinh_thuc_nop", "truc_tuyen, truc_tiep"]),
    ('"online" == hinh_thuc_nop', "expr.unknown_code", '"online"', ["'online'", "hinh_thuc_nop"]),
    ('hinh_thuc_nop in ["truc_tuyen", "online"]', "expr.unknown_code", '"online"', ["'online'", "truc_tuyen, truc_tiep"]),
    ("kenh_nop == 1", "expr.unknown_name", "kenh_nop", ["'kenh_nop'", "ho_so", "ma_ho_so, ten_thu_tuc"]),
    ('ngay_tiep_nhan > "2026"', "expr.type_mismatch", '> "2026"', ["date", "string"]),
    ('le_phi in ["a"]', "expr.type_mismatch", '"a"', ["number", "string"]),
    ('hinh_thuc_nop < "truc_tuyen"', "expr.not_ordered", '< "truc_tuyen"', ["'<'", "category"]),
    ("le_phi", "expr.not_boolean", "le_phi", ["'le_phi'", "number"]),
    ("so_hoa and 5", "expr.not_boolean", "5", ["'5.0'", "number"]),
    ("not le_phi", "expr.not_boolean", "le_phi", ["'le_phi'", "number"]),
    ("so_hoa or le_phi", "expr.not_boolean", "le_phi", ["'le_phi'", "number"]),
    ("(so_hoa or so_hoa) == true", "expr.compare_needs_values", "so_hoa or", []),
    ("so_hoa == (so_hoa and so_hoa)", "expr.compare_needs_values", "so_hoa and", []),
    ("period.start is blank", "expr.blank_needs_field", "is blank", ["is blank"]),
    ('"a" in ["a"]', "expr.in_needs_field", 'in ["a"]', ["in [...]"]),
]


@pytest.mark.parametrize(("text", "key", "fault", "named"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_wrong_condition_is_refused_pointing_at_the_fault_and_naming_it(text, key, fault, named):
    with pytest.raises(expr.ExprError) as refused:
        expr.check(text, HO_SO, {})
    assert refused.value.key == key
    assert refused.value.offset == text.index(fault)
    message = t(key, **refused.value.params)
    for word in named:
        assert word in message


def test_blank_checks_and_comparisons_inside_conditions_are_accepted():
    checked = expr.check('le_phi is blank or (so_hoa and hinh_thuc_nop in ["truc_tuyen"]) or not ngay_tra is blank',
                         HO_SO, {})
    assert checked.fields == {"le_phi", "so_hoa", "hinh_thuc_nop", "ngay_tra"}


# (condition as written, message key, where the error points, what the message quotes)
PARSE_ERRORS = [
    ("(so_hoa", "expr.expected", 7, {"expected": ")", "found": "end"}),
    ('hinh_thuc_nop in ["a" "b"]', "expr.expected", 22, {"expected": "]", "found": '"b"'}),
    ("so_hoa ==", "expr.expected_operand", 9, {"found": "end"}),
    ("so_hoa and", "expr.expected_operand", 10, {"found": "end"}),
    ("so_hoa == )", "expr.expected_operand", 10, {"found": ")"}),
    ("hinh_thuc_nop in [so_hoa]", "expr.expected_literal", 18, {"found": "so_hoa"}),
    ("hinh_thuc_nop in [", "expr.expected_literal", 18, {"found": "end"}),
    ("so_hoa so_hoa", "expr.unexpected", 7, {"found": "so_hoa"}),
    ("le_phi == 5 )", "expr.unexpected", 12, {"found": ")"}),
]


@pytest.mark.parametrize(("text", "key", "offset", "params"), PARSE_ERRORS, ids=[p[0] for p in PARSE_ERRORS])
def test_a_condition_that_does_not_parse_says_what_was_expected_and_where(text, key, offset, params):
    with pytest.raises(expr.ExprError) as refused:
        expr.parse(text)
    assert (refused.value.key, refused.value.offset, refused.value.params) == (key, offset, params)
    message = t(key, **params)
    assert all(repr(value) in message for value in params.values())


def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused_at_that_level():
    depth = expr.MAX_DEPTH
    assert isinstance(expr.parse("(" * (depth - 1) + "so_hoa" + ")" * (depth - 1)), expr.Name)
    assert isinstance(expr.parse("not " * (depth - 1) + "so_hoa"), expr.Not)
    # closed groups before a deep one give their levels back
    siblings = "(so_hoa) or (so_hoa) or " + "(" * (depth - 1) + "so_hoa" + ")" * (depth - 1)
    assert isinstance(expr.parse(siblings), expr.BoolOp)
    assert isinstance(expr.parse("not so_hoa or not so_hoa or " + "not " * (depth - 1) + "so_hoa"), expr.BoolOp)
    for too_deep, offset in (("(" * depth + "so_hoa" + ")" * depth, depth),
                             ("not " * depth + "so_hoa", 4 * (depth - 1)),
                             ("(so_hoa) or " + "(" * depth + "so_hoa" + ")" * depth, 12 + depth)):
        with pytest.raises(expr.ExprError) as refused:
            expr.parse(too_deep)
        assert (refused.value.key, refused.value.offset, refused.value.params) == ("expr.too_deep", offset, {"limit": depth})
        assert str(depth) in t("expr.too_deep", limit=depth)


def test_quotes_inside_a_text_value_are_written_with_a_backslash():
    node = expr.parse('ten_thu_tuc == "Cấp \\"bản sao\\" giấy khai sinh"')
    assert node.right.value == 'Cấp "bản sao" giấy khai sinh'
    assert node.right.offset == 15


def test_not_in_and_not_keep_the_place_of_their_operand():
    node = expr.parse('so_hoa and hinh_thuc_nop not in ["truc_tuyen"]')
    inlist = node.items[1]
    assert inlist.negated is True and inlist.offset == 25
    negation = expr.parse("so_hoa or not le_phi > 0").items[1]
    assert isinstance(negation, expr.Not) and negation.offset == 10
