"""Errors that reach the user: each names a catalogue message and an exit code.

Library code raises these; the CLI prints `str(error)` (in the chosen language) and exits with
`error.exit_code`, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .exit_codes import ExitCode
from .messages import t


class DxcheckError(Exception):
    """A problem the user can fix; `key` names its message in the catalogue."""

    exit_code: ExitCode = ExitCode.INPUT_ERROR

    def __init__(self, key: str, *, suggestions: Sequence[str] = (), **params: Any) -> None:
        self.key = key
        self.params = params
        # what the user probably meant (closest.closest_names), said after the message
        self.suggestions = tuple(suggestions)
        super().__init__(key)

    def __str__(self) -> str:
        message = t(self.key, **self.params)
        if self.suggestions:
            message += " " + t("cli.did_you_mean", names=", ".join(f"“{name}”" for name in self.suggestions))
        return message


class InputError(DxcheckError):
    """A data file that is missing, unreadable or not recognised."""


class RulePackError(DxcheckError):
    """A rule pack that cannot be loaded: YAML syntax, schema or expression errors."""


class UsageError(DxcheckError):
    """A bad option value (period, mapping, format)."""
