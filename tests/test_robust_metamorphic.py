"""The same records in every shape give the same results (issue #6, metamorphic).

One set of generated exports (dossiers, staff, villages) is written as a report-style workbook,
with NFD text, with dates as text or serial numbers, as a plain table, as CSV in every supported
encoding and separator, as Parquet, as ODS, as a web page saved as .xls and as Excel 2003 XML. Evaluated against both shipped packs, every
variant must give the same JSON as the report-style workbook, once what names the input (paths,
hashes, sheet names, row numbers) is set aside.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import dxcheck
from dxcheck_synth import records
from dxcheck_synth.report import (
    ReportSheet,
    write_csv,
    write_html,
    write_plain_xlsx,
    write_spreadsheetml,
    write_workbook,
)

PACKS = ["binh-minh-2030", "hoang-son-2030"]
#: keys that name where something came from, not what it is
_WHERE = {"path", "sha256", "sheet", "row", "rows", "sources", "inputs", "generated_at", "language"}
#: in a warning, also the header as written (in capitals, say) and the message that quotes it
_WARNING_WHERE = {"header", "message"}
_ROW_LIST = re.compile(r"\((?:\d+(?:, )?)+(?:…)?\)")


def frames() -> dict[str, pd.DataFrame]:
    """Generated exports with the faults real ones have planted in them: unreadable dates,
    unknown codes and yes/no spellings, a duplicated dossier id, a blank id."""
    dossiers = records.dossiers(400, "2026-10", seed=6, style="igate")
    received, channel, digitised = (_column(dossiers, word) for word in ("Tiếp nhận", "Hình thức nộp", "Số hóa"))
    dossiers = dossiers.astype({received: object})
    dossiers.loc[[5, 77], received] = ["31/02/2026", "không rõ"]
    dossiers.loc[[9, 10, 11], channel] = ["Qua Zalo", "Qua Zalo", "Nộp hộ"]
    dossiers.loc[[20, 21], digitised] = ["chắc có", "Đã số hóa một phần"]
    dossiers.iloc[30, 0] = dossiers.iloc[31, 0]
    staff = records.staff(25, seed=6, style="viettel")
    staff.loc[[3, 4], _column(staff, "tập huấn")] = ["hình như có", "#N/A"]
    return {"ho-so": dossiers, "can-bo": staff, "thon": records.villages(9, seed=6)}


def _column(frame: pd.DataFrame, word: str) -> str:
    (name,) = [column for column in frame.columns if word.lower() in column.lower()][:1]
    return name


def normalise(value):
    """The result without what names the input; row lists inside messages become `(…)`."""
    if isinstance(value, dict):
        skip = _WHERE | (_WARNING_WHERE if "code" in value and "params" in value else set())
        out = {key: normalise(item) for key, item in value.items() if key not in skip}
        if "params" in out and "code" in value:
            out["params"] = {key: item for key, item in out["params"].items() if key not in _WARNING_WHERE}
        return out
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str):
        return _ROW_LIST.sub("(…)", value)
    return value


def _report(folder: Path, data: dict[str, pd.DataFrame], **style) -> None:
    for name, frame in data.items():
        group = "Lĩnh vực" if "Lĩnh vực" in frame.columns else None
        write_workbook(folder / f"{name}.xlsx", [ReportSheet(name.upper(), frame, group_by=group, **style)])


def _html(**options):
    """A portal's "Xuất Excel": the report as a web page named .xls."""
    def write(folder: Path, data: dict[str, pd.DataFrame]) -> None:
        for name, frame in data.items():
            group = "Lĩnh vực" if "Lĩnh vực" in frame.columns else None
            write_html(folder / f"{name}.xls", [ReportSheet(name.upper(), frame, group_by=group)], **options)
    return write


def _spreadsheetml(folder: Path, data: dict[str, pd.DataFrame]) -> None:
    for name, frame in data.items():
        group = "Lĩnh vực" if "Lĩnh vực" in frame.columns else None
        write_spreadsheetml(folder / f"{name}.xls", [ReportSheet(name.upper(), frame, group_by=group)])


def _csv(encoding: str, sep: str):
    def write(folder: Path, data: dict[str, pd.DataFrame]) -> None:
        for name, frame in data.items():
            write_csv(folder / f"{name}.csv", frame, encoding=encoding, sep=sep)
    return write


