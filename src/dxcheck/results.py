"""The format-neutral result model: what loading and evaluating produced.

Every renderer (terminal, Markdown, HTML, JSON, JUnit, Excel) reads these objects and nothing
else. Sentences are stored as catalogue keys with parameters and rendered in the language that
is current when the model is serialised, so one result can be shown in Vietnamese and English.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field, model_serializer, model_validator
from pydantic.json_schema import SkipJsonSchema

from .exit_codes import ExitCode
from .messages import t

Status = Literal["pass", "fail", "no_data", "error"]


class DataWarning(BaseModel):
    """A data-quality problem: unreadable cells, unknown values, duplicate ids, bad totals."""

    model_config = ConfigDict(extra="forbid")
    path: str
    sheet: str | None = None
    field: str | None = None
    rows: list[int] = Field(default_factory=list)
    code: str = Field(description="Catalogue key of the message, e.g. 'load.unreadable_date'")
    params: dict[str, Any] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        return t(self.code, **localised(self.params))


#: message parameters that are percentages: written in the language's style (`40,5` in Vietnamese)
PERCENT_PARAMS = ("rate", "threshold")


def localised(params: dict[str, Any]) -> dict[str, Any]:
    """`params` with its percentage parameters written in the current language's style, and a
    `population` that names a scope of dataset `scope_of` said in words (“có kết quả trong kỳ …”)."""
    from .messages import get_language

    if "scope_of" in params:
        from .datasets import dataset

        params = dict(params)
        scope = dataset(params.pop("scope_of")).scopes.get(str(params.get("population")))
        if scope is not None:
            words = scope.description.get(get_language())
            params["population"] = words[:1].lower() + words[1:]
    if not any(isinstance(params.get(key), float) for key in PERCENT_PARAMS):
        return params
    out = dict(params)
    for key in PERCENT_PARAMS:
        if isinstance(out.get(key), float):
            text = f"{out[key]:.2f}".rstrip("0").rstrip(".")
            out[key] = text.replace(".", ",") if get_language() == "vi" else text
    return out


class Remark(BaseModel):
    """A sentence a rule's result carries besides its verdict: an approximation used, a
    restriction that could not be applied, bounds over unknown records."""

    model_config = ConfigDict(extra="forbid")
    code: str
    params: dict[str, Any] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        return t(self.code, **_with_row_noun(localised(self.params)))


def _with_row_noun(params: dict[str, Any]) -> dict[str, Any]:
    """`row_of: ho_so` becomes `row: hồ sơ` (or `dossier`) in the language of rendering."""
    if "row_of" not in params:
        return params
    from .datasets import dataset
    from .messages import get_language

    params = dict(params)
    params["row"] = dataset(params.pop("row_of")).row.get(get_language())
    return params


class SheetReport(BaseModel):
    """How one sheet was read: the dataset it was recognised as and where every row went."""

    model_config = ConfigDict(extra="forbid")
    sheet: str
    dataset: str | None
    header_row: int = Field(description="1-based row number of the header's last row")
    header_rows: list[int] = Field(default_factory=list, description=(
        "1-based first and last row of the header read; of a sheet not recognised, of its likeliest header, "
        "whose columns `headers` lists"))
    rows_total: int
    rows_used: int
    rows_left_out: dict[str, int] = Field(default_factory=dict)
    runner_up: str | None = None
    fields: dict[str, str] = Field(default_factory=dict, description="field -> header it was read from")
    unmatched_headers: list[str] = Field(default_factory=list)
    #: every column's header, levels joined `Group › Sub`, left to right (what `--map` can name)
    headers: list[str] = Field(default_factory=list)
    missing_fields: list[str] = Field(default_factory=list)


class InputReport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    sha256: str
    sheets: list[SheetReport]
    skipped: Literal["dxcheck_report"] | None = Field(
        default=None, description="why the file was not read: 'dxcheck_report' (a report dxcheck wrote)")

    @model_serializer(mode="wrap")
    def _without_null_skipped(self, handler):
        """`skipped` appears only on files that were skipped."""
        out = handler(self)
        if out.get("skipped", "") is None:
            del out["skipped"]
        return out


class TargetOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    op: Literal[">=", ">", "<=", "<", "=="]
    value: float
    unit: str = "%"
    #: the year whose milestone applies, when a milestone (not the final target) is used
    milestone_year: int | None = None
    final_value: float | None = None


class BaselineOut(BaseModel):
    """The plan's figure for an earlier period (2020–2025), quoted like the target; `op` keeps its
    wording ("trên 99%" is `>`)."""

    model_config = ConfigDict(extra="forbid")
    value: float
    op: Literal[">=", ">", "<=", "<", "=="] = ">="
    period: str
    section: str
    quote: str


class FailingRecords:
    """Every failing record of a rule, kept only for the Excel output: the failing rows of the
    measured dataset, narrowed to the columns a list of records shows (record id, `_path`,
    `_sheet`, `_row`, the rule's fields), values in their own types."""

    __slots__ = ("frame", "dataset", "record_id")

    def __init__(self, frame, dataset: str, record_id: str | None) -> None:
        self.frame, self.dataset, self.record_id = frame, dataset, record_id

    def __len__(self) -> int:
        return len(self.frame)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, FailingRecords) and (self.dataset, self.record_id) == (other.dataset, other.record_id)
                and self.frame.equals(other.frame))

    def __reduce__(self):  # picklable: units evaluated in worker processes send it back
        return FailingRecords, (self.frame, self.dataset, self.record_id)

    @classmethod
    def concat(cls, parts: list["FailingRecords"]) -> "FailingRecords":
        """Several communes' failing records of one rule, in order."""
        import pandas as pd

        return cls(pd.concat([part.frame for part in parts], ignore_index=True), parts[0].dataset, parts[0].record_id)


