"""Records whose place in a rule's population the data cannot settle (REFERENCE §4).

A dossier whose procedure level is blank on the row and absent from the catalogue may or may not
belong to "dossiers of procedures offered fully online". Such records are never silently left
out: the rule is measured with all of them in the population and with none. When both give the
same verdict it stands, shown at the bound nearer the target (the verdict holds however the
unknown records fall) with both bounds in a remark; when they differ the rule is `no_data`, and
the message says how many records lack what and which export would settle it.
"""

from __future__ import annotations


from ..datasets import dataset
from ..results import DataWarning, Remark
from .data import DatasetData, rows_by_sheet
from .exact import display_decimals, meets
from .measures import Measured



def _what(fields: list[str], spec_name: str) -> str:
    """`“Mức độ DVC” (ho_so) / “Mức độ DVC” (thu_tuc)`: the same in every language."""
    own = dataset(spec_name)
    names = []
    for name in fields:
        target, _, joined = name.rpartition(".")
        holder = dataset(target) if target else own
        field_spec = holder.fields.get(joined)
        header = field_spec.headers[0] if field_spec and field_spec.headers else joined
        names.append(f"“{header}” ({holder.name})")
    return " / ".join(names)


def _shown(measured: Measured, op: str, target: float) -> str:
    if measured.value is None:
        return "—"
    return display_decimals(measured.value, op, target, meets(measured.value, op, target)) + "%"


def choose_bound(measured: Measured, op: str, target: float, spec, spec_name: str) -> tuple[Measured, Remark | None]:
    """The measurement to judge and the remark that goes with it; a measurement with no value
    (and the reason as its `empty_key`) when the two bounds disagree."""
    without, with_all = measured, measured.with_unknown
    count = int(measured.unknown.sum())
    what = _what(spec.settled_by, spec_name) if spec.settled_by else "—"
    params = {"count": count, "row_of": spec_name, "what": what,
              "without": _shown(without, op, target), "with": _shown(with_all, op, target)}
    verdicts = {meets(item.value, op, target) if item.value is not None else None for item in (without, with_all)}
    if len(verdicts) == 1 and None not in verdicts:
        # the bound nearer the target: the verdict holds wherever the unknown records fall
        nearer = min((without, with_all), key=lambda item: abs(float(item.value) - target))
        nearer.unknown, nearer.flagged = measured.unknown, measured.flagged
        nearer.details = {**measured.details, **nearer.details}
        return nearer, Remark(code="result.bounds_agree", params=params)
    undecided = Measured(None, None, None, empty_key="result.bounds_differ", empty_params=params,
                         details={"without_unknown": params["without"], "with_unknown": params["with"]})
    undecided.unknown, undecided.flagged = measured.unknown, measured.flagged
    return undecided, None


def flagged_warnings(flags: list, data: DatasetData, rule_id: str) -> list[DataWarning]:
    """One warning per sheet for each (key, parameters, row mask) a measurement flagged."""
    return [DataWarning(path=path, sheet=sheet, rows=listed, code=code,
                        params={"rule": rule_id, "count": len(rows), **params})
            for code, params, mask in flags for path, sheet, rows, listed in rows_by_sheet(data.frame, mask)]
