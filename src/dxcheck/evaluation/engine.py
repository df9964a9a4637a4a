"""Evaluate rule packs over loaded data: pick each rule's measurement, measure, judge, explain."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .. import expr
from ..messages import t
from ..packs.loader import CompiledMeasurement, LoadedPack
from ..packs.model import Rule
from ..parallel import threaded_map
from ..results import BaselineOut, FailingRecords, GroupResult, MeasurementOut, Remark, RuleResult, SampleRecord, TargetOut
from .data import PATH, ROW, SHEET, DatasetData
from .exact import display_decimals, exactly_needed, excess, meets, shortfall
from .measures import (
    COMPUTED,
    Measured,
    group_status,
    measure_declared,
    measure_share,
    measure_sum_ratio,
)
from .unknown import choose_bound, flagged_warnings
from .nodata import explain
from .response import state_response_rate
from .period import Period


@dataclass
class Job:
    """One measurement of one rule, ready to run: what the measure functions receive."""

    rule: Rule
    compiled: CompiledMeasurement
    scopes: dict
    target_value: float
    frame: expr.Frame | None = None

    @property
    def spec(self):
        return self.compiled.spec

    @property
    def population(self):
        return self.compiled.population

    @property
    def condition(self):
        return self.compiled.condition


@dataclass
class Options:
    samples: int = 20
    by: str | None = None
    #: keep every failing record (a narrow frame) on each result, for the Excel list of records
    keep_failing: bool = False


def _runnable(compiled: list[CompiledMeasurement], datasets: dict[str, DatasetData]) -> list[CompiledMeasurement]:
    """The measurements whose dataset and required fields are present, in the rule's order."""
    return [item for item in compiled
            if (data := datasets.get(item.dataset.name)) is not None and not item.absent(data.present)]


def _format_cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) and not (
            value.hour == 23 and value.minute == 59) else value.strftime("%d/%m/%Y")
    if isinstance(value, (bool, np.bool_)):
        return t("value.yes") if value else t("value.no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _samples(data: DatasetData, failing: np.ndarray | None, compiled: CompiledMeasurement, limit: int,
             keep: bool = False) -> tuple[list[SampleRecord], int, pd.DataFrame | None]:
    """The first `limit` failing records as text, their count and, with `keep`, all of them: only
    the shown columns of the failing rows, with their own types (dates stay dates, codes codes)."""
    if failing is None:
        return [], 0, None
    positions = np.flatnonzero(failing)
    total = int(positions.size)
    spec = compiled.dataset
    shown_fields = [name for name in spec.fields if name in compiled.required | compiled.optional
                    and name in data.frame.columns and name != spec.record_id]
    id_column = spec.record_id if spec.record_id in data.frame.columns else None
    wanted = list(dict.fromkeys([*([id_column] if id_column else []), PATH, SHEET, ROW, *shown_fields]))
    picked = data.frame.iloc[positions[:limit]]  # at most `limit` rows
    cells = {name: picked[name].tolist() for name in wanted}
    samples = []
    for k in range(len(picked)):
        samples.append(SampleRecord(
            record_id=_format_cell(cells[id_column][k]) or None if id_column else None,
            path=str(cells[PATH][k]), sheet=str(cells[SHEET][k]), row=int(cells[ROW][k]),
            values={name: _format_cell(cells[name][k]) for name in shown_fields}))
    kept = data.frame.iloc[positions][wanted].reset_index(drop=True) if keep and total else None
    return samples, total, kept


def _measurement_out(item: CompiledMeasurement, data: DatasetData) -> MeasurementOut:
    spec = item.spec
    return MeasurementOut(index=item.index, kind=spec.kind, dataset=item.dataset.name,
                          population=getattr(spec, "population", None), condition=getattr(spec, "condition", None),
                          numerator=getattr(spec, "numerator", None), denominator=getattr(spec, "denominator", None),
                          function=getattr(spec, "function", None), sources=list(data.sources))


def _base(pack: LoadedPack, rule: Rule, period: Period) -> RuleResult:
    target = rule.target_for_year(period.year)
    milestone = period.year if (period.year in rule.milestones) else None
    return RuleResult(
        id=f"{pack.id}/{rule.id}", pack=pack.id, rule=rule.id,
        title={"vi": rule.title.vi, "en": rule.title.en}, status="no_data",
        target=TargetOut(op=rule.target.op, value=target, unit=rule.target.unit, milestone_year=milestone,
                         final_value=rule.target.value if milestone else None),
        severity=rule.severity, deadline=rule.deadline, section=rule.source.section, quote=rule.source.quote,
        also=[clause.model_dump() for clause in rule.source.also],
        notes=rule.notes, baseline=BaselineOut(**rule.baseline.model_dump()) if rule.baseline else None,
        indicator=f"{pack.id}/{rule.indicator or rule.id}")


