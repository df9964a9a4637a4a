"""How closely one header resembles another: the vocabulary fields an unknown header may be,
the present headers a mistyped `--map` header may mean.

Headers are short phrases of Vietnamese syllables in which a few words carry the meaning
(`đánh giá`, `hẹn trả`) and many recur everywhere (`ngày`, `số`, `hồ sơ`, `kết quả`). So the
score is mostly word overlap weighted by how rare each word is in the vocabulary (a shared
`đánh giá` counts, a shared `ngày` little); a letter ratio (difflib) catches typing slips such
as `Ngay co ket qa`. Words are compared folded (`textnorm.fold`) when either text was typed
without diacritics, and as written otherwise: folding merges distinct syllables (`chủ`/`chữ`,
`số`/`sơ`), and `Chủ hồ sơ` would read as `Chữ ký số`. Generic string scorers (Levenshtein,
token-set ratios) rank `Ghi chú` close to `Có chữ ký số` and every `… kết quả` close to the
one-word spelling `Kết quả`, which is why this is not one of them. On thirty real headers that
are not in the vocabulary the intended field comes first for 27 and among the three shown for
28; of twenty headers that are no field (`Số điện thoại`, `Ghi chú`, `Địa chỉ`…) 13 get no
suggestion (tests/test_mapping_help.py keeps these measurements).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from functools import cache, lru_cache
from typing import TypeVar

from ..datasets import vocabulary
from ..textnorm import fold, nfc
from .headers import LEVEL_SEP

#: a resemblance below this is not worth showing (0..1)
THRESHOLD = 0.6
#: suggestions shown per header
MAX_SUGGESTIONS = 3

_WORD = re.compile(r"\w+")
T = TypeVar("T")


@lru_cache(maxsize=1 << 14)
def _words(text: str) -> tuple[str, ...]:
    """Folded words of a header; the level separator `›` and punctuation are not words."""
    return tuple(_WORD.findall(fold(text)))


@lru_cache(maxsize=1 << 14)
def _marked_words(text: str) -> tuple[str, ...]:
    """Words as written (lower case, NFC, diacritics kept), or () when typed without any."""
    words = tuple(_WORD.findall(nfc(text).lower()))
    return words if any(fold(word) != word for word in words) else ()


@cache
def _document_frequency() -> tuple[Counter, int]:
    counts: Counter = Counter()
    spellings = [spelling for *_, spelling in vocabulary_spellings()]
    for spelling in spellings:
        counts.update(set(_words(spelling)) | set(_marked_words(spelling)))
    return counts, len(spellings)


def _weight(word: str) -> float:
    counts, total = _document_frequency()
    return math.log((total + 1) / (counts.get(word, 0) + 0.5))


#: Tversky weights: a word of the wanted text that the candidate lacks costs this much …
_MISSING = 0.5
#: … and a word the candidate has beyond it this much (a longer header is no worse a match)
_EXTRA = 0.2
#: a lower level alone stands for its header a little less than the whole
_LEAF = 0.95


@lru_cache(maxsize=1 << 16)
def similarity(candidate: str, wanted: str) -> float:
    """How well `candidate` stands for `wanted`, 0..1: the rarity-weighted words they share against
    those `wanted` lacks there and, less, those `candidate` adds (a Tversky index); or, for typing
    slips, how alike they read letter by letter (difflib's ratio, cubed so that only near-identical
    texts score high). A `Group › Sub` candidate is also compared by its lowest level alone."""
    score = _similarity(candidate, wanted)
    if LEVEL_SEP in candidate:
        score = max(score, _LEAF * _similarity(candidate.rsplit(LEVEL_SEP, 1)[1], wanted))
    return score


def _similarity(candidate: str, wanted: str) -> float:
    # words keep their diacritics when both texts have them: folded, distinct syllables collide
    # (`chủ`/`chữ`, `số`/`sơ`: `Chủ hồ sơ` would read as `Chữ ký số`)
    mine, theirs = _marked_words(candidate), _marked_words(wanted)
    if not mine or not theirs:
        mine, theirs = _words(candidate), _words(wanted)
    have, need = set(mine), set(theirs)
    if not have or not need:
        return 0.0
    common = sum(_weight(word) for word in have & need)
    missing = sum(_weight(word) for word in need - have)
    extra = sum(_weight(word) for word in have - need)
    score = common / (common + _MISSING * missing + _EXTRA * extra) if common else 0.0
    matcher = SequenceMatcher(None, " ".join(mine), " ".join(theirs), autojunk=False)
    # the letter ratio only matters where it could win: its cheap upper bounds come first
    if matcher.real_quick_ratio() ** 3 > score and matcher.quick_ratio() ** 3 > score:
        score = max(score, matcher.ratio() ** 3)
    return score


@cache
def vocabulary_spellings() -> tuple[tuple[str, str, str], ...]:
    """(dataset, field, spelling) for every header spelling of the vocabulary, in its order."""
    return tuple((name, field_name, header)
                 for name, spec in vocabulary().datasets.items()
                 for field_name, field_spec in spec.fields.items()
                 for header in field_spec.headers)


@dataclass(frozen=True)
class FieldGuess:
    dataset: str
    field: str
    spelling: str  # the vocabulary spelling the header resembles most
    score: float


@lru_cache(maxsize=1 << 12)
def closest_fields(header: str, dataset: str | None = None, limit: int = MAX_SUGGESTIONS) -> tuple[FieldGuess, ...]:
    """The fields `header` may be (of `dataset` only, if given), best first: one guess per field,
    above THRESHOLD."""
    best: dict[tuple[str, str], FieldGuess] = {}
    for name, field_name, spelling in vocabulary_spellings():
        if dataset is not None and name != dataset:
            continue
        score = similarity(header, spelling)
        if score < THRESHOLD:
            continue
        key = (name, field_name)
        if key not in best or score > best[key].score:
            best[key] = FieldGuess(name, field_name, spelling, score)
    order = {key: index for index, key in enumerate(dict.fromkeys((d, f) for d, f, _ in vocabulary_spellings()))}
    ranked = sorted(best.values(), key=lambda guess: (-guess.score, order[(guess.dataset, guess.field)]))
    return tuple(ranked[:limit])


def closest(wanted: str, candidates: Iterable[T], text: Callable[[T], str] = str,
            limit: int = MAX_SUGGESTIONS) -> list[tuple[T, float]]:
    """The candidates whose text stands best for `wanted`, above THRESHOLD, best first (stable)."""
    scored = [(item, similarity(text(item), wanted)) for item in candidates]
    kept = [(item, score) for item, score in scored if score >= THRESHOLD]
    kept.sort(key=lambda pair: -pair[1])
    return kept[:limit]


def percent(score: float) -> int:
    """A score as shown to the user."""
    return int(round(100 * score))


def closest_names(wanted: str, names: Iterable[str], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The names (pack and rule ids, formats, field names) that `wanted` was probably meant to be,
    best first. Identifiers are not phrases of words: a plain letter ratio (difflib's, at its usual
    0.6) catches `josn` for `json` and `binh-minh-2003` for `binh-minh-2030`, which the header
    score above, made for Vietnamese phrases, would not."""
    by_folded = {name.casefold(): name for name in names}
    return [by_folded[match] for match in get_close_matches(wanted.casefold(), list(by_folded), n=limit, cutoff=0.6)]
