"""`dxcheck rules lint` output: text lines, a JSON list, or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..messages import t
from ..packs.lint import Finding


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts: escapeData)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # property values also escape the separators of `key=value,key=value::` (escapeProperty)
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(finding: Finding) -> str:
    level = "warning" if finding.severity == "warning" else "error"
    title = f"dxcheck rules lint: {finding.code}" + (f" [{finding.rule}]" if finding.rule else "")
    properties = ",".join(f"{name}={_escape_property(str(value))}" for name, value in (
        ("file", finding.path), ("line", finding.line), ("col", finding.column), ("title", title)))
    return f"::{level} {properties}::{_escape_data(finding.message)}"


def render_findings(findings: Sequence[Finding], output_format: str, files: int) -> str:
    """Findings as `output_format` (text, json or github), ending with a newline."""
    if output_format == "json":
        return json.dumps([finding.as_dict() for finding in findings], ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    summary = t("lint.summary", files=files, findings=len(findings))
    if output_format == "github":
        lines = [github_annotation(finding) for finding in findings]
        return "".join(line + "\n" for line in lines) + summary + "\n"
    return "".join(f"{finding}\n" for finding in findings) + summary + "\n"
