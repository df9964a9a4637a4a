"""Vietnam's public holidays, for counting working days (REFERENCE §4, time reduction).

The days of `TABLE_YEARS` come from a table shipped with dxcheck (`holidays-vn.txt`, written by
tools/holidays_table.py from the `holidays` library): the same dossiers then count the same
working days whatever version of `holidays` is installed, and a run does not import that
library, which loads every country it knows (≈ 0.15 s of a run's start). Years outside the table
are asked of the library.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

TABLE_FILE = "holidays-vn.txt"
TABLE_YEARS = range(2015, 2036)


@lru_cache(maxsize=1)
def _table() -> dict[int, tuple[str, ...]]:
    """year -> its holidays (ISO dates) as the table lists them."""
    by_year: dict[int, list[str]] = {year: [] for year in TABLE_YEARS}
    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            day = line.split()[0]
            by_year[int(day[:4])].append(day)
    return {year: tuple(days) for year, days in by_year.items()}


def _from_library(years: list[int]) -> list[str]:
    import holidays  # only for years the table does not hold

    return [day.isoformat() for day in holidays.country_holidays("VN", years=years)]


def holidays_between(first_year: int, last_year: int) -> np.ndarray:
    """The holidays of `first_year`..`last_year`, sorted, as numpy days."""
    years = range(first_year, last_year + 1)
    table = _table()
    days = [day for year in years if year in table for day in table[year]]
    outside = [year for year in years if year not in table]
    if outside:
        days += _from_library(outside)
    return np.array(sorted(set(days)), dtype="datetime64[D]")
