"""The rule-pack format: one set of pydantic models, which is also the JSON Schema for editors.

A pack transcribes one plan; each rule one numeric target, citing its clause verbatim, with one
or more measurements (the first whose data is present is used).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, field_validator, model_validator

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG)

Operator = Literal[">=", ">", "<=", "<", "=="]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Titles(_Strict):
    """A title in Vietnamese (the plan's language) and English."""

    vi: str = Field(min_length=1, description="Tiêu đề tiếng Việt")
    en: str = Field(min_length=1, description="English title")

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


class Plan(_Strict):
    """The document a pack transcribes."""

    issuer: str = Field(description="Who issued the plan, e.g. 'Đảng bộ xã Hoàng Sơn'")
    document: str = Field(description="The plan's kind and name as written")
    seed: str = Field(description="File name of the plan's text under rules/sources/")
    date: str | None = Field(default=None, description="Issue date (ISO) when the text gives it")
    period: str | None = Field(default=None, description="The period the plan covers, e.g. '2025-2030'")


class Clause(_Strict):
    """One place in the plan: its section as printed and the sentence, verbatim."""

    section: str = Field(description="Section number as printed, e.g. 'II.2.a' or 'III.2.1'")
    quote: str = Field(min_length=1, description="The sentence, verbatim (line breaks may differ)")


class Source(Clause):
    """Where in the plan the target is written; `also` lists other clauses that state the same
    target in the same words (one rule, so that no target is counted twice)."""

    also: list[Clause] = Field(default_factory=list,
                               description="Other clauses stating the same target word for word")

    def clauses(self) -> list[Clause]:
        return [Clause(section=self.section, quote=self.quote), *self.also]


class Target(_Strict):
    op: Operator = Field(description="'tối thiểu', 'từ … trở lên', 'đạt' → '>='; 'trên' → '>'")
    value: FiniteFloat  # NaN or .inf would pass or fail every comparison
    unit: Literal["%", "count", "value"] = "%"


class Baseline(_Strict):
    """A figure the plan reports for an earlier period (e.g. 2020–2025), quoted like a target:
    `op` keeps its wording ("trên 99%" is `>`, "đạt 99%" is `>=`)."""

    op: Operator = Field(default=">=", description="As for targets: 'trên' → '>', otherwise '>='")
    value: FiniteFloat  # NaN or .inf would pass or fail every comparison
    period: str
    section: str
    quote: str


class _MeasurementBase(_Strict):
    caveat: Titles | None = Field(default=None, description=(
        "A sentence every result measured this way carries, after its message (what the data in "
        "hand could not check, an approximation, a restriction not applied)"))


class ResponseRate(_Strict):
    """The wider population the measured one is drawn from (rated dossiers are drawn from the
    completed ones): the result states which share of it the figure rests on, and warns when that
    share is low, since the figure then rests on few answers."""

    population: str = Field(description="Expression (or scope name) selecting the wider population")
    warn_below: float = Field(default=30, ge=0, le=100,
                              description="Warn when the measured population is under this % of the wider one")


class RowFlag(_Strict):
    """Records of the population the result must name: counted as the definition says, but the
    reader should look at them (a petition with no deadline counts as on time)."""

    when: str = Field(description="Expression selecting the records to name (within the population)")
    say: Titles = Field(description="What is true of them, in both languages")


class ShareMeasurement(_MeasurementBase):
    """Share of a population: 100 × count(population and condition) ÷ count(population)."""

    kind: Literal["share"] = "share"
    dataset: str
    population: str = Field(default="true", description="Expression (or scope name) selecting the population")
    condition: str = Field(description="Expression a record must meet to count as compliant")
    group_by: str | None = Field(default=None, description="Default field for the breakdown")
    unknown: str | None = Field(default=None, description=(
        "Expression selecting the records whose membership of the population the data cannot settle "
        "(a procedure's level neither on the dossier nor in the catalogue). The rule is then evaluated "
        "with all of them in the population and with none: one verdict stands, two give no_data"))
    settled_by: list[str] = Field(default_factory=list, description=(
        "Fields that would settle the unknown records (named in the message)"))
    requires: list[str] = Field(default_factory=list, description=(
        "Fields that must be present for this way of measuring to be used, besides those the "
        "expressions need (e.g. 'thu_tuc.thanh_toan_truc_tuyen': only with a catalogue)"))
    optional: list[str] = Field(default_factory=list, description=(
        "Fields the expressions use that an export may lack (then read as blank)"))
    flags: list[RowFlag] = Field(default_factory=list, description=(
        "Records of the population a warning names, row by row, with what is true of them"))
    response_rate: ResponseRate | None = Field(default=None, description=(
        "The wider population (e.g. `completed` for ratings): the result states population ÷ wider "
        "population and warns under `warn_below`"))


class SumRatioMeasurement(_MeasurementBase):
    """Ratio of column sums, for aggregated reports: 100 × Σ numerator ÷ Σ denominator."""

    kind: Literal["sum_ratio"]
    dataset: str
    numerator: list[str] = Field(min_length=1)
    denominator: list[str] = Field(min_length=1)
    population: str = "true"
    group_by: str | None = None


class ComputedMeasurement(_MeasurementBase):
    """A value computed by a named built-in function over a population."""

    kind: Literal["computed"]
    dataset: str
    function: Literal["statutory_time_reduction", "published_time_reduction", "working_time_reduction"] = Field(
        description="statutory_time_reduction: working days used against the statutory time (ho_so); "
                    "published_time_reduction: the catalogue's published time against the statutory one "
                    "(thu_tuc); working_time_reduction: days used against days to the appointment date, "
                    "an approximation (ho_so)")
    population: str = "true"
    group_by: str | None = None


class DeclaredMeasurement(_MeasurementBase):
    """A value the commune declares in the `chi_tieu` sheet (row keyed by rule id or title)."""

    kind: Literal["declared"]
    dataset: Literal["chi_tieu"] = "chi_tieu"
    keys: list[str] = Field(default_factory=list, description="Extra indicator names that also match")


Measurement = Annotated[
    Union[ShareMeasurement, SumRatioMeasurement, ComputedMeasurement, DeclaredMeasurement],
    Field(discriminator="kind"),
]


class Rule(_Strict):
    id: str = Field(pattern=SLUG, description="Slug, unique in the pack; full id is PACK/RULE")
    title: Titles
    source: Source
    target: Target
    deadline: int = Field(ge=2000, le=2100, description="Year by which the target must be met")
    milestones: dict[int, FiniteFloat] = Field(default_factory=dict,
                                         description="Interim targets by year (same operator)")
    severity: Literal["error", "warning"] = "error"
    baseline: Baseline | None = None
    indicator: str | None = Field(default=None, pattern=SLUG, description=(
        "Rules measuring one indicator at two thresholds (80% and 100% of procedures fully online) "
        "share this slug; reports show them together"))
    notes: str | None = None
    measurements: list[Measurement] = Field(min_length=1)

    @field_validator("measurements", mode="before")
    @classmethod
    def _default_kind(cls, value: object) -> object:
        # `kind: share` is the common case; let authors omit it.
        if isinstance(value, list):
            return [({"kind": "share", **item} if isinstance(item, dict) and "kind" not in item else item)
                    for item in value]
        return value

    def target_for_year(self, year: int | None) -> float:
        if year is not None and year in self.milestones:
            return self.milestones[year]
        return self.target.value


class DatasetScopes(_Strict):
    """Extra named scopes a pack defines for one dataset."""

    scopes: dict[str, str] = Field(default_factory=dict)


class Pack(_Strict):
    id: str = Field(pattern=SLUG)
    title: Titles
    language: Literal["vi", "en"] = "vi"
    plan: Plan
    scopes: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="dataset -> scope name -> expression, added to the built-in scopes")
    rules: list[Rule] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> "Pack":
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return self

    @model_validator(mode="after")
    def _indicators_name_no_other_rule(self) -> "Pack":
        """A rule with no `indicator` is its own indicator (results carry its id), so a shared slug
        that is another rule's id would silently put that rule in the group."""
        for rule in self.rules:
            if rule.indicator and rule.indicator != rule.id:
                for other in self.rules:
                    if other.id == rule.indicator and other.indicator != rule.indicator:
                        raise ValueError(f"rule {rule.id!r}: indicator {rule.indicator!r} is the id of rule "
                                         f"{other.id!r}, which does not share it; give {other.id!r} the same "
                                         "indicator or choose another slug")
        return self

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def is_slug(text: str) -> bool:
    return bool(_SLUG_RE.match(text))


def json_schema() -> dict:
    schema = Pack.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dxcheck rule pack"
    return schema
