"""Targets as a plan writes them: every operator at, just below and just above its limit, with
fractional limits compared exactly; empty populations shown as no data; breakdowns and rankings
that keep their 0% and 100% groups; sum-ratio measurements restricted to a population."""

from __future__ import annotations

from datetime import datetime

import pytest

from dxcheck.render import markdown
from user_kit import dossier, evaluate, loaded, rule, write_pack

OCTOBER = datetime(2026, 10, 10, 9)


def share_file(online: int, total: int, path: str = "data.xlsx", field: str = "Tư pháp"):
    return loaded([dossier(k, OCTOBER, online=k < online, field=field) for k in range(total)], path=path)


def report_file(rows: list[tuple[str, float, float]], path: str = "report.xlsx"):
    """A statistics report: (field, received, of which online) per row."""
    return loaded([{"linh_vuc": field, "tiep_nhan": float(total), "truc_tuyen": float(online), "truc_tiep": 0.0,
                    "da_giai_quyet": 0.0} for field, total, online in rows], dataset="thong_ke", path=path)


# (op, limit, online of 10,000 dossiers, status): at, just below and just above each limit;
# fractional limits are meant in decimal (97.29 is 9,729 of 10,000, exactly)
CASES = [
    (">=", "97.29", 9729, "pass"), (">=", "97.29", 9728, "fail"), (">=", "97.29", 9730, "pass"),
    (">", "97.29", 9729, "fail"), (">", "97.29", 9730, "pass"), (">", "97.29", 9728, "fail"),
    ("<=", "2.71", 271, "pass"), ("<=", "2.71", 272, "fail"), ("<=", "2.71", 270, "pass"),
    ("<", "2.71", 271, "fail"), ("<", "2.71", 270, "pass"), ("<", "2.71", 272, "fail"),
    ("==", "12.34", 1234, "pass"), ("==", "12.34", 1233, "fail"), ("==", "12.34", 1235, "fail"),
    (">=", "0.1", 10, "pass"), (">=", "0.1", 9, "fail"),  # 0.1 has no exact binary float either
    (">=", "100", 10000, "pass"), (">=", "100", 9999, "fail"),
    ("<=", "0", 0, "pass"), ("<=", "0", 1, "fail"),
]


@pytest.mark.parametrize("op,limit,online,status", CASES)
def test_each_operator_at_and_beside_its_limit(tmp_path, op, limit, online, status):
    pack = write_pack(tmp_path, op, limit)
    result = evaluate(pack, [share_file(online, 10000), report_file([("Tư pháp", 10000, online)])], period="2026-10",
                      group_by="combine")
    for rule_id in ("online", "online-report"):
        item = rule(result, rule_id)
        assert (item.numerator, item.denominator) == (online, 10000)
        assert item.status == status, (rule_id, item.display_value)
        # the figure shown never contradicts the status (9,999 of 10,000 is not "100.00")
        shown = float(item.display_value)
        assert status == "pass" or shown != float(limit) or op in ("==", ">", "<")


@pytest.mark.parametrize("op,limit,online,needed", [
    (">=", "97.29", 9728, 1), (">=", "97.29", 9700, 29), (">", "97.29", 9729, 1), (">=", "97.29", 9729, 0)])
def test_shortfall_counts_the_dossiers_missing(tmp_path, op, limit, online, needed):
    result = evaluate(write_pack(tmp_path, op, limit), [share_file(online, 10000)], period="2026-10")
    assert rule(result, "online").shortfall == needed


def test_an_empty_population_is_no_data_not_a_failing_zero(tmp_path):
    september = [dossier(k, datetime(2026, 9, 10)) for k in range(5)]
    result = evaluate(write_pack(tmp_path), [loaded(september), report_file([("Tư pháp", 0, 0)])], period="2026-10",
                      group_by="combine")
    for rule_id in ("online", "online-report"):
        item = rule(result, rule_id)
        assert item.status == "no_data"
        assert item.value is None and item.display_value is None
        assert item.breakdown == []
    assert (result.summary.fail, result.summary.no_data) == (0, 2)
    # and as the user reads it: no percentage anywhere in the report
    assert "0.00" not in markdown.render(result, lang="en")
    assert "0,00" not in markdown.render(result, lang="vi")


