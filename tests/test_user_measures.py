"""What a user reads off a measured figure (issue 19): response rates and their warnings, a
share's and a sum ratio's value with its numerator and denominator, province roll-ups across
communes, and the road to a target (trend, projection, path).

Every expected figure is worked out by hand in the comments, from records built here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from dxcheck.messages import _language, set_language
from user_kit import evaluate, loaded, rule, user_pack

OCTOBER_DAY = datetime(2026, 10, 10, 9)
PLAN = "Mức độ hài lòng đạt 90%. Tỷ lệ hồ sơ nộp trực tuyến."


@pytest.fixture(autouse=True)
def english():
    token = set_language("en")
    try:
        yield
    finally:
        _language.reset(token)


def pack(folder: Path, body: str, name: str = "pack") -> Path:
    """A pack `user` holding the rules of `body` (YAML under `rules:`)."""
    return user_pack(folder, body, PLAN, name)


# --- response rates ------------------------------------------------------------------------------

RATED_RULE = """\
  - id: satisfied
    title: {{vi: "Hài lòng", en: "Satisfied"}}
    source: {{section: "1", quote: "Mức độ hài lòng đạt 90%"}}
    target: {{op: ">=", value: 90}}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: rated
        condition: satisfied
        response_rate: {{population: '{wider}', warn_below: {warn}}}
