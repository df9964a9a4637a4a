"""Every supported file format, format sniffing, and every input error of the loader."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxcheck.errors import InputError, UsageError
from dxcheck.exit_codes import ExitCode
from dxcheck.load import LoadOptions, load_file, load_inputs, parse_mapping
from dxcheck.messages import set_language
from dxcheck_synth.report import (
    ReportSheet,
    write_csv,
    write_plain_xlsx,
    write_workbook,
)

D = dt.datetime


def records() -> pd.DataFrame:
    return pd.DataFrame({
        "Mã hồ sơ": ["000.01.001", "000.01.002", "000.01.003", "000.01.004"],
        "Tên thủ tục": ["Đăng ký khai sinh", "Chứng thực bản sao", "Đăng ký kết hôn", "Cấp bản sao trích lục"],
        "Ngày tiếp nhận": [D(2026, 10, 1, 8, 30), D(2026, 10, 2), D(2026, 10, 3, 14, 5), D(2026, 10, 4, 9, 0)],
        "Ngày hẹn trả": [D(2026, 10, 3), D(2026, 10, 4, 16, 30), D(2026, 10, 8), None],
        "Hình thức nộp": ["Trực tuyến", "Trực tiếp", "Bưu chính công ích", None],
        "Trạng thái": ["Đã trả kết quả", "Đang xử lý", "Đã hủy", "Trả lại"],
        "Đã số hóa": ["Có", "Không", None, "x"],
        "Lệ phí": [8000, 0, 50000.5, None],
    })


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["_row", "_group"]).reset_index(drop=True)


EXPECTED_CHANNEL = ["truc_tuyen", "truc_tiep", "buu_chinh", "truc_tiep"]


def check(frame: pd.DataFrame) -> None:
    assert frame["ma_ho_so"].tolist() == ["000.01.001", "000.01.002", "000.01.003", "000.01.004"]
    assert frame["ngay_tiep_nhan"].tolist() == [
        pd.Timestamp("2026-10-01 08:30"), pd.Timestamp("2026-10-02"), pd.Timestamp("2026-10-03 14:05"),
        pd.Timestamp("2026-10-04 09:00")]
    assert frame["ngay_hen_tra"].iloc[0] == pd.Timestamp("2026-10-03 23:59:59.999999")
    assert frame["ngay_hen_tra"].iloc[1] == pd.Timestamp("2026-10-04 16:30")
    assert pd.isna(frame["ngay_hen_tra"].iloc[3])
    assert frame["hinh_thuc_nop"].tolist() == EXPECTED_CHANNEL
    assert frame["trang_thai"].tolist() == ["da_tra_ket_qua", "dang_xu_ly", "da_huy", "tu_choi"]
    assert frame["so_hoa"].tolist() == [True, False, False, True]
    assert frame["le_phi"].iloc[:3].tolist() == [8000.0, 0.0, 50000.5] and np.isnan(frame["le_phi"].iloc[3])


# ----------------------------------------------------------------------------------------------
# the same records in every shape load to the same frame


def test_same_records_in_report_plain_csv_and_nfd_xlsx_load_equal(tmp_path):
    frame = records()
    report = tmp_path / "report.xlsx"
    write_workbook(report, [ReportSheet("Báo cáo", frame)])
    plain = tmp_path / "plain.xlsx"
    write_plain_xlsx(plain, frame)
    csv_path = tmp_path / "export.csv"
    write_csv(csv_path, frame, encoding="utf-8-sig", sep=";")
    nfd = tmp_path / "nfd.xlsx"
    write_workbook(nfd, [ReportSheet("NFD", frame, nfd_values=True, header_style="nfd", date_mode="text")])
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert unicodedata.normalize("NFD", "Đăng ký") in openpyxl.load_workbook(nfd).active["C11"].value

    frames = {}
    for path in (report, plain, csv_path, nfd):
        loaded = load_file(path)
        (sheet,) = loaded.sheets
        assert sheet.report.dataset == "ho_so", path
        assert loaded.warnings == []
        frames[path.name] = canonical(sheet.data)
    check(frames["report.xlsx"])
    for name, other in frames.items():
        pd.testing.assert_frame_equal(other, frames["report.xlsx"], obj=name)
    assert load_file(plain).sheets[0].report.header_row == 1
    assert load_file(csv_path).sheets[0].data["_row"].tolist() == [2, 3, 4, 5]


# ----------------------------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize("encoding, sep, name", [
    ("utf-8", ",", "utf8-comma.csv"),
    ("utf-8-sig", ";", "bom-semicolon.csv"),
    ("utf-16", "\t", "excel-unicode.txt"),
    ("cp1258", ";", "windows-1258.csv"),
    ("utf-8", "\t", "tab.tsv"),
])
def test_csv_encodings_and_separators_are_detected(tmp_path, encoding, sep, name):
    path = tmp_path / name
    write_csv(path, records(), encoding=encoding, sep=sep)
    loaded = load_file(path)
    assert loaded.kind == "csv" and loaded.separator == sep
    (sheet,) = loaded.sheets
    assert sheet.report.dataset == "ho_so" and sheet.report.header_row == 1
    assert sheet.report.sheet == path.stem
    check(sheet.data)
    assert all(unicodedata.is_normalized("NFC", v) for v in sheet.data["ten_thu_tuc"])


def test_windows_1258_bytes_are_really_windows_1258(tmp_path):
    path = tmp_path / "w.csv"
    write_csv(path, records(), encoding="cp1258")
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert load_file(path).encoding == "cp1258"


def test_csv_overrides_for_encoding_and_separator(tmp_path):
    path = tmp_path / "x.csv"
    write_csv(path, records(), encoding="cp1258", sep="|")
    loaded = load_file(path, LoadOptions(encoding="cp1258", sep="|"))
    check(loaded.sheets[0].data)
    with pytest.raises(InputError) as err:
        load_file(path, LoadOptions(encoding="utf-8"))
    assert "x.csv" in str(err.value) and "utf-8" in str(err.value)
    with pytest.raises(UsageError) as err:  # checked with the options, before any file is read
        LoadOptions(encoding="klingon")
    assert "klingon" in str(err.value)


def test_csv_with_banner_lines_and_decimal_commas(tmp_path):
    text = (
        "UBND XÃ HOÀNG SƠN\n"
        "BÁO CÁO CHỈ TIÊU\n"
        "\n"
        "STT;Chỉ tiêu;Giá trị;Kỳ\n"
        "1;vneid;\"86,5\";2026-10\n"
        "2;cashless;81,25 %;2026-10\n"
        ";Tổng cộng;;\n"
    )
    path = tmp_path / "chi_tieu.csv"
    path.write_text(text, encoding="utf-8")
    sheet = load_file(path).sheets[0]
    assert sheet.report.dataset == "chi_tieu" and sheet.report.header_row == 4
    assert sheet.report.rows_left_out == {"total": 1}
    assert sheet.data["gia_tri"].tolist() == [86.5, 81.25]
    assert sheet.data["_row"].tolist() == [5, 6]


# ----------------------------------------------------------------------------------------------
# Parquet, xls, ods


def test_parquet(tmp_path):
    frame = pd.DataFrame({
        "Mã hồ sơ": ["000.01.001", "000.01.002", "000.01.003", "000.01.004"],
        "Tên thủ tục": records()["Tên thủ tục"],
        "Ngày tiếp nhận": pd.to_datetime(["2026-10-01 08:30", "2026-10-02", "2026-10-03 14:05", "2026-10-04 09:00"], format="ISO8601"),
        "Ngày hẹn trả": pd.to_datetime(["2026-10-03", "2026-10-04 16:30", "2026-10-08", None], format="ISO8601"),
        "Hình thức nộp": ["Trực tuyến", "Trực tiếp", "Bưu chính công ích", None],
        "Trạng thái": ["Đã trả kết quả", "Đang xử lý", "Đã hủy", "Trả lại"],
        "Đã số hóa": [True, False, None, True],
        "Lệ phí": [8000.0, 0.0, 50000.5, None],
    })
    path = tmp_path / "ho_so.parquet"
    frame.to_parquet(path)
    loaded = load_file(path)
    assert loaded.kind == "parquet"
    sheet = loaded.sheets[0]
    assert sheet.report.dataset == "ho_so" and sheet.report.header_row == 0
    assert sheet.report.rows_total == 4 and sheet.report.rows_used == 4
    check(sheet.data)
    assert sheet.data["_row"].tolist() == [1, 2, 3, 4]


def test_xls(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Ho so")
    ws.write(0, 0, "ỦY BAN NHÂN DÂN XÃ HOÀNG SƠN")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY HH:MM")
    frame = records()
    for j, name in enumerate(frame.columns):
        ws.write(2, j, name)
    for i, row in enumerate(frame.itertuples(index=False), start=3):
        for j, value in enumerate(row):
            if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
                continue
            if isinstance(value, (pd.Timestamp, dt.datetime)):
                ws.write(i, j, value.to_pydatetime() if isinstance(value, pd.Timestamp) else value, date_style)
            else:
                ws.write(i, j, value.item() if hasattr(value, "item") else value)
    path = tmp_path / "old.xls"
    book.save(str(path))
    loaded = load_file(path)
    assert loaded.kind == "xls"
    assert loaded.sheets[0].report.header_row == 3
    check(loaded.sheets[0].data)


def test_ods(tmp_path):
    import odf  # noqa: F401 - pandas writes .ods through odfpy

    path = tmp_path / "ho_so.ods"
    records().to_excel(path, engine="odf", index=False, sheet_name="Hồ sơ")
    loaded = load_file(path)
    assert loaded.kind == "ods"
    check(loaded.sheets[0].data)


def test_wrong_extension_still_loads_by_content(tmp_path):
    path = tmp_path / "really_xlsx.csv"
    write_plain_xlsx(path, records())
    loaded = load_file(path)
    assert loaded.kind == "xlsx"
    check(loaded.sheets[0].data)
    path2 = tmp_path / "really_csv.dat"
    write_csv(path2, records())
    check(load_file(path2).sheets[0].data)


def test_folder_means_every_supported_file_sorted(tmp_path):
    write_csv(tmp_path / "b.csv", records())
    write_plain_xlsx(tmp_path / "a.xlsx", records())
    (tmp_path / "notes.md").write_text("not data")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    files = load_inputs([tmp_path])
    assert [f.path.rsplit("/", 1)[-1] for f in files] == ["a.xlsx", "b.csv"]


# ----------------------------------------------------------------------------------------------
# errors: InputError, the file named, a way to fix it


def error_of(path, **kwargs) -> InputError:
    with pytest.raises(InputError) as err:
        load_file(path, **kwargs)
    assert err.value.exit_code == ExitCode.INPUT_ERROR
    return err.value


def test_missing_file(tmp_path):
    err = error_of(tmp_path / "khong-co.xlsx")
    assert err.key == "load.file_missing"
    assert "khong-co.xlsx" in str(err) and "Không tìm thấy" in str(err)


def test_folder_with_no_supported_files(tmp_path):
    (tmp_path / "readme.txt.bak").write_text("x")
    with pytest.raises(InputError) as err:
        load_inputs([tmp_path])
    assert err.value.key == "load.folder_empty" and str(tmp_path) in str(err.value)


def test_truncated_workbook(tmp_path):
    good = tmp_path / "good.xlsx"
    write_plain_xlsx(good, records())
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(good.read_bytes()[:1500])
    err = error_of(bad)
    assert err.key == "load.damaged" and "cut.xlsx" in str(err) and "hỏng" in str(err)


def test_damaged_zip_members(tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<<<not xml")
    err = error_of(path)
    assert err.key in ("load.damaged", "load.damaged_sheet") and "broken.xlsx" in str(err)


def test_encrypted_workbook(tmp_path):
    # an OLE compound file holding an EncryptedPackage stream is what Excel writes for a
    # password-protected .xlsx
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00") + \
        "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(header + directory + b"\x00" * 1024)
    err = error_of(path)
    assert err.key == "load.encrypted" and "mat-khau.xlsx" in str(err) and "mật khẩu" in str(err)


def test_pdf_renamed_xlsx(tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    err = error_of(path)
    assert err.key == "load.not_spreadsheet" and "PDF" in str(err) and "bao-cao.xlsx" in str(err)


def test_text_renamed_xlsx(tmp_path):
    path = tmp_path / "ghi-chu.xlsx"
    path.write_text("Đây là một ghi chú, không phải bảng tính.\n", encoding="utf-8")
    err = error_of(path)
    assert err.key == "load.text_not_workbook" and "ghi-chu.xlsx" in str(err) and ".csv" in str(err)


def test_html_saved_as_xls_is_read_as_its_table(tmp_path):
    # tests/test_load_html.py covers web pages in depth
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>Mã hồ sơ</td></tr></table></body></html>", encoding="utf-8")
    err = error_of(path)
    assert err.key == "load.not_recognised" and "export.xls" in str(err)
    path.write_text("<html><body><p>Không có dữ liệu</p></body></html>", encoding="utf-8")
    err = error_of(path)
    assert err.key == "load.html_no_table" and "export.xls" in str(err) and "trang web" in str(err)


def test_empty_workbook_and_empty_csv(tmp_path):
    path = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.create_sheet("Sheet2")
    wb.save(path)
    err = error_of(path)
    assert err.key == "load.empty_workbook" and "empty.xlsx" in str(err)
    csv_path = tmp_path / "empty.csv"
    csv_path.write_text("\n\n", encoding="utf-8")
    assert error_of(csv_path).key == "load.empty_file"


def test_no_sheet_recognised_lists_each_sheet_and_how_to_fix(tmp_path):
    path = tmp_path / "la.xlsx"
    write_workbook(path, [
        ReportSheet("Danh sách", pd.DataFrame({"Mã hồ sơ": ["A"], "Ghi chú": ["x"], "Người nộp": ["B"]})),
        ReportSheet("Trống trơn", pd.DataFrame({"Cột 1": [1], "Cột 2": [2]}), banner=False),
    ])
    err = error_of(path)
    text = str(err)
    assert err.key == "load.not_recognised"
    assert "la.xlsx" in text and "Danh sách" in text and "Trống trơn" in text
    assert "ho_so" in text and "ngay_tiep_nhan" in text
    assert "dxcheck inspect" in text and "--map" in text
    token = set_language("en")
    try:
        english = str(err)
    finally:
        from dxcheck.messages import _language

        _language.reset(token)
    assert "closest is ho_so" in english and "missing:" in english
    # inspect can still look at such a file
    loaded = load_file(path, require_dataset=False)
    assert [s.report.dataset for s in loaded.sheets] == [None, None]
    assert loaded.sheets[0].report.runner_up == "ho_so"
    assert loaded.sheets[0].report.rows_left_out == {"unrecognised_sheet": loaded.sheets[0].report.rows_total}


def test_library_errors_never_escape(tmp_path):
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 20 + b"PAR1")
    err = error_of(path)
    assert err.key == "load.damaged" and "x.parquet" in str(err)


# ----------------------------------------------------------------------------------------------
# --map and --mapping


def test_parse_mapping_pairs_and_file(tmp_path):
    mapping_file = tmp_path / "cot.yaml"
    mapping_file.write_text(
        "ma_ho_so: Mã số\nho_so:\n  ngay_hen_tra: Hạn trả\n  le_phi: Tiền\n", encoding="utf-8")
    mapping = parse_mapping(["ngay_tiep_nhan=Ngày nhận HS", "ma_ho_so = Số HS"], str(mapping_file))
    assert mapping == {"ma_ho_so": "Số HS", "ho_so.ngay_hen_tra": "Hạn trả", "ho_so.le_phi": "Tiền",
                       "ngay_tiep_nhan": "Ngày nhận HS"}


@pytest.mark.parametrize("pairs, key, words", [
    (["ma_ho_so"], "load.map_bad_pair", ["ma_ho_so", "TRƯỜNG="]),
    (["=Mã"], "load.map_bad_pair", ["=Mã"]),
    (["khong_co=Mã"], "load.map_unknown_field", ["khong_co", "ma_ho_so"]),
    (["ho_so.khong_co=Mã"], "load.map_unknown_field", ["ho_so.khong_co"]),
    (["xyz.ma=Mã"], "load.map_unknown_dataset", ["xyz", "ho_so"]),
])
def test_parse_mapping_errors(pairs, key, words):
    with pytest.raises(UsageError) as err:
        parse_mapping(pairs, None)
    assert err.value.key == key
    for word in words:
        assert word in str(err.value)


def test_mapping_file_errors(tmp_path):
    with pytest.raises(UsageError) as err:
        parse_mapping([], str(tmp_path / "none.yaml"))
    assert err.value.key == "load.mapping_file_missing" and "none.yaml" in str(err.value)
    bad = tmp_path / "bad.yaml"
    bad.write_text("ma_ho_so: [\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        parse_mapping([], str(bad))
    assert err.value.key == "load.mapping_file_invalid" and "bad.yaml" in str(err.value)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        parse_mapping([], str(wrong))
    assert err.value.key == "load.mapping_file_invalid"


def test_really_encrypted_xlsx(tmp_path):
    from msoffcrypto.format import ooxml

    plain = tmp_path / "plain.xlsx"
    write_plain_xlsx(plain, records())
    path = tmp_path / "locked.xlsx"
    with open(plain, "rb") as src, open(path, "wb") as out:
        ooxml.OOXMLFile(src).encrypt("matkhau", out)
    err = error_of(path)
    assert err.key == "load.encrypted" and "locked.xlsx" in str(err)


def test_three_decimals_stored_as_a_number_versus_vietnamese_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Chỉ tiêu", "Giá trị"])
    ws.append(["vneid", 85.125])          # a number cell: 85.125
    ws.append(["so_luot", "1.250"])       # Vietnamese text: 1250
    ws.append(["cashless", "81,5"])
    path = tmp_path / "ct.xlsx"
    wb.save(path)
    data = load_file(path).sheets[0].data
    assert data["gia_tri"].tolist() == [85.125, 1250.0, 81.5]


_CELLS = st.sampled_from(["", " ", "a", "Xã Bình Minh", "1.234", '"q;uoted"', "x\ny", "Nguyễn", "  pad  ", "—"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=0, max_size=6), min_size=1, max_size=25), st.sampled_from([";", ",", "\t"]))
def test_csv_reader_keeps_every_record_in_place_ragged_or_not(tmp_path_factory, records, sep):
    """Arrow sets short and long lines aside and they are put back where they were: the grid is
    the one Python's csv module reads (cells trimmed, blanks as NaN, trailing blank rows dropped)."""
    import csv
    import io

    from dxcheck.load.formats import read_csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(records)
    data = ("Ủy ban nhân dân\n" + buffer.getvalue()).encode("utf-8")
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    expected = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=sep))
    width = max(len(row) for row in expected)
    grid = [[(cell.strip() or None) for cell in row + [""] * (width - len(row))] for row in expected]
    while grid and all(cell is None for cell in grid[-1]):
        grid.pop()
    sheet = read_csv(path, data, None, sep).sheets[0]
    got = [[None if pd.isna(column.iat[i]) else column.iat[i] for column in sheet.columns] for i in range(sheet.height)]
    assert got == grid
    assert sheet.row_numbers.tolist() == list(range(1, len(grid) + 1))


