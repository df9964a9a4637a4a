"""Which row of a real-layout sheet is its header, over how many rows it runs, and which column
each field is read from, as a user reads them off the loader's report (`header_row`,
`header_rows`, `fields`, `headers`, `unmatched_headers`).

Each sheet is written as a small CSV grid laid out as an office's export is."""

from __future__ import annotations

from test_load_rows import load
