"""The `dxcheck` command line: a thin Typer layer over the library.

Options shared by several commands are defined once below. Every error that the user can fix is
a DxcheckError, printed as one sentence (in --lang) with exit code 2; no traceback is shown
unless DXCHECK_DEBUG=1.
"""

# No `from __future__ import annotations` here: Typer reads every command's annotations on every run,
# and a postponed (string) one is evaluated anew each time (~10 ms of every start-up).

import atexit
import gc
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from . import __version__
from .cli_help import WordsCommand, WordsGroup
from .errors import DxcheckError, UsageError
from .exit_codes import ExitCode
from .messages import LANGUAGES, set_language, t

app = typer.Typer(
    name="dxcheck",
    help="Check a commune's spreadsheet exports against the numeric targets of its digital-transformation plan.\n\n"
         "Example: dxcheck evaluate samples/binh-minh --rules binh-minh-2030 --period 2026-10",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    cls=WordsGroup,
)
rules_app = typer.Typer(help="List, show, check and document rule packs.\n\nExample: dxcheck rules lint rules/",
                        no_args_is_help=True, cls=WordsGroup)
app.add_typer(rules_app, name="rules")

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)

# --- options shared by several commands ----------------------------------------------------------

DataArg = Annotated[list[Path], typer.Argument(
    help="Data files (xlsx, xlsm, xls, ods, csv, parquet) or folders of them.", metavar="DATA",
    show_default=False)]
RulesOpt = Annotated[Optional[list[str]], typer.Option(
    "--rules", "-r", help="A rule pack file, a folder of packs, or a shipped pack id (default: all shipped packs). "
                          "Repeatable.", metavar="PACK", show_default=False)]
LangOpt = Annotated[str, typer.Option(
    "--lang", help="Language of the report and messages: vi or en.", metavar="LANG", envvar="DXCHECK_LANG")]
MapOpt = Annotated[Optional[list[str]], typer.Option(
    "--map", help=("Read FIELD from the column headed HEADER, e.g. --map ngay_hen_tra='Hạn trả'; for a merged "
                   "header type > between levels: --map 'ngay_co_ket_qua=Ngày > Có kết quả'. Repeatable."),
    metavar="FIELD=HEADER", show_default=False)]
MappingOpt = Annotated[Optional[Path], typer.Option(
    "--mapping", help="A YAML file of FIELD: HEADER pairs (or DATASET: {FIELD: HEADER}).", metavar="FILE",
    show_default=False)]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", help="CSV text encoding (default: detected).",
                                                               metavar="ENCODING")]
SepOpt = Annotated[Optional[str], typer.Option("--sep", help="CSV separator (default: detected).", metavar="CHAR")]
SwappedDatesOpt = Annotated[str, typer.Option(
    "--swapped-dates", help="Date columns whose day and month a computer set to US (month-first) dates swapped "
                            "(detected from the data, see docs/troubleshooting.md): check (warn; rules using them "
                            "give no figure), fix (read them right), keep (read them as they are).", metavar="check|fix|keep")]
HiddenSheetsOpt = Annotated[bool, typer.Option(
    "--hidden-sheets", help="Also read the sheets a workbook hides (hidden or very hidden) as data; by default "
                            "they are left out, each named in a note with its row count.")]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only errors and the final one-line summary (a report asked for with --format or "
                          "--output is still written).")]
VerboseOpt = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Also say, on standard error, which dxcheck.toml is used, which files and sheets "
                            "were read as what, and how long each step took.")]


LangOrConfigOpt = Annotated[Optional[str], typer.Option(
    "--lang", help="Language of the report and messages: vi or en (default: the dxcheck.toml's language, else vi).",
    metavar="LANG", envvar="DXCHECK_LANG", show_default=False)]


def _utf8_streams() -> None:
    """Write UTF-8 whatever the Windows code page or PYTHONIOENCODING says: a report redirected to
    a file under cp1258 would otherwise crash on the first Vietnamese letter it cannot encode."""
    for stream in (sys.stdout, sys.stderr):
        if (getattr(stream, "encoding", "utf-8") or "").lower().replace("-", "") != "utf8" \
                and callable(getattr(stream, "reconfigure", None)):
            stream.reconfigure(encoding="utf-8")


# --- dxcheck.toml: found from the first data path; every option given on the command line wins ---


def _configured(data: list[Path], lang: str | None, quiet: bool = False):
    """Start in --lang (else the data folder's dxcheck.toml's language, else vi); return the file's
    settings (said on stderr unless --quiet) or None. A mistake in the file is reported in --lang or vi."""
    from .config import find_config

    _start(lang or "vi")
    config = find_config(_config_start(data)) if data else None
    if config is not None:
        if not lang and config.language:
            _start(config.language)
        if quiet:
            return config
        _say(stderr, t("config.using", path=str(config.path)))
    return config


