"""A rule-language condition said in words, in the report's language.

    muc_do_dvc in ["toan_trinh", "mot_phan"]  →  Mức độ DVC là Toàn trình hoặc Một phần
    received and le_phi > 0                   →  “Tiếp nhận trong kỳ, …” và Phí, lệ phí lớn hơn 0

Fields are named by their labels (`format.field_label`), category codes by their words
(`format.value_label`), a dataset's named scope by its description, `thu_tuc.<field>` as the
procedure catalogue's field. Groups stay unambiguous: a nested and/or is put in brackets and a
scope's description (which may hold commas and brackets of its own) in quotes when it is part of a
larger condition. Anything that cannot be said (text that does not parse, a name the vocabulary
does not know, such as a pack's own scope) gives None from `words`, and `describe` then shows the
text as written: a report never fails over its explanation.
"""

from __future__ import annotations

from ..datasets import DATE_TYPES, FOUND, DatasetSpec, dataset
from ..expr import BoolOp, Compare, ExprError, InList, IsBlank, Literal, Name, Node, Not, parse
from ..messages import get_language, t
from . import format as fmt

_PERIOD = {"period.start": "period_start", "period.end": "period_end"}
_ORDER = {">=": "at_least", ">": "above", "<=": "at_most", "<": "below"}


class _Unsayable(Exception):
    """A name or construct the describer has no words for."""


def _w(key: str, lang: str, **params: object) -> str:
    return t(f"report_formats.cond.{key}", lang=lang, **params)


