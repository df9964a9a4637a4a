"""Loading data files: options, the per-file result, and the entry points."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..datasets import dataset, vocabulary
from ..errors import InputError, UsageError
from ..heap import give_back
from .closest import closest_names
from . import edges
from ..results import DataWarning, InputReport
from .formats import SUPPORTED_EXTENSIONS, ReadResult, read_any, read_from_folder
from .limits import DEFAULTS, Limits, resolve_limits
from .hidden import HIDDEN_SHEET, hidden_sheet_left_out, hidden_sheet_notice
from .once import read_once
from .own_reports import is_dxcheck_report
from .sheet import SWAPPED_DATES, LoadedSheet, SheetLoader

#: refuse to read files larger than this (bytes) by default — far above any commune export
MAX_FILE_BYTES = DEFAULTS["max_file_bytes"][1]
#: formula cells named in a warning
MAX_FORMULA_CELLS_SHOWN = 10


@dataclass
class LoadOptions:
    #: "field" or "dataset.field" -> header text (matched ignoring case, diacritics, spacing)
    mapping: dict[str, str] = field(default_factory=dict)
    #: CSV: the text encoding (default: detected — UTF-8 with/without BOM, UTF-16, Windows-1258)
    encoding: str | None = None
    #: CSV: the separator (default: detected among `,` `;` tab `|`)
    sep: str | None = None
    #: date columns whose day and month a month-first (US) computer swapped (`load.date_order`):
    #: "check" warns and leaves the rules that use them without a figure; "fix" reads them right
    #: (swaps back the real dates, reads month-first text month first); "keep" reads them as they are
    swapped_dates: str = "check"
    #: read the sheets a workbook hides (hidden or very hidden) as data; by default they are left
    #: out, each counted and named in a notice (`hidden.py`)
    hidden_sheets: bool = False
    # Caps checked before a file is read (docs/limits-and-safety.md). None: the environment
    # variable (DXCHECK_MAX_FILE_BYTES, DXCHECK_MAX_UNZIPPED_BYTES, DXCHECK_MAX_ROWS,
    # DXCHECK_MAX_COLUMNS, DXCHECK_MAX_CELLS), else the default in `limits.DEFAULTS`.
    max_file_bytes: int | None = None
    max_unzipped_bytes: int | None = None
    max_rows: int | None = None
    max_columns: int | None = None
    max_cells: int | None = None

    def __post_init__(self) -> None:
        if self.swapped_dates not in SWAPPED_DATES:
            raise UsageError("load.bad_swapped_dates", value=self.swapped_dates, choices=", ".join(SWAPPED_DATES))
        self.sep = edges.normalise_sep(self.sep)
        edges.check_encoding(self.encoding)

    def limits(self) -> Limits:
        return resolve_limits({name: getattr(self, name) for name in DEFAULTS})


@dataclass
class LoadedFile:
    path: str
    sha256: str
    sheets: list[LoadedSheet]
    warnings: list[DataWarning]
    #: 'xlsx' | 'xls' | 'ods' | 'csv' | 'parquet' | 'html' (a web page holding tables, often named .xls)
    #: | 'xml' (Excel 2003 XML)
    kind: str = ""
    #: CSV: the encoding and separator used; a web page: the encoding
    encoding: str | None = None
    separator: str | None = None
    #: facts worth knowing that are no data problem (macros present and not run, dates read right
    #: with `swapped_dates`, a report of dxcheck's skipped); `inspect` and the reports show them
    notices: list[DataWarning] = field(default_factory=list)
    #: why the file was not read (found in a folder, it is a report dxcheck wrote): "dxcheck_report"
    skipped: str | None = None

    def report(self) -> InputReport:
        return InputReport(path=self.path, sha256=self.sha256, sheets=[s.report for s in self.sheets],
                           skipped=self.skipped)

    @property
    def recognised(self) -> list[LoadedSheet]:
        return [s for s in self.sheets if s.report.dataset is not None]


# ----------------------------------------------------------------------------------------------
# --map / --mapping


def _known_fields() -> tuple[set[str], dict[str, set[str]]]:
    datasets = vocabulary().datasets
    bare = {f for spec in datasets.values() for f in spec.fields}
    qualified = {name: set(spec.fields) for name, spec in datasets.items()}
    return bare, qualified


def _check_field(key: str, source: str) -> str:
    key = key.strip()
    bare, qualified = _known_fields()
    if "." in key:
        ds, fname = key.split(".", 1)
        if ds not in qualified:
            raise UsageError("load.map_unknown_dataset", source=source, dataset=ds, known=", ".join(sorted(qualified)),
                             suggestions=closest_names(ds, qualified))
        if fname not in qualified[ds]:
            raise UsageError("load.map_unknown_field", source=source, field=key, known=", ".join(sorted(qualified[ds])),
                             suggestions=[f"{ds}.{name}" for name in closest_names(fname, qualified[ds])])
        return key
    if key not in bare:
        raise UsageError("load.map_unknown_field", source=source, field=key, known=", ".join(sorted(bare)),
                         suggestions=closest_names(key, bare))
    return key


def parse_mapping(pairs: Iterable[str] | None, mapping_file: str | Path | None, *,
                  source: str = "--map") -> dict[str, str]:
    """`FIELD=HEADER` strings (`--map`) and a YAML mapping file (`--mapping`), pairs winning.

    The file holds `{field: header}` or `{dataset: {field: header}}`. `source`: where the pairs
    were written, for messages (dxcheck.toml's `[mapping]` gives its pairs here too).
    """
    mapping: dict[str, str] = {}
    if mapping_file is not None:
        mapping.update(_read_mapping_file(Path(mapping_file)))
    for pair in pairs or []:
        if "=" not in pair:
            raise UsageError("load.map_bad_pair", pair=pair)
        key, header = pair.split("=", 1)
        if not key.strip() or not header.strip():
            raise UsageError("load.map_bad_pair", pair=pair)
        mapping[_check_field(key, source)] = header.strip()
    return mapping


def _read_mapping_file(path: Path) -> dict[str, str]:
    name = str(path)
    if not path.is_file():
        raise UsageError("load.mapping_file_missing", path=name)
    try:
        tree = YAML(typ="safe").load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError("load.mapping_file_invalid", path=name, problem="not UTF-8 text") from None
    except (YAMLError, ValueError) as exc:
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError("load.mapping_file_invalid", path=name, problem=problem) from None
    if tree is None:
        return {}
    if not isinstance(tree, dict):
        raise UsageError("load.mapping_file_invalid", path=name, problem="expected a mapping {field: header}")
    out: dict[str, str] = {}
    datasets = vocabulary().datasets
    for key, value in tree.items():
        key = str(key)
        if isinstance(value, dict):
            if key not in datasets:
                raise UsageError("load.map_unknown_dataset", source=name, dataset=key, known=", ".join(sorted(datasets)))
            for fname, header in value.items():
                if not isinstance(header, (str, int, float)) or not str(header).strip():
                    raise UsageError("load.mapping_file_invalid", path=name, problem=f"{key}.{fname}: expected a header text")
                out[_check_field(f"{key}.{fname}", name)] = str(header).strip()
        elif isinstance(value, (str, int, float)) and str(value).strip():
            out[_check_field(key, name)] = str(value).strip()
        else:
            raise UsageError("load.mapping_file_invalid", path=name, problem=f"{key}: expected a header text")
    return out


# ----------------------------------------------------------------------------------------------
# loading


def _read_bytes(path: Path, limits: Limits) -> bytes:
    name = str(path)
    edges.check_regular_file(path)
    if not path.exists():
        raise InputError("load.file_missing", path=name)
    if path.is_dir():
        raise InputError("load.is_folder", path=name)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise InputError("load.too_large", path=name, size=size, limit=limits.max_file_bytes,
                             env=Limits.env_name("max_file_bytes"))
        return path.read_bytes()
    except PermissionError:
        raise InputError("load.no_permission", path=name) from None
    except OSError as exc:
        raise InputError("load.unreadable", path=name, reason=exc.strerror or str(exc)) from None


#: files at least this big are hashed on a thread while they are parsed (~1 ms of SHA-256 a MiB)
HASH_ON_THREAD_BYTES = 1 << 20


def load_file(path: str | Path, options: LoadOptions | None = None, *, require_dataset: bool = True) -> LoadedFile:
    """Read every sheet of one file and recognise its dataset.

    With `require_dataset` (the default) a file in which no sheet is recognised is an
    `InputError` listing each sheet and what it lacked; `inspect` passes False to show them.
    """
    options = options or LoadOptions()
    limits = options.limits()
    path = Path(path)
    name = edges.shown_name(str(path))  # what reports show: a name that is not UTF-8 escaped as `\\xe5`
    data = _read_bytes(path, limits)
    report_format = is_dxcheck_report(path, data)
    if report_format is not None:
        raise OwnReport(name, report_format, hashlib.sha256(data).hexdigest())
    small = len(data) < HASH_ON_THREAD_BYTES  # hashed at once: a thread would cost more
    with nullcontext() if small else ThreadPoolExecutor(max_workers=1) as pool:
        # a big file's checksum (hashlib releases the GIL) is computed while the file is parsed
        digest = hashlib.sha256(data).hexdigest() if small else None
        checksum = None if small else pool.submit(lambda content: hashlib.sha256(content).hexdigest(), data)
        holder = [data]  # handed over: the reader may free the bytes once it holds its own copy
        del data
        result = read_any(path, holder, options.encoding, options.sep, limits)
        del holder
    give_back()  # what the reader freed, before the fields are typed (`heap.py`)
    digest = digest or checksum.result()
    if not result.sheets or all(sheet.height == 0 for sheet in result.sheets):
        raise InputError("load.empty_workbook", path=name)
    sheets: list[LoadedSheet] = []
    warnings: list[DataWarning] = []
    sheet_notices: list[DataWarning] = []
    for raw in result.sheets:
        raw.name = edges.shown_name(raw.name)  # a CSV's sheet is named after the file
        if raw.visibility != "visible":
            sheet_notices.append(hidden_sheet_notice(name, raw, options.hidden_sheets))
            if not options.hidden_sheets:
                sheets.append(hidden_sheet_left_out(raw))
                continue
        edges.check_cell_lengths(name, raw.name, raw.columns, raw.row_numbers, raw.column_names)
        loader = SheetLoader(name, raw, options.mapping, options.swapped_dates)
        try:
            sheets.append(loader.load())
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - never let a library traceback reach the user
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError("load.sheet_failed", path=name, sheet=raw.name, reason=reason[:200]) from exc
        warnings.extend(loader.warnings)
        sheet_notices.extend(loader.notices)
    notices = _workbook_notes(name, result, sheets, warnings) + sheet_notices
    loaded = LoadedFile(
        path=name, sha256=digest, sheets=sheets, warnings=warnings, kind=result.kind,
        encoding=result.encoding, separator=result.separator, notices=notices,
    )
    if require_dataset and not loaded.recognised:
        raise not_recognised_error(loaded)
    return loaded


def _workbook_notes(name: str, result: ReadResult, sheets: list[LoadedSheet], warnings: list[DataWarning]) -> list[DataWarning]:
    """Warnings for what the workbook holds but dxcheck never does: compute formulas, follow
    links to other files; notices (no data problem) for macros, which are never run."""
    scan = result.scan
    if scan is None:
        return []
    for loaded in sheets:
        measured = scan.sheet(loaded.report.sheet)
        if measured is None or not measured.formula_count or loaded.report.dataset is None:
            continue
        shown = measured.formula_cells[:MAX_FORMULA_CELLS_SHOWN]
        more = measured.formula_count - len(shown)
        warnings.append(DataWarning(
            path=name, sheet=loaded.report.sheet, field=None, rows=sorted(measured.formula_rows),
            code="load.formula_without_value",
            params={"count": measured.formula_count, "cells": ", ".join(shown) + (f", … (+{more})" if more > 0 else "")},
        ))
    if scan.external_links:
        warnings.append(DataWarning(path=name, sheet=None, field=None, rows=[], code="load.external_links",
                                    params={"count": len(scan.external_links),
                                            "targets": ", ".join(scan.external_links[:5])}))
    notices = []
    if scan.macros:
        notices.append(DataWarning(path=name, sheet=None, field=None, rows=[], code="load.macros_ignored",
                                   params={"path": name}))
    return notices


def not_recognised_error(loaded: LoadedFile) -> InputError:
    lines = []
    for sheet in loaded.sheets:
        rep = sheet.report
        if rep.runner_up:
            spec = dataset(rep.runner_up)
            wanted = [f for f in [*spec.key, *spec.required, *spec.required_one_of] if f not in rep.fields]
            wanted = list(dict.fromkeys(wanted))
            lines.append(
                {"sheet": rep.sheet, "closest": rep.runner_up, "found": ", ".join(rep.fields) or "-",
                 "missing": ", ".join(wanted) or "-", "need": spec.min_fields}
            )
        else:
            lines.append({"sheet": rep.sheet, "closest": None, "found": "-", "missing": "-", "need": 0,
                          "hidden": HIDDEN_SHEET in rep.rows_left_out})
    return NotRecognised(loaded.path, lines)


class NotRecognised(InputError):
    """No sheet of a file is any dataset: the message lists each sheet and what it lacked."""

    def __init__(self, path: str, sheets: list[dict]):
        super().__init__("load.not_recognised", path=path, sheets=sheets)

    def __str__(self) -> str:
        from ..messages import t

        lines = [t("load.not_recognised", path=self.params["path"])]
        for item in self.params["sheets"]:
            if item["closest"]:
                lines.append(t("load.not_recognised_sheet", **item))
            elif item.get("hidden"):
                lines.append(t("load.not_recognised_sheet_hidden", sheet=item["sheet"]))
            else:
                lines.append(t("load.not_recognised_sheet_none", sheet=item["sheet"]))
        lines.append(t("load.not_recognised_hint", path=self.params["path"]))
        return "\n".join(lines)


class OwnReport(InputError):
    """The file is a report dxcheck wrote, not an export: never read as data (REFERENCE §3)."""

    def __init__(self, path: str, report_format: str, sha256: str):
        super().__init__("load.own_report", path=path, format=report_format)
        self.sha256 = sha256

    def skipped(self) -> LoadedFile:
        """The file as found in a folder: no sheets, a notice saying it was skipped."""
        path = self.params["path"]
        notice = DataWarning(path=path, sheet=None, field=None, rows=[], code="load.own_report_skipped",
                             params={"path": path, "format": self.params["format"]})
        return LoadedFile(path=path, sha256=self.sha256, sheets=[], warnings=[], kind=self.params["format"],
                          notices=[notice], skipped="dxcheck_report")


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    """Each file to read: the files named, and the supported files of the folders named."""
    return [path for path, _ in _expand_with_folders(paths)]


def _expand_with_folders(paths: Iterable[str | Path]) -> list[tuple[Path, Path | None]]:
    """Each file to read, with the folder it was found in (None: named on its own)."""
    out: list[tuple[Path, Path | None]] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            found = sorted(
                (p for p in path.iterdir() if p.is_file() and read_from_folder(p)),
                key=lambda p: p.name,
            )
            if not found:
                raise InputError("load.folder_empty", path=str(path), extensions=", ".join(SUPPORTED_EXTENSIONS))
            out.extend((p, path) for p in found)
        else:
            out.append((path, None))
    return out


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files `load_inputs(paths)` reads, in its order (for a count shown before reading)."""
    return [path for path, _ in _expand_with_folders(paths)]


def load_inputs(
    paths: Iterable[str | Path], options: LoadOptions | None = None, *, require_dataset: bool = True,
    on_file: Callable[[Path, int, int], None] | None = None,
) -> list[LoadedFile]:
    """Load every file; a folder means every supported file in it (sorted by name).

    A report dxcheck wrote is never data: named on its own it is an `InputError`; found in a
    folder it is skipped, listed with a notice (a folder of nothing else is an `InputError`).
    `on_file(path, position, count)` is called before each file is read (position from 1)."""
    paths, repeated = read_once(paths)
    files = _expand_with_folders(paths)
    if not files:
        raise InputError("load.no_inputs")
    out: list[LoadedFile] = []
    for position, (path, folder) in enumerate(files, 1):
        if on_file is not None:
            on_file(path, position, len(files))
        try:
            out.append(load_file(path, options, require_dataset=require_dataset))
        except OwnReport as report:
            if folder is None:
                raise
            out.append(report.skipped())
    for folder in dict.fromkeys(folder for _, folder in files if folder is not None):
        mine = [loaded for loaded, (_, where) in zip(out, files) if where == folder]
        if all(loaded.skipped for loaded in mine):
            raise InputError("load.folder_only_reports", path=str(folder),
                             files=", ".join(Path(loaded.path).name for loaded in mine))
    if repeated and out:
        out[0].warnings[:0] = repeated  # said first: each input named twice was read once
    return out