"""


def rated_pack(folder: Path, wider: str = "completed", warn: str = "30") -> Path:
    return pack(folder, RATED_RULE.format(wider=wider, warn=warn), name=f"rated-{abs(hash((wider, warn)))}")


def completed(number: int, rating: str | None, finished: datetime = OCTOBER_DAY) -> dict:
    """A dossier whose result came on `finished`, rated `rating` (None: not rated)."""
    return {"ma_ho_so": f"HS-{number:05d}", "linh_vuc": "Tư pháp", "ngay_tiep_nhan": datetime(2026, 10, 1, 8),
            "ngay_hen_tra": None, "ngay_co_ket_qua": finished, "trang_thai": "da_tra_ket_qua",
            "hinh_thuc_nop": "truc_tuyen", "danh_gia": rating or "chua_danh_gia"}


def ratings(rated: int, satisfied: int, total: int = 10, path: str = "data.xlsx", first: int = 0):
    """`total` completed dossiers, `rated` of them rated, `satisfied` of those satisfied."""
    rows = [completed(first + k, "hai_long" if k < satisfied else "binh_thuong" if k < rated else None)
            for k in range(total)]
    return loaded(rows, path=path)


def low_rate_warnings(result) -> list:
    return [warning for warning in result.warnings if warning.code == "result.low_response_rate"]


def test_the_response_rate_is_stated_with_its_counts(tmp_path):
    # 10 completed, 4 rated, 3 satisfied: 3 ÷ 4 = 75%; response 4 ÷ 10 = 40% ≥ 30%: said, not warned
    result = evaluate(rated_pack(tmp_path), [ratings(4, 3)], period="2026-10")
    item = rule(result, "satisfied")
    assert (item.numerator, item.denominator, item.value) == (3, 4, 75.0)
    assert item.details["response_rate"] == {"population": "completed", "warn_below": 30, "responses": 4,
                                             "of": 10, "rate": 40.0}
    assert "response rate 40%: the figure rests on 4 of 10 dossier(s) in" in item.message.lower()
    assert "result in the period (returned or done)" in item.message.lower()  # the scope said in words
    assert not low_rate_warnings(result)


def test_a_rate_exactly_at_the_threshold_is_not_low(tmp_path):
    # 3 of 10 rated: 30% is not under 30%
    result = evaluate(rated_pack(tmp_path), [ratings(3, 3)], period="2026-10")
    item = rule(result, "satisfied")
    assert "response rate 30%: the figure rests on 3 of 10" in item.message.lower() and "only" not in item.message.lower()
    assert not low_rate_warnings(result)


def test_a_low_rate_is_a_warning_naming_the_file_and_sheet(tmp_path):
    # 2 of 10 rated: 20% < 30%; the figure (2 ÷ 2 = 100%) passes, the run warns that it rests on two answers
    result = evaluate(rated_pack(tmp_path), [ratings(2, 2, path="xa-a.xlsx")], period="2026-10")
    item = rule(result, "satisfied")
    assert item.status == "pass" and item.value == 100.0
    assert ("response rate only 20% (under 30%): the figure rests on just 2 of 10 dossier(s) in"
            in item.message.lower())
    [warning] = low_rate_warnings(result)
    assert (warning.path, warning.sheet) == ("xa-a.xlsx", "Sheet1")
    assert warning.params["rule"] == "user/satisfied"
    assert (warning.params["responses"], warning.params["of"], warning.params["rate"]) == (2, 10, 20.0)
    assert warning.params["threshold"] == 30.0
    assert "user/satisfied: response rate only 20% (under 30%)" in warning.message.lower()
    assert "just 2 of 10 records in “result in the period (returned or done)”" in warning.message.lower()


def test_the_threshold_is_the_packs_own(tmp_path):
    # 4 of 10 rated = 40%, under a threshold of 50 (and not under 40)
    low = rule(evaluate(rated_pack(tmp_path, warn="50"), [ratings(4, 4)], period="2026-10"), "satisfied")
    assert "response rate only 40% (under 50%)" in low.message.lower()
    ok = rule(evaluate(rated_pack(tmp_path, warn="40"), [ratings(4, 4)], period="2026-10"), "satisfied")
    assert "response rate 40%:" in ok.message.lower() and "only" not in ok.message.lower()


def test_no_record_in_the_wider_population_means_no_rate(tmp_path):
    # the wider population selects nothing: there is no rate to state, and no warning
    result = evaluate(rated_pack(tmp_path, wider='trang_thai == "da_huy"'), [ratings(4, 3)], period="2026-10")
    item = rule(result, "satisfied")
    assert item.details["response_rate"]["of"] == 0 and item.details["response_rate"]["rate"] is None
    assert "no dossier falls in “trang_thai == \"da_huy\"” in the period, so there is no response rate" in item.message.lower()
    assert not low_rate_warnings(result)


def test_a_wider_population_over_missing_columns_is_unknown(tmp_path):
    # `tien_do` and `so_hoa` are not in the file: the rate cannot be computed, and the result says which columns
    result = evaluate(rated_pack(tmp_path, wider="so_hoa and tien_do == \"dung_han\""), [ratings(4, 3)],
                      period="2026-10")
    item = rule(result, "satisfied")
    assert item.details["response_rate"]["lacking"] == ["so_hoa", "tien_do"]
    assert "the response rate (of “so_hoa and tien_do == \"dung_han\"”) cannot be computed: the columns so_hoa, tien_do are missing" in item.message.lower()
    assert (item.numerator, item.denominator) == (3, 4)  # the figure itself stands
    assert not low_rate_warnings(result)


def test_response_rates_roll_up_by_their_counts_across_communes(tmp_path):
    # commune A: 4 of 10 rated (40%); commune B: 1 of 10 (10%, warned) → province (4 + 1) ÷ (10 + 10) = 25% < 30%
    result = evaluate(rated_pack(tmp_path), [ratings(4, 3, path="a.xlsx"), ratings(1, 1, path="b.xlsx", first=100)],
                      period="2026-10", group_by="file")
    item = rule(result, "satisfied")
    assert (item.numerator, item.denominator) == (4, 5)
    assert item.details["response_rate"] == {"population": "completed", "warn_below": 30, "responses": 5, "of": 20,
                                             "rate": 25.0}
    assert "response rate only 25% (under 30%): the figure rests on just 5 of 20" in item.message.lower()
    warned = [(warning.path, warning.params["responses"]) for warning in low_rate_warnings(result)]
    assert ("b.xlsx", 1) in warned and not any(path == "a.xlsx" for path, _ in warned)


def test_a_province_rate_with_one_commune_lacking_columns_is_unknown(tmp_path):
    # commune B has no `tien_do` column: its rate is unknown, so the province's is too (never A's alone)
    wider = 'completed and tien_do == "dung_han"'
    a = [completed(k, "hai_long") | {"tien_do": "dung_han"} for k in range(4)]
    b = [completed(100 + k, "hai_long") for k in range(3)]
    result = evaluate(rated_pack(tmp_path, wider=wider), [loaded(a, path="a.xlsx"), loaded(b, path="b.xlsx")],
                      period="2026-10", group_by="file")
    rate = rule(result, "satisfied").details["response_rate"]
    assert rate == {"population": wider, "warn_below": 30, "lacking": ["tien_do"]}
    assert "cannot be computed: the columns tien_do are missing" in rule(result, "satisfied").message.lower()


def test_a_province_whose_communes_have_no_wider_records_has_no_rate(tmp_path):
    result = evaluate(rated_pack(tmp_path, wider='trang_thai == "da_huy"'),
                      [ratings(4, 3, path="a.xlsx"), ratings(2, 2, path="b.xlsx", first=100)],
                      period="2026-10", group_by="file")
    item = rule(result, "satisfied")
    assert item.details["response_rate"]["rate"] is None and item.details["response_rate"]["of"] == 0
    assert "so there is no response rate" in item.message.lower()


def test_a_missing_scope_is_named_in_words(tmp_path):
    # the wider population is the scope `with_fee` (le_phi > 0): without a `le_phi` column the rate is
    # unknown, and the sentence names the scope as a user reads it, not its identifier
    item = rule(evaluate(rated_pack(tmp_path, wider="with_fee"), [ratings(4, 3)], period="2026-10"), "satisfied")
    assert "the response rate (of “with a fee”) cannot be computed: the columns le_phi are missing" in item.message.lower()
    # with the column but no fee anywhere, no dossier is in the scope, said in words too
    rows = [completed(k, "hai_long") | {"le_phi": 0.0} for k in range(4)]
    item = rule(evaluate(rated_pack(tmp_path, wider="with_fee"), [loaded(rows)], period="2026-10"), "satisfied")
    assert "no dossier falls in “with a fee” in the period, so there is no response rate" in item.message.lower()


def test_a_low_rate_over_two_files_names_both_and_no_single_sheet(tmp_path):
    # one commune's two files: 1 of 10 rated in a, 0 of 10 in b → 1 ÷ 20 = 5%; the warning names both files
    # and no sheet (there is no one sheet to point at)
    result = evaluate(rated_pack(tmp_path), [ratings(1, 1, path="a.xlsx"), ratings(0, 0, path="b.xlsx", first=100)],
                      period="2026-10", group_by="combine")
    [warning] = low_rate_warnings(result)
    assert (warning.path, warning.sheet) == ("a.xlsx; b.xlsx", None)
    assert (warning.params["responses"], warning.params["of"]) == (1, 20)


def test_a_sheet_named_with_the_separator_is_named_whole(tmp_path):
    # a sheet called `Hồ sơ › Tháng 10`: the warning points at that sheet of that file, not a cut-off name
    file = ratings(2, 2, path="xa-a.xlsx")
    file.sheets[0].report.sheet = "Hồ sơ › Tháng 10"
    [warning] = low_rate_warnings(evaluate(rated_pack(tmp_path), [file], period="2026-10"))
    assert (warning.path, warning.sheet) == ("xa-a.xlsx", "Hồ sơ › Tháng 10")


def test_a_province_rate_with_one_commune_measured_is_that_communes(tmp_path):
    # commune B has no rated dossier (no figure): the province's figure and response rate are commune A's alone
    result = evaluate(rated_pack(tmp_path), [ratings(4, 3, path="a.xlsx"), ratings(0, 0, path="b.xlsx", first=100)],
                      period="2026-10", group_by="file")
    item = rule(result, "satisfied")
    assert (item.numerator, item.denominator) == (3, 4)
    assert item.details["response_rate"] == {"population": "completed", "warn_below": 30, "responses": 4, "of": 10,
                                             "rate": 40.0}


# --- the road to a target (trajectory) ------------------------------------------------------------

from dxcheck.evaluation.trajectory import Goal, compute, goal_of  # noqa: E402
from dxcheck.results import HistoryPoint, RuleResult, TargetOut  # noqa: E402


def history(*pairs: tuple[str, float]) -> list[HistoryPoint]:
    return [HistoryPoint(period=period, start="", value=value) for period, value in pairs]


def test_a_share_to_keep_under_is_projected_downwards():
    # late share 8, 7, 6, 5 % (Jul–Oct): −1 a month. ≤ 2 is reached when the line is at 2: +3 months → 2027-01;
    # < 2 needs the line under 2: +4 → 2027-02
    earlier = history(("2026-07", 8), ("2026-08", 7), ("2026-09", 6))
    at_most = compute(earlier, "2026-10", 5, Goal(op="<=", target=2, deadline=2030))
    assert at_most.trend_per_month == pytest.approx(-1) and at_most.projected_period == "2027-01"
    under = compute(earlier, "2026-10", 5, Goal(op="<", target=2, deadline=2030))
    assert under.projected_period == "2027-02"
    # a value exactly at a `<` limit has not met it; at a `<=` limit it has, this very month
    assert compute([], "2026-10", 2, Goal(op="<", target=2, deadline=2030)).projected_period is None
    assert compute([], "2026-10", 2, Goal(op="<=", target=2, deadline=2030)).projected_period == "2026-10"


def test_a_figure_to_reach_exactly_is_projected_from_either_side():
    # == 51 from below: 40, 42, 44, 46 → +2 a month; the line passes 51 between 50 (Dec) and 52 (2027-01)
    rising = compute(history(("2026-07", 40), ("2026-08", 42), ("2026-09", 44)), "2026-10", 46,
                     Goal(op="==", target=51, deadline=2030))
    assert rising.projected_period == "2027-01" and rising.reason is None
    # == 50 from below lands on it in December
    assert compute(history(("2026-07", 40), ("2026-08", 42), ("2026-09", 44)), "2026-10", 46,
                   Goal(op="==", target=50, deadline=2030)).projected_period == "2026-12"
    # == 5 from above: 10, 9, 8, 7 → −1 a month; at 5 two months on
    falling = compute(history(("2026-07", 10), ("2026-08", 9), ("2026-09", 8)), "2026-10", 7,
                      Goal(op="==", target=5, deadline=2030))
    assert falling.projected_period == "2026-12"
    # == 4.5 from above: 5 in December, 4 in January → 2027-01
    assert compute(history(("2026-07", 10), ("2026-08", 9), ("2026-09", 8)), "2026-10", 7,
                   Goal(op="==", target=4.5, deadline=2030)).projected_period == "2027-01"
    # the value at the figure is met this month
    assert compute([], "2026-10", 50, Goal(op="==", target=50, deadline=2030)).reason == "already_met"


def test_a_line_already_past_the_target_projects_next_month():
    # 90, 99, 100, 96 (Jul–Oct): slope 9.5 ÷ 5 = 1.9, line now 96.25 + 1.5 × 1.9 = 99.1 — above 97 although
    # October's own 96 is under it: the first month after this one, 2026-11 (never one already past)
    found = compute(history(("2026-07", 90), ("2026-08", 99), ("2026-09", 100)), "2026-10", 96,
                    Goal(op=">=", target=97, deadline=2030))
    assert found.trend_per_month == pytest.approx(1.9) and found.fit_value == pytest.approx(99.1)
    assert found.projected_period == "2026-11"


def test_a_flat_line_never_reaches_the_target_even_at_it():
    # 99 every month, but the exact counts say October missed 99 (e.g. 98.9999…): flat never gets there
    found = compute(history(("2026-07", 99.0), ("2026-08", 99.0), ("2026-09", 99.0)), "2026-10", 99.0,
                    Goal(op=">=", target=99, deadline=2030, met_now=False))
    assert found.projected_period is None and found.reason == "not_by_deadline"


def test_a_projection_in_the_deadlines_december_is_in_time():
    # 94 → 96 at +1 a month: 96 in December 2026, the deadline's last month
    earlier = history(("2026-07", 91), ("2026-08", 92), ("2026-09", 93))
    found = compute(earlier, "2026-10", 94, Goal(op=">=", target=96, deadline=2026))
    assert found.projected_period == "2026-12" and found.deadline_period == "2026-12"
    late = compute(earlier, "2026-10", 94, Goal(op=">=", target=96.5, deadline=2026))
    assert late.projected_period is None and late.reason == "not_by_deadline"


def test_a_line_short_of_the_target_by_a_hair_in_the_deadlines_december_is_late():
    # +2 a month, at 95.9999999994 in December 2026 (the deadline): under 96 even to nine decimals
    start = 96 - 4 - 6e-10
    earlier = history(*((f"2026-{month:02d}", start - 2 * (10 - month)) for month in (7, 8, 9)))
    found = compute(earlier, "2026-10", start, Goal(op=">=", target=96, deadline=2026))
    assert found.projected_period is None and found.reason == "not_by_deadline"


def test_a_projection_beside_rounding_noise_is_the_month_the_line_gets_there():
    # +0.1 a month, reaching 94.9999999997 in November: 95 to nine decimals, so November, not December
    start = 95 - 0.1 - 3e-10
    earlier = history(*((f"2026-{month:02d}", start - 0.1 * (10 - month)) for month in (7, 8, 9)))
    found = compute(earlier, "2026-10", start, Goal(op=">=", target=95, deadline=2030))
    assert found.projected_period == "2026-11"


def test_periods_of_different_lengths_are_put_in_time_order():
    # the first quarter, May and July before October: in time order, not in the order of their labels
    earlier = history(("2026-07", 84), ("2026-05", 78), ("2026-Q1", 80))
    found = compute(earlier, "2026-10", 86, Goal(op=">=", target=100, deadline=2026))
    assert [point.period for point in found.points] == ["2026-Q1", "2026-05", "2026-07", "2026-10"]
    # no baseline: the path starts at the earliest period (the first quarter, at 80), not at the lowest
    # label (May) nor at the lowest value (May's 78)
    assert (found.path.origin, found.path.start, found.path.start_value) == ("earliest", "2026-Q1", 80)


def test_this_periods_earlier_run_is_not_a_second_point():
    # history already holds October (an earlier run): October counts once, with this run's value
    found = compute(history(("2026-08", 90), ("2026-09", 91), ("2026-10", 50)), "2026-10", 92,
                    Goal(op=">=", target=100, deadline=2030))
    assert [(point.period, point.value) for point in found.points] == [("2026-08", 90), ("2026-09", 91),
                                                                         ("2026-10", 92)]


def test_a_point_after_the_deadline_has_no_path_to_judge_by():
    # the earliest known point is December 2026, the deadline's last month: no path left to be on
    found = compute(history(("2026-12", 90)), "2027-01", 95, Goal(op=">=", target=100, deadline=2026))
    assert found.path is None and found.on_track is None


def test_on_track_exactly_on_the_path():
    # baseline 70 in January 2026, target 93 in December 2027: +1 a month, 79 in October 2026
    goal = Goal(op=">=", target=93, deadline=2027, baseline=70, plan_start=2026)
    assert compute([], "2026-10", 79, goal).path_value == 79
    assert compute([], "2026-10", 79, goal).on_track is True
    assert compute([], "2026-10", 78.9, goal).on_track is False


def test_on_track_follows_the_operator_not_the_paths_slope():
    # at most 10% late, from a baseline of 5%: the path rises from 5 to 10 over 2026 (January to December,
    # 11 months), to 5 + 5 × 5/11 = 7.27 in June; 6% is under the path, so on track; 8% is not
    under = Goal(op="<=", target=10, deadline=2026, baseline=5, plan_start=2026)
    assert compute([], "2026-06", 6, under).on_track is True and compute([], "2026-06", 8, under).on_track is False
    # at least 90%, from a baseline of 95%: the path falls from 95 to 90, 92.73 in June; 93 is above it, on track
    over = Goal(op=">=", target=90, deadline=2026, baseline=95, plan_start=2026)
    assert compute([], "2026-06", 93, over).on_track is True and compute([], "2026-06", 92, over).on_track is False
    strictly = Goal(op=">", target=90, deadline=2026, baseline=95, plan_start=2026)
    assert compute([], "2026-06", 93, strictly).on_track is True
    under_strictly = Goal(op="<", target=10, deadline=2026, baseline=5, plan_start=2026)
    assert compute([], "2026-06", 6, under_strictly).on_track is True


def test_exactly_the_baseline_to_hold_is_judged_upwards():
    # == 100 with a baseline of 100: the path stays at 100; 99 is under it, not on track; 100 is
    goal = Goal(op="==", target=100, deadline=2030, baseline=100, plan_start=2026)
    assert compute([], "2026-10", 99, goal).on_track is False
    assert compute([], "2026-10", 100, goal).on_track is True
    # == 20 from a baseline of 40: falling to 20 over 2026; 25 is under June's 40 − 20 × 5/11 = 30.9, on track
    falling = Goal(op="==", target=20, deadline=2026, baseline=40, plan_start=2026)
    assert compute([], "2026-06", 25, falling).on_track is True


def test_the_trajectory_carries_the_unit_and_deadline():
    found = compute([], "2026-10", 12, Goal(op="<=", target=5, deadline=2030, unit="ngày"))
    assert (found.unit, found.deadline_period, found.op, found.target) == ("ngày", "2030-12", "<=", 5)


def test_a_trend_rounded_to_nothing_is_zero_not_minus_zero():
    found = compute(history(("2026-08", 90.0), ("2026-09", 90.0 - 1e-8)), "2026-10", 90.0 - 2e-8,
                    Goal(op=">=", target=95, deadline=2030))
    assert found.trend_per_month == 0 and str(found.trend_per_month) == "0.0"


def test_a_thirteenth_month_is_no_period():
    assert compute([], "2026-13", 90, Goal(op=">=", target=95, deadline=2030)) is None
    assert compute([], "2026-12", 90, Goal(op=">=", target=95, deadline=2030)) is not None


def result_for(status: str, value: float | None, op: str = ">=", target: float = 99, final: float | None = None,
               baseline: float | None = None, unit: str = "%") -> RuleResult:
    return RuleResult(id="p/a", pack="p", rule="a", title={"vi": "A", "en": "A"}, status=status, value=value,
                      display_value=None, target=TargetOut(op=op, value=target, unit=unit, final_value=final),
                      deadline=2030, section="1", quote="q",
                      baseline=None if baseline is None else {"value": baseline, "op": op, "period": "2020-2025",
                                                              "section": "1", "quote": "q"})


def test_the_goal_is_the_final_target_and_the_exact_verdict():
    # a milestone (95 this year) on the way to 99: the road leads to 99
    item = result_for("pass", 96.0, target=95, final=99)
    goal = goal_of(item, "2025-2030")
    assert (goal.target, goal.met_now, goal.plan_start, goal.baseline) == (99, None, 2025, None)
    assert compute([], "2026-10", 96.0, goal).reason == "few_points"  # 96 < 99: not met
    # the exact counts decide whether this period met the target, not a rounded float
    just_under = result_for("fail", 98.9999999999)
    assert goal_of(just_under, "2025-2030").met_now is False
    assert compute([], "2026-10", 98.9999999999, goal_of(just_under, "2025-2030")).reason == "few_points"
    assert goal_of(result_for("pass", 99.0), None).met_now is True
    assert goal_of(result_for("no_data", None), None).met_now is None
    # the baseline and the unit come along; a plan period that names no year gives no plan start
    with_baseline = goal_of(result_for("fail", 90.0, baseline=85, unit="ngày"), "giai đoạn 2025-2030")
    assert (with_baseline.baseline, with_baseline.unit, with_baseline.plan_start) == (85.0, "ngày", None)


# --- province roll-ups across communes --------------------------------------------------------------

from dxcheck.api import merge  # noqa: E402

ROLLUP_RULES = """\
  - id: online
    title: {{vi: "Hồ sơ nộp trực tuyến", en: "Dossiers submitted online"}}
    source: {{section: "2", quote: "Tỷ lệ hồ sơ nộp trực tuyến"}}
    target: {{op: "{op}", value: {value}}}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: received
        condition: online
        group_by: linh_vuc
        caveat: {{vi: "Chỉ tính hồ sơ có ngày tiếp nhận", en: "Only dossiers with a reception date"}}
  - id: report
    title: {{vi: "Hồ sơ trực tuyến theo báo cáo", en: "Online dossiers from the report"}}
    source: {{section: "2", quote: "Tỷ lệ hồ sơ nộp trực tuyến"}}
    target: {{op: ">=", value: 50}}
    deadline: 2030
    measurements:
      - kind: sum_ratio
        dataset: thong_ke
        numerator: [truc_tuyen]
        denominator: [tiep_nhan]
        group_by: linh_vuc
  - id: declared
    title: {{vi: "Chỉ số thử", en: "Test index"}}
    source: {{section: "1", quote: "Mức độ hài lòng đạt 90%"}}
    target: {{op: ">=", value: 90}}
    deadline: 2030
    baseline: {{op: ">=", value: 99, period: "2020-2025", section: "1", quote: "Mức độ hài lòng đạt 90%"}}
    measurements:
      - kind: declared
        keys: ["Chỉ số thử"]
      - dataset: ho_so
        population: received
        condition: online
        group_by: linh_vuc
        caveat: {{vi: "Tính trên hồ sơ", en: "Counted on the dossiers"}}
        flags:
          - when: 'hinh_thuc_nop == "truc_tiep"'
            say: {{vi: "nộp trực tiếp", en: "submitted in person"}}
  - id: cut
    title: {{vi: "Cắt giảm thời gian", en: "Time cut"}}
    source: {{section: "1", quote: "Mức độ hài lòng đạt 90%"}}
    target: {{op: ">=", value: 20}}
    deadline: 2030
    measurements:
      - kind: computed
        dataset: ho_so
        function: statutory_time_reduction
        population: completed
        group_by: linh_vuc
      - kind: computed
        dataset: ho_so
        function: working_time_reduction
        population: completed
        group_by: linh_vuc
