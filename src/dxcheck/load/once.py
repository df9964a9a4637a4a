"""Each input read once: the same file named twice (also through its folder, a symlink or a hard
link) would otherwise be counted as two communes' data.

Files are told apart by device and inode, not by how their path is spelt.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..results import DataWarning
from .formats import read_from_folder


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None  # missing or unreadable: reported by the loader, with its own message
    return info.st_dev, info.st_ino


def read_once(entries: Iterable) -> tuple[list, list[DataWarning]]:
    """`entries` without those that name a file or folder already named (or a file inside a folder
    named), in their order; one warning per entry left out. Entries that are no path (loaded
    files) are kept as they are."""
    entries = list(entries)
    folders: dict[tuple[int, int], str] = {}
    for entry in entries:
        if isinstance(entry, (str, os.PathLike)) and Path(entry).is_dir():
            key = _identity(Path(entry))
            if key is not None:
                folders.setdefault(key, str(entry))
    kept: list = []
    seen: dict[tuple[int, int], str] = {}
    warnings: list[DataWarning] = []
    for entry in entries:
        if not isinstance(entry, (str, os.PathLike)):
            kept.append(entry)
            continue
        path = Path(entry)
        key = _identity(path)
        same_as = seen.get(key) if key is not None else None
        if same_as is None and key is not None and path.is_file() and read_from_folder(path):
            same_as = folders.get(_identity(path.parent) or (-1, -1))
        if same_as is None:
            if key is not None:
                seen[key] = str(entry)
            kept.append(entry)
            continue
        warnings.append(DataWarning(path=str(entry), code="load.input_repeated",
                                    params={"path": str(entry), "same_as": same_as}))
    return kept, warnings
