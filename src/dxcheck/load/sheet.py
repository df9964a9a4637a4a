"""One sheet from raw grid to typed records: header, dataset, row accounting, values, warnings."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from ..datasets import DatasetSpec, dataset, vocabulary
from ..parallel import threaded_map
from ..results import DataWarning, SheetReport
from ..textnorm import fold
from . import date_order
from .by_values import claim_by_values, settle_group_choices
from .duplicates import copies_left_out, id_key, record_key, repeated, with_duplicates
from .formats import RawSheet
from .headers import (
    HEADER_SEARCH_ROWS,
    LEVEL_SEP,
    MAX_DEPTH,
    ColumnHeader,
    HeaderChoice,
    build_columns,
    find_header,
    given_header,
    typed_header,
)
from .rows import RowPlan, plan_given, plan_rows
from .text import as_text, is_str, regex_mask
from .values import (
    DateSpellings,
    Unreadable,
    date_spellings,
    dates_of,
    parse_bools,
    category_column,
    code_words,
    parse_categories,
    parse_dates,
    two_digit_years,
    parse_numbers_checked,
    parse_text,
    raw_value_counts,
)

#: rows listed in a warning; the message says how many more there are
MAX_ROWS_LISTED = 50
#: distinct values listed in a warning
MAX_VALUES_LISTED = 20
#: the marker used in `fields` when linh_vuc comes from the group rows
FROM_GROUP_ROWS = "<group rows>"


@dataclass
class LoadedSheet:
    report: SheetReport
    data: pd.DataFrame | None
    value_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: date fields whose day and month look swapped and were left as read (`date_order`): the
    #: rules that use them give no figure
    doubtful_dates: list[str] = field(default_factory=list)
    #: category fields as Categorical columns, the same values as `data`'s object columns: what
    #: `evaluation.data.collect` evaluates (blank tests and factorisation read integer codes)
    category_columns: dict[str, pd.Series] = field(default_factory=dict)


def _head(sheet: RawSheet) -> list[list[str | None]]:
    rows = min(sheet.height, HEADER_SEARCH_ROWS)
    cols = [as_text(col.iloc[:rows]).tolist() for col in sheet.columns]
    return [[(c[i] if isinstance(c[i], str) else None) for c in cols] for i in range(rows)]


def _wordy(column: ColumnHeader) -> bool:
    return any(ch.isalpha() for level in column.levels for ch in level)


def _likeliest_header(head: list[list[str | None]]) -> HeaderChoice | None:
    """When no header cell matches the vocabulary: the first block of one to MAX_DEPTH rows that
    gives the most columns a header with words in it (numbering rows and numbers are no header),
    as the header whose columns `inspect` lists. A guess shown as such, never used as data."""
    best_key, best = None, None
    for last in range(len(head)):
        for depth in range(1, MAX_DEPTH + 1):
            first = last - depth + 1
            if first < 0 or not any(cell is not None for cell in head[first]):
                break
            columns = build_columns(head[first : last + 1])
            wordy = sum(_wordy(column) for column in columns)
            key = (wordy, -last, -depth)
            if wordy and (best_key is None or key > best_key):
                best_key = key
                best = HeaderChoice(first, last, columns, None, None, [list(row) for row in head[first : last + 1]])
    return best


def unrecognised(sheet: RawSheet, choice: HeaderChoice | None,
                 head: list[list[str | None]] | None = None) -> LoadedSheet:
    """A sheet that is no dataset: left out whole; its best header candidate is kept in the
    report so that `inspect` can list its columns and `--map` can be checked against them."""
    if choice is None and head:
        choice = _likeliest_header(head)
    closest = choice.best if choice else None
    spec = dataset(closest.dataset) if closest else None
    fields = {}
    missing: list[str] = []
    headers: list[str] = []
    unmatched: list[str] = []
    header_rows: list[int] = []
    if choice is not None:
        headers = [column.label for column in choice.columns if column.levels]
        used = set(closest.fields.values()) if closest else set()
        unmatched = [column.label for column in choice.columns if column.levels and column.position not in used]
        if sheet.given_header is None:
            header_rows = [int(sheet.row_numbers[choice.first_row]), int(sheet.row_numbers[choice.last_row])]
    if closest and choice:
        fields = {f: choice.columns[p].label for f, p in closest.fields.items()}
        missing = [f for f in spec.fields if f not in closest.fields]
    report = SheetReport(
        sheet=sheet.name,
        dataset=None,
        header_row=0,
        header_rows=header_rows,
        rows_total=sheet.height,
        rows_used=0,
        rows_left_out={"unrecognised_sheet": sheet.height} if sheet.height else {},
        runner_up=closest.dataset if closest else None,
        fields=fields,
        unmatched_headers=unmatched,
        missing_fields=missing,
        headers=headers,
    )
    return LoadedSheet(report=report, data=None, value_counts={})


def _as_shown_percent(values: pd.Series, shown_percent: np.ndarray | None, positions: np.ndarray) -> pd.Series:
    """A number cell formatted as a percentage (0.9729 shown 97,29%) read as shown: 97.29."""
    if shown_percent is None:
        return values
    mask = shown_percent[positions]
    if not mask.any():
        return values
    out = values.to_numpy(dtype="float64", copy=True)
    out[mask] = np.round(out[mask] * 100, 9)  # 0.9729 * 100 is 97.28999999999999 in binary
    return pd.Series(out, index=values.index, dtype="float64")


def _rows_listed(rows: np.ndarray) -> tuple[list[int], int]:
    rows = np.asarray(rows, dtype=np.int64)
    return [int(r) for r in rows[:MAX_ROWS_LISTED]], max(0, len(rows) - MAX_ROWS_LISTED)


def _describe(bad: Unreadable, row_numbers: np.ndarray) -> tuple[list[int], str, int, int]:
    """(rows listed, 'value ×n: rows' text, total cells, rows not listed)."""
    pieces = []
    all_rows: list[np.ndarray] = []
    total = 0
    order = sorted(range(len(bad.values)), key=lambda k: (-len(bad.positions[k]), bad.values[k]))
    for k in order:
        rows = row_numbers[bad.positions[k]]
        total += len(rows)
        all_rows.append(rows)
    for k in order[:MAX_VALUES_LISTED]:
        rows = row_numbers[bad.positions[k]]
        shown = ", ".join(str(int(r)) for r in rows[:5]) + (", …" if len(rows) > 5 else "")
        pieces.append(f"“{bad.values[k]}” ×{len(rows)} ({shown})")
    if len(order) > MAX_VALUES_LISTED:
        pieces.append(f"… +{len(order) - MAX_VALUES_LISTED}")
    merged = np.unique(np.concatenate(all_rows)) if all_rows else np.array([], dtype=np.int64)
    listed, more = _rows_listed(merged)
    return listed, "; ".join(pieces), total, more


#: what `swapped_dates` may ask for the date columns showing the marks of a month-first computer:
#: "check" warns and leaves the rules that use them without a figure, "fix" reads them right,
#: "keep" reads them as they are (the user checked them)
SWAPPED_DATES = ("check", "fix", "keep")


class SheetLoader:
    """Types one raw sheet. `load` consumes the sheet: the columns its fields read are let go as
    they are typed (a million-row sheet's raw and typed columns would not fit side by side)."""

    def __init__(self, path: str, sheet: RawSheet, mapping: dict[str, str], swapped_dates: str = "check"):
        self.path = path
        self.sheet = sheet
        self.mapping = mapping
        self.swapped_dates = swapped_dates
        self.warnings: list[DataWarning] = []
        #: facts worth knowing that are no data problem (dates read right with `swapped_dates`)
        self.notices: list[DataWarning] = []
        self.doubtful_dates: list[str] = []

    def warn(self, code: str, field_name: str | None, rows: list[int], /, **params) -> None:
        self.warnings.append(
            DataWarning(path=self.path, sheet=self.sheet.name, field=field_name, rows=rows, code=code, params=params)
        )

    def note(self, code: str, field_name: str | None, rows: list[int], /, **params) -> None:
        self.notices.append(
            DataWarning(path=self.path, sheet=self.sheet.name, field=field_name, rows=rows, code=code, params=params)
        )

    def load(self) -> LoadedSheet:
        sheet = self.sheet
        head = None
        if sheet.given_header is not None:
            choice = given_header(sheet.given_header, self.mapping)
        else:
            head = _head(sheet) if sheet.height else None
            choice = find_header(head, self.mapping) if head else None
        if choice is None or choice.best is None or not choice.best.qualifies:
            return unrecognised(sheet, choice, head)
        spec = dataset(choice.best.dataset)
        if sheet.given_header is None:
            claim_by_values(sheet, choice, spec)
        field_types = {f: s.type for f, s in spec.fields.items()}
        if sheet.given_header is not None:
            plan = plan_given(sheet, choice, spec, field_types)
            header_row = 0
        else:
            plan = plan_rows(sheet, choice, spec, field_types)
            header_row = int(sheet.row_numbers[choice.last_row])
            self._settle_group_choices(choice, plan, spec)
        header_rows = [] if sheet.given_header is not None else [int(sheet.row_numbers[choice.first_row]), header_row]
        return self._build(spec, choice, plan, header_row, header_rows)

    def _settle_group_choices(self, choice: HeaderChoice, plan: RowPlan, spec: DatasetSpec) -> None:
        """Several columns under the one group that names a field (`Ngày tiếp nhận › Lần 1 | Lần
        2`), more than one of them holding cells: the first is read, and the user told so."""
        for fname, positions in settle_group_choices(self.sheet, choice, plan, spec):
            labels = [choice.columns[p].label for p in positions]
            group = f" {LEVEL_SEP} ".join(choice.columns[positions[0]].levels[:-1])
            self.warn("load.group_columns_ambiguous", fname, [], field=fname, group=group, chosen=labels[0],
                      columns=", ".join(f"“{label}”" for label in labels), typed=typed_header(labels[1]))

    # ------------------------------------------------------------------------------------------

    def _build(self, spec: DatasetSpec, choice: HeaderChoice, plan: RowPlan, header_row: int,
               header_rows: list[int]) -> LoadedSheet:
        sheet = self.sheet
        mask = plan.data_mask
        idx = np.flatnonzero(mask)
        rows = sheet.row_numbers[plan.start + idx]
        best = choice.best
        columns: dict[str, pd.Series] = {}
        value_counts: dict[str, dict[str, int]] = {}
        fields_report = {f: choice.columns[p].label for f, p in best.fields.items()}

        positions = plan.start + idx
        # data rows come in long runs between group rows: text columns are sliced run by run
        # (no copy) instead of gathered row by row
        breaks = np.flatnonzero(np.diff(positions) != 1) + 1
        runs = [(int(run[0]), len(run)) for run in np.split(positions, breaks) if len(run)]

        def cells(position: int) -> pd.Series:
            col = sheet.columns[position]
            if is_str(col) and len(runs) <= 10_000:
                arrow = pa.chunked_array(pa.array(col.array))
                pieces = [chunk for start, length in runs for chunk in arrow.slice(start, length).chunks]
                return pd.Series(pa.chunked_array(pieces, type=arrow.type), dtype=col.dtype)
            return col.iloc[positions].reset_index(drop=True)

        compounds = {}
        for compound in spec.compound_values:
            for spelling in compound.spellings:
                compounds[fold(spelling)] = dict(compound.sets)

        short_years: dict = {}  # date fields with two-digit years: (cells, an example)
        # a raw column is let go once the fields reading it hold their cells: it is freed as soon
        # as they are typed, not kept beside the typed columns to the end
        readers = Counter(best.fields.values())
        readers_lock = threading.Lock()
        for position in range(sheet.width):  # and the columns no field reads, now
            if position not in readers:
                sheet.columns[position] = None

        def let_go(position: int) -> None:
            with readers_lock:
                readers[position] -= 1
                if not readers[position]:
                    sheet.columns[position] = None

        def parse(item: tuple[str, int]) -> tuple:
            """One field's typed column and findings; no side effects but letting go of its raw
            column (under a lock), so fields run on threads."""
            fname, position = item
            fspec = spec.fields[fname]
            raw = cells(position)
            let_go(position)
            if fspec.type in ("text", "id"):
                values = parse_text(raw)
                repeats = None
                if fname == spec.record_id and spec.unique_id:  # on this thread, not after
                    repeats = repeated(id_key(values))
                return values, None, repeats
            if fspec.type in ("date", "deadline"):
                spellings = date_spellings(raw)
                if spellings is None:
                    values, bad = parse_dates(raw, deadline=fspec.type == "deadline")
                    return values, bad, None
                values, bad = dates_of(spellings, deadline=fspec.type == "deadline")
                short = two_digit_years(spellings, values)
                if short is not None:  # one key per field: safe from the parsing threads
                    short_years[fname] = short
                real_cells = None
                if sheet.date_cells is not None:
                    def real_cells() -> np.ndarray | None:
                        stored = sheet.date_cells(position)
                        return None if stored is None else stored[positions]
                evidence = date_order.examine(spellings, real_cells)
                # the spellings are kept only where they may be read again (they are as big as the column)
                return values, bad, None if evidence is None else (spellings, evidence)
            if fspec.type == "number":
                numeric = None
                if sheet.numeric_cells is not None and _has_ambiguous(raw):
                    full = sheet.numeric_cells(position)
                    if full is not None:
                        numeric = full[positions]
                values, bad, doubtful = parse_numbers_checked(raw, numeric)
                if sheet.percent_cells is not None:
                    values = _as_shown_percent(values, sheet.percent_cells(position), positions)
                return values, bad, doubtful
            if fspec.type == "bool":
                values, bad, _blank, rejected = parse_bools(raw, fspec)
                return values, bad, (raw_value_counts(raw), rejected)
            if fspec.type == "category":
                own = {k: v for k, v in compounds.items() if fname in v}
                return parse_categories(raw, fspec, own), None, None
            return None, None, None

        parsed = threaded_map(parse, best.fields.items(), len(idx))
        # day and month swapped by a month-first computer: judged over the sheet's date columns
        evidence = {fname: extra[1] for fname, (_, _, extra) in zip(best.fields, parsed)
                    if spec.fields[fname].type in ("date", "deadline") and extra is not None}
        findings = {finding.field: finding for finding in date_order.decide(evidence)}
        category_results = {}
        repeated_ids = None
        # per field: typed values, unreadable cells, and an extra finding (yes/no: the raw value
        # counts and the cells its `no_pattern` rejected; the record id: the rows whose id repeats)
        for (fname, position), (values, bad, extra) in zip(best.fields.items(), parsed):
            fspec = spec.fields[fname]
            header = choice.columns[position].label
            if fspec.type in ("text", "id"):
                columns[fname] = values
                if extra is not None:
                    repeated_ids = extra
            elif fspec.type in ("date", "deadline"):
                if fname in findings:
                    values, bad = self._date_order(findings[fname], extra[0], values, bad, header, rows,
                                                   {f: choice.columns[p].label for f, p in best.fields.items()},
                                                   deadline=fspec.type == "deadline")
                columns[fname] = values
                if bad:
                    self._warn_bad("load.unreadable_date", fname, header, bad, rows)
                if fname in short_years:
                    short, example = short_years[fname]
                    self._warn_bad("load.two_digit_year", fname, header, short, rows, example=example)
            elif fspec.type == "number":
                columns[fname] = values
                if bad:
                    self._warn_bad("load.unreadable_number", fname, header, bad, rows)
                if extra:  # text `1.234` in a column written both the Vietnamese and the English way
                    self._warn_bad("load.ambiguous_thousands", fname, header, extra, rows)
            elif fspec.type == "bool":
                columns[fname] = values
                if bad:
                    self._warn_bad("load.unknown_yes_no", fname, header, bad, rows,
                                   blank="yes" if fspec.blank == "yes" else "no")
                counts, rejected = extra
                if rejected:
                    self._warn_bad(fspec.no_pattern_warning, fname, header, rejected, rows)
                value_counts[fname] = counts
            elif fspec.type == "category":
                result = values
                category_results[fname] = result
                value_counts[fname] = dict(sorted(result.value_counts.items()))
                if result.unknown:
                    self._warn_bad("load.unknown_values", fname, header, result.unknown, rows,
                                   codes=", ".join(fspec.codes))

        # compound spellings (`Trực tuyến toàn trình`) set both fields; the other one only where blank
        n = len(idx)
        #: category fields the sheet lacks that compound spellings set: (positions, vocabulary)
        implied: dict[str, tuple[np.ndarray, list[str]]] = {}
        for fname, result in category_results.items():
            for k, sets in result.compound.items():
                hit = result.cell_codes == k
                for target, code in sets.items():
                    if target == fname:
                        _set_code(result.positions, result.vocabulary, hit, code)
                        continue
                    if target not in spec.fields:
                        continue
                    if target in category_results:
                        other = category_results[target]
                        _set_code(other.positions, other.vocabulary, hit & other.blank, code)
                    elif spec.fields[target].type == "category":
                        if target not in implied:
                            implied[target] = (np.full(n, -1, dtype=np.int64), list(spec.fields[target].values))
                            fields_report.setdefault(target, choice.columns[best.fields[fname]].label)
                        _set_code(*implied[target], hit, code)
                    else:
                        if target not in columns:
                            columns[target] = pd.Series([None] * n, dtype=object)
                            fields_report.setdefault(target, choice.columns[best.fields[fname]].label)
                        columns[target][hit] = code
        categorical: dict[str, pd.Series] = {}
        for fname, result in category_results.items():
            fspec = spec.fields[fname]
            positions = result.positions
            if fspec.blank is not None:
                _set_code(positions, result.vocabulary, result.blank & (positions < 0), fspec.blank)
            categorical[fname] = category_column(positions, result.vocabulary)
            columns[fname] = code_words(positions, result.vocabulary)
        for fname, (positions, vocabulary) in implied.items():
            categorical[fname] = category_column(positions, vocabulary)
            columns[fname] = code_words(positions, vocabulary)

        # linh_vuc from the group rows when the sheet has no such column
        group = plan.group_labels.iloc[idx].reset_index(drop=True)
        if "linh_vuc" in spec.fields and "linh_vuc" not in columns and group.notna().any():
            values = plan.group_values.iloc[idx].reset_index(drop=True)
            columns["linh_vuc"] = values.astype(object).where(values.notna(), None)
            fields_report["linh_vuc"] = FROM_GROUP_ROWS

        ordered = [f for f in spec.fields if f in columns]
        frame = pd.DataFrame({f: columns[f] for f in ordered}, index=pd.RangeIndex(n))
        frame["_row"] = rows.astype(np.int64)
        frame["_group"] = pd.Series(group.astype(object).where(group.notna(), None).to_numpy(), dtype=object)

        left_out = plan.left_out()
        dropped = self._check_duplicates(spec, frame, fields_report, repeated_ids)
        if dropped is not None:
            frame = frame.loc[~dropped].reset_index(drop=True)
            categorical = {f: values.loc[~dropped].reset_index(drop=True) for f, values in categorical.items()}
            left_out = with_duplicates(left_out, int(dropped.sum()))
        self._check_totals(spec, frame)

        span_labels = [c for c in choice.columns if c.levels]
        used_positions = set(best.fields.values())
        unmatched = [c.label for c in span_labels if c.position not in used_positions]
        report = SheetReport(
            sheet=sheet.name,
            dataset=spec.name,
            header_row=header_row,
            header_rows=header_rows,
            rows_total=len(plan.reasons),
            rows_used=len(frame),
            rows_left_out=left_out,
            runner_up=choice.runner_up.dataset if choice.runner_up else None,
            fields={f: fields_report[f] for f in spec.fields if f in fields_report},
            unmatched_headers=unmatched,
            missing_fields=missing_fields(spec, columns),
            headers=[c.label for c in span_labels],
        )
        return LoadedSheet(report=report, data=frame, value_counts=value_counts,
                           doubtful_dates=list(self.doubtful_dates), category_columns=categorical)

    def _date_order(self, finding: date_order.Finding, spellings: DateSpellings, values: pd.Series, bad: Unreadable,
                    header: str, rows: np.ndarray, headers: dict[str, str], deadline: bool) -> tuple[pd.Series, Unreadable]:
        """A date column showing the marks of a month-first computer: warn (and leave its rules
        without a figure), or read it right, or keep it as read, as `swapped_dates` asks."""
        evidence = finding.evidence
        fixed, fixed_bad = dates_of(spellings, deadline, swap=evidence.swap)
        listed, _ = _rows_listed(rows[evidence.changed])
        params = {"field": finding.field, "header": header, "count": int(evidence.changed.sum()),
                  "examples": date_order.examples(finding, spellings, values, fixed, rows)}
        swapped = evidence.kind == date_order.SWAPPED
        if self.swapped_dates == "fix":
            self.note("load.dates_swapped_fixed" if swapped else "load.dates_month_first_fixed",
                      finding.field, listed, **params)
            return fixed, fixed_bad
        if self.swapped_dates == "keep":
            self.note("load.dates_order_kept", finding.field, listed, **params)
            return values, bad
        self.doubtful_dates.append(finding.field)
        code = "load.dates_swapped" if swapped else "load.dates_month_first"
        if finding.like is not None:
            self.warn(code + "_like", finding.field, listed, like=headers.get(finding.like, finding.like), **params)
        elif swapped:
            self.warn(code, finding.field, listed, real=evidence.real, text=evidence.text, **params)
        else:
            self.warn(code, finding.field, listed, proof=evidence.proof, text=evidence.text, **params)
        return values, bad

    def _warn_bad(self, code: str, fname: str, header: str, bad: Unreadable, rows: np.ndarray, **extra) -> None:
        listed, text, total, more = _describe(bad, rows)
        self.warn(code, fname, listed, field=fname, header=header, count=total, values=text, more=more, **extra)

    def _check_duplicates(self, spec: DatasetSpec, frame: pd.DataFrame, fields_report: dict[str, str],
                          dup: np.ndarray | None) -> np.ndarray | None:
        """`dup`: the rows whose record id occurs more than once, found while parsing the id field
        (None when the dataset has no unique id column). Warns, and returns the copies to leave
        out (each id keeps its most advanced copy), or None when no id repeats."""
        rid = spec.record_id
        if dup is None or not dup.any():
            return None
        key = record_key(frame, spec)
        if spec.id_per_year_of is not None:  # `dup` compared the ids alone
            dup = repeated(key)
            if not dup.any():
                return None
        dropped = copies_left_out(frame, spec, key, dup)
        dups = pd.DataFrame({"value": frame.loc[dup, rid], "key": key[dup], "row": frame.loc[dup, "_row"]})
        groups = dups.groupby("key", sort=True).agg(value=("value", "first"), rows=("row", list))
        examples = []
        for value, rows in list(zip(groups["value"], groups["rows"]))[:MAX_VALUES_LISTED]:
            shown = ", ".join(str(r) for r in rows[:5]) + (", …" if len(rows) > 5 else "")
            examples.append(f"“{value}” ({shown})")
        if len(groups) > MAX_VALUES_LISTED:
            examples.append(f"… +{len(groups) - MAX_VALUES_LISTED}")
        listed, more = _rows_listed(np.sort(dups["row"].to_numpy()))
        self.warn(
            "load.duplicate_ids", rid, listed, field=rid, header=fields_report.get(rid, rid),
            count=len(groups), rows_count=int(dup.sum()), values="; ".join(examples), more=more,
            dropped=int(dropped.sum()),
        )
        return dropped

    def _check_totals(self, spec: DatasetSpec, frame: pd.DataFrame) -> None:
        for check in spec.checks:
            if check.total not in frame:
                continue
            parts = [p for p in check.parts if p in frame]
            if not parts:
                continue
            total = frame[check.total]
            summed = frame[parts].fillna(0).sum(axis=1)
            # only rows with every part filled: a blank part is no evidence of a wrong total
            all_parts = frame[parts].notna().all(axis=1)
            bad = total.notna() & all_parts & ((total - summed).abs() > 1e-6)
            if not bad.any():
                continue
            rows = frame.loc[bad, "_row"].to_numpy()
            examples = []
            for i in np.flatnonzero(bad.to_numpy())[:10]:
                part_text = " + ".join(_fmt(frame[p].iat[i]) for p in parts)
                examples.append(f"{int(frame['_row'].iat[i])}: {_fmt(total.iat[i])} ≠ {part_text} = {_fmt(summed.iat[i])}")
            listed, more = _rows_listed(rows)
            self.warn(
                "load.totals_mismatch", check.total, listed, field=check.total, total=check.total,
                parts=" + ".join(parts), count=int(bad.sum()), values="; ".join(examples), more=more,
            )


def missing_fields(spec: DatasetSpec, found) -> list[str]:
    """Fields the sheet lacks. A combined column and its parts stand for each other, and of
    `required_one_of` (lĩnh vực or unit rows) the one the sheet has is enough."""
    covered: set[str] = set(found)
    for item in spec.combined:
        if item.field in covered:
            covered |= set(item.parts)
        elif set(item.parts) <= covered:
            covered.add(item.field)
    if any(name in covered for name in spec.required_one_of):
        covered |= set(spec.required_one_of)
    return [name for name in spec.fields if name not in covered]


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "0"
    value = float(value)
    return str(int(value)) if value == int(value) else f"{value:g}"


def _has_ambiguous(raw: pd.Series) -> bool:
    if not is_str(raw):
        return False
    return bool(regex_mask(raw, r"\s*-?\d{1,3}\.\d{3}\s*", full=True).any())


def dataset_order() -> list[str]:
    return list(vocabulary().datasets)


def _set_code(positions: np.ndarray, vocabulary: list[str], where: np.ndarray, code: str) -> None:
    """Write category `code` into the cells `where` of a column kept as positions in `vocabulary`
    (a code the field does not list, from a compound spelling or a blank default, is added)."""
    if code not in vocabulary:
        vocabulary.append(code)
    positions[where] = vocabulary.index(code)
