"""Errors that reach the user: each names a catalogue message and an exit code.

Library code raises these; the CLI prints `str(error)` (in the chosen language) and exits with
`error.exit_code`, never a traceback.
"""

from __future__ import annotations

from typing import Any

from .exit_codes import ExitCode
from .messages import t


class DxcheckError(Exception):
    """A problem the user can fix; `key` names its message in the catalogue."""

    exit_code: ExitCode = ExitCode.INPUT_ERROR

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def __str__(self) -> str:
        return t(self.key, **self.params)


class InputError(DxcheckError):
    """A data file that is missing, unreadable or not recognised."""


class RulePackError(DxcheckError):
    """A rule pack that cannot be loaded: YAML syntax, schema or expression errors."""


class UsageError(DxcheckError):
    """A bad option value (period, mapping, format)."""
