"""Per-file progress on standard error while inputs are read: `reading ho-so.xlsx (2/5)`.

Shown only once the run has taken `DELAY` seconds (a quick run prints nothing at all), and erased
when the run ends (transient), so that nothing of it is left in a terminal's scroll-back. The CLI
creates it only when standard error is a terminal and --quiet is not given; standard output is
never touched.
"""

from __future__ import annotations

import threading
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .messages import t
from .render.escape import terminal_markup

#: seconds a run must take before the progress appears
DELAY = 1.0


class FileProgress:
    """A context manager; pass its `on_file` to `dxcheck.evaluate(on_file=...)`."""

    def __init__(self, console: Console, working: str, delay: float | None = None) -> None:
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
        self._task = self._progress.add_task(terminal_markup(working), total=None)
        self._timer = threading.Timer(DELAY if delay is None else delay, self._show)
        self._timer.daemon = True
        self._lock = threading.Lock()
        self._shown = self._closed = False

    def __enter__(self) -> FileProgress:
        self._timer.start()
        return self

    def _show(self) -> None:
        with self._lock:  # never started after the run has ended
            if not self._closed:
                self._progress.start()
                self._shown = True

    def on_file(self, path: Path, position: int, count: int) -> None:
        # a file name is no markup (`[red]x.xlsx` is shown as named) and sends no escape sequence
        text = terminal_markup(t("cli.progress_reading", name=Path(path).name, position=position, count=count))
        self._progress.update(self._task, description=text, completed=position - 1, total=count)

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._shown:
                self._progress.stop()
