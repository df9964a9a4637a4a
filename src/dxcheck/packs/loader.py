"""Load rule packs from YAML: safely, with file:line:column for every error, expressions checked.

A pack is parsed by ruamel.yaml's C-accelerated safe loader (a few milliseconds: every process
that evaluates loads its packs, so this is start-up time). Node positions come from the much slower
round-trip parser, which runs only when a position is asked for: to word an error, to lint, to
document. Explicit tags (`!!python/object`…) are refused outright, so loading a pack can never
construct an object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .. import expr
from ..datasets import DatasetSpec, dataset, vocabulary
from ..errors import RulePackError
from .model import DeclaredMeasurement, Pack, Rule

MAX_PACK_BYTES = 2_000_000
#: values (scalars, lists, mappings) a pack may hold once YAML aliases (*name) are expanded —
#: a pack of a thousand rules holds about 40,000; a "billion laughs" document would hold billions
MAX_PACK_NODES = 200_000
#: how deeply lists and mappings may nest (a rule pack needs about 6 levels)
MAX_PACK_DEPTH = 32
#: scopes a pack may define, and how long a chain of scopes using scopes may be
MAX_PACK_SCOPES = 200
MAX_SCOPE_DEPTH = 10
Position = tuple[int, int]  # 1-based line, column


@dataclass
class CompiledMeasurement:
    """A measurement with its expressions checked and the fields it needs resolved."""

    index: int
    spec: Any  # one of the Measurement models
    dataset: DatasetSpec
    population: expr.CheckedExpr | None = None
    condition: expr.CheckedExpr | None = None
    #: records whose membership of the population is unknown (evaluated at both bounds)
    unknown: expr.CheckedExpr | None = None
    #: (records to name, what is true of them) of a share's `flags`
    flags: list = field(default_factory=list)
    required: set[str] = field(default_factory=set)
    optional: set[str] = field(default_factory=set)
    #: (parts, combined field): the parts are needed unless the combined column is there instead
    either: list[tuple[frozenset[str], str]] = field(default_factory=list)
    #: sets of fields of which at least one is needed (a scope's `one_of`)
    any_of: list[frozenset[str]] = field(default_factory=list)
    #: the wider population of a share's response rate, and the fields it needs (not needed by
    #: the measurement itself: without them the rate is said to be unknown)
    response_rate: expr.CheckedExpr | None = None
    response_required: set[str] = field(default_factory=set)

    def absent(self, present: set[str]) -> list[str]:
        """Needed fields that `present` lacks; a combined column stands for its parts; of a set
        of which one is enough, all are listed when none is present."""
        missing = set(self.required - present)
        for parts, combined in self.either:
            if combined in present or parts <= present:
                missing -= parts
        for group in self.any_of:
            if not group & present:
                missing |= group
        return sorted(missing)


#: the fields each built-in function reads, beside those of its population
COMPUTED_NEEDS: dict[str, set[str]] = {
    "statutory_time_reduction": {"ngay_tiep_nhan", "ngay_co_ket_qua"},
    "published_time_reduction": {"thoi_han_quy_dinh", "thoi_han_cong_bo"},
    "working_time_reduction": {"ngay_tiep_nhan", "ngay_hen_tra", "ngay_co_ket_qua"},
}
#: ... and the groups of which it needs one: the statutory time on the dossier or its procedure
COMPUTED_NEEDS_ONE_OF: dict[str, list[tuple[str, ...]]] = {
    "statutory_time_reduction": [("thoi_han_quy_dinh", "thu_tuc.thoi_han_quy_dinh")],
}


def sum_columns(names: list[str], spec: DatasetSpec) -> list[str]:
    """The fields a sum over `names` adds up: `names` plus every combined column all of whose
    parts are among them (a sheet has either the parts or the combined column, never both)."""
    extra = [item.field for item in spec.combined if set(item.parts) <= set(names) and item.field not in names]
    return [*names, *extra]


@dataclass
class LoadedPack:
    pack: Pack
    path: Path
    positions: Mapping[tuple, Position]
    scopes: dict[str, dict[str, expr.Scope]]
    measurements: dict[str, list[CompiledMeasurement]]

    @property
    def id(self) -> str:
        return self.pack.id

    def position(self, *path: Any) -> Position:
        """The position of the node at `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if tuple(path[:end]) in self.positions:
                return self.positions[tuple(path[:end])]
        return (1, 1)

    def rule_path(self, rule_id: str) -> tuple:
        for index, rule in enumerate(self.pack.rules):
            if rule.id == rule_id:
                return ("rules", index)
        return ()


def _to_plain(node: Any, path: tuple, positions: dict[tuple, Position], source: str) -> Any:
    """Plain dicts/lists/scalars from ruamel nodes, recording each key's and item's position."""
    tag = getattr(node, "tag", None)
    tag_value = getattr(tag, "value", tag) if tag is not None else None
    if isinstance(tag_value, str) and tag_value.startswith("!"):
        line, col = positions.get(path, (1, 1))
        raise RulePackError("pack.yaml_tag", path=source, line=line, column=col, tag=tag_value)
    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            line, col = node.lc.key(key)
            child = (*path, key)
            positions[child] = (line + 1, col + 1)
            vline, vcol = node.lc.value(key)
            positions[(*child, "__value__")] = (vline + 1, vcol + 1)
            result[key] = _to_plain(value, child, positions, source)
        return result
    if isinstance(node, CommentedSeq):
        result_list = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            positions[(*path, index)] = (line + 1, col + 1)
            result_list.append(_to_plain(value, (*path, index), positions, source))
        return result_list
    if hasattr(node, "value") and not isinstance(node, (str, int, float, bool)):
        return node.value  # a tagged scalar that slipped through
    if isinstance(node, str):
        return str(node)
    return node


_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")}


class Positions(Mapping):
    """Node path -> (line, column), computed by the round-trip parser on first use."""

    def __init__(self, text: str, source: str):
        self._text = text
        self._source = source
        self._table: dict[tuple, Position] | None = None

    def _computed(self) -> dict[tuple, Position]:
        if self._table is None:
            table: dict[tuple, Position] = {}
            yaml = YAML(typ="rt", pure=True)
            _to_plain(yaml.load(self._text), (), table, self._source)
            self._table = table
        return self._table

    def __getitem__(self, key: tuple) -> Position:
        return self._computed()[key]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._computed())

    def __len__(self) -> int:
        return len(self._computed())


def _screen(yaml: YAML, text: str, path: Path) -> None:
    """Look at the event stream before anything is built from it.

    Explicit tags (`!!python/object:…`, `!custom`) are refused: a pack is plain data, nothing else.
    Nesting deeper than MAX_PACK_DEPTH is refused before the (recursive) composer sees it, and the
    size the pack would have once aliases are expanded is counted, so an alias bomb ("billion
    laughs") or an alias inside its own anchor is refused without expanding anything.
    """
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        ScalarEvent,
    )

    def where(event) -> dict:
        mark = event.start_mark
        return {"path": str(path), "line": mark.line + 1, "column": mark.column + 1}

    sizes: dict[str, int] = {}  # anchor -> values it holds
    open_: list[list] = [[None, 0]]  # per open collection: [anchor, values so far]
    total = 0
    for event in yaml.parse(text):
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _PLAIN_TAGS and tag != "!":
            raise RulePackError("pack.yaml_tag", tag=tag, **where(event))
        if isinstance(event, CollectionStartEvent):
            if len(open_) > MAX_PACK_DEPTH:
                raise RulePackError("pack.too_deep", limit=MAX_PACK_DEPTH, **where(event))
            open_.append([event.anchor, 0])
            continue
        if isinstance(event, CollectionEndEvent):
            anchor, count = open_.pop()
            count += 1
            if anchor:
                sizes[anchor] = count
            open_[-1][1] += count
            continue
        if isinstance(event, AliasEvent):
            if event.anchor not in sizes:
                if any(item[0] == event.anchor for item in open_):
                    raise RulePackError("pack.recursive_alias", name=event.anchor, **where(event))
                continue  # an unknown anchor: the composer reports it
            count = sizes[event.anchor]
        elif isinstance(event, ScalarEvent):
            count = 1
            if event.anchor:
                sizes[event.anchor] = 1
        else:
            continue
        open_[-1][1] += count
        total = sum(item[1] for item in open_)
        if total > MAX_PACK_NODES:
            raise RulePackError("pack.too_many_nodes", limit=MAX_PACK_NODES, **where(event))


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Parse a YAML file into plain data plus node positions; errors carry file:line:column."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RulePackError("pack.missing", path=str(path)) from None
    except OSError as exc:
        raise RulePackError("pack.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    if len(raw) > MAX_PACK_BYTES:
        raise RulePackError("pack.too_large", path=str(path), limit=MAX_PACK_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulePackError("pack.not_utf8", path=str(path), offset=exc.start) from None
    yaml = YAML(typ="safe", pure=False)  # the C parser when ruamel.yaml.clib is installed
    yaml.allow_duplicate_keys = False
    try:
        _screen(yaml, text, path)
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(filter(None, [exc.context, exc.problem])) or str(exc)
        raise RulePackError("pack.yaml_syntax", path=str(path), line=line, column=col, problem=problem) from None
    except YAMLError as exc:
        raise RulePackError("pack.yaml_syntax", path=str(path), line=1, column=1, problem=str(exc)) from None
    return document, Positions(text, str(path))


def _describe_validation(exc: ValidationError, path: Path, positions: dict[tuple, Position], data: Any) -> RulePackError:
    first = exc.errors()[0]
    loc = tuple(part for part in first["loc"] if not (isinstance(part, str) and part in _DISCRIMINATOR_TAGS))
    position = (1, 1)
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in positions:
            position = positions[tuple(loc[:end])]
            break
    where = ".".join(str(part) for part in loc) or "(pack)"
    rule_id = _rule_id_at(data, loc)
    more = len(exc.errors()) - 1
    return RulePackError("pack.schema", path=str(path), line=position[0], column=position[1], where=where,
                         problem=first["msg"], rule=rule_id or "-", more=more)


_DISCRIMINATOR_TAGS = {"share", "sum_ratio", "computed", "declared"}


def _rule_id_at(data: Any, loc: tuple) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            return str(data["rules"][loc[1]].get("id"))
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
    return None


def _compile_scopes(pack: Pack, path: Path, positions: dict) -> dict[str, dict[str, expr.Scope]]:
    """Built-in scopes of every dataset plus the pack's own, parsed and checked (no cycles)."""
    compiled: dict[str, dict[str, expr.Scope]] = {}
    defined = sum(len(items) for items in pack.scopes.values() if isinstance(items, dict))
    if defined > MAX_PACK_SCOPES:
        line, col = positions.get(("scopes",), (1, 1))
        raise RulePackError("pack.too_many_scopes", path=str(path), line=line, column=col, count=defined,
                            limit=MAX_PACK_SCOPES)
    for name, spec in vocabulary().datasets.items():
        texts = {scope_name: (scope.expr, frozenset(scope.optional), frozenset(scope.one_of), None)
                 for scope_name, scope in spec.scopes.items()}
        for scope_name, text in pack.scopes.get(name, {}).items():
            texts[scope_name] = (text, frozenset(), frozenset(), ("scopes", name, scope_name))
        scopes = {scope_name: expr.Scope(scope_name, expr.parse("true"), optional, one_of)
                  for scope_name, (_, optional, one_of, _) in texts.items()}
        for scope_name, (text, optional, one_of, where) in texts.items():
            try:
                node = expr.parse(text)
                scopes[scope_name] = expr.Scope(scope_name, node, optional, one_of)
            except expr.ExprError as exc:
                raise _expr_error(exc, path, positions, where or (), "-", text) from None
        for text, _, _, where in texts.values():
            try:
                expr.check(text, spec, scopes)
            except expr.ExprError as exc:
                raise _expr_error(exc, path, positions, where or (), "-", text) from None
        _reject_cycles(scopes, spec, path)
        compiled[name] = scopes
    unknown = set(pack.scopes) - set(vocabulary().datasets)
    if unknown:
        bad = sorted(unknown)[0]
        line, col = positions.get(("scopes", bad), (1, 1))
        raise RulePackError("pack.unknown_dataset", path=str(path), line=line, column=col, dataset=bad, rule="-",
                            known=", ".join(vocabulary().datasets))
    return compiled


def _reject_cycles(scopes: dict[str, expr.Scope], spec: DatasetSpec, path: Path) -> None:
    """Scopes may use scopes, but never in a cycle, and never in a chain longer than
    MAX_SCOPE_DEPTH (each link is a level of evaluation). Walked without recursion."""
    def uses(scope: expr.Scope) -> set[str]:
        sub = expr.CheckedExpr(text="", node=scope.node)
        expr._check_node(scope.node, spec, scopes, sub, boolean=True)
        return sub.scopes

    graph = {name: sorted(uses(scope)) for name, scope in scopes.items()}
    depth: dict[str, int] = {}
    for root in graph:
        if root in depth:
            continue
        trail = [root]
        stack = [iter(graph[root])]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                node = trail.pop()
                stack.pop()
                depth[node] = 1 + max((depth[used] for used in graph[node]), default=0)
                if depth[node] > MAX_SCOPE_DEPTH:
                    raise RulePackError("pack.scope_too_deep", path=str(path), scope=node, limit=MAX_SCOPE_DEPTH)
                continue
            if child in trail:
                cycle = trail[trail.index(child):] + [child]
                raise RulePackError("pack.scope_cycle", path=str(path), cycle=" → ".join(cycle))
            if child in depth:
                continue
            trail.append(child)
            stack.append(iter(graph[child]))


def _expr_error(exc: expr.ExprError, path: Path, positions: dict, where: tuple, rule_id: str, text: str) -> RulePackError:
    line, col = positions.get((*where, "__value__"), positions.get(where, (1, 1)))
    from ..messages import t

    return RulePackError("pack.expression", path=str(path), line=line, column=col, rule=rule_id,
                         expression=text.strip(), offset=exc.offset + 1, problem=t(exc.key, **exc.params))


def _compile_rule(rule: Rule, rule_index: int, pack_scopes: dict, path: Path, positions: dict,
                  memos: dict | None = None) -> list[CompiledMeasurement]:
    memos = {} if memos is None else memos
    compiled = []
    for index, measurement in enumerate(rule.measurements):
        where = ("rules", rule_index, "measurements", index)
        if measurement.dataset not in vocabulary().datasets:
            line, col = positions.get((*where, "dataset"), positions.get(where, (1, 1)))
            raise RulePackError("pack.unknown_dataset", path=str(path), line=line, column=col, rule=rule.id,
                                dataset=measurement.dataset, known=", ".join(vocabulary().datasets))
        spec = dataset(measurement.dataset)
        scopes = pack_scopes[measurement.dataset]
        item = CompiledMeasurement(index=index, spec=measurement, dataset=spec)
        if isinstance(measurement, DeclaredMeasurement):
            item.required = {"chi_tieu", "gia_tri"}
            item.optional = {"ky"}
            compiled.append(item)
            continue
        for attribute in ("population", "condition", "unknown"):
            text = getattr(measurement, attribute, None)
            if text is None:
                continue
            try:
                checked = expr.check(text, spec, scopes)
            except expr.ExprError as exc:
                raise _expr_error(exc, path, positions, (*where, attribute), rule.id, text) from None
            setattr(item, attribute, checked)
            memo = memos.setdefault(spec.name, {})
            required, optional = expr.required_fields(checked, scopes, spec, memo)
            item.required |= required
            item.optional |= optional
            item.any_of += [group for group in expr.one_of_groups(checked, scopes, spec, memo)
                            if group not in item.any_of]
        for number, flag in enumerate(getattr(measurement, "flags", None) or []):
            try:  # the fields a flag reads are never required: without them there is nothing to name
                item.flags.append((expr.check(flag.when, spec, scopes), flag.say))
            except expr.ExprError as exc:
                raise _expr_error(exc, path, positions, (*where, "flags", number, "when"), rule.id, flag.when) from None
        response = getattr(measurement, "response_rate", None)
        if response is not None:
            where_rate = (*where, "response_rate", "population")
            try:
                item.response_rate = expr.check(response.population, spec, scopes)
            except expr.ExprError as exc:
                raise _expr_error(exc, path, positions, where_rate, rule.id, response.population) from None
            item.response_required, _ = expr.required_fields(item.response_rate, scopes, spec,
                                                             memos.setdefault(spec.name, {}))
        for attribute in ("numerator", "denominator", "group_by"):
            names = getattr(measurement, attribute, None)
            for field_name in ([names] if isinstance(names, str) else names or []):
                if field_name not in spec.fields:
                    line, col = positions.get((*where, attribute), positions.get(where, (1, 1)))
                    raise RulePackError("pack.unknown_field", path=str(path), line=line, column=col, rule=rule.id,
                                        field=field_name, dataset=spec.name, known=", ".join(spec.fields))
                if attribute != "group_by":
                    if spec.fields[field_name].type != "number":
                        line, col = positions.get((*where, attribute), (1, 1))
                        raise RulePackError("pack.not_numeric", path=str(path), line=line, column=col, rule=rule.id,
                                            field=field_name)
                    item.required.add(field_name)
            if attribute != "group_by" and names:
                for combined in spec.combined:
                    if set(combined.parts) <= set(names):
                        item.either.append((frozenset(combined.parts), combined.field))
                        item.optional.add(combined.field)
        if measurement.kind == "computed":
            item.required |= COMPUTED_NEEDS[measurement.function]
            item.any_of += [frozenset(group) for group in COMPUTED_NEEDS_ONE_OF.get(measurement.function, [])]
            item.optional |= {name for group in item.any_of for name in group}
        for attribute in ("requires", "optional", "settled_by"):
            for field_name in getattr(measurement, attribute, None) or []:
                if spec.field(field_name) is None:
                    line, col = positions.get((*where, attribute), positions.get(where, (1, 1)))
                    raise RulePackError("pack.unknown_field", path=str(path), line=line, column=col, rule=rule.id,
                                        field=field_name, dataset=spec.name,
                                        known=", ".join([*spec.fields, *spec.lookup_fields()]))
        item.required |= set(getattr(measurement, "requires", None) or [])
        declared_optional = set(getattr(measurement, "optional", None) or [])
        item.optional |= declared_optional & item.required
        item.required -= declared_optional
        item.optional -= item.required
        compiled.append(item)
    return compiled


def _check_duplicate_ids(data: Any, path: Path, positions: dict) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        return
    seen: dict[str, int] = {}
    for index, rule in enumerate(data["rules"]):
        if isinstance(rule, dict) and isinstance(rule.get("id"), str):
            if rule["id"] in seen:
                line, col = positions.get(("rules", index, "id"), positions.get(("rules", index), (1, 1)))
                first_line = positions.get(("rules", seen[rule["id"]], "id"), (1, 1))[0]
                raise RulePackError("pack.duplicate_id", path=str(path), line=line, column=col, rule=rule["id"],
                                    first_line=first_line)
            seen[rule["id"]] = index


def load_pack(path: str | Path) -> LoadedPack:
    """Load, validate and compile one pack file; raise RulePackError naming file:line:column."""
    path = Path(path)
    data, positions = read_yaml(path)
    if not isinstance(data, dict):
        raise RulePackError("pack.not_mapping", path=str(path))
    _check_duplicate_ids(data, path, positions)
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise _describe_validation(exc, path, positions, data) from None
    scopes = _compile_scopes(pack, path, positions)
    memos: dict = {}
    measurements = {rule.id: _compile_rule(rule, index, scopes, path, positions, memos)
                    for index, rule in enumerate(pack.rules)}
    return LoadedPack(pack=pack, path=path, positions=positions, scopes=scopes, measurements=measurements)


def shipped_rules_dir() -> Path:
    """The packs shipped with dxcheck: inside the wheel, or `rules/` of a source checkout."""
    packaged = resources.files("dxcheck").joinpath("rules")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def pack_files(paths: list[str | Path] | None) -> list[Path]:
    """Pack files named by `paths` (files or folders of *.yaml); the shipped packs by default."""
    if not paths:
        paths = [shipped_rules_dir()]
    files: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            found = sorted([*item.glob("*.yaml"), *item.glob("*.yml")])
            if not found:
                raise RulePackError("pack.empty_dir", path=str(item))
            files.extend(found)
        elif item.exists():
            files.append(item)
        else:
            raise RulePackError("pack.missing", path=str(item), suggestions=_shipped_like(item))
    return files


def _shipped_like(item: Path) -> list[str]:
    """Shipped pack ids a missing `--rules` value that looks like an id may have meant."""
    from ..load.closest import closest_names

    if item.suffix or len(item.parts) > 1:
        return []
    return closest_names(item.name, [path.stem for path in shipped_rules_dir().glob("*.yaml")])


def load_packs(paths: list[str | Path] | None = None) -> list[LoadedPack]:
    packs = [load_pack(path) for path in pack_files(paths)]
    seen: dict[str, Path] = {}
    for loaded in packs:
        if loaded.id in seen:
            raise RulePackError("pack.duplicate_pack", id=loaded.id, first=str(seen[loaded.id]), path=str(loaded.path))
        seen[loaded.id] = loaded.path
    return packs


@cache
def source_text(seed: str, base: str) -> str | None:
    candidate = Path(base) / "sources" / seed
    if candidate.exists():
        return candidate.read_text(encoding="utf-8")
    shipped = shipped_rules_dir() / "sources" / seed
    return shipped.read_text(encoding="utf-8") if shipped.exists() else None


def resolve_rule_paths(items: list[str | Path] | None) -> list[Path] | None:
    """`--rules` values: a pack file, a folder of packs, or the id of a shipped pack."""
    if not items:
        return None
    from .model import is_slug

    resolved = []
    for item in items:
        path = Path(item)
        if not path.exists() and is_slug(str(item)):
            shipped = shipped_rules_dir() / f"{item}.yaml"
            if shipped.exists():
                resolved.append(shipped)
                continue
        resolved.append(path)
    return resolved
