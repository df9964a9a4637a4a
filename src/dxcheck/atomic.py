"""Write a file whole or not at all: the one way dxcheck writes every file it produces.

The bytes go to a hidden temporary file beside the target (same folder, so the rename cannot
cross file systems), are flushed to disk, then renamed over the target. A crash, a kill or a full
disk at any moment leaves either the old file or the complete new one under the target's name.
"""

from __future__ import annotations

import os
from pathlib import Path
from secrets import token_hex

#: bytes handed to one os.write call; large enough to be fast, small enough to be interruptible
_CHUNK = 1 << 20


def temporary_name(target: Path) -> Path:
    """A hidden name beside `target`, unique per process and call: two concurrent runs writing the
    same report never share a temporary file."""
    return target.with_name(f".{target.name}.{os.getpid()}-{token_hex(4)}.part")


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Replace `path` with `data` (text is written as UTF-8); the missing folders are created.

    Raises OSError (the target untouched, the temporary file removed) when anything fails.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = temporary_name(target)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            view = memoryview(payload)
            while view:
                written = os.write(descriptor, view[:_CHUNK])
                view = view[written:]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(partial, target)
    except BaseException:  # also KeyboardInterrupt: no temporary file is left behind
        try:
            os.unlink(partial)
        except OSError:
            pass
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse to sync a folder; the data itself is synced
    finally:
        os.close(descriptor)
