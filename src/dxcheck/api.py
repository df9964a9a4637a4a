"""The library entry point: `dxcheck.evaluate(...)`, usable from a notebook without the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from . import __version__
from .evaluation.data import collect, date_range, dates_outside_period, input_reports, split_units
from .evaluation.engine import Options, evaluate_packs
from .evaluation.period import Period, close_open_ends, explicit_period, inferred_period, parse_period
from .evaluation.rollup import combine
from .messages import get_language, set_language
from .packs.loader import LoadedPack, load_packs, pack_files, resolve_rule_paths
from .province import (CommuneFiles, commune_name, expand_units, group_by_commune_folder, own_mapping,
                       own_packs)
from .results import DataWarning, EvaluationResult, PackOut, PeriodOut, Summary, UnitResult


def _stamp(timestamp: bool) -> str | None:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat() if timestamp else None


def _evaluate_loaded(files: list, packs: list[LoadedPack], period: Period | None, samples: int,
                     by: str | None, strict: bool, timestamp: bool, keep_failing: bool = False) -> EvaluationResult:
    """One commune: all `files` (LoadedFile objects) together."""
    datasets = collect(files)
    chosen = (close_open_ends(period, *date_range(datasets)) if period is not None
              else inferred_period(*date_range(datasets)))
    split = split_units(datasets)
    if split is not None:
        return _evaluate_unit_rows(files, datasets, packs, split, chosen, samples, by, strict, timestamp, keep_failing)
    results = evaluate_packs(packs, datasets, chosen, Options(samples=samples, by=by, keep_failing=keep_failing))
    return EvaluationResult(
        dxcheck_version=__version__,
        generated_at=_stamp(timestamp),
        language=get_language(),
        period=PeriodOut(**chosen.to_json()),
        inputs=input_reports(files, datasets),
        packs=[PackOut.of(loaded) for loaded in packs],
        summary=Summary.of(results),
        results=results,
        warnings=_warnings(files, datasets) + _period_warnings(datasets, period) + _rule_warnings(results),
        notes=[note for loaded in files for note in loaded.notices],
        strict=strict,
    )


def _warnings(files: list, datasets: dict) -> list[DataWarning]:
    """The files' own warnings, then what `collect` found across them (records in two sheets)."""
    return ([warning for loaded in files for warning in loaded.warnings]
            + [warning for data in datasets.values() for warning in data.warnings])


def _period_warnings(datasets: dict, period: Period | None) -> list[DataWarning]:
    """Only for a period that was asked for: one read off the data holds its dates by definition."""
    return dates_outside_period(datasets, period) if period is not None and not period.inferred else []


def _rule_warnings(results: list) -> list[DataWarning]:
    """What measuring found in the data, rule by rule (records of unknown procedure level, a
    response rate too low to trust)."""
    return [warning for result in results for warning in result.rule_warnings]


def _evaluate_unit_rows(files: list, all_datasets: dict, packs: list[LoadedPack], split, period: Period, samples: int,
                        by: str | None, strict: bool, timestamp: bool, keep_failing: bool = False) -> EvaluationResult:
    """A sheet whose rows are units (communes): each unit evaluated on its rows, then rolled up
    exactly as several communes' files are."""
    paths = [loaded.path for loaded in files]
    parts = []
    for name, datasets in split.units:
        results = evaluate_packs(packs, datasets, period, Options(samples=samples, by=by, keep_failing=keep_failing))
        summary = Summary.of(results)
        parts.append(EvaluationResult(
            dxcheck_version=__version__, generated_at=_stamp(timestamp), language=get_language(),
            period=PeriodOut(**period.to_json()), inputs=[], packs=[PackOut.of(loaded) for loaded in packs],
            summary=summary, results=results, warnings=[], strict=strict,
            units=[UnitResult(name=name, inputs=paths, period=PeriodOut(**period.to_json()), summary=summary,
                              results=results)]))
    combined = combine(parts, samples)
    combined.inputs = input_reports(files, all_datasets)
    combined.warnings = (_warnings(files, all_datasets) + _period_warnings(all_datasets, period)
                         + split.warnings(get_language())
                         + [warning for part in parts for warning in _rule_warnings(part.results)])
    combined.notes = [note for loaded in files for note in loaded.notices]
    return combined


