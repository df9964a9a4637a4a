"""The PyInstaller bundle: built from packaging/dxcheck.spec into a temporary folder, then run
with no Python on PATH (packaging/smoke_bundle.py). About 70 s; runs when PyInstaller is
installed (`pip install '.[bundle]'`), skipped otherwise; `-m "not bundle"` leaves it out."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller not installed: pip install '.[bundle]' to build and smoke-test the bundle"),
]


def test_bundle_runs_without_python(tmp_path: Path) -> None:
    from build_bundle import build
    from smoke_bundle import smoke

    bundle = build(dist=tmp_path / "dist", work=tmp_path / "work")
    facts = smoke(bundle)
    # the bundle carries its own Python and every data file; Arrow's network parts were left out
    internal = bundle / "_internal"
    assert (internal / "dxcheck" / "rules" / "binh-minh-2030.yaml").is_file()
    assert (internal / "dxcheck" / "messages" / "vi" / "launcher.yaml").is_file()
    assert not list(bundle.rglob("*arrow_flight*")) and not list(bundle.rglob("include"))
    assert facts["size_mb"] < 400, facts
    print(facts)
