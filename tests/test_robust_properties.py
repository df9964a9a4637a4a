"""Property-based tests: generated report-style sheets, and broken files, against invariants.

Sheets are generated the way commune exports vary — banners, header spellings (case, NFD, line
breaks, decoration), column order, an STT column, a row numbering the columns, group rows, blank
rows, a total row, a signature block, junk in yes/no cells — and written as xlsx, CSV and ODS.
Invariants: every record is used and every other row is counted under a reason; the records read
back are the ones written; junk values are reported, exactly; nothing depends on the file format
or the order of the records; and the command line, given broken bytes, never shows a traceback.

Hypothesis runs a fixed number of examples, derandomised, so CI sees the same cases every time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dxcheck
from dxcheck.load import load_file
from dxcheck.packs.loader import load_packs

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "corpus" / "make_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HEADERS = {
    "ho_ten": ["Họ và tên", "Họ tên"],
    "chuc_vu": ["Chức vụ", "Chức danh"],
    "da_boi_duong_so": ["Đã bồi dưỡng kỹ năng số", "Đã tập huấn chuyển đổi số", "Bồi dưỡng kỹ năng số"],
    "co_chu_ky_so": ["Có chữ ký số", "Chữ ký số", "Đã cấp chữ ký số"],
    "co_tai_khoan": ["Có tài khoản", "Tài khoản hệ thống"],
}
BOOLS = ["da_boi_duong_so", "co_chu_ky_so", "co_tai_khoan"]
YES = ["Có", "có", "x", "X", "✓", "1", "Đã cấp", "Rồi"]
NO = ["Không", "0", "Chưa", "-", None]
JUNK = ["không rõ", "??", "#N/A", "đang chờ", "hình như có"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
         "Đặng Văn Hải", "Bùi Thị Lan", "Đỗ Văn Minh", "Ngô Thị Nga", "Dương Văn Phúc", "Lý Thị Quỳnh"]
ROLES = ["Chủ tịch UBND xã", "Phó Chủ tịch", "Công chức Tư pháp - Hộ tịch", "Công chức Văn phòng - Thống kê",
         "Công chức Địa chính", "Công an xã", "Chỉ huy trưởng Quân sự"]
BANNERS = ["ỦY BAN NHÂN DÂN XÃ BÌNH MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
           "DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ", "(Kèm theo Báo cáo số 15/BC-UBND ngày 31/10/2026)",
           "Số: 123/DS-UBND", "Bình Minh, ngày 31 tháng 10 năm 2026"]
GROUPS = ["I. Khối Đảng, đoàn thể", "II. Khối chính quyền", "III. Cán bộ không chuyên trách", "1. Văn phòng",
          "Lĩnh vực: Tư pháp"]
SIGNATURE = [["NGƯỜI LẬP BIỂU", None, "CHỦ TỊCH"], ["(Ký, ghi rõ họ tên)", None, "(Ký tên, đóng dấu)"],
             [None, None, None], ["Nguyễn Thị Lan", None, "Trần Văn Hùng"]]


def cell_values(series: pd.Series) -> list:
    """A loaded column's values with None for a blank text cell (text columns are pandas' string
    dtype, whose blank is NaN)."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.astype(object).where(series.notna(), None).tolist()
    return series.tolist()


@dataclass
class Sheet:
    grid: list[list]          # cells as written (str, int or None), top to bottom
    records: list[dict]       # what the records must read back as
    junk: set[str]            # yes/no spellings that must be reported
    groups: int
    total: bool
    signature_lines: int
    record_rows: list[int]    # where in the grid the records are
    repeated: int             # header rows repeated after a page break
    footer: int               # note lines after the table


def _header_text(text: str, style: int) -> str:
    if style == 1:
        text = text.upper()
    elif style == 2:
        text = unicodedata.normalize("NFD", text)
    elif style == 3:
        text = text.replace(" ", "\n", 1)
    elif style == 4:
        text = f"{text}:"
    elif style == 5:
        text = f"  {text}  (*)"
    return text