"""


def rollup_pack(folder: Path, op: str = ">=", value: str = "90") -> Path:
    return pack(folder, ROLLUP_RULES.format(op=op, value=value), name=f"rollup-{abs(hash((op, value)))}")


def commune(path: str, online: dict[str, tuple[int, int]], first: int = 0, month: int = 10) -> object:
    """A commune's dossiers received in `month` of 2026: per field, (online, total)."""
    rows, number = [], first
    for field, (on, total) in online.items():
        for k in range(total):
            rows.append({"ma_ho_so": f"HS-{number:05d}", "linh_vuc": field,
                         "ngay_tiep_nhan": datetime(2026, month, 5, 9), "ngay_hen_tra": None, "ngay_co_ket_qua": None,
                         "trang_thai": "dang_xu_ly", "hinh_thuc_nop": "truc_tuyen" if k < on else "truc_tiep"})
            number += 1
    return loaded(rows, path=path)


def report(path: str, rows: list[tuple[str, float, float]]):
    return loaded([{"linh_vuc": field, "tiep_nhan": total, "truc_tuyen": online, "truc_tiep": 0.0,
                    "da_giai_quyet": 0.0} for field, total, online in rows], dataset="thong_ke", path=path)


def test_a_province_share_sums_the_communes_counts_and_fields(tmp_path):
    # A: Tư pháp 9/10, Đất đai 1/10; B: Tư pháp 8/10 → province 18/30 = 60%, not the mean of 50% and 80%
    a = commune("a.xlsx", {"Tư pháp": (9, 10), "Đất đai": (1, 10)})
    b = commune("b.xlsx", {"Tư pháp": (8, 10)}, first=100)
    result = evaluate(rollup_pack(tmp_path), [a, b], period="2026-10", group_by="file")
    item = rule(result, "online")
    assert (item.numerator, item.denominator, item.value, item.status) == (18, 30, 60.0, "fail")
    assert item.shortfall == 9  # 27 of 30 make 90%
    # the fields across both communes: Tư pháp 17/20 = 85%, Đất đai 1/10 = 10%; worst first
    assert item.breakdown_by == "linh_vuc"
    assert [(g.group, g.numerator, g.denominator, g.value, g.status) for g in item.breakdown] == [
        ("Đất đai", 1, 10, 10.0, "fail"), ("Tư pháp", 17, 20, 85.0, "fail")]
    # one caveat of the way of measuring, said once for the province, not once per commune
    assert [remark.code for remark in item.remarks].count("result.caveat") == 1
    assert "only dossiers with a reception date" in item.message.lower()
    # communes ranked: B (80%) before A (50%)
    assert [(entry.rank, entry.unit, entry.value) for entry in result.ranking["user/online"]] == [
        (1, "b.xlsx", 80.0), (2, "a.xlsx", 50.0)]
    assert [(entry.numerator, entry.denominator) for entry in result.ranking["user/online"]] == [(8, 10), (10, 20)]


