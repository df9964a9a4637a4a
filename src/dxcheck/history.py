"""Keep each run's results under a folder, keyed by pack and period, and read them back as trends.

    DIR/binh-minh-2030/2026-09.json
    DIR/binh-minh-2030/2026-10.json

A file holds one pack's roll-up results for one period; running the same period again replaces
it. File names come from the pack id (a slug) and the period label, never from data values.

Concurrent runs on one folder: each file is written whole by one atomic rename (atomic.py) and no
file is ever read, changed and written back, so runs of different periods never touch each other's
files, a reader sees a period's old file or its new one, never half of one, and runs of the same
period leave one complete run (the last to finish), as running it again would. No lock is needed,
so a run killed mid-way can never leave a stale lock that blocks next month's.

A file that is not a dxcheck history file (corrupted, truncated, foreign) or an entry whose values
are not valid (a status outside the vocabulary, a number that is not finite) is skipped and said
as a warning naming the file, never a traceback.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .atomic import write_atomic
from .errors import UsageError
from .results import DataWarning, EvaluationResult, HistoryPoint, Status, Trajectory

_SAFE = re.compile(r"[^0-9A-Za-z.\-]+")


class _Stored(BaseModel):
    model_config = ConfigDict(extra="ignore")
    dxcheck_version: str
    pack: str
    plan_period: str | None = None
    period: dict
    results: list[dict]


class _Target(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)
    value: float | None = None
    final_value: float | None = None
    op: str = ">="
    unit: str = "%"


class _Item(BaseModel):
    """One stored rule result, checked before it is believed: a wrong figure read back would be
    drawn in every later report's trend."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)
    id: str
    status: Status
    value: float | None = None
    display_value: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    target: _Target | None = None
    deadline: int | None = None
    baseline: dict | None = None

    def check(self) -> None:
        baseline = (self.baseline or {}).get("value")
        if baseline is not None and (not isinstance(baseline, (int, float)) or isinstance(baseline, bool)
                                     or not math.isfinite(baseline)):
            raise ValueError("baseline")


def _file_name(label: str) -> str:
    return _SAFE.sub("_", label) + ".json"