def _plain(folder: Path, data: dict[str, pd.DataFrame]) -> None:
    for name, frame in data.items():
        write_plain_xlsx(folder / f"{name}.xlsx", frame)


def _parquet(folder: Path, data: dict[str, pd.DataFrame]) -> None:
    for name, frame in data.items():
        texts = {column: "string" for column in frame.columns if frame[column].dtype == object}
        frame.astype(texts).to_parquet(folder / f"{name}.parquet", index=False)


def _ods(folder: Path, data: dict[str, pd.DataFrame]) -> None:
    for name, frame in data.items():
        frame.to_excel(folder / f"{name}.ods", engine="odf", index=False, sheet_name=name)


VARIANTS = {
    "report-nfd-text-dates": lambda folder, data: _report(folder, data, nfd_values=True, header_style="nfd",
                                                          date_mode="text"),
    "report-serial-dates-upper": lambda folder, data: _report(folder, data, date_mode="serial",
                                                              header_style="upper", numbered_row="paren"),
    "report-iso-dates-no-banner": lambda folder, data: _report(folder, data, date_mode="iso", banner=False,
                                                               signature=False, total_row=False),
    "plain-xlsx": _plain,
    "html-as-xls": _html(),
    "html-title-blocks-cp1258": _html(title_blocks=True, encoding="cp1258"),
    "spreadsheetml-xls": _spreadsheetml,
    "parquet": _parquet,
    "ods": _ods,
    **{f"csv-{encoding}-{ {',': 'comma', ';': 'semicolon', chr(9): 'tab'}[sep] }": _csv(encoding, sep)
       for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1258") for sep in (",", ";", "\t")},
}


def evaluate(folder: Path) -> dict:
    return dxcheck.evaluate([folder], rules=PACKS, period="2026-10", timestamp=False, lang="en").to_dict()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[dict, dict]:
    data = frames()
    folder = tmp_path_factory.mktemp("report")
    _report(folder, data)
    result = evaluate(folder)
    return data, result


def test_the_baseline_measures_something(baseline):
    _, result = baseline
    statuses = {item["status"] for item in result["results"]}
    assert {"pass", "fail"} <= statuses
    codes = sorted(warning["code"] for warning in result["warnings"])
    assert codes == ["load.duplicate_ids", "load.unknown_values", "load.unknown_yes_no", "load.unknown_yes_no",
                     "load.unreadable_date"]
    used = {sheet["dataset"]: sheet["rows_used"] for item in result["inputs"] for sheet in item["sheets"]}
    assert used == {"ho_so": 399, "can_bo": 25, "thon": 9}  # the duplicated dossier id is counted once
    duplicates = {sheet["dataset"]: sheet["rows_left_out"].get("duplicate") for item in result["inputs"]
                  for sheet in item["sheets"]}
    assert duplicates == {"ho_so": 1, "can_bo": None, "thon": None}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_shape_gives_the_same_results(baseline, tmp_path, variant):
    data, expected = baseline
    VARIANTS[variant](tmp_path, data)
    result = evaluate(tmp_path)
    used = {sheet["dataset"]: sheet["rows_used"] for item in result["inputs"] for sheet in item["sheets"]}
    assert used == {"ho_so": 399, "can_bo": 25, "thon": 9}
    for item in result["inputs"]:
        for sheet in item["sheets"]:
            assert sheet["rows_used"] + sum(sheet["rows_left_out"].values()) == sheet["rows_total"]
    got, want = normalise(result), normalise(expected)
    for key in want:
        assert got[key] == want[key], key


def test_row_order_does_not_change_results(baseline, tmp_path):
    data, expected = baseline
    shuffled = {name: frame.sample(frac=1.0, random_state=3).reset_index(drop=True) for name, frame in data.items()}
    for name, frame in shuffled.items():  # no group rows: the field is a column, order free
        write_workbook(tmp_path / f"{name}.xlsx", [ReportSheet(name.upper(), frame)])
    result = evaluate(tmp_path)
    want, got = normalise(expected), normalise(result)
    for item in (want, got):  # the failing records listed first follow the file's order
        for rule in item["results"]:
            rule.pop("samples", None)
            rule.get("details", {}).pop("samples", None)
    assert got["results"] == want["results"] and got["summary"] == want["summary"]
