"""REFERENCE rev. 2 §4: digitisation of dossiers and results, satisfaction with its response rate,
and the paperless-meetings target stated twice (one rule citing both clauses).

Each test builds records on which the old definition and the new one disagree, and writes the
arithmetic out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

import dxcheck
from dxcheck import expr
from dxcheck.datasets import dataset
from dxcheck.messages import _language, set_language
from dxcheck.packs.loader import load_pack, load_packs

ROOT = Path(__file__).resolve().parents[1]
BINH_MINH = ROOT / "rules" / "binh-minh-2030.yaml"
HOANG_SON = ROOT / "rules" / "hoang-son-2030.yaml"
OCTOBER = "2026-10"


def dossier(number: int, **cells) -> dict:
    """A dossier received on 01/10/2026 whose result came on 10/10/2026 and was handed over."""
    row = {"Mã hồ sơ": f"HS-{number:03d}", "Ngày tiếp nhận": "01/10/2026", "Ngày hẹn trả": "20/10/2026",
           "Ngày có kết quả": "10/10/2026", "Trạng thái": "Đã trả kết quả"}
    row.update(cells)
    return row


def open_dossier(number: int, **cells) -> dict:
    """A dossier received on 02/10/2026, still being handled at the end of October."""
    row = {"Mã hồ sơ": f"HS-{number:03d}", "Ngày tiếp nhận": "02/10/2026", "Ngày hẹn trả": "30/11/2026",
           "Ngày có kết quả": "", "Trạng thái": "Đang xử lý"}
    row.update(cells)
    return row


def write_csv(path: Path, rows: list[dict]) -> Path:
    pd.DataFrame(rows).fillna("").to_csv(path, index=False, encoding="utf-8")
    return path


@contextmanager
def speaking(lang: str):
    """Messages are worded when read: in this language within the block."""
    token = set_language(lang)
    try:
        yield
    finally:
        _language.reset(token)


@pytest.fixture(autouse=True)
def english():
    with speaking("en"):
        yield


def evaluate(paths: list[Path], lang: str = "en"):
    result = dxcheck.evaluate(paths, period=OCTOBER, lang=lang, timestamp=False)
    return result, {item.id: item for item in result.results}


# --- satisfaction ----------------------------------------------------------------------------------


def satisfaction_dossiers(rated: int, satisfied: int) -> list[dict]:
    """10 dossiers completed in October, `rated` of them rated, `satisfied` of those satisfied
    (the others rated `Bình thường`, neutral: not satisfied)."""
    rows = []
    for number in range(10):
        if number < satisfied:
            rating = "Rất hài lòng" if number % 2 else "Hài lòng"
        elif number < rated:
            rating = "Bình thường"
        else:
            rating = ""
        rows.append(dossier(number, **{"Đánh giá": rating}))
    return rows


def test_satisfaction_states_the_response_rate(tmp_path):
    # 10 completed, 4 rated, 3 satisfied → 3 ÷ 4 = 75%; response rate 4 ÷ 10 = 40% (≥ 30%: no warning)
    path = write_csv(tmp_path / "ho-so.csv", satisfaction_dossiers(rated=4, satisfied=3))
    result, by_id = evaluate([path])
    for rule_id in ("binh-minh-2030/satisfaction", "hoang-son-2030/satisfaction"):
        item = by_id[rule_id]
        assert (item.numerator, item.denominator) == (3, 4) and item.value == pytest.approx(75.0)
        assert item.status == "fail"
        rate = item.details["response_rate"]
        assert (rate["responses"], rate["of"]) == (4, 10) and rate["rate"] == pytest.approx(40.0)
        assert "Response rate 40%" in item.message and "4 of 10" in item.message
        assert item.measurement.index == 1  # no indicators sheet: the dossiers (second way) answer
    assert not [warning for warning in result.warnings if warning.code == "result.low_response_rate"]
    document = json.loads(result.to_json())
    row = next(item for item in document["results"] if item["id"] == "hoang-son-2030/satisfaction")
    assert row["details"]["response_rate"]["of"] == 10


def test_a_low_response_rate_is_a_warning_in_every_format(tmp_path):
    # 10 completed, 2 rated, both satisfied → 2 ÷ 2 = 100% (the old figure, alone, passed);
    # response rate 2 ÷ 10 = 20% < 30%: the figure rests on two answers, and the run says so
    path = write_csv(tmp_path / "ho-so.csv", satisfaction_dossiers(rated=2, satisfied=2))
    result, by_id = evaluate([path], lang="vi")
    item = by_id["binh-minh-2030/satisfaction"]
    assert item.status == "pass" and item.value == pytest.approx(100.0)
    warnings = [warning for warning in result.warnings if warning.code == "result.low_response_rate"]
    assert {warning.params["rule"] for warning in warnings} == {"binh-minh-2030/satisfaction",
                                                                 "hoang-son-2030/satisfaction"}
    with speaking("vi"):
        assert "tỷ lệ phản hồi chỉ 20%" in item.message
        assert "dưới 30%" in warnings[0].message and "2 trong 10" in warnings[0].message
    # every report format lists the run's warnings
    for fmt in ("md", "html", "json", "junit", "terminal"):
        out = tmp_path / f"report.{fmt}"
        done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(path), "--period", OCTOBER,
                               "--lang", "vi", "--format", fmt, "--output", str(out)],
                              capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        assert "tỷ lệ phản hồi chỉ 20%" in " ".join(out.read_text(encoding="utf-8").split()), fmt
    # under --strict a warning fails the run
    strict = dxcheck.evaluate([path], rules=[BINH_MINH], period=OCTOBER, strict=True, timestamp=False)
    assert int(strict.exit_code()) == 1


def test_the_declared_official_index_comes_first(tmp_path):
    # ho_so alone: 3 ÷ 4 = 75%. The provincial survey declared at 99.2 ("Chỉ số SIPAS") is the figure
    # the clause speaks of: it is used, and it meets both targets (95% and 99%).
    ho_so = write_csv(tmp_path / "ho-so.csv", satisfaction_dossiers(rated=4, satisfied=3))
    chi_tieu = write_csv(tmp_path / "chi-tieu.csv", [{"Chỉ tiêu": "Chỉ số SIPAS", "Giá trị": "99,2", "Kỳ": "10/2026"},
                                                      {"Chỉ tiêu": "vneid", "Giá trị": "90", "Kỳ": "10/2026"}])
    _, by_id = evaluate([ho_so, chi_tieu])
    for rule_id in ("binh-minh-2030/satisfaction", "hoang-son-2030/satisfaction"):
        item = by_id[rule_id]
        assert item.measurement.kind == "declared" and item.value == pytest.approx(99.2)
        assert item.status == "pass" and "response_rate" not in item.details


def test_an_indicator_sheet_without_the_index_hands_over_to_the_dossiers(tmp_path):
    # the indicators sheet has no satisfaction row: the dossiers answer (3 ÷ 4 = 75%), not no_data
    ho_so = write_csv(tmp_path / "ho-so.csv", satisfaction_dossiers(rated=4, satisfied=3))
    chi_tieu = write_csv(tmp_path / "chi-tieu.csv", [{"Chỉ tiêu": "vneid", "Giá trị": "90", "Kỳ": "10/2026"}])
    _, by_id = evaluate([ho_so, chi_tieu])
    item = by_id["binh-minh-2030/satisfaction"]
    assert item.measurement.kind == "share" and item.value == pytest.approx(75.0)
    # with no dossier list either, the declared way says what row to add
    _, alone = evaluate([chi_tieu])
    assert alone["binh-minh-2030/satisfaction"].status == "no_data"
    assert "Mức độ hài lòng" in alone["binh-minh-2030/satisfaction"].message


def test_response_rates_roll_up_by_their_counts(tmp_path):
    # commune A: 10 completed, 4 rated; commune B: 10 completed, 1 rated → (4 + 1) ÷ (10 + 10) = 25% < 30%
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    write_csv(first / "ho-so.csv", satisfaction_dossiers(rated=4, satisfied=3))
    write_csv(second / "ho-so.csv", satisfaction_dossiers(rated=1, satisfied=1))
    result, by_id = evaluate([first, second])
    item = by_id["binh-minh-2030/satisfaction"]
    assert (item.numerator, item.denominator) == (4, 5)  # 3 + 1 satisfied of 4 + 1 rated = 80%
    rate = item.details["response_rate"]
    assert (rate["responses"], rate["of"]) == (5, 20) and rate["rate"] == pytest.approx(25.0)
    assert "Response rate only 25%" in item.message
    # commune B's own rate (1 ÷ 10 = 10%) is a warning of the run
    assert any(warning.code == "result.low_response_rate" and warning.params["responses"] == 1
               for warning in result.warnings)


# --- digitisation ------------------------------------------------------------------------------------


def digitisation_dossiers(with_result_column: bool = True, with_electronic: bool = True) -> list[dict]:
    """10 completed in October and 5 still open, all received in October.

    so_hoa (components digitised): every dossier but HS-000 → received 14 of 15, completed 9 of 10.
    Result digitised: `Số hóa kết quả` on HS-000…HS-005, `Kết quả điện tử` on HS-005…HS-007
    → either on HS-000…HS-007: 8 of 10 completed.
    """
    rows = []
    for number in range(10):
        cells = {"Số hóa": "Không" if number == 0 else "Có"}
        if with_result_column:
            cells["Số hóa kết quả"] = "Có" if number <= 5 else "Không"
        if with_electronic:
            cells["Kết quả điện tử"] = "Có" if 5 <= number <= 7 else "Không"
        rows.append(dossier(number, **cells))
    for number in range(10, 15):
        cells = {"Số hóa": "Có"}
        if with_result_column:
            cells["Số hóa kết quả"] = "Không"
        if with_electronic:
            cells["Kết quả điện tử"] = "Không"
        rows.append(open_dossier(number, **cells))
    return rows


def test_digitised_dossiers_and_results(tmp_path):
    path = write_csv(tmp_path / "ho-so.csv", digitisation_dossiers())
    _, by_id = evaluate([path])
    # binh-minh digitized: completed with so_hoa and the result digitised: HS-001…HS-007 = 7 ÷ 10 = 70%
    # (the old definition, received with so_hoa: 14 ÷ 15 = 93.33%, passed the 90%)
    digitized = by_id["binh-minh-2030/digitized"]
    assert (digitized.numerator, digitized.denominator) == (7, 10) and digitized.status == "fail"
    # digitized-results: the result digitised, whatever so_hoa says: HS-000…HS-007 = 8 ÷ 10 = 80%
    # (the old definition, completed with so_hoa: 9 ÷ 10 = 90%)
    results = by_id["binh-minh-2030/digitized-results"]
    assert (results.numerator, results.denominator) == (8, 10)
    # hoang-son digitized stays received with so_hoa: 14 ÷ 15
    assert (by_id["hoang-son-2030/digitized"].numerator, by_id["hoang-son-2030/digitized"].denominator) == (14, 15)


def test_an_electronic_result_alone_counts_as_digitised(tmp_path):
    # no `Số hóa kết quả` column: the electronic results (HS-005…HS-007) are the digitised ones → 3 ÷ 10
    path = write_csv(tmp_path / "ho-so.csv", digitisation_dossiers(with_result_column=False))
    _, by_id = evaluate([path])
    assert (by_id["binh-minh-2030/digitized-results"].numerator, by_id["binh-minh-2030/digitized-results"].denominator) == (3, 10)
    # and the result-digitisation column alone: HS-000…HS-005 → 6 ÷ 10; with so_hoa too: HS-001…HS-005 → 5 ÷ 10
    path = write_csv(tmp_path / "ho-so.csv", digitisation_dossiers(with_electronic=False))
    _, by_id = evaluate([path])
    assert by_id["binh-minh-2030/digitized-results"].numerator == 6
    assert by_id["binh-minh-2030/digitized"].numerator == 5


def test_without_either_result_column_there_is_no_figure(tmp_path):
    # only so_hoa: the old rules gave 14 ÷ 15 and 9 ÷ 10; nothing says whether results were digitised
    path = write_csv(tmp_path / "ho-so.csv", digitisation_dossiers(with_result_column=False, with_electronic=False))
    _, by_id = evaluate([path])
    for rule_id in ("binh-minh-2030/digitized", "binh-minh-2030/digitized-results"):
        item = by_id[rule_id]
        assert item.status == "no_data" and item.value is None
        assert "ket_qua_so_hoa" in item.message and "ket_qua_dien_tu" in item.message
        assert "one of them is enough" in item.message
    assert by_id["hoang-son-2030/digitized"].status == "fail"  # 14 ÷ 15 < 100%: still measured


def test_one_of_fields_are_optional_but_not_all_absent():
    spec = dataset("ho_so")
    loaded = load_pack(BINH_MINH)
    compiled = loaded.measurements["digitized"][0]
    assert {"ket_qua_so_hoa", "ket_qua_dien_tu"} <= compiled.optional
    assert compiled.any_of == [frozenset({"ket_qua_so_hoa", "ket_qua_dien_tu"})]
    base = {"ngay_co_ket_qua", "trang_thai", "so_hoa"}
    assert compiled.absent(base | {"ket_qua_dien_tu"}) == []
    assert compiled.absent(base) == ["ket_qua_dien_tu", "ket_qua_so_hoa"]
    scopes = loaded.scopes["ho_so"]
    checked = expr.check("result_digitised", spec, scopes)
    assert expr.one_of_groups(checked, scopes, spec) == [frozenset({"ket_qua_so_hoa", "ket_qua_dien_tu"})]


def test_result_digitisation_headers_are_recognised(tmp_path):
    for header in ("Số hóa kết quả", "Kết quả được số hóa", "Đã số hóa kết quả"):
        rows = [dossier(number, **{"Số hóa": "Có", header: "Có" if number < 4 else "Không"}) for number in range(10)]
        _, by_id = evaluate([write_csv(tmp_path / "ho-so.csv", rows)])
        assert by_id["binh-minh-2030/digitized-results"].numerator == 4, header


# --- paperless meetings: one target, two clauses ------------------------------------------------------


def test_paperless_meetings_is_one_rule_citing_both_clauses():
    pack = load_pack(BINH_MINH).pack
    ids = [rule.id for rule in pack.rules]
    assert "staff-paperless-meetings-repeat" not in ids and ids.count("staff-paperless-meetings") == 1
    rule = pack.rule("staff-paperless-meetings")
    clauses = rule.source.clauses()
    assert [clause.section for clause in clauses] == ["III.2.2.1", "III.2.2.1"]
    assert "phòng họp không giấy tờ" in clauses[0].quote and "Họp không giấy tờ" in clauses[1].quote
    # no other rule of either pack measures the same thing on the same field twice
    measured = [(pack_.id, m.dataset, getattr(m, "condition", None)) for pack_ in load_packs(None)
                for rule_ in pack_.pack.rules for m in rule_.measurements[:1]]
    assert measured.count(("binh-minh-2030", "can_bo", "dung_hop_khong_giay")) == 1


def staff(done: int, total: int = 4) -> list[dict]:
    return [{"Họ và tên": f"Cán bộ {number}", "Chức vụ": "Công chức",
             "Sử dụng phần mềm họp không giấy": "Có" if number < done else "Không"} for number in range(total)]


def test_every_clause_is_shown_wherever_the_source_is(tmp_path):
    # 3 of 4 staff use the software: 75% < 100%, so the rule is detailed in every report
    path = write_csv(tmp_path / "can-bo.csv", staff(3))
    result, by_id = evaluate([path], lang="vi")
    item = by_id["binh-minh-2030/staff-paperless-meetings"]
    assert item.status == "fail" and [clause["section"] for clause in item.also] == ["III.2.2.1"]
    second = item.also[0]["quote"]
    for fmt in ("md", "html", "json", "junit", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(path), "--rules", str(BINH_MINH),
                        "--period", OCTOBER, "--lang", "vi", "--format", fmt, "--output", str(out)],
                       capture_output=True, text=True, cwd=tmp_path, check=False)
        if fmt == "xlsx":
            from openpyxl import load_workbook

            text = "\n".join(str(cell.value) for sheet in load_workbook(out).worksheets
                             for row in sheet.iter_rows() for cell in row if cell.value is not None)
        else:
            text = out.read_text(encoding="utf-8")
        if fmt == "html":
            import html

            text = html.unescape(text)
        assert item.quote in text and second in text, fmt
    shown = subprocess.run([sys.executable, "-m", "dxcheck", "rules", "show", "binh-minh-2030/staff-paperless-meetings",
                            "--rules", str(BINH_MINH)], capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "COLUMNS": "400"})
    flat = " ".join(shown.stdout.split())
    assert item.quote in flat and second in flat, shown.stdout + shown.stderr
    reference = (ROOT / "docs" / "reference" / "binh-minh-2030.md").read_text(encoding="utf-8")
    assert second in reference and "staff-paperless-meetings-repeat" not in reference
