"""JSON: the REFERENCE §5 document."""

from __future__ import annotations

from ..results import EvaluationResult
from . import escape


def render(result: EvaluationResult, **_: object) -> str:
    return escape.json(result.to_json())