def evaluate(
    inputs: Sequence[str | Path] | Iterable,
    rules: Sequence[str | Path] | None = None,
    period: str | Period | None = None,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    mapping: dict[str, str] | None = None,
    load_options=None,
    samples: int = 20,
    by: str | None = None,
    strict: bool = False,
    timestamp: bool = True,
    lang: str | None = None,
    packs: list[LoadedPack] | None = None,
    group_by: Literal["auto", "file", "combine"] = "auto",
    jobs: int = 1,
    history: str | Path | None = None,
    check_mapping: bool = True,
    keep_failing: bool = False,
    on_file: Callable[[Path, int, int], None] | None = None,
    executor=None,
) -> EvaluationResult:
    """Load `inputs` (paths, folders, or already-loaded files), evaluate the packs, return the result.

    Each input is one unit (a commune's file or folder). With `group_by="auto"` units that hold
    the same dataset are separate communes: each is evaluated on its own and `results` is their
    exact roll-up, with `units` and `ranking` filled in; otherwise (a dossier list here, a staff
    list there) they are one commune's data. `group_by="file"` / `"combine"` force either way.
    `jobs` > 1 evaluates units in that many processes (identical results). With `history` (a
    folder) earlier periods' results are read into `result.history` and this run is stored there.
    A `mapping` header found in no input is a `UsageError` offering the closest headers; with
    `check_mapping=False` (`evaluate_file`, which sees one unit of many) it is not checked.
    With `keep_failing` each failing rule keeps all its failing records (`RuleResult.failing`,
    never serialised) besides the first `samples`: the Excel output lists them all.
    `on_file(path, position, count)` is called before each file is read, position counted over
    all inputs from 1 (for a progress display; not called when `jobs` > 1 reads them in workers).
    `executor` evaluates the communes on a dask.distributed cluster instead (identical results): a
    `distributed.Client`, a scheduler address ("tcp://HOST:PORT" or "dask://HOST:PORT"), or "dask"
    for a cluster of `jobs` (default: as many as cores) processes on this machine; None or "local"
    keeps `jobs`. Needs the `dxcheck[dask]` extra (dxcheck/executors.py).

    >>> result = dxcheck.evaluate(["ho-so-2026-10.xlsx"], rules=["binh-minh-2030"], period="2026-10")
    >>> result.summary, result.exit_code()
    """
    token = set_language(lang) if lang else None
    try:
        from .load.once import read_once

        inputs, repeated = read_once(inputs)  # the same file named twice is one commune's, read once
        result = _evaluate(inputs, rules, period, date_from, date_to, mapping, load_options, samples, by, strict,
                           timestamp, packs, group_by, jobs, check_mapping, keep_failing, on_file, executor)
        result.warnings[:0] = repeated
        if history is not None:
            from .history import attach

            attach(result, history)
        return result
    finally:
        if token is not None:
            from .messages import _language

            _language.reset(token)


