"""The small condition language of rule packs: parsed, type-checked, evaluated on whole columns.

    hinh_thuc_nop == "truc_tuyen" and muc_do_dvc == "toan_trinh"
    ngay_co_ket_qua <= ngay_hen_tra or ngay_hen_tra is blank
    trang_thai in ["da_tra_ket_qua", "da_xu_ly_xong"] and not so_hoa
    received and le_phi > 0

Grammar (keywords are lower case):

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand [ CMP operand | ["not"] "in" list | "is" ["not"] "blank" ]
    operand    := NAME | "period.start" | "period.end" | STRING | NUMBER | "true" | "false" | "(" expr ")"
    list       := "[" literal ("," literal)* [","] "]"
    CMP        := "==" | "!=" | "<" | "<=" | ">" | ">="

A NAME is a field of the rule's dataset, a named scope (a boolean defined once per dataset), or a
field of the dataset it looks up, `thu_tuc.muc_do_dvc` (blank where the lookup found nothing).
Blank cells never equal, order or belong to anything: `a == x`, `a < x`, `a in [...]` are false
for a blank `a`, and `a != x`, `a not in [...]` are true. Nothing here reaches Python objects:
the text is tokenised by a fixed pattern and evaluated by a closed set of column operations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Union

import numpy as np
import pandas as pd

from .datasets import DATE_TYPES, DatasetSpec

MAX_EXPRESSION_LENGTH = 4000
MAX_DEPTH = 50

COMPARATORS = ("==", "!=", "<=", ">=", "<", ">")
KEYWORDS = {"and", "or", "not", "in", "is", "blank", "true", "false"}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)
    )""",
    re.VERBOSE,
)


class ExprError(Exception):
    """A parse or check error; `key` names its message, `offset` its place in the text."""

    def __init__(self, key: str, offset: int, **params: object) -> None:
        self.key = key
        self.offset = offset
        self.params = params
        super().__init__(f"{key} at {offset}: {params}")


# --- syntax tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    name: str
    offset: int


@dataclass(frozen=True)
class Literal:
    value: Union[str, float, bool]
    offset: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: "Node"
    right: "Node"
    offset: int


@dataclass(frozen=True)
class InList:
    operand: "Node"
    values: tuple[Literal, ...]
    negated: bool
    offset: int


@dataclass(frozen=True)
class IsBlank:
    operand: "Node"
    negated: bool
    offset: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    items: tuple["Node", ...]
    offset: int


@dataclass(frozen=True)
class Not:
    operand: "Node"
    offset: int


Node = Union[Name, Literal, Compare, InList, IsBlank, BoolOp, Not]


@dataclass(frozen=True)
class Token:
    kind: str  # number | string | op | name | end
    text: str
    offset: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExprError("expr.too_long", 0, limit=MAX_EXPRESSION_LENGTH)
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            bad = len(text[pos:]) - len(text[pos:].lstrip()) + pos
            raise ExprError("expr.bad_character", bad, text=text[bad : bad + 10])
        kind = match.lastgroup or "op"
        start = match.start(kind)
        tokens.append(Token(kind, match.group(kind), start))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, text: str) -> Token | None:
        token = self.current
        if token.kind in ("op", "name") and token.text == text:
            return self.advance()
        return None

    def expect(self, text: str) -> Token:
        token = self.accept(text)
        if token is None:
            raise ExprError("expr.expected", self.current.offset, expected=text, found=self.current.text or "end")
        return token

    def parse(self) -> Node:
        node = self.expr()
        if self.current.kind != "end":
            raise ExprError("expr.unexpected", self.current.offset, found=self.current.text)
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("expr.too_deep", self.current.offset, limit=MAX_DEPTH)
        items = [self.and_expr()]
        start = items[0]
        while self.accept("or"):
            items.append(self.and_expr())
        self.depth -= 1
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items), _offset(start))

    def and_expr(self) -> Node:
        items = [self.not_expr()]
        while self.accept("and"):
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items), _offset(items[0]))

    def not_expr(self) -> Node:
        token = self.accept("not")
        if token:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError("expr.too_deep", token.offset, limit=MAX_DEPTH)
            node = Not(self.not_expr(), token.offset)
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        token = self.current
        if token.kind == "op" and token.text in COMPARATORS:
            self.advance()
            return Compare(token.text, left, self.operand(), token.offset)
        if self.accept("in"):
            return InList(left, self.literal_list(), False, token.offset)
        if token.text == "not" and self.tokens[self.index + 1].text == "in":
            self.advance()
            self.advance()
            return InList(left, self.literal_list(), True, token.offset)
        if self.accept("is"):
            negated = self.accept("not") is not None
            self.expect("blank")
            return IsBlank(left, negated, token.offset)
        return left

    def operand(self) -> Node:
        token = self.current
        if self.accept("("):
            node = self.expr()
            self.expect(")")
            return node
        if token.kind in ("number", "string") or token.text in ("true", "false"):
            return self.literal()
        if token.kind == "name" and token.text not in KEYWORDS:
            self.advance()
            return Name(token.text, token.offset)
        raise ExprError("expr.expected_operand", token.offset, found=token.text or "end")

    def literal(self) -> Literal:
        token = self.advance()
        if token.kind == "number":
            return Literal(float(token.text), token.offset)
        if token.kind == "string":
            body = token.text[1:-1]
            return Literal(re.sub(r"\\(.)", r"\1", body), token.offset)
        if token.text in ("true", "false"):
            return Literal(token.text == "true", token.offset)
        raise ExprError("expr.expected_literal", token.offset, found=token.text or "end")

    def literal_list(self) -> tuple[Literal, ...]:
        self.expect("[")
        values = [self.literal()]
        while self.accept(","):
            if self.current.text == "]":
                break
            values.append(self.literal())
        self.expect("]")
        return tuple(values)


