"""Properties a user relies on without checking: a period holds exactly the records dated in it;
a quarter is its three months put together; the order of rows and the split of a sheet across
files change no result."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxcheck.api import merge
from user_kit import dossier, evaluate, loaded, rule, write_pack

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)
FIELDS = ["Tư pháp", "Đất đai", "Xây dựng"]
FIRST_DAY = datetime(2025, 12, 1)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    return write_pack(tmp_path_factory.mktemp("pack"))


# a moment between 1 Dec 2025 and 31 Jan 2027, often the first or last instant of a day
moments = st.builds(
    lambda day, part: FIRST_DAY + timedelta(days=day) + part,
    st.integers(0, 426),
    st.one_of(st.just(timedelta(0)), st.just(timedelta(hours=23, minutes=59)),
              st.just(timedelta(days=1, microseconds=-1)), st.timedeltas(timedelta(0), timedelta(days=1, microseconds=-1))))
records = st.lists(st.tuples(moments, st.booleans(), st.sampled_from(FIELDS)), min_size=1, max_size=40)


def as_dossiers(items) -> list[dict]:
    return [dossier(k, moment, online=online, field=field) for k, (moment, online, field) in enumerate(items)]


def bounds(period: str) -> tuple[date, date]:
    """First and last day of a period, from the calendar (not from dxcheck)."""
    if "-Q" in period:
        year, quarter = int(period[:4]), int(period[-1])
        first_month, last_month = 3 * quarter - 2, 3 * quarter
        return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
    if "-" in period:
        year, month = int(period[:4]), int(period[5:])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(int(period), 1, 1), date(int(period), 12, 31)


periods = st.one_of(st.builds(lambda m: f"2026-{m:02d}", st.integers(1, 12)),
                    st.builds(lambda q: f"2026-Q{q}", st.integers(1, 4)), st.just("2026"))


@SETTINGS
@given(items=records, period=periods)
def test_a_period_holds_exactly_the_records_dated_in_it(pack, items, period):
    first, last = bounds(period)
    inside = [(moment, online) for moment, online, _ in items if first <= moment.date() <= last]
    result = evaluate(pack, [loaded(as_dossiers(items))], period=period)
    online = rule(result, "online")
    if not inside:
        assert online.status == "no_data" and online.denominator in (None, 0)
        return
    assert (online.numerator, online.denominator) == (sum(flag for _, flag in inside), len(inside))


@SETTINGS
@given(items=records, quarter=st.integers(1, 4))
def test_a_quarter_is_its_three_months_put_together(pack, items, quarter):
    sheet = loaded(as_dossiers(items))
    whole = rule(evaluate(pack, [sheet], period=f"2026-Q{quarter}"), "online")
    months = [evaluate(pack, [sheet], period=f"2026-{3 * quarter - k:02d}") for k in (2, 1, 0)]
    parts = [rule(month, "online") for month in months]
    numerator = sum(part.numerator or 0 for part in parts)
    denominator = sum(part.denominator or 0 for part in parts)
    assert (whole.numerator or 0, whole.denominator or 0) == (numerator, denominator)
    merged = rule(merge(*months), "online")
    assert (merged.numerator or 0, merged.denominator or 0, merged.status) == (numerator, denominator, whole.status)
    assert merged.value == whole.value
    # and the breakdown by field adds up the same way
    by_field = {group.group: (group.numerator, group.denominator) for group in whole.breakdown}
    assert by_field == {group.group: (group.numerator, group.denominator) for group in merged.breakdown}


def summary(result) -> list[tuple]:
    return [(item.rule, item.status, item.numerator, item.denominator, item.value, item.display_value,
             item.shortfall, [(g.group, g.numerator, g.denominator, g.status) for g in item.breakdown])
            for item in result.results]


def report_rows(items) -> list[dict]:
    """A statistics report with one row per record: (field, received, online)."""
    return [{"linh_vuc": field, "tiep_nhan": float(1 + k % 4), "truc_tuyen": float((1 + k % 4) if online else k % 2),
             "truc_tiep": 0.0, "da_giai_quyet": 0.0} for k, (_, online, field) in enumerate(items)]


@SETTINGS
@given(items=records, seed=st.randoms(use_true_random=False), cut=st.floats(0, 1))
def test_row_order_and_the_split_across_files_change_no_result(pack, items, seed, cut):
    dossiers, rows = as_dossiers(items), report_rows(items)
    one = evaluate(pack, [loaded(dossiers), loaded(rows, "thong_ke", "report.xlsx")], period="2026-Q4",
                   group_by="combine")
    order = list(range(len(items)))
    seed.shuffle(order)
    shuffled = evaluate(pack, [loaded([dossiers[k] for k in order]),
                               loaded([rows[k] for k in order], "thong_ke", "report.xlsx")],
                        period="2026-Q4", group_by="combine")
    assert summary(shuffled) == summary(one)
    if len(items) < 2:
        return
    at = 1 + int(cut * (len(items) - 2))  # both files hold rows
    split = evaluate(pack, [loaded(dossiers[:at], path="a.xlsx"), loaded(dossiers[at:], path="b.xlsx"),
                            loaded(rows[:at], "thong_ke", "ra.xlsx"), loaded(rows[at:], "thong_ke", "rb.xlsx")],
                     period="2026-Q4", group_by="combine")
    assert summary(split) == summary(one)
