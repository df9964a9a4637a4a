"""The layouts real one-stop systems and official forms produce, as a test corpus.

One entry per layout in `LAYOUTS`: where it comes from (`source`, see docs/real-layouts.md), its
header exactly as printed (levels joined by ` › `), which dxcheck field each column feeds, the
value spellings it uses, the report furniture (banner, numbering row, groups, subtotals, repeated
page header, total, signature) and the rules its data can or cannot answer. Adding a layout is
adding one entry here.

Records are generated deterministically (`dxcheck_synth.records.dossiers`, igate style) and then
decoded back to canonical codes *by this module* (`canonical_records`: a reverse of the
generator's own spellings, not dxcheck's vocabulary), so the true figures (`truth`) are computed
from the records as written, with REFERENCE §4's definitions re-implemented here, never with
dxcheck's code. `write(layout, path, fmt)` writes a layout as xlsx (openpyxl, merged multi-level
headers), and as the CSV and .xls that Excel's "Save as" makes of that sheet (same grid).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from dxcheck_synth import records as rec
from dxcheck_synth.report import ReportSheet, SheetRows, write_workbook

PERIOD = "2026-10"
P_START = pd.Timestamp("2026-10-01 00:00:00")
P_END = pd.Timestamp("2026-10-31 23:59:59.999999")
SEP = " › "
#: xlsx; the CSV and .xls Excel's "Save as" makes of it; and the HTML table saved as .xls that a
#: portal's "Xuất Excel" button downloads (exportTableToExcel.js of the Thanh Hóa system)
FORMATS = ("xlsx", "csv", "xls", "html-xls")

# ----------------------------------------------------------------------------------------------
# canonical records, decoded with the generator's own spelling tables (independent of dxcheck)

_IG = rec._IGATE  # the style the records are generated in
_REV = {
    "hinh_thuc_nop": {v: k for k, v in _IG.channel.items()},
    "muc_do_dvc": {v: k for k, v in _IG.level.items()},
    "trang_thai": {v: k for k, v in _IG.status.items()},
    "tien_do": {v: k for k, v in _IG.progress.items()},
    "danh_gia": {v: k for k, v in _IG.ratings.items() if v},
}


@cache
def canonical_records(n: int = 900, seed: int = 12, commune: str = "Hoàng Sơn", prefix: str = "H56.22") -> pd.DataFrame:
    """Dossiers of October 2026 with canonical codes, plus the register's extra facts: hand-over
    date (`ngay_tra`), submission time (`ngay_nop`), copies, address and phone."""
    frame = rec.dossiers(n, PERIOD, seed=seed, style="igate", commune=commune, code_prefix=prefix)
    by_header = {v: k for k, v in _IG.dossier_headers.items()}
    c = frame.rename(columns=by_header)
    for name, table in _REV.items():
        c[name] = c[name].map(lambda v, t=table: None if v is None or (isinstance(v, float) and np.isnan(v))
                              else t[v])
    c["danh_gia"] = c["danh_gia"].fillna("chua_danh_gia")
    c["so_hoa"] = c["so_hoa"].eq(_IG.digitized[0])
    c["tai_su_dung"] = c["tai_su_dung"].eq("Có")
    c["ket_qua_dien_tu"] = c["ket_qua_dien_tu"].eq(_IG.yes)
    c["thanh_toan_truc_tuyen"] = c["thanh_toan_truc_tuyen"].eq(_IG.paid[0])
    rng = np.random.default_rng(seed + 1000)
    size = len(c)
    # the hand-over: the citizen collects a returned result 0-6 days after it is ready, sometimes
    # after the deadline (on-time must not use it: REFERENCE §3.1)
    returned = c["trang_thai"].eq("da_tra_ket_qua") & c["ngay_co_ket_qua"].notna()
    delay = pd.to_timedelta(rng.integers(0, 7, size), unit="D") + pd.to_timedelta(rng.integers(10, 300, size),
                                                                                    unit="m")
    c["ngay_tra"] = (c["ngay_co_ket_qua"] + delay).where(returned)
    # online dossiers are submitted before they are received (evenings, weekends)
    online = c["hinh_thuc_nop"].eq("truc_tuyen")
    early = pd.to_timedelta(rng.integers(20, 60 * 40, size), unit="m")
    c["ngay_nop"] = (c["ngay_tiep_nhan"] - early).where(online, c["ngay_tiep_nhan"])
    c["so_luong"] = rng.choice([1, 1, 1, 2], size)
    c["dia_chi"] = [f"Thôn {t}, xã {commune}" for t in rng.choice(["Đông", "Tây", "Nam", "Bắc", "Trung"], size)]
    c["so_dien_thoai"] = [f"09{x:08d}" for x in rng.integers(0, 10**8, size)]
    return c.reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# values as written


def _as_written(values: pd.Series, fmt: str | None, deadline: bool = False) -> pd.Series:
    """What a reader gets back from a date column written with strftime `fmt` (None: real dates
    to the minute). A deadline with no time of day means the end of that day (REFERENCE §3)."""
    out = pd.to_datetime(values)
    if fmt is None or "%M" in fmt:
        out = out.dt.floor("min")
    else:
        out = out.dt.normalize()
    if deadline:
        midnight = out.notna() & (out == out.dt.normalize())
        out = out.where(~midnight, out + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1))
    return out


def _dates(fmt: str | None) -> Callable[[pd.Series], pd.Series]:
    """Cell values of a date column: real dates (fmt None) or text."""
    def render(values: pd.Series) -> pd.Series:
        if fmt is None:
            return pd.to_datetime(values).dt.floor("min")
        return pd.to_datetime(values).map(lambda t: None if pd.isna(t) else t.strftime(fmt))
    return render


def _vn_int(n: int) -> str:
    """1234 -> `1.234` (Vietnamese thousands separator)."""
    return f"{int(n):,}".replace(",", ".")


def _vn_pct(num: int, den: int) -> str:
    """A share as portals print it: `97,29` (blank denominators print `0`)."""
    return "0" if not den else f"{100 * num / den:.2f}".replace(".", ",")


# ----------------------------------------------------------------------------------------------
# the layout description


@dataclass(frozen=True)
class Column:
    header: str  # levels joined by " › ", exactly as printed
    field: str | None  # the dxcheck field it feeds (None: not one of dxcheck's fields)
    value: Callable[[pd.DataFrame], pd.Series]  # canonical rows -> cell values


@dataclass(frozen=True)
class Layout:
    name: str
    dataset: str
    source: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[], pd.DataFrame]  # one canonical row per record written
    sheet: dict[str, Any] = field(default_factory=dict)  # ReportSheet options
    #: rule id -> key of `truth()` whose numerator/denominator dxcheck must give exactly
    exact: dict[str, str] = field(default_factory=dict)
    #: rules the layout's data cannot answer: they must be `no_data`
    no_data: tuple[str, ...] = ()
    #: per test aspect (`recognised`, `rows`, `exact`, `no_data`, `metamorphic`, or `format:csv` …):
    #: what dxcheck still lacks; the test is then an expected failure naming it
    needs: dict[str, str] = field(default_factory=dict)
    #: the figures, from the records as written (REFERENCE §4, re-implemented here)
    truth: Callable[[pd.DataFrame], dict[str, tuple[int, int]]] = lambda rows: {}
    #: unit rows (Decision 766 pages): column holding the unit name
    unit_column: str | None = None

    def frame(self) -> pd.DataFrame:
        rows = self.rows()
        return pd.DataFrame({c.header: c.value(rows).reset_index(drop=True) for c in self.columns})

    @property
    def fields(self) -> dict[str, str]:
        return {c.header: c.field for c in self.columns if c.field}


# ----------------------------------------------------------------------------------------------
# truth: REFERENCE §4, written out again


#: the system's verdicts that mean on time: early, on time, and (for open dossiers) within the deadline
_ON_TIME_VERDICTS = ("truoc_han", "dung_han", "trong_han")


def _ratio(den: pd.Series, num: pd.Series) -> tuple[int, int]:
    return int((den & num).sum()), int(den.sum())


def dossier_truth(rows: pd.DataFrame, *, result: str | None = "ngay_co_ket_qua", channel: bool,
                  date_fmt: str | None, verdict: bool = False) -> dict[str, tuple[int, int]]:
    """on-time (and online when the layout has a channel) over the rows as written."""
    tn = _as_written(rows["ngay_tiep_nhan"], date_fmt)
    ht = _as_written(rows["ngay_hen_tra"], date_fmt, deadline=True)
    status = rows["trang_thai"] if "trang_thai" in rows else pd.Series(None, index=rows.index, dtype=object)
    not_cancelled = status.ne("da_huy")
    out: dict[str, tuple[int, int]] = {}
    if result is not None:
        kq = _as_written(rows[result], date_fmt)
        handled = not_cancelled & tn.notna() & (tn <= P_END) & (kq.isna() | (kq >= P_START))
        finished = kq.notna() & (kq <= P_END)
        on_time = ht.isna() | (finished & (kq <= ht)) | (~finished & (ht >= P_END))
        if verdict:  # the layout carries the system's own progress verdict
            said = rows["tien_do"]
            on_time = said.isin(_ON_TIME_VERDICTS) | (said.isna() & on_time)
        out["on_time"] = _ratio(handled, on_time)
    if channel:
        received = not_cancelled & (tn >= P_START) & (tn <= P_END)
        out["online"] = _ratio(received, rows["hinh_thuc_nop"].eq("truc_tuyen"))
    return out


def stats_truth(rows: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """The statistics form's own arithmetic (REFERENCE §3.2): on time = early + on time + open
    within the deadline, over done + open; online = online ÷ new receipts."""
    return {
        "on_time": (int((rows["truoc_han"] + rows["dung_han"] + rows["dang_trong_han"]).sum()),
                    int((rows["da_giai_quyet"] + rows["dang_giai_quyet"]).sum())),
        "online": (int(rows["truc_tuyen"].sum()),
                   int((rows["truc_tuyen"] + rows["truc_tiep"] + rows["buu_chinh"]).sum())),
    }


def document_truth(rows: pd.DataFrame) -> dict[str, tuple[int, int]]:
    issued = (rows["ngay_ban_hanh"] >= P_START) & (rows["ngay_ban_hanh"] <= P_END)
    return {"signed": _ratio(issued & ~rows["do_mat"], rows["ky_so"])}


# ----------------------------------------------------------------------------------------------
# aggregation of dossiers into statistics rows (the forms' definitions, REFERENCE §3.2)

def statistics_rows(c: pd.DataFrame, by: str = "linh_vuc") -> pd.DataFrame:
    """handled(P) dossiers counted per `by`: new receipts by channel, carried over, finished
    early / on time / late, open within / past the deadline."""
    tn, kq = c["ngay_tiep_nhan"], c["ngay_co_ket_qua"]
    ht = c["ngay_hen_tra"]
    c = c[c["trang_thai"].ne("da_huy") & (tn <= P_END) & (kq.isna() | (kq >= P_START))]
    tn, kq, ht = c["ngay_tiep_nhan"], c["ngay_co_ket_qua"], c["ngay_hen_tra"]
    finished = kq.notna() & (kq <= P_END)
    by_dates = ht.isna() | (finished & (kq <= ht)) | (~finished & (ht >= P_END))
    verdict = c["tien_do"]
    on_time = verdict.isin(_ON_TIME_VERDICTS) | (verdict.isna() & by_dates)
    early = verdict.eq("truoc_han") | (verdict.isna() & by_dates & ht.notna() & (kq.dt.normalize() < ht.dt.normalize()))
    new = tn >= P_START
    ch = c["hinh_thuc_nop"]
    parts = pd.DataFrame({
        by: c[by],
        "truc_tuyen": new & ch.eq("truc_tuyen"),
        "truc_tiep": new & ~ch.isin(["truc_tuyen", "buu_chinh"]),
        "buu_chinh": new & ch.eq("buu_chinh"),
        "ky_truoc": ~new,
        "truoc_han": finished & on_time & early,
        "dung_han": finished & on_time & ~early,
        "qua_han": finished & ~on_time,
        "dang_trong_han": ~finished & on_time,
        "dang_qua_han": ~finished & ~on_time,
    })
    out = parts.groupby(by, sort=True).sum().astype(np.int64).reset_index()
    out["tiep_nhan"] = out[["truc_tuyen", "truc_tiep", "buu_chinh", "ky_truoc"]].sum(axis=1)
    out["da_giai_quyet"] = out[["truoc_han", "dung_han", "qua_han"]].sum(axis=1)
    out["dang_giai_quyet"] = out[["dang_trong_han", "dang_qua_han"]].sum(axis=1)
    return out


#: the statistics forms count a busier commune (some cells reach 1.234)
STATS_DOSSIERS = (3000, 13)


@cache
def _stats_by_field() -> pd.DataFrame:
    return statistics_rows(canonical_records(*STATS_DOSSIERS))


UNITS = (("Xã Hoàng Sơn", 11, "H56.22"), ("Xã Bình Minh", 23, "H56.31"), ("Phường Đông Sơn", 37, "H56.40"))


@cache
def _unit_dossiers() -> pd.DataFrame:
    parts = []
    for name, seed, prefix in UNITS:
        c = canonical_records(400, seed, name.split(" ", 1)[1], prefix).copy()
        c["don_vi"] = name
        parts.append(c)
    return pd.concat(parts, ignore_index=True)


@cache
def _stats_by_unit() -> pd.DataFrame:
    out = statistics_rows(_unit_dossiers(), by="don_vi")
    order = {name: i for i, (name, _, _) in enumerate(UNITS)}
    return out.sort_values("don_vi", key=lambda s: s.map(order)).reset_index(drop=True)


def _col(name: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda rows: rows[name]


def _const(value: Any) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda rows: pd.Series([value] * len(rows), index=rows.index, dtype=object)


# ----------------------------------------------------------------------------------------------
# the layouts

BM = "binh-minh-2030/"
HS = "hoang-son-2030/"
#: ho_so rules that need a field none of the registers or lists below carry (channel, level,
#: digitisation, e-result, reuse, fee/payment, rating)
_DOSSIER_ONLY = (
    HS + "online-submission", HS + "full-online-processing", HS + "satisfaction", HS + "digitized",
    BM + "online-dossiers", BM + "online-processing", BM + "online-payment-transactions", BM + "digitized",
    BM + "electronic-results", BM + "data-reuse", BM + "satisfaction", BM + "digitized-results",
)
_ON_TIME = {BM + "on-time": "on_time", HS + "on-time": "on_time"}
_ONLINE = {HS + "online-submission": "online", BM + "online-dossiers": "online", BM + "online-processing": "online"}
#: rules measured only on dossier lists (no statistics-form measurement)
_DOSSIER_LIST_ONLY = (
    HS + "full-online-processing", HS + "satisfaction", HS + "digitized", BM + "online-payment-transactions",
    BM + "digitized", BM + "electronic-results", BM + "data-reuse", BM + "satisfaction", BM + "digitized-results",
    BM + "time-reduction",
)


# ---- 1. Thông tư 01/2018/TT-VPCP, Mẫu số 06: Sổ theo dõi hồ sơ --------------------------------
_G06 = "Nhận và trả kết quả" + SEP
_MAU06_DATE = None  # kept in Excel by a clerk: real dates, shown `05/10/2026 08:30`


def _register_rows() -> pd.DataFrame:
    c = canonical_records()
    # the register lists the dossiers the one-stop desk received; cancelled entries are struck out
    return c[c["trang_thai"].ne("da_huy")].sort_values("ngay_tiep_nhan", kind="stable").reset_index(drop=True)


MAU_06 = Layout(
    name="tt01-2018-mau06-so-theo-doi",
    dataset="ho_so",
    source="Thông tư 01/2018/TT-VPCP, Mẫu số 06 (Sổ theo dõi hồ sơ) — column list as given in issue 12 / "
           "REFERENCE §3; the official text itself was not found in the searchable sources",
    title="SỔ THEO DÕI HỒ SƠ",
    columns=(
        Column("Mã hồ sơ", "ma_ho_so", _col("ma_ho_so")),
        Column("Tên TTHC", "ten_thu_tuc", _col("ten_thu_tuc")),
        Column("Số lượng hồ sơ (bộ)", None, _col("so_luong")),
        Column("Tên cá nhân, tổ chức", None, _col("chu_ho_so")),
        Column("Địa chỉ, số điện thoại", None, lambda r: r["dia_chi"] + ", " + r["so_dien_thoai"]),
        Column("Cơ quan chủ trì giải quyết", "don_vi", _col("don_vi")),
        Column(_G06 + "Ngày, tháng, năm nhận hồ sơ", "ngay_tiep_nhan", lambda r: _dates(_MAU06_DATE)(r["ngay_tiep_nhan"])),
        Column(_G06 + "Ngày, tháng, năm hẹn trả kết quả", "ngay_hen_tra", lambda r: _dates(_MAU06_DATE)(r["ngay_hen_tra"])),
        Column(_G06 + "Ngày, tháng, năm nhận kết quả từ cơ quan giải quyết", "ngay_co_ket_qua",
               lambda r: _dates(_MAU06_DATE)(r["ngay_co_ket_qua"])),
        Column(_G06 + "Ngày, tháng, năm trả kết quả cho cá nhân, tổ chức", "ngay_tra",
               lambda r: _dates(_MAU06_DATE)(r["ngay_tra"])),
        Column(_G06 + "Ký nhận", None, _const(None)),
        Column("Ghi chú", None, _const(None)),
    ),
    rows=_register_rows,
    sheet=dict(numbered_row="paren", total_row=False, repeat_header_every=250,
               period_line="(Từ ngày 01/10/2026 đến ngày 31/10/2026)", issuer=("UBND XÃ HOÀNG SƠN", "BỘ PHẬN MỘT CỬA")),
    exact=_ON_TIME,
    no_data=_DOSSIER_ONLY,
    needs={},
    truth=lambda rows: dossier_truth(rows, channel=False, date_fmt=_MAU06_DATE),
)

# ---- 2. a provincial system's register: "Sổ theo dõi tình hình tiếp nhận hồ sơ TTHC" ----------
_TH_REPO = "github.com/HuanVu201/DichVuCong_KhoaLuan_PASETO"
_TH_TIME = "%H:%M, %d/%m/%Y"  # FORMAT_TIME = "HH:mm, DD/MM/YYYY" (quantri_client/src/data/constant.ts)
_TH_DATETIME = "%d/%m/%Y %H:%M:%S"  # FORMAT_DATE = "DD/MM/YYYY HH:mm:ss"

SO_THEO_DOI_TINH = Layout(
    name="thanh-hoa-so-theo-doi-tiep-nhan",
    dataset="ho_so",
    source=_TH_REPO + " quantri_client/src/features/thongKe/ThongKeTheoDonVi/components/SoTheoDoiHoSo.tsx",
    title="SỔ THEO DÕI TÌNH HÌNH TIẾP NHẬN HỒ SƠ TTHC",
    columns=(
        Column("Mã hồ sơ", "ma_ho_so", _col("ma_ho_so")),
        Column("Nội dung hồ sơ", None, _col("ten_thu_tuc")),
        Column("Số lượng (bộ)", None, _col("so_luong")),
        Column("Họ tên chủ hồ sơ", None, _col("chu_ho_so")),
        Column("Địa chỉ chủ hồ sơ", None, _col("dia_chi")),
        Column("Số điện thoại", None, _col("so_dien_thoai")),
        Column("Ngày, tháng, năm" + SEP + "Nhận hồ sơ", "ngay_tiep_nhan", lambda r: _dates(_TH_TIME)(r["ngay_tiep_nhan"])),
        Column("Ngày, tháng, năm" + SEP + "Hẹn trả kết quả", "ngay_hen_tra", lambda r: _dates(_TH_TIME)(r["ngay_hen_tra"])),
        Column("Trả kết quả" + SEP + "Ngày nhận kết quả", "ngay_tra", lambda r: _dates(_TH_TIME)(r["ngay_tra"])),
        Column("Trả kết quả" + SEP + "Bên giao (Ký tên)", None, _const(None)),
        Column("Trả kết quả" + SEP + "Bên nhận (Ký tên)", None, _const(None)),
        Column("Người nhận hồ sơ", None, _const("Lê Thị Hoa")),
        Column("Địa bàn phát sinh hồ sơ", None, _const("Xã Hoàng Sơn - Huyện Hoằng Hóa - Tỉnh Thanh Hóa")),
        Column("Ghi chú", None, _const(None)),
    ),
    rows=_register_rows,
    sheet=dict(numbered_row=None, total_row=False, issuer=("UBND XÃ HOÀNG SƠN",),
               period_line="(Từ ngày 01/10/2026 đến ngày 31/10/2026)"),
    exact={},
    # the only result-like date is the hand-over date: on-time cannot be measured (REFERENCE §3.1)
    no_data=_DOSSIER_ONLY + (BM + "on-time", HS + "on-time"),
    needs={},
    truth=lambda rows: {},
)

# ---- 3. a provincial system's dossier list export with its status words -----------------------
_TH_STATUS = {  # quantri_client/src/features/hoso/data/formData.ts TRANGTHAIHOSO
    "da_tra_ket_qua": "Đã trả kết quả", "da_xu_ly_xong": "Đã xử lý xong", "dang_xu_ly": "Đang xử lý",
    "cho_bo_sung": "Yêu cầu bổ sung giấy tờ", "tam_dung": "Dừng xử lý", "tu_choi": "Không được tiếp nhận",
    "rut_ho_so": "Công dân yêu cầu rút hồ sơ",
}


def _list_rows() -> pd.DataFrame:
    c = _register_rows().copy()
    # the system's own alternation of words for one code
    rng = np.random.default_rng(5)
    c["trang_thai_text"] = c["trang_thai"].map(_TH_STATUS)
    open_ = c["trang_thai"].eq("dang_xu_ly")
    c.loc[open_ & (rng.random(len(c)) < 0.4), "trang_thai_text"] = "Được tiếp nhận"
    paused = c["trang_thai"].eq("tam_dung")
    c.loc[paused & (rng.random(len(c)) < 0.5), "trang_thai_text"] = "Yêu cầu thực hiện nghĩa vụ tài chính"
    # "Không được tiếp nhận": refused at the desk, never received, no result
    refused = c["trang_thai"].eq("tu_choi")
    c.loc[refused, ["ngay_tiep_nhan", "ngay_co_ket_qua"]] = pd.NaT
    return c


DS_HO_SO_TINH = Layout(
    name="thanh-hoa-danh-sach-ho-so",
    dataset="ho_so",
    source=_TH_REPO + " quantri_client/src/features/hoSoTheoBaoCaoTongHop/exportElements/XuatDanhSachHoSo.tsx "
           "(statuses: quantri_client/src/features/hoso/data/formData.ts)",
    title="DANH SÁCH HỒ SƠ",
    columns=(
        Column("Đơn vị tiếp nhận", "don_vi", _const("UBND xã Hoàng Sơn")),
        Column("Người tiếp nhận", None, _const("Lê Thị Hoa")),
        Column("Tên thủ tục hành chính", "ten_thu_tuc", _col("ten_thu_tuc")),
        Column("Mã hồ sơ", "ma_ho_so", _col("ma_ho_so")),
        Column("Trạng thái", "trang_thai", _col("trang_thai_text")),
        Column("Địa chỉ", None, _col("dia_chi")),
        Column("Chủ hồ sơ", None, _col("chu_ho_so")),
        Column("Ngày nộp hồ sơ", None, lambda r: _dates(_TH_DATETIME)(r["ngay_nop"])),
        Column("Ngày nhận", "ngay_tiep_nhan", lambda r: _dates(_TH_DATETIME)(r["ngay_tiep_nhan"])),
        Column("Ngày hẹn trả", "ngay_hen_tra", lambda r: _dates(_TH_DATETIME)(r["ngay_hen_tra"])),
        Column("Ngày kết thúc xử lý", "ngay_co_ket_qua", lambda r: _dates(_TH_DATETIME)(r["ngay_co_ket_qua"])),
    ),
    rows=_list_rows,
    sheet=dict(numbered_row=None, total_row=False, signature=False, banner=True, period_line=None,
               issuer=("UBND XÃ HOÀNG SƠN",), title="DANH SÁCH HỒ SƠ"),
    exact=_ON_TIME,
    no_data=_DOSSIER_ONLY,
    needs={},
    truth=lambda rows: dossier_truth(rows, channel=False, date_fmt=_TH_DATETIME),
)

# ---- 4. Thông tư 01/2020/TT-VPCP, Biểu II.06a (official form, four header levels) -------------
_N = "Số hồ sơ nhận giải quyết" + SEP
_K = "Kết quả giải quyết" + SEP
_D = _K + "Số hồ sơ đã giải quyết" + SEP
_O = _K + "Số hồ sơ đang giải quyết" + SEP


def _stats_rows_named() -> pd.DataFrame:
    rows = _stats_by_field().copy()
    rows["linh_vuc_text"] = rows["linh_vuc"]
    rows["dung_truoc_han"] = rows["truoc_han"] + rows["dung_han"]
    rows["truc_tiep_buu_chinh"] = rows["truc_tiep"] + rows["buu_chinh"]
    rows["cap"] = "Cấp xã"  # the form groups its lĩnh vực rows by level ("theo cấp")
    return rows


BIEU_II_06A = Layout(
    name="tt01-2020-bieu-ii06a",
    dataset="thong_ke",
    source="Thông tư 01/2020/TT-VPCP, Biểu II.06a — header words as given in issue 12 / REFERENCE §3.2; "
           "the official text itself was not found in the searchable sources (its renderings by a "
           "provincial system are layout 5)",
    title="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
    columns=(
        Column("cap", None, _col("cap")),
        Column("Lĩnh vực, công việc giải quyết theo cấp", "linh_vuc", _col("linh_vuc_text")),
        Column(_N + "Tổng số", "tiep_nhan", _col("tiep_nhan")),
        Column(_N + "Trong đó" + SEP + "Số mới tiếp nhận" + SEP + "Trực tuyến", "truc_tuyen", _col("truc_tuyen")),
        Column(_N + "Trong đó" + SEP + "Số mới tiếp nhận" + SEP + "Trực tiếp, dịch vụ bưu chính", "truc_tiep_buu_chinh",
               _col("truc_tiep_buu_chinh")),
        Column(_N + "Trong đó" + SEP + "Số kỳ trước chuyển qua", "ky_truoc", _col("ky_truoc")),
        Column(_D + "Tổng số", "da_giai_quyet", _col("da_giai_quyet")),
        Column(_D + "Trả đúng thời hạn (trước hạn + đúng hạn)", "dung_truoc_han", _col("dung_truoc_han")),
        Column(_D + "Trả quá hạn", "qua_han", _col("qua_han")),
        Column(_O + "Tổng số", "dang_giai_quyet", _col("dang_giai_quyet")),
        Column(_O + "Chưa đến hạn", "dang_trong_han", _col("dang_trong_han")),
        Column(_O + "Quá hạn", "dang_qua_han", _col("dang_qua_han")),
        Column("Ghi chú", None, _const(None)),
    ),
    rows=_stats_rows_named,
    sheet=dict(stt_label="TT", numbered_row="paren", group_by="cap", drop_group_column=True, subtotal_label="Cộng",
               total_label="Tổng số", number_format="#,##0",
               form_code="Biểu số II.06a/VPCP/KSTT", unit_note="Đơn vị tính: Số hồ sơ TTHC",
               title="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"),
    exact={**_ON_TIME, **_ONLINE},
    no_data=_DOSSIER_LIST_ONLY,
    needs={},
    truth=lambda rows: {
        "on_time": (int((rows["dung_truoc_han"] + rows["dang_trong_han"]).sum()),
                    int((rows["da_giai_quyet"] + rows["dang_giai_quyet"]).sum())),
        "online": (int(rows["truc_tuyen"].sum()), int((rows["truc_tuyen"] + rows["truc_tiep_buu_chinh"]).sum())),
    },
)

# ---- 5. the same form as a provincial system renders it (3 levels, groups by cấp) ---------------


def _stats_rows_by_level() -> pd.DataFrame:
    rows = _stats_rows_named()
    rows["cap"] = "Xã, phường, thị trấn"
    return rows


BIEU_06_CAC_CAP = Layout(
    name="thanh-hoa-bao-cao-06-cac-cap",
    dataset="thong_ke",
    source=_TH_REPO + " quantri_client/src/features/thongKe/ThongKeTheoDonVi/components/BaoCaoTongHop06CacCap.tsx",
    title="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
    columns=(
        Column("cap", None, _col("cap")),
        Column("Lĩnh vực, công việc giải quyết theo cấp", "linh_vuc", _col("linh_vuc_text")),
        Column(_N + "Tổng số", "tiep_nhan", _col("tiep_nhan")),
        Column(_N + "Trong đó" + SEP + "Trực tuyến", "truc_tuyen", _col("truc_tuyen")),
        Column(_N + "Trong đó" + SEP + "Trực tiếp, dịch vụ bưu chính", "truc_tiep_buu_chinh", _col("truc_tiep_buu_chinh")),
        Column(_N + "Từ kỳ trước", "ky_truoc", _col("ky_truoc")),
        Column("Số hồ sơ đã giải quyết" + SEP + "Tổng số", "da_giai_quyet", _col("da_giai_quyet")),
        Column("Số hồ sơ đã giải quyết" + SEP + "Trước hạn", "truoc_han", _col("truoc_han")),
        Column("Số hồ sơ đã giải quyết" + SEP + "Đúng hạn", "dung_han", _col("dung_han")),
        Column("Số hồ sơ đã giải quyết" + SEP + "Quá hạn", "qua_han", _col("qua_han")),
        Column("Số lượng hồ sơ đang giải quyết" + SEP + "Tổng số", "dang_giai_quyet", _col("dang_giai_quyet")),
        Column("Số lượng hồ sơ đang giải quyết" + SEP + "Trong hạn", "dang_trong_han", _col("dang_trong_han")),
        Column("Số lượng hồ sơ đang giải quyết" + SEP + "Quá hạn", "dang_qua_han", _col("dang_qua_han")),
    ),
    rows=_stats_rows_by_level,
    sheet=dict(stt_label="STT", numbered_row="plain", group_by="cap", drop_group_column=True, group_style="merged",
               total_label="Tổng số", unit_note="Đơn vị tính: Số hồ sơ TTHC", issuer=("UBND XÃ HOÀNG SƠN",),
               title="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"),
    exact={**_ON_TIME, **_ONLINE},
    no_data=_DOSSIER_LIST_ONLY,
    needs={},
    truth=stats_truth,
)

# ---- 5b. the same system's Biểu 06a by unit ------------------------------------------------------
_SL_DA = "Số lượng hồ sơ đã giải quyết" + SEP
_SL_DANG = "Số lượng hồ sơ đang giải quyết" + SEP


def _unit_rows_06a() -> pd.DataFrame:
    rows = _stats_by_unit().copy()
    rows["truc_tiep_buu_chinh"] = rows["truc_tiep"] + rows["buu_chinh"]
    return rows


BIEU_06A_DON_VI = Layout(
    name="thanh-hoa-bao-cao-06a-don-vi",
    dataset="thong_ke",
    source=_TH_REPO + " quantri_client/src/features/thongKe/ThongKeTheoDonVi/components/BaoCaoTongHop06a.tsx",
    title="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
    columns=(
        Column("Đơn vị", "don_vi", _col("don_vi")),
        Column(_N + "Tổng số", "tiep_nhan", _col("tiep_nhan")),
        Column(_N + "Trong kỳ" + SEP + "Trực tuyến", "truc_tuyen", _col("truc_tuyen")),
        Column(_N + "Trong kỳ" + SEP + "Trực tiếp, dịch vụ bưu chính", "truc_tiep_buu_chinh", _col("truc_tiep_buu_chinh")),
        Column(_N + "Kỳ trước", "ky_truoc", _col("ky_truoc")),
        Column(_SL_DA + "Tổng số", "da_giai_quyet", _col("da_giai_quyet")),
        Column(_SL_DA + "Trước hạn", "truoc_han", _col("truoc_han")),
        Column(_SL_DA + "Đúng hạn (Bao gồm cả hồ sơ trả lại/xin rút)", "dung_han", _col("dung_han")),
        Column(_SL_DA + "Quá hạn", "qua_han", _col("qua_han")),
        Column(_SL_DANG + "Tổng số", "dang_giai_quyet", _col("dang_giai_quyet")),
        Column(_SL_DANG + "Đúng hạn (Bao gồm cả hồ sơ chờ BS)", "dang_trong_han", _col("dang_trong_han")),
        Column(_SL_DANG + "Quá hạn", "dang_qua_han", _col("dang_qua_han")),
    ),
    rows=_unit_rows_06a,
    sheet=dict(numbered_row="plain", issuer=("UBND HUYỆN HOẰNG HÓA",), total_label="Tổng số",
               title="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"),
    exact={**_ON_TIME, **_ONLINE},
    no_data=_DOSSIER_LIST_ONLY,
    needs={},
    truth=stats_truth,
    unit_column="Đơn vị",
)

# ---- 6. Decision 766 page: "Theo dõi tiến độ giải quyết", one row per unit ---------------------
_766 = "Đánh giá tỷ lệ" + SEP


def _unit_rows() -> pd.DataFrame:
    rows = _stats_by_unit().copy()
    rows["ma_dinh_danh"] = ["000.22.56.H56", "000.31.56.H56", "000.40.56.H56"][: len(rows)]
    rows["ok_done"] = rows["truoc_han"] + rows["dung_han"]
    return rows


def _pct(num: str | tuple[str, ...], den: str | tuple[str, ...]) -> Callable[[pd.DataFrame], pd.Series]:
    nums = (num,) if isinstance(num, str) else num
    dens = (den,) if isinstance(den, str) else den
    return lambda r: pd.Series([_vn_pct(sum(int(r[n].iloc[i]) for n in nums), sum(int(r[d].iloc[i]) for d in dens))
                                for i in range(len(r))], index=r.index, dtype=object)


TIEN_DO_766 = Layout(
    name="qd766-tien-do-giai-quyet",
    dataset="thong_ke",
    source=_TH_REPO + " quantri_client/src/features/thongKe/thongKeQD766/components/TienDoGiaiQuyet.tsx",
    title="THEO DÕI TIẾN ĐỘ GIẢI QUYẾT - THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTg ngày 23/06/2022",
    columns=(
        Column("Mã định danh", None, _col("ma_dinh_danh")),
        Column("Tên đơn vị", "don_vi", _col("don_vi")),
        Column("Tỷ lệ giải quyết của Đơn vị (%)", None, _pct(("ok_done", "dang_trong_han"), ("da_giai_quyet", "dang_giai_quyet"))),
        Column(_N + "Tổng số", "tiep_nhan", _col("tiep_nhan")),
        Column(_N + "Trong đó" + SEP + "Số mới tiếp nhận trực tuyến", "truc_tuyen", _col("truc_tuyen")),
        Column(_N + "Trong đó" + SEP + "Số kỳ trước chuyển qua", "ky_truoc", _col("ky_truoc")),
        Column(_N + "Trong đó" + SEP + "Số mới tiếp nhận trực tiếp", "truc_tiep", _col("truc_tiep")),
        Column(_N + "Trong đó" + SEP + "Số mới tiếp nhận qua BCCI", "buu_chinh", _col("buu_chinh")),
        Column(_K + "Số hồ sơ đã giải quyết" + SEP + "Tổng số", "da_giai_quyet", _col("da_giai_quyet")),
        Column(_K + "Số hồ sơ đã giải quyết" + SEP + "HS Đã xử lý đúng hạn", "dung_truoc_han", _col("ok_done")),
        Column(_K + "Số hồ sơ đã giải quyết" + SEP + "HS Đã xử lý quá hạn", "qua_han", _col("qua_han")),
        Column(_K + "Số hồ sơ đang giải quyết" + SEP + "Tổng số", "dang_giai_quyet", _col("dang_giai_quyet")),
        Column(_K + "Số hồ sơ đang giải quyết" + SEP + "HS Đang xử lý đúng hạn", "dang_trong_han", _col("dang_trong_han")),
        Column(_K + "Số hồ sơ đang giải quyết" + SEP + "HS Đang xử lý quá hạn trên Cổng DVC QG", "dang_qua_han",
               _col("dang_qua_han")),
        Column("TỔNG - Kết quả giải quyết", None, lambda r: r["da_giai_quyet"] + r["dang_giai_quyet"]),
        Column(_766 + "Tỷ lệ hồ sơ đã giải quyết" + SEP + "Tỷ lệ HS Đã xử lý đúng hạn (%)", None, _pct("ok_done", "da_giai_quyet")),
        Column(_766 + "Tỷ lệ hồ sơ đã giải quyết" + SEP + "Tỷ lệ HS Đã xử lý quá hạn (%)", None, _pct("qua_han", "da_giai_quyet")),
        Column(_766 + "Tỷ lệ hồ sơ đang giải quyết" + SEP + "Tỷ lệ HS Đang xử lý đúng hạn (%)", None,
               _pct("dang_trong_han", "dang_giai_quyet")),
        Column(_766 + "Tỷ lệ hồ sơ đang giải quyết" + SEP + "Tỷ lệ HS Đang xử lý quá hạn (%)", None,
               _pct("dang_qua_han", "dang_giai_quyet")),
        Column(_766 + "Tỷ lệ nộp hồ sơ" + SEP + "Tỷ lệ trực tuyến (%)", None,
               _pct("truc_tuyen", ("truc_tuyen", "truc_tiep", "buu_chinh"))),
        Column(_766 + "Tỷ lệ nộp hồ sơ" + SEP + "Tỷ lệ trực tiếp (%)", None,
               _pct("truc_tiep", ("truc_tuyen", "truc_tiep", "buu_chinh"))),
        Column(_766 + "Tỷ lệ nộp hồ sơ" + SEP + "Tỷ lệ nộp BCCI (%)", None,
               _pct("buu_chinh", ("truc_tuyen", "truc_tiep", "buu_chinh"))),
    ),
    rows=_unit_rows,
    sheet=dict(numbering=[f"({i})" for i in range(1, 4)] + ["(4)", "(5) = (6) + (7) + (8)+(9)", "(6)", "(7)", "(8)",
                                                            "(9)", "(10) = (11) + (12)", "(11)", "(12)",
                                                            "(13) = (14) + (15)", "(14)", "(15)", "(16) = (10) + (13)",
                                                            "(17)", "(18)", "(19)", "(20)", "(21)", "(22)", "(23)"],
               banner=True, issuer=("UBND HUYỆN HOẰNG HÓA",), total_row=True, total_label="Tổng số",
               title="THEO DÕI TIẾN ĐỘ GIẢI QUYẾT - THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTg ngày 23/06/2022"),
    exact={**_ON_TIME, **_ONLINE},
    no_data=_DOSSIER_LIST_ONLY,
    needs={},
    truth=lambda rows: {
        "on_time": (int((rows["ok_done"] + rows["dang_trong_han"]).sum()),
                    int((rows["da_giai_quyet"] + rows["dang_giai_quyet"]).sum())),
        "online": (int(rows["truc_tuyen"].sum()), int((rows["truc_tuyen"] + rows["truc_tiep"] + rows["buu_chinh"]).sum())),
    },
    unit_column="Tên đơn vị",
)

# ---- 7./8. Decision 766 pages: online payment, digitisation (per unit) --------------------------


def _payment_rows() -> pd.DataFrame:
    c = _unit_dossiers()
    received = c["trang_thai"].ne("da_huy") & (c["ngay_tiep_nhan"] >= P_START) & (c["ngay_tiep_nhan"] <= P_END)
    fee = received & (c["le_phi"].fillna(0) > 0)
    g = pd.DataFrame({"don_vi": c["don_vi"], "fee": fee, "paid": fee & c["thanh_toan_truc_tuyen"],
                      "received": received, "digitized": received & c["so_hoa"],
                      "reuse": received & c["tai_su_dung"]})
    out = g.groupby("don_vi", sort=False).sum().astype(np.int64).reset_index()
    out["ma_dinh_danh"] = ["000.22.56.H56", "000.31.56.H56", "000.40.56.H56"][: len(out)]
    completed = (c["trang_thai"].isin(["da_tra_ket_qua", "da_xu_ly_xong"]) & (c["ngay_co_ket_qua"] >= P_START)
                 & (c["ngay_co_ket_qua"] <= P_END))
    done = pd.DataFrame({"don_vi": c["don_vi"], "done": completed, "result_digitized": completed & c["ket_qua_dien_tu"]})
    out = out.merge(done.groupby("don_vi", sort=False).sum().astype(np.int64).reset_index(), on="don_vi")
    return out


THANH_TOAN_766 = Layout(
    name="qd766-thanh-toan-truc-tuyen",
    dataset="thong_ke",
    source=_TH_REPO + " quantri_client/src/features/thongKe/thongKeQD766/components/ThanhToanTrucTuyen.tsx",
    title="THEO DÕI CHỈ TIÊU THANH TOÁN TRỰC TUYẾN - THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTG NGÀY 23/06/2022",
    columns=(
        Column("Mã định danh", None, _col("ma_dinh_danh")),
        Column("Tên đơn vị", "don_vi", _col("don_vi")),
        Column("Tổng HS có nghĩa vụ tài chính", None, _col("fee")),
        Column("Thanh toán trực tuyến trên Cổng DVC Quốc gia" + SEP + "Số HS đã TTTT cổng DVC QG", None, _col("paid")),
        Column("Thanh toán trực tuyến trên Cổng DVC Quốc gia" + SEP + "Tỷ lệ TTTT cổng DVC QG (%)", None,
               _pct("paid", "fee")),
        Column("Thanh toán trực tuyến trên Cổng DVC Quốc gia" + SEP + "Tỷ lệ TT trực tiếp (%)", None,
               lambda r: pd.Series([_vn_pct(int(f - p), int(f)) for f, p in zip(r["fee"], r["paid"])], index=r.index)),
    ),
    rows=_payment_rows,
    sheet=dict(numbered_row=None, issuer=("UBND HUYỆN HOẰNG HÓA",), total_label="Tổng số", signature=False,
               title="THEO DÕI CHỈ TIÊU THANH TOÁN TRỰC TUYẾN - THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTG NGÀY 23/06/2022"),
    exact={BM + "online-payment-transactions": "online_payment"},
    no_data=(),
    needs={},
    truth=lambda rows: {"online_payment": (int(rows["paid"].sum()), int(rows["fee"].sum()))},
    unit_column="Tên đơn vị",
)

_SH = "Số hóa hồ sơ TTHC khi tiếp nhận" + SEP
_SK = "Số hóa kết quả giải quyết" + SEP

SO_HOA_766 = Layout(
    name="qd766-so-hoa",
    dataset="thong_ke",
    source=_TH_REPO + " quantri_client/src/features/thongKe/thongKeQD766/components/ChiTieuSoHoa.tsx",
    title="THEO DÕI MỨC ĐỘ SỐ HÓA CÁC ĐƠN VỊ - THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTG",
    columns=(
        Column("Đơn vị", "don_vi", _col("don_vi")),
        Column("Tiếp nhận", None, _col("received")),
        Column(_SH + "Chưa số hóa TPHS", None, lambda r: r["received"] - r["digitized"]),
        Column(_SH + "Có số hóa TPHS", None, _col("digitized")),
        Column(_SH + "Có tái sử dụng thành phần", None, _col("reuse")),
        Column(_SH + "Có tái sử dụng thành phần từ cổng DVC quốc gia", None, _const(0)),
        Column(_SH + "Tỷ lệ số hóa TPHS", None, _pct("digitized", "received")),
        Column("Đã giải quyết", None, _col("done")),
        Column(_SK + "Chưa số hóa", None, lambda r: r["done"] - r["result_digitized"]),
        Column(_SK + "Đã số hóa", None, _col("result_digitized")),
        Column(_SK + "Tỷ lệ số hóa kết quả", None, _pct("result_digitized", "done")),
        Column("Đánh giá" + SEP + "Tỷ lệ số hóa TPHS", None, _pct("digitized", "received")),
        Column("Đánh giá" + SEP + "Tỷ lệ số hóa kết quả", None, _pct("result_digitized", "done")),
    ),
    rows=_payment_rows,
    sheet=dict(numbered_row=None, issuer=("UBND HUYỆN HOẰNG HÓA",), total_label="Tổng số", signature=False,
               title="THEO DÕI MỨC ĐỘ SỐ HÓA CÁC ĐƠN VỊ - THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTG"),
    exact={HS + "digitized": "digitized"},
    no_data=(),
    needs={},
    truth=lambda rows: {"digitized": (int(rows["digitized"].sum()), int(rows["received"].sum()))},
    unit_column="Đơn vị",
)

# ---- 11. OpenCPS dossier list (dynamic report columns; progress words of DossierUtils) ----------
_OPENCPS_DATE = "%d/%m/%Y %H:%M:%S"  # APIDateTimeUtils._NORMAL_PARTTERN
#: the moment the list is pulled: the progress of open dossiers is relative to it, not to P's end
EXPORT_AT = pd.Timestamp("2026-11-04 08:00:00")
_OPENCPS_VERDICT = {"truoc_han": "Sớm hạn", "dung_han": "Đúng hạn", "qua_han": "Quá hạn"}


def _overdue_text(row: pd.Series) -> str | None:
    """`dossierOverdue` as DossierUtils writes it: a verdict for finished dossiers, `Tạm dừng xử lý`
    for paused ones, `Còn <n> ngày` / `Quá <n> ngày` (quarter days, Java double) for open ones."""
    if row["trang_thai"] in ("cho_bo_sung", "tam_dung"):
        return "Tạm dừng xử lý"
    if pd.notna(row["ngay_co_ket_qua"]):
        return _OPENCPS_VERDICT.get(row["tien_do"])
    if pd.isna(row["ngay_hen_tra"]):
        return None
    days = (row["ngay_hen_tra"] - EXPORT_AT) / pd.Timedelta(days=1)
    quarter = float(np.ceil(abs(days) * 4) / 4)
    return f"{'Còn' if days > 0 else 'Quá'} {quarter!r} ngày"


def _opencps_rows() -> pd.DataFrame:
    c = _register_rows().copy()
    # an extended deadline (`Ngày gia hạn`): the system judges against it, so a result after the
    # first deadline is `Đúng hạn` — the system's verdict, not the dates, decides (REFERENCE §4)
    c["ngay_gia_han"] = pd.NaT
    late = c.index[c["tien_do"].eq("qua_han") & c["ngay_co_ket_qua"].notna()][:3]
    c.loc[late, "ngay_gia_han"] = c.loc[late, "ngay_co_ket_qua"].dt.normalize() + pd.Timedelta(days=1, hours=17)
    c.loc[late, "tien_do"] = "dung_han"
    c["han_xu_ly"] = c.apply(_overdue_text, axis=1)
    # only the verdict words are the system's verdict; `Còn/Quá n ngày` is relative to the export
    c["tien_do"] = c["han_xu_ly"].map({v: k for k, v in _OPENCPS_VERDICT.items()})
    c["truc_tuyen_text"] = c["hinh_thuc_nop"].eq("truc_tuyen").map({True: "true", False: "false"})
    return c


OPENCPS_DS = Layout(
    name="opencps-danh-sach-ho-so",
    dataset="ho_so",
    source="OpenCPS: list columns of a dynamic-report configuration (`reportConfig`, Hậu Giang; found by the "
           "code search, repository not named) and progress words of github.com/VietOpenCPS/opencps-v2 "
           "modules/backend-api-rest/src/main/java/org/opencps/api/controller/util/DossierUtils.java",
    title="DANH SÁCH HỒ SƠ",
    columns=(
        Column("Mã hồ sơ", "ma_ho_so", _col("ma_ho_so")),
        Column("Mã thủ tục", "ma_thu_tuc", _col("ma_thu_tuc")),
        Column("Nội dung", None, _col("ten_thu_tuc")),
        Column("Cơ quan thụ lý", "don_vi", _const("UBND xã Hoàng Sơn")),
        Column("Chủ hồ sơ", None, _col("chu_ho_so")),
        Column("Địa chỉ", None, _col("dia_chi")),
        Column("Ngày gửi", None, lambda r: _dates(_OPENCPS_DATE)(r["ngay_nop"])),
        Column("Ngày tiếp nhận", "ngay_tiep_nhan", lambda r: _dates(_OPENCPS_DATE)(r["ngay_tiep_nhan"])),
        Column("Ngày hẹn trả", "ngay_hen_tra", lambda r: _dates(_OPENCPS_DATE)(r["ngay_hen_tra"])),
        Column("Ngày gia hạn", None, lambda r: _dates(_OPENCPS_DATE)(r["ngay_gia_han"])),
        Column("Ngày hoàn thành", "ngay_co_ket_qua", lambda r: _dates(_OPENCPS_DATE)(r["ngay_co_ket_qua"])),
        Column("Ngày trả", "ngay_tra", lambda r: _dates(_OPENCPS_DATE)(r["ngay_tra"])),
        # not read as the channel: its header is the channel's commonest value, and a record row
        # holding it would pass for a header (main, a1a2509); online rules are no_data here
        Column("Trực tuyến", None, _col("truc_tuyen_text")),
        Column("Hạn xử lý", "tien_do", _col("han_xu_ly")),
    ),
    rows=_opencps_rows,
    sheet=dict(numbered_row=None, total_row=False, signature=False, period_line="Từ ngày 01/10/2026 đến ngày 31/10/2026",
               issuer=("UBND XÃ HOÀNG SƠN",), title="DANH SÁCH HỒ SƠ"),
    exact=_ON_TIME,
    no_data=_DOSSIER_ONLY,
    needs={},
    truth=lambda rows: dossier_truth(rows, channel=False, date_fmt=_OPENCPS_DATE, verdict=True),
)

# ---- 9./10. Nghị định 30/2020/NĐ-CP, Phụ lục IV: Sổ đăng ký văn bản đi ----------------------------


@cache
def _documents() -> pd.DataFrame:
    d = rec.outgoing_documents(140, PERIOD, seed=4, style="igate", secret=0)
    out = pd.DataFrame({
        "so_ky_hieu": d["Số, ký hiệu văn bản"], "ngay_ban_hanh": d["Ngày ban hành"],
        "trich_yeu": d["Tên loại và trích yếu nội dung văn bản"], "nguoi_ky": d["Người ký"],
        "noi_nhan": d["Nơi nhận"], "so_luong_ban": d["Số lượng bản"],
        "ky_so": d["Hình thức ký"].eq("Ký số"), "do_mat": False,
    })
    rng = np.random.default_rng(9)
    out["ngay_chuyen"] = out["ngay_ban_hanh"] + pd.to_timedelta(rng.integers(0, 2, len(out)), unit="D")
    return out.sort_values(["ngay_ban_hanh", "so_ky_hieu"], kind="stable").reset_index(drop=True)


_ND30 = (
    Column("Số, ký hiệu văn bản", "so_ky_hieu", _col("so_ky_hieu")),
    Column("Ngày tháng văn bản", "ngay_ban_hanh", lambda r: _dates("%d/%m/%Y")(r["ngay_ban_hanh"])),
    Column("Tên loại và trích yếu nội dung văn bản", "trich_yeu", _col("trich_yeu")),
    Column("Người ký", "nguoi_ky", _col("nguoi_ky")),
    Column("Nơi nhận văn bản", None, _col("noi_nhan")),
    Column("Đơn vị, người nhận bản lưu", None, _const("Lưu: VT, VP")),
    Column("Số lượng bản", None, _col("so_luong_ban")),
    Column("Ngày chuyển", None, lambda r: _dates("%d/%m/%Y")(r["ngay_chuyen"])),
    Column("Ký nhận", None, _const(None)),
    Column("Ghi chú", None, _const(None)),
)
_ND30_SOURCE = ("Nghị định 30/2020/NĐ-CP, Phụ lục IV, mẫu Sổ đăng ký văn bản đi (10 columns (1)–(10)); the same "
                "ten columns in public code, e.g. a ND 30 workbook generator and an e-office ledger "
                "(see docs/real-layouts.md)")

ND30_SO_DI = Layout(
    name="nd30-so-dang-ky-van-ban-di",
    dataset="van_ban_di",
    source=_ND30_SOURCE,
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    columns=_ND30,
    rows=_documents,
    sheet=dict(stt_column=False, numbered_row="paren", total_row=False, signature=False,
               period_line="Năm: 2026 — Từ ngày 01/10/2026 đến ngày 31/10/2026", issuer=("UBND XÃ HOÀNG SƠN",),
               title="SỔ ĐĂNG KÝ VĂN BẢN ĐI", repeat_header_every=60),
    exact={},
    no_data=(HS + "outgoing-signed",),  # the register has no signing column
    needs={},
    truth=lambda rows: {},
)

ND30_SO_DI_KY_SO = Layout(
    name="nd30-so-van-ban-di-ky-so",
    dataset="van_ban_di",
    source=_ND30_SOURCE + "; plus the e-office system's own `Hình thức ký` column (REFERENCE §3.2)",
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    columns=_ND30[:9] + (Column("Hình thức ký", "ky_so", lambda r: r["ky_so"].map({True: "Ký số", False: "Ký tay"})),)
    + _ND30[9:],
    rows=_documents,
    sheet=dict(stt_column=False, numbered_row="paren", total_row=False, signature=False,
               period_line="Năm: 2026 — Từ ngày 01/10/2026 đến ngày 31/10/2026", issuer=("UBND XÃ HOÀNG SƠN",),
               title="SỔ ĐĂNG KÝ VĂN BẢN ĐI"),
    exact={HS + "outgoing-signed": "signed"},
    no_data=(),
    needs={},
    truth=document_truth,
)

LAYOUTS: tuple[Layout, ...] = (
    MAU_06, SO_THEO_DOI_TINH, DS_HO_SO_TINH, OPENCPS_DS, BIEU_II_06A, BIEU_06_CAC_CAP, BIEU_06A_DON_VI, TIEN_DO_766, THANH_TOAN_766,
    SO_HOA_766, ND30_SO_DI, ND30_SO_DI_KY_SO,
)
BY_NAME = {layout.name: layout for layout in LAYOUTS}


# ----------------------------------------------------------------------------------------------
# writing


def report_sheet(layout: Layout) -> ReportSheet:
    options = {"commune": "Hoàng Sơn", **layout.sheet}
    return ReportSheet(name=layout.name[:31], frame=layout.frame(), title=options.pop("title", layout.title), **options)


def _grid(path: Path) -> tuple[list[list[Any]], list[str], list[list[str | None]]]:
    """The written sheet as Excel holds it: values, merged ranges, number formats."""
    ws = load_workbook(path).worksheets[0]
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    formats = [[cell.number_format for cell in row] for row in ws.iter_rows()]
    return values, [str(r) for r in ws.merged_cells.ranges], formats


def _shown(value: Any, number_format: str | None) -> str:
    """A cell as Excel's "Save as CSV" writes it on a Vietnamese computer."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if number_format and "hh" in number_format.lower():
            return value.strftime("%d/%m/%Y %H:%M")
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return _vn_int(value) if number_format == "#,##0" else str(value)
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def _write_csv(xlsx: Path, path: Path) -> None:
    values, _, formats = _grid(xlsx)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row, fmts in zip(values, formats):
        writer.writerow([_shown(v, f) for v, f in zip(row, fmts)])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def _write_xls(xlsx: Path, path: Path) -> None:
    import xlwt  # a test dependency

    values, merges, formats = _grid(xlsx)
    from openpyxl.utils.cell import range_boundaries

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(load_workbook(xlsx).sheetnames[0][:31])
    styles: dict[str, Any] = {}

    def style(fmt: str | None) -> Any:
        key = fmt or "General"
        if key not in styles:
            styles[key] = xlwt.easyxf(num_format_str=key)
        return styles[key]

    covered = set()
    for rng_text in merges:
        c1, r1, c2, r2 = range_boundaries(rng_text)
        top = values[r1 - 1][c1 - 1]
        sheet.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, top, style(formats[r1 - 1][c1 - 1]))
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, (row, fmts) in enumerate(zip(values, formats), start=1):
        for c, (value, fmt) in enumerate(zip(row, fmts), start=1):
            if value is None or (r, c) in covered:
                continue
            sheet.write(r - 1, c - 1, value, style(fmt))
    book.save(str(path))