def test_a_field_passing_in_the_province_is_a_pass(tmp_path):
    # Tư pháp 10/10 + 9/10 = 95% ≥ 90 passes; Đất đai 0/5 fails — sorted by value, the blank label last
    a = commune("a.xlsx", {"Tư pháp": (10, 10), "Đất đai": (0, 5)})
    b = commune("b.xlsx", {"Tư pháp": (9, 10)}, first=100)
    item = rule(evaluate(rollup_pack(tmp_path), [a, b], period="2026-10", group_by="file"), "online")
    assert [(g.group, g.status) for g in item.breakdown] == [("Đất đai", "fail"), ("Tư pháp", "pass")]
    assert [g.value for g in item.breakdown] == [0.0, 95.0]


def test_equal_values_share_a_rank_and_communes_without_data_come_last(tmp_path):
    # A and C both 5/10 = 50%, B 9/10: B first, A and C share second place, D (no dossier) last, unranked
    files = [commune("c.xlsx", {"Tư pháp": (5, 10)}, first=200), commune("a.xlsx", {"Tư pháp": (5, 10)}),
             commune("b.xlsx", {"Tư pháp": (9, 10)}, first=100),
             commune("d.xlsx", {"Tư pháp": (1, 1)}, first=300, month=8)]
    result = evaluate(rollup_pack(tmp_path), files, period="2026-10", group_by="file")
    ranking = result.ranking["user/online"]
    assert [(entry.rank, entry.unit) for entry in ranking] == [(1, "b.xlsx"), (2, "a.xlsx"), (2, "c.xlsx"),
                                                                (None, "d.xlsx")]
    assert ranking[3].status == "no_data"
    # the province counts the communes with data: 19/30
    assert (rule(result, "online").numerator, rule(result, "online").denominator) == (19, 30)