def _meaning(spelling) -> bool | None:
    if spelling in YES:
        return True
    if spelling in NO:
        return False
    return None


def _noisy(draw, text: str) -> str:
    """The same text as exports mangle it: padded, doubled spaces, a no-break space."""
    return draw(st.sampled_from([text, f" {text} ", text.replace(" ", "  ", 1), f"{text}\u00a0"]))


@st.composite
def sheets(draw) -> Sheet:
    bools = draw(st.lists(st.sampled_from(BOOLS), min_size=1, max_size=3, unique=True))
    blocks = draw(st.permutations(["ho_ten", "chuc_vu", "BOOLS"]))
    order = [f for block in blocks for f in (bools if block == "BOOLS" else [block])]
    stt = draw(st.booleans())
    note = draw(st.booleans())
    nfd_values = draw(st.booleans())
    two_level = draw(st.booleans())
    labels = [_header_text(draw(st.sampled_from(HEADERS[f])), draw(st.integers(0, 5))) for f in order]
    if two_level:
        # `Kỹ năng số` merged over the yes/no columns; the others span both header rows
        top = [("Kỹ năng số" if f == bools[0] else None) if f in bools else label for f, label in zip(order, labels)]
        bottom = [label if f in bools else None for f, label in zip(order, labels)]
        header = [(["STT"] if stt else []) + top + (["Ghi chú"] if note else []),
                  ([None] if stt else []) + bottom + ([None] if note else [])]
    else:
        header = [(["STT"] if stt else []) + labels + (["Ghi chú"] if note else [])]
    width = len(header[0])
    grid: list[list] = []
    for text in draw(st.lists(st.sampled_from(BANNERS), max_size=4, unique=True)):
        row = [None] * width
        row[draw(st.integers(0, width - 1))] = text
        grid.append(row)
    if grid:
        grid.append([None] * width)
    grid.extend(row[:] for row in header)
    numbering = draw(st.sampled_from([None, "plain", "paren"]))
    if numbering:
        grid.append([j + 1 if numbering == "plain" else f"({j + 1})" for j in range(width)])

    n = draw(st.integers(0, 18))
    positions = st.integers(0, max(n - 1, 0))
    group_at = sorted(draw(st.lists(positions, max_size=3, unique=True))) if n else []
    blank_at = set(draw(st.lists(positions, max_size=3, unique=True))) if n else set()
    page_break_at = set(draw(st.lists(st.integers(1, max(n - 1, 1)), max_size=1))) if n > 2 else set()
    records, junk, groups, record_rows, repeated = [], set(), 0, [], 0
    for i in range(n):
        if i in page_break_at:
            grid.extend(row[:] for row in header)
            repeated += len(header)
        if i in group_at:
            label = GROUPS[groups % len(GROUPS)]
            row = [None] * width
            if stt and label[0] in "IV" and ". " in label:
                row[0], row[1] = label.split(". ", 1)[0], label.split(". ", 1)[1]
            else:
                row[0] = label
            grid.append(row)
            groups += 1
        if i in blank_at:
            grid.append([None] * width)
        values = {"ho_ten": NAMES[i % len(NAMES)], "chuc_vu": draw(st.sampled_from(ROLES))}
        for f in bools:
            values[f] = draw(st.one_of(st.sampled_from(YES), st.sampled_from(NO), st.sampled_from(JUNK)))
        nameless = any(values[f] is not None for f in bools) and draw(st.integers(0, 9)) == 0
        row = [i + 1] if stt else []
        for f in order:
            value = values[f]
            if f == "ho_ten" and nameless:
                value = None
            elif isinstance(value, str):
                value = _noisy(draw, value)
                if nfd_values:
                    value = unicodedata.normalize("NFD", value)
            row.append(value)
        if note:
            row.append(draw(st.sampled_from([None, "Nghỉ phép", "Mới chuyển đến", "ghi chú: 12/2026"])))
        record_rows.append(len(grid))
        grid.append(row)
        expected = {"ho_ten": None if nameless else values["ho_ten"], "chuc_vu": values["chuc_vu"]}
        for f in bools:
            meaning = _meaning(values[f])
            expected[f] = bool(meaning)
            if meaning is None:
                junk.add(values[f])
        records.append(expected)
    total = n > 0 and draw(st.booleans())
    if total:
        row = [None] * width
        row[1 if stt else 0] = "Tổng cộng"
        if stt:
            row[0] = None
        grid.append(row)
    footer = n > 0 and draw(st.booleans())
    if footer:
        grid.append(["Ghi chú: danh sách gồm cán bộ, công chức đang công tác."] + [None] * (width - 1))
    signature_lines = 0
    if n > 0 and draw(st.booleans()):
        grid.append([None] * width)
        for line in SIGNATURE:
            row = (line + [None] * width)[:width] if width >= 3 else [line[0]] + [None] * (width - 1)
            grid.append(row)
            signature_lines += any(cell is not None for cell in row)
    return Sheet(grid, records, junk, groups, total, signature_lines, record_rows, repeated, int(footer))


