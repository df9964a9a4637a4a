"""Baselines (a value below the plan's 2020–2025 figure is a regression), rules sharing one indicator
shown together, and the shipped JSON Schema of `evaluate --format json` (REFERENCE rev. 2 §4, §5)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

import dxcheck
from dxcheck.evaluation.engine import judge
from dxcheck.evaluation.measures import Measured
from dxcheck.messages import set_language
from dxcheck.output_schema import render as schema_text
from dxcheck.output_schema import shipped_text
from dxcheck.render import html, junit, markdown, terminal, xlsx
from dxcheck.results import BaselineOut, RuleResult, TargetOut

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


# --- regression: compared exactly, like the target ------------------------------------------------

def _judged(numerator: int, denominator: int, baseline_op: str | None, baseline_value: float = 99,
            target_op: str = ">", target: float = 98) -> RuleResult:
    baseline = (BaselineOut(value=baseline_value, op=baseline_op, period="2020-2025", section="II.1.1", quote="q")
                if baseline_op else None)
    item = RuleResult(id="p/r", pack="p", rule="r", title={"vi": "x", "en": "x"}, status="no_data",
                      target=TargetOut(op=target_op, value=target), deadline=2030, section="1", quote="q",
                      baseline=baseline)
    share = Fraction(numerator * 100, denominator)
    judge(item, Measured(numerator, denominator, share), "share", "ho_so")
    return item


def test_below_the_baseline_is_a_regression_and_is_not_displayed_as_meeting_it():
    # 3155/3187 = 98.99592…%: passes "> 98" but is below "đạt 99%"; shown as 98.996, never "99.00"
    item = _judged(3155, 3187, ">=")
    assert item.status == "pass" and item.regression is True
    assert item.display_value == "98.996"


def test_at_or_above_a_baseline_is_no_regression():
    assert _judged(99, 100, ">=").regression is False  # 99% exactly against "đạt 99%"
    assert _judged(100, 100, ">=").regression is False
    assert _judged(9995, 10000, ">=", 99.95).regression is False  # 99.95 exactly, not the nearest float
    assert _judged(9994, 10000, ">=", 99.95).regression is True


def test_equal_value_against_a_strict_baseline_is_a_regression():
    # "trên 99%" (op >): 99% exactly does not reach it
    assert _judged(99, 100, ">").regression is True
    assert _judged(991, 1000, ">").regression is False


def test_no_baseline_or_no_value_is_never_a_regression():
    assert _judged(1, 100, None).regression is False
    item = RuleResult(id="p/r", pack="p", rule="r", title={"vi": "x", "en": "x"}, status="no_data",
                      target=TargetOut(op=">=", value=90), deadline=2030, section="1", quote="q",
                      baseline=BaselineOut(value=99, period="2020-2025", section="II.1.1", quote="q"))
    judge(item, Measured(None, 0, None), "share", "ho_so")
    assert item.status == "no_data" and item.regression is False


# --- the shipped samples --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def binh_minh():
    return dxcheck.evaluate([SAMPLES / "binh-minh"], rules=["binh-minh-2030"], period="2026-10", lang="vi",
                            timestamp=False)


def _by_rule(result):
    return {item.rule: item for item in result.results}


def test_samples_regressions_are_the_figures_below_their_baselines(binh_minh):
    items = _by_rule(binh_minh)
    # on-time 3155/3187 = 98.996% < 99%; staff signature 41/42 < 100%; online payment, among the
    # procedures with online payment deployed, 1575/1617 = 97.40% is not below 97.29%
    # digitized 2943/2971 = 99.06% and digitized-results 2944/2971 = 99.09% < 99.95%
    assert {rule for rule, item in items.items() if item.regression} == {
        "on-time", "staff-digital-signature", "digitized", "digitized-results"}
    assert not items["online-payment-transactions"].regression
    assert items["on-time"].status == "pass"  # a regression warns; the target's verdict stands
    assert not binh_minh.counts_as_failure(items["on-time"])
    strict = binh_minh.model_copy(update={"strict": True, "warnings": []})
    assert not strict.counts_as_failure(items["on-time"])  # --strict: not a data-quality problem


def test_json_carries_baseline_indicator_and_regression(binh_minh):
    document = json.loads(binh_minh.to_json())
    results = {item["rule"]: item for item in document["results"]}
    for item in results.values():
        assert {"baseline", "indicator", "regression"} <= item.keys()
    assert results["on-time"]["baseline"] == {
        "value": 99.0, "op": ">=", "period": "2020-2025", "section": "II.1.1",
        "quote": "tỷ lệ giải quyết đúng hạn và trước hạn đạt 99%"}
    assert results["online-processing"]["baseline"] is None
    assert results["on-time"]["regression"] is True and results["data-reuse"]["regression"] is False
    assert results["online-dossiers"]["indicator"] == results["online-processing"]["indicator"] \
        == "binh-minh-2030/online-dossiers"
    assert results["full-online-services"]["indicator"] == results["full-online-services-all"]["indicator"]
    assert results["on-time"]["indicator"] == "binh-minh-2030/on-time"  # its own id: shares with no rule
    assert len({item["indicator"] for item in results.values()}) == len(results) - 2


def _markdown_rows(text: str) -> list[str]:
    table = text[text.index("| Trạng thái |"):]
    table = table[:table.index("\n\n")]
    return [line for line in table.splitlines() if re.match(r"\| [✓✗?!] ", line)]


def test_markdown_shows_a_pair_together_with_its_explanation(binh_minh):
    text = markdown.render(binh_minh, lang="vi")
    rows = _markdown_rows(text)
    order = [re.search(r"`([a-z0-9-]+)`", row)[1] for row in rows]
    at = order.index("full-online-services")
    assert order[at + 1] == "full-online-services-all"  # III.2.1 and III.2.2.1, side by side
    assert order[order.index("online-dossiers") + 1] == "online-processing"
    assert "Một chỉ tiêu, hai ngưỡng: ≥ 80% đạt, ≥ 100% chưa đạt" in rows[at]
    # the failing 100% rule's details say why the same 87.10% passes above
    details = text[text.index("`binh-minh-2030/full-online-services-all` —"):]
    assert "*Một chỉ tiêu, hai ngưỡng: ≥ 80% đạt, ≥ 100% chưa đạt*" in details[:800]
    # the baseline beside the value, the regression warned
    on_time = rows[order.index("on-time")]
    assert "| 98,996% | 99% ↓ |" in on_time
    assert re.search(r"`binh-minh-2030/on-time`: Thấp hơn số liệu nền 2020-2025 \(99%, mục II\.1\.1\): "
                     r"kết quả 98,996%", text)
    english = markdown.render(binh_minh, lang="en")
    assert "One indicator, two thresholds: ≥ 80% met, ≥ 100% not yet" in english


def test_html_shows_a_pair_together_with_its_explanation(binh_minh):
    page = html.render(binh_minh, lang="vi")
    table = page[page.index('<table class="data rules">'):]
    table = table[:table.index("</table>")]
    order = re.findall(r'<span class="rule-id mono">([a-z0-9-]+)</span>', table)
    assert order[order.index("full-online-services") + 1] == "full-online-services-all"
    assert order[order.index("online-dossiers") + 1] == "online-processing"
    assert '<span class="indicator-line">Một chỉ tiêu, hai ngưỡng: ≥ 90% đạt, &gt; 70% đạt</span>' in table
    assert '<span class="baseline below">nền 99% ↓</span>' in table
    assert '<span class="baseline">nền 100%</span>' in table  # village-digital-team: at its baseline
    assert ('<li><span class="mono">binh-minh-2030/on-time</span>: Thấp hơn số liệu nền '
            '2020-2025 (99%, mục II.1.1): kết quả 98,996%') in page
    # a failing rule below its baseline says so in its details too
    details = page[page.index("(binh-minh-2030/staff-digital-signature)"):]
    assert '<p class="message regression">↓ Thấp hơn số liệu nền 2020-2025 (100%' in details[:3000]


def test_terminal_junit_and_excel_show_baseline_pair_and_regression(binh_minh, tmp_path):
    set_language("vi")
    text = terminal.render(binh_minh)
    assert "Một chỉ tiêu, hai ngưỡng: ≥ 80% đạt, ≥ 100% chưa đạt" in re.sub(r"\s*│\s*", " ", text) or \
        "Một chỉ tiêu, hai ngưỡng: ≥ 80% đạt, ≥ 100% chưa đạt" in text
    assert "binh-minh-2030/on-time: Thấp hơn số liệu nền 2020-2025 (99%" in text

    document = junit.render(binh_minh, lang="vi")
    failure = re.search(r'<testcase classname="binh-minh-2030" name="full-online-services-all">\s*<failure message="([^"]*)"',
                        document)[1]
    assert failure.endswith("(Một chỉ tiêu, hai ngưỡng: ≥ 80% đạt, ≥ 100% chưa đạt)")
    on_time = document[document.index('name="on-time"'):]
    assert "↓ Thấp hơn số liệu nền 2020-2025 (99%" in on_time[:1000]

    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx.render(binh_minh, lang="vi"))
    sheet = load_workbook(path).worksheets[0]
    header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    names = [cell.value for cell in header]
    rows = {row[names.index("Mã")].value: row for row in sheet.iter_rows(min_row=header[0].row + 1)}
    baseline = rows["on-time"][names.index("Số liệu nền")]
    assert baseline.value == pytest.approx(0.99) and baseline.number_format.endswith("%")
    assert baseline.fill.fgColor.rgb == "FFFFF2CC"  # below it: highlighted
    assert rows["village-digital-team"][names.index("Số liệu nền")].fill.fgColor.rgb != "FFFFF2CC"
    assert rows["time-reduction"][names.index("Số liệu nền")].value is None
    ids = [row[names.index("Mã")].value for row in sheet.iter_rows(min_row=header[0].row + 1)]
    assert ids[ids.index("full-online-services") + 1] == "full-online-services-all"


# --- the JSON Schema of the output ----------------------------------------------------------------

def test_shipped_schema_is_generated_from_the_result_model():
    assert shipped_text() == schema_text(), (
        "regenerate: PYTHONPATH=src python -m dxcheck.output_schema > src/dxcheck/schemas/result.schema.json")


def test_schema_describes_the_contract_keys():
    schema = json.loads(shipped_text())
    rule = schema["$defs"]["RuleResult"]
    assert {"baseline", "indicator", "regression", "status", "value", "target", "shortfall", "message"} \
        <= set(rule["required"])
    assert set(schema["$defs"]["BaselineOut"]["required"]) == {"value", "op", "period", "section", "quote"}
    from dxcheck.results import RuleResult as Model

    if "trajectory" in Model.model_fields:  # added with --history (issue 13, item 4)
        assert "trajectory" in rule["properties"]


@pytest.mark.parametrize("commune, pack", [("binh-minh", "binh-minh-2030"), ("hoang-son", "hoang-son-2030")])
def test_real_output_validates_against_the_shipped_schema(commune, pack):
    jsonschema = pytest.importorskip("jsonschema")
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(SAMPLES / commune), "--rules", pack,
                           "--period", "2026-10", "--format", "json"], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    validator = jsonschema.Draft202012Validator(json.loads(shipped_text()))
    assert list(validator.iter_errors(document)) == []
    # and it is not a schema that accepts anything: a result without its indicator is refused
    del document["results"][0]["indicator"]
    assert not validator.is_valid(document)


def test_cli_prints_the_result_schema_and_still_the_pack_schema_by_default():
    done = subprocess.run([sys.executable, "-m", "dxcheck", "schema", "result"], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)
    assert done.returncode == 0 and done.stdout == shipped_text()
    pack = subprocess.run([sys.executable, "-m", "dxcheck", "schema"], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)
    assert json.loads(pack.stdout)["title"] == "dxcheck rule pack"
    wrong = subprocess.run([sys.executable, "-m", "dxcheck", "schema", "output"], capture_output=True, text=True,
                           encoding="utf-8", cwd=ROOT)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr


def test_an_indicator_slug_naming_another_rule_is_refused():
    from pydantic import ValidationError

    from dxcheck.packs.model import Pack

    def rule(rule_id, indicator=None):
        return {"id": rule_id, "title": {"vi": "x", "en": "x"}, "source": {"section": "1", "quote": "q"},
                "target": {"op": ">=", "value": 90}, "deadline": 2030, "indicator": indicator,
                "measurements": [{"dataset": "ho_so", "condition": "so_hoa"}]}

    base = {"id": "p", "title": {"vi": "x", "en": "x"}, "plan": {"issuer": "i", "document": "d", "seed": "s"}}
    Pack.model_validate({**base, "rules": [rule("a", "a"), rule("b", "a")]})  # the pair names its first rule
    with pytest.raises(ValidationError, match="is the id of rule 'a'"):
        Pack.model_validate({**base, "rules": [rule("a"), rule("b", "a"), rule("c", "a")]})
