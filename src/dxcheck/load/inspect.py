"""`dxcheck inspect`: what was recognised in each sheet, and why.

`inspect()` returns plain data (JSON-ready, deterministic); `render_inspect()` prints it as a
rich terminal report or as JSON. Every sentence comes from the message catalogue.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..datasets import dataset
from ..messages import get_language, t
from ..textnorm import fold
from .api import LoadedFile
from .closest import closest_fields, percent
from .headers import typed_header
from .sheet import FROM_GROUP_ROWS
from .text import STR, fold_series
from .values import bool_meanings, category_lookup


def _value_rows(ds: str, fname: str, counts: dict[str, int]) -> list[dict[str, Any]]:
    spec = dataset(ds)
    fspec = spec.fields[fname]
    rows = []
    if fspec.type == "category":
        table = category_lookup(fspec)
        compounds = {
            fold(s): c.sets for c in spec.compound_values for s in c.spellings if fname in c.sets
        }
        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            key = fold(value)
            if value == "":
                code, known = fspec.blank, True
            elif key in compounds:
                code, known = " + ".join(f"{k}={v}" for k, v in compounds[key].items()), True
            else:
                code = table.get(key)
                known = code is not None
            rows.append({"value": value, "count": count, "code": code, "known": known})
    elif fspec.type == "bool":
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        texts = pd.Series([value for value, _ in ordered], dtype=STR)
        meaning, unknown, _rejected = bool_meanings(texts, fold_series(texts), fspec)
        for k, (value, count) in enumerate(ordered):
            if value == "":
                code, known = ("yes" if fspec.blank == "yes" else "no"), True
            else:
                code, known = (None, False) if unknown[k] else ("yes" if meaning[k] else "no", True)
            rows.append({"value": value, "count": count, "code": code, "known": known})
    return rows


def _column_headers(rep) -> list[dict[str, Any]]:
    """Every column's joined header; the unused ones with the fields they may be (for `--map`).

    A recognised sheet's columns can only be fields of its dataset; an unrecognised sheet's may
    be any dataset's."""
    read_as = {header: name for name, header in reversed(rep.fields.items())} if rep.dataset else {}
    rows = []
    for header in rep.headers:
        if header in read_as:
            rows.append({"header": header, "field": read_as[header], "closest": []})
            continue
        guesses = closest_fields(header, rep.dataset)
        rows.append({
            "header": header,
            "field": None,
            "closest": [{"dataset": g.dataset, "field": g.field, "spelling": g.spelling, "score": percent(g.score)}
                        for g in guesses],
        })
    return rows


def inspect(files: list[LoadedFile]) -> dict[str, Any]:
    """Plain data describing every file and sheet (the JSON of `dxcheck inspect --format json`)."""
    lang = get_language()
    out_files = []
    for loaded in files:
        sheets = []
        for sheet in loaded.sheets:
            rep = sheet.report
            ds = rep.dataset or rep.runner_up
            spec = dataset(ds) if ds else None
            fields = []
            for fname, header in rep.fields.items():
                fields.append({
                    "field": fname,
                    "header": header,
                    "type": spec.fields[fname].type if spec and fname in spec.fields else None,
                })
            value_counts = {}
            if rep.dataset:
                for fname, counts in sheet.value_counts.items():
                    value_counts[fname] = _value_rows(rep.dataset, fname, counts)
            sheets.append({
                "sheet": rep.sheet,
                "dataset": rep.dataset,
                "dataset_title": dataset(rep.dataset).title.get(lang) if rep.dataset else None,
                "runner_up": rep.runner_up,
                "header_row": rep.header_row,
                "header_rows": list(rep.header_rows),
                "rows_total": rep.rows_total,
                "rows_used": rep.rows_used,
                "rows_left_out": dict(sorted(rep.rows_left_out.items())),
                "fields": fields,
                "unmatched_headers": list(rep.unmatched_headers),
                "missing_fields": list(rep.missing_fields),
                "headers": _column_headers(rep),
                "value_counts": value_counts,
            })
        out_files.append({
            "path": loaded.path,
            "sha256": loaded.sha256,
            "format": loaded.kind,
            "encoding": loaded.encoding,
            "separator": loaded.separator,
            "sheets": sheets,
            "warnings": [
                {"path": w.path, "sheet": w.sheet, "field": w.field, "rows": list(w.rows), "code": w.code,
                 "message": w.message}
                for w in loaded.warnings
            ],
            "notices": [{"sheet": n.sheet, "field": n.field, "rows": list(n.rows), "code": n.code, "message": n.message}
                        for n in loaded.notices],
        })
    return {"files": out_files}


def render_inspect(files: list[LoadedFile], fmt: str = "terminal", console: Console | None = None) -> None:
    console = console or Console()
    data = inspect(files)
    if fmt == "json":
        console.print(
            json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False), markup=False, highlight=False, emoji=False, soft_wrap=True
        )
        return
    if fmt != "terminal":
        raise ValueError(f"unknown inspect format {fmt!r}")
    for file in _terminal_safe(data)["files"]:
        _render_file(console, file)


def _terminal_safe(value: Any) -> Any:
    """Every name, header and value from the files with its control characters and escape sequences
    made visible (render/escape.py); the renderers below print them as Text, never as markup."""
    from ..render.escape import terminal

    if isinstance(value, str):
        return terminal(value, newlines=True)
    if isinstance(value, dict):
        return {_terminal_safe(key): _terminal_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_terminal_safe(item) for item in value]
    return value


def _reason_label(reason: str) -> str:
    return t(f"inspect.reason.{reason}")