def test_workbook_rewritten_while_it_is_read_is_reported(tmp_path, monkeypatch):
    # the guard measures the bytes, the reader opens the file: if the file is replaced in
    # between (a sync client, an export still being written), the read is refused
    import os

    from dxcheck.load import formats

    path = tmp_path / "ho-so.xlsx"
    write_plain_xlsx(path, records())
    assert load_file(path).sheets[0].report.dataset == "ho_so"  # unchanged: read from the file
    choose_source = formats._reader_source

    def rewrite_after_measuring(file, data):
        source, stamp = choose_source(file, data)
        os.utime(file, ns=(stamp[1] + 10**9, stamp[1] + 10**9))
        return source, stamp

    monkeypatch.setattr(formats, "_reader_source", rewrite_after_measuring)
    err = error_of(path)
    assert err.key == "load.changed_while_reading" and "ho-so.xlsx" in str(err)


def test_windows_1258_text_found_only_after_the_first_64_kb(tmp_path):
    # a legacy file that is plain ASCII for a long while (past the 64 KB sniffed for the separator)
    # is still read as Windows-1258, not with replacement marks
    from dxcheck_synth.report import encode_cp1258

    lines = ["Mã hồ sơ;Chủ hồ sơ"] + [f"H{i:05d};abc" for i in range(8000)] + ["H99999;Nguyễn Văn Ánh"]
    path = tmp_path / "legacy.csv"
    path.write_bytes(encode_cp1258("\n".join(lines)))
    assert path.stat().st_size > 65536
    from dxcheck.load.formats import read_csv

    result = read_csv(path, path.read_bytes(), None, None)
    assert result.encoding == "cp1258"
    assert unicodedata.normalize("NFC", result.sheets[0].columns[1].iloc[-1]) == "Nguyễn Văn Ánh"


def test_a_file_without_quotes_is_read_as_one_with_them(tmp_path):
    """Without a double quote no line break can be inside a value, so Arrow splits the file at
    every line break: the grid must be the one the quote-aware read gives, CRLF included."""
    from dxcheck.load.formats import _read_csv_arrow, read_csv

    lines = ["Ủy ban nhân dân xã Bình Minh", "Mã hồ sơ;Ngày tiếp nhận;Trạng thái", "HS-1;05/10/2026;Đã trả",
             "HS-2;;Đang xử lý", "Tổng: 2", ";;", "Người lập biểu"]
    data = "\r\n".join(lines).encode("utf-8") + b"\r\n"
    plain = _read_csv_arrow(data, ";", 3, None, "x.csv", "x", quoted=False)
    aware = _read_csv_arrow(data, ";", 3, None, "x.csv", "x", quoted=True)
    assert [c.to_pylist() for c in plain] == [c.to_pylist() for c in aware]
    sheet = read_csv(tmp_path / "x.csv", data, None, ";").sheets[0]
    assert sheet.height == 7  # the blank ";;" row is kept in place; the final line break adds none
    assert sheet.columns[2].iat[2] == "Đã trả" and sheet.columns[0].iat[6] == "Người lập biểu"