def test_an_empty_commune_ranks_as_no_data_after_the_others(tmp_path):
    pack = write_pack(tmp_path)
    empty = loaded([dossier(k, datetime(2026, 9, 10)) for k in range(3)], path="c-empty.xlsx")
    result = evaluate(pack, [share_file(0, 4, "a-zero.xlsx"), share_file(4, 4, "b-full.xlsx"), empty],
                      period="2026-10", group_by="file")
    ranking = result.ranking[rule(result, "online").id]
    assert [(entry.unit, entry.rank, entry.status) for entry in ranking] == [
        ("b-full.xlsx", 1, "pass"), ("a-zero.xlsx", 2, "fail"), ("c-empty.xlsx", None, "no_data")]
    assert ranking[1].value == 0 and ranking[1].display_value == "0.00"
    rolled = rule(result, "online")
    assert (rolled.numerator, rolled.denominator) == (4, 8)


def test_breakdown_keeps_zero_and_full_groups_worst_first(tmp_path):
    records = ([dossier(k, OCTOBER, online=False, field="Đất đai") for k in range(3)]
               + [dossier(10 + k, OCTOBER, online=True, field="Tư pháp") for k in range(2)]
               + [dossier(20 + k, OCTOBER, online=k == 0, field="Xây dựng") for k in range(2)])
    report = report_file([("Đất đai", 3, 0), ("Tư pháp", 2, 2), ("Xây dựng", 2, 1)])
    result = evaluate(write_pack(tmp_path), [loaded(records), report], period="2026-10", group_by="combine")
    for rule_id in ("online", "online-report"):
        item = rule(result, rule_id)
        rows = [(group.group, group.numerator, group.denominator, group.value, group.status) for group in item.breakdown]
        assert rows == [("Đất đai", 0, 3, 0.0, "fail"), ("Xây dựng", 1, 2, 50.0, "fail"),
                        ("Tư pháp", 2, 2, 100.0, "pass")], rule_id


def test_breakdown_by_a_field_given_on_the_command_line(tmp_path):
    records = [dossier(k, OCTOBER, online=k % 2 == 0, field="Tư pháp") for k in range(4)]
    for k in range(3):
        records[k]["trang_thai"] = "dang_xu_ly"
    records.append(dossier(9, OCTOBER, online=False, field="Đất đai"))
    result = evaluate(write_pack(tmp_path), [loaded(records)], period="2026-10", by="hinh_thuc_nop")
    item = rule(result, "online")
    assert item.breakdown_by == "hinh_thuc_nop"
    assert [(group.group, group.value) for group in item.breakdown] == [("truc_tiep", 0.0), ("truc_tuyen", 100.0)]


def test_upper_bound_targets_rank_the_lowest_share_first(tmp_path):
    """`<= 5`: fewer is better, so the commune with the lowest share ranks first."""
    pack = write_pack(tmp_path, "<=", "5")
    result = evaluate(pack, [share_file(1, 100, "a-one.xlsx"), share_file(0, 100, "b-none.xlsx"),
                             share_file(30, 100, "c-many.xlsx")], period="2026-10", group_by="file")
    ranking = result.ranking[rule(result, "online").id]
    assert [(entry.unit, entry.rank, entry.status) for entry in ranking] == [
        ("b-none.xlsx", 1, "pass"), ("a-one.xlsx", 2, "pass"), ("c-many.xlsx", 3, "fail")]


def test_sum_ratio_counts_only_its_population(tmp_path):
    pack = write_pack(tmp_path, ">=", "90", population='linh_vuc != "Đất đai"')
    report = report_file([("Tư pháp", 10, 9), ("Đất đai", 50, 0), ("Xây dựng", 30, 27.5), (None, 10, 10)])
    result = evaluate(pack, [report], period="2026-10")
    item = rule(result, "online-report")
    assert (item.numerator, item.denominator) == (46.5, 50)
    assert item.value == pytest.approx(93.0) and item.status == "pass"
    groups = {group.group: (group.numerator, group.denominator) for group in item.breakdown}
    assert "Đất đai" not in groups
    assert groups["Tư pháp"] == (9, 10) and groups["Xây dựng"] == (27.5, 30)


def test_an_exact_target_ranks_the_nearest_first(tmp_path):
    pack = write_pack(tmp_path, "==", "50")
    result = evaluate(pack, [share_file(40, 100, "a-forty.xlsx"), share_file(55, 100, "b-fifty-five.xlsx"),
                             share_file(50, 100, "c-fifty.xlsx"), share_file(60, 100, "d-sixty.xlsx")],
                      period="2026-10", group_by="file")
    ranking = result.ranking[rule(result, "online").id]
    # 40% and 60% are as far from 50% as each other: they share a rank
    assert [(entry.unit, entry.rank) for entry in ranking] == [
        ("c-fifty.xlsx", 1), ("b-fifty-five.xlsx", 2), ("a-forty.xlsx", 3), ("d-sixty.xlsx", 3)]
