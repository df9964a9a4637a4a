"""Rule-language conditions said in words (render/condition_words.py), and the reports that show
them and their records' values as words rather than codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxcheck.datasets import vocabulary
from dxcheck.messages import catalogue, set_language
from dxcheck.packs.loader import load_pack
from dxcheck.render import condition_words as cw
from dxcheck.render.markdown import render as render_markdown
from test_render_fixture import build_result, fixture_messages  # noqa: F401  (pytest fixture)

RULES = sorted((Path(__file__).resolve().parents[1] / "rules").glob("*.yaml"))


@pytest.mark.parametrize("text, lang, expected", [
    # a value list, with category codes as the report's words
    ('muc_do_dvc in ["toan_trinh", "mot_phan"]', "vi", "Mức độ DVC là Toàn trình hoặc Một phần"),
    ('muc_do_dvc in ["toan_trinh", "mot_phan"]', "en", "Online service level is Full online or Partly online"),
    ('trang_thai not in ["da_huy", "tu_choi"]', "vi", "Trạng thái không phải Đã hủy hay Từ chối"),
    ('trang_thai not in ["da_huy", "tu_choi"]', "en", "Status is none of Cancelled, Refused"),
    ('trang_thai in ["da_huy"]', "en", "Status is Cancelled"),
    # equality
    ('hinh_thuc_nop == "truc_tuyen"', "vi", "Hình thức nộp là Trực tuyến"),
    ('danh_gia != "chua_danh_gia"', "en", "Rating is not Not rated"),
    # dates against the period, numbers against a literal
    ("ngay_co_ket_qua >= period.start", "vi", "Ngày có kết quả từ đầu kỳ trở đi"),
    ("ngay_co_ket_qua >= period.start", "en", "Result on: the period's start or later"),
    ("ngay_tiep_nhan <= period.end", "vi", "Ngày tiếp nhận đến hết cuối kỳ"),
    ("ngay_co_ket_qua > ngay_hen_tra", "vi", "Ngày có kết quả sau Ngày hẹn trả"),
    ("ngay_co_ket_qua < ngay_hen_tra", "en", "Result on: before Due on"),
    ("le_phi > 0", "vi", "Phí, lệ phí lớn hơn 0"),
    ("le_phi > 0", "en", "Fees greater than 0"),
    ("le_phi >= 1.5", "vi", "Phí, lệ phí từ 1,5 trở lên"),
    ("le_phi <= 10", "en", "Fees at most 10"),
    ("le_phi < 10", "vi", "Phí, lệ phí nhỏ hơn 10"),
    # blank / not blank
    ("ngay_hen_tra is blank", "vi", "Ngày hẹn trả để trống"),
    ("ngay_hen_tra is not blank", "vi", "Ngày hẹn trả có ghi"),
    ("ngay_hen_tra is not blank", "en", "Due on is filled in"),
    # yes/no fields, their negation, and `not` of what has a direct negative
    ("so_hoa", "vi", "Số hóa: có"),
    ("not so_hoa", "en", "Digitised: no"),
    ("so_hoa == false", "vi", "Số hóa: không"),
    ('not hinh_thuc_nop == "truc_tuyen"', "vi", "Hình thức nộp không phải Trực tuyến"),
    ("not ngay_hen_tra is blank", "en", "Due on is filled in"),
    ("not not so_hoa", "en", "Digitised: yes"),
    # `not` of an ordering (a blank is neither before nor after): said as a negation
    ("not ngay_co_ket_qua >= period.start", "vi", "không phải Ngày có kết quả từ đầu kỳ trở đi"),
    ("not (so_hoa and le_phi > 0)", "en", "not (Digitised: yes and Fees greater than 0)"),
    # a scope by its description: as it is alone, quoted in a larger condition
    ("received", "vi", "Tiếp nhận trong kỳ, không tính hồ sơ đã hủy"),
    ("with_fee", "en", "With a fee"),
    ("received and with_fee", "vi", "“Tiếp nhận trong kỳ, không tính hồ sơ đã hủy” và “Có phí, lệ phí”"),
    ("not finished_in_period", "vi", "không thuộc trường hợp “Kết thúc trong kỳ”"),
    # the looked-up procedure's fields
    ('thu_tuc.muc_do_dvc == "toan_trinh"', "vi", "Thủ tục: Mức độ DVC là Toàn trình"),
    ('thu_tuc.muc_do_dvc == "toan_trinh"', "en", "Procedure: Online service level is Full online"),
    ("thu_tuc.found == false", "vi", "thủ tục không có trong danh mục thủ tục"),
    ("not thu_tuc.found == false", "en", "the procedure is in the procedure catalogue"),
    # constants
    ("true", "vi", "mọi hồ sơ"),
    ("true", "en", "every dossier"),
    # and/or: nested groups in brackets, a value list's own `or` in brackets inside a larger condition
    ('so_hoa or (le_phi > 0 and hinh_thuc_nop == "truc_tuyen")', "en",
     "Digitised: yes or (Fees greater than 0 and Submission channel is Online)"),
    ('tien_do in ["truoc_han", "dung_han"] or tien_do is blank', "vi",
     "Tiến độ là (Trước hạn hoặc Đúng hạn) hoặc Tiến độ để trống"),
    ("(so_hoa or tai_su_dung) and le_phi > 0", "vi",
     "(Số hóa: có hoặc Tái sử dụng dữ liệu: có) và Phí, lệ phí lớn hơn 0"),
])
def test_each_kind_of_condition_in_words(text, lang, expected):
    assert cw.words(text, "ho_so", lang) == expected


def test_field_labels_are_the_vocabulary_s():
    """The Vietnamese labels above are the dataset's first header, not wording of this module."""
    fields = vocabulary().datasets["ho_so"].fields
    assert fields["muc_do_dvc"].headers[0] == "Mức độ DVC"
    assert fields["so_hoa"].headers[0] == "Số hóa"


