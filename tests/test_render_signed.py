"""The signed page (issue 15): the report opens with what a signer needs — masthead, period,
verdict, results table and the signature block on the first one or two A4 pages — and the evidence
follows as appendices; values and headers are words in the report's language, never codes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxcheck.datasets import dataset, dataset_names
from dxcheck.messages import catalogue
from dxcheck.render import format as fmt
from dxcheck.render import pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [("binh-minh", "binh-minh-2030"), ("hoang-son", "hoang-son-2030")]
SIGNER = {"vi": "NGƯỜI LẬP BIỂU", "en": "PREPARED BY"}
APPENDIX = {"vi": "PHỤ LỤC", "en": "APPENDICES"}


def evaluate(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return done


def category_codes() -> set[str]:
    return {code for name in dataset_names() for spec in dataset(name).fields.values() if spec.type == "category"
            for code in spec.values}


@pytest.mark.skipif(pdf.find_browser() is None or not shutil.which("pdftotext"),
                    reason="needs Chromium and pdftotext (CI installs both)")
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("commune,pack", SAMPLES)
def test_signature_block_is_on_page_one_or_two_and_evidence_follows(tmp_path, commune, pack, lang):
    out = tmp_path / "x.pdf"
    evaluate(f"samples/{commune}", "--rules", pack, "--period", "2026-10", "--lang", lang, "-o", str(out))

    def text(*pages: str) -> str:
        return subprocess.run(["pdftotext", *pages, str(out), "-"], capture_output=True, text=True,
                              check=True).stdout

    signed = text("-f", "1", "-l", "2")
    assert SIGNER[lang] in signed
    # the evidence comes after the signatures, from a page of its own
    assert APPENDIX[lang] not in signed
    whole = text()
    assert whole.index(SIGNER[lang]) < whole.index(APPENDIX[lang])
    assert "SHA-256" in whole[whole.index(APPENDIX[lang]):]


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory) -> dict[tuple[str, str], str]:
    folder = tmp_path_factory.mktemp("html")
    pages = {}
    for commune, pack in SAMPLES:
        for lang in ("vi", "en"):
            out = folder / f"{commune}-{lang}.html"
            evaluate(f"samples/{commune}", "--rules", pack, "--period", "2026-10", "--lang", lang, "-o", str(out))
            pages[commune, lang] = out.read_text(encoding="utf-8")
    return pages


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("commune", [commune for commune, _ in SAMPLES])
def test_no_raw_value_code_in_a_table_cell(sample_html, commune, lang):
    page = sample_html[commune, lang]
    cells = set(re.findall(r"<td[^>]*>([^<]*)</td>", page))
    assert not cells & category_codes()


def test_sample_tables_show_words_in_both_languages(sample_html):
    vi, en = sample_html["binh-minh", "vi"], sample_html["binh-minh", "en"]
    assert '<td class="wrap-word">Một phần</td>' in vi and '<td class="wrap-word">Partly online</td>' in en
    assert "<th>Mức độ DVC</th>" in vi and "<th>Online service level</th>" in en
    assert "<th>muc_do_dvc</th>" not in en


def test_signed_page_comes_before_the_appendices(sample_html):
    page = sample_html["binh-minh", "vi"]
    signatures, appendix = page.index('<table class="signatures"'), page.index('<div class="appendix">')
    assert page.index('<p class="verdict">') < page.index('<table class="data rules signed">') < signatures < appendix
    for evidence in ('class="data small samples"', 'class="data small inputs"', 'class="data small warnings"'):
        assert page.index(evidence) > appendix


def test_every_field_and_code_has_words_in_both_catalogues():
    for lang in ("vi", "en"):
        labels = catalogue(lang)
        for name in dataset_names():
            for field, spec in dataset(name).fields.items():
                assert f"report_formats.field_label.{field}" in labels, (lang, field)
                for code in spec.values:
                    assert f"report_formats.value_label.{field}.{code}" in labels, (lang, field, code)


def test_both_catalogues_hold_the_same_keys_none_blank():
    # format.value_label relies on it: a key missing from one language is missing from the other
    vi, en = catalogue("vi"), catalogue("en")
    assert vi.keys() == en.keys()
    assert [key for key in vi if not vi[key].strip() or not en[key].strip()] == []


def test_value_label_turns_codes_into_words_and_leaves_other_values_alone():
    assert fmt.value_label("ho_so", "muc_do_dvc", "khong", lang="vi") == "Không (cung cấp thông tin)"
    assert fmt.value_label("ho_so", "danh_gia", "binh_thuong", lang="en") == "Neutral"
    assert fmt.value_label("ho_so", "hinh_thuc_nop", "truc_tiep", lang="en") == "In person"
    # the same code in another field keeps that field's meaning; data values pass through
    assert fmt.value_label("ho_so", "ngay_tiep_nhan", "khong", lang="en") == "khong"
    assert fmt.value_label("ho_so", "ma_ho_so", "H-0001", lang="vi") == "H-0001"
    assert fmt.field_label("ho_so", "tien_do", lang="en") == "Timeliness"
    assert fmt.field_label("ho_so", "tien_do", lang="vi") == "Tiến độ"


@pytest.mark.parametrize("unit,expected,other", [("Phường Tân An", "PHƯỜNG TÂN AN", "BÌNH MINH"),
                                                 ("Xã Hòa Lạc", "XÃ HÒA LẠC", "BÌNH MINH")])
def test_a_folder_set_up_by_init_heads_the_report_with_its_own_name(tmp_path, unit, expected, other):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "samples" / "binh-minh", folder)
    done = subprocess.run([sys.executable, "-m", "dxcheck", "init", str(folder), "--commune", unit,
                           "--pack", "binh-minh-2030"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "report.html"
    evaluate(str(folder), "--period", "2026-10", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    masthead = page[page.index('<table class="masthead"'):page.index("</table>", page.index('<table class="masthead"'))]
    assert expected in masthead and other not in masthead


@pytest.mark.skipif(pdf.find_browser() is None or not shutil.which("pdftotext"),
                    reason="needs Chromium and pdftotext (CI installs both)")
def test_with_history_the_values_carry_trend_arrows_and_the_signatures_stay_on_page_two(tmp_path):
    history = tmp_path / "lich-su"
    shutil.copytree(ROOT / "samples" / "lich-su", history)  # a run adds its period to the folder
    out = tmp_path / "x.pdf"
    evaluate("samples/binh-minh", "--rules", "binh-minh-2030", "--period", "2026-10", "--history", str(history),
             "-o", str(out))
    signed = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "2", str(out), "-"], capture_output=True,
                            text=True, check=True).stdout
    assert SIGNER["vi"] in signed and APPENDIX["vi"] not in signed
    assert re.search(r"\d% [↗→↘]", signed)
    assert "Mũi tên bên giá trị" in signed
