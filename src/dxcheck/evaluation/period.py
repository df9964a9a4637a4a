"""Reporting periods: `2026-10`, `2026-Q4`, `2026`, or explicit from/to dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..errors import UsageError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")

# The last representable instant of a day, so that `x <= period.end` includes 23:59:59.
END_OF_DAY = pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp
    end: pd.Timestamp
    label: str
    #: True when no period was given and it was read off the data (REFERENCE §4)
    inferred: bool = False

    @property
    def year(self) -> int:
        return self.end.year

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label,
                "inferred": self.inferred}


def _month(year: int, month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(year=year, month=month, day=1)
    return start, start + pd.offsets.MonthBegin(1) - pd.Timedelta(microseconds=1)


def parse_period(text: str) -> Period:
    """`2026-10` (a month), `2026-Q4` (a quarter), `2026` (a year)."""
    text = text.strip()
    try:
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            start, end = _month(year, month)
            return Period(start, end, f"{year:04d}-{month:02d}")
        if match := _QUARTER.match(text):
            year, quarter = int(match[1]), int(match[2])
            start, _ = _month(year, 3 * quarter - 2)
            _, end = _month(year, 3 * quarter)
            return Period(start, end, f"{year:04d}-Q{quarter}")
        if match := _YEAR.match(text):
            year = int(match[1])
            return Period(pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31) + END_OF_DAY,
                          f"{year:04d}")
    except ValueError:
        pass
    raise UsageError("cli.bad_period", value=text)


def parse_day(text: str, option: str) -> date:
    match = _DAY.match(text.strip())
    try:
        if match and match[1]:
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match:
            return date(int(match[6]), int(match[5]), int(match[4]))
    except ValueError:
        pass
    raise UsageError("cli.bad_date", option=option, value=text)


def explicit_period(start_text: str | None, end_text: str | None) -> Period:
    """`--from` / `--to` (either may be omitted: open on that side)."""
    start = pd.Timestamp(parse_day(start_text, "--from")) if start_text else pd.Timestamp("1900-01-01")
    end = pd.Timestamp(parse_day(end_text, "--to")) + END_OF_DAY if end_text else pd.Timestamp("2100-12-31") + END_OF_DAY
    if end < start:
        raise UsageError("cli.period_reversed", start=start_text, end=end_text)
    label = f"{start.date().isoformat()}..{end.date().isoformat()}"
    return Period(start, end, label)


def inferred_period(earliest: pd.Timestamp | None, latest: pd.Timestamp | None) -> Period:
    """No period given: every row is in scope; the period ends on the latest date in the data."""
    start = (earliest.normalize() if earliest is not None else pd.Timestamp("1900-01-01"))
    if latest is None:  # nothing dated (staff or village lists only): all rows, open-ended
        return Period(start, pd.Timestamp("2100-12-31") + END_OF_DAY, "all", inferred=True)
    end = latest.normalize() + END_OF_DAY
    return Period(start, end, f"{start.date().isoformat()}..{end.date().isoformat()}", inferred=True)
