"""Trajectory wording and chart geometry shared by the renderers (terminal, Markdown, HTML, Excel,
`dxcheck trend`). The numbers come from evaluation/trajectory.py; nothing is computed here but
positions and words."""

from __future__ import annotations

import math
from typing import Any

from ..evaluation.trajectory import months_of, position
from ..messages import t
from ..results import HistoryPoint, RuleResult, Trajectory
from . import format as fmt


def _unit(percent: bool) -> str:
    return "%" if percent else ""


def amount(value: float | None, percent: bool, lang: str | None = None) -> str:
    """98.704225 → `98,70%`: two decimals, as values are shown."""
    if value is None:
        return "—"
    return fmt.number(f"{value:.2f}", lang) + _unit(percent)


def slope(trajectory: Trajectory, percent: bool, lang: str | None = None) -> str:
    """`+1,40 điểm %/tháng`; a slope too small for two decimals keeps two significant digits."""
    value = trajectory.trend_per_month
    if value is None:
        return "—"
    text = f"{value:+.2f}" if value == 0 or abs(value) >= 0.005 else f"{value:+.2g}"
    return t("trajectory.slope_percent" if percent else "trajectory.slope_value", lang=lang,
             slope=fmt.number(text, lang))


def target_text(trajectory: Trajectory, percent: bool, lang: str | None = None) -> str:
    return f"{fmt.OP_SYMBOLS[trajectory.op]} {fmt.number(trajectory.target, lang)}{_unit(percent)}"


def projection(trajectory: Trajectory, percent: bool, lang: str | None = None) -> str:
    target = target_text(trajectory, percent, lang)
    if trajectory.reason == "already_met":
        return t("trajectory.already_met", lang=lang, target=target)
    if trajectory.projected_period is not None:
        return t("trajectory.projected", lang=lang, target=target, period=trajectory.projected_period)
    if trajectory.reason == "not_by_deadline":
        return t("trajectory.not_by_deadline", lang=lang, target=target, deadline=trajectory.deadline_period)
    return ""


def on_track(trajectory: Trajectory, value: str, percent: bool, lang: str | None = None) -> str:
    if trajectory.on_track is None:
        return ""
    return t("trajectory.on_track" if trajectory.on_track else "trajectory.off_track", lang=lang, value=value,
             path=amount(trajectory.path_value, percent, lang))


def trend_text(trajectory: Trajectory, percent: bool, lang: str | None = None) -> str:
    if trajectory.trend_per_month is None:
        return t("trajectory.no_trend", lang=lang, count=len(trajectory.points))
    return t("trajectory.trend", lang=lang, slope=slope(trajectory, percent, lang))


def summary(trajectory: Trajectory, value: str, percent: bool, lang: str | None = None) -> str:
    """One line: trend; projection; on track or behind the path."""
    parts = [trend_text(trajectory, percent, lang), projection(trajectory, percent, lang),
             on_track(trajectory, value, percent, lang)]
    return "; ".join(part for part in parts if part)


def path_text(trajectory: Trajectory, percent: bool, lang: str | None = None) -> str:
    path = trajectory.path
    if path is None:
        return ""
    return t(f"trajectory.path_{path.origin}", lang=lang, start_value=amount(path.start_value, percent, lang),
             start=path.start, target=target_text(trajectory, percent, lang), end=path.end)


def yes_no(flag: bool | None, lang: str | None = None) -> str:
    return "—" if flag is None else t("trajectory.yes" if flag else "trajectory.no", lang=lang)


def rules_with_trajectory(result) -> list[RuleResult]:
    """The rules whose trajectory says something (a trend, a projection or a path)."""
    return [item for item in result.results if item.trajectory is not None
            and (item.trajectory.trend_per_month is not None or item.trajectory.on_track is not None
                 or item.trajectory.reason == "already_met")]


# --- the chart (HTML) -----------------------------------------------------------------------------

WIDTH, HEIGHT = 600, 120
LEFT, RIGHT, TOP, BOTTOM = 44, 64, 10, 22