def _evaluate(inputs, rules, period, date_from, date_to, mapping, load_options, samples, by, strict, timestamp,
              packs, group_by, jobs, check_map=True, keep_failing=False, on_file=None,
              executor=None) -> EvaluationResult:
    """The body of `evaluate`, in the caller's language."""
    from .load import LoadOptions, check_mapping, not_recognised_error
    from .parallel import cores

    if isinstance(executor, str):
        from .executors import parse

        executor = parse(executor)  # None for "local"; a bad value is refused before anything is read

    options = load_options or LoadOptions(mapping=dict(mapping or {}))
    if period is None and (date_from or date_to):
        period = explicit_period(date_from, date_to)
    elif isinstance(period, str):
        period = parse_period(period)
    given = list(inputs)
    units = expand_units(given)  # a province's folder: one unit per commune folder under it
    if group_by == "auto":  # a commit's files (pre-commit) from several commune folders: one unit each
        units = group_by_commune_folder(units)
    # a commune folder found under a province's is known by its own name when nothing else names it
    found = {unit for unit in units if isinstance(unit, Path) and unit not in given}
    found |= {unit.folder for unit in units if isinstance(unit, CommuneFiles)}
    rule_paths = resolve_rule_paths(list(rules) if rules else None)
    if rule_paths is None and packs is None:  # no plan named: the one the communes' own files agree on
        rule_paths = _agreed_packs(units, found)
    pending = None
    if packs is None:  # parsed on a thread while the files are read (the readers release the GIL)
        pack_paths = pack_files(rule_paths)  # a missing pack is refused now, before any file is read
        pending = _packs_in_background(rule_paths)
        used = {Path(path).resolve() for path in pack_paths}
    else:
        used = {Path(loaded.path).resolve() for loaded in packs}

    def loaded_packs() -> list[LoadedPack]:
        return packs if pending is None else pending.result()

    try:
        # a commune folder under a province's reads its files with its own dxcheck.toml's mapping too
        own = [_own_mapping(unit, found) for unit in units]
        unit_options = [replace(options, mapping={**options.mapping, **mine}) if mine else options for mine in own]
        # but one plan for all: a roll-up adds up the same rules, so a commune's own packs are said, not used
        notes = _own_pack_notes(units, found, used, loaded_packs)
    except Exception:
        loaded_packs()  # a pack's error comes first, as when packs were parsed before anything else
        raise
    if executor is None:  # local processes: more than cores (or communes) only add start-up and memory
        jobs = min(jobs, cores(), len(units))
    if len(units) > 1 and group_by != "combine" and (jobs > 1 or executor is not None) and all(
            isinstance(u, (str, Path)) for u in units):
        packs = loaded_packs()
        parts = _evaluate_units_in_parallel(units, rule_paths, period, unit_options, samples, by, strict, timestamp,
                                            jobs, keep_failing, executor)
        if check_map:
            check_mapping(options.mapping, [report for part in parts for report in part.inputs])
            for mine, part in zip(own, parts):
                check_mapping(mine, part.inputs)
        if group_by == "file" or _parts_repeat(parts):
            return _noted(combine(_named(parts, units, found), samples), notes)
    counter = _FileCounter(units, on_file) if on_file is not None else None
    # Units are loaded in turn; once they are known to be separate communes (a dataset repeats, or
    # group_by="file"), each is evaluated and its data dropped before the next is read, so memory
    # holds one commune's data, not all. What is raised, and in which order, is as if every unit
    # were loaded first: a load error, then the mapping checks, then a file with no recognised
    # sheet, then an evaluation error (held until the loads and checks are done).
    separate = group_by == "file" and len(units) > 1
    may_separate = group_by == "auto" and len(units) > 1
    held: list[list] = []  # loaded, not yet evaluated
    parts: list[EvaluationResult] = []
    reports: list[list] = []
    seen: set[str] = set()
    unrecognised = failure = None
    for unit, chosen in zip(units, unit_options):
        try:
            files = _load_unit(unit, chosen, counter)
        except Exception:
            loaded_packs()  # a pack's error comes first, as when packs were parsed before any file was read
            raise
        reports.append([loaded.report() for loaded in files])
        if unrecognised is None:  # a skipped report of ours has no sheets
            unrecognised = next((loaded for loaded in files if not loaded.recognised and not loaded.skipped), None)
        mine = {sheet.report.dataset for loaded in files for sheet in loaded.sheets if sheet.report.dataset}
        separate = separate or (may_separate and bool(mine & seen))
        seen |= mine
        held.append(files)
        del files
        if not separate:
            continue
        if unrecognised is not None or failure is not None:  # nothing will be evaluated: keep no data
            held.clear()
            continue
        packs = loaded_packs()
        while held:
            try:
                parts.append(_evaluate_loaded(held.pop(0), packs, period, samples, by, strict, timestamp, keep_failing))
            except Exception as exc:  # noqa: BLE001 - raised below, after the loads and checks
                failure = exc
                held.clear()
    # a mapped header may be in any input: checked once all are loaded, before a file none of whose
    # sheets is recognised (a mistyped mapping may be why) is refused; a commune's own mapping is
    # checked against its files alone
    packs = loaded_packs()
    if check_map:
        check_mapping(options.mapping, [report for unit_reports in reports for report in unit_reports])
        for mine_mapping, unit_reports in zip(own, reports):
            check_mapping(mine_mapping, unit_reports)
    if unrecognised is not None:
        raise not_recognised_error(unrecognised)
    if failure is not None:
        raise failure
    if not separate:
        files = [loaded for unit_files in held for loaded in unit_files]
        return _noted(_evaluate_loaded(files, packs, period, samples, by, strict, timestamp, keep_failing), notes)
    return _noted(combine(_named(parts, units, found), samples), notes)


