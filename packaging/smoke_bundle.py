"""Smoke-test a built bundle with no Python on PATH and print its size and timings.

    python packaging/smoke_bundle.py [dist/dxcheck]

Runs the bundle's program (never this Python) with a bare environment: `--version`; `evaluate`
of the shipped Bình Minh sample into HTML, xlsx and JSON (and PDF when a browser is installed);
a folder dropped on it (the HTML report beside the folder, opened through $BROWSER); and, when
the build has `serve`, a start of the web page until it answers. Exits 1 on the first failure.
Used by tests/test_bundle.py and by .github/workflows/release.yml on Windows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "binh-minh"
WINDOWS = os.name == "nt"


def bare_environment(home: Path) -> dict[str, str]:
    """Only the system's own programs on PATH: no virtual environment, no Python of ours."""
    if WINDOWS:
        system = os.environ.get("SystemRoot", r"C:\Windows")
        env = {"PATH": f"{system}\\System32;{system}", "SystemRoot": system, "TEMP": str(home), "TMP": str(home),
               "USERPROFILE": str(home), "LOCALAPPDATA": str(home)}
        for keep in ("ProgramFiles", "ProgramFiles(x86)"):  # where Edge lives, for the PDF
            if keep in os.environ:
                env[keep] = os.environ[keep]
        return env
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home), "LANG": "C.UTF-8"}


def program(bundle: Path) -> Path:
    return bundle / ("dxcheck.exe" if WINDOWS else "dxcheck")


def run(bundle: Path, env: dict[str, str], *args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(program(bundle)), *args], capture_output=True, cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, timeout=timeout, encoding="utf-8", errors="replace")


def check(condition: bool, what: str, done: subprocess.CompletedProcess | None = None) -> None:
    if not condition:
        detail = f"\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}" if done is not None else ""
        raise SystemExit(f"smoke test failed: {what}{detail}")


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def smoke(bundle: Path) -> dict[str, object]:
    bundle = bundle.resolve()
    check(program(bundle).is_file(), f"no program in {bundle}")
    facts: dict[str, object] = {"bundle": str(bundle), "size_mb": round(folder_size(bundle) / 1e6),
                                "files": sum(1 for p in bundle.rglob("*") if p.is_file())}
    with tempfile.TemporaryDirectory(prefix="dxcheck-smoke-") as scratch:
        work = Path(scratch)
        env = bare_environment(work)

        started = time.monotonic()
        done = run(bundle, env, "--version", cwd=work)
        facts["version_seconds"] = round(time.monotonic() - started, 1)
        check(done.returncode == 0 and done.stdout.startswith("dxcheck "), "--version", done)

        month = work / "du-lieu" / "2026-10"
        shutil.copytree(SAMPLE, month)
        outputs = [work / "out" / name for name in ("bao-cao.html", "bao-cao.xlsx", "bao-cao.json")]
        browser = _browser()
        if browser:
            env["DXCHECK_BROWSER"] = str(browser)
            outputs.append(work / "out" / "bao-cao.pdf")
        started = time.monotonic()
        done = run(bundle, env, "evaluate", str(month), "--rules", "binh-minh-2030", "--period", "2026-10",
                   *(arg for path in outputs for arg in ("-o", str(path))), cwd=work)
        facts["evaluate_seconds"] = round(time.monotonic() - started, 1)
        check(done.returncode in (0, 1), "evaluate of the Bình Minh sample", done)
        check(all(path.is_file() and path.stat().st_size > 1000 for path in outputs), "the reports written", done)
        document = json.loads((work / "out" / "bao-cao.json").read_text(encoding="utf-8"))
        check(document["summary"]["fail"] > 0 and document["summary"]["pass"] > 0, "a pass/fail summary")
        check("Bình Minh" in (work / "out" / "bao-cao.html").read_text(encoding="utf-8"), "the commune in the HTML")
        if browser:
            check((work / "out" / "bao-cao.pdf").read_bytes().startswith(b"%PDF-"), "a PDF")
        facts["pdf"] = bool(browser)

        opened = work / "opened.txt"
        env["BROWSER"] = _recorder(work, opened)
        done = run(bundle, env, str(month), cwd=work)
        report = month.parent / "bao-cao-2026-10.html"
        check(done.returncode in (0, 1) and report.is_file(), "a dropped folder's report beside it", done)
        if not WINDOWS:
            check(opened.is_file() and report.as_uri() in opened.read_text(), "the report opened in the browser", done)

        done = run(bundle, env, "--help", cwd=work)
        facts["serve"] = " serve " in done.stdout
        if facts["serve"]:
            facts["serve_seconds"] = _serve(bundle, env, work, opened)
    return facts


def _browser() -> Path | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "msedge"):
        found = shutil.which(name)
        if found:
            return Path(found)
    if WINDOWS:
        for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
            edge = Path(base or "") / "Microsoft" / "Edge" / "Application" / "msedge.exe"
            if base and edge.is_file():
                return edge
    return None


def _recorder(work: Path, opened: Path) -> str:
    """A $BROWSER that writes down the address it was asked to open (Python's webbrowser honours it)."""
    if WINDOWS:
        return "cmd /c rem"  # opens nothing; the report file itself is checked
    script = work / "record-browser"
    script.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n', encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def _serve(bundle: Path, env: dict[str, str], work: Path, opened: Path) -> float:
    """Double-click: the launcher starts `serve`, which opens its page; fetch that page once."""
    opened.unlink(missing_ok=True)
    started = time.monotonic()
    process = subprocess.Popen([str(program(bundle))], cwd=work, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        address = ""
        while time.monotonic() - started < 60 and not address:
            check(process.poll() is None, "serve stopped on its own")
            if opened.is_file():
                address = next((line for line in opened.read_text().split() if line.startswith("http://127.0.0.1")), "")
            time.sleep(0.2)
        check(bool(address), "serve opened no http://127.0.0.1 page within 60 s")
        # the page moves its start token into a cookie and redirects: keep the cookie
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(address, timeout=30) as response:  # loopback only
            check(response.status == 200 and b"<html" in response.read().lower(), "serve's page")
        return round(time.monotonic() - started, 1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "dxcheck"
    print(json.dumps(smoke(target), ensure_ascii=False, indent=2))