# ----------------------------------------------------------------------------------------------
# writing one grid in three formats


def _xlsx(grid: list[list]) -> bytes:
    return corpus.xlsx_bytes([("Cán bộ", corpus.sheet_xml(grid, dimension=None))])


def _csv(grid: list[list]) -> bytes:
    rows = [["" if cell is None else str(cell) for cell in row] for row in grid]
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _ods(grid: list[list]) -> bytes:
    from xml.sax.saxutils import escape

    rows = []
    for row in grid:
        cells = []
        for cell in row:
            if cell is None:
                cells.append("<table:table-cell/>")
            elif isinstance(cell, (int, float)):
                cells.append(f'<table:table-cell office:value-type="float" office:value="{cell!r}">'
                             f"<text:p>{cell!r}</text:p></table:table-cell>")
            else:
                cells.append(f'<table:table-cell office:value-type="string"><text:p>{escape(cell)}</text:p>'
                             "</table:table-cell>")
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return corpus.ods_bytes("".join(rows))


WRITERS = {"xlsx": _xlsx, "csv": _csv, "ods": _ods}


def _load(folder: Path, kind: str, grid: list[list]):
    path = folder / f"can-bo.{kind}"
    path.write_bytes(WRITERS[kind](grid))
    return load_file(path)


@cache
def _packs():
    return load_packs(None)


def _results(files) -> list[tuple]:
    result = dxcheck.evaluate(files, packs=_packs(), period="2026-10", timestamp=False)
    return [(r.id, r.status, r.numerator, r.denominator, r.shortfall) for r in result.results]


# ----------------------------------------------------------------------------------------------
# the properties


