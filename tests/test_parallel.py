"""Threads change nothing: the same samples give byte-identical results on one thread or four."""

from __future__ import annotations

from pathlib import Path

import pytest

import dxcheck
from dxcheck import parallel
from dxcheck.render import json_

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "binh-minh"


def _report(lang: str) -> str:
    result = dxcheck.evaluate([SAMPLE], rules=["binh-minh-2030"], period="2026-10", timestamp=False, lang=lang)
    return json_.render(result)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_threaded_loading_and_rules_give_the_same_report(monkeypatch, lang):
    monkeypatch.setenv("DXCHECK_THREADS", "1")
    alone = _report(lang)
    calls = []
    real_map = parallel.threaded_map

    def counted(function, items, rows):
        items = list(items)
        calls.append(len(items))
        return real_map(function, items, rows)

    # every sheet counts as big, on four threads
    monkeypatch.setattr(parallel, "THREADED_ROWS", 0)
    monkeypatch.setenv("DXCHECK_THREADS", "4")
    for module in ("dxcheck.load.formats", "dxcheck.load.sheet", "dxcheck.evaluation.engine"):
        monkeypatch.setattr(f"{module}.threaded_map", counted)
    threaded = _report(lang)
    assert len(calls) >= 3  # raw columns, fields and rules all went through the pool
    assert threaded == alone
    # the language reached the worker threads: yes/no cells in samples are in the run's language
    yes = {"vi": '"có"', "en": '"yes"'}
    assert yes[lang] in threaded and yes["en" if lang == "vi" else "vi"] not in threaded