def _config_start(data: list[Path]) -> Path:
    """Where the run's dxcheck.toml is looked for: the first data path's folder, except when the
    files name several commune folders (a pre-commit hook's commit): then their common folder, so
    one commune's file (its name, issuer, mapping) never heads or reads another's."""
    from .province import CommuneFiles, group_by_commune_folder

    if sum(isinstance(unit, CommuneFiles) for unit in group_by_commune_folder(list(data))) < 2:
        return data[0]
    return Path(os.path.commonpath([Path(path).absolute() for path in data]))


def _start(lang: str) -> None:
    if lang not in LANGUAGES:
        raise UsageError("cli.bad_lang", value=lang, choices=", ".join(LANGUAGES))
    set_language(lang)


def _load_options(maps: list[str] | None, mapping: Path | None, encoding: str | None, sep: str | None,
                  swapped_dates: str = "check", config=None, hidden_sheets: bool = False):
    from .load import LoadOptions, parse_mapping

    # the file's mapping first, so that --mapping and --map override it field by field
    combined = parse_mapping(config.map_pairs(), config.mapping_file) if config else {}
    combined.update(parse_mapping(list(maps or []), str(mapping) if mapping else None))
    return LoadOptions(mapping=combined, encoding=encoding, sep=sep, swapped_dates=swapped_dates,
                       hidden_sheets=hidden_sheets)


def _closest(value: str, names) -> list[str]:
    from .load.closest import closest_names

    return closest_names(value, names)


def _bad_format(value: str, formats) -> UsageError:
    """An unknown --format (or --output extension), with the formats it may have meant."""
    return UsageError("cli.bad_format", value=value, choices=", ".join(formats),
                      suggestions=_closest(value.lstrip("."), formats))


def _progress(message: str, quiet: bool = False):
    """Per-file progress on standard error (cli_progress.py), only on a terminal and without --quiet;
    else a stand-in whose `on_file` is None (the library then calls nothing)."""
    from contextlib import nullcontext
    from types import SimpleNamespace

    if stderr.is_terminal and not quiet:
        from .cli_progress import FileProgress

        return FileProgress(stderr, message)
    return nullcontext(SimpleNamespace(on_file=None))


# --- --quiet and --verbose: what is said besides the report ----------------------------------------


def _talk(quiet: bool, verbose: bool, lang: str | None) -> None:
    if quiet and verbose:
        _start(lang or "vi")
        raise UsageError("cli.quiet_and_verbose")


def _say(console: Console, message: str) -> None:
    """Print a message that may hold file, folder or sheet names: never rich markup, no control
    character or escape sequence reaches the terminal (render/escape.py)."""
    from .render.terminal import say

    say(console, message, soft_wrap=True)


def _note(message: str) -> None:
    _say(stderr, message)


def _took(verbose: bool, started: float, what_key: str, **params) -> None:
    """--verbose: say how long the step begun at `started` (perf_counter) took, on standard error."""
    if verbose:
        _note(t("cli.verbose_timing", what=t(what_key, **params), seconds=time.perf_counter() - started))


def _say_inputs(inputs) -> None:
    """--verbose: every file read, and each of its sheets with the dataset it was read as."""
    for item in inputs:
        if item.skipped:
            _note(t("cli.verbose_skipped", path=item.path))
            continue
        _note(t("cli.verbose_file", path=item.path))
        for sheet in item.sheets:
            if sheet.dataset:
                _note(t("cli.verbose_sheet", sheet=sheet.sheet, dataset=sheet.dataset, used=sheet.rows_used,
                        total=sheet.rows_total))
            else:
                _note(t("cli.verbose_sheet_unrecognised", sheet=sheet.sheet, total=sheet.rows_total))


def _write(path: Path, content: str | bytes) -> None:
    from .atomic import write_atomic

    # Whole or not at all: a report open in Excel, a kill or a full disk leaves last month's file intact.
    try:
        write_atomic(path, content)
    except OSError as exc:
        raise UsageError("cli.output_unwritable", path=str(path), reason=exc.strerror or str(exc)) from None


def _guard_inputs(outputs: list[Path | None], data: list[Path], rules, mapping: Path | None, config,
                  history: Path | None = None) -> None:
    """Refuse, before anything is read, an output (or the --history folder) that is or is inside an
    input: the data, the packs given as paths, the mapping file, dxcheck.toml and its mapping."""
    from .output_guard import refuse_overlap

    inputs: list[Path | str | None] = [*data, mapping, *(rules or [])]
    if config is not None:
        inputs += [config.path, config.mapping_file]
    refuse_overlap([*outputs, history], inputs)


# --- commands -----------------------------------------------------------------------------------


