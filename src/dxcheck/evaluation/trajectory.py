"""A rule's road to its target: trend, projected period and on-track (REFERENCE §4).

Time is counted in months: month index m = 12 × year + (month − 1). A period sits at the middle
of its months — a month at its own index, a quarter at its second month (first + 1), a year
between June and July (January + 5.5) — so that a slope is per month whatever the periods.

- Trend: the least-squares line y = a + b·(x − x_now) through the last RECENT_POINTS periods
  with a value (this one included; at least MIN_POINTS distinct periods, else no trend):
  b = Σ(x − x̄)(y − ȳ) ÷ Σ(x − x̄)², fitted with numpy.polyfit. `trend_per_month` is b.
- Projection, against the final target T with the rule's operator: already met this period →
  this period's last month; otherwise the first month m after this period whose line value
  a + b·(m − x_now) meets T, when m ≤ December of the deadline year; else (or when the line
  runs flat or away from T) null, "not by the deadline".
- Path: the straight line from the baseline B in January of the plan's first year (without a
  baseline: the earliest known period and its value) to T in December of the deadline year,
  path(x) = B + (T − B) × clamp((x − x_start) ÷ (x_end − x_start), 0, 1). On track: the value is
  at or beyond path(x_now) — at or above it for a target to reach upwards (≥, >), at or below for
  one to stay under (≤, <).

Every comparison is made on values rounded to DECIMALS places, so that floating-point noise in the
fit never moves a projection by a month; the same inputs always give the same answer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from ..results import HistoryPoint, RuleResult, Trajectory, TrajectoryPath, TrajectoryPoint

RECENT_POINTS = 12
MIN_POINTS = 3
DECIMALS = 9
SHOWN_DECIMALS = 6

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_PLAN = re.compile(r"^\s*(\d{4})")


@dataclass(frozen=True)
class Goal:
    """What a rule aims at, as its pack states it."""

    op: str
    target: float  # the final target, not a year's milestone
    deadline: int  # the year whose December ends the path
    baseline: float | None = None
    plan_start: int | None = None  # the first year of the plan's period
    #: this period's exact verdict against the final target, when known (the counts decide, not a float)
    met_now: bool | None = None
    unit: str = "%"


def months_of(label: str) -> tuple[int, int] | None:
    """(first, last) month index of a period label `2026-10`, `2026-Q4` or `2026`; None otherwise."""
    if match := _MONTH.match(label):
        month = int(match[2])
        if 1 <= month <= 12:
            index = 12 * int(match[1]) + month - 1
            return index, index
        return None
    if match := _QUARTER.match(label):
        first = 12 * int(match[1]) + 3 * (int(match[2]) - 1)
        return first, first + 2
    if match := _YEAR.match(label):
        first = 12 * int(match[1])
        return first, first + 11
    return None


def position(label: str) -> float | None:
    """Where a period sits on the month axis: the middle of its months."""
    months = months_of(label)
    return None if months is None else (months[0] + months[1]) / 2


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def plan_start_year(plan_period: str | None) -> int | None:
    """`"2025-2030"` → 2025."""
    match = _PLAN.match(plan_period or "")
    return int(match[1]) if match else None


def _r(value: float) -> float:
    return round(value, DECIMALS)


def _meets(value: float, op: str, target: float) -> bool:
    value, target = _r(value), _r(target)
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target,
            "==": value == target}[op]


def _direction(op: str, target: float, start: float) -> int:
    """+1 when the target is reached by rising, -1 by falling."""
    if op in (">=", ">"):
        return 1
    if op in ("<=", "<"):
        return -1
    return 1 if target >= start else -1


def fit(points: list[tuple[float, float]], x_now: float) -> tuple[float, float] | None:
    """(a, b) of the least-squares line y = a + b·(x − x_now); None with fewer than MIN_POINTS periods."""
    if len({x for x, _ in points}) < MIN_POINTS:
        return None
    xs = np.array([x - x_now for x, _ in points], dtype=float)
    ys = np.array([y for _, y in points], dtype=float)
    slope, intercept = np.polyfit(xs, ys, 1)
    return float(intercept), float(slope)


def _projection(a: float, b: float, x_now: float, last_now: int, goal: Goal) -> int | None:
    """The first month after this period whose line value meets the target, if by the deadline."""
    end = 12 * goal.deadline + 11
    direction = _direction(goal.op, goal.target, a)
    if _r(b) * direction <= 0:
        return None  # flat, or moving away from the target: never
    op = goal.op if goal.op != "==" else (">=" if direction > 0 else "<=")  # a line crosses, never stays

    def line(month: int) -> float:
        return a + b * (month - x_now)

    month = max(last_now + 1, math.ceil(_r(x_now + (goal.target - a) / b)))
    while month > last_now + 1 and _meets(line(month - 1), op, goal.target):
        month -= 1
    while not _meets(line(month), op, goal.target) and month <= end:
        month += 1
    return month if month <= end else None


def _path(goal: Goal, known: list[tuple[str, float, float]],
          x_now: float) -> tuple[TrajectoryPath, float] | None:
    """The straight path to the target and the month index it starts at."""
    end = 12 * goal.deadline + 11
    if goal.baseline is not None and goal.plan_start is not None:
        start_x, start_value, start, origin = 12 * goal.plan_start, goal.baseline, month_label(12 * goal.plan_start), \
            "baseline"
    else:
        if not known:
            return None
        label, start_x, start_value = min(known, key=lambda item: item[1])
        if start_x >= x_now:
            return None  # the path would start at this very value: nothing to judge it by
        start, origin = label, "earliest"
    if start_x >= end:
        return None
    return TrajectoryPath(origin=origin, start=start, start_value=start_value, end=month_label(end),
                          end_value=goal.target), start_x


def compute(earlier: Iterable[HistoryPoint], period: str, value: float | None, goal: Goal) -> Trajectory | None:
    """The trajectory of one rule whose value this `period` is `value`, from its `earlier` points.
    None when there is no value this period or the period is not a month, quarter or year."""
    months = months_of(period)
    if value is None or months is None:
        return None
    x_now = (months[0] + months[1]) / 2
    known = [(point.period, x, point.value) for point in earlier
             if point.value is not None and (x := position(point.period)) is not None and x < x_now]
    known.sort(key=lambda item: item[1])
    series = [*known, (period, x_now, value)][-RECENT_POINTS:]
    line = fit([(x, y) for _, x, y in series], x_now)
    met = goal.met_now if goal.met_now is not None else _meets(value, goal.op, goal.target)
    projected: str | None = None
    reason = None
    if met:
        projected, reason = month_label(months[1]), "already_met"
    elif line is None:
        reason = "few_points"
    else:
        month = _projection(*line, x_now, months[1], goal)
        projected = month_label(month) if month is not None else None
        reason = None if month is not None else "not_by_deadline"
    found = _path(goal, known, x_now)
    path, path_value, on_track = None, None, None
    if found is not None:
        path, start_x = found
        end_x = 12 * goal.deadline + 11
        share = min(1.0, max(0.0, (x_now - start_x) / (end_x - start_x)))
        path_value = path.start_value + (path.end_value - path.start_value) * share
        direction = _direction(goal.op, goal.target, path.start_value)
        on_track = _r(value) * direction >= _r(path_value) * direction
    return Trajectory(
        trend_per_month=round(line[1], SHOWN_DECIMALS) + 0.0 if line else None, projected_period=projected,
        on_track=on_track, reason=reason,
        points=[TrajectoryPoint(period=label, value=y) for label, _, y in series],
        fit_value=round(line[0], SHOWN_DECIMALS) if line else None,
        path_value=round(path_value, SHOWN_DECIMALS) if path_value is not None else None, path=path,
        op=goal.op, target=goal.target, unit=goal.unit, deadline_period=month_label(12 * goal.deadline + 11))


def goal_of(item: RuleResult, plan_period: str | None) -> Goal:
    """A rule result's goal: its final target (a milestone's year is judged on the way, not here)."""
    final = item.target.final_value if item.target.final_value is not None else item.target.value
    met_now = (item.status == "pass") if item.target.final_value is None and item.status in ("pass", "fail") else None
    baseline = item.baseline.value if item.baseline is not None else None
    return Goal(op=item.target.op, target=final, deadline=item.deadline,
                baseline=float(baseline) if baseline is not None else None,
                plan_start=plan_start_year(plan_period), met_now=met_now, unit=item.target.unit)


def attach(result) -> None:
    """Fill each rule's `trajectory` of an EvaluationResult from its `history` (read beforehand)."""
    if result.period is None:
        return
    plan_periods = {pack.id: pack.plan_period for pack in result.packs}
    for item in result.results:
        item.trajectory = compute(result.history.get(item.id, []), result.period.label, item.value,
                                  goal_of(item, plan_periods.get(item.pack)))
