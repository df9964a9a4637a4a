"""Number, target and status wording shared by every human-readable renderer."""

from __future__ import annotations

from ..messages import get_language, t
from ..results import RuleResult

OP_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def number(text_or_value: str | float | int | None, lang: str | None = None) -> str:
    """`98.50` → `98,50` in Vietnamese; thousands are not grouped (counts stay copyable)."""
    if text_or_value is None:
        return "—"
    if isinstance(text_or_value, float) and text_or_value.is_integer():
        text_or_value = int(text_or_value)
    text = str(text_or_value)
    return text.replace(".", ",") if (lang or get_language()) == "vi" else text


def value(result: RuleResult, lang: str | None = None) -> str:
    if result.display_value is None:
        return "—"
    unit = "%" if result.target.unit == "%" else ""
    return f"{number(result.display_value, lang)}{unit}"


def target(result: RuleResult, lang: str | None = None) -> str:
    unit = "%" if result.target.unit == "%" else ""
    text = f"{OP_SYMBOLS[result.target.op]} {number(result.target.value, lang)}{unit}"
    if result.target.milestone_year:
        text += " " + t("report.milestone", year=result.target.milestone_year, lang=lang)
    return text


def status(code: str, lang: str | None = None) -> str:
    return t(f"status.{code}", lang=lang)


def count(value: int | float | None, lang: str | None = None) -> str:
    return "—" if value is None else number(value, lang)
