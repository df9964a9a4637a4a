"""Finding the header under the banners and deciding which dataset a sheet holds.

The first rows of a sheet are scored for vocabulary matches: every row, as the last row of a
header of one to `MAX_DEPTH` levels, is tried (official statistics forms have four); merged group
cells (blank in the raw grid right of their first cell) are carried to the right over the columns
that have sub-headers. A column's header is matched, most specific first, as a `Group › Sub` pair
of any of its levels with its leaf or joined text (`Ngày` over `Tiếp nhận` gives `Ngày tiếp
nhận`), then as its lowest level alone — the last only when no other column of the header has
the same leaf (`Tổng số` under three groups says nothing on its own). The dataset whose key
fields are found (at least `min_fields`, all `required`) with the most fields wins.

A header the user maps (`--map FIELD=HEADER`) names a column written whole (`Ngày › Có kết quả`,
`Ngày > Có kết quả` — ` > ` stands for `›`, which a keyboard lacks — or `Ngày có kết quả`), or by
a lower part of it that no other column of the sheet has (`Có kết quả`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import product

from ..datasets import DatasetSpec, vocabulary
from ..textnorm import fold as _fold
from .text import shown

fold = lru_cache(maxsize=1 << 16)(_fold)

#: rows looked at when searching for the header
HEADER_SEARCH_ROWS = 60
#: header levels tried; Thông tư 01/2020 forms have four, a few provincial renderings five
MAX_DEPTH = 6
LEVEL_SEP = "›"
_PAREN_TAIL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
#: rank of a mapping given by the user (beats every vocabulary match)
MAPPED = 100
#: rank of a field named only by the group over sub-headers that name nothing (`Ngày tiếp nhận`
#: over `Lần 1 | Lần 2`): below every vocabulary match of a column's own header
GROUP_ONLY = 0.25


@dataclass(frozen=True)
class VocabEntry:
    dataset: str
    field: str
    order: int  # position of the spelling in the field's header list (lower = preferred)
    field_index: int


@dataclass
class VocabIndex:
    single: dict[str, list[VocabEntry]]
    pair: dict[tuple[str, str], list[VocabEntry]]


@cache
def vocab_index() -> VocabIndex:
    single: dict[str, list[VocabEntry]] = {}
    pair: dict[tuple[str, str], list[VocabEntry]] = {}
    for ds_name, spec in vocabulary().datasets.items():
        for f_index, (f_name, f_spec) in enumerate(spec.fields.items()):
            spellings = [*f_spec.headers]
            for order, header in enumerate(spellings):
                entry = VocabEntry(ds_name, f_name, order, f_index)
                if LEVEL_SEP in header:
                    group, sub = (part.strip() for part in header.split(LEVEL_SEP, 1))
                    key = (fold(group), fold(sub))
                    pair.setdefault(key, []).append(entry)
                    # `Số hồ sơ đã giải quyết › Tổng số` also matches the joined text
                    single.setdefault(fold(f"{group} {sub}"), []).append(entry)
                else:
                    single.setdefault(fold(header), []).append(entry)
    return VocabIndex(single, pair)


@dataclass
class ColumnHeader:
    position: int
    levels: list[str]  # non-blank header levels, top to bottom (NFC)

    @property
    def label(self) -> str:
        return f" {LEVEL_SEP} ".join(self.levels)

    @property
    def leaf(self) -> str:
        return self.levels[-1]


@dataclass
class Match:
    field: str
    position: int
    rank: float
    order: int
    field_index: int


@dataclass
class DatasetMatch:
    dataset: str
    fields: dict[str, int]  # field -> column position
    key_found: int
    qualifies: bool
    conflicts: list[int] = field(default_factory=list)  # columns that matched a field taken by another
    #: field -> the columns under the one group that names it, when its sub-headers name nothing
    #: (`Ngày tiếp nhận › Lần 1 | Lần 2`) and there are several: the header does not say which is meant
    group_choices: dict[str, list[int]] = field(default_factory=dict)

    def score(self, ds_order: int) -> tuple:
        return (self.qualifies, len(self.fields), self.key_found, -ds_order)


@dataclass
class HeaderChoice:
    first_row: int  # 0-based index in the grid of the header's first row
    last_row: int  # 0-based index of its last row
    columns: list[ColumnHeader]
    best: DatasetMatch | None
    runner_up: DatasetMatch | None
    #: raw header texts of each header row, by column position (for spotting repeated headers)
    raw_rows: list[list[str | None]]


def _split_levels(texts: list[str]) -> list[str]:
    return list(_levels_of(tuple(str(text) for text in texts)))


@lru_cache(maxsize=1 << 14)
def _levels_of(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The header search builds the same columns for many candidate blocks: split each once."""
    out: list[str] = []
    for text in texts:
        for part in str(text).split(LEVEL_SEP):
            part = shown(part)
            if part and (not out or fold(out[-1]) != fold(part)):
                out.append(part)
    return tuple(out)