def _offset(node: Node) -> int:
    return node.offset


def parse(text: str) -> Node:
    """Parse `text` into a syntax tree, or raise ExprError with the offending offset."""
    return _Parser(text).parse()


# --- checking ----------------------------------------------------------------------------------

PERIOD_NAMES = ("period.start", "period.end")


@dataclass
class Scope:
    """A named condition of a dataset, parsed once."""

    name: str
    node: Node
    optional: frozenset[str] = frozenset()
    #: fields each optional on its own, of which an export must have at least one (a result is
    #: digitised when either of two columns says so; with neither, nothing can be said)
    one_of: frozenset[str] = frozenset()


@dataclass
class CheckedExpr:
    """A parsed expression with the fields it needs (required and optional) resolved."""

    text: str
    node: Node
    fields: set[str] = field(default_factory=set)
    optional: set[str] = field(default_factory=set)
    scopes: set[str] = field(default_factory=set)


def _kind(node: Node, spec: DatasetSpec, scopes: dict[str, Scope]) -> str:
    """The value kind of an operand: a field type, `bool`, `date`, `string`, `number`."""
    if isinstance(node, Literal):
        if isinstance(node.value, bool):
            return "bool"
        return "number" if isinstance(node.value, float) else "string"
    if isinstance(node, Name):
        if node.name in PERIOD_NAMES:
            return "date"
        if node.name in scopes:
            return "bool"
        field_spec = spec.field(node.name)
        if field_spec is None:
            raise ExprError("expr.unknown_name", node.offset, name=node.name, dataset=spec.name,
                            known=", ".join([*spec.fields, *scopes, *spec.lookup_fields()]))
        return "date" if field_spec.type in DATE_TYPES else field_spec.type
    return "bool"


def check(text: str, spec: DatasetSpec, scopes: dict[str, Scope]) -> CheckedExpr:
    """Parse and type-check `text` against dataset `spec`; raise ExprError on any problem."""
    node = parse(text)
    checked = CheckedExpr(text=text, node=node)
    _check_node(node, spec, scopes, checked, boolean=True)
    return checked


def _check_code(field_name: str, literal: Literal, spec: DatasetSpec) -> None:
    field_spec = spec.field(field_name)
    if field_spec.type == "category" and literal.value not in field_spec.values:
        raise ExprError("expr.unknown_code", literal.offset, value=literal.value, field=field_name,
                        codes=", ".join(field_spec.values))


def _check_node(node: Node, spec: DatasetSpec, scopes: dict[str, Scope], out: CheckedExpr, boolean: bool) -> None:
    if isinstance(node, BoolOp):
        for item in node.items:
            _check_node(item, spec, scopes, out, boolean=True)
        return
    if isinstance(node, Not):
        _check_node(node.operand, spec, scopes, out, boolean=True)
        return
    if isinstance(node, Name):
        kind = _kind(node, spec, scopes)
        if node.name in scopes:
            out.scopes.add(node.name)
        elif node.name not in PERIOD_NAMES:
            out.fields.add(node.name)
        if boolean and kind != "bool":
            raise ExprError("expr.not_boolean", node.offset, name=node.name, kind=kind)
        return
    if isinstance(node, Literal):
        if boolean and not isinstance(node.value, bool):
            raise ExprError("expr.not_boolean", node.offset, name=str(node.value), kind=_kind(node, spec, scopes))
        return
    if isinstance(node, IsBlank):
        if not isinstance(node.operand, Name) or node.operand.name in scopes or node.operand.name in PERIOD_NAMES:
            raise ExprError("expr.blank_needs_field", node.offset)
        _check_node(node.operand, spec, scopes, out, boolean=False)
        return
    if isinstance(node, InList):
        if not isinstance(node.operand, Name):
            raise ExprError("expr.in_needs_field", node.offset)
        _check_node(node.operand, spec, scopes, out, boolean=False)
        kind = _kind(node.operand, spec, scopes)
        for literal in node.values:
            _expect_comparable(kind, _kind(literal, spec, scopes), literal.offset)
            if kind == "category":
                _check_code(node.operand.name, literal, spec)
        return
    if isinstance(node, Compare):
        for side in (node.left, node.right):
            if isinstance(side, (Name, Literal)):
                _check_node(side, spec, scopes, out, boolean=False)
            else:
                raise ExprError("expr.compare_needs_values", side.offset)
        left, right = _kind(node.left, spec, scopes), _kind(node.right, spec, scopes)
        _expect_comparable(left, right, node.offset)
        if node.op not in ("==", "!=") and left not in ("date", "number"):
            raise ExprError("expr.not_ordered", node.offset, op=node.op, kind=left)
        for this, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(this, Name) and isinstance(other, Literal) and spec.field(this.name) is not None:
                _check_code(this.name, other, spec)
        return
    raise ExprError("expr.unexpected", 0, found=str(node))  # pragma: no cover - closed set


