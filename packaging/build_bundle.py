"""Build the one-folder bundle into dist/dxcheck/ with PyInstaller and print its size.

    python -m pip install '.[bundle]'
    python packaging/build_bundle.py

The same command builds the Windows bundle in .github/workflows/release.yml (a bundle is built on
the system it runs on: PyInstaller does not cross-compile).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def build(dist: Path = DIST, work: Path = ROOT / "build" / "pyinstaller") -> Path:
    """Build the bundle into `dist`/dxcheck and return that folder."""
    bundle = dist / "dxcheck"
    started = time.monotonic()
    # The hooks import dxcheck to list its modules: this tree's, whatever is installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(ROOT / "packaging" / "dxcheck.spec")], check=True, cwd=ROOT, env=env)
    size = folder_size(bundle)
    print(f"built {bundle} in {time.monotonic() - started:.0f} s: {size / 1e6:.0f} MB "
          f"in {sum(1 for p in bundle.rglob('*') if p.is_file())} files")
    return bundle


if __name__ == "__main__":
    build()
