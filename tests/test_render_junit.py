"""JUnit XML: one test case per rule, counts that match the summary, valid for CI readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dxcheck.messages import set_language
from dxcheck.render.junit import render
from test_render_fixture import FORMULA, SCRIPT, build_result, fixture_messages  # noqa: F401

SCHEMA = Path(__file__).with_name("junit-dxcheck.xsd")


def _render(lang="vi", **options) -> tuple:
    result = build_result(lang, **options)
    token = set_language(lang)
    try:
        return result, render(result)
    finally:
        from dxcheck.messages import _language

        _language.reset(token)


def _validate(document: str) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(SCHEMA)).validate(document)


@pytest.mark.parametrize("strict", [False, True])
def test_counts_match_the_summary_and_the_schema(fixture_messages, strict):
    result, document = _render(strict=strict)
    _validate(document)
    root = ET.fromstring(document)
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    pack = suites["hoang-son-2030"]
    summary = result.summary
    cases = pack.findall("testcase")
    assert int(pack.get("tests")) == len(cases) == len(result.results)
    assert int(pack.get("failures")) == summary.fail == len(pack.findall("testcase/failure"))
    if strict:  # no_data is an error under --strict: it fails the run
        assert int(pack.get("errors")) == summary.error + summary.no_data == len(pack.findall("testcase/error"))
        assert int(pack.get("skipped")) == 0
        quality = suites["data-quality"]
        assert int(quality.get("failures")) == len(result.warnings) == len(quality.findall("testcase/failure"))
    else:
        assert int(pack.get("errors")) == summary.error
        assert int(pack.get("skipped")) == summary.no_data == len(pack.findall("testcase/skipped"))
        assert "data-quality" not in suites
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key)) == sum(int(suite.get(key)) for suite in suites.values())
    assert {(case.get("classname"), case.get("name")) for case in cases} == {
        (item.pack, item.rule) for item in result.results}


def test_failure_carries_value_target_shortfall_and_quote(fixture_messages):
    result, document = _render()
    root = ET.fromstring(document)
    case = root.find("testsuite/testcase[@name='online-submission']")
    failure = case.find("failure")
    message = failure.get("message")
    assert "87,50%" in message and "≥ 100%" in message and "cần thêm 5 hồ sơ" in message
    assert "“Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến đạt trên 100%”" in message and "II.2.a" in message
    # the body lists the failing records, hostile values as text (escaped by the XML writer)
    assert SCRIPT in failure.text and FORMULA in failure.text
    assert "<script>" not in document
    skipped = root.find("testsuite/testcase[@name='outgoing-signed']/skipped")
    assert "van_ban_di" in skipped.get("message")


def test_warnings_are_in_the_suite_output(fixture_messages):
    result, document = _render()
    output = ET.fromstring(document).find("testsuite/system-out").text
    for warning in result.warnings:
        assert warning.message in output
    assert "14, 27" in output


def test_characters_xml_cannot_carry_are_replaced(fixture_messages):
    result = build_result("vi")
    result.results[0].samples[0].record_id = "bad\x01id\x1b"
    document = render(result)
    ET.fromstring(document)
    _validate(document)
    assert "bad\ufffdid\ufffd" in document


def test_timestamp_only_when_generated(fixture_messages):
    _, document = _render()
    assert "timestamp" not in document
    _, document = _render(generated_at="2026-11-01T08:00:00+00:00")
    assert ET.fromstring(document).find("testsuite").get("timestamp") == "2026-11-01T08:00:00+00:00"
