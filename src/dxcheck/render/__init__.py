"""Renderers: each turns an EvaluationResult into one output format.

Adding a format means one module here (a `render(result, **options) -> str | bytes` function)
and one line in FORMATS; nothing else changes.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

#: Marks that tell a report of ours from data, looked for by `load/own_reports.py` (a report
#: saved into the data folder is skipped, never read as an export). HTML, JSON and JUnit carry
#: theirs already: the generator meta, the `dxcheck_version` key, `<testsuites name="dxcheck">`.
XLSX_PROPERTY = "dxcheck-report"  # a custom document property, its value the version
MARKDOWN_MARK = "<!-- generator: dxcheck {version} -->"  # the first line

#: format name -> (module, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "terminal": ("terminal", ".txt"),
    "json": ("json_", ".json"),
    "md": ("markdown", ".md"),
    "junit": ("junit", ".xml"),
    "html": ("html", ".html"),
    "xlsx": ("xlsx", ".xlsx"),
    "pdf": ("pdf", ".pdf"),
}


def format_for_path(path: str | Path) -> str | None:
    suffix = Path(path).suffix.lower()
    for name, (_, extension) in FORMATS.items():
        if name != "terminal" and extension == suffix:
            return name
    return None


def renderer(name: str):
    module, _ = FORMATS[name]
    return import_module(f"{__name__}.{module}").render
