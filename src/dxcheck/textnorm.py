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
# U+0300–U+036F, every one a nonspacing mark (Mn): after NFD a Vietnamese text holds no other
# non-ASCII character but đ, so `fold` drops them by table and tests each character only when
# something non-ASCII is left (tests/test_text_columns.py checks the block is all Mn).
_COMBINING_MARKS = dict.fromkeys(range(0x300, 0x370))


def nfc(text: str) -> str:
    """NFC-normalise and trim, collapsing runs of white space (incl. line breaks) to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """A matching key: no diacritics, lower case, single spaces, no surrounding punctuation.

    `Ngày  Tiếp\\nNhận:` and NFD `ngay tiep nhan` both give `ngay tiep nhan`.
    """
    decomposed = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    stripped = decomposed.translate(_COMBINING_MARKS)
    if not stripped.isascii():  # marks outside U+0300–U+036F, or other letters: ask each character
        stripped = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip(_EDGE_PUNCT).strip()
