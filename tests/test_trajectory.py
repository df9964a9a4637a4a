"""Trajectory (REFERENCE §4): trend, projected period and on-track, on constructed histories with the
arithmetic written out; and how reports show it."""

from __future__ import annotations

import json
import re

import pytest

from dxcheck.evaluation.trajectory import Goal, compute, months_of, position
from dxcheck.history import store, trajectories
from dxcheck.render import renderer
from dxcheck.results import (EvaluationResult, HistoryPoint, PackOut, PeriodOut, RuleResult, Summary,
                             TargetOut)


def _points(*pairs: tuple[str, float | None]) -> list[HistoryPoint]:
    return [HistoryPoint(period=period, start="", value=value) for period, value in pairs]


def test_period_positions_count_months():
    # month index = 12·year + month − 1; a quarter sits on its second month, a year mid-way
    assert months_of("2026-10") == (24321, 24321)
    assert position("2026-Q4") == 24322.0  # Oct–Dec → (24321 + 24323) ÷ 2
    assert position("2026") == 12 * 2026 + 5.5
    assert position("2026-01-01..2026-03-31") is None


def test_slope_and_projected_month_by_hand():
    # x (months before now): −3 −2 −1 0; y: 90 91 93 94.  x̄ = −1.5, ȳ = 92
    # Σ(x−x̄)(y−ȳ) = (−1.5)(−2) + (−0.5)(−1) + (0.5)(1) + (1.5)(2) = 7;  Σ(x−x̄)² = 5  → b = 1.4
    # a (line at now) = ȳ − b·x̄ = 92 + 2.1 = 94.1
    # ≥ 98: 94.1 + 1.4·2 = 96.9 (2026-12) < 98;  94.1 + 1.4·3 = 98.3 (2027-01) ≥ 98 → 2027-01
    earlier = _points(("2026-07", 90), ("2026-08", 91), ("2026-09", 93))
    found = compute(earlier, "2026-10", 94, Goal(op=">=", target=98, deadline=2030))
    assert found.trend_per_month == pytest.approx(1.4)
    assert found.fit_value == pytest.approx(94.1)
    assert found.projected_period == "2027-01" and found.reason is None
    assert [point.period for point in found.points] == ["2026-07", "2026-08", "2026-09", "2026-10"]


def test_a_line_landing_exactly_on_the_target_meets_it_that_month_but_not_a_strict_one():
    # 94, 95, 96 → b = 1, a = 96: 98 is reached in 2026-12 exactly (96 + 2)
    earlier = _points(("2026-08", 94), ("2026-09", 95))
    at_least = compute(earlier, "2026-10", 96, Goal(op=">=", target=98, deadline=2030))
    assert at_least.trend_per_month == 1.0 and at_least.projected_period == "2026-12"
    # "trên 98%" (>) needs more than 98: 2027-01 (99)
    above = compute(earlier, "2026-10", 96, Goal(op=">", target=98, deadline=2030))
    assert above.projected_period == "2027-01"


def test_quarters_count_by_their_months():
    # quarters sit at months 1, 4, 7 of the axis (Q1..Q3 2026, relative −6, −3, 0): y 80 83 86 → 1 per month
    earlier = _points(("2026-Q1", 80), ("2026-Q2", 83))
    found = compute(earlier, "2026-Q3", 86, Goal(op=">=", target=90, deadline=2030))
    assert found.trend_per_month == pytest.approx(1.0)
    # line at Aug 2026 (Q3's middle) is 86; 90 needs 4 more months → December 2026
    assert found.projected_period == "2026-12"


def test_not_by_the_deadline():
    # b = 1.4 as above; 98 is reached in 2027-01, after December 2026
    earlier = _points(("2026-07", 90), ("2026-08", 91), ("2026-09", 93))
    late = compute(earlier, "2026-10", 94, Goal(op=">=", target=98, deadline=2026))
    assert late.projected_period is None and late.reason == "not_by_deadline"
    # flat or falling: never
    flat = compute(_points(("2026-08", 94), ("2026-09", 94)), "2026-10", 94, Goal(op=">=", target=98, deadline=2030))
    assert flat.trend_per_month == 0.0 and flat.projected_period is None and flat.reason == "not_by_deadline"
    falling = compute(_points(("2026-08", 96), ("2026-09", 95)), "2026-10", 94,
                      Goal(op=">=", target=98, deadline=2030))
    assert falling.trend_per_month == -1.0 and falling.reason == "not_by_deadline"


