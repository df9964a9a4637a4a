"""The pages of `dxcheck serve`: pick files, plan and month; see the report; download it; name the
columns of a sheet that was not recognised.

Server-rendered Jinja pages (autoescaped: every file name, header and value is escaped); the only
script adds drag-and-drop to the file picker and sizes the report's frame, and the page works
without it. Evaluation is `dxcheck.evaluate`, run in a worker thread, one run at a time.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import DxcheckError
from ..evaluation.data import PATH
from ..messages import get_language, set_language, t
from ..results import EvaluationResult
from . import uploads
from .mapping_file import save_choices
from .security import Guard

#: results kept for download, newest last (each holds its failing records: keep few)
KEPT_RUNS = 8
DOWNLOADS = {"html": ("text/html; charset=utf-8", ".html"), "xlsx": (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "json": ("application/json", ".json"), "pdf": ("application/pdf", ".pdf")}


@dataclass
class Settings:
    token: str
    port: int
    lang: str = "vi"
    #: the data folder `dxcheck serve FOLDER` was given (checked in place, never written)
    folder: Path | None = None
    #: where column choices are saved (and read from at every run)
    mapping_path: Path = Path("mapping.yaml")
    #: fixed mapping from dxcheck.toml (the mapping file wins over it)
    mapping: dict[str, str] = field(default_factory=dict)
    #: plan choices: key -> (label, pack file); `default_pack` preselected
    packs: dict[str, tuple[str, Path]] = field(default_factory=dict)
    default_pack: str | None = None
    period: str = ""
    commune: str | None = None
    config_path: Path | None = None
    #: the report heading's options from dxcheck.toml (commune, its kind, issuer, signer titles)
    heading: dict = field(default_factory=dict)

    def report_heading(self) -> dict:
        return self.heading or ({"commune": self.commune} if self.commune else {})


@dataclass
class Pending:
    """A run stopped at sheets not recognised: its files wait (in their private folder) for the rerun."""

    folder: Path
    owned: bool
    pack: str
    period: str
    sheets: list[dict[str, Any]]


@dataclass
class State:
    settings: Settings
    runs: OrderedDict = field(default_factory=OrderedDict)
    pending: dict[str, Pending] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: every private folder made for an upload (the tests check each is gone after its run)
    folders: list[Path] = field(default_factory=list)

    def cleanup(self) -> None:
        for pending in self.pending.values():
            if pending.owned:
                uploads.remove(pending.folder)
        self.pending.clear()


@cache
def _templates() -> Environment:
    from ..render.escape import html_finalize

    env = Environment(loader=PackageLoader("dxcheck.serve", "templates"), autoescape=True, finalize=html_finalize,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["t"] = t
    return env


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(name).render(lang=get_language(), **context), status_code=status)


def pdf_available() -> bool:
    """The PDF button shows only where a browser can print it (render/pdf.py: Chromium, Chrome
    or Edge): a PC without one gets no button rather than an error."""
    from ..render.pdf import find_browser

    return find_browser() is not None


def create_app(settings: Settings) -> Starlette:
    state = State(settings)

    def form_context(**extra: Any) -> dict[str, Any]:
        return {"packs": settings.packs, "chosen_pack": extra.pop("pack", None) or settings.default_pack,
                "period": extra.pop("period", settings.period), "folder": settings.folder,
                "config_path": settings.config_path, "error": None, **extra}

    async def index(request: Request) -> Response:
        set_language(settings.lang)
        return page("index.html.j2", **form_context())

    async def run_upload(request: Request) -> Response:
        set_language(settings.lang)
        folder = uploads.private_folder()
        state.folders.append(folder)
        try:
            upload = await uploads.receive_upload(request.headers.get("content-type", ""), request.stream(), folder)
        except uploads.UploadRefused as refused:
            uploads.remove(folder)
            return page("index.html.j2", status=413 if refused.key == "serve.upload_too_large" else 400,
                        **form_context(error=t(refused.key, **refused.params)))
        pack, period = upload.fields.get("pack", ""), upload.fields.get("period", "").strip()
        if not upload.names:
            uploads.remove(folder)
            return page("index.html.j2", status=400, **form_context(pack=pack, period=period,
                                                                    error=t("serve.no_files")))
        return await evaluate_and_show(folder, True, pack, period)

    async def run_folder(request: Request) -> Response:
        set_language(settings.lang)
        form = await request.form()
        if settings.folder is None:
            return page("index.html.j2", status=400, **form_context(error=t("serve.no_files")))
        return await evaluate_and_show(settings.folder, False, str(form.get("pack", "")),
                                       str(form.get("period", "")).strip())

    async def evaluate_and_show(folder: Path, owned: bool, pack: str, period: str) -> Response:
        if pack not in settings.packs:
            if owned:
                uploads.remove(folder)
            return page("index.html.j2", status=400, **form_context(period=period, error=t("serve.no_pack")))
        outcome = await run_in_threadpool(evaluate_folder, state, folder, pack, period)
        kind, value = outcome
        if kind == "unrecognised":
            run_id = uuid.uuid4().hex
            state.pending[run_id] = Pending(folder, owned, pack, period, value)
            return page("mapping.html.j2", run_id=run_id, sheets=value, fields=field_choices(),
                        mapping_path=settings.mapping_path, error=None)
        if owned:
            uploads.remove(folder)
        if kind == "error":
            return page("index.html.j2", status=400, **form_context(pack=pack, period=period, error=value))
        return results_page(value)

    def results_page(run_id: str) -> Response:
        result: EvaluationResult = state.runs[run_id]
        from ..render.html import context

        report = context(result, **settings.report_heading())
        return page("results.html.j2", run_id=run_id, report=report, pdf=pdf_available(),
                    names=[item.path for item in result.inputs], exit_code=int(result.exit_code()))

    async def map_columns(request: Request) -> Response:
        set_language(settings.lang)
        form = await request.form()
        run_id = str(form.get("run", ""))
        pending = state.pending.get(run_id)
        if pending is None:
            return page("index.html.j2", status=400, **form_context(error=t("serve.run_gone")))
        choices: dict[str, str] = {}
        known = {value for group in field_choices() for value, _ in group["fields"]}
        clash = None
        for sheet in pending.sheets:
            for column in sheet["columns"]:
                chosen = str(form.get(column["input"], ""))
                if not chosen:
                    continue
                if chosen not in known:
                    return page("mapping.html.j2", status=400, run_id=run_id, sheets=pending.sheets,
                                fields=field_choices(), mapping_path=settings.mapping_path,
                                error=t("serve.unknown_field", field=chosen))
                if chosen in choices and choices[chosen] != column["header"]:
                    clash = t("serve.field_twice", field=chosen, first=choices[chosen], second=column["header"])
                choices[chosen] = column["header"]
        if clash or not choices:
            return page("mapping.html.j2", status=400, run_id=run_id, sheets=pending.sheets, fields=field_choices(),
                        mapping_path=settings.mapping_path, error=clash or t("serve.nothing_chosen"))
        try:
            save_choices(settings.mapping_path, choices)
        except OSError as exc:
            return page("mapping.html.j2", status=400, run_id=run_id, sheets=pending.sheets, fields=field_choices(),
                        mapping_path=settings.mapping_path,
                        error=t("cli.output_unwritable", path=str(settings.mapping_path),
                                reason=exc.strerror or str(exc)))
        del state.pending[run_id]
        return await evaluate_and_show(pending.folder, pending.owned, pending.pack, pending.period)

    async def download(request: Request) -> Response:
        set_language(settings.lang)
        run_id, kind = request.path_params["run"], request.path_params["kind"]
        result = state.runs.get(run_id)
        if result is None or kind not in DOWNLOADS or (kind == "pdf" and not pdf_available()):
            return Response(t("serve.run_gone"), status_code=404, media_type="text/plain; charset=utf-8")
        content = await run_in_threadpool(render_as, kind, result, settings)
        media, extension = DOWNLOADS[kind]
        name = f"bao-cao-{result.period.label if result.period else 'dxcheck'}{extension}".replace("/", "-")
        inline = request.query_params.get("view") == "1" and kind == "html"
        disposition = "inline" if inline else f'attachment; filename="{_ascii(name)}"'
        return Response(content, media_type=media, headers={"content-disposition": disposition})

    async def script(request: Request) -> Response:
        text = resources.files("dxcheck.serve").joinpath("static", "page.js").read_text(encoding="utf-8")
        return Response(text, media_type="text/javascript; charset=utf-8")

    async def forget(request: Request) -> Response:
        return RedirectResponse("/", status_code=303)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/run", run_upload, methods=["POST"]),
        Route("/run", forget, methods=["GET"]),
        Route("/folder", run_folder, methods=["POST"]),
        Route("/map", map_columns, methods=["POST"]),
        Route("/runs/{run}/report.{kind}", download, methods=["GET"]),
        Route("/static/page.js", script, methods=["GET"]),
    ]
    @asynccontextmanager
    async def lifespan(_app):
        yield
        state.cleanup()  # files waiting for a column choice go when the server stops

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.dxcheck = state
    return Guard(app, token=settings.token, port=settings.port)


def _ascii(name: str) -> str:
    return "".join(char if char.isascii() and char not in '"\\' else "_" for char in name)


def current_mapping(settings: Settings) -> dict[str, str]:
    from ..load import parse_mapping

    mapping = dict(settings.mapping)
    if settings.mapping_path.is_file():
        mapping.update(parse_mapping([], settings.mapping_path))
    return mapping


def evaluate_folder(state: State, folder: Path, pack: str, period: str) -> tuple[str, Any]:
    """("result", run id) | ("unrecognised", sheets to map) | ("error", message); in a worker thread."""
    from ..api import evaluate
    from ..load import LoadOptions, NotRecognised, load_inputs

    settings = state.settings
    set_language(settings.lang)
    with state.lock:
        try:
            mapping = current_mapping(settings)
            # every failing record for the Excel download (as `evaluate -o x.xlsx` keeps them)
            result = evaluate([folder], rules=[settings.packs[pack][1]], period=period or None, mapping=mapping,
                              keep_failing=True)
        except NotRecognised:
            try:
                files = load_inputs([folder], LoadOptions(mapping=mapping), require_dataset=False)
            except DxcheckError as error:
                return "error", _without_folder(str(error), folder)
            return "unrecognised", unrecognised_sheets(files, folder)
        except DxcheckError as error:
            return "error", _without_folder(str(error), folder)
    result = _relative(result, folder)
    run_id = uuid.uuid4().hex
    state.runs[run_id] = result
    while len(state.runs) > KEPT_RUNS:
        state.runs.popitem(last=False)
    return "result", run_id


def _without_folder(text: str, folder: Path) -> str:
    return text.replace(str(folder) + os.sep, "")


def _relative(result: EvaluationResult, folder: Path) -> EvaluationResult:
    """File names as the user knows them (`ho-so.xlsx`), not the private folder they were read from:
    every string of the result (paths of inputs, warnings, samples; message parameters) loses it."""
    prefix = str(folder) + os.sep

    def strip(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(prefix, "") if prefix in value else value
        if isinstance(value, list):
            return [strip(item) for item in value]
        if isinstance(value, tuple):
            return tuple(strip(item) for item in value)
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items()}
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                current = getattr(value, name)
                changed = strip(current)
                if changed is not current:
                    object.__setattr__(value, name, changed)
        return value

    strip(result)
    for item in result.results:  # the Excel download's list of every failing record names files too
        if item.failing is not None and len(item.failing):
            frame = item.failing.frame
            frame[PATH] = frame[PATH].astype(str).str.replace(prefix, "", regex=False)
    return result


def unrecognised_sheets(files: list, folder: Path) -> list[dict[str, Any]]:
    """Each sheet of a file in which none was recognised: its header row, a drop-down per column."""
    from ..load.closest import closest_fields
    from ..load.hidden import HIDDEN_SHEET

    labels = {value: label for group in field_choices() for value, label in group["fields"]}
    sheets = []
    for number, loaded in enumerate(files):
        if loaded.recognised or loaded.skipped:
            continue
        for index, sheet in enumerate(loaded.sheets):
            rep = sheet.report
            if HIDDEN_SHEET in rep.rows_left_out:
                continue  # left out unread (`evaluate` says so): no header to map
            # columns the vocabulary already reads (of the dataset the sheet came closest to)
            known = {header: f"{rep.runner_up}.{name}" for name, header in rep.fields.items()} if rep.runner_up else {}
            columns = []
            for position, header in enumerate(rep.headers):
                guesses = [(f"{guess.dataset}.{guess.field}", labels.get(f"{guess.dataset}.{guess.field}", guess.field))
                           for guess in closest_fields(header, None)]
                columns.append({"header": header, "input": f"c{number}-{index}-{position}", "guesses": guesses,
                                "known": labels.get(known[header], known[header]) if header in known else None})
            sheets.append({"file": _without_folder(loaded.path, folder), "sheet": rep.sheet,
                           "header_rows": rep.header_rows, "rows": rep.rows_total, "columns": columns,
                           "closest": rep.runner_up})
    return sheets


def field_choices() -> list[dict[str, Any]]:
    """Every dataset's fields, for the drop-downs: value `dataset.field`, shown as its usual header."""
    from ..datasets import vocabulary
    from ..render.format import field_label

    lang = get_language()
    groups = []
    for name, spec in vocabulary().datasets.items():
        title = spec.title.get(lang) if hasattr(spec.title, "get") else str(spec.title)
        groups.append({"dataset": name, "title": title or name,
                       "fields": [(f"{name}.{key}", f"{field_label(name, key)} ({key})") for key in spec.fields]})
    return groups


def render_as(kind: str, result: EvaluationResult, settings: Settings) -> bytes | str:
    set_language(settings.lang)
    if kind == "html":
        from ..render.html import render

        return render(result, **settings.report_heading())
    if kind == "pdf":
        from ..render import pdf  # type: ignore[attr-defined]  # see pdf_available

        return pdf.render(result, commune=settings.commune)
    from ..render import renderer

    # the uploads are deleted once read: an Excel link to them would lead nowhere (or elsewhere)
    options = {"source_links": False} if kind == "xlsx" else {}
    return renderer(kind)(result, **options)
