"""The install story works as written: the wheel the README tells people to build holds what a
run needs, and the docs name the version and tag of this tree (`v` + the pyproject version)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
WHEEL = f"dxcheck-{VERSION}-py3-none-any.whl"


def test_the_wheel_built_as_the_readme_says_holds_the_packs_catalogues_and_command(tmp_path):
    # the README's command, with the output folder in tmp_path (the build itself copies the tree)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w",
                           str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert [path.name for path in tmp_path.glob("*.whl")] == [WHEEL]
    with zipfile.ZipFile(tmp_path / WHEEL) as wheel:
        names = set(wheel.namelist())
        info = f"dxcheck-{VERSION}.dist-info"
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        metadata = wheel.read(f"{info}/METADATA").decode()
    shipped_packs = {f"dxcheck/rules/{path.name}" for path in (ROOT / "rules").glob("*.yaml")}
    assert shipped_packs and shipped_packs <= names
    catalogues = {f"dxcheck/messages/{path.parent.name}/{path.name}"
                  for path in (ROOT / "src" / "dxcheck" / "messages").glob("*/*.yaml")}
    assert catalogues and catalogues <= names
    assert "dxcheck/datasets.yaml" in names and "dxcheck/cli.py" in names
    # only what runs for a user: no test-data generator, no tests
    assert not [name for name in names if "synth" in name or name.startswith("tests/")]
    assert re.search(r"^dxcheck = dxcheck\.cli:main$", entry_points, flags=re.MULTILINE)
    assert f"\nVersion: {VERSION}\n" in metadata


def test_the_docs_name_this_version_and_its_tag():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme[readme.index("## Install"):readme.index("## What it does")]
    assert f"pip install {WHEEL}" in install and "pip install ." in install
    assert "python -m pip wheel . --no-deps -w dist/" in install
    assert f"`v{VERSION}`" in install
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    # both languages: the pre-commit example and the install section name the release tag
    assert ci.count(f"rev: v{VERSION}") >= 3
    assert ci.count(f"pip install {WHEEL}") == 2


def test_ci_builds_installs_and_runs_the_wheel():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    build = script.index("pip wheel . --no-deps")
    fresh = script.index('python3 -m venv "$wheel_venv"')
    install = script.index('"$wheel_venv/bin/python" -m pip install')
    run = script.index('"$wheel_venv/bin/dxcheck" --version')
    assert build < fresh < install < run