def test_already_met_is_this_period():
    found = compute(_points(("2026-09", 97)), "2026-10", 99, Goal(op=">=", target=98, deadline=2030))
    assert found.projected_period == "2026-10" and found.reason == "already_met"
    # a quarter: its last month
    quarter = compute([], "2026-Q4", 99, Goal(op=">=", target=98, deadline=2030))
    assert quarter.projected_period == "2026-12"
    # the run's exact verdict wins over the float (98.996… is not ≥ 99 even if a float said so)
    exact = compute([], "2026-10", 99.0, Goal(op=">=", target=99, deadline=2030, met_now=False))
    assert exact.reason == "few_points" and exact.projected_period is None


def test_fewer_than_three_points_no_trend():
    found = compute(_points(("2026-08", None), ("2026-09", 93)), "2026-10", 94,
                    Goal(op=">=", target=98, deadline=2030))
    assert found.trend_per_month is None and found.projected_period is None and found.reason == "few_points"
    assert len(found.points) == 2  # the blank period does not count


def test_on_track_against_the_baseline_path():
    # path: baseline 90 in 2025-01 (index 24300) to 100 in 2030-12 (index 24371): 71 months
    # at 2026-10 (index 24321): 90 + 10 × 21 ÷ 71 = 92.957746…
    goal = Goal(op=">=", target=100, deadline=2030, baseline=90, plan_start=2025)
    behind = compute([], "2026-10", 92.9, goal)
    assert behind.path_value == pytest.approx(90 + 10 * 21 / 71, abs=1e-6)
    assert behind.on_track is False and behind.path.origin == "baseline" and behind.path.start == "2025-01"
    ahead = compute([], "2026-10", 93, goal)
    assert ahead.on_track is True
    # before the plan's start the path is the baseline itself; after the deadline, the target
    assert compute([], "2024-06", 90, goal).path_value == 90
    assert compute([], "2031-03", 99, goal).path_value == 100


def test_on_track_without_a_baseline_starts_at_the_earliest_point():
    # earliest 80 in 2026-01 (index 24312) to 100 in 2026-12 (24323): 11 months; at 2026-04 (3 months in):
    # 80 + 20 × 3 ÷ 11 = 85.4545…; 85 is behind, 86 ahead
    goal = Goal(op=">=", target=100, deadline=2026)
    earlier = _points(("2026-01", 80), ("2026-02", 82))
    behind = compute(earlier, "2026-04", 85, goal)
    assert behind.path.origin == "earliest" and behind.path.start == "2026-01"
    assert behind.path_value == pytest.approx(80 + 20 * 3 / 11, abs=1e-6) and behind.on_track is False
    assert compute(earlier, "2026-04", 86, goal).on_track is True
    # no earlier point: the path would start at this very value — no verdict
    assert compute([], "2026-04", 85, goal).on_track is None


def test_a_target_to_stay_under_is_on_track_below_the_path():
    goal = Goal(op="<=", target=2, deadline=2026, baseline=10, plan_start=2026)
    # 10 → 2 over 2026-01..2026-12 (11 months); at 2026-12: 2; at 2026-01: 10
    assert compute([], "2026-01", 9, goal).on_track is True
    assert compute([], "2026-12", 3, goal).on_track is False
    falling = compute(_points(("2026-01", 10), ("2026-02", 8)), "2026-03", 6, goal)
    assert falling.trend_per_month == -2.0 and falling.projected_period == "2026-05"  # 6 − 2·2 = 2


def test_no_value_or_no_calendar_period_no_trajectory():
    goal = Goal(op=">=", target=98, deadline=2030)
    assert compute(_points(("2026-09", 90)), "2026-10", None, goal) is None
    assert compute(_points(("2026-09", 90)), "2026-01-01..2026-10-31", 90, goal) is None


def test_only_the_last_twelve_periods_make_the_trend():
    # 24 months: a fall for the first 12, then +1 a month: only the rise counts
    earlier = _points(*[(f"{2025 + i // 12}-{i % 12 + 1:02d}", 100 - i) for i in range(12)],
                      *[(f"2026-{i + 1:02d}", 50 + i) for i in range(11)])
    found = compute(earlier, "2026-12", 61, Goal(op=">=", target=70, deadline=2030))
    assert found.trend_per_month == pytest.approx(1.0) and len(found.points) == 12
    assert found.projected_period == "2027-09"  # 61 + 9


# --- reports ---------------------------------------------------------------------------------------

