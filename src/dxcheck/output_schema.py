"""The JSON Schema of `dxcheck evaluate --format json`, generated from the result model.

The schema is shipped as a file (`dxcheck/schemas/result.schema.json`, printed by `dxcheck schema
result`) so that consumers can validate a report without running dxcheck; a test regenerates it
from `results.EvaluationResult` and fails when the shipped file is out of date:

    PYTHONPATH=src python -m dxcheck.output_schema > src/dxcheck/schemas/result.schema.json
"""

from __future__ import annotations

import json
import sys
from importlib import resources

SHIPPED = ("schemas", "result.schema.json")


#: keys the report may leave out; every other key of every object is always written (with null
#: when it has no value), so the schema requires it
MAY_BE_ABSENT = {
    ("InputReport", "skipped"),  # only on files that were skipped
    ("RuleResult", "trajectory"),  # only with --history (REFERENCE §5)
}


def result_json_schema() -> dict:
    """The schema of `EvaluationResult.to_json()`: what is written, computed fields included."""
    from .results import EvaluationResult

    schema = EvaluationResult.model_json_schema(mode="serialization", by_alias=True)
    for name, definition in [("EvaluationResult", schema), *schema.get("$defs", {}).items()]:
        properties = definition.get("properties")
        if properties:
            definition["required"] = [key for key in properties if (name, key) not in MAY_BE_ABSENT]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "dxcheck evaluate --format json", **{k: v for k, v in schema.items() if k != "title"}}


def render() -> str:
    return json.dumps(result_json_schema(), ensure_ascii=False, indent=2) + "\n"


def shipped_text() -> str:
    """The schema file as installed with the package."""
    return resources.files(__package__).joinpath(*SHIPPED).read_text(encoding="utf-8")


if __name__ == "__main__":
    sys.stdout.write(render())