@app.command(cls=WordsCommand)
def evaluate(
    data: DataArg,
    rules: RulesOpt = None,
    period: Annotated[Optional[str], typer.Option(
        "--period", "-p", help="The month 2026-10 (or 10/2026, T10/2026), quarter 2026-Q4 (or Q4/2026, Quý 4/2026) "
                               "or year 2026 to evaluate (default: the data folder's name when a dxcheck.toml is "
                               "found, e.g. du-lieu/2026-10; else every row, the period ending on the latest date "
                               "in the data).", metavar="PERIOD")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="First day of a custom period (2026-10-01).", metavar="DATE")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Last day of a custom period (2026-10-31).", metavar="DATE")] = None,
    output_format: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="terminal, md, html, json, junit, xlsx or pdf (printed by an installed Edge, "
                               "Chrome or Chromium). Default: terminal, or the --output file's extension.",
        metavar="FORMAT")] = None,
    output: Annotated[Optional[list[Path]], typer.Option(
        "--output", "-o", help="Write the report to this file (format from its extension). Repeatable.", metavar="FILE")] = None,
    lang: LangOrConfigOpt = None,
    maps: MapOpt = None,
    mapping: MappingOpt = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Also fail the run on rules without data and on data-quality warnings.")] = False,
    samples: Annotated[int, typer.Option("--samples", help="How many failing records to list under each rule "
                                         "(0: none); the Excel output lists them all.",
                                         metavar="N")] = 20,
    by: Annotated[Optional[str], typer.Option(
        "--by", help="Break each rule down by this field (e.g. linh_vuc, don_vi).", metavar="FIELD")] = None,
    no_timestamp: Annotated[bool, typer.Option(
        "--no-timestamp", help="Leave the generation time out, for reports that diff cleanly.")] = False,
    encoding: EncodingOpt = None,
    sep: SepOpt = None,
    swapped_dates: SwappedDatesOpt = "check",
    hidden_sheets: HiddenSheetsOpt = False,
    group_by: Annotated[str, typer.Option(
        "--group-by", help="auto: each DATA argument is one commune when several hold the same dataset, "
                           "else they are one commune's files; file: always one commune per argument.", metavar="auto|file")] = "auto",
    combine: Annotated[bool, typer.Option(
        "--combine", help="Treat all DATA as one commune's data (no per-file results or ranking).")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Evaluate communes in this many processes.", metavar="N")] = 1,
    executor: Annotated[str, typer.Option(
        "--executor", help="Where communes are evaluated: local (processes on this machine, see --jobs), dask (a "
                           "dask cluster of --jobs processes started on this machine) or dask://HOST:PORT (a running "
                           "dask cluster; the data paths must be readable by its workers). dask needs "
                           "pip install 'dxcheck[dask]'.", metavar="EXECUTOR")] = "local",
    history: Annotated[Optional[Path], typer.Option(
        "--history", help="A folder that keeps every run by pack and period; reports then show earlier "
                          "periods beside this one. Example: --history lich-su/", metavar="FOLDER")] = None,
    issuer: Annotated[Optional[str], typer.Option(
        "--issuer", help='The issuing body of the report heading, e.g. for a province roll-up "Sở Nội vụ tỉnh …" '
                         "(default: dxcheck.toml's issuer).", show_default=False, metavar="NAME")] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Evaluate data files against rule packs and report, target by target, pass or fail.

    Example: dxcheck evaluate ho-so-2026-10.xlsx can-bo.xlsx --rules binh-minh-2030 --period 2026-10
    """
    with _importing():
        from .api import evaluate as run
        from .render import FORMATS, format_for_path, renderer

    _talk(quiet, verbose, lang)
    config = _configured(data, lang, quiet)
    if period and (date_from or date_to):
        raise UsageError("cli.period_conflict")
    from .evaluation.period import explicit_period, parse_period

    chosen_period = parse_period(period) if period else (
        explicit_period(date_from, date_to) if (date_from or date_to) else None)
    period_from_folder = chosen_period is None and config is not None and config.period is not None
    if period_from_folder:
        chosen_period = config.period
    rules = rules or (config.packs if config else None) or None
    if samples < 0:
        raise UsageError("cli.bad_samples")
    if group_by not in ("auto", "file") or (combine and group_by == "file"):
        raise UsageError("cli.bad_group_by", value=group_by)
    if jobs < 1:
        raise UsageError("cli.bad_jobs", value=jobs)
    from .executors import parse as parse_executor

    chosen_executor = parse_executor(executor)
    if output_format and output_format not in FORMATS:
        raise _bad_format(output_format, FORMATS)
    if by:
        from .datasets import vocabulary

        fields = {name for spec in vocabulary().datasets.values() for name in spec.fields}
        if by not in fields:
            raise UsageError("cli.bad_by", value=by, suggestions=_closest(by, fields))
    targets: list[tuple[str, Path | None]] = []
    for path in output or []:
        chosen = output_format if (output_format and len(output or []) == 1) else format_for_path(path)
        if chosen is None:
            raise _bad_format(path.suffix or str(path), FORMATS)
        targets.append((chosen, path))
    if not targets:
        targets.append((output_format or "terminal", None))
    _guard_inputs([path for _, path in targets], data, rules, mapping, config, history)
    if any(name == "pdf" for name, _ in targets):
        from .render.pdf import require_browser

        require_browser()  # before a long evaluation, not after it
    # Which file is being read, on a terminal, for runs longer than a second; nothing when piped or in CI.
    started = time.perf_counter()
    with _progress(t("cli.working", count=len(data)), quiet) as progress:
        result = run(data, rules=rules, period=chosen_period, strict=strict,
                     load_options=_load_options(maps, mapping, encoding, sep, swapped_dates, config, hidden_sheets), samples=samples, by=by,
                     timestamp=not no_timestamp, group_by="combine" if combine else group_by, jobs=jobs,
                     executor=chosen_executor, history=history, keep_failing=any(name == "xlsx" for name, _ in targets),
                     on_file=progress.on_file)
    if period_from_folder:
        from .config import period_note

        first = data[0] if data[0].is_dir() else data[0].parent
        result.notes.append(period_note(config, first))
    _took(verbose, started, "cli.verbose_what_evaluate", count=len(result.inputs))
    if verbose:
        _say_inputs(result.inputs)
    heading = _heading(config, issuer)
    for name, path in targets:
        if quiet and path is None and name == "terminal":
            continue  # the summary line below stands for it
        started = time.perf_counter()
        render = renderer(name)
        if path is None:
            if name == "terminal":
                render(result, console=stdout)
            else:
                content = render(result, **heading)
                if isinstance(content, bytes):
                    if sys.stdout.isatty():
                        raise UsageError("cli.binary_needs_output", format=name)
                    sys.stdout.flush()
                    sys.stdout.buffer.write(content)
                else:
                    sys.stdout.write(content)
        else:
            _write(path, render(result, **heading))
        _took(verbose, started, "cli.verbose_what_render", format=name)
    written = [str(path) for _, path in targets if path is not None]
    summary = result.summary
    if written:
        key = "output.verdict_no_data" if summary.no_data else "output.verdict"
        _say(stdout, t(key, passed=summary.pass_, failed=summary.fail, no_data=summary.no_data,
                       files=", ".join(written)))
    elif quiet and targets == [("terminal", None)]:
        key = "cli.summary_no_data" if summary.no_data else "cli.summary"
        stdout.print(t(key, passed=summary.pass_, failed=summary.fail, no_data=summary.no_data), markup=False,
                     soft_wrap=True)
    raise typer.Exit(int(result.exit_code()))


def _heading(config, issuer: str | None) -> dict:
    """The report heading: dxcheck.toml's (the province folder's for a roll-up), --issuer winning."""
    heading = config.heading() if config else {}
    if issuer is not None:
        if not issuer.strip():
            raise UsageError("cli.blank_issuer")
        heading["issuer"] = issuer.strip()
    return heading


@app.command(cls=WordsCommand)
def inspect(
    data: DataArg,
    lang: LangOrConfigOpt = None,
    maps: MapOpt = None,
    mapping: MappingOpt = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="terminal (to read) or json (for scripts).",
                                                        metavar="FORMAT")] = "terminal",
    encoding: EncodingOpt = None,
    sep: SepOpt = None,
    swapped_dates: SwappedDatesOpt = "check",
    hidden_sheets: HiddenSheetsOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Show, sheet by sheet, what dxcheck recognised in the data and why.

    Example: dxcheck inspect ho-so-2026-10.xlsx --map ngay_hen_tra='Hạn trả'
    """
    with _importing():
        from .load import check_mapping, load_inputs, render_inspect

    _talk(quiet, verbose, lang)
    config = _configured(data, lang, quiet)
    if output_format not in ("terminal", "json"):
        raise _bad_format(output_format, ("terminal", "json"))
    # inspect shows unrecognised sheets too: it is where the "not recognised" error sends users
    options = _load_options(maps, mapping, encoding, sep, swapped_dates, config, hidden_sheets)
    started = time.perf_counter()
    files = load_inputs(data, options, require_dataset=False)
    _took(verbose, started, "cli.verbose_what_inspect", count=len(files))
    if quiet and output_format == "terminal":
        sheets = [sheet for loaded in files for sheet in loaded.sheets]
        stdout.print(t("cli.inspect_summary", files=len(files), sheets=len(sheets),
                       recognised=sum(1 for sheet in sheets if sheet.report.dataset is not None)), markup=False)
    else:
        render_inspect(files, fmt=output_format, console=stdout)
    # after the listing, which shows the headers a mistyped mapping should have named
    check_mapping(options.mapping, [loaded.report() for loaded in files])