def test_fewer_is_better_under_an_upper_limit(tmp_path):
    # ≤ 40% online (a share to keep low): A 1/10 ranks before B 3/10 and C 9/10
    files = [commune("c.xlsx", {"Tư pháp": (9, 10)}, first=200), commune("b.xlsx", {"Tư pháp": (3, 10)}, first=100),
             commune("a.xlsx", {"Tư pháp": (1, 10)})]
    ranking = evaluate(rollup_pack(tmp_path, "<=", "40"), files, period="2026-10", group_by="file").ranking["user/online"]
    assert [(entry.rank, entry.unit) for entry in ranking] == [(1, "a.xlsx"), (2, "b.xlsx"), (3, "c.xlsx")]
    # == 40: the nearest first: B (30, 10 away), then A (10, 30 away) and C (90, 50 away)
    ranking = evaluate(rollup_pack(tmp_path, "==", "40"), files, period="2026-10", group_by="file").ranking["user/online"]
    assert [(entry.rank, entry.unit) for entry in ranking] == [(1, "b.xlsx"), (2, "a.xlsx"), (3, "c.xlsx")]


def test_a_province_with_no_commune_measured_says_so(tmp_path):
    files = [commune("a.xlsx", {"Tư pháp": (1, 1)}, month=8), commune("b.xlsx", {"Tư pháp": (1, 1)}, first=9, month=8)]
    item = rule(evaluate(rollup_pack(tmp_path), files, period="2026-10", group_by="file"), "online")
    assert item.status == "no_data" and item.value is None and item.numerator is None
    assert item.message_code == "rollup.no_unit_data"


def test_a_province_sum_ratio_sums_the_report_rows(tmp_path):
    # A: 2.5 of 10 and 1 of 4 (Tư pháp); B: 2.5 of 6 (Đất đai) → (2.5 + 1 + 2.5) ÷ 20 = 30%
    a = report("a.xlsx", [("Tư pháp", 10.0, 2.5), ("Tư pháp", 4.0, 1.0)])
    b = report("b.xlsx", [("Đất đai", 6.0, 2.5)])
    item = rule(evaluate(rollup_pack(tmp_path), [a, b], period="2026-10", group_by="file"), "report")
    assert (item.numerator, item.denominator, item.value) == (6, 20, 30.0)
    assert isinstance(item.numerator, int)  # 6, not 6.0
    assert [(g.group, g.numerator, g.denominator) for g in item.breakdown] == [("Tư pháp", 3.5, 14), ("Đất đai", 2.5, 6)]


def test_a_declared_figure_is_per_commune(tmp_path):
    # each commune declares its own index: a province figure would be a mean of unknown weights
    def declared(path: str, value: float):
        return loaded([{"chi_tieu": "Chỉ số thử", "gia_tri": value, "ky": None}], dataset="chi_tieu", path=path)

    result = evaluate(rollup_pack(tmp_path), [declared("a.xlsx", 95.0), declared("b.xlsx", 80.0)], period="2026-10",
                      group_by="file")
    item = rule(result, "declared")
    assert item.value is None and item.details == {"rollup": "per_unit"}
    assert item.message_code == "rollup.declared_per_unit"
    assert [(entry.unit, entry.value) for entry in result.ranking["user/declared"]] == [("a.xlsx", 95.0),
                                                                                        ("b.xlsx", 80.0)]


def completed_with_times(path: str, days: list[tuple[int, int | None]], first: int = 0):
    """Dossiers received Monday 5 October 2026, completed `used` working days later, with a statutory time
    (None: no statutory column) and an appointment 10 working days on."""
    rows = []
    for k, (used, statutory) in enumerate(days):
        row = {"ma_ho_so": f"HS-{first + k:05d}", "linh_vuc": "Tư pháp", "ngay_tiep_nhan": datetime(2026, 10, 5, 8),
               "ngay_hen_tra": datetime(2026, 10, 19, 17), "ngay_co_ket_qua": datetime(2026, 10, 5 + used, 16),
               "trang_thai": "da_tra_ket_qua", "hinh_thuc_nop": "truc_tiep"}
        if statutory is not None:
            row["thoi_han_quy_dinh"] = float(statutory)
        rows.append(row)
    return loaded(rows, path=path)


def test_a_province_time_cut_sums_the_days(tmp_path):
    # A: one dossier, 2 working days of 10 statutory (Mon 5 → Wed 7 Oct): 80%; B: two dossiers of 4 of 10
    # (→ Fri 9 Oct): 60%. Province 100 × (1 − (2 + 8) ÷ (10 + 20)) = 66.67%, not the mean of 80% and 60%
    a = completed_with_times("a.xlsx", [(2, 10)])
    b = completed_with_times("b.xlsx", [(4, 10), (4, 10)], first=100)
    result = evaluate(rollup_pack(tmp_path), [a, b], period="2026-10", group_by="file")
    item = rule(result, "cut")
    assert (item.details["used"], item.details["base"], item.details["method"]) == (10, 30, "statutory")
    assert item.value == pytest.approx(200 / 3)
    # against the appointment date in one commune and the statutory time in the other: no province figure
    c = completed_with_times("c.xlsx", [(4, None)], first=200)
    mixed = rule(evaluate(rollup_pack(tmp_path), [a, c], period="2026-10", group_by="file"), "cut")
    assert mixed.value is None and mixed.details == {"rollup": "per_unit", "methods": ["appointment_date", "statutory"]}
    assert mixed.message_code == "rollup.methods_differ"


def test_the_provinces_records_and_samples_are_every_communes(tmp_path):
    # A: 1 of 3 online (2 failing), B: 2 of 4 (2 failing): 4 failing records, samples capped at 3
    a = commune("a.xlsx", {"Tư pháp": (1, 3)})
    b = commune("b.xlsx", {"Tư pháp": (2, 4)}, first=100)
    item = rule(evaluate(rollup_pack(tmp_path), [a, b], period="2026-10", group_by="file", samples=3,
                         keep_failing=True), "online")
    assert item.samples_total == 4 and len(item.samples) == 3
    assert [sample.path for sample in item.samples] == ["a.xlsx", "a.xlsx", "b.xlsx"]
    assert item.failing is not None and len(item.failing.frame) == 4