@pytest.mark.parametrize("text", [
    'muc_do_dvc ==',            # does not parse
    "no_such_field",            # a name the vocabulary does not know
    "do_mat",                   # a field of another dataset
    'hinh_thuc_nop == "x" and', # trailing operator
    "le_phi",                   # a number used as yes/no
])
def test_what_cannot_be_said_falls_back_to_the_text(text):
    assert cw.words(text, "ho_so", "vi") is None
    assert cw.describe(text, "ho_so", "vi") == text


def test_no_dataset_or_an_unknown_one_falls_back():
    assert cw.describe("so_hoa", None, "vi") == "so_hoa"
    assert cw.describe("so_hoa", "no_such_dataset", "en") == "so_hoa"
    assert cw.words("", "ho_so", "vi") is None


def test_every_word_comes_from_both_catalogues():
    vi = {key for key in catalogue("vi") if key.startswith("report_formats.cond.")}
    en = {key for key in catalogue("en") if key.startswith("report_formats.cond.")}
    assert vi == en and len(vi) > 25


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_scope_is_said_without_falling_back(lang):
    said = 0
    for name, spec in vocabulary().datasets.items():
        for scope_name, scope in spec.scopes.items():
            text = cw.words(scope.expr, name, lang)
            assert text, f"{name}.{scope_name}: {scope.expr}"
            assert "period." not in text and "_" not in text, (scope_name, text)
            said += 1
    assert said >= 12


def _pack_expressions(path: Path) -> list[tuple[str, str, str]]:
    """(rule id, dataset, expression) of every expression in a pack's measurements."""
    out = []
    for rule in load_pack(path).pack.rules:
        for measurement in rule.measurements:
            dataset = getattr(measurement, "dataset", None)
            texts = [getattr(measurement, "population", None), getattr(measurement, "condition", None),
                     getattr(measurement, "unknown", None)]
            if getattr(measurement, "response_rate", None) is not None:
                texts.append(measurement.response_rate.population)
            texts += [flag.when for flag in getattr(measurement, "flags", [])]
            out += [(rule.id, dataset, text) for text in texts if text]
    return out


@pytest.mark.parametrize("path", RULES, ids=[path.stem for path in RULES])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_pack_condition_is_said_without_falling_back(path, lang):
    expressions = _pack_expressions(path)
    assert len(expressions) >= 10
    for rule_id, dataset, text in expressions:
        said = cw.words(text, dataset, lang)
        assert said, f"{path.name} {rule_id}: {text}"
        assert "period." not in said and " == " not in said and '"' not in said, (rule_id, said)


def _markdown(lang: str) -> str:
    token = set_language(lang)
    try:
        return render_markdown(build_result(lang))
    finally:
        from dxcheck.messages import _language

        _language.reset(token)


@pytest.mark.parametrize("lang, words, codes", [
    ("vi", ["| Trực tiếp |", "| Đang xử lý |", "| Không hài lòng |"], ["truc_tiep", "dang_xu_ly", "khong_hai_long"]),
    ("en", ["| In person |", "| In progress |", "| Dissatisfied |"], ["truc_tiep", "dang_xu_ly", "khong_hai_long"]),
])
def test_markdown_records_show_words_not_codes(fixture_messages, lang, words, codes):
    report = _markdown(lang)
    for word in words:
        assert word in report
    record_rows = [line for line in report.splitlines() if line.startswith("| ") and "exports/" in line]
    assert record_rows
    for code in codes:
        assert not any(f"| {code} |" in line for line in record_rows), code


def test_markdown_says_the_condition_and_keeps_the_expression_labelled(fixture_messages):
    report = _markdown("vi")
    assert "Điều kiện đạt: Hình thức nộp là Trực tuyến" in report
    assert "Đối tượng tính: Tiếp nhận trong kỳ, không tính hồ sơ đã hủy" in report
    expression_lines = [line for line in report.splitlines() if line.startswith("*Biểu thức:*")]
    assert any('`hinh_thuc_nop == "truc_tuyen"`' in line for line in expression_lines)
    # the rule-language form appears only on its labelled lines
    assert all(line in expression_lines for line in report.splitlines() if "hinh_thuc_nop ==" in line)


@pytest.mark.parametrize("lang, label, said", [
    ("vi", "Biểu thức — Điều kiện đạt", "Hình thức nộp là Trực tuyến"),
    ("en", "Expression — Counted when", "Submission channel is Online"),
])
def test_html_says_the_condition_and_keeps_the_expression_in_the_appendix(fixture_messages, lang, label, said):
    from dxcheck.render.html import render as render_html

    page = render_html(build_result(lang), lang=lang)
    appendix = page.index('<div class="appendix">')
    assert page.index(said) > appendix
    assert label in page[appendix:]
    expression = "hinh_thuc_nop == &#34;truc_tuyen&#34;" if "&#34;" in page else 'hinh_thuc_nop == "truc_tuyen"'
    assert expression in page and page.index(expression) > appendix
    assert "phong_hop_truc_tuyen" not in page[:appendix]