_COMPATIBLE = {
    "string": {"string", "text", "id", "category"},
    "text": {"string", "text", "id", "category"},
    "id": {"string", "text", "id", "category"},
    "category": {"string", "category", "text", "id"},
    "number": {"number"},
    "date": {"date"},
    "bool": {"bool"},
}


def _expect_comparable(left: str, right: str, offset: int) -> None:
    if right not in _COMPATIBLE.get(left, set()):
        raise ExprError("expr.type_mismatch", offset, left=left, right=right)


def _used_scopes(checked: CheckedExpr, scopes: dict[str, Scope], spec: DatasetSpec,
                 memo: dict[str, tuple[set[str], set[str]]]) -> Iterator[tuple[Scope, set[str]]]:
    """Each scope an expression uses, directly or through other scopes, with its own fields."""
    seen: set[str] = set()
    pending = list(checked.scopes)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        scope = scopes[name]
        if name not in memo:
            sub = CheckedExpr(text="", node=scope.node)
            _check_node(scope.node, spec, scopes, sub, boolean=True)
            memo[name] = (sub.fields, sub.scopes)
        fields, used = memo[name]
        yield scope, fields
        pending.extend(used)


def required_fields(checked: CheckedExpr, scopes: dict[str, Scope], spec: DatasetSpec,
                    memo: dict[str, tuple[set[str], set[str]]] | None = None) -> tuple[set[str], set[str]]:
    """(required, optional) fields of an expression, following the scopes it uses.

    `memo` (one dict per set of scopes) keeps each scope's own fields and scopes, so that a pack
    of many rules over the same scopes checks each scope once. A scope's `one_of` fields are
    optional here; `one_of_groups` says which of them must be there together.
    """
    memo = {} if memo is None else memo
    required, optional = set(checked.fields), set()
    for scope, fields in _used_scopes(checked, scopes, spec, memo):
        loose = scope.optional | scope.one_of
        optional |= fields & loose
        required |= fields - loose
    optional |= {name for name in required if (found := spec.field(name)) is not None and found.optional}
    return required - optional, optional


def one_of_groups(checked: CheckedExpr, scopes: dict[str, Scope], spec: DatasetSpec,
                  memo: dict[str, tuple[set[str], set[str]]] | None = None) -> list[frozenset[str]]:
    """Sets of fields of which an export must have at least one, from the scopes an expression uses."""
    memo = {} if memo is None else memo
    return [scope.one_of for scope, _ in _used_scopes(checked, scopes, spec, memo) if scope.one_of]


# --- evaluation --------------------------------------------------------------------------------


