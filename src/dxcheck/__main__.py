"""`python -m dxcheck` runs the command line."""

from .cli import main

if __name__ == "__main__":  # guard: --jobs workers re-import the main module
    main()