@rules_app.command("list", cls=WordsCommand)
def rules_list(rules: RulesOpt = None, lang: LangOpt = "vi") -> None:
    """List the rules of the packs: id, title, target, dataset, deadline.

    Example: dxcheck rules list --rules binh-minh-2030
    """
    from .packs.loader import load_packs, resolve_rule_paths
    from .render.rules import rules_table

    _start(lang)
    stdout.print(rules_table(load_packs(resolve_rule_paths(rules))))


@rules_app.command("show", cls=WordsCommand)
def rules_show(rule_id: Annotated[str, typer.Argument(help="The rule's id: PACK/RULE (binh-minh-2030/on-time) or just RULE.",
                                                                  metavar="RULE")], rules: RulesOpt = None,
               lang: LangOpt = "vi") -> None:
    """Everything about one rule: target, milestones, source quote, measurements.

    Example: dxcheck rules show binh-minh-2030/on-time
    """
    from .packs.loader import load_packs, resolve_rule_paths
    from .render.rules import rule_details

    _start(lang)
    packs = load_packs(resolve_rule_paths(rules))
    pack_id, _, short = rule_id.rpartition("/")
    found = [(pack, rule) for pack in packs for rule in pack.pack.rules
             if rule.id == short and (not pack_id or pack.id == pack_id)]
    if not found:
        # within the named pack, compared without the pack id, which all its rules share
        same_pack = [rule.id for pack in packs if pack.id == pack_id for rule in pack.pack.rules]
        if same_pack:
            suggestions = [f"{pack_id}/{name}" for name in _closest(short, dict.fromkeys(same_pack))]
        else:
            ids = [f"{pack.id}/{rule.id}" if pack_id else rule.id for pack in packs for rule in pack.pack.rules]
            suggestions = _closest(rule_id, dict.fromkeys(ids))
        raise UsageError("cli.unknown_rule", id=rule_id, suggestions=suggestions)
    for pack, rule in found:
        stdout.print(rule_details(pack, rule))


