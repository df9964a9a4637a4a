"""Help text that names values in words (FILE, PERIOD, FIELD=HEADER), never in Python types.

Typer 0.29 prints each parameter's annotation (`<list[Path]>`, `<str>`, `<bool>`) beside it, and
ignores an argument's metavar in that column; older Typers print click's `TEXT`, `PATH`,
`INTEGER`. A clerk reading `--output <list[Path]>` learns nothing, so every command is built with
the classes below: a flag shows no value at all, an argument shows its metavar only once, and a
parameter defined without a metavar falls back to its own name in capitals (`--issuer ISSUER`),
which is a word even when a new option forgets one. tests/test_cli_help.py holds them to it.
"""

from __future__ import annotations

import typer.core


def _installed_click():
    import click

    return click


# Typer >= 0.29 vendors its own click: its parameters derive from that one, not the installed click
# (imported, 5 ms at every start-up, only for an older Typer).
_Option = getattr(typer.core, "TyperOption", None) or _installed_click().Option
_Argument = getattr(typer.core, "TyperArgument", None) or _installed_click().Argument


class _WordArgument(_Argument):
    def display_type_rich(self, ctx):  # noqa: D102 - the name column shows the metavar already
        return None


def _in_words(params) -> None:
    for param in params:
        if isinstance(param, _Option) and (getattr(param, "is_flag", False) or getattr(param, "count", False)):
            param.metavar = ""
        elif param.metavar is None:
            param.metavar = (param.name or "value").upper()
        if type(param) is _Argument:
            param.__class__ = _WordArgument


class WordsCommand(typer.core.TyperCommand):
    """A command whose help names its values in words."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        _in_words(params)
        return params


class WordsGroup(typer.core.TyperGroup):
    """A group (the app, `rules`) whose help names its values in words."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        _in_words(params)
        return params