def test_merging_two_months_spans_both(tmp_path):
    # September's and October's results merged: the period is both months, labelled by its days
    rules = rollup_pack(tmp_path)
    september = evaluate(rules, [commune("a.xlsx", {"Tư pháp": (9, 10)}, month=9)], period="2026-09")
    october = evaluate(rules, [commune("b.xlsx", {"Tư pháp": (5, 10)}, first=100)], period="2026-10")
    merged = merge(september, october)
    assert (merged.period.label, merged.period.inferred) == ("2026-09-01..2026-10-31", True)
    assert merged.period.start.startswith("2026-09-01") and merged.period.end.startswith("2026-10-31")
    assert [unit.name for unit in merged.units] == ["a.xlsx", "b.xlsx"]
    item = rule(merged, "online")
    assert (item.numerator, item.denominator) == (14, 20)
    # the same month twice is that month
    again = merge(october, october)
    assert again.period == october.period
    # communes named alike are told apart by their file's name
    assert [unit.name for unit in again.units] == ["b.xlsx (b.xlsx)", "b.xlsx (b.xlsx)"]


# --- measurements: declared values, shares, sums ------------------------------------------------------


def declared_rows(*rows: tuple[str, float, str | None], path: str = "chi-tieu.xlsx"):
    return loaded([{"chi_tieu": name, "gia_tri": value, "ky": period} for name, value, period in rows],
                  dataset="chi_tieu", path=path)


@pytest.mark.parametrize("period,spelling", [
    ("2026-10", "10/2026"), ("2026-10", "Tháng 10/2026"), ("2026-10", "tháng 10 năm 2026"), ("2026-10", "2026-10"),
    ("2026-03", "3/2026"), ("2026-03", "Tháng 3/2026"), ("2026-03", "Tháng 03/2026"),
    ("2026-03", "tháng 3 năm 2026"), ("2026-Q4", "Quý 4/2026"), ("2026-Q4", "Q4/2026"), ("2026-Q4", "2026-Q4"),
    ("2026-Q4", "Quý 4 năm 2026"), ("2026-Q4", "quy 4/2026"), ("2026", "2026"), ("2026", "Năm 2026")])
def test_a_declared_value_is_found_by_the_periods_spellings(tmp_path, period, spelling):
    # the value declared for the evaluated period (92), not the other period's (50) nor an undated one (10)
    rows = declared_rows(("Chỉ số thử", 50.0, "1/2025"), ("Chỉ số thử", 92.0, spelling), ("Chỉ số thử", 10.0, None))
    item = rule(evaluate(rollup_pack(tmp_path), [rows], period=period), "declared")
    assert (item.value, item.status) == (92.0, "pass")
    assert item.details["declared_row"] == 9 and item.details["declared_in"] == "chi-tieu.xlsx › Sheet1"


def test_a_declared_value_matches_by_id_title_or_key(tmp_path):
    for name in ("declared", "DECLARED", "Chỉ số thử", "chỉ số thử", "Test index"):
        item = rule(evaluate(rollup_pack(tmp_path), [declared_rows((name, 91.0, "10/2026"))], period="2026-10"),
                    "declared")
        assert item.value == 91.0, name


def test_without_the_periods_row_the_undated_one_counts_and_the_last_of_several(tmp_path):
    # no row for October: the undated rows stand, the last one of them (a correction below the first)
    rows = declared_rows(("Chỉ số thử", 50.0, "9/2026"), ("Chỉ số thử", 80.0, None), ("Chỉ số thử", 95.0, None))
    item = rule(evaluate(rollup_pack(tmp_path), [rows], period="2026-10"), "declared")
    assert (item.value, item.details["declared_row"], item.details["declared_rows"]) == (95.0, 10, [9, 10])
    # only another period's row: no value, and the message says which row to add
    other = rule(evaluate(rollup_pack(tmp_path), [declared_rows(("Chỉ số thử", 50.0, "9/2026"))], period="2026-10"),
                 "declared")
    assert other.status == "no_data" and other.value is None
    assert other.message_params == {"id": "declared", "example": "Chỉ số thử"}
    # one row only: no list of rows
    one = rule(evaluate(rollup_pack(tmp_path), [declared_rows(("Chỉ số thử", 93.0, "10/2026"))], period="2026-10"),
               "declared")
    assert "declared_rows" not in one.details


def test_without_a_period_every_declared_row_counts(tmp_path):
    # no --period: the period is inferred, and a row's `ky` does not decide
    rows = declared_rows(("Chỉ số thử", 70.0, "9/2026"), ("Chỉ số thử", 96.0, "10/2026"))
    item = rule(evaluate(rollup_pack(tmp_path), [rows]), "declared")
    assert item.value == 96.0 and item.details["declared_rows"] == [8, 9]


FLAGGED_RULE = """\
  - id: flagged
    title: {vi: "Hồ sơ nộp trực tuyến", en: "Dossiers submitted online"}
    source: {section: "2", quote: "Tỷ lệ hồ sơ nộp trực tuyến"}
    target: {op: ">=", value: 50}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: received
        condition: online
        group_by: linh_vuc
        flags:
          - when: 'linh_vuc is blank'
            say: {vi: "không ghi lĩnh vực", en: "no field given"}
          - when: 'trang_thai == "da_huy"'
            say: {vi: "đã hủy", en: "cancelled"}
"""


def test_a_share_breaks_down_by_field_with_a_blank_group_and_names_flagged_rows(tmp_path):
    # Tư pháp 3/4, no field 1/2: 4 of 6 = 66.67%; the two rows without a field are named (rows 12 and 13)
    rows = [{"ma_ho_so": f"HS-{k}", "linh_vuc": field, "ngay_tiep_nhan": OCTOBER_DAY, "trang_thai": "dang_xu_ly",
             "hinh_thuc_nop": "truc_tuyen" if online else "truc_tiep"}
            for k, (field, online) in enumerate([("Tư pháp", True), ("Tư pháp", True), ("Tư pháp", True),
                                                 ("Tư pháp", False), (None, True), (None, False)])]
    result = evaluate(pack(tmp_path, FLAGGED_RULE), [loaded(rows)], period="2026-10")
    item = rule(result, "flagged")
    assert (item.numerator, item.denominator) == (4, 6)
    assert [(g.group, g.numerator, g.denominator) for g in item.breakdown] == [("(blank)", 1, 2), ("Tư pháp", 3, 4)]
    flagged = [warning for warning in result.warnings if warning.code == "result.flagged_rows"]
    assert [warning.rows for warning in flagged] == [[12, 13]]  # no cancelled dossier: that flag names none
    assert "no field given" in flagged[0].message