def build_columns(rows: list[list[str | None]]) -> list[ColumnHeader]:
    """Column headers from header rows (top to bottom), carrying merged group cells right."""
    depth = len(rows)
    width = max((len(r) for r in rows), default=0)
    grid = [[(r[j] if j < len(r) else None) for j in range(width)] for r in rows]
    filled = [row[:] for row in grid]
    for level in range(depth - 1):
        for j in range(1, width):
            if filled[level][j] is not None:
                continue
            has_below = any(grid[k][j] is not None for k in range(level + 1, depth))
            left_is_group = filled[level][j - 1] is not None and any(
                grid[k][j - 1] is not None for k in range(level + 1, depth)
            )
            same_parent = all(filled[k][j] == filled[k][j - 1] for k in range(level))
            if has_below and left_is_group and same_parent:
                filled[level][j] = filled[level][j - 1]
    columns = []
    for j in range(width):
        levels = _split_levels([filled[k][j] for k in range(depth) if filled[k][j] is not None])
        columns.append(ColumnHeader(j, levels))
    return columns


def _strip_paren(text: str) -> str:
    return _PAREN_TAIL.sub("", text)


@lru_cache(maxsize=1 << 14)
def _column_keys(levels: tuple[str, ...], leaf_alone: bool = True) -> tuple[tuple[str, object, float], ...]:
    """`leaf_alone`: whether the lowest level may match by itself (a multi-level header whose
    leaf no other column of the sheet shares)."""
    if not levels:
        return ()
    folded = [fold(level) for level in levels]
    keys: list[tuple[str, object, float]] = []
    n = len(levels)
    if n == 1:
        keys.append(("single", folded[0], 1.0))
    else:
        for i in range(n - 1):
            rank = 3.0 if i == 0 else 2.0
            keys.append(("pair", (folded[i], folded[-1]), rank))
            keys.append(("pair", (folded[i], " ".join(folded[i + 1 :])), rank))
            keys.append(("single", " ".join(folded[i:]), rank))
        if leaf_alone:
            keys.append(("single", folded[-1], 1.0))
    stripped = [fold(_strip_paren(level)) for level in levels]
    if stripped != folded:
        if n == 1:
            keys.append(("single", stripped[0], 0.5))
        else:
            keys.append(("pair", (stripped[0], stripped[-1]), 2.5))
            keys.append(("single", " ".join(stripped), 2.5))
            # every level with the leaf, as for the unstripped text: a note in parentheses on
            # the leaf of a three-level header (`… › Trả đúng thời hạn (trước hạn + đúng hạn)`)
            keys.extend(("pair", (stripped[i], stripped[-1]), 2.0) for i in range(1, n - 1))
            if leaf_alone:
                keys.append(("single", stripped[-1], 0.5))
    return tuple(keys)


