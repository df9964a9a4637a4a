"""Caps checked before reading, and what dxcheck never does with a workbook (issue #6).

Hostile workbooks are built from literal XML (tests/corpus/make_corpus.py) so that each case is
exactly what it says: a value in XFD1048576, a dimension that lies, cells without references,
a directory that lies about sizes, formulas without saved values, macros, external links.
"""

from __future__ import annotations

import importlib.util
import io
import socket
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from dxcheck.errors import InputError, UsageError
from dxcheck.load import LoadOptions, guard, load_file
from dxcheck.load.limits import DEFAULTS, parse_limit, resolve_limits
from dxcheck.messages import set_language
from dxcheck_synth.report import ReportSheet, write_csv, write_workbook

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "corpus" / "make_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

STAFF = [corpus.STAFF_HEADER, *corpus.STAFF_ROWS]


@pytest.fixture(autouse=True)
def english():
    from dxcheck.messages import _language

    token = set_language("en")
    yield
    _language.reset(token)


@pytest.fixture(autouse=True)
def no_limit_env(monkeypatch):
    for env, _ in DEFAULTS.values():
        monkeypatch.delenv(env, raising=False)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path, options: LoadOptions | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        load_file(path, options)
    assert path.name in str(caught.value)
    return caught.value


def staff_frame(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"Họ và tên": [f"Người {i}" for i in range(n)], "Chức vụ": ["Công chức"] * n,
                         "Đã bồi dưỡng kỹ năng số": ["Có"] * n})


# ----------------------------------------------------------------------------------------------
# the caps and where they come from


def test_defaults_env_and_options_in_that_order(monkeypatch):
    limits = resolve_limits()
    assert (limits.max_rows, limits.max_columns, limits.max_cells) == (2_000_000, 2_000, 50_000_000)
    assert limits.max_unzipped_bytes == limits.max_file_bytes == 2 * 1024**3
    monkeypatch.setenv("DXCHECK_MAX_ROWS", "5k")
    monkeypatch.setenv("DXCHECK_MAX_CELLS", "1_000_000")
    monkeypatch.setenv("DXCHECK_MAX_UNZIPPED_BYTES", "3M")
    limits = resolve_limits()
    assert (limits.max_rows, limits.max_cells, limits.max_unzipped_bytes) == (5_000, 1_000_000, 3_000_000)
    assert LoadOptions(max_rows=7).limits().max_rows == 7


@pytest.mark.parametrize("text", ["", "-1", "0", "lots", "1.5M", "2T"])
def test_a_bad_limit_is_a_usage_error_naming_the_variable(monkeypatch, text):
    if text == "":
        assert parse_limit("12", "X") == 12
        return
    monkeypatch.setenv("DXCHECK_MAX_COLUMNS", text)
    with pytest.raises(UsageError) as caught:
        resolve_limits()
    assert "DXCHECK_MAX_COLUMNS" in str(caught.value)
    with pytest.raises(UsageError):
        LoadOptions(max_rows=0).limits()


def test_file_size_cap(tmp_path):
    path = tmp_path / "can-bo.csv"
    write_csv(path, staff_frame())
    err = refused(path, LoadOptions(max_file_bytes=50))
    assert err.key == "load.too_large" and "DXCHECK_MAX_FILE_BYTES" in str(err)


# ----------------------------------------------------------------------------------------------
# rows, columns, cells: every format


def test_row_cap_in_every_format(tmp_path):
    frame = staff_frame(5)
    write_workbook(tmp_path / "a.xlsx", [ReportSheet("Cán bộ", frame)])
    write_csv(tmp_path / "a.csv", frame)
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_excel(tmp_path / "a.ods", engine="odf", index=False)
    for name in ("a.xlsx", "a.csv", "a.parquet", "a.ods"):
        assert load_file(tmp_path / name).sheets[0].report.rows_used == 5, name
        err = refused(tmp_path / name, LoadOptions(max_rows=4))
        assert err.key == "load.too_many_rows" and "DXCHECK_MAX_ROWS" in str(err), name


