"""The holiday table dxcheck ships (src/dxcheck/holidays-vn.txt) against the `holidays` library."""

from __future__ import annotations

import numpy as np
import pytest

from dxcheck import calendar_vn


def library(first: int, last: int) -> np.ndarray:
    import holidays

    days = holidays.country_holidays("VN", years=range(first, last + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


@pytest.mark.parametrize("year", range(2015, 2027))
def test_the_table_holds_the_days_off_the_government_decided(year):
    # years already decided (the table was written in 2026): the library's days, no more, no fewer
    assert calendar_vn.holidays_between(year, year).tolist() == library(year, year).tolist()


def test_years_outside_the_table_are_asked_of_the_library():
    assert calendar_vn.holidays_between(2010, 2012).tolist() == library(2010, 2012).tolist()
    edge = calendar_vn.holidays_between(2034, 2037)
    assert edge.tolist() == sorted(set(calendar_vn.holidays_between(2034, 2035).tolist())
                                   | set(library(2036, 2037).tolist()))
    assert np.datetime64("2036-09-02") in edge and np.datetime64("2034-04-30") in edge


def test_every_table_year_has_the_fixed_days_and_tet():
    for year in calendar_vn.TABLE_YEARS:
        days = {str(day) for day in calendar_vn.holidays_between(year, year)}
        fixed = {f"{year}-01-01", f"{year}-04-30", f"{year}-05-01", f"{year}-09-02"}
        assert fixed <= days, year
        assert sum(day[5:7] in ("01", "02") for day in days) >= 5, year  # Tết: at least 4 days + New Year


def test_a_run_counting_working_days_does_not_import_the_library(tmp_path):
    import subprocess
    import sys

    code = ("import sys\nfrom dxcheck.calendar_vn import holidays_between\n"
            "days = holidays_between(2025, 2026)\n"
            "print(len(days), 'holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(library(2025, 2026))), "False"]
