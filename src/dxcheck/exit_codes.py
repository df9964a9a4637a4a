"""The process exit codes of every dxcheck command, in one place (REFERENCE §5).

Scripts and CI jobs branch on these numbers; never return a bare integer elsewhere.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    #: Every evaluated rule passes (and, under --strict, no rule lacks data and no warning).
    OK = 0
    #: At least one rule fails (a lint finding, for `dxcheck rules lint`).
    FAILED = 1
    #: The run could not be done: a missing or unreadable file, an invalid rule pack, a bad option.
    INPUT_ERROR = 2
    #: Stopped by Ctrl-C (SIGINT), the shell's 128 + 2; no output was left half-written.
    INTERRUPTED = 130