def test_column_and_cell_caps(tmp_path):
    path = write(tmp_path, "a.xlsx", corpus.xlsx_bytes([("Cán bộ", corpus.sheet_xml(STAFF))]))
    assert refused(path, LoadOptions(max_columns=2)).key == "load.too_many_columns"
    err = refused(path, LoadOptions(max_cells=10))
    assert err.key == "load.too_many_cells" and "4 rows × 3 columns" in str(err)
    assert load_file(path, LoadOptions(max_cells=12, max_rows=4, max_columns=3)).sheets[0].report.rows_used == 3


def test_many_sheets_count_together(tmp_path):
    sheets = [(f"Trang {i}", corpus.sheet_xml(STAFF)) for i in range(5)]
    path = write(tmp_path, "many.xlsx", corpus.xlsx_bytes(sheets))
    assert len(load_file(path, LoadOptions(max_cells=60)).sheets) == 5  # 5 sheets × 12 cells
    err = refused(path, LoadOptions(max_cells=50))
    assert err.key == "load.too_many_cells_workbook" and "5 sheets" in str(err)


def test_a_far_away_value_is_refused_before_the_reader_sees_it(tmp_path):
    # one value in A1 and one in XFD1048576: the reader would allocate 17 billion cells and abort
    path = write(tmp_path, "far.xlsx", corpus._far_cell())
    assert path.stat().st_size < 5_000
    err = refused(path)
    assert err.key == "load.too_many_columns" and "16384" in str(err) and "Cán bộ" in str(err)


@pytest.mark.parametrize("extra, dimension", [
    ('<row r="900000"><c r="CZ900000"><v>1</v></c></row>', "A1:C4"),             # lying dimension
    ('<row r="1048576"><c r="BZ1048576"><v>1</v></c></row>', None),              # none at all
    ("<row r=\"1048576\"><c r='XFD1048576'><v>1</v></c></row>", "A1:C4"),          # single quotes
    ('<row r="1048576"><c r = "XFD1048576"><v>1</v></c></row>', "A1:C4"),          # spaces
    ('<row r="1048576"><c\nr="XFD1048576"><v>1</v></c></row>', "A1:C4"),          # new line
    ('<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>', "A1:C4"),            # lower case
    ('<row r="1048576"><c r="XfD1048576"><v>1</v></c></row>', "A1:C4"),            # mixed case
    ('<row r="1048576"><c r="$XFD$1048576"><v>1</v></c></row>', "A1:C4"),          # absolute
    ('<row r="1048576"><c r="XFD0001048576"><v>1</v></c></row>', "A1:C4"),         # leading zeros
    ('<row r="1048576"><c r="XFC1048576"/><c><v>1</v></c></row>', "A1:C4"),        # no reference
    ('<row r="1048576"><c s="1" r="XFD1048576"><v>1</v></c></row>', "A1:C4"),      # r not first
    ('<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="1048576">'
     '<x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>', "A1:C4"),                   # another prefix
])
def test_every_way_of_placing_a_far_cell_is_seen(tmp_path, extra, dimension):
    path = write(tmp_path, "x.xlsx", corpus.staff_xlsx(extra_cells=extra, dimension=dimension))
    err = refused(path)
    assert err.key in ("load.too_many_columns", "load.too_many_cells", "load.too_many_rows"), str(err)


def test_xlsb_sheets_are_walked_record_by_record(tmp_path):
    rows = [corpus.STAFF_HEADER, ["Nguyễn Văn An", "Chủ tịch", "Có"], ["Trần Thị Bình", "Công chức", ("#", 0x2A)]]
    loaded = load_file(write(tmp_path, "a.xlsb", corpus.xlsb_bytes(rows)))
    assert loaded.sheets[0].report.rows_used == 2
    (warning,) = loaded.warnings  # the #N/A error cell, read as its text
    assert warning.code == "load.unknown_yes_no" and "“#N/A” ×1 (3)" in warning.message
    assert refused(write(tmp_path, "far.xlsb", corpus._far_cell_xlsb())).key == "load.too_many_columns"
    tall = corpus.xlsb_bytes([corpus.STAFF_HEADER], far=(1_500_000, 40))
    assert refused(write(tmp_path, "tall.xlsb", tall)).key == "load.too_many_cells"