@rules_app.command("lint", cls=WordsCommand)
def rules_lint(packs: Annotated[Optional[list[str]], typer.Argument(
        help="Pack files, folders of packs or shipped pack ids (default: all shipped packs).", metavar="PACK",
        show_default=False)] = None,
        output_format: Annotated[str, typer.Option(
            "--format", help="text (file:line:col lines and a summary), json (a list of findings) or github "
                             "(GitHub Actions annotations).", metavar="FORMAT")] = "text",
        lang: LangOpt = "vi") -> None:
    """Check packs: schema, unique ids, fields and codes, verbatim quotes, operators against their wording,
    reachable targets. Every finding of every pack is reported.

    Exit 0 when clean, 1 with findings, 2 when a pack cannot be found. Example: dxcheck rules lint hoang-son-2030
    """
    from .packs.lint import lint_file, lint_targets
    from .render.lint import render_findings

    _start(lang)
    if output_format not in ("text", "json", "github"):
        raise _bad_format(output_format, ("text", "json", "github"))
    files = lint_targets(packs)
    findings = [finding for path in files for finding in lint_file(path)]
    sys.stdout.write(render_findings(findings, output_format, files=len(files)))
    raise typer.Exit(int(ExitCode.FAILED if findings else ExitCode.OK))


@rules_app.command("draft", cls=WordsCommand)
def rules_draft(
    files: Annotated[list[Path], typer.Argument(
        help="The plan (.txt or .md in UTF-8, .docx, .pdf with a text layer); with --check: the pack, then the plan.",
        metavar="PLAN", show_default=False)],
    pack_id: Annotated[Optional[str], typer.Option(
        "--id", help="The new pack's id, e.g. xa-an-binh-2030 (default: from the plan's file name).",
        metavar="ID", show_default=False)] = None,
    learn_from: Annotated[Optional[list[str]], typer.Option(
        "--from", help="Also match targets against this pack's rules (a shipped pack id or a pack file). Repeatable.",
        metavar="PACK", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="The pack file to write; the plan's text goes to sources/ beside it (default: print).",
        metavar="FILE", show_default=False)] = None,
    deadline: Annotated[Optional[int], typer.Option(
        "--deadline", help="The deadline year of targets whose plan gives none (no “đến năm …”, no period).",
        metavar="YEAR", show_default=False)] = None,
    check_only: Annotated[bool, typer.Option(
        "--check", help="Write nothing: list the plan's targets the pack does not cite and the pack's quotes the "
                        "plan does not contain (exit 1 if any).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
    lang: LangOpt = "vi",
) -> None:
    """Draft a rule pack from a plan: one rule per target (its clause quoted verbatim, section, operator from
    the wording, value, deadline), matched to the indicator dxcheck measures, with the confidence as a comment;
    unmatched targets read a declared value (chi_tieu), marked TODO.

    Example: dxcheck rules draft ke-hoach.docx --id xa-an-binh-2030 -o rules/xa-an-binh-2030.yaml
    """
    from .draft.command import run_check, run_draft

    _start(lang)
    if check_only:
        if len(files) != 2:
            raise UsageError("authoring.draft.check_args")
        pack_name, result = run_check(files[0], files[1])
        for target in result.missing:
            _say(stdout, t("authoring.draft.check_missing", section=target.section or "?", quote=target.quote))
        for rule, quote in result.absent:
            _say(stdout, t("authoring.draft.check_absent", rule=rule, quote=quote))
        if result.missing or result.absent:
            _say(stdout, t("authoring.draft.check_summary", pack=pack_name, missing=len(result.missing),
                           absent=len(result.absent)))
            raise typer.Exit(int(ExitCode.FAILED))
        _say(stdout, t("authoring.draft.check_complete", pack=pack_name, targets=result.targets))
        return
    if len(files) != 1:
        raise UsageError("authoring.draft.check_args" if len(files) == 2 else "authoring.draft.one_plan")
    drafted = run_draft(files[0], pack_id, learn_from or [], output, deadline, force)
    if drafted.output is None:
        sys.stdout.write(drafted.yaml)
        _say(stderr, t("authoring.draft.stdout_note"))
        return
    rules = drafted.pack.rules
    _say(stdout, t("authoring.draft.written", path=str(drafted.output), rules=len(rules),
                   matched=sum(1 for rule in rules if rule.match.indicator),
                   todo=sum(1 for rule in rules if rule.todo or rule.same_as), source=str(drafted.source)))
    _say(stdout, t("authoring.draft.next", path=str(drafted.output), plan=str(files[0])))


@app.command(cls=WordsCommand)
def schema(kind: Annotated[str, typer.Argument(
        help="pack: the rule-pack format (default); result: the output of evaluate --format json.",
        metavar="pack|result", show_default=False)] = "pack") -> None:
    """Print a JSON Schema: of the rule-pack format (for editors), or of `evaluate --format json`.

    Example: dxcheck schema > dxcheck-pack.schema.json (and: dxcheck schema result > dxcheck-result.schema.json)
    """
    import json

    if kind == "result":
        from .output_schema import shipped_text

        sys.stdout.write(shipped_text())
        return
    if kind != "pack":
        raise UsageError("cli.unknown_schema", kind=kind)
    from .packs.model import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command(cls=WordsCommand)
def init(
    folder: Annotated[Path, typer.Argument(
        help="The commune's folder to create or fill (default: the current folder).", metavar="FOLDER")] = Path("."),
    source: Annotated[Optional[str], typer.Option(
        "--from", help="The plan to start from: a shipped pack id (binh-minh-2030, hoang-son-2030) or a pack file.",
        metavar="PACK", show_default=False)] = None,
    commune: Annotated[Optional[str], typer.Option(
        "--commune", help='The commune\'s name as it writes it, e.g. "Xã Bình Minh" or "Phường Tân An".',
        metavar="NAME", show_default=False)] = None,
    pack_id: Annotated[Optional[str], typer.Option(
        "--id", help="The new pack's id (default: the commune's name and the plan's last year, e.g. binh-minh-2030).",
        metavar="ID", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
    lang: LangOpt = "vi",
    kind: Annotated[Optional[str], typer.Option(
        "--kind", help="xã, phường, đặc khu or thị trấn (default: from --commune or the exports' banner).",
        metavar="KIND", show_default=False)] = None,
    packs: Annotated[Optional[list[str]], typer.Option(
        "--pack", help="The rule pack(s) dxcheck.toml names (default: the shipped pack of the commune, if any). "
                       "Repeatable.", metavar="PACK", show_default=False)] = None,
    issuer: Annotated[Optional[str], typer.Option(
        "--issuer", help='The issuing body of the report heading (default: "Ủy ban nhân dân xã …").',
        metavar="NAME", show_default=False)] = None,
    signers: Annotated[Optional[list[str]], typer.Option(
        "--signer", help='A signature title, left to right (default: "NGƯỜI LẬP BIỂU", "CHỦ TỊCH"). Repeatable.',
        metavar="TITLE", show_default=False)] = None,
) -> None:
    """Write a data folder's dxcheck.toml (commune, heading, signers, packs, mapping), filled from the
    options and the exports' banners, explained in Vietnamese and English; or, with --from, start a
    commune's folder: its rule pack, the plan's text, a column-mapping template, a README explaining the
    monthly routine (in --lang) and its dxcheck.toml. Existing files are left alone unless --force.

    Example: dxcheck init du-lieu --commune "Xã Bình Minh"; dxcheck init xa-binh-minh --from binh-minh-2030 --commune "Xã Bình Minh"
    """
    from shlex import quote

    from .config import CONFIG_FILE
    from .config_init import settings_for, target_folder, write_config
    from .scaffold import MAPPING_FILE, README_FILE, parse_commune, scaffold

    _start(lang)
    if source is None:  # a data folder: its dxcheck.toml only
        settings = settings_for(folder, commune=commune, kind=kind, issuer=issuer, signers=signers, packs=packs,
                                language=lang)
        if settings.found_in is not None:
            _say(stdout, t("config.init.found_commune", file=str(settings.found_in),
                           commune=f"{settings.commune_kind} {settings.commune}"))
        path = write_config(target_folder(folder), settings, force=force)
        _say(stdout, t("config.init.created", path=str(path)))
        _say(stdout, t("config.init.next", folder=quote(str(folder))))
        return
    # options checked before anything is written; the commune's name (required here) is checked by scaffold
    settings = settings_for(folder, commune=None, kind=kind, issuer=issuer, signers=signers, packs=packs,
                            language=lang)
    written = scaffold(folder, source=source, commune=commune, pack_id=pack_id, force=force,
                       also_written=(CONFIG_FILE,))
    unit = parse_commune(commune or "")
    settings.commune, settings.commune_kind = unit.name, kind or unit.kind.lower()
    settings.packs, settings.mapping_file, settings.found_in = packs or [written[0].name], MAPPING_FILE, None
    written.append(write_config(folder, settings, force=True))
    for path in written:
        _say(stdout, t("authoring.init.created", path=str(path)))
    # the next steps are commands to copy: paths with spaces are quoted
    pack_file, mapping, month, report = (quote(str(path)) for path in (
        written[0], folder / MAPPING_FILE, folder / "du-lieu" / "2026-10", folder / "bao-cao" / "2026-10.html"))
    _say(stdout, "\n" + t("authoring.init.done", commune=parse_commune(commune or "").full))
    # dxcheck.toml names the pack and the mapping; the month comes from the folder's name
    evaluate_command = f"dxcheck evaluate {month} --output {report}"
    for key, command in (("authoring.init.next_lint", f"dxcheck rules lint {pack_file}"),
                         ("authoring.init.next_inspect", f"dxcheck inspect {month} --mapping {mapping}"),
                         ("authoring.init.next_evaluate", evaluate_command)):
        _say(stdout, f"  • {t(key)}\n      {command}")
    _say(stdout, f"  • {t('authoring.init.next_readme')}\n      {folder / README_FILE}")


@rules_app.command("docs", cls=WordsCommand)
def rules_docs(
    rules: RulesOpt = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Folder to write the pages to (default: print them).", metavar="FOLDER",
        show_default=False)] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Write nothing; exit 1 if the pages in --output are missing or out of date (for CI).")] = False,
    lang: LangOpt = "vi",
) -> None:
    """Write the reference pages (datasets and fields, each pack's rules and how they are measured, exit
    codes) from the packs' and the vocabulary's own definitions, Vietnamese first, English second.

    Example: dxcheck rules docs --output docs/reference
    """
    from .docs_gen import generate, stale, write
    from .output_guard import refuse_overlap
    from .packs.loader import load_packs, resolve_rule_paths

    _start(lang)
    if check and output is None:
        raise UsageError("authoring.docs.check_needs_output")
    if output is not None and not check:
        refuse_overlap([output], rules or [])  # before any pack is read
    pages = generate(load_packs(resolve_rule_paths(rules)))
    if output is not None and not check:
        refuse_overlap([output / name for name in pages], rules or [])
    if output is None:
        for name, text in pages.items():
            sys.stdout.write(f"<!-- {t('authoring.docs.stdout_separator', name=name)} -->\n\n{text}\n")
        return
    if check:
        problems = stale(pages, output)
        for path, kind in problems:
            _say(stdout, t(f"authoring.docs.{kind}", path=str(path), folder=str(output)))
        if problems:
            raise typer.Exit(int(ExitCode.FAILED))
        _say(stdout, t("authoring.docs.up_to_date", count=len(pages), folder=str(output)))
        return
    try:
        written = write(pages, output)
    except OSError as exc:
        raise UsageError("cli.output_unwritable", path=str(output), reason=exc.strerror or str(exc)) from None
    _say(stdout, t("authoring.docs.wrote", count=len(written), folder=str(output)))


@app.command(cls=WordsCommand)
def trend(
    directory: Annotated[Path, typer.Argument(help="The folder given to `evaluate --history`.", metavar="FOLDER")],
    rules: Annotated[Optional[list[str]], typer.Option(
        "--rules", "-r", help="Only these pack ids (default: every pack in the folder).",
        metavar="PACK")] = None,
    output_format: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="terminal, md, json or xlsx (default: terminal, or the --output file's extension).",
        metavar="FORMAT", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write to this file (format from its extension: .md, .json, .xlsx).", metavar="FILE",
        show_default=False)] = None,
    lang: LangOpt = "vi",
) -> None:
    """Show the stored history alone: each rule's value period by period, its trend and projection.

    Example: dxcheck trend lich-su/ --rules binh-minh-2030 (or: -o xu-huong.xlsx for a spreadsheet)
    """
    from .history import load, trajectories, units
    from .render.trend import render_trend

    _start(lang)
    formats = ("terminal", "md", "json", "xlsx")
    if output_format is not None and output_format not in formats:
        raise _bad_format(output_format, formats)
    chosen = output_format or (_trend_format(output) if output is not None else "terminal")
    if output is not None:
        from .output_guard import refuse_overlap

        refuse_overlap([output], [directory])  # the history folder is this command's input
    skipped: list = []
    points = load(directory, list(rules) if rules else None, skipped=skipped)
    for warning in skipped:  # corrupted or foreign files: named, then left out
        _note(warning.message)
    if not points:
        raise UsageError("history.empty", path=str(directory))
    packs = list(rules) if rules else None
    paths = trajectories(directory, packs)
    if chosen == "xlsx":
        from .render.trend_xlsx import render_trend_xlsx

        content = render_trend_xlsx(points, paths, units(directory, packs))
        if output is not None:
            _write(output, content)
        elif sys.stdout.isatty():
            raise UsageError("cli.binary_needs_output", format=chosen)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
        return
    if output is None:
        render_trend(points, chosen, stdout, paths, units(directory, packs))
        return
    import io

    buffer = io.StringIO()
    render_trend(points, chosen, Console(file=buffer, width=120, color_system=None, force_terminal=False), paths,
                 units(directory, packs))
    _write(output, buffer.getvalue())


