"""The Markdown report parses as GFM into the tables it means, with data values as plain text."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from dxcheck.messages import set_language
from dxcheck.render import MARKDOWN_MARK
from dxcheck.render.markdown import block, code, render, text
from test_render_fixture import FORMULA, HOSTILE_IDS, SCRIPT, build_result, fixture_messages  # noqa: F401


def _parse(source: str):
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(source)


@pytest.fixture
def report(fixture_messages):
    result = build_result("vi")
    token = set_language("vi")
    try:
        yield result, render(result)
    finally:
        from dxcheck.messages import _language

        _language.reset(token)


def test_every_table_row_has_its_header_width_and_no_html_gets_through(report):
    result, source = report
    tokens = _parse(source)
    # the one HTML block is dxcheck's own mark, an invisible comment on the first line
    mark, *tokens = tokens
    assert (mark.type, mark.content) == ("html_block", MARKDOWN_MARK.format(version=result.dxcheck_version) + "\n")
    assert not [token for token in tokens if token.type in ("html_block", "html_inline")]
    assert not [child for token in tokens for child in (token.children or []) if child.type == "html_inline"]
    widths, tables = [], 0
    for token in tokens:
        if token.type == "table_open":
            tables, widths = tables + 1, []
        elif token.type == "tr_open":
            widths.append(0)
        elif token.type in ("th_open", "td_open"):
            widths[-1] += 1
        elif token.type == "table_close":
            assert len(set(widths)) == 1, widths
    assert tables >= 5  # pack table, samples, breakdowns, warnings, inputs


def test_hostile_values_come_out_as_literal_text(report):
    result, source = report
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    cells = [child.content for token in _parse(source) if token.type == "inline" for child in token.children or []
             if child.type == "text"]
    joined = "".join(cells)
    for value in HOSTILE_IDS:
        assert value in joined
    # the pipe and asterisks of a group name stay inside one cell, unemphasised
    assert "Đất đai | *Xây dựng*" in cells
    assert "<td>Đất đai | *Xây dựng*</td>" in html and "<em>Xây dựng</em>" not in html


def test_summary_pack_table_and_details(report):
    result, source = report
    assert source.startswith(f"<!-- generator: dxcheck {result.dxcheck_version} -->\n"
                             "# Kết quả thực hiện chỉ tiêu chuyển đổi số: xã Hoàng Sơn, tháng 10/2026\n")
    summary = result.summary
    assert f"{summary.pass_} đạt, {summary.fail} không đạt, {summary.no_data} thiếu dữ liệu" in source
    assert "| ✗ KHÔNG ĐẠT | `online-submission` Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến | 87,50% | ≥ 100% | 35/40 | 5 | 2030 |" in source
    assert "| ✓ ĐẠT | `digitized`" in source and "| ? THIẾU DỮ LIỆU | `outgoing-signed`" in source
    # details only for rules that need action, with the quote and its section
    assert "### ✗ `hoang-son-2030/online-submission`" in source
    assert "### ✓" not in source
    assert "> — mục II.2.a" in source
    assert "`8d1284fcba38f0c44c10fb0f01882be220a000b9c88d0fa82b9ca40a4a6073e5`" in source


def test_english_uses_english_numbers_and_words(fixture_messages):
    result = build_result("en")
    source = render(result, lang="en")
    assert "| ✗ FAIL |" in source or "✗" in source
    assert "87.50%" in source and "87,50%" not in source
    assert "Data-quality warnings (3)" in source


@pytest.mark.parametrize("value,expected", [
    ("a|b", "a\\|b"), ("*x*", "\\*x\\*"), ("truc_tiep", "truc_tiep"), ("_x_", "\\_x\\_"),
    ("<b>", "\\<b\\>"), ("line\nbreak", "line break"), ("`x`", "\\`x\\`"), ("[a](b)", "\\[a\\](b)"),
    ("$x$", "\\$x\\$"), ("&amp;", "\\&amp;"),
])
def test_text_escaping(value, expected):
    assert text(value) == expected


@pytest.mark.parametrize("value", ["# heading", "- item", "+ item", "> quote", "1. item", "=HYPERLINK(1)"])
def test_a_value_starting_a_line_is_not_a_block(value):
    tokens = _parse(block(value))
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert tokens[1].children[-1].content.endswith(value[-4:])


def test_code_span_survives_backticks_and_pipes():
    assert code("a`b") == "``a`b``"
    assert code("x|y") == "`x\\|y`"