def test_a_prefixed_sheet_reads_as_the_plain_one(tmp_path):
    plain = write(tmp_path, "plain.xlsx", corpus.xlsx_bytes([("Cán bộ", corpus.sheet_xml(STAFF))]))
    prefixed = write(tmp_path, "x.xlsx", corpus.xlsx_bytes([("Cán bộ", corpus.sheet_xml(STAFF, prefix="x"))]))
    a, b = load_file(plain).sheets[0], load_file(prefixed).sheets[0]
    pd.testing.assert_frame_equal(a.data, b.data)
    far = corpus.sheet_xml(STAFF, prefix="x", extra_cells='<x:row r="9"><y:c xmlns:y="http://schemas.'
                           'openxmlformats.org/spreadsheetml/2006/main"/><y:c xmlns:y="http://schemas.'
                           'openxmlformats.org/spreadsheetml/2006/main" r="XFD1048576"><y:v>1</y:v></y:c></x:row>')
    assert refused(write(tmp_path, "far.xlsx", corpus.xlsx_bytes([("Cán bộ", far)]))).key == "load.too_many_columns"


def test_empty_formatted_cells_far_out_are_no_data(tmp_path):
    path = write(tmp_path, "fmt.xlsx", corpus._empty_formatted_columns())
    loaded = load_file(path)
    assert loaded.sheets[0].report.rows_used == 3 and loaded.warnings == []


def test_ordinary_workbooks_take_the_fast_path(tmp_path):
    path = tmp_path / "report.xlsx"
    write_workbook(path, [ReportSheet("Cán bộ", staff_frame(200), group_by="Chức vụ")])
    scan = guard.scan_xlsx(str(path), path.read_bytes(), resolve_limits())
    assert [sheet.exact for sheet in scan.sheets] == [False]
    shipped = HERE.parent / "samples" / "binh-minh" / "ho-so-2026-10.xlsx"
    scan = guard.scan_xlsx(str(shipped), shipped.read_bytes(), resolve_limits())
    assert not any(sheet.exact for sheet in scan.sheets)


def test_wide_csv_lines_are_refused_not_parsed(tmp_path):
    assert refused(write(tmp_path, "wide.csv", corpus._wide_csv())).key == "load.too_many_columns"
    # a ragged line far down (beyond the lines sampled for the width) too
    text = corpus.csv_text(STAFF) * 800 + ";" * 2500 + "x\r\n"
    assert refused(write(tmp_path, "ragged.csv", text.encode())).key == "load.too_many_columns"


def test_parquet_is_measured_from_its_footer(tmp_path):
    path = tmp_path / "a.parquet"
    staff_frame(50).to_parquet(path)
    assert refused(path, LoadOptions(max_rows=10)).key == "load.too_many_rows"
    assert refused(path, LoadOptions(max_unzipped_bytes=100)).key == "load.too_large_unzipped"


def test_ods_repeated_cells_count_as_what_they_expand_to(tmp_path):
    err = refused(write(tmp_path, "rep.ods", corpus._ods_repeated()))
    assert err.key == "load.too_many_cells" and "100001 rows × 1000 columns" in str(err)
    small = corpus.ods_bytes(corpus.ods_row(corpus.STAFF_HEADER) + corpus.ods_row(["A", "B", "Có"], repeat_rows=30))
    assert load_file(write(tmp_path, "ok.ods", small)).sheets[0].report.rows_used == 30
    assert refused(write(tmp_path, "ok2.ods", small), LoadOptions(max_rows=20)).key == "load.too_many_rows"


# ----------------------------------------------------------------------------------------------
# zip bombs and lying directories


def test_declared_size_over_the_cap(tmp_path):
    err = refused(write(tmp_path, "bomb.xlsx", corpus._zip_bomb()))
    assert err.key == "load.too_large_unzipped" and "DXCHECK_MAX_UNZIPPED_BYTES" in str(err)


