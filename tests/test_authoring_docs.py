"""The documentation: generated reference pages are current, guides link and quote real commands.

docs/reference/ is written by `dxcheck rules docs --output docs/reference` from datasets.yaml, the
shipped packs and the exit codes. The first test regenerates it in a temporary folder and fails,
naming the pages, when the checked-in copy differs: after changing a definition, run that command
and commit the pages with the change.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from dxcheck.cli import app
from dxcheck.datasets import vocabulary
from dxcheck.docs_gen import generate
from dxcheck.exit_codes import ExitCode
from dxcheck.messages import catalogue
from dxcheck.packs.loader import load_packs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
REGENERATE = "out of date: run `dxcheck rules docs --output docs/reference` and commit the result"
GUIDES = sorted(DOCS.glob("*.md"))


def dxcheck(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=cwd,
                          encoding="utf-8")


def test_checked_in_reference_pages_are_up_to_date(tmp_path):
    done = dxcheck("rules", "docs", "--output", str(tmp_path / "reference"))
    assert done.returncode == 0, done.stderr
    fresh = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "reference").iterdir()}
    checked_in = {path.name: path.read_text(encoding="utf-8") for path in REFERENCE.iterdir()}
    assert sorted(checked_in) == sorted(fresh), f"docs/reference/ holds other pages than it should; {REGENERATE}"
    stale = sorted(name for name in fresh if fresh[name] != checked_in[name])
    assert not stale, f"docs/reference/{', '.join(stale)}: {REGENERATE}"


def test_check_option_reports_stale_and_missing_pages(tmp_path):
    copy = tmp_path / "reference"
    shutil.copytree(REFERENCE, copy)
    assert dxcheck("rules", "docs", "--check", "--output", str(copy)).returncode == 0
    page = copy / "datasets.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Mã biên nhận", "Mã biên lai"), encoding="utf-8")
    (copy / "exit-codes.md").unlink()
    stale = dxcheck("rules", "docs", "--check", "--output", str(copy), "--lang", "en")
    assert stale.returncode == 1
    assert "datasets.md is out of date" in stale.stdout and "exit-codes.md is missing" in stale.stdout
    assert "Mã biên lai" in page.read_text(encoding="utf-8")  # --check writes nothing
    no_folder = dxcheck("rules", "docs", "--check")
    assert no_folder.returncode == 2 and "--output" in no_folder.stderr


def test_without_output_the_pages_go_to_standard_output():
    done = dxcheck("rules", "docs", "--rules", "hoang-son-2030")
    assert done.returncode == 0
    for name in ("README.md", "datasets.md", "exit-codes.md", "hoang-son-2030.md"):
        assert f"<!-- tệp {name} -->" in done.stdout
    assert "binh-minh-2030.md" not in done.stdout


def test_pages_cover_every_definition_vietnamese_first():
    pages = generate(load_packs())
    for text in pages.values():
        assert text.index('<a id="tieng-viet">') < text.index('<a id="english">')
    datasets = pages["datasets.md"]
    for name, spec in vocabulary().datasets.items():
        assert f'id="vi-{name}"' in datasets and f'id="en-{name}"' in datasets
        for field_name, field in spec.fields.items():
            assert f'id="en-{name}-{field_name}"' in datasets
            assert all(header.replace("|", "\\|") in datasets for header in field.headers), (name, field_name)
        for scope_name, scope in spec.scopes.items():
            assert f'id="vi-{name}-scope-{scope_name}"' in datasets
            assert scope.description.vi in datasets and scope.description.en in datasets
    for pack in load_packs():
        page = pages[f"{pack.id}.md"]
        for rule in pack.pack.rules:
            assert f'id="vi-rule-{rule.id}"' in page and f'id="en-rule-{rule.id}"' in page
            assert rule.title.vi in page and rule.title.en in page
    for code in ExitCode:
        assert f"| {int(code)} | `{code.name}` |" in pages["exit-codes.md"]
        assert catalogue("vi")[f"authoring.exit.{code.name.lower()}"] in pages["exit-codes.md"]
    # every link inside the generated pages lands on an anchor that exists
    for name, text in pages.items():
        for target, anchor in re.findall(r"\]\(([^)#\s]*)#([^)\s]+)\)", text):
            assert f'id="{anchor}"' in pages[target or name], (name, target, anchor)


def test_a_commune_pack_gets_its_own_pages(tmp_path):
    assert dxcheck("init", str(tmp_path / "xa"), "--from", "binh-minh-2030", "--commune", "Xã Tân An").returncode == 0
    done = dxcheck("rules", "docs", "--rules", str(tmp_path / "xa" / "tan-an-2030.yaml"), "--output",
                   str(tmp_path / "docs"))
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in (tmp_path / "docs").iterdir()) == [
        "README.md", "datasets.md", "exit-codes.md", "tan-an-2030.md"]
    assert "Xã Tân An:" in (tmp_path / "docs" / "tan-an-2030.md").read_text(encoding="utf-8")


# --- guides -------------------------------------------------------------------------------------


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_guides_are_vietnamese_first_and_links_resolve(guide):
    text = guide.read_text(encoding="utf-8")
    assert text.index('<a id="tieng-viet">') < text.index('<a id="english">'), "Vietnamese first, English second"
    for target, anchor in re.findall(r"\]\(([^)#\s]+?)(?:#([^)\s]+))?\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path = (guide.parent / target).resolve()
        assert path.exists(), f"{guide.name}: broken link {target}"
        if anchor:
            assert f'id="{anchor}"' in path.read_text(encoding="utf-8"), f"{guide.name}: no anchor {target}#{anchor}"


def _commands(text: str) -> list[str]:
    """`dxcheck …` commands in fenced blocks (with `\\` continuations) and in inline code."""
    found = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL):
        joined = re.sub(r"\\\n\s*", " ", block)
        found += [line.strip() for line in joined.splitlines() if line.strip().startswith("dxcheck ")]
    found += re.findall(r"`(dxcheck [^`]+)`", text)
    return found


def _check_command(line: str) -> None:
    words = shlex.split(line.split("  #")[0].split(" > ")[0].replace("…", "x"))
    command = typer.main.get_command(app)
    index = 1
    while hasattr(command, "commands") and index < len(words) and not words[index].startswith("-"):
        if words[index].isupper():  # a placeholder: dxcheck COMMAND --help
            return
        assert words[index] in command.commands, f"unknown command in: {line}"
        command = command.commands[words[index]]
        index += 1
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}
    for word in words[index:]:
        if word.startswith("--"):
            assert word.split("=")[0] in known, f"unknown option {word} in: {line}"


SOURCES_OF_COMMANDS = [*GUIDES, ROOT / "README.md", DOCS / "ci" / "dxcheck-changed.sh"]


@pytest.mark.parametrize("path", SOURCES_OF_COMMANDS, ids=lambda path: path.name)
def test_commands_in_the_docs_exist_with_their_options(path):
    commands = _commands(path.read_text(encoding="utf-8"))
    if path.suffix == ".sh":
        commands = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip().startswith("dxcheck evaluate")]
        commands = [re.sub(r'"\$\{[^}]+\}"|\$\{[^}]+\}|"\$[^"]+"', "x", line).rstrip("\\ ") for line in commands]
    for line in commands:
        _check_command(line)


def test_readme_links_the_documentation():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Documentation"):]
    for target in ("docs/README.md", "docs/monthly-routine.md", "docs/authoring.md", "docs/ci.md",
                   "docs/reference/README.md"):
        assert f"({target}" in section
        assert (ROOT / target).exists()


# --- help texts and shell completion -----------------------------------------------------------


def _all_commands():
    root = typer.main.get_command(app)
    stack = [((), root)]
    while stack:
        path, command = stack.pop()
        if hasattr(command, "commands"):
            stack += [((*path, name), sub) for name, sub in command.commands.items()]
        else:
            yield path


@pytest.mark.parametrize("path", sorted(_all_commands()), ids=" ".join)
def test_every_command_explains_itself_with_an_example(path):
    done = dxcheck(*path, "--help")
    assert done.returncode == 0
    assert "Example: dxcheck " + " ".join(path) in re.sub(r"\s+", " ", done.stdout)
    assert all(param.help for param in _command(path).params if param.name != "help"), path


def _command(path):
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


def test_groups_have_examples_too():
    for args in ((), ("rules",)):
        assert "Example: dxcheck" in re.sub(r"\s+", " ", dxcheck(*args, "--help").stdout)


def test_shell_completion_is_available():
    # the console script, as users run it: completion is keyed by the program's name
    script = Path(sys.executable).with_name("dxcheck")
    shown = subprocess.run([str(script), "--show-completion", "bash"], capture_output=True, text=True)
    assert shown.returncode == 0
    assert "_DXCHECK_COMPLETE=complete_bash" in shown.stdout and "complete " in shown.stdout
    assert "--install-completion" in dxcheck("--help").stdout
