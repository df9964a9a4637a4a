"""The format-neutral result model: what loading and evaluating produced.

Every renderer (terminal, Markdown, HTML, JSON, JUnit, Excel) reads these objects and nothing
else. Sentences are stored as catalogue keys with parameters and rendered in the language that
is current when the model is serialised, so one result can be shown in Vietnamese and English.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

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
        return t(self.code, **self.params)


class SheetReport(BaseModel):
    """How one sheet was read: the dataset it was recognised as and where every row went."""

    model_config = ConfigDict(extra="forbid")
    sheet: str
    dataset: str | None
    header_row: int = Field(description="1-based row number of the header's last row")
    rows_total: int
    rows_used: int
    rows_left_out: dict[str, int] = Field(default_factory=dict)
    runner_up: str | None = None
    fields: dict[str, str] = Field(default_factory=dict, description="field -> header it was read from")
    unmatched_headers: list[str] = Field(default_factory=list)
    missing_fields: list[str] = Field(default_factory=list)


class InputReport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    sha256: str
    sheets: list[SheetReport]
