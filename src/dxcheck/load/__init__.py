"""Loading real exports: every sheet recognised, every row accounted for (REFERENCE §3).

`load_inputs` reads xlsx/xlsm/xls/ods/csv/parquet files, finds each sheet's header under the
banners, recognises its dataset from the vocabulary in `datasets.yaml`, leaves out (and counts)
the rows that are no records, and types every field. `inspect`/`render_inspect` show why.
"""

from .api import (
    LoadedFile,
    LoadOptions,
    NotRecognised,
    input_files,
    load_file,
    load_inputs,
    not_recognised_error,
    parse_mapping,
)
from .inspect import inspect, render_inspect
from .mapcheck import MappingNotFound, check_mapping
from .rows import REASONS
from .sheet import LoadedSheet

__all__ = [
    "REASONS",
    "LoadOptions",
    "LoadedFile",
    "LoadedSheet",
    "MappingNotFound",
    "NotRecognised",
    "check_mapping",
    "inspect",
    "load_file",
    "load_inputs",
    "not_recognised_error",
    "parse_mapping",
    "render_inspect",
]
