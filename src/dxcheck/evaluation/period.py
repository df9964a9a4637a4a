"""Reporting periods: `2026-10`, `2026-Q4`, `2026`, or explicit from/to dates.

Months and quarters are also read as offices write them: `10/2026`, `T10/2026`, `Q4/2026`,
`Quý 4/2026`; and from a data folder's name (`2026-11`, `thang-11-2026`, `T11-2026`, `2026-Q4`).
"""

from __future__ import annotations

import re
import unicodedata
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
    #: `--from` or `--to` left out: that side is closed on the data's dates (`close_open_ends`)
    open_start: bool = False
    open_end: bool = False

    @property
    def year(self) -> int:
        return self.end.year

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label,
                "inferred": self.inferred}


def _month(year: int, month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(year=year, month=month, day=1)
    return start, start + pd.offsets.MonthBegin(1) - pd.Timedelta(microseconds=1)


#: after `_canonical`: a month or quarter written the office way, year last or first
_MONTH_YEAR_LAST = re.compile(r"^(?:thang-?|t)?(\d{1,2})-(?:nam-)?(\d{4})$")
_MONTH_YEAR_FIRST = re.compile(r"^(\d{4})-(?:thang-?|t)?(\d{1,2})$")
_QUARTER_YEAR_LAST = re.compile(r"^(?:quy-?|q)([1-4])-(?:nam-)?(\d{4})$")
_QUARTER_YEAR_FIRST = re.compile(r"^(\d{4})-(?:quy-?|q)([1-4])$")


def _canonical(text: str) -> str:
    """`Quý 4/2026` → `quy-4-2026`: no diacritics, lower case, every run of separators one `-`."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower().strip()
    return re.sub(r"[\s/._-]+", "-", plain).strip("-")


def _office_spelling(text: str) -> str | None:
    """`10/2026`, `T10/2026`, `thang-10-2026` → `2026-10`; `Q4/2026`, `Quý 4/2026` → `2026-Q4`; else None."""
    plain = _canonical(text)
    if match := _MONTH_YEAR_LAST.match(plain):
        return f"{match[2]}-{int(match[1]):02d}" if 1 <= int(match[1]) <= 12 else None
    if match := _MONTH_YEAR_FIRST.match(plain):
        return f"{match[1]}-{int(match[2]):02d}" if 1 <= int(match[2]) <= 12 else None
    if match := _QUARTER_YEAR_LAST.match(plain):
        return f"{match[2]}-Q{match[1]}"
    if match := _QUARTER_YEAR_FIRST.match(plain):
        return f"{match[1]}-Q{match[2]}"
    return None


def folder_period(name: str) -> Period | None:
    """The month or quarter a data folder is named after (`2026-11`, `thang-11-2026`, `T11-2026`,
    `2026-Q4`, `Quý 4 năm 2026`); None for any other name. A bare year is not taken: a folder
    `2026` more often holds the year's months than one year's report."""
    spelled = _office_spelling(name)
    return parse_period(spelled) if spelled else None


def parse_period(text: str) -> Period:
    """`2026-10` (a month), `2026-Q4` (a quarter), `2026` (a year); also `10/2026`, `T10/2026`,
    `Q4/2026`, `Quý 4/2026`."""
    text = text.strip()
    if not (_MONTH.match(text) or _QUARTER.match(text) or _YEAR.match(text)):
        text = _office_spelling(text) or text
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
    return Period(start, end, label, open_start=not start_text, open_end=not end_text)


def close_open_ends(period: Period, earliest: pd.Timestamp | None, latest: pd.Timestamp | None) -> Period:
    """A side `--from`/`--to` left open ends where the data does, as with no period at all: open
    to 2100 every dossier still within its deadline would be late at the period's end, and the
    target would be 2100's."""
    if not (period.open_start or period.open_end):
        return period
    start, end = period.start, period.end
    if period.open_start and earliest is not None:
        start = min(earliest.normalize(), end.normalize())
    if period.open_end and latest is not None:
        end = max(latest.normalize(), start) + END_OF_DAY
    return Period(start, end, f"{start.date().isoformat()}..{end.date().isoformat()}")


def inferred_period(earliest: pd.Timestamp | None, latest: pd.Timestamp | None) -> Period:
    """No period given: every row is in scope; the period ends on the latest date in the data."""
    start = (earliest.normalize() if earliest is not None else pd.Timestamp("1900-01-01"))
    if latest is None:  # nothing dated (staff or village lists only): all rows, open-ended
        return Period(start, pd.Timestamp("2100-12-31") + END_OF_DAY, "all", inferred=True)
    end = latest.normalize() + END_OF_DAY
    return Period(start, end, f"{start.date().isoformat()}..{end.date().isoformat()}", inferred=True)