class SampleRecord(BaseModel):
    """One record that does not meet the condition, with where to find it."""

    model_config = ConfigDict(extra="forbid")
    record_id: str | None
    path: str
    sheet: str
    row: int
    values: dict[str, str] = Field(default_factory=dict)


class GroupResult(BaseModel):
    """The rule's value within one group (a lĩnh vực, a unit, a file)."""

    model_config = ConfigDict(extra="forbid")
    group: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    status: Status


class MeasurementOut(BaseModel):
    """Which of a rule's measurements was used, and how it computes the value."""

    model_config = ConfigDict(extra="forbid")
    index: int
    kind: str
    dataset: str
    population: str | None = None
    condition: str | None = None
    numerator: list[str] | None = None
    denominator: list[str] | None = None
    function: str | None = None
    sources: list[str] = Field(default_factory=list, description="'path › sheet' of the data used")


class TrajectoryPoint(BaseModel):
    """One period the trend was fitted on."""

    model_config = ConfigDict(extra="forbid")
    period: str
    value: float


class TrajectoryPath(BaseModel):
    """The straight path to the target: from the baseline at the plan's start (or, without a
    baseline, the earliest known period) to the target in December of the deadline year."""

    model_config = ConfigDict(extra="forbid")
    origin: Literal["baseline", "earliest"]
    start: str = Field(description="YYYY-MM of the baseline (the plan's first January), or the earliest period")
    start_value: float
    end: str = Field(description="YYYY-MM: December of the deadline year")
    end_value: float