def test_a_real_deflate_bomb_is_counted_as_it_unpacks(tmp_path):
    padding = " " * 8_000_000  # white space between rows: 8 MB that deflate packs into a few KB
    sheet = corpus.sheet_xml(STAFF).replace(b"</sheetData>", padding.encode() + b"</sheetData>")
    data = corpus.xlsx_bytes([("Cán bộ", sheet)], method=zipfile.ZIP_DEFLATED)
    assert len(data) < 30_000
    path = write(tmp_path, "bomb.xlsx", data)
    assert load_file(path).sheets[0].report.rows_used == 3  # under the default cap it is just a file
    assert refused(path, LoadOptions(max_unzipped_bytes=1_000_000)).key == "load.too_large_unzipped"
    # the directory claims 2 KB: the unpacked bytes beyond it are never trusted
    lying = corpus.declare_size(data, "xl/worksheets/sheet1.xml", 2_000)
    err = refused(write(tmp_path, "lying.xlsx", lying))
    assert err.key == "load.damaged" and "declares" in str(err)


def test_zip_level_encryption_is_named_as_a_password(tmp_path):
    data = bytearray(corpus.staff_xlsx())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + flag_at] |= 1  # "encrypted" bit of the general-purpose flags
            at = data.find(signature, at + 4)
    assert refused(write(tmp_path, "zip-mat-khau.xlsx", bytes(data))).key == "load.encrypted"


def test_too_many_zip_entries(tmp_path):
    parts = [(f"junk/{i}.txt", b"") for i in range(guard.MAX_ZIP_ENTRIES + 1)]
    err = refused(write(tmp_path, "many.xlsx", corpus.zip_bytes([("xl/workbook.xml", b"<workbook/>"), *parts])))
    assert err.key == "load.too_many_parts"


