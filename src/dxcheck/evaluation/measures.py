"""The four metric kinds: share, ratio of sums, computed value, declared value.

Each takes a dataset frame and returns a `Measured`: exact counts, the value as a Fraction,
which rows are to blame, and a per-group breakdown. All work is on whole columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import expr
from ..calendar_vn import holidays_between
from ..packs.loader import sum_columns
from ..datasets import dataset
from ..textnorm import fold
from .data import DatasetData
from .exact import as_fraction, meets, share
from .join import joined_column
from .period import Period


@dataclass
class Measured:
    numerator: int | float | None
    denominator: int | float | None
    value: Fraction | None
    #: rows of the frame that are in the population but not compliant (for samples)
    failing: np.ndarray | None = None
    #: group label -> (numerator, denominator, value)
    groups: list[tuple[str, float | None, float | None, Fraction | None]] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    #: why there is no value (a catalogue key and its parameters)
    empty_key: str | None = None
    empty_params: dict = field(default_factory=dict)
    #: records whose membership of the population is unknown, and the value with all of them in it
    unknown: np.ndarray | None = None
    with_unknown: "Measured | None" = None
    #: (catalogue key, parameters, row mask): rows a warning names, one warning per sheet
    flagged: list = field(default_factory=list)


def _frame(data: DatasetData, job, period: Period) -> expr.Frame:
    """The job's frame: shared by every rule of a pack on the same dataset, so scopes such as
    `received` are computed once per run, not once per rule."""
    if job.frame is None:
        job.frame = expr.Frame(data.frame, dataset(data.name), job.scopes, period.start, period.end,
                               codes_cache=data.codes, lookup=lambda name: joined_column(data, name))
    return job.frame


@dataclass
class Groups:
    """A grouping column factorised once: an integer code per row and the sorted labels."""

    codes: np.ndarray
    labels: list[str]

    def sums(self, mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Per label, the rows under `mask` (or their `weights`) added up. Over every row with the
        rows outside the mask weighing 0, not over `codes[mask]`: no copy of the selected rows,
        three times faster on a million rows; each group still adds its rows in row order, and
        adding 0 changes no float sum, so the figures are the same."""
        chosen = mask if weights is None else np.where(mask, weights, 0.0)
        return np.bincount(self.codes, weights=chosen, minlength=len(self.labels))


def _group_labels(data: DatasetData, by: str | None, blank_label: str) -> Groups | None:
    """Rows' groups for the breakdown, cached on the dataset (every rule reuses them)."""
    # a column the file lacks gives no breakdown
    if not by or by not in data.frame.columns:
        return None
    key = (by, blank_label)
    if key not in data.groups:
        values = data.frame[by]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m")
        # factorise the column as it is, then name and sort the few distinct values
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        names = [str(value) for value in uniques]
        codes = np.asarray(codes, dtype=np.int64)
        if (codes < 0).any():
            names.append(blank_label)  # a blank cell's code, -1, picks this last name
        labels = sorted(set(names))
        position = {label: index for index, label in enumerate(labels)}
        remap = np.array([position[name] for name in names], dtype=np.int64)
        data.groups[key] = Groups(codes=remap[codes], labels=labels)
    return data.groups[key]