def chart(item: RuleResult, history: list[HistoryPoint], period: str, summary_text: str) -> dict[str, Any] | None:
    """Coordinates (viewBox units) of the chart of one rule: the values as a polyline with points,
    the target as a dashed line, the straight path as a dotted line, the trend and its projection
    as a dash-dot line ending at the projected month (or the deadline). Only numbers and the
    texts passed in; the template escapes every text."""
    trajectory = item.trajectory
    now = position(period)
    if trajectory is None or item.value is None or now is None:
        return None
    points = [(point.period, x, point.value) for point in history
              if point.value is not None and (x := position(point.period)) is not None and x < now]
    points.append((period, now, item.value))
    end = 12 * int(trajectory.deadline_period[:4]) + 11
    projected = months_of(trajectory.projected_period)[0] if trajectory.projected_period else None
    path_start = None
    if trajectory.path is not None:
        path_start = position(trajectory.path.start) if trajectory.path.origin == "earliest" \
            else months_of(trajectory.path.start)[0]
    x_low = min([points[0][1]] + ([path_start] if path_start is not None else []))
    x_high = max([end, now] + ([projected] if projected is not None else []))
    trend = None
    if trajectory.trend_per_month is not None and trajectory.fit_value is not None:
        first = position(trajectory.points[0].period)
        last = projected if projected is not None and projected > now else (end if trajectory.reason ==
                                                                             "not_by_deadline" else now)

        def line(x: float) -> float:
            return trajectory.fit_value + trajectory.trend_per_month * (x - now)

        trend = [(first, line(first)), (last, line(last))]
    values = [y for _, _, y in points] + [trajectory.target]
    if trajectory.path is not None:
        values += [trajectory.path.start_value, trajectory.path.end_value]
    if trend:
        values += [y for _, y in trend]
    y_low, y_high = _nice(min(values), max(values), item.target.unit == "%")
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span_x = (x_high - x_low) or 1.0

    def px(x: float) -> float:
        return round(LEFT + (x - x_low) / span_x * inner_w, 1)

    def py(y: float) -> float:
        return round(TOP + (y_high - y) / (y_high - y_low) * inner_h, 1)

    percent = item.target.unit == "%"
    out: dict[str, Any] = {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": HEIGHT - BOTTOM, "label": summary_text,
        "y_labels": [(py(y), fmt.number(round(y, 6)) + _unit(percent)) for y in (y_high, y_low)],
        "x_labels": [(px(x_low), fmt_month(x_low)), (px(end), trajectory.deadline_period)],
        "target": {"y": py(trajectory.target), "label": target_text(trajectory, percent)},
        "deadline_x": px(end),
        "polyline": " ".join(f"{px(x)},{py(y)}" for _, x, y in points),
        "dots": [{"x": px(x), "y": py(y), "now": label == period, "title": f"{label}: {amount(y, percent)}"}
                 for label, x, y in points],
        "path": None, "trend": None, "projected": None,
    }
    if trajectory.path is not None and path_start is not None:
        start_x, start_y = path_start, trajectory.path.start_value
        out["path"] = {"x1": px(start_x), "y1": py(start_y), "x2": px(end), "y2": py(trajectory.path.end_value)}
    if trend:
        (x1, y1), (x2, y2) = trend
        out["trend"] = {"x1": px(x1), "y1": py(y1), "x2": px(x2), "y2": py(y2)}
        if projected is not None and trajectory.reason != "already_met":
            out["projected"] = {"x": px(projected), "y": py(trend[1][1]), "label": trajectory.projected_period}
    return out


def _nice(low: float, high: float, percent: bool) -> tuple[float, float]:
    """Round bounds around [low, high] (steps of 1, 2 or 5 × 10ⁿ), within 0–100 for a share."""
    span = max(high - low, 1.0)
    step = 10 ** math.floor(math.log10(span))
    step = next(size * step for size in (0.2, 0.5, 1, 2, 5) if span / (size * step) <= 5)
    nice_low, nice_high = math.floor(low / step) * step, math.ceil(high / step) * step
    if nice_high - high < step * 0.1:  # leave a little room above the highest mark
        nice_high += step
    if nice_low == low and low > 0:
        nice_low -= step
    if percent:
        nice_low, nice_high = max(nice_low, 0.0) if low >= 0 else nice_low, min(nice_high, 100.0) \
            if high <= 100 else nice_high
    return nice_low, nice_high


def fmt_month(x: float) -> str:
    index = int(x)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