class Trajectory(BaseModel):
    """A rule's road to its (final) target, from its earlier periods and this one (REFERENCE §4).
    The formulas are in evaluation/trajectory.py and docs/metric-definitions.md."""

    model_config = ConfigDict(extra="forbid")
    trend_per_month: float | None = Field(description=(
        "Least-squares slope over the recent periods, in the value's unit per month; null with fewer than three"))
    projected_period: str | None = Field(description=(
        "YYYY-MM in which the trend line first meets the target (this period's last month when already met); "
        "null when not by the deadline or without a trend"))
    on_track: bool | None = Field(description=(
        "The value is at or beyond the straight path to the target at this period; null without a path"))
    reason: Literal["already_met", "not_by_deadline", "few_points"] | None = None
    #: the periods the trend was fitted on, oldest first, this period last
    points: list[TrajectoryPoint] = Field(default_factory=list)
    #: the trend line's value at this period
    fit_value: float | None = None
    #: the straight path's value at this period
    path_value: float | None = None
    path: TrajectoryPath | None = None
    op: Literal[">=", ">", "<=", "<", "=="]
    #: the final target (not a year's milestone)
    target: float
    unit: str = "%"
    deadline_period: str


class RuleResult(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    pack: str
    rule: str
    title: dict[str, str]
    status: Status
    value: float | None = None
    numerator: int | float | None = None
    denominator: int | float | None = None
    target: TargetOut
    shortfall: int | None = None
    severity: Literal["error", "warning"] = "error"
    deadline: int
    section: str
    quote: str
    #: other clauses of the plan stating the same target in the same words ({section, quote})
    also: list[dict[str, str]] = Field(default_factory=list)
    notes: str | None = None
    baseline: BaselineOut | None = None
    indicator: str = Field(default="", description=(
        "The indicator the rule measures, 'pack/slug': rules measuring one indicator at two "
        "thresholds share it; a rule with no shared indicator carries its own id"))
    regression: bool = Field(default=False, description=(
        "The value does not meet its baseline (`op value` of `baseline`): lower than the plan's "
        "earlier figure. A warning shown in every report; it never changes the status or the exit code"))
    #: the value as displayed (2 decimals, more when rounding would contradict the status)
    display_value: str | None = None
    measurement: MeasurementOut | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    samples: list[SampleRecord] = Field(default_factory=list)
    samples_total: int = 0
    #: every failing record (a pandas frame of the shown columns, in row order) when the run was
    #: asked to keep them (`keep_failing`, for the Excel output); never serialised
    failing: SkipJsonSchema[Any] = Field(default=None, exclude=True, repr=False)  # FailingRecords | None
    breakdown_by: str | None = None
    breakdown: list[GroupResult] = Field(default_factory=list)
    #: trend, projection and on-track against the plan's path (only with --history)
    trajectory: Trajectory | None = None
    message_code: str | None = Field(default=None, exclude=True)
    message_params: dict[str, Any] = Field(default_factory=dict, exclude=True)
    #: what else the reader must know about this value (shown after the message in every format)
    remarks: list[Remark] = Field(default_factory=list)
    #: data-quality problems found while measuring (rows of unknown procedure level, ...): the
    #: run's `warnings` gather them
    rule_warnings: list[DataWarning] = Field(default_factory=list, exclude=True)

    @model_validator(mode="after")
    def _own_indicator(self) -> "RuleResult":
        if not self.indicator:
            self.indicator = self.id
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str | None:
        texts = [remark.message for remark in self.remarks]
        if self.message_code:
            texts.insert(0, t(self.message_code, **_with_row_noun(localised(self.message_params))))
        if len(texts) < 2:
            return texts[0] if texts else None
        # several sentences: each ends with a full stop, each after the first starts with a capital
        return " ".join((text if k == 0 else text[:1].upper() + text[1:])
                        + ("" if text.rstrip().endswith((".", "!", "?")) else ".") for k, text in enumerate(texts))


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    pass_: int = Field(0, alias="pass", serialization_alias="pass")
    fail: int = 0
    no_data: int = 0
    error: int = 0

    @classmethod
    def of(cls, results: list["RuleResult"]) -> "Summary":
        counts = {"pass": 0, "fail": 0, "no_data": 0, "error": 0}
        for result in results:
            counts[result.status] += 1
        return cls(**counts)


class PackOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: dict[str, str]
    path: str
    issuer: str
    document: str
    #: the period the plan covers, e.g. "2025-2030" (its first year starts the path to the target)
    plan_period: str | None = None

    @classmethod
    def of(cls, loaded) -> "PackOut":
        """From a LoadedPack."""
        return cls(id=loaded.id, title=loaded.pack.title.model_dump(), path=str(loaded.path),
                   issuer=loaded.pack.plan.issuer, document=loaded.pack.plan.document,
                   plan_period=loaded.pack.plan.period)


class PeriodOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: str
    end: str
    label: str
    inferred: bool = False


class UnitResult(BaseModel):
    """One commune's (one input's) own results when several are evaluated side by side."""

    model_config = ConfigDict(extra="forbid")
    name: str
    inputs: list[str] = Field(default_factory=list, description="paths of the unit's files")
    period: PeriodOut | None = None
    summary: Summary
    results: list[RuleResult]
    #: the commune's name before two units of the same name were told apart (not in the JSON)
    _base_name: str | None = PrivateAttr(default=None)


class RankEntry(BaseModel):
    """One unit's place in the ranking of a rule (best value first; units without data last)."""

    model_config = ConfigDict(extra="forbid")
    rank: int | None
    unit: str
    status: Status
    value: float | None = None
    display_value: str | None = None
    numerator: int | float | None = None
    denominator: int | float | None = None


class HistoryPoint(BaseModel):
    """A rule's result in an earlier period, read from the history folder."""

    model_config = ConfigDict(extra="forbid")
    period: str
    start: str
    value: float | None = None
    display_value: str | None = None
    status: Status = "no_data"
    target: float | None = None


class EvaluationResult(BaseModel):
    """Everything one `evaluate` run found; the single input of every renderer."""

    model_config = ConfigDict(extra="forbid")
    #: the commune this one unit's data names (banner, dxcheck.toml), for a roll-up (not in the JSON)
    _unit_name: str | None = PrivateAttr(default=None)
    dxcheck_version: str
    generated_at: str | None = None
    language: str = "vi"
    period: PeriodOut | None
    inputs: list[InputReport]
    packs: list[PackOut] = Field(default_factory=list)
    summary: Summary
    results: list[RuleResult]
    warnings: list[DataWarning] = Field(default_factory=list)
    #: facts about the data that are no problem (dates read right with --swapped-dates, macros
    #: never run, a report of dxcheck's skipped in a data folder); they never fail a run
    notes: list[DataWarning] = Field(default_factory=list)
    strict: bool = False
    #: several communes side by side: each unit's results; `results` is then their exact roll-up
    units: list[UnitResult] = Field(default_factory=list)
    #: rule id -> the units ranked by value (only with units)
    ranking: dict[str, list[RankEntry]] = Field(default_factory=dict)
    #: rule id -> its results in earlier periods, oldest first (with --history)
    history: dict[str, list[HistoryPoint]] = Field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, indent: int | None = 2) -> str:
        """The REFERENCE §5 document (keys in a fixed order; sentences in the current language)."""
        import json

        # NaN and Infinity are no JSON: a figure that is not finite is a bug, never written
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False) + "\n"

    def counts_as_failure(self, result: RuleResult) -> bool:
        if result.details.get("rollup") == "per_unit":  # judged in each unit, not in the roll-up
            return False
        if result.status in ("fail", "error"):
            return result.severity == "error" or self.strict
        return result.status == "no_data" and self.strict

    def exit_code(self) -> ExitCode:
        """0 all pass; 1 a rule fails (under strict: also no_data or any data warning)."""
        every = [*self.results, *(result for unit in self.units for result in unit.results)]
        if any(self.counts_as_failure(result) for result in every):
            return ExitCode.FAILED
        if self.strict and self.warnings:
            return ExitCode.FAILED
        return ExitCode.OK
