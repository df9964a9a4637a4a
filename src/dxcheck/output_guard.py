"""Inputs are read-only: refuse, before anything is read, an output that would write over one.

An output collides with an input when it is the same file (compared by device and inode, so a
symbolic or hard link to the input counts) or lies inside an input folder, whose files the next
run would read. The check runs on the command line's paths before any data is loaded, so a
refused run has written nothing and read nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def refuse_overlap(outputs: Iterable[Path | None], inputs: Iterable[Path | str | None]) -> None:
    """Raise UsageError (exit 2) naming the first output that is, or is inside, an input."""
    existing = [Path(path) for path in inputs if path is not None and os.path.lexists(path)]
    for output in outputs:
        if output is None:
            continue
        for source in existing:
            if source.is_dir() and _inside(output, source):
                raise UsageError("outputs.in_input_folder", output=str(output), input=str(source))
            if _same_file(output, source):
                raise UsageError("outputs.is_input", output=str(output), input=str(source))


def _same_file(output: Path, source: Path) -> bool:
    try:
        if os.path.exists(output) and os.path.samefile(output, source):
            return True
    except OSError:
        pass
    # a dangling symbolic link (or a name not yet created) still resolves to where it would write
    return _resolved(output) == _resolved(source)


def _inside(output: Path, folder: Path) -> bool:
    target, root = _resolved(output), _resolved(folder)
    return target == root or root in target.parents


def _resolved(path: Path) -> Path:
    try:
        return Path(os.path.normcase(Path(path).resolve(strict=False)))
    except (OSError, RuntimeError):  # a symbolic-link loop: compare the absolute name
        return Path(os.path.normcase(os.path.abspath(path)))
