"""Roll several communes' results up into one, exactly, and rank the communes per rule.

Shares are never averaged: the roll-up of a share rule sums the units' numerators and
denominators, so it equals the rule evaluated on the units' data concatenated. The roll-up is
always recomputed from the units, which makes `merge` associative and order-independent.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from ..results import (
    EvaluationResult,
    GroupResult,
    InputReport,
    PeriodOut,
    RankEntry,
    Remark,
    RuleResult,
    FailingRecords, SampleRecord,
    Summary,
    UnitResult,
)
from ..messages import t
from .engine import judge
from .response import rolled_up_rate
from .exact import as_fraction, share
from .measures import Measured, group_status

#: marks a roll-up result that has no meaning across units (declared values are per commune)
PER_UNIT = "per_unit"


def _sum(values: list) -> int | float:
    total = sum(values)
    return int(total) if float(total).is_integer() else float(total)


def _merged_groups(results: list[RuleResult]) -> tuple[str | None, list[tuple[str, float, float, Fraction | None]]]:
    by = next((result.breakdown_by for result in results if result.breakdown_by), None)
    totals: dict[str, list[float]] = {}
    for result in results:
        if result.breakdown_by != by:
            # a commune whose files lack the column: its records in a group that says so, so that
            # the groups still add up to the province's figure
            if result.numerator is None or result.denominator is None:
                return None, []
            entry = totals.setdefault(t("value.no_group_column"), [0, 0])
            entry[0] += result.numerator
            entry[1] += result.denominator
            continue
        for group in result.breakdown:
            if group.numerator is None or group.denominator is None:
                return None, []
            entry = totals.setdefault(group.group, [0, 0])
            entry[0] += group.numerator
            entry[1] += group.denominator
    groups = [(label, _sum([n]), _sum([d]), share(as_fraction(n), as_fraction(d)) if d else None)
              for label, (n, d) in sorted(totals.items())]
    return by, groups


#: communes named in the remark that a roll-up leaves some out
MAX_UNITS_NAMED = 5


def rollup_rule(unit_results: list[RuleResult], samples: int, unmeasured: list[str] = ()) -> RuleResult:
    """The roll-up of one rule over the units' results (all for the same rule id). `unmeasured`:
    the communes that gave this rule no figure, said beside the figure of the others."""
    base = unit_results[0]
    result = base.model_copy(deep=True, update={
        "status": "no_data", "value": None, "display_value": None, "numerator": None, "denominator": None,
        "shortfall": None, "details": {}, "samples": [], "samples_total": 0, "breakdown": [], "breakdown_by": None,
        "message_code": None, "message_params": {}, "regression": False, "remarks": [], "rule_warnings": []})
    measured_units = [item for item in unit_results if item.status in ("pass", "fail") and item.measurement]
    if not measured_units:
        result.message_code = "rollup.no_unit_data"
        return result
    kinds = {item.measurement.kind for item in measured_units}
    first = measured_units[0].measurement
    result.measurement = first.model_copy(update={
        "sources": [source for item in measured_units for source in item.measurement.sources]})
    if "declared" in kinds:
        result.details = {"rollup": PER_UNIT}
        result.message_code = "rollup.declared_per_unit"
        return result
    if kinds == {"computed"}:
        methods = {item.details.get("method") for item in measured_units}
        if len(methods) > 1:  # one commune against statutory times, another against appointments
            result.details = {"rollup": PER_UNIT, "methods": sorted(filter(None, methods))}
            result.message_code = "rollup.methods_differ"
            return result
        used = _sum([item.details.get("used", 0) for item in measured_units])
        base = _sum([item.details.get("base", 0) for item in measured_units])
        value = 100 * (1 - as_fraction(used) / as_fraction(base)) if base else None
        measured = Measured(None, None, value, details={"method": methods.pop(), "used": used, "base": base})
    else:
        numerator = _sum([item.numerator for item in measured_units])
        denominator = _sum([item.denominator for item in measured_units])
        measured = Measured(numerator, denominator,
                            share(as_fraction(numerator), as_fraction(denominator)) if denominator else None)
        rates = [item.details["response_rate"] for item in measured_units if "response_rate" in item.details]
        if rates:
            measured.details["response_rate"] = rolled_up_rate(rates)
        result.breakdown_by, measured.groups = _merged_groups(measured_units)
    judge(result, measured, first.kind, first.dataset)
    if result.breakdown_by and measured.groups:
        op, target = result.target.op, result.target.value
        result.breakdown = sorted(
            (GroupResult(group=label, value=float(value) if value is not None else None, numerator=n, denominator=d,
                         status=group_status(value, op, target)) for label, n, d, value in measured.groups),
            key=lambda group: (group.value is None, group.value or 0, group.group))
    else:
        result.breakdown_by = None
    # what a way of measuring could not do stays said of the whole (one commune without a catalogue)
    caveats = [remark for item in measured_units for remark in item.remarks if remark.code == "result.caveat"]
    result.remarks += [remark for k, remark in enumerate(caveats) if remark not in caveats[:k]]
    if unmeasured:  # a figure over some communes is not the province's: say which are left out
        named = ", ".join(unmeasured[:MAX_UNITS_NAMED]) + (", …" if len(unmeasured) > MAX_UNITS_NAMED else "")
        result.remarks.append(Remark(code="rollup.partial", params={
            "measured": len(measured_units), "total": len(measured_units) + len(unmeasured), "units": named}))
    every: list[SampleRecord] = [sample for item in unit_results for sample in item.samples]
    result.samples = every[:samples]
    result.samples_total = sum(item.samples_total for item in unit_results)
    kept = [item.failing for item in unit_results if item.samples_total]
    if kept and all(part is not None for part in kept):  # every commune kept its records: all of them
        result.failing = FailingRecords.concat(kept)
    return result


def _rank(rule_id: str, units: list[UnitResult]) -> list[RankEntry]:
    entries = []
    target = None
    for unit in units:
        item = next((result for result in unit.results if result.id == rule_id), None)
        if item is None:
            continue
        target = target or item.target
        entries.append(RankEntry(rank=None, unit=unit.name, status=item.status, value=item.value,
                                 display_value=item.display_value, numerator=item.numerator,
                                 denominator=item.denominator))
    with_value = sorted((entry for entry in entries if entry.value is not None),
                        key=lambda e: (_badness(e.value, target), e.unit))
    # equal values share a rank (1, 1, 3): listing order alone must not make one commune second
    for position, entry in enumerate(with_value, start=1):
        same = position > 1 and _badness(entry.value, target) == _badness(with_value[position - 2].value, target)
        entry.rank = with_value[position - 2].rank if same else position
    return with_value + sorted((entry for entry in entries if entry.value is None), key=lambda e: e.unit)


def _badness(value: float, target) -> float:
    """How far from best a value is: under `<`/`<=` targets fewer is better (a 0% late share
    ranks first), under `==` the nearest to the target is best, otherwise more is better."""
    if target is not None and target.op in ("<", "<="):
        return value
    if target is not None and target.op == "==":
        return abs(value - target.value)
    return -value


def _period_of(units: list[EvaluationResult]) -> PeriodOut | None:
    periods = [unit.period for unit in units if unit.period]
    if not periods:
        return None
    if all(period == periods[0] for period in periods):
        return periods[0]
    start, end = min(period.start for period in periods), max(period.end for period in periods)
    return PeriodOut(start=start, end=end, label=f"{start[:10]}..{end[:10]}", inferred=True)


def as_units(result: EvaluationResult) -> list[UnitResult]:
    """A result's units: its own list, or itself as a single unit."""
    if result.units:
        return list(result.units)
    name = result._unit_name or unit_name([item.path for item in result.inputs])
    unit = UnitResult(name=name, inputs=[item.path for item in result.inputs], period=result.period,
                      summary=result.summary, results=result.results)
    unit._base_name = name
    return [unit]


