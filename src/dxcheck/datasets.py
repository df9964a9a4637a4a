"""The dataset vocabulary (fields, header spellings, value codes, scopes) as typed objects.

The data lives in `datasets.yaml`; this module validates it once and answers questions about it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from ruamel.yaml import YAML

FieldType = Literal["text", "id", "date", "deadline", "number", "bool", "category"]
DATE_TYPES = ("date", "deadline")


class LocalizedText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    type: FieldType
    headers: list[str]
    #: category: canonical code -> accepted spellings (the code itself is always accepted)
    values: dict[str, list[str]] = Field(default_factory=dict)
    #: the code (category) or truth value (bool: "yes"/"no") of an empty cell; None = unknown
    blank: str | None = None
    #: bool: extra spellings that mean yes / no for this field
    yes: list[str] = Field(default_factory=list)
    no: list[str] = Field(default_factory=list)
    #: `dataset.field` whose value vocabulary this field shares
    same_as: str | None = None
    #: an export may lack the column: then every row reads as blank (the Nghị định 30 register
    #: has no `Độ mật` column, since secret documents have a register of their own)
    optional: bool = False
    #: category: folded spellings (regular expressions) that give no value and are no unknown
    #: value either (`Còn 2.5 ngày` in a progress column: relative to the moment of the export)
    no_verdict: list[str] = Field(default_factory=list)
    #: bool: regular expressions (RE2, case-insensitive, matching the whole trimmed cell) for
    #: cells that are no yes/no word but still answer: an account name or an e-mail address reads
    #: yes (`yes_pattern`); an address that does not qualify reads no (`no_pattern`) and its rows
    #: are reported under the message `no_pattern_warning`. Yes/no words are read first.
    yes_pattern: list[str] = Field(default_factory=list)
    no_pattern: list[str] = Field(default_factory=list)
    no_pattern_warning: str | None = None
    #: date: whether the field's dates place the data in time when no period is given (a staff
    #: member's last sign-in says when the staff list was exported, not when dossiers were handled)
    infers_period: bool = True

    @model_validator(mode="after")
    def _patterns(self) -> "FieldSpec":
        if (self.yes_pattern or self.no_pattern) and self.type != "bool":
            raise ValueError("yes_pattern / no_pattern belong to yes/no fields")
        if bool(self.no_pattern) != bool(self.no_pattern_warning):
            raise ValueError("no_pattern needs no_pattern_warning (the message naming its rows), and only it")
        for pattern in (*self.yes_pattern, *self.no_pattern):
            re.compile(pattern)  # RE2 is stricter; a test reads every pattern with pyarrow too
        return self

    @property
    def codes(self) -> list[str]:
        return list(self.values)


class ScopeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: LocalizedText
    expr: str
    #: fields the expression may use that an export may lack (treated as blank when absent)
    optional: list[str] = Field(default_factory=list)
    #: fields each of which an export may lack, but not all of them (treated as blank when absent)
    one_of: list[str] = Field(default_factory=list)


class CompoundValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    spellings: list[str]
    sets: dict[str, str]


class CombinedColumn(BaseModel):
    """A column that counts several fields together (`Trực tiếp, dịch vụ bưu chính`)."""

    model_config = ConfigDict(extra="forbid")
    field: str
    parts: list[str]


class TotalCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")
    total: str
    parts: list[str]


class CopyOrder(BaseModel):
    """One step of deciding which copy of a record is the most advanced (REFERENCE §3): copies of
    one record id are compared step by step, the first step that tells them apart deciding.

    A date beats a blank and a later date an earlier one; yes beats no; a larger number a smaller
    one; a category code listed in `order` beats those after it and every code not listed (an item
    that is itself a list holds codes equally advanced)."""

    model_config = ConfigDict(extra="forbid")
    field: str
    order: list[str | list[str]] = Field(default_factory=list)

    def ranks(self) -> dict[str, int]:
        """Category code -> rank (higher is more advanced; codes not listed rank 0)."""
        out: dict[str, int] = {}
        for position, item in enumerate(self.order):
            for code in [item] if isinstance(item, str) else item:
                out[code] = len(self.order) - position
        return out


class LookupSpec(BaseModel):
    """Where a record's counterpart in another dataset is found: the first of `by` that both
    sides carry and that matches (codes compared trimmed and ignoring case, names folded)."""

    model_config = ConfigDict(extra="forbid")
    dataset: str
    by: list[str]


#: the joined field that says whether a record found its counterpart (None: no such dataset given)
FOUND = "found"


class DatasetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = ""
    title: LocalizedText
    row: LocalizedText
    record_id: str
    unique_id: bool = True
    key: list[str]
    min_fields: int
    required: list[str] = Field(default_factory=list)
    #: at least one of these must be found (rows named by lĩnh vực or by unit)
    required_one_of: list[str] = Field(default_factory=list)
    #: a field whose presence means one row per unit (commune, ward): units are evaluated apart
    unit_field: str | None = None
    fields: dict[str, FieldSpec]
    compound_values: list[CompoundValue] = Field(default_factory=list)
    combined: list[CombinedColumn] = Field(default_factory=list)
    scopes: dict[str, ScopeSpec] = Field(default_factory=dict)
    checks: list[TotalCheck] = Field(default_factory=list)
    #: copies of one record id: which one is kept (the most advanced; ties: the last one)
    most_advanced: list[CopyOrder] = Field(default_factory=list)
    #: a date field whose year is part of a record's identity: ids that restart every year
    #: (document numbers) name one record only within one year
    id_per_year_of: str | None = None
    #: fields of another dataset that rules may read as `<dataset>.<field>` (REFERENCE §4 joins)
    lookup: LookupSpec | None = None

    @model_validator(mode="after")
    def _names_exist(self) -> "DatasetSpec":
        names = [self.record_id, *self.key, *self.required, *self.required_one_of,
                 *([self.unit_field] if self.unit_field else []),
                 *(name for item in self.combined for name in [item.field, *item.parts])]
        for name in names:
            if name not in self.fields:
                raise ValueError(f"unknown field {name!r}")
        if self.id_per_year_of is not None and getattr(self.fields.get(self.id_per_year_of), "type", None) != "date":
            raise ValueError(f"id_per_year_of: {self.id_per_year_of!r} is no date field")
        for step in self.most_advanced:
            spec = self.fields.get(step.field)
            if spec is None or spec.type in ("text", "id"):
                raise ValueError(f"most_advanced: {step.field!r} is no date, number, yes/no or category field")
            if bool(step.order) != (spec.type == "category"):
                raise ValueError(f"most_advanced: {step.field!r} needs `order` exactly when it is a category")
            unknown = sorted(set(step.ranks()) - set(spec.values)) if spec.values else []
            if unknown:
                raise ValueError(f"most_advanced: {step.field!r} has no codes {unknown}")
        return self

    def field(self, name: str) -> FieldSpec | None:
        """A field of this dataset, or `<lookup dataset>.<field>` of the dataset it looks up
        (always optional: the lookup may find nothing)."""
        if name in self.fields:
            return self.fields[name]
        if self.lookup is not None and name.startswith(self.lookup.dataset + "."):
            joined = name.split(".", 1)[1]
            if joined == FOUND:
                return FieldSpec(type="bool", headers=[], optional=True)
            other = vocabulary().datasets[self.lookup.dataset].fields.get(joined)
            return other.model_copy(update={"optional": True}) if other is not None else None
        return None

    def lookup_fields(self) -> list[str]:
        """Every `<dataset>.<field>` name rules may use on this dataset."""
        if self.lookup is None:
            return []
        other = vocabulary().datasets[self.lookup.dataset]
        return [f"{other.name}.{name}" for name in [*other.fields, FOUND]]

    def has_required(self, found) -> bool:
        """Whether the fields `found` include every required one and one of `required_one_of`."""
        return all(name in found for name in self.required) and (
            not self.required_one_of or any(name in found for name in self.required_one_of))


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid")
    datasets: dict[str, DatasetSpec]


@cache
def vocabulary() -> Vocabulary:
    text = resources.files(__package__).joinpath("datasets.yaml").read_text(encoding="utf-8")
    vocab = Vocabulary.model_validate(YAML(typ="safe").load(text))
    for name, spec in vocab.datasets.items():
        spec.name = name
        for field in spec.fields.values():
            if field.same_as:
                other_ds, other_field = field.same_as.split(".")
                source = vocab.datasets[other_ds].fields[other_field]
                field.values = source.values
                field.blank = field.blank if field.blank is not None else source.blank
    return vocab


def dataset(name: str) -> DatasetSpec:
    return vocabulary().datasets[name]


def dataset_names() -> list[str]:
    return list(vocabulary().datasets)
