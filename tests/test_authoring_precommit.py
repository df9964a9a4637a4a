"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run by pre-commit itself on a data repository.

The hooks repository is a snapshot of this working tree committed to a temporary git repository,
so pre-commit installs dxcheck from these very sources (`language: python`: a virtualenv and
`pip install .`; dependencies come from PyPI or pip's cache, nothing else is fetched). The data
repository is a commune folder made by `dxcheck init`; commits go through `git commit` with the
hooks installed, as a commune official's would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "binh-minh"
SNAPSHOT = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "rules"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),  # a fresh install from this tree
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Văn phòng xã", "GIT_AUTHOR_EMAIL": "vanphong@example.invalid",
        "GIT_COMMITTER_NAME": "Văn phòng xã", "GIT_COMMITTER_EMAIL": "vanphong@example.invalid",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1", "DXCHECK_LANG": "en",
    })
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = _run(["git", *args], cwd, env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _hooks_repository(target: Path, env: dict[str, str]) -> str:
    """This working tree (committed or not) as a git repository pre-commit can clone; its commit."""
    target.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    _git(target, env, "init", "--quiet")
    _git(target, env, "add", ".")
    _git(target, env, "commit", "--quiet", "-m", "dxcheck working tree")
    return _git(target, env, "rev-parse", "HEAD").stdout.strip()


def test_hooks_pass_a_good_month_and_refuse_a_failing_file_and_a_broken_pack(tmp_path):
    env = _env(tmp_path)
    hooks = tmp_path / "dxcheck"
    rev = _hooks_repository(hooks, env)

    data = tmp_path / "xa-binh-minh"
    data.mkdir()
    _git(data, env, "init", "--quiet")
    made = _run([sys.executable, "-m", "dxcheck", "init", ".", "--from", "binh-minh-2030",
                 "--commune", "Xã Bình Minh"], data, env)
    assert made.returncode == 0, made.stdout + made.stderr
    (data / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hooks.as_posix()}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: dxcheck-evaluate\n"
        "        args: [--rules, binh-minh-2030.yaml, --mapping, mapping.yaml]\n"
        "      - id: dxcheck-rules-lint\n", encoding="utf-8")
    installed = _run([sys.executable, "-m", "pre_commit", "install"], data, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    # 1. The folder itself: the pack lints clean (mapping.yaml is not taken for a pack).
    _git(data, env, "add", ".")
    first = _run(["git", "commit", "-m", "Thư mục của xã"], data, env)
    output = first.stdout + first.stderr
    assert first.returncode == 0, output
    assert "dxcheck rules lint" in output and "Passed" in output

    # 2. A month's file whose targets are met: the commit goes through.
    month = data / "du-lieu" / "2026-10"
    month.mkdir(parents=True)
    shutil.copy2(SAMPLES / "thon.xlsx", month / "thon.xlsx")
    _git(data, env, "add", ".")
    passing = _run(["git", "commit", "-m", "Danh sách ấp tháng 10"], data, env)
    output = passing.stdout + passing.stderr
    assert passing.returncode == 0, output
    assert "dxcheck evaluate" in output and "Passed" in output
    head = _git(data, env, "rev-parse", "HEAD").stdout

    # 3. A file that fails a target: the commit is refused, naming the rule and the record.
    shutil.copy2(SAMPLES / "can-bo.xlsx", month / "can-bo.xlsx")
    _git(data, env, "add", ".")
    failing = _run(["git", "commit", "-m", "Danh sách cán bộ tháng 10"], data, env)
    output = failing.stdout + failing.stderr
    assert failing.returncode != 0, output
    assert "Failed" in output and "exit code: 1" in output
    assert "staff-digital-signature" in output
    assert _git(data, env, "rev-parse", "HEAD").stdout == head

    # 4. A pack whose quote no longer matches the plan's text: refused by the lint hook.
    _git(data, env, "reset", "--quiet", "HEAD", "--", "du-lieu/2026-10/can-bo.xlsx")
    pack = data / "binh-minh-2030.yaml"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace("đạt trên 98%", "đạt trên 99%", 1), encoding="utf-8")
    _git(data, env, "add", "binh-minh-2030.yaml")
    broken = _run(["git", "commit", "-m", "Sửa chỉ tiêu"], data, env)
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output
    assert "dxcheck rules lint" in output and "Failed" in output and "on-time" in output
    assert _git(data, env, "rev-parse", "HEAD").stdout == head


def test_hook_manifest_is_valid_for_pre_commit():
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {hook["id"]: hook for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["dxcheck-evaluate"]["entry"] == "dxcheck evaluate"
    assert hooks["dxcheck-rules-lint"]["entry"] == "dxcheck rules lint"
    lint = hooks["dxcheck-rules-lint"]
    assert re.search(lint["files"], "xa/binh-minh-2030.yaml") and not re.search(lint["exclude"], "xa/binh-minh-2030.yaml")
    for other in ("mapping.yaml", "xa/mapping.yaml", ".pre-commit-config.yaml", ".github/workflows/dxcheck.yml",
                  ".gitlab-ci.yml"):
        assert re.search(lint["exclude"], other), other
    for data in ("du-lieu/2026-10/ho-so.xlsx", "A.XLS", "b.csv", "c.ods", "d.parquet"):
        assert re.search(hooks["dxcheck-evaluate"]["files"], data), data