def _int(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _share_of(population: np.ndarray, compliant: np.ndarray, groups: "Groups | None") -> Measured:
    numerator, denominator = int(compliant.sum()), int(population.sum())
    measured = Measured(numerator, denominator, share(numerator, denominator) if denominator else None,
                        failing=population & ~compliant)
    if groups is not None and denominator:
        tops, bottoms = groups.sums(compliant), groups.sums(population)
        measured.groups = [(label, int(top), int(bottom), share(int(top), int(bottom)))
                           for label, top, bottom in zip(groups.labels, tops, bottoms) if bottom]
    return measured


def measure_share(data: DatasetData, compiled, period: Period, by: str | None, blank_label: str) -> Measured:
    frame = _frame(data, compiled, period)
    population = frame.mask(compiled.population.node)
    condition = frame.mask(compiled.condition.node)
    groups = _group_labels(data, by, blank_label)
    measured = _share_of(population, population & condition, groups)
    if compiled.compiled.response_rate is not None:
        measured.details["response_rate"] = response_rate(data, frame, compiled.compiled, population)
    for checked, say in compiled.compiled.flags:
        named = population & frame.mask(checked.node)
        if named.any():
            measured.flagged.append(("result.flagged_rows", {"vi": say.vi, "en": say.en}, named))
    if compiled.compiled.unknown is not None:
        # records the data cannot place in or out of the population: measured with all of them in
        unknown = frame.mask(compiled.compiled.unknown.node) & ~population
        if unknown.any():
            widest = population | unknown
            measured.unknown = unknown
            measured.with_unknown = _share_of(widest, widest & condition, groups)
    return measured


def response_rate(data: DatasetData, frame: expr.Frame, compiled, population: np.ndarray) -> dict:
    """How much of the wider population the measured one covers (rated among completed
    dossiers), or which columns the wider population lacks."""
    spec = compiled.spec.response_rate
    lacking = sorted(compiled.response_required - data.present)
    out: dict = {"population": spec.population, "warn_below": spec.warn_below}
    if lacking:
        return {**out, "lacking": lacking}
    wider = frame.mask(compiled.response_rate.node)
    responses, of = int((population & wider).sum()), int(wider.sum())
    return {**out, "responses": responses, "of": of, "rate": float(share(responses, of)) if of else None}


def _present(names: list[str], data: DatasetData) -> list[str]:
    return [name for name in names if name in data.frame.columns]


def measure_sum_ratio(data: DatasetData, compiled, period: Period, by: str | None, blank_label: str) -> Measured:
    frame = _frame(data, compiled, period)
    spec = compiled.spec
    # a sum ratio's population defaults to `true`: the pack loader always compiles one
    population = frame.mask(compiled.population.node)
    numerator_columns = _present(sum_columns(spec.numerator, dataset(data.name)), data)
    denominator_columns = _present(sum_columns(spec.denominator, dataset(data.name)), data)
    # each row's own sums, a blank cell adding nothing
    tops = data.frame[numerator_columns].sum(axis=1).to_numpy(dtype="float64")
    bottoms = data.frame[denominator_columns].sum(axis=1).to_numpy(dtype="float64")
    numerator, denominator = float(tops[population].sum()), float(bottoms[population].sum())
    value = share(as_fraction(numerator), as_fraction(denominator)) if denominator else None
    measured = Measured(_int(numerator), _int(denominator), value)
    # a row is short of its own total when it has one to reach and does not
    measured.failing = population & (bottoms > 0) & (tops < bottoms)
    groups = _group_labels(data, by, blank_label)
    if groups is not None and denominator:
        top_sums, bottom_sums = groups.sums(population, tops), groups.sums(population, bottoms)
        measured.groups = [(label, _int(top), _int(bottom), share(as_fraction(top), as_fraction(bottom)) if bottom else None)
                           for label, top, bottom, present in zip(groups.labels, top_sums, bottom_sums,
                                                                   groups.sums(population)) if present]
    return measured


@lru_cache(maxsize=8)
def _holidays(first_year: int, last_year: int) -> np.ndarray:
    return holidays_between(first_year, last_year)


def _working_days_between(dates: np.ndarray, holidays: np.ndarray):
    """`np.busday_count` for many pairs of days: working days are counted once over the span
    the dates cover, and each pair is a difference of two running totals."""
    first = dates.min()
    span = np.arange(first, dates.max() + 1)  # days, the last one included
    running = np.concatenate([[0], np.cumsum(np.is_busday(span, holidays=holidays))])

    def count(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
        start, stop = (begin - first).astype(np.int64), (end - first).astype(np.int64)
        # busday_count counts [begin, end), and -(end, begin] when end comes first
        backwards = stop < start
        start, stop = start + backwards, stop + backwards
        return running[stop] - running[start]

    return count


def _reduction(used: np.ndarray, allowed: np.ndarray, dated: np.ndarray, table: pd.DataFrame, compiled,
               data: DatasetData, by: str | None, blank_label: str, details: dict) -> Measured:
    """100 × (1 − Σ used ÷ Σ allowed) over the `dated` rows, each row's `used` and `allowed`
    given in the order of those rows; the rows that alone use more than the target permits are
    to blame, and the breakdown sums per group."""
    total_used, total_allowed = _int(float(used.sum())), _int(float(allowed.sum()))
    if total_allowed == 0:
        return Measured(None, None, None)
    value = 100 * (1 - as_fraction(total_used) / as_fraction(total_allowed))
    # `used` and `base` under the same names whatever the method: a roll-up adds them up
    measured = Measured(None, None, value, details={**details, "used": total_used, "base": total_allowed})
    target = compiled.target_value
    # A dossier is to blame when it alone used more of its allowance than the target permits.
    limit = allowed * (1 - target / 100)
    failing = dated.copy()
    failing[dated] = used > limit
    measured.failing = failing
    groups = _group_labels(data, by, blank_label)
    if groups is not None:
        used_all, allowed_all = np.zeros(len(table)), np.zeros(len(table))
        used_all[dated], allowed_all[dated] = used, allowed
        tops, bottoms, present = groups.sums(dated, used_all), groups.sums(dated, allowed_all), groups.sums(dated)
        measured.groups = [(label, None, None, 100 * (1 - as_fraction(top) / as_fraction(bottom)) if bottom else None)
                           for label, top, bottom, count in zip(groups.labels, tops, bottoms, present) if count]
    return measured


def _working_day_counter(*columns: np.ndarray):
    days = np.concatenate(columns)
    first, last = days.min().item(), days.max().item()  # datetime.date
    return _working_days_between(days, _holidays(first.year, last.year))


def measure_working_time_reduction(data: DatasetData, compiled, period: Period, by: str | None,
                                   blank_label: str) -> Measured:
    """The approximation (REFERENCE §4, time-reduction (3)): 100 × (1 − Σ working days used ÷
    Σ working days from reception to the appointment date) over completed dossiers. A deadline
    that already reflects a cut hides it: results say this is an approximation."""
    frame = _frame(data, compiled, period)
    table = data.frame
    population = frame.mask(compiled.population.node)
    dated = (population & table["ngay_tiep_nhan"].notna().to_numpy() & table["ngay_hen_tra"].notna().to_numpy()
             & table["ngay_co_ket_qua"].notna().to_numpy())
    if not dated.any():
        return Measured(None, None, None)
    received = table["ngay_tiep_nhan"].to_numpy()[dated].astype("datetime64[D]")
    finished = table["ngay_co_ket_qua"].to_numpy()[dated].astype("datetime64[D]")
    deadline = table["ngay_hen_tra"].to_numpy()[dated].astype("datetime64[D]")
    count = _working_day_counter(received, finished, deadline)
    used = np.clip(count(received, finished), 0, None)
    allowed = np.clip(count(received, deadline), 0, None)
    return _reduction(used, allowed, dated, table, compiled, data, by, blank_label, {
        "working_days_used": int(used.sum()), "working_days_allowed": int(allowed.sum()),
        "dossiers": int(dated.sum()), "method": "appointment_date"})


def _days(values: pd.Series) -> np.ndarray:
    """A column of working days as floats, a blank cell NaN."""
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _statutory_days(frame: expr.Frame) -> np.ndarray:
    """Per dossier, its statutory time in working days: its own, else its procedure's."""
    own = _days(frame.column("thoi_han_quy_dinh"))
    looked_up = _days(frame.column("thu_tuc.thoi_han_quy_dinh"))
    return np.where(np.isnan(own), looked_up, own)


def measure_statutory_time_reduction(data: DatasetData, compiled, period: Period, by: str | None,
                                     blank_label: str) -> Measured:
    """REFERENCE §4, time-reduction (1): 100 × (1 − Σ working days used ÷ Σ statutory working
    days) over completed dossiers whose statutory time is known (on the row or its procedure)."""
    frame = _frame(data, compiled, period)
    table = data.frame
    population = frame.mask(compiled.population.node)
    statutory = _statutory_days(frame)
    dated = population & table["ngay_tiep_nhan"].notna().to_numpy() & table["ngay_co_ket_qua"].notna().to_numpy()
    known = dated & ~np.isnan(statutory) & (np.nan_to_num(statutory) > 0)
    details = {"dossiers": int(known.sum()), "method": "statutory",
               "without_statutory_time": int((dated & ~known).sum())}
    if not known.any():
        return Measured(None, None, None, details=details, empty_key="result.no_statutory_time",
                        empty_params={"count": int(dated.sum())})
    received = table["ngay_tiep_nhan"].to_numpy()[known].astype("datetime64[D]")
    finished = table["ngay_co_ket_qua"].to_numpy()[known].astype("datetime64[D]")
    used = np.clip(_working_day_counter(received, finished)(received, finished), 0, None)
    allowed = statutory[known]
    details |= {"working_days_used": int(used.sum()), "working_days_statutory": _int(float(allowed.sum()))}
    measured = _reduction(used, allowed, known, table, compiled, data, by, blank_label, details)
    if details["without_statutory_time"]:
        measured.flagged.append(("result.rows_without_statutory_time", {}, dated & ~known))
    return measured


def measure_published_time_reduction(data: DatasetData, compiled, period: Period, by: str | None,
                                     blank_label: str) -> Measured:
    """REFERENCE §4, time-reduction (2), without dossier dates: the catalogue's published cut,
    100 × (1 − Σ published time ÷ Σ statutory time) over procedures that give both."""
    frame = _frame(data, compiled, period)
    table = data.frame
    population = frame.mask(compiled.population.node)
    statutory, published = _days(table["thoi_han_quy_dinh"]), _days(table["thoi_han_cong_bo"])
    known = population & ~np.isnan(statutory) & ~np.isnan(published) & (np.nan_to_num(statutory) > 0)
    details = {"procedures": int(known.sum()), "method": "published",
               "without_times": int((population & ~known).sum())}
    if not known.any():
        return Measured(None, None, None, details=details)
    details |= {"days_published": _int(float(published[known].sum())),
                "days_statutory": _int(float(statutory[known].sum()))}
    return _reduction(published[known], statutory[known], known, table, compiled, data, by, blank_label, details)


COMPUTED = {
    "statutory_time_reduction": measure_statutory_time_reduction,
    "published_time_reduction": measure_published_time_reduction,
    "working_time_reduction": measure_working_time_reduction,
}


def _period_keys(period: Period) -> set[str]:
    """Ways a `ky` cell may name the evaluated period: `10/2026`, `2026-10`, `Tháng 10/2026`, …"""
    year, month = period.end.year, period.end.month
    # a year is written `2026` or `Năm 2026`, as a month's and a quarter's own spellings say `năm`
    keys = {period.label, f"nam {year}"} if period.label.isdigit() else {period.label}
    if "-Q" in period.label:
        quarter = period.label[-1]
        keys |= {f"quy {quarter}/{year}", f"q{quarter}/{year}", f"quy {quarter} nam {year}"}
    elif len(period.label) == 7:
        keys |= {f"{month:02d}/{year}", f"{month}/{year}", f"thang {month:02d}/{year}", f"thang {month}/{year}",
                 f"thang {month} nam {year}"}
    return {fold(key) for key in keys}


def measure_declared(data: DatasetData, compiled, period: Period, rule, by: str | None, blank_label: str) -> Measured:
    """The value declared for this rule in the `chi_tieu` sheet (matched by id, title or keys)."""
    table = data.frame
    names = {fold(name) for name in (rule.id, rule.title.vi, rule.title.en, *compiled.spec.keys)}
    matches = table["chi_tieu"].astype("object").map(lambda text: isinstance(text, str) and fold(text) in names)
    rows = table[matches.to_numpy(dtype=bool) & table["gia_tri"].notna().to_numpy()]
    if "ky" in rows.columns and not period.inferred:
        period_rows = rows[rows["ky"].map(lambda text: isinstance(text, str) and fold(text) in _period_keys(period))]
        undated = rows[rows["ky"].isna()]
        rows = period_rows if len(period_rows) else undated
    if rows.empty:
        example = compiled.spec.keys[0] if compiled.spec.keys else rule.title.vi
        return Measured(None, None, None, empty_key="result.no_declared",
                        empty_params={"id": rule.id, "example": example})
    chosen = rows.iloc[-1]
    value = as_fraction(float(chosen["gia_tri"]))
    measured = Measured(None, None, value, details={"declared_row": int(chosen["_row"]),
                                                   "declared_in": f"{chosen['_path']} › {chosen['_sheet']}"})
    if len(rows) > 1:
        measured.details["declared_rows"] = [int(row) for row in rows["_row"]]
    return measured


def group_status(value: Fraction | None, op: str, target: float) -> str:
    if value is None:
        return "no_data"
    return "pass" if meets(value, op, target) else "fail"
