"""Nested mappings as one level of dotted keys (message catalogues, dxcheck.toml's `[mapping]`)."""

from __future__ import annotations

from typing import Any


def dotted(tree: dict, prefix: str = "") -> dict[str, Any]:
    """`{"ho_so": {"ngay_tiep_nhan": "Ngày"}}` → `{"ho_so.ngay_tiep_nhan": "Ngày"}`, at any depth;
    the leaves as they are."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        flat.update(dotted(value, name + ".") if isinstance(value, dict) else {name: value})
    return flat
