"""Sheets a workbook hides (hidden, or very hidden: only VBA shows them) are no data the user saw:
left out unless `--hidden-sheets` asks for them, and said either way, each with its row count.
"""

from __future__ import annotations

from ..results import DataWarning, SheetReport
from .formats import RawSheet
from .sheet import LoadedSheet

#: the reason the rows of a hidden sheet left out are counted under (`rows_left_out`)
HIDDEN_SHEET = "hidden_sheet"


def hidden_sheet_left_out(raw: RawSheet) -> LoadedSheet:
    """The sheet not read: every row counted under `hidden_sheet`."""
    report = SheetReport(sheet=raw.name, dataset=None, header_row=0, rows_total=raw.height, rows_used=0,
                         rows_left_out={HIDDEN_SHEET: raw.height} if raw.height else {})
    return LoadedSheet(report=report, data=None, value_counts={})


def hidden_sheet_notice(path: str, raw: RawSheet, read: bool) -> DataWarning:
    """Says that the hidden sheet was read (`--hidden-sheets`) or left out, and how to do the other."""
    state = "very hidden" if raw.visibility == "veryhidden" else "hidden"
    return DataWarning(path=path, sheet=raw.name, field=None, rows=[],
                       code="load.hidden_sheet_read" if read else "load.hidden_sheet_skipped",
                       params={"path": path, "sheet": raw.name, "state": state, "rows": raw.height})
