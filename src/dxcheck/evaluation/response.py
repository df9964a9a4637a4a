"""A share's response rate: how much of the wider population its figure rests on.

A satisfaction figure is the share of satisfied ratings among rated dossiers; when few of the
completed dossiers were rated, it rests on few answers. The result says how many (always) and
warns when the rate is under the measurement's threshold (REFERENCE §4, satisfaction).
"""

from __future__ import annotations

from ..results import DataWarning, Remark, RuleResult


def _paths(result: RuleResult) -> tuple[str, str | None]:
    """The file (and sheet, when there is one) the measured records came from."""
    sources = result.measurement.sources if result.measurement else []
    parts = [source.split(" › ", 1) for source in sources]
    paths = list(dict.fromkeys(part[0] for part in parts))
    sheets = list(dict.fromkeys(part[1] for part in parts if len(part) > 1))
    return "; ".join(paths), (sheets[0] if len(paths) == 1 and len(sheets) == 1 else None)


def state_response_rate(result: RuleResult, dataset_name: str) -> None:
    """Add the response-rate sentence to `result` and, when the rate is low, a warning."""
    rate = result.details["response_rate"]
    wider = rate["population"]
    if rate.get("lacking"):
        result.remarks.append(Remark(code="result.response_rate_unknown",
                                     params={"population": wider, "scope_of": dataset_name,
                                             "columns": ", ".join(rate["lacking"])}))
        return
    if not rate["of"]:
        result.remarks.append(Remark(code="result.response_rate_none",
                                     params={"population": wider, "scope_of": dataset_name, "row_of": dataset_name}))
        return
    params = {"rate": rate["rate"], "responses": rate["responses"], "of": rate["of"], "population": wider,
              "scope_of": dataset_name,
              "threshold": float(rate["warn_below"])}
    if rate["rate"] >= rate["warn_below"]:
        result.remarks.append(Remark(code="result.response_rate", params={**params, "row_of": dataset_name}))
        return
    result.remarks.append(Remark(code="result.response_rate_low", params={**params, "row_of": dataset_name}))
    path, sheet = _paths(result)
    result.rule_warnings.append(DataWarning(path=path, sheet=sheet, code="result.low_response_rate",
                                            params={**params, "rule": result.id}))


def rolled_up_rate(rates: list[dict]) -> dict:
    """Several communes' response rates as one: the sums of their counts (a commune whose rate
    could not be computed makes the whole one unknown)."""
    first = rates[0]
    lacking = sorted({name for rate in rates for name in rate.get("lacking", [])})
    out = {"population": first["population"], "warn_below": first["warn_below"]}
    if lacking:
        return {**out, "lacking": lacking}
    responses, of = sum(rate["responses"] for rate in rates), sum(rate["of"] for rate in rates)
    return {**out, "responses": responses, "of": of, "rate": 100 * responses / of if of else None}