def _told_apart(units: list[UnitResult]) -> list[UnitResult]:
    """Units named alike (a folder copied, a banner left unchanged) each with their folder's or
    file's name after it, so that no ranking row is ambiguous; from the names before any earlier
    merge told them apart, so that `merge` stays associative."""
    from os.path import basename

    bases = [unit._base_name or unit.name for unit in units]
    counts = Counter(bases)
    out = []
    for unit, base in zip(units, bases):
        name = f"{base} ({basename(unit_name(unit.inputs))})" if counts[base] > 1 and unit.inputs else base
        renamed = unit.model_copy(update={"name": name})
        renamed._base_name = base
        out.append(renamed)
    return out


def unit_name(paths: list[str]) -> str:
    if len(paths) == 1:
        return paths[0]
    from os.path import commonpath

    try:
        return commonpath(paths) or ", ".join(paths)
    except ValueError:
        return ", ".join(paths)


def _unmeasured(units: list[UnitResult], rule_id: str) -> list[str]:
    """The communes with no figure (no data, an error, or the rule not evaluated) for `rule_id`."""
    return [unit.name for unit in units
            if not any(result.id == rule_id and result.status in ("pass", "fail") and result.measurement
                       for result in unit.results)]


def combine(parts: list[EvaluationResult], samples: int = 20) -> EvaluationResult:
    """Units side by side with their exact roll-up (the body of `merge`)."""
    units = _told_apart([unit for part in parts for unit in as_units(part)])
    period_out = _period_of(parts)
    rule_ids = list(dict.fromkeys(result.id for unit in units for result in unit.results))
    results = [rollup_rule([result for unit in units for result in unit.results if result.id == rule_id],
                           samples, _unmeasured(units, rule_id)) for rule_id in rule_ids]
    first = parts[0]
    inputs: list[InputReport] = [item for part in parts for item in part.inputs]
    return EvaluationResult(
        dxcheck_version=first.dxcheck_version, generated_at=first.generated_at, language=first.language,
        period=period_out, inputs=inputs, packs=first.packs, summary=Summary.of(results), results=results,
        warnings=[warning for part in parts for warning in part.warnings],
        notes=[note for part in parts for note in part.notes], strict=first.strict, units=units,
        ranking={rule_id: _rank(rule_id, units) for rule_id in rule_ids})

