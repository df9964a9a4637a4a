"""Synthetic exports for the tests, the shipped samples (samples/generate.py) and the benchmarks.

It lives with the tests, not in the `dxcheck` package, so that the wheel a commune installs carries
only what runs for a user. pytest finds it because `tests/` is on the import path of the tests;
the scripts put `tests/` on `sys.path` themselves.
"""

from .report import ReportSheet, write_csv, write_plain_xlsx, write_workbook

__all__ = ["ReportSheet", "write_csv", "write_plain_xlsx", "write_workbook"]