def _agreed_packs(units: list, found: set) -> list[Path] | None:
    """The packs every commune folder found under a province's names in its own dxcheck.toml, when
    they all name the same (those that name none aside); None when none names any or they differ."""
    chosen = set()
    for unit in units:
        folder = _found_folder(unit, found)
        mine = own_packs(folder) if folder is not None else []
        if mine:
            chosen.add(tuple(sorted(str(Path(path).resolve()) for path in resolve_rule_paths(mine) or [])))
    return [Path(path) for path in next(iter(chosen))] if len(chosen) == 1 else None


def _packs_in_background(rule_paths):
    """A future of `load_packs(rule_paths)`, parsed on a thread (in the caller's language)."""
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(contextvars.copy_context().run, load_packs, rule_paths)
    pool.shutdown(wait=False)
    return future


def _own_pack_notes(units: list, found: set, used: set[Path],
                    packs: Callable[[], list[LoadedPack]]) -> list[DataWarning]:
    """A note for each commune folder found under a province's whose own dxcheck.toml names other
    packs than the run's: the province's roll-up measures every commune against the same plan."""
    from .config import CONFIG_FILE

    notes = []
    for unit in units:
        folder = _found_folder(unit, found)
        if folder is None:
            continue
        mine = own_packs(folder)
        if mine and {Path(path).resolve() for path in resolve_rule_paths(mine) or []} != used:
            notes.append(DataWarning(path=str(folder / CONFIG_FILE), code="province.own_packs_not_used",
                                     params={"packs": ", ".join(Path(pack).stem for pack in mine),
                                             "used": ", ".join(loaded.id for loaded in packs())}))
    return notes


def _noted(result: EvaluationResult, notes: list[DataWarning]) -> EvaluationResult:
    result.notes.extend(notes)
    return result


def _named(parts: list[EvaluationResult], units: list, found: set | frozenset = frozenset()) -> list[EvaluationResult]:
    """Each part that is one commune named from its data (banner, else its dxcheck.toml), else a
    folder `found` under a province's by its name; the roll-up names any other by its path
    (evaluation/rollup.py `as_units`)."""
    for part, unit in zip(parts, units):
        unit = unit.folder if isinstance(unit, CommuneFiles) else unit
        if part._unit_name is None and isinstance(unit, (str, Path)):
            part._unit_name = commune_name(unit) or (Path(unit).name if unit in found else None)
    return parts


def _own_mapping(unit, found: set) -> dict[str, str]:
    """The mapping of a commune folder's own dxcheck.toml when the folder was found under a
    province's (a folder given by name was configured by the caller, its file already read)."""
    folder = _found_folder(unit, found)
    return own_mapping(folder) if folder is not None else {}


def _found_folder(unit, found: set) -> Path | None:
    """The commune folder of `unit` when it was found under a province's folder, else None."""
    folder = unit.folder if isinstance(unit, CommuneFiles) else unit
    return folder if isinstance(folder, Path) and folder in found else None


