"""Day and month swapped by a month-first computer: the evidence in a sheet's date columns.

A day-first export gets its dates mixed up when a computer set to month-first (US) dates handles it:

* **swapped real dates** (workbooks). Excel opening a day-first CSV reads every `dd/mm/yyyy` text
  whose day is ≤ 12 as mm/dd and stores a real date with day and month exchanged (`05/10/2026`
  becomes 10 May 2026); a text whose day is > 12 cannot be month-first and stays text. Saved as a
  workbook, the column holds real dates, all with day ≤ 12, and dd/mm text, all with day > 12.
* **month-first text** (CSV). Excel writes the dates of a CSV it saves as `m/d/yyyy`: read day
  first, `10/25/2026` is no date at all (month 25) and `10/05/2026` is 10 May, not 5 October.

A column is judged from its own cells only, never guessed (docs/troubleshooting.md states the
same rules for users):

Swapped real dates — all of:
  1. at least MIN_DISTINCT distinct real dates and MIN_DISTINCT distinct dd/mm texts;
  2. no date cell (real, or ISO text) has a day > 12 and no dd/mm text has a day ≤ 12: after such
     a re-save, neither can exist;
  3. the texts' months confirm the exchange: read with day and month exchanged, at least half of
     the real dates fall in a month in which texts fall or next to one, and more of them than read
     as they are (a real-date column with a few dd/mm texts typed by hand fails here: its dates as
     they are lie in the texts' months). When both readings fit equally (dates over a whole year),
     at least MIN_DISTINCT_WHEN_BOTH_FIT distinct real dates, all with day ≤ 12, are needed.
Month-first text — all of:
  1. at least MIN_DISTINCT distinct d/m/y texts whose second number is 13–31 (no date day first);
  2. no d/m/y text has a first number > 12.

The whole sheet went through the same computer: a date column of the same sheet that carries no
evidence of its own (too few cells) but does not contradict it (rule 2) is taken the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .values import DMY_FORM, ISO_FORM, TIME_FIRST_FORM, DateSpellings

SWAPPED, MONTH_FIRST = "swapped", "month_first"
#: distinct dates of each kind a column needs to carry the evidence on its own
MIN_DISTINCT = 3
#: distinct real dates needed when the texts' months cannot tell the two readings apart
MIN_DISTINCT_WHEN_BOTH_FIT = 8
#: cells shown as examples in a message
EXAMPLES = 5


@dataclass
class Evidence:
    """What one date column shows. `swap` and `changed` are masks over the column's cells."""

    kind: str  # SWAPPED | MONTH_FIRST
    #: cells to read with day and month exchanged, to read them right
    swap: np.ndarray
    #: cells whose reading that changes (the others have day = month)
    changed: np.ndarray
    #: the column carries the evidence on its own
    conclusive: bool
    #: SWAPPED: real-date cells; MONTH_FIRST: 0
    real: int = 0
    #: SWAPPED: dd/mm text cells; MONTH_FIRST: d/m/y text cells
    text: int = 0
    #: MONTH_FIRST: text cells whose second number is 13–31
    proof: int = 0


@dataclass
class Finding:
    field: str
    evidence: Evidence
    #: the field whose column carries the evidence, when this one follows it (None: its own)
    like: str | None = None


def examine(spellings: DateSpellings, real_cells: Callable[[], np.ndarray | None] | None) -> Evidence | None:
    """The evidence in one text date column, or None when it shows no sign of either kind.

    `real_cells` (workbooks only) returns the mask of cells stored as real dates or numbers, not
    text; it is called only when the cheap checks on the distinct spellings leave a doubt.
    """
    parts = spellings.parts
    if not len(parts):
        return None
    form = parts["form"].to_numpy()
    dmy = (form == DMY_FORM) | (form == TIME_FIRST_FORM)
    if real_cells is not None:
        found = _swapped(spellings, form == ISO_FORM, dmy, real_cells)
        if found is not None:
            return found
    return _month_first(spellings, dmy)


def _years(parts: pd.DataFrame) -> np.ndarray:
    year = parts["y"].to_numpy()
    return np.where(year < 100, year + 2000, year)


def _distinct_days(parts: pd.DataFrame, which: np.ndarray) -> int:
    """How many calendar days the distinct spellings in `which` name (times of day aside)."""
    picked = parts.loc[which, ["y", "m", "d"]]
    return len(picked.drop_duplicates())