def test_a_share_breaks_down_by_month_of_a_date(tmp_path):
    # by reception month over a quarter: September 1/2, October 2/2
    rows = [{"ma_ho_so": f"HS-{k}", "linh_vuc": "Tư pháp", "ngay_tiep_nhan": day, "trang_thai": "dang_xu_ly",
             "hinh_thuc_nop": "truc_tuyen" if online else "truc_tiep"}
            for k, (day, online) in enumerate([(datetime(2026, 9, 3), True), (datetime(2026, 9, 4), False),
                                               (datetime(2026, 10, 3), True), (datetime(2026, 10, 4), True)])]
    item = rule(evaluate(pack(tmp_path, FLAGGED_RULE), [loaded(rows)], period="2026-Q3", by="ngay_tiep_nhan"), "flagged")
    assert (item.numerator, item.denominator) == (1, 2)  # only September is in the third quarter
    assert [(g.group, g.numerator, g.denominator) for g in item.breakdown] == [("2026-09", 1, 2)]
    item = rule(evaluate(pack(tmp_path, FLAGGED_RULE), [loaded(rows)], date_from="2026-09-01", date_to="2026-10-31",
                         by="ngay_tiep_nhan"), "flagged")
    assert [(g.group, g.numerator, g.denominator) for g in item.breakdown] == [("2026-09", 1, 2), ("2026-10", 2, 2)]


def test_a_sum_ratio_names_the_rows_short_of_their_own_total(tmp_path):
    # rows: 10 of 10, 3 of 4 (short), 0 of 0 (nothing to reach), 2.5 of 5 (short): (10 + 3 + 2.5) ÷ 19
    rows = report("bao-cao.xlsx", [("Tư pháp", 10.0, 10.0), ("Tư pháp", 4.0, 3.0), ("Đất đai", 0.0, 0.0),
                                   ("Hộ tịch", 5.0, 2.5)])
    item = rule(evaluate(rollup_pack(tmp_path), [rows], period="2026-10", samples=5), "report")
    assert (item.numerator, item.denominator) == (15.5, 19) and item.value == pytest.approx(100 * 15.5 / 19)
    assert item.samples_total == 2 and [sample.row for sample in item.samples] == [9, 11]
    # the field with nothing received has no value, and no verdict
    assert [(g.group, g.numerator, g.denominator, g.value, g.status) for g in item.breakdown] == [
        ("Hộ tịch", 2.5, 5, 50.0, "pass"), ("Tư pháp", 13, 14, pytest.approx(100 * 13 / 14), "pass"),
        ("Đất đai", 0, 0, None, "no_data")]


def assert_no_province_figure(item) -> None:
    """A roll-up that has no meaning across communes shows no figure and none of one commune's parts."""
    assert (item.status, item.value, item.display_value, item.numerator, item.denominator, item.shortfall) == (
        "no_data", None, None, None, None, None)
    assert (item.samples, item.samples_total, item.breakdown, item.breakdown_by) == ([], 0, [], None)
    assert (item.message_params, item.regression, item.remarks, item.rule_warnings) == ({}, False, [], [])


def test_a_figure_declared_by_one_commune_and_counted_by_another_is_per_commune(tmp_path):
    # B counts its dossiers (2 of 4 online: fails, below its baseline, with samples, fields and named rows);
    # A declares 95: the two are not the same kind of figure, so the province shows none of B's parts
    b = commune("b.xlsx", {"Tư pháp": (2, 4)}, first=100)
    a = declared_rows(("Chỉ số thử", 95.0, "10/2026"), path="a.xlsx")
    result = evaluate(rollup_pack(tmp_path), [b, a], period="2026-10", group_by="file")
    counted = next(item for item in result.units[0].results if item.rule == "declared")
    assert counted.regression and counted.samples and counted.breakdown and counted.rule_warnings and counted.remarks
    item = rule(result, "declared")
    assert item.details == {"rollup": "per_unit"} and item.message_code == "rollup.declared_per_unit"
    assert_no_province_figure(item)
    assert item.measurement.sources == ["b.xlsx › Sheet1", "a.xlsx › Sheet1"]


def test_time_cuts_measured_two_ways_have_no_province_figure(tmp_path):
    # C (first) against its appointment dates, an approximation said in a remark; A against statutory times
    c = completed_with_times("c.xlsx", [(4, None), (12, None)], first=200)
    a = completed_with_times("a.xlsx", [(2, 10)])
    result = evaluate(rollup_pack(tmp_path), [c, a], period="2026-10", group_by="file")
    first = next(item for item in result.units[0].results if item.rule == "cut")
    assert first.samples and first.breakdown
    item = rule(result, "cut")
    assert item.details == {"rollup": "per_unit", "methods": ["appointment_date", "statutory"]}
    assert_no_province_figure(item)
    # measured the same way, the province has its figure but no breakdown by field (days are not counts)
    same = rule(evaluate(rollup_pack(tmp_path), [a, completed_with_times("b.xlsx", [(4, 10)], first=9)],
                         period="2026-10", group_by="file"), "cut")
    assert same.value == pytest.approx(70.0) and same.breakdown_by is None and same.breakdown == []


def test_a_province_with_no_commune_measured_keeps_nothing_of_theirs(tmp_path):
    # both communes: completed dossiers, none rated — each has its (empty) rate in its details, the province none
    result = evaluate(rated_pack(tmp_path), [ratings(0, 0, path="a.xlsx"), ratings(0, 0, path="b.xlsx", first=50)],
                      period="2026-10", group_by="file")
    assert result.units[0].results[0].details
    item = rule(result, "satisfied")
    assert item.details == {} and item.message_code == "rollup.no_unit_data" and item.message_params == {}


def test_ties_at_the_top_share_first_place(tmp_path):
    # A and B both 9/10, C 5/10: 1, 1, 3 — and the caveat of the three communes is said once
    files = [commune("a.xlsx", {"Tư pháp": (9, 10)}), commune("b.xlsx", {"Tư pháp": (9, 10)}, first=100),
             commune("c.xlsx", {"Tư pháp": (5, 10)}, first=200)]
    result = evaluate(rollup_pack(tmp_path), files, period="2026-10", group_by="file")
    ranking = result.ranking["user/online"]
    assert [(entry.rank, entry.unit, entry.display_value) for entry in ranking] == [
        (1, "a.xlsx", "90.00"), (1, "b.xlsx", "90.00"), (3, "c.xlsx", "50.00")]
    assert [remark.code for remark in rule(result, "online").remarks].count("result.caveat") == 1
    # every commune alike: all first
    same = [commune("a.xlsx", {"Tư pháp": (9, 10)}), commune("b.xlsx", {"Tư pháp": (9, 10)}, first=100)]
    ranking = evaluate(rollup_pack(tmp_path), same, period="2026-10", group_by="file").ranking["user/online"]
    assert [entry.rank for entry in ranking] == [1, 1]
    # under an upper limit too, ties share a rank: A and B 1/10 first, C 3/10 third
    low = [commune("a.xlsx", {"Tư pháp": (1, 10)}), commune("b.xlsx", {"Tư pháp": (1, 10)}, first=100),
           commune("c.xlsx", {"Tư pháp": (3, 10)}, first=200)]
    for op in ("<=", "<"):
        ranking = evaluate(rollup_pack(tmp_path, op, "40"), low, period="2026-10", group_by="file").ranking["user/online"]
        assert [(entry.rank, entry.unit) for entry in ranking] == [(1, "a.xlsx"), (1, "b.xlsx"), (3, "c.xlsx")], op


def test_above_the_target_more_is_still_better(tmp_path):
    # ≥ 90: 100% ranks before 95% before 80%, however near 90 each is
    files = [commune("a.xlsx", {"Tư pháp": (19, 20)}), commune("b.xlsx", {"Tư pháp": (8, 10)}, first=100),
             commune("c.xlsx", {"Tư pháp": (10, 10)}, first=200)]
    ranking = evaluate(rollup_pack(tmp_path), files, period="2026-10", group_by="file").ranking["user/online"]
    assert [entry.unit for entry in ranking] == ["c.xlsx", "a.xlsx", "b.xlsx"]