def store(result: EvaluationResult, directory: str | Path) -> list[Path]:
    """Write this run's results, one file per pack, replacing the same period's earlier run."""
    if result.period is None:
        return []
    written = []
    for pack in result.packs:
        folder = Path(directory) / pack.id
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / _file_name(result.period.label)
            document = {
                "dxcheck_version": result.dxcheck_version,
                "generated_at": result.generated_at,
                "pack": pack.id,
                "plan_period": pack.plan_period,
                "period": result.period.model_dump(),
                # deadline and baseline too, so that `dxcheck trend` can project without the pack
                "results": [item.model_dump(mode="json", include={"id", "status", "value", "display_value",
                                                                   "numerator", "denominator", "target",
                                                                   "deadline", "baseline"})
                            for item in result.results if item.pack == pack.id],
            }
            write_atomic(target, json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
        except OSError as exc:
            raise UsageError("history.unwritable", path=str(folder), reason=exc.strerror or str(exc)) from None
        written.append(target)
    return written


def _read(root: Path, packs: list[str] | None,
          skipped: list[DataWarning] | None) -> list[tuple[str, _Stored]]:
    """(pack folder name, its file's validated contents) for every readable file; each file or entry
    that cannot be believed is left out and said in `skipped` (if given)."""
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        if packs is not None and folder.name not in packs:
            continue
        for file in sorted(folder.glob("*.json")):
            try:
                # json.loads, not pydantic's parser: NaN and Infinity are read, then refused below
                stored = _Stored.model_validate(json.loads(file.read_bytes()))
                str(stored.period["start"]), str(stored.period["label"])
            except (OSError, ValidationError, ValueError, KeyError, TypeError, RecursionError):
                _say(skipped, file, "outputs.history_unreadable")
                continue
            kept = []
            for index, item in enumerate(stored.results):
                try:
                    _Item.model_validate(item).check()
                except (ValidationError, ValueError, TypeError):
                    rule = item.get("id") if isinstance(item, dict) else None
                    _say(skipped, file, "outputs.history_bad_entry", rule=str(rule or f"#{index + 1}"))
                    continue
                kept.append(item)
            stored.results = kept
            found.append((folder.name, stored))
    return found


def _say(skipped: list[DataWarning] | None, file: Path, code: str, **params) -> None:
    if skipped is not None:
        skipped.append(DataWarning(path=str(file), code=code, params={"file": str(file), **params}))


def load(directory: str | Path, packs: list[str] | None = None,
         before: str | None = None, skipped: list[DataWarning] | None = None) -> dict[str, list[HistoryPoint]]:
    """rule id -> its stored points, oldest first (only periods starting before `before`, if given).
    Files and entries that cannot be believed are skipped and said in `skipped`."""
    points: dict[str, list[HistoryPoint]] = {}
    for _, stored in _read(Path(directory), packs, skipped):
        start = str(stored.period.get("start", ""))
        if before is not None and start >= before:
            continue
        for item in stored.results:
            points.setdefault(item["id"], []).append(HistoryPoint(
                period=str(stored.period.get("label")), start=start, value=item.get("value"),
                display_value=item.get("display_value"), status=item.get("status", "no_data"),
                target=(item.get("target") or {}).get("value")))
    for series in points.values():
        series.sort(key=lambda point: point.start)
    return points


def units(directory: str | Path, packs: list[str] | None = None) -> dict[str, str]:
    """rule id -> the unit of its target ("%", "count", "value") as the latest stored period says,
    so that a count is shown as a count, not as a percent. Files that cannot be believed are left
    out here as in load(), which says which they are."""
    out: dict[str, str] = {}
    for _, stored in _read(Path(directory), packs, None):  # oldest first: the latest file's unit wins
        for item in stored.results:
            out[item["id"]] = str((item.get("target") or {}).get("unit") or "%")
    return out


def trajectories(directory: str | Path, packs: list[str] | None = None) -> dict[str, Trajectory | None]:
    """rule id -> its trajectory at the latest stored period, the earlier ones as its history
    (None when that period has no value; a file written before deadlines were stored gives none)."""
    from .evaluation.trajectory import Goal, compute, plan_start_year

    history = load(directory, packs)
    out: dict[str, Trajectory | None] = {}
    for (pack, rule_id), (plan_period, item) in _latest_items(Path(directory), packs).items():
        target = item.get("target") or {}
        series = history.get(rule_id, [])
        if not series or "deadline" not in item or "value" not in target:
            out[rule_id] = None
            continue
        final = target.get("final_value")
        status = item.get("status")
        goal = Goal(op=target.get("op", ">="), target=float(final if final is not None else target["value"]),
                    deadline=int(item["deadline"]), baseline=(item.get("baseline") or {}).get("value"),
                    plan_start=plan_start_year(plan_period),
                    met_now=(status == "pass") if final is None and status in ("pass", "fail") else None,
                    unit=target.get("unit", "%"))
        current = series[-1]
        out[rule_id] = compute(series[:-1], current.period, current.value, goal)
    return out


def _latest_items(root: Path, packs: list[str] | None) -> dict[tuple[str, str], tuple[str | None, dict]]:
    """(pack, rule id) -> (the plan's period, the rule's stored result) of each pack's latest period."""
    latest: dict[str, tuple[str, _Stored]] = {}
    for pack, stored in _read(root, packs, None):  # load() has said what is skipped
        start = str(stored.period.get("start", ""))
        if pack not in latest or start > latest[pack][0]:
            latest[pack] = (start, stored)
    return {(pack, item["id"]): (stored.plan_period, item)
            for pack, (_, stored) in latest.items() for item in stored.results}


def attach(result: EvaluationResult, directory: str | Path) -> EvaluationResult:
    """Read earlier periods into `result.history` and each rule's trajectory, then store this run."""
    from .evaluation.trajectory import attach as attach_trajectories

    if result.period is not None:
        skipped: list[DataWarning] = []
        result.history = load(directory, [pack.id for pack in result.packs], before=result.period.start,
                              skipped=skipped)
        result.warnings.extend(skipped)
        attach_trajectories(result)
    store(result, directory)
    return result
