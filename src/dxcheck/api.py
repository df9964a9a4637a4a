"""The library entry point: `dxcheck.evaluate(...)`, usable from a notebook without the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .evaluation.data import collect, date_range
from .evaluation.engine import Options, evaluate_packs
from .evaluation.period import Period, explicit_period, inferred_period, parse_period
from .messages import get_language, set_language
from .packs.loader import LoadedPack, load_packs, resolve_rule_paths
from .results import EvaluationResult, PackOut, PeriodOut, Summary


def _period(period: str | Period | None, date_from: str | None, date_to: str | None, datasets) -> Period:
    if isinstance(period, Period):
        return period
    if period:
        return parse_period(period)
    if date_from or date_to:
        return explicit_period(date_from, date_to)
    return inferred_period(*date_range(datasets))


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
) -> EvaluationResult:
    """Load `inputs` (paths, or already-loaded files), evaluate the packs, return the result.

    >>> result = dxcheck.evaluate(["ho-so-2026-10.xlsx"], rules=["binh-minh-2030"], period="2026-10")
    >>> result.summary, result.exit_code()
    """
    from .load import LoadedFile, LoadOptions, load_inputs

    token = set_language(lang) if lang else None
    try:
        if packs is None:
            packs = load_packs(resolve_rule_paths(list(rules) if rules else None))
        items = list(inputs)
        paths = [item for item in items if not isinstance(item, LoadedFile)]
        options = load_options or LoadOptions(mapping=dict(mapping or {}))
        files = [item for item in items if isinstance(item, LoadedFile)] + (load_inputs(paths, options) if paths else [])
        datasets = collect(files)
        chosen = _period(period, date_from, date_to, datasets)
        results = evaluate_packs(packs, datasets, chosen, Options(samples=samples, by=by))
        warnings = [warning for loaded in files for warning in loaded.warnings]
        return EvaluationResult(
            dxcheck_version=__version__,
            generated_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat() if timestamp else None,
            language=get_language(),
            period=PeriodOut(**chosen.to_json()),
            inputs=[loaded.report() for loaded in files],
            packs=[PackOut.of(loaded) for loaded in packs],
            summary=Summary.of(results),
            results=results,
            warnings=warnings,
            strict=strict,
        )
    finally:
        if token is not None:
            from .messages import _language

            _language.reset(token)