def test_a_province_sum_ratio_keeps_empty_and_zero_fields_in_order(tmp_path):
    # A: Hộ tịch 0 of 0 (no value), Đất đai 0 of 10 (0%), Tư pháp 1 of 200 (0.5%); B: Tư pháp 199 of 200
    a = report("a.xlsx", [("Hộ tịch", 0.0, 0.0), ("Đất đai", 10.0, 0.0), ("Tư pháp", 200.0, 1.0)])
    b = report("b.xlsx", [("Tư pháp", 200.0, 199.0)])
    item = rule(evaluate(rollup_pack(tmp_path), [a, b], period="2026-10", group_by="file"), "report")
    assert (item.numerator, item.denominator) == (200, 410)
    assert [(g.group, g.value, g.status) for g in item.breakdown] == [
        ("Đất đai", 0.0, "fail"), ("Tư pháp", 50.0, "pass"), ("Hộ tịch", None, "no_data")]
    # with C's Hộ tịch 1 of 1 instead of B: 0% (Đất đai) sorts before 0.5% (Tư pháp), then 100%
    other = rule(evaluate(rollup_pack(tmp_path), [a, report("c.xlsx", [("Hộ tịch", 1.0, 1.0)])],
                          period="2026-10", group_by="file"), "report")
    assert [(g.group, g.value) for g in other.breakdown] == [("Đất đai", 0.0), ("Tư pháp", 0.5), ("Hộ tịch", 100.0)]


def test_merging_keeps_each_part_whole(tmp_path):
    import dxcheck

    rules = rollup_pack(tmp_path)
    october = dxcheck.evaluate([commune("xa-b/ho-so.xlsx", {"Tư pháp": (5, 10)}, first=100),
                                report("xa-b/bao-cao.xlsx", [("Tư pháp", 10.0, 5.0)])], rules=[str(rules)],
                               period="2026-10", lang="en", strict=True, group_by="combine")
    # one result alone merged is itself: its period, its commune (named by the folder of its files), its figures
    alone = merge(october)
    assert alone.period == october.period and [unit.name for unit in alone.units] == ["xa-b"]
    assert (rule(alone, "online").numerator, rule(alone, "online").denominator) == (5, 10)
    assert (alone.generated_at, alone.language, alone.strict) == (october.generated_at, "en", True)
    assert alone.generated_at is not None and [pack.id for pack in alone.packs] == ["user"]
    # files of no common folder name their commune by both names, an absolute path and a relative one too
    mixed = evaluate(rules, [commune("/data/xa-a/ho-so.xlsx", {"Tư pháp": (1, 2)}),
                             report("bao-cao.xlsx", [("Tư pháp", 2.0, 1.0)])], period="2026-10", group_by="combine")
    assert [unit.name for unit in merge(mixed).units] == ["/data/xa-a/ho-so.xlsx, bao-cao.xlsx"]
    loose = evaluate(rules, [commune("a.xlsx", {"Tư pháp": (1, 2)}), report("b.xlsx", [("Tư pháp", 2.0, 1.0)])],
                     period="2026-10", group_by="combine")
    assert [unit.name for unit in merge(loose).units] == ["a.xlsx, b.xlsx"]
    # a province result (units already) merged with one more commune: every unit kept, with its own period
    province = evaluate(rules, [commune("a.xlsx", {"Tư pháp": (9, 10)}), commune("c.xlsx", {"Tư pháp": (1, 10)}, first=300)],
                        period="2026-10", group_by="file")
    merged = merge(province, october)
    assert [unit.name for unit in merged.units] == ["a.xlsx", "c.xlsx", "xa-b"]
    assert all(unit.period == october.period for unit in merged.units)
    assert (rule(merged, "online").numerator, rule(merged, "online").denominator) == (15, 30)
    # merging is associative, names told apart included
    twice = merge(merge(october, october), province)
    assert [unit.name for unit in twice.units] == [unit.name for unit in merge(october, october, province).units]


def test_a_rule_one_commune_was_not_evaluated_on_ranks_the_others(tmp_path):
    # the first commune was evaluated with another pack: the ranking of `online` lists the second alone
    other = evaluate(rated_pack(tmp_path), [ratings(4, 3, path="a.xlsx")], period="2026-10")
    this = evaluate(rollup_pack(tmp_path), [commune("b.xlsx", {"Tư pháp": (9, 10)}, first=100)], period="2026-10")
    merged = merge(other, this)
    assert [entry.unit for entry in merged.ranking["user/online"]] == ["b.xlsx"]
    assert [entry.unit for entry in merged.ranking["user/satisfied"]] == ["a.xlsx"]


def test_a_passing_province_does_not_repeat_a_communes_shortfall(tmp_path):
    # A 8/10 fails (1 more needed), B 20/20: the province's 28/30 = 93.3% passes, and says nothing is missing
    files = [commune("a.xlsx", {"Tư pháp": (8, 10)}), commune("b.xlsx", {"Tư pháp": (20, 20)}, first=100)]
    result = evaluate(rollup_pack(tmp_path), files, period="2026-10", group_by="file")
    assert "needed" in next(item for item in result.units[0].results if item.rule == "online").message
    item = rule(result, "online")
    assert item.status == "pass" and item.message_code is None and "needed" not in item.message


def test_a_commune_without_the_field_column_is_its_own_group_in_the_province(tmp_path):
    """B's export has no `Lĩnh vực` column: its 7 of 10 online dossiers are in the province's
    17 of 30, so the breakdown shows them as a group saying the column is missing, and the groups
    add up to the figure."""
    a = commune("a.xlsx", {"Tư pháp": (9, 10), "Đất đai": (1, 10)})
    rows = [{"ma_ho_so": f"HS-{100 + k:05d}", "ngay_tiep_nhan": datetime(2026, 10, 5, 9), "ngay_hen_tra": None,
             "ngay_co_ket_qua": None, "trang_thai": "dang_xu_ly", "hinh_thuc_nop": "truc_tuyen" if k < 7 else "truc_tiep"}
            for k in range(10)]
    b = loaded(rows, path="b.xlsx")
    item = rule(evaluate(rollup_pack(tmp_path), [a, b], period="2026-10", group_by="file"), "online")
    assert (item.numerator, item.denominator) == (17, 30)
    assert [(g.group, g.numerator, g.denominator, g.value) for g in item.breakdown] == [
        ("Đất đai", 1, 10, 10.0), ("(column not in the file)", 7, 10, 70.0), ("Tư pháp", 9, 10, 90.0)]
    # two such communes, one before the others: theirs add up in the one group
    c = loaded([{**row, "ma_ho_so": f"HS-{200 + k:05d}", "hinh_thuc_nop": "truc_tuyen"} for k, row in enumerate(rows[:4])],
               path="c.xlsx")
    item = rule(evaluate(rollup_pack(tmp_path), [b, a, c], period="2026-10", group_by="file"), "online")
    assert (item.numerator, item.denominator) == (21, 34)
    assert [(g.group, g.numerator, g.denominator) for g in item.breakdown] == [
        ("Đất đai", 1, 10), ("(column not in the file)", 11, 14), ("Tư pháp", 9, 10)]
