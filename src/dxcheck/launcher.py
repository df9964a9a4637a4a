"""What the double-clicked bundle does (packaging/launcher.py is its entry point).

- No argument (double-click): start the local web page, `dxcheck serve`, which opens the browser.
- Folders or files dropped on the program: evaluate them with the `dxcheck.toml` found beside
  them (the `evaluate` command finds it), write the HTML report beside the folder, open it.
- Anything else: the ordinary command line (`dxcheck --version`, `dxcheck evaluate ...`).
"""

from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

REPORT_PREFIX = "bao-cao-"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        return _serve()
    if all(_is_dropped_path(arg) for arg in args):
        return _evaluate_dropped([Path(arg) for arg in args])
    return _cli(args)


def report_path(dropped: list[Path], config: object | None = None) -> Path:
    """Where the report of a drop goes: the configured report folder, else beside the folder."""
    first = dropped[0].resolve()
    folder = first if first.is_dir() else first.parent
    report_dir = getattr(config, "report_dir", None)
    if report_dir:
        base = Path(getattr(config, "path", folder)).parent
        report_dir = Path(report_dir)
        return (report_dir if report_dir.is_absolute() else base / report_dir) / f"{folder.name}.html"
    if folder.parent == folder:  # a drive's root has nothing beside it
        return folder / f"{REPORT_PREFIX}dxcheck.html"
    return folder.parent / f"{REPORT_PREFIX}{folder.name}.html"


def _is_dropped_path(arg: str) -> bool:
    return not arg.startswith("-") and Path(arg).exists()


def _serve() -> int:
    _set_language(None)
    return _cli(["serve"])


def _evaluate_dropped(paths: list[Path]) -> int:
    config = _find_config(paths[0])
    _set_language(config)
    target = report_path(paths, config)
    language = getattr(config, "language", None)
    code = _cli(["evaluate", *(str(path) for path in paths), "--output", str(target),
                 *(["--lang", language] if language else [])])
    _set_language(config)  # the command set its own
    if code in (0, 1) and target.is_file():
        from .messages import t

        print(t("launcher.opening", path=str(target)), flush=True)
        webbrowser.open(target.as_uri())
    _pause()
    return code


def _find_config(path: Path):
    try:  # dxcheck.config came with issue 14; an older tree evaluates with the defaults
        from .config import find_config
    except ImportError:
        return None
    start = path if path.is_dir() else path.parent
    try:
        return find_config(start)
    except Exception:  # noqa: BLE001 - `evaluate` reads the file again and reports its error properly
        return None


def _set_language(config: object | None) -> None:
    from .messages import LANGUAGES, set_language

    chosen = getattr(config, "language", None) or os.environ.get("DXCHECK_LANG") or "vi"
    set_language(chosen if chosen in LANGUAGES else "vi")


def _cli(args: list[str]) -> int:
    from .cli import main as cli_main

    saved = sys.argv
    sys.argv = [saved[0] if saved else "dxcheck", *args]
    try:
        cli_main()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    finally:
        sys.argv = saved
    return 0


def _pause() -> None:
    """Keep the console window of a double-clicked program open until the message is read."""
    if getattr(sys, "frozen", False) and sys.stdin is not None and sys.stdin.isatty():
        from .messages import t

        try:
            input(t("launcher.press_enter"))
        except (EOFError, KeyboardInterrupt):
            pass
