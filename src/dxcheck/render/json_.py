"""JSON: the REFERENCE §5 document."""

from __future__ import annotations

from ..results import EvaluationResult


def render(result: EvaluationResult, **_: object) -> str:
    return result.to_json()