def evaluate_rule(pack: LoadedPack, rule: Rule, datasets: dict[str, DatasetData], period: Period,
                  options: Options, frames: dict | None = None) -> RuleResult:
    result = _base(pack, rule, period)
    runnable = _runnable(pack.measurements[rule.id], datasets)
    if not runnable:
        result.message_code = "result.no_data"
        result.message_params = {"missing": explain(rule, pack.measurements[rule.id], datasets)}
        return result
    for position, chosen in enumerate(runnable):
        # a declared figure comes first where a rule names one (satisfaction: the official index);
        # an indicator sheet without that row hands over to the next way of measuring
        last = position == len(runnable) - 1
        if last or chosen.spec.kind != "declared" or _declares(chosen, rule, datasets[chosen.dataset.name], period):
            break
    data = datasets[chosen.dataset.name]
    result.measurement = _measurement_out(chosen, data)
    doubtful = sorted((chosen.required | chosen.optional) & data.doubtful.keys())
    if doubtful:  # day and month look swapped in a date it reads: no figure rather than a wrong one
        where = "; ".join(f"{name} ({', '.join(data.doubtful[name])})" for name in doubtful)
        result.message_code, result.message_params = "result.dates_doubtful", {"fields": where}
        return result
    job = Job(rule=rule, compiled=chosen, scopes=pack.scopes[chosen.dataset.name], target_value=result.target.value)
    if frames is not None:
        key = (pack.id, chosen.dataset.name)
        job.frame = frames.get(key)
    
    by = options.by if options.by else getattr(chosen.spec, "group_by", None)
    if by and by not in data.frame.columns:
        by = None
    blank_label = t("value.blank_group")
    kind = chosen.spec.kind
    if kind == "share":
        measured = measure_share(data, job, period, by, blank_label)
    elif kind == "sum_ratio":
        measured = measure_sum_ratio(data, job, period, by, blank_label)
    elif kind == "computed":
        measured = COMPUTED[chosen.spec.function](data, job, period, by, blank_label)
    else:
        measured = measure_declared(data, job, period, rule, by, blank_label)
    if frames is not None and job.frame is not None:
        frames[(pack.id, chosen.dataset.name)] = job.frame
    bounds = None
    if measured.with_unknown is not None:
        measured.flagged.append(("result.unknown_rows", {"what": ", ".join(chosen.spec.settled_by) or "—"},
                                 measured.unknown))
        measured, bounds = choose_bound(measured, result.target.op, result.target.value, chosen.spec,
                                        chosen.dataset.name)
    if measured.value is None and measured.empty_key is None:  # the period is named here, where there is one
        measured.empty_key = "result.empty_population"
        measured.empty_params = {"dataset": chosen.dataset.name, "period": period.label}
    judge(result, measured, chosen.spec.kind, chosen.dataset.name)
    if bounds is not None:
        result.remarks.append(bounds)
    result.rule_warnings += flagged_warnings(measured.flagged, data, result.id)
    caveat = getattr(chosen.spec, "caveat", None)
    if caveat is not None:
        result.remarks.append(Remark(code="result.caveat", params={"vi": caveat.vi, "en": caveat.en}))
    if by and measured.groups:
        result.breakdown_by = by
        result.breakdown = _breakdown(measured, result.target.op, result.target.value)
    result.samples, result.samples_total, kept = _samples(data, measured.failing, chosen, options.samples,
                                                          options.keep_failing)
    if kept is not None:
        record_id = chosen.dataset.record_id if chosen.dataset.record_id in kept.columns else None
        result.failing = FailingRecords(kept, chosen.dataset.name, record_id)
    return result


def _declares(chosen: CompiledMeasurement, rule: Rule, data: DatasetData, period: Period) -> bool:
    """Whether the indicator sheet has a value for this rule in this period."""
    return measure_declared(data, chosen, period, rule, None, "").value is not None


