"""Periods as offices spell them (`T1/2026`, `2026 tháng 12`, `Quý 4 năm 2026`, a data folder's
name) and the `--from`/`--to` edges a user meets: what is read, what is refused, and what the
refusal says. Found by mutation testing (docs/mutation-testing.md): each test names the
behaviour a user would see go wrong."""

from __future__ import annotations

import pandas as pd
import pytest

from dxcheck.errors import UsageError
from dxcheck.evaluation.period import (
    close_open_ends,
    explicit_period,
    folder_period,
    inferred_period,
    parse_period,
)

LAST_INSTANT = pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


@pytest.mark.parametrize(("typed", "label"), [
    ("1/2026", "2026-01"), ("T1/2026", "2026-01"), ("12/2026", "2026-12"), ("Tháng 12/2026", "2026-12"),
    ("THÁNG 3 NĂM 2026", "2026-03"), ("2026/T1", "2026-01"), ("2026 tháng 12", "2026-12"),
    ("2026.7", "2026-07"), ("Q4/2026", "2026-Q4"), ("Quý 1 năm 2026", "2026-Q1"),
    ("2026 Quý 3", "2026-Q3"), ("2026/Q2", "2026-Q2"),
    # a sentence's full stop or a stray separator around the spelling
    ("Tháng 10/2026.", "2026-10"), ("/Q4/2026/", "2026-Q4"),
])
def test_office_spellings_of_months_and_quarters_name_the_right_period(typed, label):
    assert parse_period(typed).label == label


def test_office_spelling_of_december_and_january_covers_the_whole_month():
    december = parse_period("2026 tháng 12")
    assert december.start == pd.Timestamp("2026-12-01")
    assert december.end == pd.Timestamp("2026-12-31") + LAST_INSTANT
    january = parse_period("T1/2026")
    assert (january.start, january.end) == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-31") + LAST_INSTANT)


@pytest.mark.parametrize("typed", ["13/2026", "T0/2026", "2026/T13", "2026 tháng 0", "Quý 5/2026", "tuần 3/2026"])
def test_impossible_month_or_quarter_is_refused_quoting_what_the_user_typed(typed):
    with pytest.raises(UsageError) as refused:
        parse_period(typed)
    assert refused.value.key == "cli.bad_period"
    assert repr(typed) in str(refused.value), "the message must quote the value as typed"


@pytest.mark.parametrize(("folder", "label"), [
    ("2026-11", "2026-11"), ("thang-11-2026", "2026-11"), ("T11-2026", "2026-11"), ("2026-Q4", "2026-Q4"),
    ("Quý 4 năm 2026", "2026-Q4"), ("2026_quy_1", "2026-Q1"),
])
def test_a_data_folder_named_after_a_month_or_quarter_gives_that_period(folder, label):
    period = folder_period(folder)
    assert period is not None and period.label == label


@pytest.mark.parametrize("folder", ["2026", "T13-2026", "thang-0-2026", "bao-cao", "xa-binh-minh", ""])
def test_a_folder_not_named_after_a_month_or_quarter_gives_no_period_and_no_error(folder):
    assert folder_period(folder) is None


def test_bad_from_or_to_date_names_the_option_and_the_value():
    with pytest.raises(UsageError) as refused:
        explicit_period("31/02/2026", None)
    assert refused.value.key == "cli.bad_date"
    assert str(refused.value).startswith("--from '31/02/2026' ")
    with pytest.raises(UsageError) as refused:
        explicit_period(None, "2026-13-01")
    assert str(refused.value).startswith("--to '2026-13-01' ")


def test_from_after_to_is_refused_naming_both_dates():
    with pytest.raises(UsageError) as refused:
        explicit_period("02/10/2026", "01/10/2026")
    assert refused.value.key == "cli.period_reversed"
    assert "02/10/2026" in str(refused.value) and "01/10/2026" in str(refused.value)


def test_from_and_to_on_the_same_day_is_that_whole_day():
    day = explicit_period("01/10/2026", "2026-10-01")
    assert (day.start, day.end) == (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-01") + LAST_INSTANT)
    assert day.label == "2026-10-01..2026-10-01"


def test_open_from_starts_on_the_earliest_dated_record():
    period = close_open_ends(explicit_period(None, "31/10/2026"),
                             pd.Timestamp("2026-03-05 14:30"), pd.Timestamp("2026-10-20"))
    assert period.start == pd.Timestamp("2026-03-05")
    assert period.end == pd.Timestamp("2026-10-31") + LAST_INSTANT
    assert period.label == "2026-03-05..2026-10-31"


def test_open_to_ends_on_the_latest_dated_record():
    period = close_open_ends(explicit_period("01/10/2026", None),
                             pd.Timestamp("2026-03-05"), pd.Timestamp("2026-11-20 08:00"))
    assert period.start == pd.Timestamp("2026-10-01")
    assert period.end == pd.Timestamp("2026-11-20") + LAST_INSTANT
    assert period.label == "2026-10-01..2026-11-20"


def test_open_ends_with_no_dated_record_stay_the_widest_dates():
    """Staff or village lists only: nothing to close the period on; its label says so in dates."""
    only_to = close_open_ends(explicit_period(None, "31/10/2026"), None, None)
    assert only_to.label == "1900-01-01..2026-10-31"
    only_from = close_open_ends(explicit_period("01/10/2026", None), None, None)
    assert only_from.label == "2026-10-01..2100-12-31"
    assert only_from.end == pd.Timestamp("2100-12-31") + LAST_INSTANT


def test_no_period_and_no_dated_record_is_the_whole_data_labelled_all():
    period = inferred_period(None, None)
    assert period.label == "all" and period.inferred is True
    assert period.start == pd.Timestamp("1900-01-01")
    assert period.end == pd.Timestamp("2100-12-31") + LAST_INSTANT


def test_no_period_runs_from_the_first_to_the_last_dated_day():
    period = inferred_period(pd.Timestamp("2026-02-03 10:00"), pd.Timestamp("2026-09-30 17:45"))
    assert period.inferred is True
    assert (period.start, period.end) == (pd.Timestamp("2026-02-03"), pd.Timestamp("2026-09-30") + LAST_INSTANT)
    assert period.label == "2026-02-03..2026-09-30"
    only_latest = inferred_period(None, pd.Timestamp("2026-09-30"))
    assert only_latest.start == pd.Timestamp("1900-01-01")
