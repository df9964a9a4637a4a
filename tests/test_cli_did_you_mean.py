"""A mistyped pack id, rule id, format or field is answered with what the user probably meant."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dxcheck.load.closest import closest_names

ROOT = Path(__file__).resolve().parents[1]


def dxcheck(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "400"}
    env.pop("DXCHECK_LANG", None)
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env)


def test_closest_names_catches_typing_slips_and_ignores_strangers():
    assert closest_names("josn", ["terminal", "json", "md", "html"]) == ["json"]
    assert closest_names("binh-minh-2003", ["hoang-son-2030", "binh-minh-2030"]) == ["binh-minh-2030"]
    assert closest_names("JSON", ["json"]) == ["json"]  # as written in the list, whatever the case typed
    assert closest_names("zzzz", ["terminal", "json", "md", "html"]) == []


SAMPLE = "samples/binh-minh"
CASES = [
    (("rules", "list", "--rules", "binh-minh-2003"), "“binh-minh-2030”"),
    (("rules", "show", "binh-minh-2030/on-tme"), "“binh-minh-2030/on-time”"),
    (("rules", "show", "on-tme"), "“on-time”"),
    (("evaluate", SAMPLE, "--format", "josn"), "“json”"),
    (("evaluate", SAMPLE, "--output", "bao-cao.htlm"), "“html”"),
    (("evaluate", SAMPLE, "--map", "ngay_hen_tr=Hạn trả"), "“ngay_hen_tra”"),
    (("evaluate", SAMPLE, "--map", "ho_so.ngay_hen_tr=Hạn trả"), "“ho_so.ngay_hen_tra”"),
    (("evaluate", SAMPLE, "--by", "linh_vu"), "“linh_vuc”"),
    (("inspect", SAMPLE, "--format", "jsn"), "“json”"),
    (("trend", "samples/lich-su", "--format", "mdd"), "“md”"),
]


@pytest.mark.parametrize(("args", "meant"), CASES, ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
@pytest.mark.parametrize(("lang", "question"), [("en", "Did you mean"), ("vi", "Có phải ý bạn là")])
def test_a_mistyped_name_is_answered_with_the_closest(args, meant, lang, question):
    done = dxcheck(*args, "--lang", lang)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    error = " ".join(done.stderr.split())
    assert f"{question} {meant}" in error, error
    # the suggestion is the first one offered: the likeliest
    assert error.index(question) < error.index(meant)


def test_no_suggestion_when_nothing_is_close():
    done = dxcheck("evaluate", SAMPLE, "--format", "zzzz", "--lang", "en")
    assert done.returncode == 2
    assert "unknown format 'zzzz'" in done.stderr and "Did you mean" not in done.stderr
    missing = dxcheck("rules", "list", "--rules", "no/such/pack.yaml", "--lang", "en")
    assert missing.returncode == 2 and "Did you mean" not in missing.stderr