def _swapped(spellings: DateSpellings, iso: np.ndarray, dmy: np.ndarray,
             real_cells: Callable[[], np.ndarray | None]) -> Evidence | None:
    parts, codes = spellings.parts, spellings.codes
    first, second = parts["d"].to_numpy(), parts["m"].to_numpy()
    # rule 2 on the distinct spellings first: most columns stop here, without a second read
    if not iso.any() or (iso & (first > 12)).any() or (dmy & (first <= 12)).any():
        return None
    present = codes >= 0
    spelling = np.where(present, codes, 0)
    stored = real_cells()
    if stored is None:  # the typed read failed: the reader prints a real date with its seconds
        real = present & (iso & parts["S"].notna().to_numpy())[spelling]
    else:
        real = present & iso[spelling] & stored[: len(codes)]
    if not real.any():
        return None
    text = present & dmy[spelling]
    real_spellings = np.zeros(len(parts), dtype=bool)
    real_spellings[codes[real]] = True
    text_spellings = np.zeros(len(parts), dtype=bool)
    text_spellings[codes[text]] = True
    years = _years(parts)
    # the months the texts fall in (a text with day > 12 is unambiguous) and the months next to
    # them (deadlines run on past the dates received), counted as year × 12 + month
    months = (years * 12 + second)[text_spellings]
    near = np.unique(np.concatenate([months - 1, months, months + 1]))
    cells = np.bincount(codes[real], minlength=len(parts))
    as_read = np.isin(years * 12 + second, near)
    exchanged = np.isin(years * 12 + first, near)
    fit_as_read = int(cells[real_spellings & as_read].sum())
    fit_exchanged = int(cells[real_spellings & exchanged].sum())
    distinct_real = _distinct_days(parts, real_spellings)
    conclusive = (
        distinct_real >= MIN_DISTINCT
        and _distinct_days(parts, text_spellings) >= MIN_DISTINCT
        and 2 * fit_exchanged >= int(real.sum())
        and (fit_exchanged > fit_as_read or distinct_real >= MIN_DISTINCT_WHEN_BOTH_FIT)
    )
    changed = real & (first != second)[spelling]
    return Evidence(SWAPPED, swap=real, changed=changed, conclusive=conclusive,
                    real=int(real.sum()), text=int(text.sum()))


def _month_first(spellings: DateSpellings, dmy: np.ndarray) -> Evidence | None:
    parts, codes = spellings.parts, spellings.codes
    first, second = parts["d"].to_numpy(), parts["m"].to_numpy()
    if not dmy.any() or (dmy & (first > 12)).any():
        return None
    present = codes >= 0
    spelling = np.where(present, codes, 0)
    text = present & dmy[spelling]
    proof_spellings = dmy & (second > 12) & (second <= 31)
    proof = text & proof_spellings[spelling]
    changed = text & (first != second)[spelling]
    if not changed.any():
        return None
    return Evidence(MONTH_FIRST, swap=text, changed=changed,
                    conclusive=_distinct_days(parts, proof_spellings) >= MIN_DISTINCT,
                    text=int(text.sum()), proof=int(proof.sum()))


def decide(found: dict[str, Evidence]) -> list[Finding]:
    """The date columns of one sheet to warn about: those carrying the evidence, and those that
    follow a column of the same sheet carrying it (field order kept)."""
    proven: dict[str, str] = {}
    for name, evidence in found.items():
        if evidence.conclusive:
            proven.setdefault(evidence.kind, name)
    out = []
    for name, evidence in found.items():
        if not evidence.changed.any():
            continue
        if evidence.conclusive:
            out.append(Finding(name, evidence))
        elif evidence.kind in proven:
            out.append(Finding(name, evidence, like=proven[evidence.kind]))
    return out


# ----------------------------------------------------------------------------------------------
# examples for the messages


def _shown_date(moment) -> str:
    """dd/mm/yyyy, with HH:MM when the cell has a time of day (a deadline's end of day has none)."""
    stamp = pd.Timestamp(moment)
    if pd.isna(stamp):
        return "—"
    if (stamp.hour, stamp.minute) in ((0, 0), (23, 59)):
        return stamp.strftime("%d/%m/%Y")
    return stamp.strftime("%d/%m/%Y %H:%M")


def examples(finding: Finding, spellings: DateSpellings, as_read: pd.Series, fixed: pd.Series,
             rows: np.ndarray) -> str:
    """`row: as read → read right` for the first changed cells; a month-first text that cannot be
    read day first is shown as written."""
    pieces = []
    for position in np.flatnonzero(finding.evidence.changed)[:EXAMPLES]:
        before = as_read.iat[position]
        if pd.isna(before):
            before_text = f"“{spellings.uniques.iat[spellings.codes[position]]}”"
        else:
            before_text = _shown_date(before)
        pieces.append(f"{int(rows[position])}: {before_text} → {_shown_date(fixed.iat[position])}")
    more = int(finding.evidence.changed.sum()) - len(pieces)
    return "; ".join(pieces) + (f"; … (+{more})" if more > 0 else "")
