"""`python -m dxcheck` runs the command line."""

from .cli import main

main()