class _Describer:
    def __init__(self, spec: DatasetSpec | None, lang: str) -> None:
        self.spec = spec
        self.lang = lang

    # --- names -------------------------------------------------------------------------------------

    def _split(self, name: str) -> tuple[str | None, str]:
        """(dataset the field belongs to, field); raises for a name the vocabulary does not know."""
        spec = self.spec
        if spec is None:
            raise _Unsayable(name)
        if name in spec.fields:
            return spec.name, name
        if spec.lookup is not None and name.startswith(spec.lookup.dataset + ".") and spec.field(name) is not None:
            return spec.lookup.dataset, name.split(".", 1)[1]
        raise _Unsayable(name)

    def field_type(self, name: str) -> str | None:
        if name in _PERIOD:
            return "date"
        if self.spec is None or name in self.spec.scopes:
            return None
        field = self.spec.field(name)
        return field.type if field is not None else None

    def field(self, name: str) -> str:
        """A field's label; a looked-up field as `Thủ tục: <label>`."""
        owner, field = self._split(name)
        label = fmt.field_label(owner, field, self.lang)
        if self.spec is not None and owner != self.spec.name:
            noun = dataset(owner).row.get(self.lang)
            return _w("lookup_field", self.lang, dataset=noun[:1].upper() + noun[1:], field=label)
        return label

    def truth(self, name: str, positive: bool, alone: bool) -> str:
        """A yes/no name, said as true (`positive`) or as false."""
        spec = self.spec
        if spec is not None and name in spec.scopes:
            text = spec.scopes[name].description.get(self.lang)
            if positive:
                return text if alone else _w("quoted", self.lang, text=text)
            return _w("not_scope", self.lang, text=text)
        owner, field = self._split(name)
        if field == FOUND and spec is not None and owner != spec.name:
            return _w("found" if positive else "not_found", self.lang)
        if self.field_type(name) != "bool":
            raise _Unsayable(name)
        return _w("yes_field" if positive else "no_field", self.lang, field=self.field(name))

    # --- operands ----------------------------------------------------------------------------------

    def operand(self, node: Node, other: Node | None) -> str:
        if isinstance(node, Name):
            if node.name in _PERIOD:
                return _w(_PERIOD[node.name], self.lang)
            return self.field(node.name)
        if isinstance(node, Literal):
            return self.literal(node, other)
        raise _Unsayable(type(node).__name__)

    def literal(self, node: Literal, other: Node | None) -> str:
        if isinstance(node.value, bool):
            return _w("yes" if node.value else "no", self.lang)
        if isinstance(node.value, float):
            return fmt.number(node.value, self.lang)
        if isinstance(other, Name) and other.name not in _PERIOD:
            owner, field = self._split(other.name)
            return fmt.value_label(owner, field, node.value, self.lang)
        return node.value

    # --- conditions --------------------------------------------------------------------------------

    def say(self, node: Node, alone: bool = False) -> str:
        if isinstance(node, Name):
            return self.truth(node.name, True, alone)
        if isinstance(node, Literal):
            if isinstance(node.value, bool):
                noun = fmt.row_noun(self.spec.name if self.spec else None, self.lang)
                return _w("always" if node.value else "never", self.lang, row=noun)
            raise _Unsayable(repr(node.value))
        if isinstance(node, Not):
            return self.negated(node.operand)
        if isinstance(node, IsBlank):
            return _w("filled" if node.negated else "blank", self.lang, field=self.operand(node.operand, None))
        if isinstance(node, InList):
            return self.in_list(node, node.negated, alone)
        if isinstance(node, Compare):
            return self.compare(node, negated=False)
        if isinstance(node, BoolOp):
            separator = _w("and_sep" if node.op == "and" else "or_sep", self.lang)
            return separator.join(self.item(item) for item in node.items)
        raise _Unsayable(type(node).__name__)

    def item(self, node: Node) -> str:
        """A part of a larger condition: a nested group in brackets."""
        text = self.say(node)
        return _w("group", self.lang, text=text) if isinstance(node, BoolOp) else text

    def negated(self, node: Node) -> str:
        """`not <node>`, said directly where that keeps the meaning (blank cells included): a blank
        never equals or belongs, so `not a == x` is `a != x` and `not a in [...]` is `a not in [...]`."""
        if isinstance(node, Not):
            return self.say(node.operand)
        if isinstance(node, Name):
            return self.truth(node.name, False, alone=False)
        if isinstance(node, IsBlank):
            return self.say(IsBlank(node.operand, not node.negated, node.offset))
        if isinstance(node, InList):
            return self.in_list(node, not node.negated, alone=False)
        if isinstance(node, Compare) and node.op in ("==", "!="):
            return self.compare(node, negated=True)
        return _w("not", self.lang, text=self.item(node))

    def in_list(self, node: InList, negated: bool, alone: bool) -> str:
        """`a in [x, y]`: its `or` in brackets inside a larger condition, apart from the condition's own."""
        values = [self.literal(value, node.operand) for value in node.values]
        field = self.operand(node.operand, None)
        if len(values) == 1:
            return _w("not_equals" if negated else "equals", self.lang, field=field, value=values[0])
        separator = _w("nor_sep" if negated else "value_or", self.lang)
        listed = separator.join(values)
        if not alone:
            listed = _w("group", self.lang, text=listed)
        return _w("not_in" if negated else "in", self.lang, field=field, values=listed)

    def compare(self, node: Compare, negated: bool) -> str:
        left, right, op = node.left, node.right, node.op
        truth = self._bool_compare(left, right, op, negated)
        if truth is not None:
            return truth
        said_left, said_right = self.operand(left, right), self.operand(right, left)
        if op in ("==", "!="):
            equal = (op == "==") != negated
            return _w("equals" if equal else "not_equals", self.lang, field=said_left, value=said_right)
        kinds = {self.field_type(side.name) for side in (left, right) if isinstance(side, Name)}
        family = "date" if kinds & {*DATE_TYPES} else "number"
        return _w(f"{family}_{_ORDER[op]}", self.lang, left=said_left, right=said_right)

    def _bool_compare(self, left: Node, right: Node, op: str, negated: bool) -> str | None:
        """`found == false` and the like said as the yes/no name itself."""
        if op not in ("==", "!="):
            return None
        if isinstance(left, Literal) and isinstance(right, Name):
            left, right = right, left
        if not (isinstance(left, Name) and isinstance(right, Literal) and isinstance(right.value, bool)):
            return None
        positive = right.value == (op == "==")
        return self.truth(left.name, positive != negated, alone=False)


def words(text: str | None, dataset_name: str | None, lang: str | None = None) -> str | None:
    """`text` (a condition over `dataset_name`) in words, or None when it cannot be said."""
    if not text:
        return None
    try:
        spec = dataset(dataset_name) if dataset_name else None
    except KeyError:
        spec = None
    try:
        node = parse(text)
        return _Describer(spec, lang or get_language()).say(node, alone=True)
    except (ExprError, _Unsayable, RecursionError):
        return None


def dataset_title(name: str | None, lang: str | None = None) -> str:
    """A dataset by its title (`Danh sách hồ sơ`); an unknown name as it is."""
    try:
        return dataset(name).title.get(lang or get_language()) if name else ""
    except KeyError:
        return name or ""


def describe(text: str, dataset_name: str | None, lang: str | None = None) -> str:
    """`text` in words, else as written (never an error: it explains a figure already computed)."""
    return words(text, dataset_name, lang) or text
