"""Snapshot tests: the Markdown, JSON and JUnit reports of the fixture, in Vietnamese and English.

Each snapshot is a plain file under tests/__snapshots__/test_render_snapshots/ (readable, and
diffable in review). After an intended change to a report, regenerate them with
`python -m pytest -n 0 tests/test_render_snapshots.py --snapshot-update` and review the diff (one
process: syrupy rewrites snapshots only without xdist's workers).
"""

from __future__ import annotations

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from dxcheck.messages import set_language
from dxcheck.render import renderer
from test_render_fixture import build_result, fixture_messages  # noqa: F401  (pytest fixture)


class _Text(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT


class MarkdownSnapshot(_Text):
    file_extension = "md"


class JsonSnapshot(_Text):
    file_extension = "json"


class XmlSnapshot(_Text):
    file_extension = "xml"


EXTENSIONS = {"md": MarkdownSnapshot, "json": JsonSnapshot, "junit": XmlSnapshot}


def _render(name: str, lang: str, **options) -> str:
    token = set_language(lang)
    try:
        return renderer(name)(build_result(lang, **options))
    finally:
        from dxcheck.messages import _language

        _language.reset(token)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", ["md", "json", "junit"])
def test_report_snapshot(snapshot, fixture_messages, name, lang):
    assert _render(name, lang) == snapshot(extension_class=EXTENSIONS[name])


@pytest.mark.parametrize("name", ["md", "junit"])
def test_strict_report_snapshot(snapshot, fixture_messages, name):
    assert _render(name, "vi", strict=True) == snapshot(extension_class=EXTENSIONS[name])


@pytest.mark.parametrize("name", ["md", "html", "junit", "xlsx"])
def test_output_is_deterministic_and_timeless_without_timestamp(fixture_messages, name):
    first, second = _render(name, "vi"), _render(name, "vi")
    assert first == second
    if isinstance(first, str):
        assert "Lập lúc" not in first and "T00:" not in first.replace("2026-10-01T00:00:00", "")


def test_timestamp_is_shown_in_vietnam_time(fixture_messages):
    text = _render("md", "vi", generated_at="2026-10-31T18:30:00+00:00")
    assert "Lập lúc 01:30 ngày 01/11/2026" in text
    text = _render("md", "en", generated_at="2026-10-31T18:30:00+00:00")
    assert "Generated at 01:30 on 01/11/2026" in text