def judge(result: RuleResult, measured: Measured, kind: str, dataset_name: str) -> None:
    """Set status, value, display value, shortfall and message of `result` from `measured`; without
    a value, the message is the one `measured` gives for it."""
    result.numerator, result.denominator = measured.numerator, measured.denominator
    result.details = measured.details
    if "response_rate" in measured.details:
        state_response_rate(result, dataset_name)
    op, target = result.target.op, result.target.value
    if measured.value is None:
        result.status = "no_data"
        result.message_code, result.message_params = measured.empty_key, measured.empty_params
        return
    passed = meets(measured.value, op, target)
    result.status = "pass" if passed else "fail"
    result.value = float(measured.value)
    baseline = result.baseline
    # below the plan's earlier figure, compared exactly as the target is: 98.996 is below "đạt 99%"
    result.regression = baseline is not None and not meets(measured.value, baseline.op, baseline.value)
    also = [(baseline.op, baseline.value, not result.regression)] if baseline is not None else []
    result.display_value = display_decimals(measured.value, op, target, passed, also=also)
    if kind in ("share", "sum_ratio") and isinstance(measured.denominator, (int, float)):
        result.shortfall = _whole_shortfall(measured.numerator, measured.denominator, op, target)
    if not passed:
        if result.shortfall:
            result.message_code = "result.fail_shortfall"
            result.message_params = {"shortfall": result.shortfall, "row_of": dataset_name}
        elif kind in ("share", "sum_ratio") and op in ("<", "<=") and meets(Fraction(0), op, target):
            # a ceiling that none counted would meet is reached by fewer counted records, never out of reach
            over = _whole_excess(measured.numerator, measured.denominator, op, target)
            if over is not None:
                result.message_code = "result.fail_over_ceiling"
                result.message_params = {"excess": over, "row_of": dataset_name}
            else:  # a report's fraction of a dossier: how many fewer cannot be counted
                result.message_code = "result.fail_above_ceiling"
                result.message_params = {"value": result.display_value, "op": op, "target": _plain(target)}
        elif kind in ("share", "sum_ratio") and op == "==" and _whole(measured) \
                and (needed := exactly_needed(int(measured.denominator), target)) is not None:
            # an exact target some count meets: how many, not "out of reach"
            result.message_code = "result.fail_not_exactly"
            result.message_params = {"needed": needed, "count": int(measured.numerator), "row_of": dataset_name}
        elif result.shortfall is None and kind in ("share", "sum_ratio") and _whole(measured):
            result.message_code = "result.fail_unreachable"
        else:
            result.message_code = "result.fail_value"
            result.message_params = {"value": result.display_value, "op": op, "target": _plain(target)}


def _whole_counts(numerator: float, denominator: float) -> bool:
    """Whether both counts are whole: only then can records be counted (a report's fraction of a
    dossier fails by its value, not by a number of records)."""
    return float(numerator).is_integer() and float(denominator).is_integer()


def _whole(measured: Measured) -> bool:
    return _whole_counts(measured.numerator, measured.denominator)


def _whole_shortfall(numerator: float, denominator: float, op: str, target: float) -> int | None:
    """The records still needed; None when a count is not whole."""
    return shortfall(int(numerator), int(denominator), op, target) if _whole_counts(numerator, denominator) else None


def _whole_excess(numerator: float, denominator: float, op: str, target: float) -> int | None:
    """The counted records over a ceiling; None when a count is not whole."""
    return excess(int(numerator), int(denominator), op, target) if _whole_counts(numerator, denominator) else None


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _breakdown(measured: Measured, op: str, target: float) -> list[GroupResult]:
    groups = [GroupResult(group=label, value=float(value) if value is not None else None,
                          numerator=numerator, denominator=denominator, status=group_status(value, op, target))
              for label, numerator, denominator, value in measured.groups]
    # Worst first, so the office sees at once which field drags the figure down; no figure last.
    return sorted(groups, key=lambda group: (group.value if group.value is not None else math.inf, group.group))


def evaluate_packs(packs: list[LoadedPack], datasets: dict[str, DatasetData], period: Period,
                   options: Options) -> list[RuleResult]:
    frames: dict = {}

    def one(job: tuple[LoadedPack, Rule]) -> RuleResult:
        pack, rule = job
        try:
            return evaluate_rule(pack, rule, datasets, period, options, frames)
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others' results
            failed = _base(pack, rule, period)
            failed.status = "error"
            failed.message_code, failed.message_params = "result.error", {"error": f"{type(exc).__name__}: {exc}"}
            return failed

    # rules share cached masks and factorised columns; a value computed twice by two threads is
    # the same value, so the caches need no lock. Results keep the packs' order.
    jobs = [(pack, rule) for pack in packs for rule in pack.pack.rules]
    rows = max((len(data.frame) for data in datasets.values()), default=0)
    return threaded_map(one, jobs, rows)
