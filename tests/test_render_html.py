"""The HTML report: self-contained, escaped, laid out as a Vietnamese administrative report."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dxcheck.messages import set_language
from dxcheck.render.html import render
from test_render_fixture import FORMULA, HOSTILE_IDS, SCRIPT, build_result, fixture_messages  # noqa: F401

#: elements that fetch or run something
ACTIVE = {"script", "link", "iframe", "frame", "object", "embed", "img", "image", "base", "audio", "video", "source",
          "track", "form", "input", "use", "foreignobject", "meta"}
#: attributes that name a resource
REFERENCE_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "data", "background",
                        "ping", "codebase", "manifest"}


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def _render(lang="vi", **options) -> str:
    render_options = {key: options.pop(key) for key in ("commune", "place") if key in options}
    result = build_result(lang, **options)
    token = set_language(lang)
    try:
        return render(result, **render_options)
    finally:
        from dxcheck.messages import _language

        _language.reset(token)


def _parse(document: str) -> Collector:
    collector = Collector()
    collector.feed(document)
    collector.close()
    return collector


@pytest.fixture
def document(fixture_messages):
    return _render("vi")


def test_no_external_references_and_nothing_active(document):
    parsed = _parse(document)
    tags = [tag for tag, _ in parsed.tags]
    # the one <meta> allowed are charset/viewport/generator, which fetch nothing
    metas = [attrs for tag, attrs in parsed.tags if tag == "meta"]
    assert all(set(attrs) <= {"charset", "name", "content"} for attrs in metas)
    assert not (set(tags) - {"meta"}) & ACTIVE, set(tags) & ACTIVE
    for tag, attrs in parsed.tags:
        assert not set(attrs) & REFERENCE_ATTRIBUTES, (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "http" not in (value or "") and "//" not in (value or ""), (tag, name, value)
            assert "url(" not in (value or "")
    css = "".join(parsed.styles)
    assert tags.count("style") == 1
    assert "url(" not in css and "@import" not in css and "http" not in css and "@font-face" not in css
    assert "<script" not in document.lower() and "javascript:" not in document.lower()


def test_hostile_values_show_as_text(document):
    parsed = _parse(document)
    text = "".join(parsed.text)
    for value in HOSTILE_IDS:
        assert value in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "Đất đai | *Xây dựng*" in text


def test_administrative_layout(document):
    text = " ".join(" ".join(_parse(document).text).split())
    for expected in ("ỦY BAN NHÂN DÂN XÃ HOÀNG SƠN", "Số: ……/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU CHUYỂN ĐỔI SỐ",
                     "NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu, ghi rõ họ tên)",
                     "Kỳ báo cáo: tháng 10/2026 (từ ngày 01/10/2026 đến ngày 31/10/2026)"):
        assert expected in text, expected
    # no generation time: the date is left for the signer to fill in
    assert "Hoàng Sơn, ngày …… tháng …… năm 20……" in text
    assert text.index("CỘNG HÒA") < text.index("BÁO CÁO KẾT QUẢ") < text.index("NGƯỜI LẬP BIỂU")


def test_print_rules(document):
    css = "".join(_parse(document).styles)
    assert re.search(r"@page\s*{\s*size:\s*A4;\s*margin:\s*20mm 15mm 20mm 30mm;", css)
    assert "thead { display: table-header-group; }" in css
    assert re.search(r"\btr\s*{\s*break-inside:\s*avoid;", css)
    assert '"Times New Roman"' in css and "serif;" in css


def test_dated_report_names_the_place_and_day_as_decree_30_writes_them(fixture_messages):
    text = " ".join(" ".join(_parse(_render("vi", generated_at="2026-02-04T18:30:00+00:00")).text).split())
    assert "Hoàng Sơn, ngày 05 tháng 02 năm 2026" in text  # 01:30 on the 5th in Vietnam
    text = " ".join(" ".join(_parse(_render("vi", generated_at="2026-11-20T03:00:00+00:00")).text).split())
    assert "Hoàng Sơn, ngày 20 tháng 11 năm 2026" in text


def test_commune_and_place_options(fixture_messages):
    text = " ".join(" ".join(_parse(_render("vi", commune="Tân Phú", place="Đồng Xoài")).text).split())
    assert "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ" in text and "Đồng Xoài, ngày" in text


def test_every_status_has_text_and_an_icon_and_each_value_a_bar(fixture_messages):
    result = build_result("vi")
    document = render(result)
    parsed = _parse(document)
    labels = [attrs for tag, attrs in parsed.tags if tag == "span" and "status" in (attrs.get("class") or "").split()]
    icons = [attrs for tag, attrs in parsed.tags if tag == "svg" and "icon" in (attrs.get("class") or "").split()]
    assert len(labels) == len(icons) >= len(result.results)
    bars = [attrs for tag, attrs in parsed.tags if tag == "svg" and attrs.get("class") == "bar"]
    with_value = [item for item in result.results if item.value is not None]
    assert len(bars) >= len(with_value)
    assert all(attrs.get("role") == "img" and attrs.get("aria-label") for attrs in bars)
    rows = [attrs for tag, attrs in parsed.tags if tag == "tr" and (attrs.get("class") or "").startswith("row-")]
    # each rule twice: in the signed page's results table, then in the full table of appendix I
    statuses = [f"row-{item.status}" for item in result.results]
    assert [attrs["class"] for attrs in rows] == statuses + statuses


def test_milestone_target_draws_the_final_target_too(fixture_messages):
    result = build_result("vi")
    item = next(item for item in result.results if item.rule == "on-time")
    item.target.milestone_year, item.target.final_value, item.target.value = 2026, 99.0, 95.0
    document = render(result)
    assert "(mốc năm 2026)" in document
    assert 'stroke-dasharray="2 1.5"' in document


def test_english(fixture_messages):
    text = " ".join(" ".join(_parse(_render("en")).text).split())
    for expected in ("PEOPLE'S COMMITTEE OF HOÀNG SƠN COMMUNE", "SOCIALIST REPUBLIC OF VIET NAM",
                     "Independence - Freedom - Happiness", "PREPARED BY", "87.50%"):
        assert expected in text, expected
    assert "87,50%" not in text