@lru_cache(maxsize=1 << 14)
def column_hits(levels: tuple[str, ...], leaf_alone: bool = True) -> dict[str, tuple[tuple[VocabEntry, float], ...]]:
    """dataset -> vocabulary entries this column's header matches, with the match rank."""
    index = vocab_index()
    hits: dict[str, list[tuple[VocabEntry, float]]] = {}
    for kind, key, rank in _column_keys(levels, leaf_alone):
        for entry in (index.pair if kind == "pair" else index.single).get(key, []):
            hits.setdefault(entry.dataset, []).append((entry, rank))
    return {ds: tuple(items) for ds, items in hits.items()}


#: ` > ` typed for `›` in a mapping (a clerk's keyboard has no `›`): only between two non-empty parts,
#: so a header that itself holds `>` (`> 5 ngày`) is still matched as written
_TYPED_SEP = re.compile(r"(?<=\S)\s+>\s+(?=\S)")


def _label_key(text: str) -> str:
    parts = (fold(part) for part in text.split(LEVEL_SEP))
    return f" {LEVEL_SEP} ".join(part for part in parts if part)


def typed_header(label: str) -> str:
    """A joined header as a clerk can type it in `--map`: `Ngày > Có kết quả`."""
    return label.replace(f" {LEVEL_SEP} ", " > ")


#: ` > ` in one mapped header read both ways: beyond this many, only all-literal and all-separator
MAX_TYPED_SEPS = 4


@lru_cache(maxsize=1 << 10)
def mapped_forms(header: str) -> tuple[str, ...]:
    """The keys a mapped header may mean: as written, and with each ` > ` read as `›` or not
    (`Số hồ sơ > Quá hạn > 5 ngày` may be a group over `Quá hạn > 5 ngày`)."""
    pieces = _TYPED_SEP.split(header)
    gaps = len(pieces) - 1
    if gaps <= MAX_TYPED_SEPS:
        choices = product((" > ", f" {LEVEL_SEP} "), repeat=gaps)
    else:
        choices = iter([(" > ",) * gaps, (f" {LEVEL_SEP} ",) * gaps])
    texts = ["".join(part + sep for part, sep in zip(pieces, (*chosen, ""))) for chosen in choices]
    return tuple(dict.fromkeys(key for key in map(_label_key, texts) if key))


