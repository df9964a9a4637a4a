"""Many communes on one process: each is evaluated and dropped before the next is read, packs are
parsed while files are read, `--jobs` is capped at the cores, and none of it changes a result or
which error a broken run reports (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dxcheck
from dxcheck import api
from dxcheck.errors import InputError, RulePackError
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, write_workbook

PACKS = ["binh-minh-2030", "hoang-son-2030"]


@pytest.fixture(scope="module")
def communes(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("communes")
    paths = []
    for index, count in enumerate([120, 90, 150]):
        frame = records.dossiers(count, "2026-10", seed=index + 40, code_prefix=f"H27.{index + 40}")
        path = folder / f"xa-{index + 1}.xlsx"
        write_workbook(path, [ReportSheet(name="Hồ sơ", frame=frame, title="DANH SÁCH HỒ SƠ")])
        paths.append(path)
    return paths


def _events(monkeypatch) -> list[str]:
    events: list[str] = []
    load, evaluate = api._load_unit, api._evaluate_loaded

    def loading(unit, *args, **kwargs):
        events.append(f"load {Path(unit).name}")
        return load(unit, *args, **kwargs)

    def evaluating(files, *args, **kwargs):
        events.append("evaluate " + ",".join(Path(loaded.path).name for loaded in files))
        return evaluate(files, *args, **kwargs)

    monkeypatch.setattr(api, "_load_unit", loading)
    monkeypatch.setattr(api, "_evaluate_loaded", evaluating)
    return events


def test_separate_communes_are_evaluated_in_turn_with_the_same_result(communes, monkeypatch):
    held = dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False, group_by="combine")
    assert held.units == []  # combined: one evaluation of everything, as before
    baseline = json.loads(dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False,
                                           jobs=2).model_dump_json())
    events = _events(monkeypatch)
    result = dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False)
    # auto: the second file repeats the first one's dataset, so from there each is evaluated and dropped
    assert events == ["load xa-1.xlsx", "load xa-2.xlsx", "evaluate xa-1.xlsx", "evaluate xa-2.xlsx",
                      "load xa-3.xlsx", "evaluate xa-3.xlsx"]
    assert json.loads(result.model_dump_json()) == baseline
    events.clear()
    dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False, group_by="file")
    assert events == ["load xa-1.xlsx", "evaluate xa-1.xlsx", "load xa-2.xlsx", "evaluate xa-2.xlsx",
                      "load xa-3.xlsx", "evaluate xa-3.xlsx"]


def test_a_pack_error_still_comes_before_a_damaged_file(communes, tmp_path):
    pack = tmp_path / "hong.yaml"
    pack.write_text("id: hong\nrules: [\n", encoding="utf-8")  # not YAML: refused by the pack parser
    damaged = tmp_path / "hong.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(RulePackError):
        dxcheck.evaluate([damaged], rules=[pack], period="2026-10", timestamp=False)
    with pytest.raises(InputError):  # the same damaged file with a good pack: the file's error
        dxcheck.evaluate([damaged], rules=PACKS, period="2026-10", timestamp=False)


def test_a_file_error_after_an_evaluated_commune_is_still_raised(communes, tmp_path):
    damaged = tmp_path / "xa-hong.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(InputError):
        dxcheck.evaluate([*communes, damaged], rules=PACKS, period="2026-10", timestamp=False, group_by="file")


def test_jobs_beyond_the_cores_run_as_many_as_there_are(communes, monkeypatch):
    asked = []
    real = api._evaluate_units_in_parallel

    def spy(*args, **kwargs):
        asked.append(args[8])  # jobs
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "_evaluate_units_in_parallel", spy)
    monkeypatch.setattr("dxcheck.parallel.cores", lambda: 2)
    dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False, jobs=64)
    assert asked == [2]
    monkeypatch.setattr("dxcheck.parallel.cores", lambda: 1)
    one = dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False, jobs=64)
    assert asked == [2]  # one core: no worker processes at all
    assert len(one.units) == 3