def _trend_format(path: Path) -> str:
    """`trend -o FILE`: the format its extension names (md, json, xlsx)."""
    from .render import format_for_path

    chosen = format_for_path(path)
    if chosen not in ("md", "json", "xlsx"):
        raise _bad_format(path.suffix or str(path), ("md", "json", "xlsx"))
    return chosen


@app.command(cls=WordsCommand)
def serve(
    folder: Annotated[Optional[Path], typer.Argument(
        help="A data folder the page can check in place (its dxcheck.toml, if any, fills in the plan and month).",
        metavar="FOLDER", show_default=False)] = None,
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: any free port).", metavar="PORT")] = 0,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the address only; do not open a browser.")] = False,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", help="Language of the page: vi or en (default: dxcheck.toml's, else vi).", metavar="LANG", envvar="DXCHECK_LANG",
        show_default=False)] = None,
) -> None:
    """Open a local web page to check files without a terminal: drop the month's files, choose the
    plan and month, read the report, download it. Only this computer can open the page.

    Example: dxcheck serve du-lieu/2026-10
    """
    from .serve import run

    _start(lang or "vi")
    if folder is not None and not folder.is_dir():
        raise UsageError("serve.not_folder", path=str(folder))
    run(folder, port=port, open_browser=not no_browser, lang=lang)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dxcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                 help="Show the version and exit.")] = False) -> None:
    """dxcheck: check commune exports against plan targets."""


