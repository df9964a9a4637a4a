"""The evaluation result every renderer test draws: real engine output over hand-made records.

It is built without the file loader (canonical frames, as tests/test_engine.py does), for the
Hoàng Sơn pack over October 2026, broken down by lĩnh vực, and holds passing, failing and no-data
rules, failing samples, warnings, and hostile cell values (markup, formulas, pipes) that every
format must show as inert text. The other test_render_* modules import `build_result` and the
`fixture_messages` fixture from here; docs/make_report_screenshot.py uses it when no shipped
sample data exists.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dxcheck.evaluation.data import collect
from dxcheck.evaluation.engine import Options, evaluate_packs
from dxcheck.evaluation.period import parse_period
from dxcheck.messages import catalogue, set_language
from dxcheck.packs.loader import load_packs, resolve_rule_paths
from dxcheck.results import DataWarning, EvaluationResult, InputReport, PackOut, PeriodOut, SheetReport, Summary

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
HOSTILE_IDS = [SCRIPT, FORMULA, "+1", "-2", "@SUM(A1)"]

# Warning sentences come from the loader's catalogue, which this fixture must not depend on:
# the fixture's warnings use keys of their own, installed by `fixture_messages`.
FIXTURE_MESSAGES = {
    "vi": {
        "fixture.unreadable_date": "{count} ô không đọc được là ngày (ví dụ: {example}); các dòng này coi như để trống",
        "fixture.unknown_value": "giá trị không nhận ra: {value} ({count} dòng)",
        "fixture.duplicate_id": "mã hồ sơ {id} xuất hiện {count} lần",
    },
    "en": {
        "fixture.unreadable_date": "{count} cells are not dates (e.g. {example}); those rows count as blank",
        "fixture.unknown_value": "unrecognised value: {value} ({count} rows)",
        "fixture.duplicate_id": "dossier id {id} occurs {count} times",
    },
}


def install_fixture_messages() -> None:
    for lang, entries in FIXTURE_MESSAGES.items():
        catalogue(lang).update(entries)


@pytest.fixture
def fixture_messages(monkeypatch):
    for lang, entries in FIXTURE_MESSAGES.items():
        for key, text in entries.items():
            monkeypatch.setitem(catalogue(lang), key, text)


def _dossiers() -> list[dict]:
    fields = ["Tư pháp - Hộ tịch", "Đất đai | *Xây dựng*", FORMULA]
    records = []
    for index in range(40):
        received = datetime(2026, 10, 1, 8) + timedelta(days=index % 28, hours=index % 7)
        finished = received + timedelta(days=2 + index % 5) if index % 4 else None
        records.append({
            "ma_ho_so": f"000.00.21.H12-261{index:03d}",
            "linh_vuc": fields[index % 3],
            "ngay_tiep_nhan": received,
            "ngay_hen_tra": (received + timedelta(days=5)).replace(hour=23, minute=59, second=59),
            "ngay_co_ket_qua": finished if finished and finished.month == 10 else None,
            "hinh_thuc_nop": "truc_tuyen",
            "muc_do_dvc": "toan_trinh" if index % 10 else "mot_phan",
            "trang_thai": "da_tra_ket_qua" if finished and finished.month == 10 else "dang_xu_ly",
            "so_hoa": True,
            "danh_gia": "rat_hai_long" if index % 6 else "khong_hai_long",
        })
    # the hostile ids are dossiers received in person: failing samples of online-submission
    for record, hostile in zip(records[:5], HOSTILE_IDS):
        record["ma_ho_so"] = hostile
        record["hinh_thuc_nop"] = "truc_tiep"
    return records


STAFF = [
    {"ho_ten": "Nguyễn Văn An", "chuc_vu": "Chủ tịch UBND", "da_boi_duong_so": True, "co_tai_khoan": True,
     "co_email_cong_vu": True, "dung_quy_trinh_van_ban": True},
    {"ho_ten": "Trần Thị Bình", "chuc_vu": "Văn phòng - Thống kê", "da_boi_duong_so": True, "co_tai_khoan": True,
     "co_email_cong_vu": True, "dung_quy_trinh_van_ban": True},
    {"ho_ten": "Lê Văn Cường", "chuc_vu": "Tư pháp - Hộ tịch", "da_boi_duong_so": True, "co_tai_khoan": True,
     "co_email_cong_vu": False, "dung_quy_trinh_van_ban": True},
    {"ho_ten": "Phạm Thị Dung", "chuc_vu": "Địa chính - Xây dựng", "da_boi_duong_so": True, "co_tai_khoan": False,
     "co_email_cong_vu": False, "dung_quy_trinh_van_ban": True},
]
VILLAGES = [
    {"ten_thon": "Thôn Đông", "phu_song_5g": True, "phong_hop_truc_tuyen": True},
    {"ten_thon": "Thôn Tây", "phu_song_5g": True, "phong_hop_truc_tuyen": False},
    {"ten_thon": "Thôn Nam", "phu_song_5g": True, "phong_hop_truc_tuyen": True},
]
DECLARED = [
    {"chi_tieu": "databases-connected", "gia_tri": 100.0, "ky": "10/2026"},
    {"chi_tieu": "digital-operations", "gia_tri": 87.5, "ky": "10/2026"},
]

# path, sheet, dataset, records, first data row, rows left out by reason
FILES = [
    ("exports/ho-so-thang-10.xlsx", "Danh sách hồ sơ", "ho_so", _dossiers, 9,
     {"blank": 2, "column_numbers": 1, "group": 3, "total": 1, "signature": 4}),
    ("exports/can-bo.xlsx", "Cán bộ", "can_bo", lambda: STAFF, 4, {"signature": 3}),
    ("exports/thon.csv", "thon", "thon", lambda: VILLAGES, 2, {}),
    ("exports/chi-tieu.xlsx", "Chỉ tiêu", "chi_tieu", lambda: DECLARED, 3, {"footer": 1}),
]


def _loaded(path, sheet, dataset, records, first_row, left_out):
    frame = pd.DataFrame(records)
    for column in frame.columns:
        if column.startswith("ngay_"):
            frame[column] = pd.to_datetime(frame[column])
    frame["_row"] = np.arange(first_row, first_row + len(frame))
    report = SheetReport(sheet=sheet, dataset=dataset, header_row=first_row - 1,
                         rows_total=len(frame) + sum(left_out.values()), rows_used=len(frame),
                         rows_left_out=dict(left_out))
    return SimpleNamespace(path=path, sheets=[SimpleNamespace(report=report, data=frame, doubtful_dates=[])],
                           warnings=[], notices=[])


def build_result(lang: str = "vi", *, strict: bool = False, generated_at: str | None = None,
                 pack: str = "hoang-son-2030", samples: int = 5, keep_failing: bool = False) -> EvaluationResult:
    """The fixture result, evaluated in `lang` (sample cells such as "có"/"yes" are in it)."""
    token = set_language(lang)
    try:
        from dxcheck.messages import _language

        packs = load_packs(resolve_rule_paths([pack]))
        files = [_loaded(path, sheet, dataset, make(), first, left) for path, sheet, dataset, make, first, left in FILES]
        period = parse_period("2026-10")
        results = evaluate_packs(packs, collect(files), period, Options(samples=samples, by="linh_vuc", keep_failing=keep_failing))
        warnings = [
            DataWarning(path="exports/ho-so-thang-10.xlsx", sheet="Danh sách hồ sơ", field="ngay_co_ket_qua",
                        rows=[14, 27], code="fixture.unreadable_date", params={"count": 2, "example": "31/02/2026"}),
            DataWarning(path="exports/ho-so-thang-10.xlsx", sheet="Danh sách hồ sơ", field="hinh_thuc_nop",
                        rows=[31, 32, 33], code="fixture.unknown_value", params={"value": FORMULA + " | " + SCRIPT,
                                                                                  "count": 3}),
            DataWarning(path="exports/ho-so-thang-10.xlsx", sheet="Danh sách hồ sơ", field="ma_ho_so",
                        rows=[9, 40], code="fixture.duplicate_id", params={"id": "@SUM(A1)", "count": 2}),
        ]
        return EvaluationResult(
            dxcheck_version="0.1.0",
            generated_at=generated_at,
            language=lang,
            period=PeriodOut(**period.to_json()),
            inputs=[InputReport(path=path, sha256=hashlib.sha256(path.encode()).hexdigest(),
                                sheets=[loaded.sheets[0].report])
                    for path, loaded in ((item.path, item) for item in files)],
            # a fixed pack path so snapshots do not depend on where the repository lives
            packs=[PackOut.of(loaded).model_copy(update={"path": f"rules/{loaded.id}.yaml"}) for loaded in packs],
            summary=Summary.of(results),
            results=results,
            warnings=warnings,
            strict=strict,
        )
    finally:
        _language.reset(token)


# --- the fixture itself holds what the renderer tests rely on --------------------------------------

def test_fixture_has_every_case(fixture_messages):
    result = build_result("vi")
    statuses = {item.status for item in result.results}
    assert {"pass", "fail", "no_data"} <= statuses
    failing = {item.rule: item for item in result.results if item.status == "fail"}
    online = failing["online-submission"]
    assert {sample.record_id for sample in online.samples} == set(HOSTILE_IDS)
    assert any(group.group == FORMULA for group in online.breakdown)
    assert result.warnings and "31/02/2026" in result.warnings[0].message
    assert sum(1 for item in result.results if item.status == "pass") == result.summary.pass_
