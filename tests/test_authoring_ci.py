"""docs/ci/dxcheck-changed.sh, the script both CI examples run, on a temporary data repository.

Two commune folders made by `dxcheck init`; a commit adds a month of files to each. The script must
evaluate only the changed files, once per commune and month, with that commune's pack, mapping and
month as period, write JUnit, HTML and Markdown reports, and exit with the worst run's code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCRIPT = DOCS / "ci" / "dxcheck-changed.sh"
SAMPLES = ROOT / "samples"
ZERO = "0" * 40


def _env(tmp_path: Path) -> dict[str, str]:
    shim = tmp_path / "bin"
    shim.mkdir()
    # `dxcheck` on PATH as CI has it: this interpreter's dxcheck
    (shim / "dxcheck").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dxcheck "$@"\n', encoding="utf-8")
    (shim / "dxcheck").chmod(0o755)
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update({"PATH": f"{shim}{os.pathsep}{env.get('PATH', '')}", "GIT_CONFIG_GLOBAL": os.devnull,
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Huyện", "GIT_AUTHOR_EMAIL": "it@example.invalid",
                "GIT_COMMITTER_NAME": "Huyện", "GIT_COMMITTER_EMAIL": "it@example.invalid", "DXCHECK_LANG": "en"})
    return env


def _git(repo: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _script(repo: Path, env: dict[str, str], base: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), base, "reports"], cwd=repo, env=env, capture_output=True, text=True,
                          encoding="utf-8")


def _repository(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    repo = tmp_path / "so-lieu"
    repo.mkdir()
    _git(repo, env, "init", "--quiet")
    for folder, pack, commune in (("xa/binh-minh", "binh-minh-2030", "Xã Bình Minh"),
                                  ("xa/hoang-son", "hoang-son-2030", "Xã Hoàng Sơn")):
        done = subprocess.run([sys.executable, "-m", "dxcheck", "init", folder, "--from", pack, "--commune", commune],
                              cwd=repo, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    old = repo / "xa" / "binh-minh" / "du-lieu" / "2026-09"
    old.mkdir(parents=True)
    shutil.copy2(SAMPLES / "binh-minh" / "can-bo.xlsx", old / "can-bo.xlsx")  # fails, but unchanged below
    _git(repo, env, "add", ".")
    _git(repo, env, "commit", "--quiet", "-m", "Thư mục các xã")
    return repo, _git(repo, env, "rev-parse", "HEAD")


def _junit(path: Path) -> dict[str, str]:
    """test case name → pass / failure / skipped / error."""
    outcome = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "skipped", "error")]
        outcome[f"{case.get('classname')}/{case.get('name')}"] = kinds[0] if kinds else "pass"
    return outcome


def test_one_run_per_commune_and_month_on_the_changed_files_only(tmp_path):
    env = _env(tmp_path)
    repo, base = _repository(tmp_path, env)
    october = repo / "xa" / "binh-minh" / "du-lieu" / "2026-10"
    october.mkdir(parents=True)
    shutil.copy2(SAMPLES / "binh-minh" / "thon.xlsx", october / "Thôn ấp.xlsx")  # a name with a space
    hoang_son = repo / "xa" / "hoang-son" / "du-lieu" / "2026-10"
    hoang_son.mkdir(parents=True)
    shutil.copy2(SAMPLES / "hoang-son" / "can-bo.xlsx", hoang_son / "can-bo.xlsx")
    _git(repo, env, "add", ".")
    _git(repo, env, "commit", "--quiet", "-m", "Số liệu tháng 10")

    done = _script(repo, env, base)
    reports = repo / "reports"
    assert sorted(path.name for path in reports.iterdir()) == sorted(
        f"xa-{name}-2026-10.{ext}" for name in ("binh-minh", "hoang-son") for ext in ("xml", "html", "md"))
    binh_minh = _junit(reports / "xa-binh-minh-2026-10.xml")
    # the changed village list passes; the unchanged September staff list was not evaluated
    assert binh_minh["binh-minh-2030/village-digital-team"] == "pass"
    assert binh_minh["binh-minh-2030/staff-digital-signature"] == "skipped"
    hoang_son_cases = _junit(reports / "xa-hoang-son-2026-10.xml")
    assert all(name.startswith("hoang-son-2030/") for name in hoang_son_cases)
    failing = sorted(name for name, kind in hoang_son_cases.items() if kind == "failure")
    assert done.returncode == (1 if failing else 0), done.stdout + done.stderr
    assert "2026-10" in (reports / "xa-binh-minh-2026-10.html").read_text(encoding="utf-8")
    assert "village-digital-team" in done.stdout  # the Markdown summary is in the job log


def test_a_failing_file_fails_the_job_and_no_base_means_every_file(tmp_path):
    env = _env(tmp_path)
    repo, base = _repository(tmp_path, env)
    assert _script(repo, env, base).returncode == 0  # nothing changed since base
    # a branch's first push has no usable base: every data file is checked, September's failing one too
    done = _script(repo, env, ZERO)
    assert done.returncode == 1, done.stdout + done.stderr
    cases = _junit(repo / "reports" / "xa-binh-minh-2026-09.xml")
    assert cases["binh-minh-2030/staff-digital-signature"] == "failure"


def test_a_file_outside_any_commune_folder_or_unreadable_is_exit_2(tmp_path):
    env = _env(tmp_path)
    repo, base = _repository(tmp_path, env)
    (repo / "lac-cho.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    _git(repo, env, "add", ".")
    _git(repo, env, "commit", "--quiet", "-m", "Tệp lạc chỗ")
    done = _script(repo, env, base)
    assert done.returncode == 2 and "lac-cho.csv" in done.stderr

    _git(repo, env, "rm", "--quiet", "lac-cho.csv")
    month = repo / "xa" / "binh-minh" / "du-lieu" / "2026-11"
    month.mkdir(parents=True)
    (month / "khong-ro.csv").write_text("Cột A,Cột B\n1,2\n", encoding="utf-8")
    _git(repo, env, "add", ".")
    _git(repo, env, "commit", "--quiet", "-m", "Tệp không nhận ra")
    done = _script(repo, env, _git(repo, env, "rev-parse", "HEAD~1"))
    assert done.returncode == 2, done.stdout + done.stderr


def test_ci_examples_run_the_script_and_keep_junit_and_html():
    github = YAML(typ="safe").load((DOCS / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["dxcheck"]["steps"]
    assert any("ci/dxcheck-changed.sh" in step.get("run", "") for step in steps)
    junit = [step for step in steps if "junit" in step.get("uses", "")]
    assert junit and junit[0]["with"]["report_paths"] == "reports/*.xml" and junit[0]["if"]
    artifact = [step for step in steps if "upload-artifact" in step.get("uses", "")]
    assert artifact and "reports/*.html" in artifact[0]["with"]["path"] and artifact[0]["if"]

    gitlab = YAML(typ="safe").load((DOCS / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))["dxcheck"]
    assert any("ci/dxcheck-changed.sh" in line for line in gitlab["script"])
    assert gitlab["artifacts"]["reports"]["junit"] == "reports/*.xml"
    assert gitlab["artifacts"]["when"] == "always" and "reports/" in gitlab["artifacts"]["paths"]


def test_ci_examples_never_install_a_bare_package_name():
    """dxcheck is not on PyPI: an example that installs `dxcheck` by name could install somebody
    else's package. The examples leave DXCHECK_SPEC empty and stop at the install step until it is set."""
    github = YAML(typ="safe").load((DOCS / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    gitlab = YAML(typ="safe").load((DOCS / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))["dxcheck"]
    assert github["env"]["DXCHECK_SPEC"] == "" and gitlab["variables"]["DXCHECK_SPEC"] == ""
    install = next(step["run"] for step in github["jobs"]["dxcheck"]["steps"] if "pip install" in step.get("run", ""))
    lines = [*install.splitlines(), *(line for line in gitlab["before_script"] if "DXCHECK_SPEC" in line)]
    for line in lines:
        if "pip install" in line:
            continue
        done = subprocess.run(["bash", "-c", line], env={"DXCHECK_SPEC": "", "PATH": os.environ["PATH"]},
                              capture_output=True, text=True)
        assert done.returncode == 2 and "DXCHECK_SPEC" in done.stdout, line
        assert subprocess.run(["bash", "-c", line], env={"DXCHECK_SPEC": "x.whl", "PATH": os.environ["PATH"]}
                              ).returncode == 0