class Frame:
    """The columns an expression is evaluated over, with the period and the scopes.

    Absent optional fields read as all blank; scope results are computed once per frame.
    """

    def __init__(self, data: pd.DataFrame, spec: DatasetSpec, scopes: dict[str, Scope],
                 period_start: pd.Timestamp, period_end: pd.Timestamp,
                 codes_cache: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
                 lookup: Callable[[str], pd.Series | None] | None = None) -> None:
        self.data = data
        self._lookup = lookup
        self.spec = spec
        self.scopes = scopes
        self.period = {"period.start": period_start, "period.end": period_end}
        self._scope_cache: dict[str, np.ndarray] = {}
        self._codes_cache = {} if codes_cache is None else codes_cache

    def column(self, name: str) -> pd.Series:
        if name in self.data.columns:
            return self.data[name]
        if name not in self.spec.fields and self._lookup is not None:
            joined = self._lookup(name)
            if joined is not None:
                return joined
        field_spec = self.spec.field(name)
        if name not in self.spec.fields and field_spec.type == "bool":
            # a looked-up yes/no with nothing to look it up in is unknown, not "no"
            return pd.Series(pd.NA, index=self.data.index, dtype="boolean")
        if field_spec.type in DATE_TYPES:
            return pd.Series(pd.NaT, index=self.data.index, dtype="datetime64[ns]")
        if field_spec.type == "number":
            return pd.Series(np.nan, index=self.data.index, dtype="float64")
        if field_spec.type == "bool":
            return pd.Series(False, index=self.data.index, dtype=bool)
        return pd.Series(pd.NA, index=self.data.index, dtype="object")

    def codes(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(codes, distinct values) of a text column, computed once: comparing a million Python
        strings to a literal is slow, comparing a few distinct values and indexing is not."""
        if name not in self._codes_cache:
            column = self.column(name)
            if isinstance(column.dtype, pd.CategoricalDtype):  # a category field: factorised already
                codes = column.cat.codes.to_numpy()
                uniques = np.asarray(column.cat.categories, dtype=object)
            elif column.dtype == object:
                codes, uniques = pd.factorize(column, use_na_sentinel=True)
                uniques = np.asarray(uniques, dtype=object)
            else:
                return None
            self._codes_cache[name] = (codes, uniques)
        return self._codes_cache[name]

    def scope(self, name: str) -> np.ndarray:
        if name not in self._scope_cache:
            self._scope_cache[name] = evaluate(self.scopes[name].node, self)
        return self._scope_cache[name]

    def mask(self, text_or_node: str | Node) -> np.ndarray:
        node = parse(text_or_node) if isinstance(text_or_node, str) else text_or_node
        return evaluate(node, self)


def _as_bool(values: object, length: int) -> np.ndarray:
    if isinstance(values, (bool, np.bool_)):
        return np.full(length, bool(values))
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if series.dtype != bool:
        series = series.astype("boolean").fillna(False)
    return series.to_numpy(dtype=bool)


def _value(node: Node, frame: Frame) -> object:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        if node.name in frame.period:
            return frame.period[node.name]
        if node.name in frame.scopes:
            return frame.scope(node.name)
        return frame.column(node.name)
    return evaluate(node, frame)


def _plain(value: object) -> object:
    """A category field's column as object values, for the operations a Categorical does not
    share with them (comparing two columns of different categories, `isin` on a mixed list)."""
    if isinstance(value, pd.Series) and isinstance(value.dtype, pd.CategoricalDtype):
        return value.astype(object)
    return value


_OPS: dict[str, Callable[[object, object], object]] = {
    "==": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _text_codes(node: Node, frame: Frame) -> tuple[np.ndarray, np.ndarray] | None:
    """The factorised column when `node` names a text (object) column of the data."""
    if isinstance(node, Name) and node.name not in frame.period and node.name not in frame.scopes:
        return frame.codes(node.name)
    return None


def evaluate(node: Node, frame: Frame) -> np.ndarray:
    """A boolean array, one value per row of `frame`."""
    length = len(frame.data)
    if isinstance(node, BoolOp):
        result = evaluate(node.items[0], frame)
        for item in node.items[1:]:
            result = (result & evaluate(item, frame)) if node.op == "and" else (result | evaluate(item, frame))
        return result
    if isinstance(node, Not):
        return ~evaluate(node.operand, frame)
    if isinstance(node, (Name, Literal)):
        return _as_bool(_value(node, frame), length)
    if isinstance(node, IsBlank):
        blank = _as_bool(pd.isna(_value(node.operand, frame)), length)
        return ~blank if node.negated else blank
    if isinstance(node, InList):
        factorised = _text_codes(node.operand, frame)
        if factorised is not None:
            codes, uniques = factorised
            hit = np.append(pd.Series(uniques, dtype=object).isin([lit.value for lit in node.values]).to_numpy(), False)
            found = hit[codes]  # code -1 (blank) reads the appended False
            return ~found if node.negated else found
        column = _plain(_value(node.operand, frame))
        found = _as_bool(pd.Series(column).isin([lit.value for lit in node.values]), length)
        return ~found if node.negated else found
    if isinstance(node, Compare):
        if node.op in ("==", "!=") and isinstance(node.right, Literal) and isinstance(node.right.value, str):
            factorised = _text_codes(node.left, frame)
            if factorised is not None:
                codes, uniques = factorised
                equal = np.append(uniques == node.right.value, False)[codes]
                return ~equal if node.op == "!=" else equal
        left, right = _plain(_value(node.left, frame)), _plain(_value(node.right, frame))
        if node.op == "!=":
            return ~_as_bool(_OPS["=="](left, right), length)
        return _as_bool(_OPS[node.op](left, right), length)
    raise TypeError(f"not a boolean expression: {node!r}")
