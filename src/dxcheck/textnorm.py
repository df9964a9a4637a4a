"""Text normalisation shared by header matching and value matching.

Exports mix NFC and NFD text, upper case, line breaks inside cells and stray punctuation;
one key function folds all of that so vocabularies can be compared by dictionary lookup.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Punctuation that decorates a header or value without changing its meaning: `(1)`, `*`, `:`.
_EDGE_PUNCT = " \t\r\n.,;:!?*'\"()[]{}-–—_•·#"


def nfc(text: str) -> str:
    """NFC-normalise and trim, collapsing runs of white space (incl. line breaks) to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """A matching key: no diacritics, lower case, single spaces, no surrounding punctuation.

    `Ngày  Tiếp\\nNhận:` and NFD `ngay tiep nhan` both give `ngay tiep nhan`.
    """
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip(_EDGE_PUNCT).strip()