@lru_cache(maxsize=1 << 14)
def _mapping_keys(levels: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(whole, part) keys a mapped header is compared with: see `mapped_positions`."""
    if not levels:
        return frozenset(), frozenset()
    folded = [fold(level) for level in levels]
    whole = {f" {LEVEL_SEP} ".join(folded), " ".join(folded), fold(" ".join(levels))}
    part: set[str] = set()
    for start in range(1, len(folded)):
        part |= {f" {LEVEL_SEP} ".join(folded[start:]), " ".join(folded[start:])}
    part.add(fold(_strip_paren(levels[-1])))
    return frozenset(whole), frozenset(part - whole)


def mapped_positions(forms: tuple[str, ...], columns: list[ColumnHeader]) -> tuple[list[int], list[int]]:
    """(columns a mapped header names, columns it could name but does not choose between).

    A header written whole (`Ngày › Có kết quả`, `Ngày > Có kết quả`, `Ngày có kết quả`) names its
    column; a lower part of it (`Có kết quả`, or `Tổng số` under two groups) names a column only
    when no other column of the sheet has that part: otherwise the choice would be a guess.
    """
    whole, part = [], []
    for column in columns:
        if not column.levels:
            continue
        keys_whole, keys_part = _mapping_keys(tuple(column.levels))
        if any(form in keys_whole for form in forms):
            whole.append(column.position)
        elif any(form in keys_part for form in forms):
            part.append(column.position)
    if whole:
        return whole, []
    if len(part) == 1:
        return part, []
    return [], part


def _mapping_for(spec: DatasetSpec, mapping: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """field -> the mapped header's keys, for one dataset ('dataset.field' beats a bare 'field')."""
    out: dict[str, tuple[str, ...]] = {}
    for key, header in mapping.items():
        if "." not in key and key in spec.fields:
            out[key] = mapped_forms(header)
    for key, header in mapping.items():
        if "." in key:
            ds, fname = key.split(".", 1)
            if ds == spec.name and fname in spec.fields:
                out[fname] = mapped_forms(header)
    return out


def shared_leaves(columns: list[ColumnHeader]) -> frozenset[str]:
    """Folded leaves that more than one column of a multi-level header ends in."""
    seen: set[str] = set()
    shared: set[str] = set()
    for column in columns:
        if column.levels:
            leaf = fold(column.leaf)
            (shared if leaf in seen else seen).add(leaf)
    return frozenset(shared)


def match_dataset(spec: DatasetSpec, columns: list[ColumnHeader], mapping: dict[str, str],
                  shared: frozenset[str], by_group: bool = False) -> DatasetMatch:
    """`shared`: the header's `shared_leaves`, worked out once for every dataset. `by_group`: a
    group whose sub-headers all name nothing gives its field to them (`_group_candidates`)."""
    field_names = list(spec.fields)
    candidates: list[Match] = []
    mapped = _mapping_for(spec, mapping)
    mapped_at: set[int] = set()
    for fname, forms in mapped.items():
        for position in mapped_positions(forms, columns)[0]:
            candidates.append(Match(fname, position, MAPPED, 0, field_names.index(fname)))
            mapped_at.add(position)
    for column in columns:
        if not column.levels:
            continue
        best: Match | None = None
        if column.position not in mapped_at:
            leaf_alone = len(column.levels) == 1 or fold(column.leaf) not in shared
            for entry, rank in column_hits(tuple(column.levels), leaf_alone).get(spec.name, ()):
                # a field the user mapped elsewhere is not taken from the vocabulary
                if entry.field in mapped:
                    continue
                cand = Match(entry.field, column.position, rank, entry.order, entry.field_index)
                if best is None or (cand.rank, -cand.order, -cand.field_index) > (best.rank, -best.order, -best.field_index):
                    best = cand
        if best is not None:
            candidates.append(best)
    group_choices: dict[str, list[int]] = {}
    if by_group:
        named = {cand.position for cand in candidates}
        for cand in _group_candidates(spec, columns, named, mapped):
            candidates.append(cand)
            group_choices.setdefault(cand.field, []).append(cand.position)
    candidates.sort(key=lambda m: (-m.rank, m.position, m.order, m.field_index))
    fields: dict[str, int] = {}
    used: set[int] = set()
    conflicts: list[int] = []
    for cand in candidates:
        if cand.field in fields or cand.position in used:
            if cand.position not in used:
                conflicts.append(cand.position)
            continue
        fields[cand.field] = cand.position
        used.add(cand.position)
    _resolve_combined(spec, fields)
    key_found = sum(1 for k in spec.key if k in fields)
    qualifies = key_found >= spec.min_fields and spec.has_required(fields)
    ordered = {f: fields[f] for f in field_names if f in fields}
    group_choices = {f: positions for f, positions in group_choices.items()
                     if len(positions) > 1 and fields.get(f) in positions}
    return DatasetMatch(spec.name, ordered, key_found, qualifies, sorted(set(conflicts)), group_choices)


def _group_candidates(spec: DatasetSpec, columns: list[ColumnHeader], named: set[int],
                      mapped: dict[str, tuple[str, ...]]) -> list[Match]:
    """Columns under a group over two columns or more that names a field by itself while none of
    its sub-headers names anything (`Ngày tiếp nhận` over `Lần 1 | Lần 2`): each may hold that
    field, at the lowest rank (a column's own header always wins the field)."""
    by_group: dict[tuple[str, ...], list[ColumnHeader]] = {}
    for column in columns:
        if len(column.levels) > 1:
            by_group.setdefault(tuple(fold(level) for level in column.levels[:-1]), []).append(column)
    out: list[Match] = []
    for under in by_group.values():
        if len(under) < 2:
            continue  # a header over one cell is no group: `Mã hồ sơ` over `H001` is a record
        if any(column.position in named for column in under):
            continue  # a sub-header names a field: the group is a group, not the field
        entries = [entry for entry, _ in column_hits(tuple(under[0].levels[:-1]), True).get(spec.name, ())
                   if entry.field not in mapped]
        if not entries:
            continue
        entry = min(entries, key=lambda e: (e.order, e.field_index))
        out.extend(Match(entry.field, column.position, GROUP_ONLY, entry.order, entry.field_index) for column in under)
    return out


def _resolve_combined(spec: DatasetSpec, fields: dict[str, int]) -> None:
    """A combined column beside one of its parts holds the other part; beside all of them it
    adds nothing and is left unmatched (summing it too would count its records twice)."""
    for item in spec.combined:
        if item.field not in fields:
            continue
        absent = [part for part in item.parts if part not in fields]
        if not absent:
            del fields[item.field]
        elif len(absent) == 1 and len(item.parts) > 1:
            fields[absent[0]] = fields.pop(item.field)


def rank_datasets(columns: list[ColumnHeader], mapping: dict[str, str], by_group: bool = False) -> list[DatasetMatch]:
    names = list(vocabulary().datasets)
    shared = shared_leaves(columns)
    matches = [match_dataset(vocabulary().datasets[n], columns, mapping, shared, by_group) for n in names]
    order = {n: i for i, n in enumerate(names)}
    matches.sort(key=lambda m: m.score(order[m.dataset]), reverse=True)
    return matches


@lru_cache(maxsize=1)
def _header_tails() -> frozenset[str]:
    """Every way a vocabulary key can end, word by word (`ngay tiep nhan`, `tiep nhan`, `nhan`):
    each key a column's header builds ends with its folded leaf, so a leaf outside this set
    matches nothing, whatever stands above it."""
    index = vocab_index()
    tails: set[str] = set()
    for text in [*index.single, *(sub for _, sub in index.pair)]:
        words = text.split(" ")
        for k in range(len(words)):
            tail = " ".join(words[k:])
            tails.update((tail, fold(tail)))
    return frozenset(tails)


def _cell_ends(cell: str | None) -> tuple[bool, bool]:
    """(gives a header level, may be the leaf of a matching header) for one cell of the head."""
    if cell is None:
        return False, False
    parts = [part for part in (shown(piece) for piece in str(cell).split(LEVEL_SEP)) if part]
    if not parts:
        return False, False
    tails = _header_tails()
    leaf = parts[-1]
    return True, fold(leaf) in tails or fold(_strip_paren(leaf)) in tails


def _block_bound(ends: list[list[tuple[bool, bool]]], first: int, last: int) -> int:
    """How many columns of rows first..last may take a field: those whose leaf (the lowest cell
    that gives a level) may end a vocabulary key. No dataset finds more fields in the block (a
    column gives at most one); at 0, build_columns and the ranking are skipped."""
    width = max((len(row) for row in ends[first : last + 1]), default=0)
    count = 0
    for j in range(width):
        for k in range(last, first - 1, -1):
            gives, may_end = ends[k][j] if j < len(ends[k]) else (False, False)
            if gives:
                count += may_end
                break
    return count


def _any_hit(columns: list[ColumnHeader]) -> bool:
    """Whether any column's header matches any vocabulary entry (the leaf alone allowed: a superset
    of what match_dataset may take), so that blocks of data rows skip the ranking of every dataset."""
    return any(column.levels and column_hits(tuple(column.levels), True) for column in columns)


def find_header(head: list[list[str | None]], mapping: dict[str, str]) -> HeaderChoice | None:
    """Choose the header block among the first rows; None when no header cell matches anything."""
    names = list(vocabulary().datasets)
    order = {n: i for i, n in enumerate(names)}
    best_key = None
    best_choice: HeaderChoice | None = None
    nonblank_rows = [any(c is not None for c in row) for row in head]
    ends = None if mapping else [[_cell_ends(cell) for cell in row] for row in head]
    for last in range(len(head)):
        if not nonblank_rows[last]:
            continue
        for depth in range(1, MAX_DEPTH + 1):
            first = last - depth + 1
            if first < 0:
                break
            if not nonblank_rows[first]:
                continue
            if ends is not None:
                bound = _block_bound(ends, first, last)
                if bound == 0:
                    continue  # no column's lowest cell can end a header the vocabulary knows
                if best_choice is not None and best_choice.best.qualifies and len(best_choice.best.fields) > bound:
                    continue  # fewer fields at most than the qualifying block already found: cannot win
            rows = head[first : last + 1]
            columns = build_columns(rows)
            if not mapping and not _any_hit(columns):
                continue  # rows of data: no dataset could take a field from them
            ranking = rank_datasets(columns, mapping)
            top = ranking[0]
            if not top.fields:
                continue
            key = (*top.score(order[top.dataset]), -depth, -last)
            if best_key is None or key > best_key:
                best_key = key
                runner = ranking[1] if len(ranking) > 1 and ranking[1].fields else None
                best_choice = HeaderChoice(first, last, columns, top, runner, [list(r) for r in rows])
    if best_choice is not None:
        best_choice = _with_sub_headers(head, best_choice, mapping, order)
    return best_choice


_DATA_LIKE = re.compile(r"^[\d\s.,:/()%+\-]+$")


def _is_sub_header_row(above: list[str | None], row: list[str | None]) -> bool:
    """Whether `row` continues the header block whose last row is `above`: sub-headers under
    merged group cells (blank in the grid right of the group's first cell) while the one-level
    headers, merged down, leave it blank. A record fills the columns the header names."""
    width = max(len(above), len(row))
    cell = lambda cells, j: cells[j] if j < len(cells) else None  # noqa: E731
    filled = [j for j in range(width) if cell(row, j) is not None]
    if not filled or any(_DATA_LIKE.match(str(cell(row, j))) for j in filled):
        return False
    under_group_gap = any(cell(above, j) is None and j > 0 and any(cell(above, k) is not None for k in range(j))
                          for j in filled)
    merged_down = any(cell(above, j) is not None and cell(row, j) is None for j in range(width))
    return under_group_gap and merged_down


def _with_sub_headers(head: list[list[str | None]], choice: HeaderChoice, mapping: dict[str, str],
                      order: dict[str, int]) -> HeaderChoice:
    """Take in the sub-header rows below the chosen block that match no vocabulary word (`Xử
    lý` over `Thời điểm`): the block without them scores the same, and the shallower block wins
    such ties, which would leave the sub-headers to be counted as a row of the data. A group
    that names a field over such sub-headers (`Ngày tiếp nhận` over `Lần 1 | Lần 2`) still gives
    it, to one of the columns under it (`DatasetMatch.group_choices`)."""
    while (choice.last_row + 1 < len(head) and choice.last_row - choice.first_row + 1 < MAX_DEPTH
           and _is_sub_header_row(head[choice.last_row], head[choice.last_row + 1])):
        rows = head[choice.first_row : choice.last_row + 2]
        columns = build_columns(rows)
        ranking = rank_datasets(columns, mapping, by_group=True)
        top = ranking[0]
        if top.dataset != choice.best.dataset or top.score(order[top.dataset]) < choice.best.score(order[top.dataset]):
            break
        runner = ranking[1] if len(ranking) > 1 and ranking[1].fields else None
        choice = HeaderChoice(choice.first_row, choice.last_row + 1, columns, top, runner, [list(r) for r in rows])
    return choice


def label_columns(labels: list[str]) -> list[ColumnHeader]:
    """Columns from one-line headers, `›` separating levels (a Parquet header, a report's labels)."""
    return [ColumnHeader(j, _split_levels([label])) for j, label in enumerate(labels)]


def given_header(names: list[str], mapping: dict[str, str]) -> HeaderChoice:
    columns = label_columns(names)
    ranking = rank_datasets(columns, mapping)
    top = ranking[0] if ranking[0].fields else None
    runner = ranking[1] if top and len(ranking) > 1 and ranking[1].fields else None
    return HeaderChoice(-1, -1, columns, top, runner, [])