def _write_html_xls(xlsx: Path, path: Path, sheet_name: str) -> None:
    """The sheet as an HTML table (merged cells as rowspan/colspan) in the Excel-HTML wrapper that
    `downloadPhieuExcel` writes, with a BOM, under an .xls name."""
    import html

    from openpyxl.utils.cell import range_boundaries

    values, merges, formats = _grid(xlsx)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng_text in merges:
        c1, r1, c2, r2 = range_boundaries(rng_text)
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    lines = []
    for r, (row, fmts) in enumerate(zip(values, formats), start=1):
        cells = []
        for c, (value, fmt) in enumerate(zip(row, fmts), start=1):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<td{attrs}>{html.escape(_shown(value, fmt))}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    page = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" '
            'xmlns="http://www.w3.org/TR/REC-html40"><head><!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets>'
            f"<x:ExcelWorksheet><x:Name>{html.escape(sheet_name)}</x:Name><x:WorksheetOptions><x:DisplayGridlines/>"
            "</x:WorksheetOptions></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head>"
            '<body><table style="font-family: &quot;Times New Roman&quot;, Times, serif; font-size: 17px">'
            + "\n".join(lines) + "</table></body></html>")
    path.write_bytes("\ufeff".encode("utf-8") + page.encode("utf-8"))


def write(layout: Layout, path: str | Path, fmt: str = "xlsx") -> SheetRows:
    """Write `layout` as `fmt` (xlsx, csv, xls); return what was written below its header."""
    path = Path(path)
    if fmt == "xlsx":
        return write_workbook(path, [report_sheet(layout)])[0]
    xlsx = path.with_suffix(".source.xlsx")
    rows = write_workbook(xlsx, [report_sheet(layout)])[0]
    if fmt == "csv":
        _write_csv(xlsx, path)
    elif fmt == "xls":
        _write_xls(xlsx, path)
    elif fmt == "html-xls":
        _write_html_xls(xlsx, path, layout.name)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    xlsx.unlink()
    return rows


def truth(layout: Layout) -> dict[str, tuple[int, int]]:
    return layout.truth(layout.rows())