def test_doctype_in_a_workbook_part_is_refused(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')
    data = corpus.xlsx_bytes([("Cán bộ", corpus.sheet_xml(STAFF))])
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            parts.append((info.filename, laughs.encode() if info.filename == "xl/workbook.xml"
                          else archive.read(info)))
    err = refused(write(tmp_path, "dtd.xlsx", corpus.zip_bytes(parts)))
    assert err.key == "load.damaged" and "DOCTYPE" in str(err)


# ----------------------------------------------------------------------------------------------
# formulas, macros, external links: read as saved, never run, never fetched


def test_formula_without_a_saved_value_is_a_warning_naming_the_cells(tmp_path):
    loaded = load_file(write(tmp_path, "f.xlsx", corpus._formula_without_value()))
    (warning,) = loaded.warnings
    assert warning.code == "load.formula_without_value" and warning.sheet == "Cán bộ"
    assert warning.rows == [3, 5] and "C3, C5" in warning.message and "never computes" in warning.message
    # the cell with a saved value is read; the two without are blank (counted as "no")
    assert loaded.sheets[0].data["da_boi_duong_so"].tolist() == [True, False, True, False]


def test_formulas_with_saved_values_are_read_without_a_word(tmp_path):
    rows = [[name, role, ("=", '"Có"', "Có")] for name, role, _ in corpus.STAFF_ROWS]
    loaded = load_file(write(tmp_path, "ok.xlsx", corpus.staff_xlsx(rows)))
    assert loaded.warnings == [] and loaded.sheets[0].data["da_boi_duong_so"].all()


def test_many_formula_cells_are_counted_and_a_few_named(tmp_path):
    rows = [[f"Người {i}", "Công chức", ("=", "1", None)] for i in range(300)]
    loaded = load_file(write(tmp_path, "many.xlsx", corpus.staff_xlsx(rows)))
    (warning,) = loaded.warnings
    assert warning.params["count"] == 300 and "C2, C3" in warning.message and "(+290)" in warning.message


def test_excel_error_cells_are_read_as_their_text_not_as_blank(tmp_path):
    # the reader gives #N/A as an empty cell; a CSV export of the same sheet holds the text
    loaded = load_file(write(tmp_path, "e.xlsx", corpus._excel_errors()))
    rows = [["Nguyễn Văn An", "Chủ tịch", "Có"], ["Trần Thị Bình", "Công chức", "#N/A"],
            ["Lê Văn Cường", "#REF!", "Có"]]
    as_csv = load_file(write(tmp_path, "e.csv", corpus.csv_text([corpus.STAFF_HEADER, *rows]).encode()))
    pd.testing.assert_frame_equal(loaded.sheets[0].data, as_csv.sheets[0].data)
    assert [w.message for w in loaded.warnings] == [w.message for w in as_csv.warnings]
    assert "“#N/A” ×1 (3)" in loaded.warnings[0].message


def test_macros_are_never_run_and_noted(tmp_path):
    for name, data in (("m.xlsm", corpus._macros()), ("m.ods", corpus._ods_macros())):
        loaded = load_file(write(tmp_path, name, data))
        assert loaded.warnings == [] and loaded.sheets[0].report.rows_used == 3
        assert [notice.code for notice in loaded.notices] == ["load.macros_ignored"]
        assert "never run" in loaded.notices[0].message


def test_external_links_are_never_fetched(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("dxcheck tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    loaded = load_file(write(tmp_path, "link.xlsx", corpus._external_link()))
    (warning,) = loaded.warnings
    assert warning.code == "load.external_links" and "tap-huan-2026.xlsx" in warning.message
    assert loaded.sheets[0].data["da_boi_duong_so"].all()  # the values cached in the file


def test_messages_exist_in_both_languages():
    from dxcheck.messages import catalogue

    keys = ["too_large_unzipped", "too_many_parts", "too_many_rows", "too_many_columns", "too_many_cells",
            "too_many_cells_workbook",
            "bad_limit", "formula_without_value", "external_links", "macros_ignored", "unknown_content"]
    for lang in ("vi", "en"):
        for key in keys:
            assert f"load.{key}" in catalogue(lang), (lang, key)


def test_outside_the_fast_bound_but_within_the_caps_is_read(tmp_path):
    # 20,000 records three columns wide, then a note in column AZ: beyond what the first rows
    # promise, so the sheet is walked exactly — 20,002 rows × 52 columns is within the caps
    rows = [[f"Người {i}", "Công chức", "Có"] for i in range(20_000)]
    extra = '<row r="20005"><c r="AZ20005" t="inlineStr"><is><t>ghi chú</t></is></c></row>'
    path = write(tmp_path, "note.xlsx", corpus.staff_xlsx(rows, extra_cells=extra, dimension=None))
    assert path.stat().st_size > 2 * 1024 * 1024
    scan = guard.scan_xlsx(str(path), path.read_bytes(), resolve_limits())
    assert scan.sheets[0].exact and (scan.sheets[0].rows, scan.sheets[0].columns) == (20_005, 52)
    assert load_file(path).sheets[0].report.rows_used == 20_000
    assert refused(path, LoadOptions(max_cells=1_000_000)).key == "load.too_many_cells"


def test_nothing_touches_the_network_from_reading_to_every_report(monkeypatch):
    import dxcheck
    from dxcheck.render import FORMATS, renderer

    def no_network(*args, **kwargs):
        raise AssertionError("dxcheck tried to use the network")

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    samples = HERE.parent / "samples" / "binh-minh"
    result = dxcheck.evaluate([samples], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    assert result.summary.fail > 0
    from dxcheck.render.pdf import find_browser

    for name in FORMATS:
        # the PDF is printed by a browser in a subprocess started with its networking off
        if name != "terminal" and (name != "pdf" or find_browser() is not None):
            assert renderer(name)(result)


def test_a_bad_limit_in_the_environment_stops_the_cli_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DXCHECK_")}, "DXCHECK_MAX_CELLS": "lots"}
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", str(HERE / "corpus" / "xlsx-named.csv"),
                           "--lang", "en"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "dxcheck: DXCHECK_MAX_CELLS='lots' is not a limit: write a whole number above 0, " \
                                  "e.g. 2000000 or 2M."