@SETTINGS
@given(sheets())
def test_rows_add_up_and_records_read_back_in_every_format(sheet: Sheet):
    with tempfile.TemporaryDirectory() as folder:
        loaded = {kind: _load(Path(folder), kind, sheet.grid) for kind in WRITERS}
        reference = None
        for kind, file in loaded.items():
            (item,) = file.sheets
            report = item.report
            assert report.dataset == "can_bo", kind
            # every row below the header is used or counted under a reason
            assert report.rows_used + sum(report.rows_left_out.values()) == report.rows_total, kind
            assert report.rows_used == len(sheet.records), (kind, report.rows_left_out)
            assert report.rows_left_out.get("group", 0) == sheet.groups, (kind, report.rows_left_out)
            assert report.rows_left_out.get("total", 0) == int(sheet.total), (kind, report.rows_left_out)
            assert report.rows_left_out.get("signature", 0) == sheet.signature_lines, (kind, report.rows_left_out)
            assert report.rows_left_out.get("repeated_header", 0) == sheet.repeated, (kind, report.rows_left_out)
            assert report.rows_left_out.get("footer", 0) == sheet.footer, (kind, report.rows_left_out)
            # the records are the ones written
            data = item.data
            for f in sheet.records[0] if sheet.records else []:
                assert cell_values(data[f]) == [record[f] for record in sheet.records], (kind, f)
            # junk yes/no spellings are reported, all of them and nothing else
            reported = set()
            for warning in file.warnings:
                assert warning.code == "load.unknown_yes_no", warning.message
                reported |= {part.split("” ×")[0].lstrip("“") for part in warning.params["values"].split("; ")}
            assert reported == {unicodedata.normalize("NFC", junk) for junk in sheet.junk}, kind
            # and nothing depends on the format
            shape = (report.model_dump(exclude={"sheet"}), data.drop(columns=[]),
                     [(w.code, w.field, w.rows, w.params) for w in file.warnings])
            if reference is None:
                reference = shape
            else:
                assert shape[0] == reference[0], kind
                pd.testing.assert_frame_equal(shape[1], reference[1], obj=kind)
                assert shape[2] == reference[2], kind


