"""What a user reads off a measured figure (issue 19): response rates and their warnings, a
share's and a sum ratio's value with its numerator and denominator, province roll-ups across
communes, and the road to a target (trend, projection, path).

Every expected figure is worked out by hand in the comments, from records built here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from dxcheck.messages import _language, set_language
from user_kit import evaluate, loaded, rule

OCTOBER_DAY = datetime(2026, 10, 10, 9)
PLAN = "Mức độ hài lòng đạt 90%. Tỷ lệ hồ sơ nộp trực tuyến."


@pytest.fixture(autouse=True)
def english():
    token = set_language("en")
    try:
        yield
    finally:
        _language.reset(token)


def pack(folder: Path, body: str, name: str = "pack") -> Path:
    """A pack `user` holding the rules of `body` (YAML under `rules:`)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "plan.txt").write_text(PLAN, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text('id: user\ntitle: {vi: "Thử", en: "Test"}\n'
                    "plan: {issuer: Xã Thử, document: KẾ HOẠCH thử, seed: plan.txt}\nrules:\n" + body,
                    encoding="utf-8")
    return path


# --- response rates ------------------------------------------------------------------------------

RATED_RULE = """\
  - id: satisfied
    title: {{vi: "Hài lòng", en: "Satisfied"}}
    source: {{section: "1", quote: "Mức độ hài lòng đạt 90%"}}
    target: {{op: ">=", value: 90}}
    deadline: 2030
    measurements:
      - dataset: ho_so
        population: rated
        condition: satisfied
        response_rate: {{population: '{wider}', warn_below: {warn}}}
"""


def rated_pack(folder: Path, wider: str = "completed", warn: str = "30") -> Path:
    return pack(folder, RATED_RULE.format(wider=wider, warn=warn), name=f"rated-{abs(hash((wider, warn)))}")


def completed(number: int, rating: str | None, finished: datetime = OCTOBER_DAY) -> dict:
    """A dossier whose result came on `finished`, rated `rating` (None: not rated)."""
    return {"ma_ho_so": f"HS-{number:05d}", "linh_vuc": "Tư pháp", "ngay_tiep_nhan": datetime(2026, 10, 1, 8),
            "ngay_hen_tra": None, "ngay_co_ket_qua": finished, "trang_thai": "da_tra_ket_qua",
            "hinh_thuc_nop": "truc_tuyen", "danh_gia": rating or "chua_danh_gia"}


def ratings(rated: int, satisfied: int, total: int = 10, path: str = "data.xlsx", first: int = 0):
    """`total` completed dossiers, `rated` of them rated, `satisfied` of those satisfied."""
    rows = [completed(first + k, "hai_long" if k < satisfied else "binh_thuong" if k < rated else None)
            for k in range(total)]
    return loaded(rows, path=path)


def low_rate_warnings(result) -> list:
    return [warning for warning in result.warnings if warning.code == "result.low_response_rate"]


def test_the_response_rate_is_stated_with_its_counts(tmp_path):
    # 10 completed, 4 rated, 3 satisfied: 3 ÷ 4 = 75%; response 4 ÷ 10 = 40% ≥ 30%: said, not warned
    result = evaluate(rated_pack(tmp_path), [ratings(4, 3)], period="2026-10")
    item = rule(result, "satisfied")
    assert (item.numerator, item.denominator, item.value) == (3, 4, 75.0)
    assert item.details["response_rate"] == {"population": "completed", "warn_below": 30, "responses": 4,
                                             "of": 10, "rate": 40.0}
    assert "response rate 40%: the figure rests on 4 of 10 dossier(s) in" in item.message.lower()
    assert "result in the period (returned or done)" in item.message.lower()  # the scope said in words
    assert not low_rate_warnings(result)


def test_a_rate_exactly_at_the_threshold_is_not_low(tmp_path):
    # 3 of 10 rated: 30% is not under 30%
    result = evaluate(rated_pack(tmp_path), [ratings(3, 3)], period="2026-10")
    item = rule(result, "satisfied")
    assert "response rate 30%: the figure rests on 3 of 10" in item.message.lower() and "only" not in item.message.lower()
    assert not low_rate_warnings(result)


def test_a_low_rate_is_a_warning_naming_the_file_and_sheet(tmp_path):
    # 2 of 10 rated: 20% < 30%; the figure (2 ÷ 2 = 100%) passes, the run warns that it rests on two answers
    result = evaluate(rated_pack(tmp_path), [ratings(2, 2, path="xa-a.xlsx")], period="2026-10")
    item = rule(result, "satisfied")
    assert item.status == "pass" and item.value == 100.0
    assert ("response rate only 20% (under 30%): the figure rests on just 2 of 10 dossier(s) in"
            in item.message.lower())
    [warning] = low_rate_warnings(result)
    assert (warning.path, warning.sheet) == ("xa-a.xlsx", "Sheet1")
    assert warning.params["rule"] == "user/satisfied"
    assert (warning.params["responses"], warning.params["of"], warning.params["rate"]) == (2, 10, 20.0)
    assert warning.params["threshold"] == 30.0
    assert "user/satisfied: response rate only 20% (under 30%)" in warning.message.lower()
    assert "just 2 of 10 records in “result in the period (returned or done)”" in warning.message.lower()


def test_the_threshold_is_the_packs_own(tmp_path):
    # 4 of 10 rated = 40%, under a threshold of 50 (and not under 40)
    low = rule(evaluate(rated_pack(tmp_path, warn="50"), [ratings(4, 4)], period="2026-10"), "satisfied")
    assert "response rate only 40% (under 50%)" in low.message.lower()
    ok = rule(evaluate(rated_pack(tmp_path, warn="40"), [ratings(4, 4)], period="2026-10"), "satisfied")
    assert "response rate 40%:" in ok.message.lower() and "only" not in ok.message.lower()


def test_no_record_in_the_wider_population_means_no_rate(tmp_path):
    # the wider population selects nothing: there is no rate to state, and no warning
    result = evaluate(rated_pack(tmp_path, wider='trang_thai == "da_huy"'), [ratings(4, 3)], period="2026-10")
    item = rule(result, "satisfied")
    assert item.details["response_rate"]["of"] == 0 and item.details["response_rate"]["rate"] is None
    assert "no dossier falls in “trang_thai == \"da_huy\"” in the period, so there is no response rate" in item.message.lower()
    assert not low_rate_warnings(result)


def test_a_wider_population_over_missing_columns_is_unknown(tmp_path):
    # `tien_do` and `so_hoa` are not in the file: the rate cannot be computed, and the result says which columns
    result = evaluate(rated_pack(tmp_path, wider="so_hoa and tien_do == \"dung_han\""), [ratings(4, 3)],
                      period="2026-10")
    item = rule(result, "satisfied")
    assert item.details["response_rate"]["lacking"] == ["so_hoa", "tien_do"]
    assert "the response rate (of “so_hoa and tien_do == \"dung_han\"”) cannot be computed: the columns so_hoa, tien_do are missing" in item.message.lower()
    assert (item.numerator, item.denominator) == (3, 4)  # the figure itself stands
    assert not low_rate_warnings(result)


def test_response_rates_roll_up_by_their_counts_across_communes(tmp_path):
    # commune A: 4 of 10 rated (40%); commune B: 1 of 10 (10%, warned) → province (4 + 1) ÷ (10 + 10) = 25% < 30%
    result = evaluate(rated_pack(tmp_path), [ratings(4, 3, path="a.xlsx"), ratings(1, 1, path="b.xlsx", first=100)],
                      period="2026-10", group_by="file")
    item = rule(result, "satisfied")
    assert (item.numerator, item.denominator) == (4, 5)
    assert item.details["response_rate"] == {"population": "completed", "warn_below": 30, "responses": 5, "of": 20,
                                             "rate": 25.0}
    assert "response rate only 25% (under 30%): the figure rests on just 5 of 20" in item.message.lower()
    warned = [(warning.path, warning.params["responses"]) for warning in low_rate_warnings(result)]
    assert ("b.xlsx", 1) in warned and not any(path == "a.xlsx" for path, _ in warned)


def test_a_province_rate_with_one_commune_lacking_columns_is_unknown(tmp_path):
    # commune B has no `tien_do` column: its rate is unknown, so the province's is too (never A's alone)
    wider = 'completed and tien_do == "dung_han"'
    a = [completed(k, "hai_long") | {"tien_do": "dung_han"} for k in range(4)]
    b = [completed(100 + k, "hai_long") for k in range(3)]
    result = evaluate(rated_pack(tmp_path, wider=wider), [loaded(a, path="a.xlsx"), loaded(b, path="b.xlsx")],
                      period="2026-10", group_by="file")
    rate = rule(result, "satisfied").details["response_rate"]
    assert rate == {"population": wider, "warn_below": 30, "lacking": ["tien_do"]}
    assert "cannot be computed: the columns tien_do are missing" in rule(result, "satisfied").message.lower()


def test_a_province_whose_communes_have_no_wider_records_has_no_rate(tmp_path):
    result = evaluate(rated_pack(tmp_path, wider='trang_thai == "da_huy"'),
                      [ratings(4, 3, path="a.xlsx"), ratings(2, 2, path="b.xlsx", first=100)],
                      period="2026-10", group_by="file")
    item = rule(result, "satisfied")
    assert item.details["response_rate"]["rate"] is None and item.details["response_rate"]["of"] == 0
    assert "so there is no response rate" in item.message.lower()


def test_a_missing_scope_is_named_in_words(tmp_path):
    # the wider population is the scope `with_fee` (le_phi > 0): without a `le_phi` column the rate is
    # unknown, and the sentence names the scope as a user reads it, not its identifier
    item = rule(evaluate(rated_pack(tmp_path, wider="with_fee"), [ratings(4, 3)], period="2026-10"), "satisfied")
    assert "the response rate (of “with a fee”) cannot be computed: the columns le_phi are missing" in item.message.lower()
    # with the column but no fee anywhere, no dossier is in the scope, said in words too
    rows = [completed(k, "hai_long") | {"le_phi": 0.0} for k in range(4)]
    item = rule(evaluate(rated_pack(tmp_path, wider="with_fee"), [loaded(rows)], period="2026-10"), "satisfied")
    assert "no dossier falls in “with a fee” in the period, so there is no response rate" in item.message.lower()


def test_a_low_rate_over_two_files_names_both_and_no_single_sheet(tmp_path):
    # one commune's two files: 1 of 10 rated in a, 0 of 10 in b → 1 ÷ 20 = 5%; the warning names both files
    # and no sheet (there is no one sheet to point at)
    result = evaluate(rated_pack(tmp_path), [ratings(1, 1, path="a.xlsx"), ratings(0, 0, path="b.xlsx", first=100)],
                      period="2026-10", group_by="combine")
    [warning] = low_rate_warnings(result)
    assert (warning.path, warning.sheet) == ("a.xlsx; b.xlsx", None)
    assert (warning.params["responses"], warning.params["of"]) == (1, 20)


def test_a_sheet_named_with_the_separator_is_named_whole(tmp_path):
    # a sheet called `Hồ sơ › Tháng 10`: the warning points at that sheet of that file, not a cut-off name
    file = ratings(2, 2, path="xa-a.xlsx")
    file.sheets[0].report.sheet = "Hồ sơ › Tháng 10"
    [warning] = low_rate_warnings(evaluate(rated_pack(tmp_path), [file], period="2026-10"))
    assert (warning.path, warning.sheet) == ("xa-a.xlsx", "Hồ sơ › Tháng 10")


def test_a_province_rate_with_one_commune_measured_is_that_communes(tmp_path):
    # commune B has no rated dossier (no figure): the province's figure and response rate are commune A's alone
    result = evaluate(rated_pack(tmp_path), [ratings(4, 3, path="a.xlsx"), ratings(0, 0, path="b.xlsx", first=100)],
                      period="2026-10", group_by="file")
    item = rule(result, "satisfied")
    assert (item.numerator, item.denominator) == (3, 4)
    assert item.details["response_rate"] == {"population": "completed", "warn_below": 30, "responses": 4, "of": 10,
                                             "rate": 40.0}