class _FileCounter:
    """`on_file` with the position counted over every unit's files, not within one unit's."""

    def __init__(self, units: list, on_file: Callable[[Path, int, int], None]) -> None:
        from .load import LoadedFile, input_files

        self.total = sum(len(unit.files) if isinstance(unit, CommuneFiles) else
                         0 if isinstance(unit, LoadedFile) else len(input_files([unit])) for unit in units)
        self.seen, self.on_file = 0, on_file

    def __call__(self, path: Path, _position: int, _count: int) -> None:
        self.seen += 1
        self.on_file(path, self.seen, self.total)


def _load_unit(unit, options, on_file=None) -> list:
    from .load import LoadedFile, load_inputs

    if isinstance(unit, CommuneFiles):
        return load_inputs(list(unit.files), options, require_dataset=False, on_file=on_file)
    return [unit] if isinstance(unit, LoadedFile) else load_inputs([unit], options, require_dataset=False,
                                                                    on_file=on_file)


def _parts_repeat(parts: list[EvaluationResult]) -> bool:
    seen: set[str] = set()
    for part in parts:
        mine = {sheet.dataset for item in part.inputs for sheet in item.sheets if sheet.dataset}
        if mine & seen:
            return True
        seen |= mine
    return False


def evaluate_file(path: str | Path, rules: Sequence[str | Path] | None = None, period: str | Period | None = None,
                  **options) -> EvaluationResult:
    """Evaluate one unit (a commune's file or folder) alone: a picklable partial result.

    Partial results combine exactly with `merge`, so the work can be mapped over files on any
    executor (concurrent.futures, Dask, Spark) and reduced afterwards. Give every unit the same
    explicit `period` so their roll-up speaks of one period.
    """
    options.setdefault("check_mapping", False)
    result = evaluate([path], rules=rules, period=period, group_by="combine", **options)
    return _named([result], [path])[0]


def merge(*parts: EvaluationResult, samples: int = 20) -> EvaluationResult:
    """Units side by side with their exact roll-up; associative: merge(merge(a, b), c) == merge(a, b, c)."""
    return combine(list(parts), samples)


#: packs a worker process has loaded, by the paths they came from: a worker evaluates many units
_worker_packs: dict[tuple, list[LoadedPack]] = {}


def _unit_job(args: tuple) -> EvaluationResult:
    unit, rule_paths, period, options, samples, by, strict, timestamp, lang, keep_failing = args
    set_language(lang)
    key = tuple(map(str, rule_paths or ()))
    if key not in _worker_packs:
        _worker_packs[key] = load_packs(rule_paths)
    return evaluate_file(unit, rules=rule_paths, period=period, load_options=options, samples=samples, by=by,
                         strict=strict, timestamp=timestamp, packs=_worker_packs[key], keep_failing=keep_failing)


def _evaluate_units_in_parallel(units, rule_paths, period, options: list, samples, by, strict, timestamp,
                                jobs, keep_failing=False, executor=None) -> list[EvaluationResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    work = [(str(unit), rule_paths, period, unit_options, samples, by, strict, timestamp, get_language(), keep_failing)
            for unit, unit_options in zip(units, options)]
    if executor is not None:
        from .executors import cluster_map

        return cluster_map(executor, _unit_job, work, jobs)

    # forkserver: workers do not inherit the parent's reader threads (fork + Arrow threads can hang);
    # the server imports the evaluation code once, so each worker starts with it in memory
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["dxcheck.api", "dxcheck.load.api", "dxcheck.evaluation.measures"])
    else:
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_ignore_interrupts)
    try:
        results = list(pool.map(_unit_job, work))
    except BaseException:
        # Ctrl-C (or an error) in the parent: stop the workers now instead of waiting for them
        processes = list((getattr(pool, "_processes", None) or {}).values())
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        # let the pool's manager thread see its workers gone and close its wake-up pipe before the
        # interpreter's exit hook wakes it: Python 3.11's hook checks "closed" without the pool's
        # lock, and a close in between printed "Exception ignored … Bad file descriptor"
        if manager is not None:
            manager.join(timeout=5)
        raise
    pool.shutdown()
    return results


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops them: the terminal's SIGINT reaches the whole
    process group, and a worker would otherwise print its own KeyboardInterrupt traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