def _result(history: dict[str, list[HistoryPoint]], title: str = "Tỷ lệ <b>&") -> EvaluationResult:
    from dxcheck.evaluation.trajectory import attach

    def rule(name: str, value: float | None, status: str) -> RuleResult:
        return RuleResult(id=f"p/{name}", pack="p", rule=name, title={"vi": title, "en": title}, status=status,
                          value=value, display_value=None if value is None else f"{value:.2f}",
                          target=TargetOut(op=">=", value=98), deadline=2030, section="1", quote="q",
                          baseline={"value": 90.0, "op": ">=", "period": "2020-2025", "section": "1", "quote": "q"})

    results = [rule("a", 94, "fail"), rule("b", 99, "pass"), rule("c", None, "no_data")]
    result = EvaluationResult(dxcheck_version="0", period=PeriodOut(start="2026-10-01T00:00:00",
                                                                    end="2026-10-31T23:59:59", label="2026-10"),
                              inputs=[], packs=[PackOut(id="p", title={"vi": "P", "en": "P"}, path="p.yaml",
                                                        issuer="x", document="d", plan_period="2025-2030")],
                              summary=Summary.of(results), results=results, history=history)
    attach(result)
    return result


def test_json_carries_the_trajectory_with_its_contract_keys():
    result = _result({"p/a": _points(("2026-07", 90), ("2026-08", 91), ("2026-09", 93))})
    document = json.loads(renderer("json")(result))
    by_id = {item["id"]: item for item in document["results"]}
    trajectory = by_id["p/a"]["trajectory"]
    assert {"trend_per_month", "projected_period", "on_track"} <= set(trajectory)
    assert trajectory["projected_period"] == "2027-01" and trajectory["trend_per_month"] == pytest.approx(1.4)
    # 90 + 8 × 21 ÷ 71 = 92.366…: 94 is on track
    assert trajectory["on_track"] is True and trajectory["path_value"] == pytest.approx(92.366197, abs=1e-6)
    assert by_id["p/b"]["trajectory"]["reason"] == "already_met"
    assert by_id["p/c"]["trajectory"] is None


def test_html_has_one_escaped_chart_per_rule_with_history_and_no_script():
    result = _result({"p/a": _points(("2026-07", 90), ("2026-08", 91), ("2026-09", 93)),
                      "p/b": _points(("2026-09", 97)), "p/c": _points(("2026-09", 50))},
                     title="</title><script>alert(1)</script>")
    html = renderer("html")(result, lang="en")
    charts = re.findall(r"<svg class=\"trajectory\".*?</svg>", html, re.S)
    assert len(charts) == 2  # a and b have earlier values; c has no value now
    assert "<script" not in html.lower() and "&lt;/title&gt;&lt;script&gt;" in html
    first = charts[0]
    assert 'class="target"' in first and 'stroke-dasharray="6 4"' in first  # dashed target
    assert 'class="path"' in first and 'class="values"' in first and first.count("<circle") == 4
    assert 'class="projected"' in first and ">2027-01<" in first
    assert "meets ≥ 98% in 2027-01" in html


def test_markdown_terminal_and_xlsx_show_one_line_per_rule():
    result = _result({"p/a": _points(("2026-07", 90), ("2026-08", 91), ("2026-09", 93))})
    markdown = renderer("md")(result, lang="en")
    assert "## Trend and projection" in markdown
    assert "- `p/a`: trend +1.40 pp/month; meets ≥ 98% in 2027-01; on track (94.00% against a path of 92.37%)" \
        in markdown
    from dxcheck.messages import _language, set_language

    token = set_language("vi")
    try:
        terminal = renderer("terminal")(result)
    finally:
        _language.reset(token)
    assert "p/a: xu hướng +1,40 điểm %/tháng; dự kiến đạt ≥ 98% vào 2027-01" in terminal

    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(renderer("xlsx")(result, lang="en")))
    rows = list(book["Trend"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == ("p/a", 1.4, "2027-01", "yes")


def test_trend_command_projects_from_the_stored_history(tmp_path):
    # three stored months; the latest is "now"
    for month, value in (("2026-08", 94.0), ("2026-09", 95.0), ("2026-10", 96.0)):
        item = RuleResult(id="p/a", pack="p", rule="a", title={"vi": "A", "en": "A"}, status="fail", value=value,
                          display_value=f"{value:.2f}", target=TargetOut(op=">=", value=98), deadline=2030,
                          section="1", quote="q")
        year, number = month.split("-")
        result = EvaluationResult(dxcheck_version="0", period=PeriodOut(start=f"{month}-01T00:00:00",
                                                                        end=f"{month}-28T00:00:00", label=month),
                                  inputs=[], packs=[PackOut(id="p", title={"vi": "P", "en": "P"}, path="p.yaml",
                                                            issuer="x", document="d", plan_period="2025-2030")],
                                  summary=Summary.of([item]), results=[item])
        store(result, tmp_path)
    found = trajectories(tmp_path)["p/a"]
    # 94, 95, 96: +1 a month → 98 in 2026-12
    assert found.trend_per_month == 1.0 and found.projected_period == "2026-12"
    # the path starts at the earliest stored point (no baseline): 94 in 2026-08 → 98 in 2030-12; 96 is ahead
    assert found.path.origin == "earliest" and found.on_track is True
