"""Synthetic exports for tests and the shipped samples."""

from .report import ReportSheet, write_csv, write_plain_xlsx, write_workbook

__all__ = ["ReportSheet", "write_csv", "write_plain_xlsx", "write_workbook"]
