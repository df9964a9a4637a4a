"""Entry point of the PyInstaller bundle: see dxcheck/launcher.py for what it does."""

import multiprocessing
import sys

from dxcheck.launcher import main

if __name__ == "__main__":
    # --jobs starts worker processes: in a frozen program they re-run this file and must stop here.
    multiprocessing.freeze_support()
    sys.exit(main())
