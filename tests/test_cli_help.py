"""`dxcheck --help` and every command's help name values in words, never in Python types, and
show an example: walked over typer's click command tree, so a new command is checked too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Optional

import click
import pytest
import typer
from typer.testing import CliRunner

from dxcheck.cli import app
from dxcheck.cli_help import WordsCommand, WordsGroup

ROOT = Path(__file__).resolve().parents[1]

#: what Typer (`<list[Path]>`, `<str>`, `<bool>`) and click (`TEXT`, `PATH`, `INTEGER`) print for types
TYPE_NAMES = [
    re.compile(r"<[^<>\s]+>"),
    re.compile(r"\b(TEXT|INTEGER|INT|FLOAT|BOOLEAN|BOOL|PATH|FILENAME|DIRECTORY|LIST|STR|UUID|DATETIME)\b"),
    re.compile(r"\b(list|tuple|Optional|dict)\["),
    re.compile(r"\b(NoneType|pathlib|PosixPath|WindowsPath)\b"),
]
#: a metavar is a word in capitals (FILE, FIELD=HEADER) or the choices it takes (check|fix|keep)
WORD = re.compile(r"[A-Z][A-Z_]*(=[A-Z][A-Z_]*)?|[a-z]+(\|[a-z]+)+")


def _tree():
    root = typer.main.get_command(app)
    stack = [((), root)]
    while stack:
        path, command = stack.pop()
        yield path, command
        if isinstance(command, click.Group) or hasattr(command, "commands"):
            stack += [((*path, name), sub) for name, sub in command.commands.items()]


COMMANDS = sorted(path for path, _ in _tree())


def _help(*path: str) -> str:
    # a wide terminal, so that no metavar is cut; the user's language does not matter to help
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "dxcheck", *path, "--help"], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_tree_holds_every_command():
    # the walk really reaches the subcommands: a broken walk would check nothing
    assert {("evaluate",), ("inspect",), ("rules", "show"), ("rules", "lint"), ("init",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "dxcheck")
def test_help_names_values_in_words_and_shows_an_example(path):
    text = _help(*path)
    for pattern in TYPE_NAMES:
        found = pattern.search(text)
        assert found is None, f"`dxcheck {' '.join(path)} --help` shows the type name {found.group()!r}"
    assert "Example: dxcheck" in re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "dxcheck")
def test_every_value_has_a_word_for_a_metavar(path):
    command = dict(_tree())[path]
    context = click.Context(command, info_name="dxcheck")
    for param in command.get_params(context):
        if getattr(param, "is_flag", False):
            assert not param.metavar, f"{param.name}: a flag takes no value"
            continue
        assert param.metavar and WORD.fullmatch(param.metavar), f"{' '.join(path)} {param.name}: {param.metavar!r}"


def test_help_shows_the_words_chosen_for_the_main_options():
    text = re.sub(r"\s+", " ", _help("evaluate"))
    for shown in ("--output -o FILE", "--map FIELD=HEADER", "--period -p PERIOD", "--rules -r PACK",
                  "--history FOLDER", "--format -f FORMAT", "--swapped-dates check|fix|keep"):
        assert shown in text, shown
    assert "Usage: python -m dxcheck evaluate [OPTIONS] {DATA}..." in text


def test_an_option_defined_without_a_metavar_is_named_by_itself():
    # a new option that forgets its metavar still shows a word, never its type
    demo = typer.Typer(cls=WordsGroup)

    @demo.command(cls=WordsCommand)
    def run(files: Annotated[list[Path], typer.Argument(help="Files.")],
            issuer: Annotated[Optional[str], typer.Option("--issuer", help="Who issues it.")] = None,
            copies: Annotated[int, typer.Option("--copies", help="How many.")] = 1,
            dry: Annotated[bool, typer.Option("--dry", help="Only say.")] = False) -> None:
        """Demo."""

    @demo.command(cls=WordsCommand)
    def other() -> None:
        """Another, so that `run` stays a subcommand."""

    text = re.sub(r"\s+", " ", CliRunner().invoke(demo, ["run", "--help"], env={"COLUMNS": "200"}).output)
    assert "--issuer ISSUER" in text and "--copies COPIES" in text and "FILES" in text
    assert not any(pattern.search(text) for pattern in TYPE_NAMES), text