@contextmanager
def _importing() -> Iterator[None]:
    """Import pandas, NumPy, pyarrow and the pydantic models with the cycle collector off, then
    freeze what they built out of its sight (the first time in a process): it would otherwise walk
    those ~500,000 long-lived objects over and over while they are built and read (~70 ms of a
    1 s run). Nothing is collected the less afterwards but the import's own leftovers (~1 MiB)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _freeze_once()
        if enabled:
            gc.enable()


@cache
def _freeze_once() -> None:
    gc.freeze()


@cache
def _quick_teardown() -> None:
    """At exit, take the objects then alive out of the cycle collector's sight: the interpreter's
    teardown otherwise walks every one of them (pandas', NumPy's, pyarrow's) for cycles, ~0.1 s
    of a 1 s run, in a process about to end. atexit handlers, flushes and the objects freed by
    reference counting still run as before; only cyclic garbage is left to the operating system.
    Registered once, however often `main` runs in one process (tests)."""
    atexit.register(gc.freeze)


def main() -> None:
    """Console entry point: run the app, turning user errors into one line and exit code 2."""
    _quick_teardown()
    _utf8_streams()
    try:
        code = app(standalone_mode=False)
    except DxcheckError as error:
        _fatal(str(error))
        sys.exit(int(error.exit_code))
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except KeyboardInterrupt:
        _fatal(t("cli.interrupted"))
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as error:  # noqa: BLE001 - last line of defence: no traceback for users
        # Typer vendors click; its usage errors carry show() and exit_code.
        if callable(getattr(error, "show", None)) and hasattr(error, "exit_code"):
            error.show()
            sys.exit(int(ExitCode.INPUT_ERROR))
        if type(error).__name__ == "Abort":  # click's name for a Ctrl-C it caught
            _fatal(t("cli.interrupted"))
            sys.exit(int(ExitCode.INTERRUPTED))
        if os.environ.get("DXCHECK_DEBUG"):
            raise
        _fatal(t("cli.internal_error", error=f"{type(error).__name__}: {error}"))
        sys.exit(int(ExitCode.INPUT_ERROR))
    if code == ExitCode.INTERRUPTED:  # Typer turns a Ctrl-C into this return value, silently
        _fatal(t("cli.interrupted"))
    sys.exit(code if isinstance(code, int) else 0)


def _fatal(message: str) -> None:
    from rich.text import Text

    from .render.escape import terminal

    stderr.print(Text.assemble(("dxcheck: ", "bold red"), terminal(message, newlines=True)), soft_wrap=True)
