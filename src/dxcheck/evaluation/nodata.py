"""Why a rule has no data, in words that name the real cause.

A rule lists the ways its target can be measured (its measurements, each on one dataset). When
none of them can run, the message says, for each dataset that was given and could answer, which
columns it lacks — suggesting a `--map` only when one of its unused columns plausibly is that
field — and, when none of the rule's datasets was given, that the exports given have no column
for this target. Then it names the exports (or the declared value) that would answer it. All of
it is derived from the rule's measurements and the vocabulary, never from a table per rule.
"""

from __future__ import annotations

from ..datasets import DatasetSpec, dataset, vocabulary
from ..load.closest import THRESHOLD, similarity
from ..load.headers import typed_header
from ..messages import get_language, t
from ..packs.loader import CompiledMeasurement
from ..packs.model import DeclaredMeasurement, Rule
from .data import DatasetData

#: header spellings shown per field
SPELLINGS_SHOWN = 3


def _named(spec: DatasetSpec) -> str:
    return f"{spec.title.get(get_language())} ({spec.name})"


def _ordered(spec: DatasetSpec, fields: set[str]) -> list[str]:
    return [name for name in [*spec.fields, *spec.lookup_fields()] if name in fields]


def _columns(spec: DatasetSpec, fields: list[str]) -> str:
    """`danh_gia (Đánh giá / Mức độ hài lòng / Kết quả đánh giá); …`: what dxcheck looks for."""
    return "; ".join(f"{name} ({' / '.join(spec.field(name).headers[:SPELLINGS_SHOWN])})" for name in fields)


def _way(rule: Rule, item: CompiledMeasurement) -> str:
    if isinstance(item.spec, DeclaredMeasurement):
        example = item.spec.keys[0] if item.spec.keys else rule.title.vi
        return t("result.way_declared", id=rule.id, example=example)
    return t("result.way_dataset", dataset=_named(item.dataset),
             columns=_columns(item.dataset, _ordered(item.dataset, item.required)))


def _map_name(spec: DatasetSpec, field: str) -> str:
    """The field as `--map` should name it: qualified when another dataset has a field so named."""
    shared = sum(field in other.fields for other in vocabulary().datasets.values())
    return field if shared == 1 else f"{spec.name}.{field}"


def _plausible(spec: DatasetSpec, field: str, data: DatasetData) -> tuple[str, str] | None:
    """The unused column (header, 'file › sheet') of the given sheets that most resembles `field`."""
    best, best_score = None, THRESHOLD
    for path, sheet, header in data.unmatched:
        score = max(similarity(header, spelling) for spelling in spec.fields[field].headers)
        if score >= best_score:
            best, best_score = (header, f"{path} › {sheet}"), score
    return best


def explain(rule: Rule, measurements: list[CompiledMeasurement], datasets: dict[str, DatasetData]) -> str:
    """The reason none of `measurements` can run on `datasets`, and what would answer instead."""
    sentences: list[str] = []
    given: dict[str, CompiledMeasurement] = {}
    others: dict[str, CompiledMeasurement] = {}
    for item in measurements:
        name = item.dataset.name
        if name in datasets:
            # of several ways on one dataset, the one that lacks the fewest columns is described
            lacking = len(item.absent(datasets[name].present))
            if name not in given or lacking < len(given[name].absent(datasets[name].present)):
                given[name] = item
        else:
            others.setdefault(name, item)
    for name, item in given.items():
        data, spec = datasets[name], item.dataset
        absent = _ordered(spec, set(item.absent(data.present)))
        if "ngay_co_ket_qua" in absent and "ngay_tra" in data.present:
            # a hand-over date is no result date (REFERENCE §3.1): said so, never guessed
            sentences.append(t("result.only_handover_date", dataset=name))
            absent.remove("ngay_co_ket_qua")
        for group in item.any_of:  # one of these is enough: said so, not listed as all needed
            if not group & data.present:
                absent = [name for name in absent if name not in group]
                sentences.append(t("result.lacks_one_of", dataset=_named(spec),
                                   columns=_columns(spec, _ordered(spec, set(group)))))
        if absent:
            sentences.append(t("result.lacks_columns", dataset=_named(spec), columns=_columns(spec, absent)))
        for field in absent:
            found = _plausible(spec, field, data)
            if found:
                header, where = found
                sentences.append(t("result.map_hint", header=header, where=where, field=field,
                                   name=_map_name(spec, field), typed=typed_header(header)))
    if not given and datasets:
        names = ", ".join(_named(dataset(name)) for name in datasets)
        sentences.append(t("result.cannot_answer", given=names))
    if others:
        ways = f" {t('result.or')} ".join(_way(rule, item) for item in others.values())
        sentences.append(t("result.also_from" if given else "result.measured_from", ways=ways))
    # a sentence after a full stop starts with a capital, though its key starts in lower case to
    # follow "no data: " when it comes first
    return " ".join(sentences[:1] + [sentence[:1].upper() + sentence[1:] for sentence in sentences[1:]])
