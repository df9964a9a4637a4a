"""Small inputs built in code for the tests of what a user sees (tests/test_user_*.py).

A one-rule pack whose target is chosen by the test, dossier records written as a loader gives
them, and the library call a user makes (`dxcheck.evaluate`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dxcheck
from dxcheck.results import EvaluationResult, RuleResult
from dxcheck.load.api import LoadedFile
from dxcheck.load.sheet import LoadedSheet
from test_engine import as_loaded as _as_loaded  # a loaded sheet of records, as the loader gives it

PLAN = "Tỷ lệ hồ sơ nộp trực tuyến. Tỷ lệ hồ sơ trực tuyến theo báo cáo."

SHARE_RULE = """\
  - id: online
    title: {{vi: "Hồ sơ nộp trực tuyến", en: "Dossiers submitted online"}}
    source: {{section: "1", quote: "Tỷ lệ hồ sơ nộp trực tuyến"}}
    target: {{op: "{op}", value: {value}}}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: received
        condition: 'hinh_thuc_nop == "truc_tuyen"'
        group_by: linh_vuc
"""
SUM_RULE = """\
  - id: online-report
    title: {{vi: "Hồ sơ trực tuyến theo báo cáo", en: "Online dossiers from the report"}}
    source: {{section: "2", quote: "Tỷ lệ hồ sơ trực tuyến theo báo cáo"}}
    target: {{op: "{op}", value: {value}}}
    deadline: 2030
    measurements:
      - kind: sum_ratio
        dataset: thong_ke
        numerator: [truc_tuyen]
        denominator: [tiep_nhan]
        population: '{population}'
        group_by: linh_vuc
"""


def loaded(records: list[dict], dataset: str = "ho_so", path: str = "data.xlsx") -> LoadedFile:
    """`records` as the loader returns a file holding them (one sheet, header on row 7)."""
    sheet = _as_loaded(records, dataset, path).sheets[0]
    return LoadedFile(path=path, sha256=f"sha-{path}", kind="xlsx", warnings=[],
                      sheets=[LoadedSheet(report=sheet.report, data=sheet.data)])


def user_pack(folder: Path, body: str, plan: str, name: str = "pack") -> Path:
    """A pack `user` holding the rules of `body` (YAML under `rules:`), its plan's text `plan`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "plan.txt").write_text(plan, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text('id: user\ntitle: {vi: "Thử", en: "Test"}\n'
                    "plan: {issuer: Xã Thử, document: KẾ HOẠCH thử, seed: plan.txt}\nrules:\n" + body,
                    encoding="utf-8")
    return path


def write_pack(folder: Path, op: str = ">=", value: str = "90", population: str = "true") -> Path:
    """A pack with a share rule `online` and a sum-ratio rule `online-report`, both `op value`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "plan.txt").write_text(PLAN, encoding="utf-8")
    text = ('id: user\ntitle: {vi: "Thử", en: "Test"}\n'
            "plan: {issuer: Xã Thử, document: KẾ HOẠCH thử, seed: plan.txt}\nrules:\n"
            + SHARE_RULE.format(op=op, value=value)
            + SUM_RULE.format(op=op, value=value, population=population))
    path = folder / f"pack-{abs(hash((op, value, population)))}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def dossier(number: int, received: datetime, online: bool = True, field: str = "Tư pháp",
            status: str = "dang_xu_ly") -> dict:
    return {"ma_ho_so": f"HS-{number:05d}", "linh_vuc": field, "ngay_tiep_nhan": received,
            "ngay_hen_tra": None, "ngay_co_ket_qua": None, "trang_thai": status,
            "hinh_thuc_nop": "truc_tuyen" if online else "truc_tiep"}


def evaluate(pack: Path, sheets: list, **options) -> EvaluationResult:
    return dxcheck.evaluate(sheets, rules=[str(pack)], timestamp=False, **options)


def rule(result: EvaluationResult, rule_id: str) -> RuleResult:
    return next(item for item in result.results if item.rule == rule_id)
