"""Cells an xlsx shows as a percentage: the value 0.9729 formatted `0.00%` is shown 97,29% and
means 97.29 (percent units, as the text `97,29%` is read). The reader gives values without their
formats, so the styles that format as a percentage are read from `xl/styles.xml`, and the cells
using them are picked out of the sheet XML during the guard's one pass over it (`guard`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.etree import ElementTree

import numpy as np

#: Excel's built-in percentage formats (`0%`, `0.00%`)
_BUILTIN_PERCENT = {9, 10}
# a `%` outside quoted text and `[...]` sections of a format code
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def percent_styles(styles_xml: bytes) -> set[int]:
    """Indexes of the cell formats (`cellXfs`) whose number format shows a percentage."""
    try:
        root = ElementTree.fromstring(styles_xml)
    except ElementTree.ParseError:
        return set()
    percent_ids = set(_BUILTIN_PERCENT)
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            code = _QUOTED.sub("", element.get("formatCode") or "")
            if "%" in code and (element.get("numFmtId") or "").isdigit():
                percent_ids.add(int(element.get("numFmtId")))
    out: set[int] = set()
    for element in root.iter():
        if _local(element.tag) == "cellXfs":
            for index, xf in enumerate(x for x in element if _local(x.tag) == "xf"):
                fmt = xf.get("numFmtId") or "0"
                if fmt.isdigit() and int(fmt) in percent_ids:
                    out.add(index)
    return out


def markers(styles: set[int]) -> list[bytes]:
    """The attribute texts a cell using one of `styles` carries (searched first: fast, no regex)."""
    return [f's="{index}"'.encode() for index in sorted(styles)]


@lru_cache(maxsize=8)
def _cells_styled(wanted: tuple[bytes, ...]) -> re.Pattern:
    """A number cell (no `t`, or `t="n"`) whose style is one of `wanted`: its column and row."""
    styles = b"|".join(re.escape(marker) for marker in wanted)
    return re.compile(
        rb"<(?:[A-Za-z_][\w.\-]*:)?c\s(?=(?:[^>]*\s)?(?:" + styles + rb"))(?!(?:[^>]*\s)?t\s*=\s*[\"'](?!n[\"']))"
        rb"(?=(?:[^>]*\s)?r\s*=\s*[\"']\$?([A-Za-z]+)\$?(\d+)[\"'])"
    )


def collect(piece, wanted: list[bytes], out: list[tuple[int, int]]) -> None:
    """Append (row, column), 1-based, of each number cell in `piece` whose style is `wanted`."""
    data = bytes(piece)
    if not any(marker in data for marker in wanted):
        return  # the usual piece: a plain search, no regex
    columns: dict[bytes, int] = {}
    for letters, row in _cells_styled(tuple(wanted)).findall(data):
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = _column_number(letters.decode("ascii").upper())
        out.append((int(row), column))


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number


def column_mask(cells: np.ndarray, column: int, height: int) -> np.ndarray:
    """Rows (0-based, of a grid `height` tall) whose cell in 1-based `column` is a percentage;
    `cells` holds (row, column) pairs, 1-based, as `collect` found them."""
    mask = np.zeros(height, dtype=bool)
    rows = cells[cells[:, 1] == column, 0] - 1
    mask[rows[(rows >= 0) & (rows < height)]] = True
    return mask