@SETTINGS
@given(sheets(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_record_order(sheet: Sheet, random):
    # the records change places; banners, header, group rows, totals and signature stay put
    order = sheet.record_rows[:]
    random.shuffle(order)
    shuffled = sheet.grid[:]
    for at, source in zip(sheet.record_rows, order):
        shuffled[at] = sheet.grid[source]
    with tempfile.TemporaryDirectory() as folder:
        before = _load(Path(folder), "xlsx", sheet.grid)
        after = _load(Path(folder), "csv", shuffled)
        assert before.sheets[0].report.rows_left_out == after.sheets[0].report.rows_left_out
        assert _results([before]) == _results([after])
        assert sorted(w.params["count"] for w in before.warnings) == sorted(w.params["count"] for w in after.warnings)


# ----------------------------------------------------------------------------------------------
# dossiers: dates in every spelling, categories, unknown codes and unreadable dates


DOSSIER_HEADERS = {
    "ma_ho_so": ["Mã hồ sơ", "Số hồ sơ", "Mã biên nhận"],
    "ngay_tiep_nhan": ["Ngày tiếp nhận", "Ngày nhận hồ sơ", "Thời gian tiếp nhận"],
    "ngay_hen_tra": ["Ngày hẹn trả", "Hạn giải quyết", "Hạn xử lý"],
    "hinh_thuc_nop": ["Hình thức nộp", "Kênh nộp"],
    "trang_thai": ["Trạng thái", "Tình trạng hồ sơ"],
}
CHANNELS = {"Trực tuyến": "truc_tuyen", "Nộp trực tuyến": "truc_tuyen", "Qua mạng": "truc_tuyen",
            "Trực tiếp": "truc_tiep", "Tại bộ phận một cửa": "truc_tiep", "Qua dịch vụ BCCI": "buu_chinh",
            "BƯU CHÍNH CÔNG ÍCH": "buu_chinh", None: "truc_tiep"}
STATUSES = {"Đã trả kết quả": "da_tra_ket_qua", "Đã trả KQ": "da_tra_ket_qua", "Đang xử lý": "dang_xu_ly",
            "Chờ bổ sung": "cho_bo_sung", "Trả lại": "tu_choi", "Công dân rút hồ sơ": "rut_ho_so",
            "Đã hủy": "da_huy", "Hoàn thành": "da_xu_ly_xong"}
UNKNOWN_CODES = ["Qua Zalo", "Email", "Lưu trữ", "???", "Không xác định"]
BAD_DATES = ["31/02/2026", "chưa hẹn", "32/10/2026", "10/2026"]
_EPOCH = pd.Timestamp("1899-12-30")


def _date_cell(draw, moment: pd.Timestamp, with_time: bool):
    """One way an export writes a moment: a serial number (a date cell), or text day first / ISO."""
    style = draw(st.sampled_from(["serial", "dmy", "dmy-dash", "iso"]))
    if style == "serial":
        days = (moment - _EPOCH) / pd.Timedelta(days=1)
        return int(days) if days == int(days) else round(days, 8)
    if style == "iso":
        return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    sep = "/" if style == "dmy" else "-"
    return moment.strftime(f"%d{sep}%m{sep}%Y" + (" %H:%M" if with_time else ""))


@dataclass
class DossierSheet:
    grid: list[list]
    expected: dict[str, list]
    unknown: dict[str, set[str]]   # field -> spellings that must be reported


@st.composite
def dossier_sheets(draw) -> DossierSheet:
    order = draw(st.permutations(list(DOSSIER_HEADERS)))
    header = [_header_text(draw(st.sampled_from(DOSSIER_HEADERS[f])), draw(st.integers(0, 5))) for f in order]
    grid = [["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"] + [None] * (len(order) - 1), [None] * len(order), header]
    expected: dict[str, list] = {f: [] for f in order}
    unknown: dict[str, set[str]] = {f: set() for f in order}
    for i in range(draw(st.integers(1, 15))):
        received = pd.Timestamp("2026-10-01 07:00") + pd.Timedelta(minutes=draw(st.integers(0, 30 * 24 * 60)))
        deadline = received.normalize() + pd.Timedelta(days=draw(st.integers(0, 20)))
        values = {"ma_ho_so": f"000.45.22.H26-2610{i:02d}-{draw(st.integers(1, 9999)):04d}-{i}"}
        if draw(st.integers(0, 6)) == 0:
            values["ngay_tiep_nhan"] = bad = draw(st.sampled_from(BAD_DATES))
            unknown["ngay_tiep_nhan"].add(bad)
            expected["ngay_tiep_nhan"].append(pd.NaT)
        else:
            values["ngay_tiep_nhan"] = _date_cell(draw, received, True)
            expected["ngay_tiep_nhan"].append(received)
        values["ngay_hen_tra"] = _date_cell(draw, deadline, False)
        expected["ngay_hen_tra"].append(deadline + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1))
        for field, table in (("hinh_thuc_nop", CHANNELS), ("trang_thai", STATUSES)):
            if draw(st.integers(0, 5)) == 0:
                values[field] = junk = draw(st.sampled_from(UNKNOWN_CODES))
                unknown[field].add(junk)
                expected[field].append(None)
            else:
                values[field] = spelling = draw(st.sampled_from(sorted(table, key=str)))
                expected[field].append(table[spelling])
        expected["ma_ho_so"].append(values["ma_ho_so"])
        grid.append([values[f] for f in order])
    grid.append(["Tổng cộng"] + [None] * (len(order) - 1) if order[0] != "ma_ho_so" else [None] * len(order))
    return DossierSheet(grid, expected, unknown)


@SETTINGS
@given(dossier_sheets())
def test_dossier_values_read_the_same_in_every_format_and_unknowns_are_reported(sheet: DossierSheet):
    with tempfile.TemporaryDirectory() as folder:
        frames = []
        for kind in WRITERS:
            path = Path(folder) / f"ho-so.{kind}"
            path.write_bytes(WRITERS[kind](sheet.grid))
            loaded = load_file(path)
            (item,) = loaded.sheets
            assert item.report.dataset == "ho_so", kind
            data = item.data
            for field, values in sheet.expected.items():
                got = cell_values(data[field])
                if field.startswith("ngay"):
                    assert [pd.Timestamp(v) if pd.notna(v) else pd.NaT for v in got] == values, (kind, field)
                else:
                    assert got == values, (kind, field)
            reported: dict[str, set[str]] = {}
            for warning in loaded.warnings:
                assert warning.code in ("load.unknown_values", "load.unreadable_date"), warning.message
                spellings = {part.split("” ×")[0].lstrip("“") for part in warning.params["values"].split("; ")}
                reported[warning.field] = spellings
            assert reported == {field: values for field, values in sheet.unknown.items() if values}, kind
            frames.append(data)
        for other in frames[1:]:
            pd.testing.assert_frame_equal(other, frames[0])


# ----------------------------------------------------------------------------------------------
# broken bytes: the command line answers with an exit code and a sentence, never a traceback


from test_cli import STAFF_PACK  # noqa: E402 - the one small staff pack the CLI tests use


@cache
def _staff_pack() -> str:
    folder = Path(tempfile.mkdtemp(prefix="dxcheck-pack-"))
    (folder / "pack.yaml").write_text(STAFF_PACK, encoding="utf-8")
    return str(folder / "pack.yaml")


def _cli(path: Path) -> tuple[int, str, str]:
    """`dxcheck evaluate PATH` in this process (as `python -m dxcheck` runs it), with a small pack."""
    from dxcheck import cli

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["dxcheck", "evaluate", str(path), "--rules", _staff_pack(), "--lang", "en", "--format", "json",
                "--no-timestamp"]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main()
                code = 0
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else 2
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def _valid_files() -> dict[str, bytes]:
    grid = [corpus.STAFF_HEADER, *corpus.STAFF_ROWS]
    return {"xlsx": _xlsx(grid), "csv": _csv(grid), "ods": _ods(grid),
            "parquet": _parquet(grid), "xls": (HERE / "corpus" / "html-table.xls").read_bytes()}


def _parquet(grid: list[list]) -> bytes:
    frame = pd.DataFrame(grid[1:], columns=grid[0])
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@st.composite
def broken_files(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["xlsx", "csv", "ods", "parquet", "xls"]))
    data = bytearray(_valid_files_cached()[kind])
    how = draw(st.sampled_from(["truncate", "flip", "splice", "random"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "flip":
        for _ in range(draw(st.integers(1, 20))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
    elif how == "splice":
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(max_size=200))
    else:
        data = bytearray(draw(st.binary(max_size=600)))
    extension = draw(st.sampled_from([kind, "xlsx", "csv", "txt", "xlsm", "dat"]))
    return extension, bytes(data)


@cache
def _valid_files_cached() -> dict[str, bytes]:
    return _valid_files()


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(broken_files())
def test_the_cli_never_shows_a_traceback(case):
    extension, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"tep-hong.{extension}"
        path.write_bytes(data)
        code, out, err = _cli(path)
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        first = err.strip().splitlines()[0]
        assert first.startswith("dxcheck: ") and "tep-hong" in first, err
        assert out == ""


def test_an_unknown_answer_is_not_a_no():
    # found by the properties above: `không rõ` in a yes/no column was read as `không` (no)
    from dxcheck.datasets import dataset
    from dxcheck.load.values import parse_bools

    spec = dataset("can_bo").fields["da_boi_duong_so"]
    cells = pd.Series(["Không", "không rõ", "Chưa xác định", "Chưa cập nhật", "Không biết", "Chưa", "Không ký",
                       "Chưa tham gia", "Đã tham gia"], dtype="string")
    values, bad, _, _ = parse_bools(cells, spec)
    assert values.tolist() == [False, False, False, False, False, False, False, False, True]
    assert sorted(bad.values) == ["Chưa cập nhật", "Chưa xác định", "Không biết", "không rõ"]


def test_the_writers_and_the_in_process_cli_work_on_a_plain_sheet():
    grid = [corpus.STAFF_HEADER, *corpus.STAFF_ROWS]
    with tempfile.TemporaryDirectory() as folder:
        for kind in WRITERS:
            assert _load(Path(folder), kind, grid).sheets[0].report.rows_used == 3, kind
    code, out, err = _cli(HERE / "corpus" / "xlsx-named.csv")
    assert code == 0 and err == "" and '"summary"' in out