def _render_file(console: Console, file: dict[str, Any]) -> None:
    head = t("inspect.file", path=file["path"], format=file["format"] or "?")
    console.rule(Text(head, style="bold"))
    if file["encoding"] and file["separator"]:
        sep = {"\u2409": "TAB", ";": ";", ",": ",", "|": "|"}.get(file["separator"], file["separator"])  # ␉: a cleaned tab
        console.print(Text(t("inspect.csv_details", encoding=file["encoding"], separator=sep)))
    elif file["encoding"]:  # a web page
        console.print(Text(t("inspect.encoding", encoding=file["encoding"])))
    for sheet in file["sheets"]:
        _render_sheet(console, sheet)
    if file["warnings"]:
        console.print(Text(t("inspect.warnings", count=len(file["warnings"])), style="bold yellow"))
        for warning in file["warnings"]:
            where = t("inspect.warning_where", sheet=warning["sheet"] or "-")
            console.print(Text.assemble(("  ⚠ ", "yellow"), (where + " ", "dim"), warning["message"]))
    if file["notices"]:
        console.print(Text(t("inspect.notices", count=len(file["notices"])), style="bold"))
        for notice in file["notices"]:
            where = t("inspect.warning_where", sheet=notice["sheet"]) + " " if notice["sheet"] else ""
            console.print(Text.assemble(("  ℹ ", "cyan"), (where, "dim"), notice["message"]))
    console.print()


def _where(rows: list[int]) -> str:
    """`row 7` or `rows 7–8`, in the current language."""
    first, last = rows
    return t("inspect.rows_one", row=last) if first == last else t("inspect.rows_range", first=first, last=last)


def _render_sheet(console: Console, sheet: dict[str, Any]) -> None:
    console.print()
    title = Text(t("inspect.sheet", sheet=sheet["sheet"]), style="bold cyan")
    console.print(title)
    if sheet["dataset"]:
        line = t("inspect.dataset", dataset=sheet["dataset"], title=sheet["dataset_title"])
        if sheet["runner_up"]:
            line += " " + t("inspect.runner_up", dataset=sheet["runner_up"])
        console.print(Text(line, style="green"))
        rows = sheet["header_rows"] or [sheet["header_row"]] * 2
        console.print(Text(t("inspect.header_row", row=rows[1] if rows[0] == rows[1] else f"{rows[0]}–{rows[1]}")))
    else:
        console.print(Text(t("inspect.unrecognised"), style="bold red"))
        if sheet["runner_up"]:
            console.print(Text(t("inspect.closest", dataset=sheet["runner_up"])))
        if sheet["header_rows"]:
            key = "inspect.candidate_header" if sheet["runner_up"] else "inspect.fullest_row"
            console.print(Text(t(key, where=_where(sheet["header_rows"]))))
    if sheet["dataset"] and sheet["fields"]:
        table = Table(title=None, show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column(t("inspect.col_field"))
        table.add_column(t("inspect.col_type"))
        table.add_column(t("inspect.col_header"))
        for item in sheet["fields"]:
            header = t("inspect.from_group_rows") if item["header"] == FROM_GROUP_ROWS else item["header"]
            table.add_row(item["field"], item["type"] or "", Text(header))
        console.print(table)
    _render_headers(console, sheet)
    if sheet["missing_fields"]:
        console.print(Text(t("inspect.missing", fields=", ".join(sheet["missing_fields"])), style="dim"))
    left = ", ".join(f"{_reason_label(k)} {v}" for k, v in sheet["rows_left_out"].items()) or "0"
    console.print(Text(t("inspect.rows", total=sheet["rows_total"], used=sheet["rows_used"], left_out=left)))
    for fname, rows in sheet["value_counts"].items():
        if not rows:
            continue
        table = Table(title=Text(t("inspect.values_of", field=fname)), title_justify="left", box=None, pad_edge=False)
        table.add_column(t("inspect.col_value"))
        table.add_column(t("inspect.col_count"), justify="right")
        table.add_column(t("inspect.col_code"))
        for row in rows:
            value = row["value"] if row["value"] != "" else t("inspect.blank_value")
            if row["known"]:
                table.add_row(Text(value), str(row["count"]), row["code"] or "—")
            else:
                table.add_row(
                    Text(value, style="bold red"), Text(str(row["count"]), style="bold red"),
                    Text(t("inspect.unknown_value"), style="bold red"),
                )
        console.print(table)


def _render_headers(console: Console, sheet: dict[str, Any]) -> None:
    """The columns a `--map` could name: every one of an unrecognised sheet, the unused ones of a
    recognised sheet, each with the fields it resembles."""
    listed = [row for row in sheet["headers"] if row["field"] is None or not sheet["dataset"]]
    if not listed:
        return
    title = t("inspect.unmatched_title") if sheet["dataset"] else t("inspect.headers_title")
    table = Table(title=Text(title), title_justify="left", show_header=True, header_style="bold", box=None,
                  pad_edge=False)
    table.add_column(t("inspect.col_header"))
    table.add_column(t("inspect.col_closest"))
    example, example_score = None, -1
    for row in listed:
        guesses = [f"{g['dataset']}.{g['field']} ≈ “{g['spelling']}” {g['score']}%" for g in row["closest"]]
        table.add_row(Text(row["header"]), Text("; ".join(guesses) if guesses else "—", style="" if guesses else "dim"))
        if row["closest"] and row["closest"][0]["score"] > example_score:  # the likeliest, as the example
            best = row["closest"][0]
            example, example_score = f"--map {best['dataset']}.{best['field']}=\"{typed_header(row['header'])}\"", best["score"]
    console.print(table)
    if example:
        console.print(Text(t("inspect.map_hint", example=example), style="dim"))
