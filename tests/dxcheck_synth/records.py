"""Deterministic generators of the records a commune's systems export.

Each generator returns a DataFrame whose columns are export header texts (two-level headers are
written `Group › Sub`, e.g. `Ngày › Tiếp nhận`, which `synth.report` turns into a merged header)
and whose cells are the texts real systems write (`Trực tuyến`, `Đã trả kết quả`, `Có`, …), never
canonical codes. Everything is driven by a `seed` (an int or a `numpy.random.Generator`): the
same arguments give the same frame.

Two export styles vary the spellings the way two real systems do:

- `"igate"` (VNPT iGate-like, used for Bình Minh): merged `Ngày › …` date headers, deadlines with
  a time of day, `Trực tuyến` / `Trực tiếp` / `Qua dịch vụ BCCI`, `Có` / `Không`;
- `"viettel"` (Viettel-like, used for Hoàng Sơn): flat headers, deadlines as dates, `Nộp trực
  tuyến`, `DVC toàn trình`, `Đã số hóa`, `x` for yes, fees as text `50.000`.

Rates are met exactly (up to rounding to whole records) on the populations REFERENCE §4 defines,
so a generated frame's true figures are known: `dossier_figures` computes them straight from a
frame (the generator's own oracle, independent of the evaluator), and `statistics_report`
aggregates a dossier frame into the `thong_ke` layout with internally consistent totals.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from dxcheck.datasets import dataset
from dxcheck.textnorm import fold

__all__ = [
    "STYLES",
    "DossierRates",
    "Period",
    "parse_period",
    "catalogue",
    "dossiers",
    "statistics_report",
    "canonical_dossiers",
    "dossier_figures",
    "outgoing_documents",
    "work_records",
    "staff",
    "villages",
    "procedures",
    "feedback",
    "declared_indicators",
]

STYLES = ("igate", "viettel")
SEP = " › "
_DAY = np.timedelta64(1, "D")


# ----------------------------------------------------------------------------------------------
# seeds, periods, working days


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def _check_style(style: str) -> str:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")
    return style


@dataclass(frozen=True)
class Period:
    """A calendar month: `first`/`last` are its first and last days."""

    first: np.datetime64  # datetime64[D]
    last: np.datetime64  # datetime64[D]

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.first)

    @property
    def end(self) -> pd.Timestamp:
        """The period's last instant (23:59:59 of its last day)."""
        return pd.Timestamp(self.last) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)

    @property
    def label(self) -> str:
        """`10/2026`, as the `Kỳ` column writes it."""
        return f"{self.start.month:02d}/{self.start.year}"

    @property
    def line(self) -> str:
        """`(Từ ngày 01/10/2026 đến ngày 31/10/2026)`, the report's period line."""
        return f"(Từ ngày {self.start:%d/%m/%Y} đến ngày {pd.Timestamp(self.last):%d/%m/%Y})"


def parse_period(period: str | Period) -> Period:
    """`2026-10` → October 2026."""
    if isinstance(period, Period):
        return period
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(period).strip())
    if not match:
        raise ValueError(f"period must look like 2026-10, not {period!r}")
    first = np.datetime64(f"{int(match[1]):04d}-{int(match[2]):02d}-01", "D")
    nxt = (first.astype("datetime64[M]") + 1).astype("datetime64[D]")
    return Period(first, nxt - _DAY)


@cache
def _holidays(first_year: int, last_year: int) -> np.ndarray:
    """Vietnamese public holidays (the `holidays` package, as the evaluator counts working days)."""
    try:
        import holidays as _h
    except ImportError:  # pragma: no cover - a declared dependency
        return np.array([], dtype="datetime64[D]")
    days = _h.Vietnam(years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def _hol(p: Period) -> np.ndarray:
    year = pd.Timestamp(p.first).year
    return _holidays(year - 1, year + 1)


def _bd_offset(dates: np.ndarray, offsets: Any, hol: np.ndarray) -> np.ndarray:
    return np.busday_offset(dates, offsets, roll="forward", holidays=hol)


def _bd_count(a: np.ndarray, b: np.ndarray, hol: np.ndarray) -> np.ndarray:
    return np.busday_count(a, b, holidays=hol)


def _pick_bday(lo: np.ndarray, hi: np.ndarray, u: np.ndarray, hol: np.ndarray) -> np.ndarray:
    """A working day in [lo, hi] (both days), chosen by `u` in [0, 1); `lo` when the span is empty."""
    lo = _bd_offset(lo, 0, hol)
    span = np.maximum(_bd_count(lo, hi + _DAY, hol), 1)
    return _bd_offset(lo, np.minimum((u * span).astype(np.int64), span - 1), hol)


def _at(days: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[m]") + minutes.astype("timedelta64[m]")


def _exact(rng: np.random.Generator, mask: np.ndarray, rate: float,
           priority: np.ndarray | None = None) -> np.ndarray:
    """A boolean array true on exactly round(rate × Σmask) rows of `mask`.

    Rows with a higher `priority` are chosen first (ties in random order)."""
    idx = np.flatnonzero(mask)
    k = int(round(min(max(rate, 0.0), 1.0) * idx.size))
    out = np.zeros(mask.shape, dtype=bool)
    if k == 0:
        return out
    order = rng.permutation(idx.size)
    if priority is not None:
        order = order[np.argsort(-priority[idx][order], kind="stable")]
    out[idx[order[:k]]] = True
    return out


def _pick(rng: np.random.Generator, options: Sequence[Any], size: int, p: Sequence[float] | None = None) -> np.ndarray:
    arr = np.array(list(options), dtype=object)
    if p is not None:
        p = np.asarray(p, dtype=float)
        p = p / p.sum()
    return arr[rng.choice(arr.size, size=size, p=p)]


# ----------------------------------------------------------------------------------------------
# vocabulary of the generated exports

#: lĩnh vực key -> (iGate spelling, Viettel spelling, đơn vị giải quyết)
_FIELDS: dict[str, tuple[str, str, str]] = {
    "ho_tich": ("Tư pháp - Hộ tịch", "Hộ tịch", "Văn phòng HĐND và UBND"),
    "chung_thuc": ("Chứng thực", "Chứng thực", "Văn phòng HĐND và UBND"),
    "dat_dai": ("Đất đai", "Đất đai", "Phòng Kinh tế"),
    "xay_dung": ("Xây dựng", "Hoạt động xây dựng", "Phòng Kinh tế"),
    "kinh_doanh": ("Kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", "Phòng Kinh tế"),
    "moi_truong": ("Môi trường", "Môi trường", "Phòng Kinh tế"),
    "bao_tro": ("Bảo trợ xã hội", "Bảo trợ xã hội", "Phòng Văn hóa - Xã hội"),
    "nguoi_co_cong": ("Người có công", "Người có công", "Phòng Văn hóa - Xã hội"),
    "van_hoa": ("Văn hóa cơ sở", "Văn hóa cơ sở", "Phòng Văn hóa - Xã hội"),
}

# Commune-level procedures: (mã TTHC, tên, lĩnh vực, working days allowed, fee rule, weight,
# level, eligible for full-online service, business-related). Fee rules: an int (đồng), "pages"
# (chứng thực bản sao: 2.000 đ/trang for the first two pages, 1.000 đ after), "hkd" (100.000 đ,
# 50.000 đ when filed online). The codes follow the national catalogue's format.
_PROCEDURES: list[tuple[str, str, str, int, Any, float, str, bool, bool]] = [
    ("1.001193", "Đăng ký khai sinh", "ho_tich", 1, 0, 10.0, "toan_trinh", True, False),
    ("1.000656", "Đăng ký khai tử", "ho_tich", 1, 0, 2.5, "toan_trinh", True, False),
    ("1.000894", "Đăng ký kết hôn", "ho_tich", 1, 0, 3.0, "mot_phan", False, False),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", "ho_tich", 1, 8000, 6.0, "toan_trinh", True, False),
    ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "ho_tich", 3, 0, 4.0, "toan_trinh", True, False),
    ("1.004859", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "ho_tich", 3, 15000, 1.5,
     "toan_trinh", True, False),
    ("1.004884", "Đăng ký lại khai sinh", "ho_tich", 5, 0, 0.8, "mot_phan", True, False),
    ("1.001022", "Đăng ký nhận cha, mẹ, con", "ho_tich", 3, 15000, 0.4, "mot_phan", False, False),
    ("1.004837", "Đăng ký giám hộ", "ho_tich", 3, 0, 0.2, "mot_phan", False, False),
    ("1.003583", "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm "
     "y tế cho trẻ em dưới 6 tuổi", "ho_tich", 5, 0, 4.0, "toan_trinh", True, False),
    ("1.003597", "Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ "
     "tử tuất, hỗ trợ chi phí mai táng", "ho_tich", 5, 0, 1.2, "toan_trinh", True, False),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của "
     "Việt Nam cấp hoặc chứng nhận", "chung_thuc", 1, "pages", 24.0, "toan_trinh", True, False),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực "
     "điểm chỉ và trường hợp người yêu cầu chứng thực không ký, không điểm chỉ được)", "chung_thuc", 1,
     10000, 6.0, "mot_phan", False, False),
    ("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất "
     "và nhà ở", "chung_thuc", 2, 50000, 3.5, "mot_phan", False, False),
    ("2.001009", "Chứng thực di chúc", "chung_thuc", 2, 50000, 0.5, "mot_phan", False, False),
    ("2.001406", "Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng "
     "đất, nhà ở", "chung_thuc", 2, 50000, 0.7, "mot_phan", False, False),
    ("2.001019", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "chung_thuc", 2, 30000,
     0.4, "mot_phan", False, False),
    ("2.000913", "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
     "chung_thuc", 1, 2000, 0.3, "toan_trinh", True, False),
    ("1.012766", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền "
     "sở hữu tài sản gắn liền với đất lần đầu", "dat_dai", 20, 100000, 1.6, "mot_phan", True, False),
    ("1.012770", "Đăng ký biến động đất đai, tài sản gắn liền với đất trong trường hợp thay đổi thông tin "
     "người sử dụng đất", "dat_dai", 10, 30000, 1.0, "mot_phan", True, False),
    ("1.012782", "Chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước có thẩm quyền",
     "dat_dai", 15, 0, 0.7, "mot_phan", True, False),
    ("1.003554", "Hòa giải tranh chấp đất đai", "dat_dai", 30, 0, 0.4, "mot_phan", False, False),
    ("1.012787", "Đính chính Giấy chứng nhận đã cấp", "dat_dai", 10, 0, 0.3, "toan_trinh", True, False),
    ("1.009994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "xay_dung", 15, 75000, 1.3,
     "toan_trinh", True, False),
    ("1.009995", "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ", "xay_dung", 15, 75000,
     0.3, "toan_trinh", True, False),
    ("1.009996", "Gia hạn giấy phép xây dựng", "xay_dung", 5, 15000, 0.1, "toan_trinh", True, False),
    ("1.009997", "Cấp lại giấy phép xây dựng", "xay_dung", 5, 15000, 0.1, "mot_phan", True, False),
    ("2.000720", "Đăng ký thành lập hộ kinh doanh", "kinh_doanh", 3, "hkd", 2.2, "toan_trinh", True, True),
    ("2.000719", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "kinh_doanh", 3, 30000, 0.9,
     "toan_trinh", True, True),
    ("2.000575", "Tạm ngừng hoạt động hộ kinh doanh", "kinh_doanh", 3, 0, 0.3, "toan_trinh", True, True),
    ("2.000553", "Chấm dứt hoạt động hộ kinh doanh", "kinh_doanh", 3, 0, 0.3, "toan_trinh", True, True),
    ("2.000528", "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", "kinh_doanh", 3, 50000, 0.1, "mot_phan",
     True, True),
    ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, "
     "nuôi dưỡng hàng tháng", "bao_tro", 15, 0, 1.4, "toan_trinh", True, False),
    ("1.001758", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "bao_tro", 5, 0, 0.6,
     "toan_trinh", True, False),
    ("1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "bao_tro", 25,
     0, 0.5, "mot_phan", False, False),
    ("1.001653", "Đổi, cấp lại Giấy xác nhận khuyết tật", "bao_tro", 5, 0, 0.2, "toan_trinh", True, False),
    ("2.000744", "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", "bao_tro", 10, 0, 0.1,
     "mot_phan", False, False),
    ("1.010801", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "nguoi_co_cong", 12, 0, 0.3, "mot_phan",
     True, False),
    ("1.010805", "Cấp giấy xác nhận thân nhân của người có công", "nguoi_co_cong", 5, 0, 0.3,
     "toan_trinh", True, False),
    ("1.010810", "Giải quyết chế độ mai táng phí đối với người có công với cách mạng từ trần", "nguoi_co_cong",
     12, 0, 0.3, "mot_phan", True, False),
    ("1.010832", "Hỗ trợ người có công đi làm phương tiện, dụng cụ trợ giúp chỉnh hình", "nguoi_co_cong", 12,
     0, 0.1, "mot_phan", False, False),
    ("1.010728", "Đăng ký môi trường", "moi_truong", 5, 0, 0.3, "toan_trinh", True, True),
    ("1.010733", "Tham vấn ý kiến trong quá trình thực hiện đánh giá tác động môi trường", "moi_truong", 15,
     0, 0.05, "mot_phan", False, True),
    ("1.000954", "Xét tặng danh hiệu Gia đình văn hóa hằng năm", "van_hoa", 5, 0, 0.1, "mot_phan", False,
     False),
    ("1.003622", "Thông báo tổ chức lễ hội cấp xã", "van_hoa", 5, 0, 0.05, "toan_trinh", True, True),
]


@cache
def catalogue() -> pd.DataFrame:
    """The built-in procedure table the generators draw from (one row per procedure)."""
    cols = ["ma_thu_tuc", "ten_thu_tuc", "linh_vuc", "ngay", "phi", "trong_so", "muc_do", "du_dieu_kien",
            "lien_quan_dn"]
    frame = pd.DataFrame(_PROCEDURES, columns=cols)
    frame["phi"] = frame["phi"].astype(object)
    return frame


@dataclass(frozen=True)
class _Style:
    dossier_headers: dict[str, str]
    channel: dict[str, str]  # truc_tuyen / truc_tiep / buu_chinh
    level: dict[str, str]  # toan_trinh / mot_phan / khong
    status: dict[str, str]
    progress: dict[str, str]  # truoc_han / dung_han / qua_han / trong_han
    yes: str
    no: str
    digitized: tuple[str, str]
    paid: tuple[str, str]  # online / not online
    ratings: dict[str, str]
    field_col: int  # index in _FIELDS values
    deadline_time: int | None  # minutes after midnight, None = date only
    fee_as_text: bool


_IGATE = _Style(
    dossier_headers={
        "ma_ho_so": "Mã hồ sơ", "chu_ho_so": "Chủ hồ sơ", "ma_thu_tuc": "Mã TTHC",
        "ten_thu_tuc": "Tên thủ tục", "linh_vuc": "Lĩnh vực", "don_vi": "Đơn vị giải quyết",
        "ngay_tiep_nhan": "Ngày" + SEP + "Tiếp nhận", "ngay_hen_tra": "Ngày" + SEP + "Hẹn trả",
        "ngay_co_ket_qua": "Ngày" + SEP + "Có kết quả", "hinh_thuc_nop": "Hình thức nộp",
        "muc_do_dvc": "Mức độ", "trang_thai": "Trạng thái", "tien_do": "Tiến độ", "so_hoa": "Số hóa",
        "ket_qua_dien_tu": "Kết quả điện tử", "tai_su_dung": "Tái sử dụng dữ liệu",
        "le_phi": "Phí, lệ phí (đồng)", "thanh_toan_truc_tuyen": "Hình thức thanh toán",
        "danh_gia": "Đánh giá",
    },
    channel={"truc_tuyen": "Trực tuyến", "truc_tiep": "Trực tiếp", "buu_chinh": "Qua dịch vụ BCCI"},
    level={"toan_trinh": "Toàn trình", "mot_phan": "Một phần", "khong": "Cung cấp thông tin"},
    status={"da_tra_ket_qua": "Đã trả kết quả", "da_xu_ly_xong": "Chờ trả kết quả", "dang_xu_ly": "Đang xử lý",
            "cho_bo_sung": "Chờ bổ sung", "tam_dung": "Tạm dừng", "tu_choi": "Từ chối",
            "rut_ho_so": "Công dân rút hồ sơ", "da_huy": "Đã hủy"},
    progress={"truoc_han": "Trước hạn", "dung_han": "Đúng hạn", "qua_han": "Quá hạn", "trong_han": "Trong hạn"},
    yes="Có", no="Không",
    digitized=("Có", "Không"),
    paid=("Trực tuyến", "Tiền mặt"),
    ratings={"rat_hai_long": "Rất hài lòng", "hai_long": "Hài lòng", "binh_thuong": "Bình thường",
             "khong_hai_long": "Không hài lòng", "chua_danh_gia": ""},
    field_col=0, deadline_time=17 * 60, fee_as_text=False,
)

_VIETTEL = _Style(
    dossier_headers={
        "ma_ho_so": "Số hồ sơ", "chu_ho_so": "Người nộp", "ma_thu_tuc": "Mã thủ tục",
        "ten_thu_tuc": "Thủ tục hành chính", "linh_vuc": "Tên lĩnh vực", "don_vi": "Cơ quan giải quyết",
        "ngay_tiep_nhan": "Ngày nhận hồ sơ", "ngay_hen_tra": "Hạn giải quyết",
        "ngay_co_ket_qua": "Ngày hoàn thành", "hinh_thuc_nop": "Kênh nộp", "muc_do_dvc": "Mức độ DVC",
        "trang_thai": "Tình trạng hồ sơ", "tien_do": "Tiến độ giải quyết", "so_hoa": "Đã số hóa",
        "ket_qua_dien_tu": "Trả kết quả điện tử", "tai_su_dung": "Sử dụng lại dữ liệu số hóa",
        "le_phi": "Lệ phí", "thanh_toan_truc_tuyen": "Thanh toán trực tuyến", "danh_gia": "Mức độ hài lòng",
    },
    channel={"truc_tuyen": "Nộp trực tuyến", "truc_tiep": "Nộp trực tiếp", "buu_chinh": "Bưu chính công ích"},
    level={"toan_trinh": "DVC toàn trình", "mot_phan": "DVC một phần", "khong": "DVC cung cấp thông tin"},
    status={"da_tra_ket_qua": "Đã trả KQ", "da_xu_ly_xong": "Đã giải quyết", "dang_xu_ly": "Đang giải quyết",
            "cho_bo_sung": "Yêu cầu bổ sung", "tam_dung": "Tạm dừng xử lý", "tu_choi": "Trả lại",
            "rut_ho_so": "Rút hồ sơ", "da_huy": "Hủy hồ sơ"},
    progress={"truoc_han": "Sớm hạn", "dung_han": "Đúng hạn", "qua_han": "Trễ hạn", "trong_han": "Trong hạn"},
    yes="x", no="",
    digitized=("Đã số hóa", "Chưa số hóa"),
    paid=("Có", "Không"),
    ratings={"rat_hai_long": "Rất hài lòng", "hai_long": "Hài lòng", "binh_thuong": "Chấp nhận được",
             "khong_hai_long": "Không hài lòng", "chua_danh_gia": "Chưa đánh giá"},
    field_col=1, deadline_time=None, fee_as_text=True,
)

_STYLE = {"igate": _IGATE, "viettel": _VIETTEL}


def _field_label(key: str, style: str) -> str:
    return _FIELDS[key][_STYLE[style].field_col]


def _map(values: np.ndarray, table: Mapping[Any, Any]) -> np.ndarray:
    """Map each value through `table` (vectorised, hashed; a missing key gives None)."""
    keys = pd.Index(list(table), dtype=object)
    idx = keys.get_indexer(pd.Index(np.asarray(values, dtype=object), dtype=object))
    return np.array([*table.values(), None], dtype=object)[idx]


def _obj(values: Any) -> pd.Series:
    """A text column kept as object dtype (pandas 3 would otherwise re-encode it, slowly)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _vn_number(values: np.ndarray) -> np.ndarray:
    """50000 → `50.000` (Vietnamese thousands separator)."""
    return np.array([f"{int(v):,}".replace(",", ".") for v in values], dtype=object)


# ---- people's names -------------------------------------------------------------------------

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
           "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai"]
_FAMILY_P = [38, 11, 9.5, 7, 5, 4, 4.5, 3.9, 3, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.8, 0.8, 0.6, 0.6]
_MALE_MID = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Ngọc", "Anh"]
_MALE = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Khoa", "Long",
         "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn",
         "Việt", "Vinh"]
_FEMALE_MID = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Bích"]
_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Liên",
           "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy", "Trang",
           "Tuyết", "Vân", "Yến"]


@cache
def _name_table() -> tuple[np.ndarray, np.ndarray]:
    """Every full name, male ones then female ones, as (names, family-name index of each)."""
    names, fam_idx = [], []
    for mids, givens in ((_MALE_MID, _MALE), (_FEMALE_MID, _FEMALE)):
        for f, fam in enumerate(_FAMILY):
            for mid in mids:
                for given in givens:
                    names.append(f"{fam} {mid} {given}")
                    fam_idx.append(f)
    return np.array(names, dtype=object), np.array(fam_idx)


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` Vietnamese full names (family names drawn with their real frequencies)."""
    table, _ = _name_table()
    fam = rng.choice(len(_FAMILY), size=n, p=np.array(_FAMILY_P) / sum(_FAMILY_P))
    female = rng.random(n) < 0.5
    n_m, n_f = len(_MALE_MID) * len(_MALE), len(_FEMALE_MID) * len(_FEMALE)
    within = np.where(female, rng.integers(0, n_f, n), rng.integers(0, n_m, n))
    idx = np.where(female, len(_FAMILY) * n_m + fam * n_f + within, fam * n_m + within)
    return table[idx]


# ----------------------------------------------------------------------------------------------
# ho_so


@dataclass(frozen=True)
class DossierRates:
    """What a generated dossier frame should show (shares in [0, 1]).

    The first eight are met exactly (to a whole record) on REFERENCE §4's populations:
    `online`, `full_online` (online *and* toàn trình), `digitized`, `reuse`: of received(P);
    `online_payment`: of received(P) with a fee; `e_result`: of completed(P); `satisfaction`:
    of rated dossiers with a result in P; `on_time`: of handled(P).
    The rest shape the population (shares of all rows unless said otherwise).
    """

    online: float = 0.992
    full_online: float = 0.85
    on_time: float = 0.99
    digitized: float = 0.9995
    e_result: float = 0.93
    reuse: float = 0.85
    online_payment: float = 0.9729
    satisfaction: float = 0.97
    rated: float = 0.4  # of dossiers with a result in P (many ratings are blank)
    carried_over: float = 0.07  # received in the previous month, handled in P
    next_month: float = 0.03  # received in P, result early next month (on time)
    in_progress: float = 0.03  # received in P, still open and within the deadline
    cancelled: float = 0.004  # `Đã hủy`
    withdrawn: float = 0.003  # `Công dân rút hồ sơ`
    rejected: float = 0.002  # `Từ chối`
    postal: float = 0.25  # of received(P) not online: share by post (BCCI)
    blank_channel: int = 2  # received(P) rows whose channel cell is blank (counts as in person)
    open_late_share: float = 0.25  # of late dossiers: still open and overdue at the end of P
    speed: float = 1.6  # >1: results come early (drives time-reduction), 1: uniform over the allowed time


def _as_rates(rates: DossierRates | Mapping[str, Any] | None) -> DossierRates:
    if rates is None:
        return DossierRates()
    if isinstance(rates, DossierRates):
        return rates
    known = {f.name for f in fields(DossierRates)}
    unknown = set(rates) - known
    if unknown:
        raise ValueError(f"unknown rate(s): {sorted(unknown)}")
    return replace(DossierRates(), **dict(rates))


# internal small-int codes of the dossier generator's categorical columns
_CH = ("truc_tuyen", "truc_tiep", "buu_chinh")
_LV = ("toan_trinh", "mot_phan", "khong")
_ST = ("da_tra_ket_qua", "da_xu_ly_xong", "dang_xu_ly", "cho_bo_sung", "tam_dung", "tu_choi", "rut_ho_so", "da_huy")
_PG = ("", "truoc_han", "dung_han", "qua_han", "trong_han")
_RT = ("chua_danh_gia", "rat_hai_long", "hai_long", "binh_thuong", "khong_hai_long")


def _text(codes: np.ndarray, names: Sequence[str], spelling: Mapping[str, str]) -> pd.Series:
    """Int codes -> the style's cell texts (an empty spelling leaves the cell blank)."""
    table = np.array([spelling.get(name) or None for name in names], dtype=object)
    return _obj(table[codes])


# row categories of the generated dossier population
_F, _FL, _K, _KL, _N, _O, _OL, _W, _R, _C = range(10)
_FINISHED_IN_P = (_F, _FL, _K, _KL)
_RECEIVED = (_F, _FL, _N, _O, _OL, _W, _R)


def _category_counts(n: int, r: DossierRates) -> np.ndarray:
    cancelled = int(round(r.cancelled * n))
    handled = n - cancelled
    late = handled - int(round(r.on_time * handled))
    open_late = int(round(r.open_late_share * late))
    fin_late = late - open_late
    carried = int(round(r.carried_over * n))
    carried_late = min(int(round(0.3 * fin_late)), carried)
    counts = np.zeros(10, dtype=np.int64)
    counts[_C] = cancelled
    counts[_OL] = open_late
    counts[_KL] = carried_late
    counts[_FL] = fin_late - carried_late
    counts[_K] = carried - carried_late
    counts[_N] = int(round(r.next_month * n))
    counts[_O] = int(round(r.in_progress * n))
    counts[_W] = int(round(r.withdrawn * n))
    counts[_R] = int(round(r.rejected * n))
    counts[_F] = n - counts.sum()
    # small frames: take what is missing from the optional categories, never from the late ones
    for cat in (_N, _O, _W, _R, _K):
        if counts[_F] >= 0:
            break
        take = min(-counts[_F], counts[cat])
        counts[cat] -= take
        counts[_F] += take
    if counts[_F] < 0:
        raise ValueError(f"n={n} is too small for the requested rates")
    return counts


def dossiers(
    n: int,
    period: str | Period = "2026-10",
    seed: int | np.random.Generator | None = 0,
    rates: DossierRates | Mapping[str, Any] | None = None,
    *,
    style: str = "igate",
    commune: str = "Bình Minh",
    code_prefix: str | None = None,
) -> pd.DataFrame:
    """`n` one-stop-shop dossiers handled in `period` (the `ho_so` dataset), sorted by receipt.

    Besides dossiers received in the period, the frame holds dossiers carried over from the
    previous month, some finishing early next month (the export is pulled a few working days
    after the period), some still open, a few cancelled, withdrawn and rejected, and
    `rates.blank_channel` rows with an empty channel cell.
    """
    style = _check_style(style)
    st = _STYLE[style]
    rng = _rng(seed)
    r = _as_rates(rates)
    p = parse_period(period)
    hol = _hol(p)
    cat_tab = catalogue()
    days_allowed = cat_tab["ngay"].to_numpy(np.int64)
    weights = cat_tab["trong_so"].to_numpy(float)

    p_first = _bd_offset(p.first, 0, hol)
    p_last = np.busday_offset(p.last, 0, roll="backward", holidays=hol)
    n_bdays = int(_bd_count(p_first, p_last + _DAY, hol))
    q_first = _bd_offset(p.last + _DAY, 0, hol)  # first working day after P
    export_day = _bd_offset(p_last, 3, hol)  # the export is pulled three working days after P

    counts = _category_counts(n, r)
    cat = rng.permutation(np.repeat(np.arange(10, dtype=np.int8), counts))

    # procedures, constrained by what each category's dates need
    k_late_max = max(1, min(15, n_bdays - 3))
    allowed_by_cat = {
        _K: days_allowed >= 3, _KL: days_allowed <= k_late_max, _FL: days_allowed <= k_late_max,
        _OL: days_allowed <= k_late_max, _N: (days_allowed >= 2) & (days_allowed <= n_bdays - 1),
        _O: (days_allowed >= 5) & (days_allowed <= n_bdays - 1),
    }
    proc = np.empty(n, dtype=np.int64)
    for c in range(10):
        where = np.flatnonzero(cat == c)
        if where.size == 0:
            continue
        w = weights * allowed_by_cat.get(c, np.ones(weights.size, dtype=bool))
        proc[where] = rng.choice(weights.size, size=where.size, p=w / w.sum())
    k = days_allowed[proc]

    # channels (exact on received(P))
    received = np.isin(cat, _RECEIVED)
    online = _exact(rng, received, r.online)
    offline_recv = received & ~online
    blank = _exact(rng, offline_recv, min(1.0, r.blank_channel / max(1, offline_recv.sum())))
    postal = _exact(rng, offline_recv & ~blank, r.postal)
    others = ~received
    online[others] = rng.random(others.sum()) < r.online
    postal[others & ~online] = rng.random((others & ~online).sum()) < 0.002
    channel_code = np.where(online, 0, np.where(postal, 2, 1)).astype(np.int8)

    # receipt day by category
    u = rng.random(n)
    recv_day = np.empty(n, dtype="datetime64[D]")
    lo = np.full(n, p_first)
    hi = np.full(n, p_last)
    late = np.isin(cat, (_FL, _OL))
    hi[late] = _bd_offset(np.full(late.sum(), p_last), -(k[late] + 1), hol)
    m = cat == _N
    lo[m] = _bd_offset(np.full(m.sum(), q_first), -k[m], hol)
    m = cat == _O
    lo[m] = _bd_offset(np.full(m.sum(), export_day), -(k[m] - 1), hol)
    plain = ~np.isin(cat, (_K, _KL))
    recv_day[plain] = _pick_bday(lo[plain], hi[plain], u[plain], hol)
    m = cat == _K
    j = 1 + (u[m] * (k[m] - 1)).astype(np.int64)  # 1 .. k-1 working days before P
    recv_day[m] = _bd_offset(np.full(m.sum(), p_first), -j, hol)
    m = cat == _KL
    j = 1 + (u[m] * 8).astype(np.int64)
    recv_day[m] = _bd_offset(np.full(m.sum(), p_first), -j, hol)

    # receipt time of day: office hours in person; online any time, mostly office hours
    minute = (7 * 60 + 30 + rng.integers(0, 9 * 60 + 15, n)).astype(np.int64)
    evening = online & (rng.random(n) < 0.22)
    minute[evening] = rng.integers(17 * 60 + 30, 23 * 60 + 55, evening.sum())
    received_at = _at(recv_day, minute)

    # deadline
    due_day = _bd_offset(recv_day, k, hol)

    # result
    result_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    u2 = rng.random(n) ** r.speed
    # finished on time, from the receipt day (new dossiers) or from P's first day (carried over)
    m = np.isin(cat, (_F, _W, _R))
    top = np.minimum(due_day[m], p_last)
    span = _bd_count(recv_day[m], top + _DAY, hol)
    result_day[m] = _bd_offset(recv_day[m], np.minimum((u2[m] * span).astype(np.int64), span - 1), hol)
    m = cat == _K
    top = np.minimum(due_day[m], p_last)
    span = np.maximum(_bd_count(np.full(m.sum(), p_first), top + _DAY, hol), 1)
    result_day[m] = _bd_offset(np.full(m.sum(), p_first), np.minimum((u2[m] * span).astype(np.int64), span - 1),
                               hol)
    # finished late: 1-5 working days after the deadline, within P
    m = np.isin(cat, (_FL, _KL))
    overdue = rng.integers(1, 6, m.sum())
    room = _bd_count(due_day[m], p_last, hol)
    day = _bd_offset(due_day[m], np.minimum(overdue, np.maximum(room, 1)), hol)
    result_day[m] = np.maximum(day, p_first)
    # next month, on time, at the latest on the export day
    m = cat == _N
    top = np.minimum(due_day[m], export_day)
    span = np.maximum(_bd_count(np.full(m.sum(), q_first), top + _DAY, hol), 1)
    result_day[m] = _bd_offset(np.full(m.sum(), q_first), np.minimum((u[m] * span).astype(np.int64), span - 1),
                               hol)

    has_result = ~np.isnat(result_day)
    res_minute = (7 * 60 + 30 + rng.integers(0, 9 * 60 + 20, n)).astype(np.int64)
    on_due_day = has_result & (result_day == due_day)
    if st.deadline_time is not None:
        res_minute[on_due_day] = np.minimum(res_minute[on_due_day], st.deadline_time - 5)
    same_day = has_result & (result_day == recv_day)
    res_minute[same_day] = np.minimum(minute[same_day] + rng.integers(15, 180, same_day.sum()), 23 * 60 + 58)
    if st.deadline_time is not None:
        # a same-day result that is also the deadline day never runs past the deadline
        both = same_day & on_due_day
        res_minute[both] = np.minimum(res_minute[both], st.deadline_time - 1)
        res_minute[both] = np.maximum(res_minute[both], np.minimum(minute[both] + 1, st.deadline_time - 1))
    result_at = np.where(has_result, _at(np.where(has_result, result_day, recv_day), res_minute),
                         np.datetime64("NaT"))

    # status and the system's own progress verdict
    status = np.zeros(n, dtype=np.int8)  # da_tra_ket_qua
    fin = np.isin(cat, _FINISHED_IN_P)
    status[fin & (rng.random(n) < 0.04)] = 1  # da_xu_ly_xong
    op = np.isin(cat, (_O, _OL))
    status[op] = rng.choice([2, 3, 4], size=int(op.sum()), p=[0.8, 0.15, 0.05])
    status[cat == _R] = 5
    status[cat == _W] = 6
    status[cat == _C] = 7
    progress = np.zeros(n, dtype=np.int8)
    labelled = np.isin(cat, (_F, _K, _N))
    progress[labelled] = np.where(result_day[labelled] < due_day[labelled], 1, 2)
    progress[np.isin(cat, (_FL, _KL, _OL))] = 3
    progress[cat == _O] = 4

    # level of service
    n_full = int(round(min(r.full_online, r.online) * received.sum()))
    full = _exact(rng, received & online, n_full / max(1, int((received & online).sum())))
    cat_level = np.array([_LV.index(x) for x in cat_tab["muc_do"]], dtype=np.int8)[proc]
    level = np.where(online, np.where(full, 0, 1), cat_level).astype(np.int8)
    other_online = others & online
    level[other_online] = np.where(rng.random(other_online.sum()) < r.full_online / max(r.online, 1e-12), 0, 1)

    # fees and payment
    rules = cat_tab["phi"].tolist()
    fixed_fee = np.array([f if isinstance(f, int) else 0 for f in rules], dtype=np.int64)
    fee = fixed_fee[proc]
    pages = np.array([f == "pages" for f in rules])[proc]
    npg = rng.integers(1, 9, pages.sum())
    fee[pages] = 2000 * np.minimum(npg, 2) + 1000 * np.maximum(npg - 2, 0)
    hkd = np.array([f == "hkd" for f in rules])[proc]
    fee[hkd] = np.where(online[hkd], 50000, 100000)
    exempt = (fee > 0) & (rng.random(n) < 0.03)  # miễn lệ phí (hộ nghèo, người có công, …)
    fee[exempt] = 0
    with_fee = fee > 0
    paid_online = _exact(rng, received & with_fee, r.online_payment, priority=online.astype(np.int8))
    o = ~received & with_fee
    paid_online[o] = online[o] & (rng.random(o.sum()) < r.online_payment)

    # digitisation, reuse, e-results
    digitized = _exact(rng, received, r.digitized)
    digitized[~received] = rng.random((~received).sum()) < r.digitized
    reuse = _exact(rng, received, r.reuse)
    reuse[~received] = rng.random((~received).sum()) < r.reuse
    completed = fin  # all finished-in-P rows are returned or done
    e_result = _exact(rng, completed, r.e_result)
    e_result[cat == _N] = rng.random((cat == _N).sum()) < r.e_result

    # ratings: the satisfaction population is rated rows with a result in P
    rating = np.zeros(n, dtype=np.int8)  # chua_danh_gia
    rated = _exact(rng, fin & (status == 0), r.rated)
    happy = _exact(rng, rated, r.satisfaction)
    rating[happy] = np.where(rng.random(happy.sum()) < 0.62, 1, 2)
    unhappy = rated & ~happy
    rating[unhappy] = np.where(rng.random(unhappy.sum()) < 0.7, 3, 4)
    rated_next = (cat == _N) & (rng.random(n) < r.rated)  # rated after P: out of this period's scope
    rating[rated_next] = np.where(rng.random(rated_next.sum()) < 0.97, 2, 3)

    # record ids: <prefix>-<yymmdd>-<sequence of the day>, in receipt order
    order = np.argsort(received_at, kind="stable")
    prefix = code_prefix or ("H27.10" if style == "igate" else "000.45.22.H26")
    day_sorted = recv_day[order]
    starts = np.r_[True, day_sorted[1:] != day_sorted[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    seq = np.arange(n) - group_start + 1
    days, day_idx = np.unique(day_sorted, return_inverse=True)
    day_text = np.array([f"{prefix}-{pd.Timestamp(d):%y%m%d}-" for d in days])
    codes = np.strings.add(day_text[day_idx], np.strings.zfill(seq.astype("U"), 4)).astype(object)

    proc_s = proc[order]
    field_lbl = np.array([_field_label(key, style) for key in cat_tab["linh_vuc"]], dtype=object)
    unit = np.array([f"{_FIELDS[key][2]} xã {commune}" if style == "viettel"
                     else f"{_FIELDS[key][2]} - UBND xã {commune}" for key in cat_tab["linh_vuc"]], dtype=object)

    h = st.dossier_headers
    ch_text = _text(channel_code[order], _CH, st.channel)
    ch_text[blank[order]] = None
    deadline = _at(due_day, np.full(n, st.deadline_time or 0))[order]
    fee_s = fee[order]
    fee_out: Any = fee_s
    if st.fee_as_text:
        amounts = np.unique(fee_s)
        fee_out = _obj(_map(fee_s, dict(zip(amounts.tolist(), _vn_number(amounts)))))
    pay = np.array(st.paid, dtype=object)[(~paid_online[order]).astype(np.int8)]
    pay[~with_fee[order]] = None
    yes_no = np.array([st.no or None, st.yes], dtype=object)


    frame = pd.DataFrame({
        h["ma_ho_so"]: _obj(codes),
        h["chu_ho_so"]: _obj(_names(rng, n)[order]),
        h["ma_thu_tuc"]: _obj(cat_tab["ma_thu_tuc"].to_numpy(object)[proc_s]),
        h["ten_thu_tuc"]: _obj(cat_tab["ten_thu_tuc"].to_numpy(object)[proc_s]),
        h["linh_vuc"]: _obj(field_lbl[proc_s]),
        h["don_vi"]: _obj(unit[proc_s]),
        h["ngay_tiep_nhan"]: pd.to_datetime(received_at[order]),
        h["ngay_hen_tra"]: pd.to_datetime(deadline),
        h["ngay_co_ket_qua"]: pd.to_datetime(result_at[order]),
        h["hinh_thuc_nop"]: _obj(ch_text),
        h["muc_do_dvc"]: _text(level[order], _LV, st.level),
        h["trang_thai"]: _text(status[order], _ST, st.status),
        h["tien_do"]: _text(progress[order], _PG, st.progress),
        h["so_hoa"]: _obj(np.array(st.digitized, dtype=object)[(~digitized[order]).astype(np.int8)]),
        h["ket_qua_dien_tu"]: _obj(yes_no[e_result[order].astype(np.int8)]),
        h["tai_su_dung"]: _obj(np.array(["Không", "Có"], dtype=object)[reuse[order].astype(np.int8)]),
        h["le_phi"]: fee_out,
        h["thanh_toan_truc_tuyen"]: _obj(pay),
        h["danh_gia"]: _text(rating[order], _RT, st.ratings),
    })
    # an e-result only exists for a finished dossier
    frame.loc[~has_result[order], h["ket_qua_dien_tu"]] = None
    return frame


# ----------------------------------------------------------------------------------------------
# reading a generated dossier frame back: the generator's own oracle


def _header_key(text: str) -> str:
    return fold(str(text).replace("›", " "))


@cache
def _field_lookup(ds: str) -> dict[str, str]:
    spec = dataset(ds)
    out: dict[str, str] = {}
    for name, fs in spec.fields.items():
        for header in fs.headers:
            out.setdefault(_header_key(header), name)
    return out


@cache
def _value_lookup(ds: str, field: str) -> dict[str, str]:
    fs = dataset(ds).fields[field]
    out = {fold(code): code for code in fs.values}
    for code, spellings in fs.values.items():
        for s in spellings:
            out[fold(s)] = code
    return out


_YES = {"co", "x", "✓", "1", "yes", "true"}
_NO = {"khong", "0", "no", "false"}


def _blank_mask(values: np.ndarray) -> np.ndarray:
    return np.array([v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())
                     for v in values], dtype=bool) if values.size < 50_000 else (
        pd.isna(values) | (pd.Series(values, dtype=object).astype(str).str.strip() == "").to_numpy())


def _translate(series: pd.Series, one: Any, blank: Any) -> np.ndarray:
    """Apply `one` to each distinct non-blank value (hashed), `blank` to blank cells."""
    values = series.to_numpy(dtype=object)
    empty = _blank_mask(values)
    distinct = pd.unique(values[~empty])
    out = _map(values, {v: one(v) for v in distinct})
    out[empty] = blank
    return out


def _to_bool(series: pd.Series, ds: str, field: str) -> pd.Series:
    fs = dataset(ds).fields[field]
    yes = _YES | {fold(v) for v in fs.yes}
    no = _NO | {fold(v) for v in fs.no}

    def one(v: Any) -> bool:
        key = fold(str(v))
        if key in yes or key.startswith("da "):
            return True
        if key in no or key.startswith("chua "):
            return False
        return False

    return pd.Series(_translate(series, one, fs.blank == "yes").astype(bool), index=series.index)


def _to_category(series: pd.Series, ds: str, field: str) -> pd.Series:
    table = _value_lookup(ds, field)
    blank = dataset(ds).fields[field].blank
    # "?": a value that maps to no code
    return pd.Series(_translate(series, lambda v: table.get(fold(str(v)), "?"), blank), index=series.index,
                     dtype=object)


_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def _to_datetime(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.astype("datetime64[ns]")

    def one(v: Any) -> Any:
        if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
            return pd.NaT
        if isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "year"):
            return pd.Timestamp(v)
        if isinstance(v, (int, float)):
            return pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(v))
        text = str(v).strip()
        for fmt in _DATE_FORMATS:
            try:
                return pd.Timestamp(pd.to_datetime(text, format=fmt))
            except (ValueError, TypeError):
                continue
        return pd.NaT

    return pd.Series([one(v) for v in series], index=series.index, dtype="datetime64[ns]")


def _to_number(series: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.astype(float)

    def one(v: Any) -> float:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return np.nan
        if isinstance(v, (int, float, np.number)):
            return float(v)
        text = str(v).replace("%", "").replace(" ", "").strip()
        if not text:
            return np.nan
        text = text.replace(".", "").replace(",", ".") if re.fullmatch(r"[\d.]*,?\d*", text) else text
        try:
            return float(text)
        except ValueError:
            return np.nan

    return pd.Series([one(v) for v in series], index=series.index, dtype=float)


def canonical_dossiers(frame: pd.DataFrame) -> pd.DataFrame:
    """A dossier frame (export headers and spellings) as canonical fields and codes.

    Unreadable dates become NaT, a deadline without a time of day means the end of that day,
    a category value that maps to no code becomes `"?"`. Only what `dossier_figures` and
    `statistics_report` need; it reads the generator's own frames, it is not the loader.
    """
    lookup = _field_lookup("ho_so")
    spec = dataset("ho_so")
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        name = lookup.get(_header_key(col))
        if name is None or name in out.columns:
            continue
        fs = spec.fields[name]
        series = frame[col]
        if fs.type in ("date", "deadline"):
            values = _to_datetime(series)
            if fs.type == "deadline":
                midnight = values.notna() & (values == values.dt.normalize())
                values = values.where(~midnight, values + pd.Timedelta(days=1) - pd.Timedelta(seconds=1))
            out[name] = values
        elif fs.type == "bool":
            out[name] = _to_bool(series, "ho_so", name)
        elif fs.type == "category":
            out[name] = _to_category(series, "ho_so", name)
        elif fs.type == "number":
            out[name] = _to_number(series)
        else:
            out[name] = series.astype(object).map(
                lambda v: None if v is None or (isinstance(v, float) and np.isnan(v))
                else unicodedata.normalize("NFC", str(v)))
    # one cell that sets two fields: `Trực tuyến toàn trình` in the channel or level column
    compound = {fold(sp): cv.sets for cv in spec.compound_values for sp in cv.spellings}
    for col in frame.columns:
        if lookup.get(_header_key(col)) in ("hinh_thuc_nop", "muc_do_dvc"):
            raw = frame[col].to_numpy(dtype=object)
            for i in np.flatnonzero(out[lookup[_header_key(col)]].to_numpy(dtype=object) == "?"):
                sets = compound.get(fold(str(raw[i])))
                for name, code in (sets or {}).items():
                    if name not in out.columns:
                        out[name] = pd.Series(None, index=out.index, dtype=object)
                    out.iloc[i, out.columns.get_loc(name)] = code
    # fields the frame lacks read as blank cells
    for name, fs in spec.fields.items():
        if name in out.columns:
            continue
        if fs.type in ("date", "deadline"):
            out[name] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        elif fs.type == "bool":
            out[name] = fs.blank == "yes"
        elif fs.type == "number":
            out[name] = np.nan
        else:
            out[name] = pd.Series(fs.blank, index=out.index, dtype=object)
    return out


def _handled(c: pd.DataFrame, p: Period) -> pd.Series:
    return ((c["trang_thai"] != "da_huy") & (c["ngay_tiep_nhan"] <= p.end)
            & (c["ngay_co_ket_qua"].isna() | (c["ngay_co_ket_qua"] >= p.start)))


def _on_time(c: pd.DataFrame, p: Period) -> pd.Series:
    tien_do = c["tien_do"] if "tien_do" in c else pd.Series(None, index=c.index, dtype=object)
    kq, ht = c["ngay_co_ket_qua"], c["ngay_hen_tra"]
    finished = kq.notna() & (kq <= p.end)
    by_dates = ht.isna() | (finished & (kq <= ht)) | (~finished & (ht >= p.end))
    return tien_do.isin(["truoc_han", "dung_han"]) | (tien_do.isna() & by_dates)


def canonical_catalogue(frame: pd.DataFrame) -> pd.DataFrame:
    """A procedure catalogue frame (export headers) as the canonical fields `dossier_figures`
    looks dossiers up in: ma_thu_tuc, ten_thu_tuc, muc_do_dvc, thanh_toan_truc_tuyen,
    thoi_han_quy_dinh."""
    lookup = _field_lookup("thu_tuc")
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        name = lookup.get(_header_key(col))
        if name is None or name in out.columns:
            continue
        if name in ("thanh_toan_truc_tuyen", "co_nghia_vu_tai_chinh"):
            out[name] = _to_bool(frame[col], "thu_tuc", name)
        elif name == "muc_do_dvc":
            out[name] = _to_category(frame[col], "thu_tuc", name)
        elif name in ("thoi_han_quy_dinh", "thoi_han_cong_bo"):
            # `05 ngày làm việc`, as catalogues print handling times
            out[name] = pd.to_numeric(frame[col].astype(str).str.extract(r"^\s*(\d+)")[0], errors="coerce")
        elif name in ("ma_thu_tuc", "ten_thu_tuc"):
            out[name] = frame[col].astype(object)
    return out


def _procedure_rows(c: pd.DataFrame, catalogue: pd.DataFrame) -> np.ndarray:
    """Per dossier, its procedure's row in `catalogue` (by code, else folded name), or -1: the
    same rule as REFERENCE §4, written as plain loops."""
    def code(v):
        return "".join(v.split()).casefold() if isinstance(v, str) and v.strip() else None

    def name(v):
        return fold(v) or None if isinstance(v, str) else None

    by_code, by_name = {}, {}
    for i, row in enumerate(catalogue.to_dict("records")):
        by_code.setdefault(code(row.get("ma_thu_tuc")), i)
        by_name.setdefault(name(row.get("ten_thu_tuc")), i)
    by_code.pop(None, None)
    by_name.pop(None, None)
    out = []
    for row in c.to_dict("records"):
        k = by_code.get(code(row.get("ma_thu_tuc")))
        out.append(k if k is not None else by_name.get(name(row.get("ten_thu_tuc")), -1))
    return np.array(out, dtype=np.int64)


def dossier_figures(frame: pd.DataFrame, period: str | Period = "2026-10",
                    catalogue: pd.DataFrame | None = None) -> dict[str, dict[str, float]]:
    """The true figures of a dossier frame per REFERENCE §4: `{metric: {numerator, denominator,
    value}}` (value in percent), metrics `online`, `full_online` (online and toàn trình, of
    received: the generator's rate), `full_online_processing` (online, of received dossiers of
    procedures offered fully online: the rule), `digitized` (of received),
    `digitized_completed` (so_hoa of completed), `digitized_with_result` (so_hoa and the result
    digitised, of completed), `result_digitised` (of completed), `reuse`,
    `online_payment`, `e_result`, `satisfaction`, `on_time`, and `time_reduction` (a value).
    With a `catalogue` (canonical_catalogue), dossiers are looked up in it: the level, online
    payment and statutory time of their procedure count as REFERENCE rev. 2 §4 says."""
    p = parse_period(period)
    c = canonical_dossiers(frame)
    tn, kq = c["ngay_tiep_nhan"], c["ngay_co_ket_qua"]
    received = (tn >= p.start) & (tn <= p.end) & (c["trang_thai"] != "da_huy")
    completed = (kq >= p.start) & (kq <= p.end) & c["trang_thai"].isin(["da_tra_ket_qua", "da_xu_ly_xong"])
    online = c["hinh_thuc_nop"] == "truc_tuyen"
    rated = (kq >= p.start) & (kq <= p.end) & (c["danh_gia"] != "chua_danh_gia")
    handled = _handled(c, p)
    result_digitised = c["ket_qua_dien_tu"].astype(bool)
    if "ket_qua_so_hoa" in c.columns:
        result_digitised = result_digitised | c["ket_qua_so_hoa"].astype(bool)

    def ratio(den: pd.Series, num: pd.Series) -> dict[str, float]:
        d, k = int(den.sum()), int((den & num).sum())
        return {"numerator": k, "denominator": d, "value": (100.0 * k / d) if d else float("nan")}

    rows = _procedure_rows(c, catalogue) if catalogue is not None else np.full(len(c), -1)
    matched = pd.Series(rows >= 0, index=c.index)

    def procedure(field: str, blank=None) -> pd.Series:
        if catalogue is None or field not in catalogue.columns:
            return pd.Series(blank, index=c.index, dtype=object)
        values = catalogue[field].to_numpy(dtype=object)[np.where(rows >= 0, rows, 0)]
        return pd.Series(np.where(rows >= 0, values, blank), index=c.index, dtype=object)

    level = c["muc_do_dvc"].where(c["muc_do_dvc"].notna() & (c["muc_do_dvc"] != "?"), procedure("muc_do_dvc"))
    fee = received & (c["le_phi"].fillna(0) > 0)
    if catalogue is not None and "thanh_toan_truc_tuyen" in catalogue.columns:
        fee = fee & procedure("thanh_toan_truc_tuyen", False).astype(bool)
    out = {
        "online": ratio(received, online),
        # the generator's rate: online and toàn trình among every dossier received
        "full_online": ratio(received, online & (c["muc_do_dvc"] == "toan_trinh")),
        # the rule (REFERENCE rev. 2 §4): online among dossiers of procedures offered fully online
        "full_online_processing": ratio(received & (level == "toan_trinh"), online),
        "digitized": ratio(received, c["so_hoa"]),
        "digitized_completed": ratio(completed, c["so_hoa"]),
        # binh-minh: components and result digitised; the result alone (an electronic result is born digital)
        "digitized_with_result": ratio(completed, c["so_hoa"] & result_digitised),
        "result_digitised": ratio(completed, result_digitised),
        "reuse": ratio(received, c["tai_su_dung"]),
        "online_payment": ratio(fee, c["thanh_toan_truc_tuyen"]),
        "e_result": ratio(completed, c["ket_qua_dien_tu"]),
        "satisfaction": ratio(rated, c["danh_gia"].isin(["rat_hai_long", "hai_long"])),
        "on_time": ratio(handled, _on_time(c, p)),
    }
    in_catalogue = matched if catalogue is not None else pd.Series(True, index=c.index)
    statutory = pd.to_numeric(c["thoi_han_quy_dinh"], errors="coerce").where(
        c["thoi_han_quy_dinh"].notna(), pd.to_numeric(procedure("thoi_han_quy_dinh"), errors="coerce"))
    known = completed & in_catalogue & tn.notna() & kq.notna() & (statutory.fillna(0) > 0)
    hol = _hol(p)
    if known.any():  # against the statutory time
        a = tn[known].to_numpy("datetime64[D]")
        used = _bd_count(a, kq[known].to_numpy("datetime64[D]"), hol).clip(min=0).sum()
        allowed = statutory[known].sum()
        days = int(allowed) if float(allowed).is_integer() else float(allowed)
        out["time_reduction"] = {"numerator": int(used), "denominator": days, "method": "statutory",
                                 "value": 100.0 * (1 - used / allowed)}
        return out
    tr = completed & in_catalogue & tn.notna() & c["ngay_hen_tra"].notna()
    a = tn[tr].to_numpy("datetime64[D]")
    used = _bd_count(a, kq[tr].to_numpy("datetime64[D]"), hol).clip(min=0).sum()
    allowed = _bd_count(a, c["ngay_hen_tra"][tr].to_numpy("datetime64[D]"), hol).clip(min=0).sum()
    out["time_reduction"] = {"numerator": int(used), "denominator": int(allowed), "method": "appointment_date",
                             "value": 100.0 * (1 - used / allowed) if allowed else float("nan")}
    return out


# ----------------------------------------------------------------------------------------------
# thong_ke

_STAT_HEADERS = {
    "igate": {
        "linh_vuc": "Lĩnh vực giải quyết",
        "tiep_nhan": "Số hồ sơ nhận giải quyết" + SEP + "Tổng số",
        "ky_truoc": "Số hồ sơ nhận giải quyết" + SEP + "Kỳ trước chuyển qua",
        "truc_tuyen": "Số hồ sơ nhận giải quyết" + SEP + "Trực tuyến",
        "truc_tiep": "Số hồ sơ nhận giải quyết" + SEP + "Trực tiếp",
        "buu_chinh": "Số hồ sơ nhận giải quyết" + SEP + "Bưu chính",
        "da_giai_quyet": "Số hồ sơ đã giải quyết" + SEP + "Tổng số",
        "truoc_han": "Số hồ sơ đã giải quyết" + SEP + "Trước hạn",
        "dung_han": "Số hồ sơ đã giải quyết" + SEP + "Đúng hạn",
        "qua_han": "Số hồ sơ đã giải quyết" + SEP + "Quá hạn",
        "dang_giai_quyet": "Số hồ sơ đang giải quyết" + SEP + "Tổng số",
        "dang_trong_han": "Số hồ sơ đang giải quyết" + SEP + "Trong hạn",
        "dang_qua_han": "Số hồ sơ đang giải quyết" + SEP + "Quá hạn",
    },
    "viettel": {
        "linh_vuc": "Tên lĩnh vực",
        "tiep_nhan": "Số hồ sơ nhận giải quyết" + SEP + "Tổng số",
        "ky_truoc": "Số hồ sơ nhận giải quyết" + SEP + "Từ kỳ trước",
        "truc_tuyen": "Số hồ sơ nhận giải quyết" + SEP + "Trực tuyến",
        "truc_tiep": "Số hồ sơ nhận giải quyết" + SEP + "Trực tiếp",
        "buu_chinh": "Số hồ sơ nhận giải quyết" + SEP + "BCCI",
        "da_giai_quyet": "Số hồ sơ đã giải quyết" + SEP + "Tổng số",
        "truoc_han": "Số hồ sơ đã giải quyết" + SEP + "Trả trước hạn",
        "dung_han": "Số hồ sơ đã giải quyết" + SEP + "Trả đúng hạn",
        "qua_han": "Số hồ sơ đã giải quyết" + SEP + "Trả quá hạn",
        "dang_giai_quyet": "Số hồ sơ đang giải quyết" + SEP + "Tổng số",
        "dang_trong_han": "Số hồ sơ đang giải quyết" + SEP + "Chưa đến hạn",
        "dang_qua_han": "Số hồ sơ đang giải quyết" + SEP + "Quá hạn",
    },
}


def statistics_report(dossier_frame: pd.DataFrame, period: str | Period = "2026-10", *,
                      style: str = "igate") -> pd.DataFrame:
    """Aggregate a dossier frame by lĩnh vực into the monthly statistics report (`thong_ke`).

    The population is handled(P) (cancelled dossiers left out). `tiếp nhận = trực tuyến + trực
    tiếp + bưu chính + kỳ trước` (a blank or unknown channel counts as in person), `đã giải quyết
    = trước hạn + đúng hạn + quá hạn` (finished within P), `đang giải quyết = trong hạn + quá hạn`
    (open at the end of P), and `tiếp nhận = đã giải quyết + đang giải quyết`; so the report's
    on-time and online shares equal the dossier frame's.
    """
    style = _check_style(style)
    p = parse_period(period)
    c = canonical_dossiers(dossier_frame)
    c = c[_handled(c, p)]
    tn, kq, ht = c["ngay_tiep_nhan"], c["ngay_co_ket_qua"], c["ngay_hen_tra"]
    new = tn >= p.start
    ch = c["hinh_thuc_nop"]
    finished = kq.notna() & (kq <= p.end)
    on_time = _on_time(c, p)
    tien_do = c["tien_do"] if "tien_do" in c else pd.Series(None, index=c.index, dtype=object)
    early = tien_do.eq("truoc_han") | (tien_do.isna() & on_time & ht.notna()
                                       & (kq.dt.normalize() < ht.dt.normalize()))
    parts = pd.DataFrame({
        "linh_vuc": c["linh_vuc"],
        "ky_truoc": ~new,
        "truc_tuyen": new & (ch == "truc_tuyen"),
        "buu_chinh": new & (ch == "buu_chinh"),
        "truc_tiep": new & ~ch.isin(["truc_tuyen", "buu_chinh"]),
        "truoc_han": finished & on_time & early,
        "dung_han": finished & on_time & ~early,
        "qua_han": finished & ~on_time,
        "dang_trong_han": ~finished & on_time,
        "dang_qua_han": ~finished & ~on_time,
    })
    sums = parts.groupby("linh_vuc", sort=False).sum().astype(np.int64)
    order = {lbl: i for i, v in enumerate(_FIELDS.values()) for lbl in v[:2]}
    sums = sums.iloc[sorted(range(len(sums)), key=lambda i: (order.get(sums.index[i], 10_000), sums.index[i]))]
    sums["tiep_nhan"] = sums[["truc_tuyen", "truc_tiep", "buu_chinh", "ky_truoc"]].sum(axis=1)
    sums["da_giai_quyet"] = sums[["truoc_han", "dung_han", "qua_han"]].sum(axis=1)
    sums["dang_giai_quyet"] = sums[["dang_trong_han", "dang_qua_han"]].sum(axis=1)
    heads = _STAT_HEADERS[style]
    cols = list(heads)[1:]
    out = sums.reset_index()[["linh_vuc", *cols]]
    return out.rename(columns=heads).reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# van_ban_di, ho_so_cong_viec

_DOC_TYPES = [  # (ký hiệu, tên loại, weight, first number of the month)
    ("UBND-VP", "Công văn", 0.42, 1480),
    ("QĐ-UBND", "Quyết định", 0.2, 1215),
    ("KH-UBND", "Kế hoạch", 0.08, 236),
    ("BC-UBND", "Báo cáo", 0.12, 388),
    ("TB-UBND", "Thông báo", 0.08, 301),
    ("TTr-UBND", "Tờ trình", 0.04, 142),
    ("GM-UBND", "Giấy mời", 0.06, 265),
]
_SUBJECTS = {
    "Công văn": ["V/v triển khai thu thập, cập nhật dữ liệu dân cư trên địa bàn xã",
                 "V/v đôn đốc thực hiện dịch vụ công trực tuyến toàn trình",
                 "V/v tăng cường thanh toán không dùng tiền mặt trong giải quyết thủ tục hành chính",
                 "V/v rà soát, cấp chữ ký số cho cán bộ, công chức",
                 "V/v phối hợp phủ sóng mạng di động 5G đến các thôn, ấp",
                 "V/v chấn chỉnh việc giải quyết hồ sơ trễ hạn",
                 "V/v số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                 "V/v hướng dẫn người dân kích hoạt tài khoản định danh điện tử VNeID",
                 "V/v góp ý dự thảo quy chế làm việc của Ủy ban nhân dân xã"],
    "Quyết định": ["Quyết định về việc công nhận hộ nghèo, hộ cận nghèo phát sinh",
                   "Quyết định về việc hỗ trợ chi phí mai táng",
                   "Quyết định về việc thành lập Tổ công nghệ số cộng đồng",
                   "Quyết định về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính",
                   "Quyết định về việc trợ cấp xã hội hàng tháng",
                   "Quyết định về việc kiện toàn Ban Chỉ đạo chuyển đổi số xã"],
    "Kế hoạch": ["Kế hoạch chuyển đổi số năm 2027", "Kế hoạch tuyên truyền cải cách hành chính quý IV",
                 "Kế hoạch bồi dưỡng kỹ năng số cho cán bộ, công chức",
                 "Kế hoạch kiểm tra công tác cải cách hành chính"],
    "Báo cáo": ["Báo cáo kết quả công tác cải cách hành chính tháng 10",
                "Báo cáo tình hình thực hiện Đề án 06 tháng 10",
                "Báo cáo kết quả giải quyết thủ tục hành chính tháng 10",
                "Báo cáo công tác chuyển đổi số quý III", "Báo cáo tình hình kinh tế - xã hội tháng 10"],
    "Thông báo": ["Thông báo kết luận cuộc họp giao ban", "Thông báo lịch tiếp công dân tháng 11",
                  "Thông báo lịch trực Trung tâm Phục vụ hành chính công"],
    "Tờ trình": ["Tờ trình đề nghị phê duyệt dự toán kinh phí chuyển đổi số",
                 "Tờ trình đề nghị khen thưởng tập thể, cá nhân"],
    "Giấy mời": ["Giấy mời dự hội nghị sơ kết chuyển đổi số", "Giấy mời họp giao ban tháng 10"],
}
_SECRET_SUBJECTS = ["Báo cáo tình hình an ninh trật tự trên địa bàn", "Kế hoạch bảo vệ an ninh chính trị nội bộ",
                    "Phương án phòng thủ dân sự"]


def outgoing_documents(
    n: int,
    period: str | Period = "2026-10",
    seed: int | np.random.Generator | None = 0,
    *,
    signed: float = 0.98,
    secret: int = 2,
    style: str = "igate",
    signers: Sequence[str] = ("Trần Văn Hùng", "Lê Thị Hạnh", "Nguyễn Đức Minh"),
) -> pd.DataFrame:
    """The outgoing-document register (`van_ban_di`) of `period`: `n` documents, `secret` of them
    classified (`Mật`, signed by hand); exactly round(`signed` × non-secret) digitally signed."""
    style = _check_style(style)
    rng = _rng(seed)
    p = parse_period(period)
    hol = _hol(p)
    p_last = np.busday_offset(p.last, 0, roll="backward", holidays=hol)
    day = np.sort(_pick_bday(np.full(n, p.first), np.full(n, p_last), rng.random(n), hol))
    t = rng.choice(len(_DOC_TYPES), size=n, p=np.array([d[2] for d in _DOC_TYPES]) / sum(d[2] for d in _DOC_TYPES))
    is_secret = np.zeros(n, dtype=bool)
    is_secret[rng.choice(n, size=min(secret, n), replace=False)] = True
    t[is_secret] = 3  # classified reports
    number = np.zeros(n, dtype=np.int64)
    for i, (_, _, _, first) in enumerate(_DOC_TYPES):
        where = np.flatnonzero(t == i)
        number[where] = first + np.arange(where.size)
    kind = [_DOC_TYPES[i] for i in t]
    numbers = [f"{num}/{k[0]}" for num, k in zip(number, kind)]
    subjects = [(_SECRET_SUBJECTS[rng.integers(len(_SECRET_SUBJECTS))] if sec
                 else _SUBJECTS[k[1]][rng.integers(len(_SUBJECTS[k[1]]))]) for k, sec in zip(kind, is_secret)]
    signed_mask = _exact(rng, ~is_secret, signed)
    signer = _pick(rng, signers, n, [0.45] + [0.55 / max(1, len(signers) - 1)] * (len(signers) - 1))
    date = pd.to_datetime(day)
    copies = rng.integers(2, 12, n)
    if style == "igate":
        return pd.DataFrame({
            "Số, ký hiệu văn bản": numbers,
            "Ngày ban hành": date,
            "Tên loại và trích yếu nội dung văn bản": subjects,
            "Người ký": signer,
            "Nơi nhận": _pick(rng, ["UBND tỉnh", "Các phòng, ban thuộc UBND xã", "Các ấp", "Sở Nội vụ",
                                     "Đảng ủy xã", "Các cơ quan, đơn vị có liên quan"], n),
            "Số lượng bản": copies,
            "Hình thức ký": np.where(signed_mask, "Ký số", "Ký tay").astype(object),
            "Độ mật": np.where(is_secret, "Mật", None).astype(object),
        })
    return pd.DataFrame({
        "Số ký hiệu": numbers,
        "Ngày văn bản": date,
        "Trích yếu": subjects,
        "Người ký": signer,
        "Đơn vị soạn thảo": _pick(rng, ["Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội",
                                         "Trung tâm Phục vụ hành chính công"], n),
        "Ký số": np.where(signed_mask, "Đã ký số", "Chưa ký số").astype(object),
        "Mức độ mật": np.where(is_secret, "Mật", "Thường").astype(object),
    })


_WORK_TITLES = ["Hồ sơ giải quyết đơn kiến nghị của công dân", "Hồ sơ tổ chức hội nghị giao ban",
                "Hồ sơ xây dựng kế hoạch chuyển đổi số", "Hồ sơ kiểm tra công tác cải cách hành chính",
                "Hồ sơ thẩm định dự toán kinh phí", "Hồ sơ quản lý trật tự xây dựng",
                "Hồ sơ rà soát hộ nghèo, hộ cận nghèo", "Hồ sơ tổ chức lễ hội truyền thống",
                "Hồ sơ phòng, chống thiên tai", "Hồ sơ thi đua, khen thưởng"]


def work_records(
    n: int,
    period: str | Period = "2026-10",
    seed: int | np.random.Generator | None = 0,
    *,
    online: float = 1.0,
    secret: int = 1,
    style: str = "viettel",
) -> pd.DataFrame:
    """Work records (`ho_so_cong_viec`) opened in `period`: `secret` classified ones handled on
    paper; exactly round(`online` × the others) handled on the network."""
    style = _check_style(style)
    rng = _rng(seed)
    p = parse_period(period)
    hol = _hol(p)
    day = np.sort(_pick_bday(np.full(n, p.first), np.full(n, p.last), rng.random(n), hol))
    is_secret = np.zeros(n, dtype=bool)
    is_secret[rng.choice(n, size=min(secret, n), replace=False)] = True
    on_net = _exact(rng, ~is_secret, online)
    year = pd.Timestamp(p.first).year
    titles = _pick(rng, _WORK_TITLES, n)
    titles[is_secret] = "Hồ sơ bảo vệ bí mật nhà nước"
    igate = style == "igate"
    return pd.DataFrame({
        "Mã" if igate else "Mã hồ sơ công việc": [f"HSCV.{year}.{i:04d}" for i in range(101, 101 + n)],
        "Tên hồ sơ" if igate else "Tiêu đề hồ sơ": titles,
        "Ngày mở hồ sơ": pd.to_datetime(day),
        "Cán bộ xử lý": _names(rng, n),
        "Xử lý trên mạng" if igate else "Xử lý trên môi trường mạng":
            np.where(on_net, "Có", "Không").astype(object),
        "Độ mật": np.where(is_secret, "Mật", "Thường").astype(object),
    })


# ----------------------------------------------------------------------------------------------
# can_bo, thon

_POSTS = ["Chủ tịch UBND xã", "Phó Chủ tịch UBND xã", "Phó Chủ tịch UBND xã", "Chánh Văn phòng HĐND và UBND",
          "Phó Chánh Văn phòng HĐND và UBND", "Trưởng phòng Kinh tế", "Phó Trưởng phòng Kinh tế",
          "Trưởng phòng Văn hóa - Xã hội", "Phó Trưởng phòng Văn hóa - Xã hội",
          "Giám đốc Trung tâm Phục vụ hành chính công", "Phó Giám đốc Trung tâm Phục vụ hành chính công"]
_STAFF_POSTS = ["Chuyên viên Văn phòng HĐND và UBND", "Chuyên viên Phòng Kinh tế",
                "Chuyên viên Phòng Văn hóa - Xã hội", "Công chức Tư pháp - Hộ tịch",
                "Công chức Địa chính - Xây dựng", "Công chức Tài chính - Kế toán",
                "Chuyên viên Trung tâm Phục vụ hành chính công", "Công chức Văn hóa - Xã hội"]
_STAFF_FIELDS = ("da_boi_duong_so", "co_chu_ky_so", "co_tai_khoan", "co_email_cong_vu",
                 "dung_quy_trinh_van_ban", "dung_hop_khong_giay")
_STAFF_HEADERS = {
    "igate": {"ho_ten": "Họ và tên", "nam_sinh": "Năm sinh", "chuc_vu": "Chức vụ",
              "da_boi_duong_so": "Đã bồi dưỡng kỹ năng số", "co_chu_ky_so": "Có chữ ký số",
              "co_tai_khoan": "Có tài khoản", "co_email_cong_vu": "Email công vụ",
              "dung_quy_trinh_van_ban": "Đúng quy trình văn bản", "dung_hop_khong_giay": "Họp không giấy"},
    "viettel": {"ho_ten": "Họ tên", "nam_sinh": "Năm sinh", "chuc_vu": "Chức danh",
                "da_boi_duong_so": "Đã tập huấn chuyển đổi số", "co_chu_ky_so": "Đã cấp chữ ký số",
                "co_tai_khoan": "Tài khoản hệ thống", "co_email_cong_vu": "Thư điện tử công vụ",
                "dung_quy_trinh_van_ban": "Đúng quy trình văn bản",
                "dung_hop_khong_giay": "Sử dụng phần mềm họp không giấy"},
}


def staff(
    n: int,
    seed: int | np.random.Generator | None = 0,
    *,
    lacking: Mapping[str, int] | None = None,
    style: str = "igate",
) -> pd.DataFrame:
    """The commune's staff list (`can_bo`): leaders first, then civil servants. `lacking` maps a
    yes/no field (`co_chu_ky_so`, `da_boi_duong_so`, …) to how many staff lack it (chosen among
    the civil servants). iGate style writes `Có`/`Không`, Viettel style `x` or blank."""
    style = _check_style(style)
    rng = _rng(seed)
    lacking = dict(lacking or {})
    unknown = set(lacking) - set(_STAFF_FIELDS)
    if unknown:
        raise ValueError(f"unknown staff field(s): {sorted(unknown)}")
    posts = (_POSTS + list(_pick(rng, _STAFF_POSTS, max(0, n - len(_POSTS)))))[:n]
    yes, no = ("Có", "Không") if style == "igate" else ("x", None)
    heads = _STAFF_HEADERS[style]
    data: dict[str, Any] = {heads["ho_ten"]: _names(rng, n), heads["nam_sinh"]: rng.integers(1968, 2001, n),
                            heads["chuc_vu"]: posts}
    junior = np.arange(n) >= min(len(_POSTS), n // 2)
    for name in _STAFF_FIELDS:
        has = np.ones(n, dtype=bool)
        k = lacking.get(name, 0)
        if k:
            has[rng.choice(np.flatnonzero(junior), size=k, replace=False)] = False
        data[heads[name]] = np.where(has, yes, no).astype(object)
    return pd.DataFrame(data)


_VILLAGE_NAMES = {
    "Thôn": ["Đông Hòa", "Tây Sơn", "Trung Hậu", "Phú Mỹ", "Hoàng Xá", "Sơn Thủy", "Thượng", "Hạ Vinh",
             "Tân Lập", "Văn Phong", "Đồng Tâm", "Khánh Hòa", "An Phú", "Bắc Sơn", "Nam Sơn", "Yên Thịnh"],
    "Ấp": ["Tân Bắc", "Tân Thành", "Tân Lập", "Tân Phát", "Tân Hòa", "Bình Hòa", "Bùi Chu", "Phúc Nhạc 1",
           "Phúc Nhạc 2", "Thanh Hóa", "Lộc Hòa", "Bình Minh", "Tân Cang", "Quảng Đà", "Sông Mây"],
}
_VILLAGE_FIELDS = ("phu_song_5g", "phong_hop_truc_tuyen", "to_cong_nghe_so", "diem_ho_tro_so")
_VILLAGE_HEADERS = {
    "igate": {"phu_song_5g": "Phủ sóng 5G", "phong_hop_truc_tuyen": "Điểm cầu trực tuyến",
              "to_cong_nghe_so": "Tổ công nghệ số cộng đồng", "diem_ho_tro_so": "Điểm hỗ trợ công nghệ số"},
    "viettel": {"phu_song_5g": "Sóng 5G", "phong_hop_truc_tuyen": "Phòng họp trực tuyến",
                "to_cong_nghe_so": "Tổ CNSCĐ", "diem_ho_tro_so": "Điểm tư vấn, hỗ trợ"},
}


def villages(
    n: int,
    seed: int | np.random.Generator | None = 0,
    *,
    kind: str = "Thôn",
    lacking: Mapping[str, int] | None = None,
    style: str = "viettel",
) -> pd.DataFrame:
    """The villages (`thon`): `kind` is `Thôn` (northern communes) or `Ấp` (the south). `lacking`
    maps `phu_song_5g`, `phong_hop_truc_tuyen`, `to_cong_nghe_so`, `diem_ho_tro_so` to how many
    villages lack it (`Chưa`)."""
    style = _check_style(style)
    if kind not in _VILLAGE_NAMES:
        raise ValueError("kind must be 'Thôn' or 'Ấp'")
    rng = _rng(seed)
    lacking = dict(lacking or {})
    unknown = set(lacking) - set(_VILLAGE_FIELDS)
    if unknown:
        raise ValueError(f"unknown village field(s): {sorted(unknown)}")
    pool = _VILLAGE_NAMES[kind]
    names = [f"{kind} {pool[i]}" if i < len(pool) else f"{kind} {i + 1}" for i in range(n)]
    heads = _VILLAGE_HEADERS[style]
    data: dict[str, Any] = {f"Tên {kind.lower()}": names, "Số hộ": rng.integers(180, 720, n)}
    for name in _VILLAGE_FIELDS:
        has = np.ones(n, dtype=bool)
        k = lacking.get(name, 0)
        if k:
            has[rng.choice(n, size=k, replace=False)] = False
        data[heads[name]] = np.where(has, "Có", "Chưa").astype(object)
    return pd.DataFrame(data)


# ----------------------------------------------------------------------------------------------
# thu_tuc


def procedures(
    seed: int | np.random.Generator | None = 0,
    *,
    online_payment: float = 0.85,
    full_online: float = 0.85,
    style: str = "igate",
) -> pd.DataFrame:
    """The commune's procedure catalogue (`thu_tuc`): exactly round(`online_payment` × fee-bearing
    procedures) have online payment deployed, exactly round(`full_online` × procedures eligible
    for full-online service) are provided toàn trình."""
    style = _check_style(style)
    rng = _rng(seed)
    cat = catalogue()
    eligible = cat["du_dieu_kien"].to_numpy(bool)
    has_fee = np.array([f != 0 for f in cat["phi"]])
    full = _exact(rng, eligible, full_online, priority=(cat["muc_do"] == "toan_trinh").to_numpy(np.int8))
    level = np.where(full, "toan_trinh", "mot_phan").astype(object)
    level[~eligible & (cat["trong_so"].to_numpy() < 0.2)] = "khong"
    pay = _exact(rng, has_fee, online_payment)
    st = _STYLE[style]
    fields_lbl = [_field_label(k, style) for k in cat["linh_vuc"]]
    yn = np.array(["Không", "Có"], dtype=object)
    if style == "igate":
        return pd.DataFrame({
            "Mã TTHC": cat["ma_thu_tuc"], "Tên thủ tục": cat["ten_thu_tuc"], "Lĩnh vực": fields_lbl,
            "Số ngày giải quyết": cat["ngay"], "Mức độ DVC": [st.level[x] for x in level],
            "Đủ điều kiện toàn trình": yn[eligible.astype(int)], "Có phí, lệ phí": yn[has_fee.astype(int)],
            "Đã triển khai thanh toán trực tuyến": np.where(has_fee, yn[pay.astype(int)], None),
            "Liên quan doanh nghiệp": yn[cat["lien_quan_dn"].to_numpy(int)],
        })
    x = np.array([None, "x"], dtype=object)
    return pd.DataFrame({
        "Mã thủ tục": cat["ma_thu_tuc"], "Tên thủ tục hành chính": cat["ten_thu_tuc"], "Tên lĩnh vực": fields_lbl,
        "Mức độ dịch vụ công": [st.level[x_] for x_ in level],
        "Đủ điều kiện cung cấp toàn trình": x[eligible.astype(int)], "Nghĩa vụ tài chính": x[has_fee.astype(int)],
        "Thanh toán trực tuyến": x[(pay & has_fee).astype(int)],
        "Liên quan doanh nghiệp": x[cat["lien_quan_dn"].to_numpy(int)],
    })


# ----------------------------------------------------------------------------------------------
# phan_anh

_FEEDBACK_TOPICS = [
    "Phản ánh việc chậm trả kết quả hồ sơ đăng ký biến động đất đai",
    "Kiến nghị sửa chữa tuyến đường giao thông nông thôn bị xuống cấp",
    "Phản ánh tình trạng thu gom rác thải không đúng lịch",
    "Phản ánh tiếng ồn từ cơ sở sản xuất trong khu dân cư",
    "Kiến nghị lắp đặt đèn chiếu sáng công cộng",
    "Phản ánh khó khăn khi nộp hồ sơ trực tuyến trên Cổng dịch vụ công",
    "Phản ánh việc yêu cầu nộp thêm giấy tờ không có trong quy định",
    "Kiến nghị nạo vét kênh mương nội đồng",
    "Phản ánh việc lấn chiếm hành lang an toàn giao thông",
    "Phản ánh thái độ tiếp dân của cán bộ bộ phận một cửa",
]


def feedback(
    n: int,
    period: str | Period = "2026-10",
    seed: int | np.random.Generator | None = 0,
    *,
    on_time: float = 1.0,
    carried_over: int = 2,
    days: int = 10,
    style: str = "igate",
) -> pd.DataFrame:
    """Citizen feedback and petitions (`phan_anh`) handled in `period`: `carried_over` received
    the month before, the answer due `days` working days after receipt; exactly
    n − round(`on_time` × n) answered late (all rows are in the handled population)."""
    style = _check_style(style)
    rng = _rng(seed)
    p = parse_period(period)
    hol = _hol(p)
    p_first = _bd_offset(p.first, 0, hol)
    p_last = np.busday_offset(p.last, 0, roll="backward", holidays=hol)
    carried = np.zeros(n, dtype=bool)
    carried[rng.choice(n, size=min(carried_over, n), replace=False)] = True
    late = _exact(rng, np.ones(n, dtype=bool), 1.0 - on_time)
    u = rng.random(n)
    lo = np.full(n, p_first)
    hi = np.full(n, p_last)
    hi[late] = _bd_offset(np.full(late.sum(), p_last), -(days + 2), hol)
    recv = _pick_bday(lo, hi, u, hol)
    recv[carried] = _bd_offset(np.full(carried.sum(), p_first), -rng.integers(1, days, carried.sum()), hol)
    due = _bd_offset(recv, days, hol)
    # answered: on time within [max(receipt, P start), min(due, P end)]; late 1-3 days after the due day
    start = np.maximum(recv, p_first)
    top = np.minimum(due, p_last)
    span = np.maximum(_bd_count(start, top + _DAY, hol), 1)
    answered = _bd_offset(start, np.minimum((rng.random(n) * span).astype(np.int64), span - 1), hol)
    answered[late] = _bd_offset(due[late], rng.integers(1, 4, late.sum()), hol)
    answered[late] = np.minimum(answered[late], p_last)
    # a few on-time ones received late in the month are still open, their due day after P
    still_open = ~late & ~carried & (due > p_last) & (rng.random(n) < 0.5)
    year = pd.Timestamp(p.first).year
    ids = [f"PAKN.{year}.{i:05d}" for i in 1000 + np.argsort(np.argsort(recv, kind="stable"), kind="stable")]
    recv_at = pd.to_datetime(_at(recv, rng.integers(7 * 60 + 30, 16 * 60 + 30, n)))
    ans = pd.Series(pd.to_datetime(_at(answered, rng.integers(8 * 60, 17 * 60, n))))
    ans[still_open] = pd.NaT
    result = np.where(still_open, "Đang xử lý", "Đã trả lời").astype(object)
    if style == "igate":
        frame = pd.DataFrame({
            "Mã phản ánh": ids, "Người phản ánh": _names(rng, n), "Nội dung phản ánh": _pick(rng, _FEEDBACK_TOPICS, n),
            "Ngày tiếp nhận": recv_at, "Hạn xử lý": pd.to_datetime(due), "Ngày xử lý": ans.to_numpy(),
            "Kết quả xử lý": result,
        })
    else:
        frame = pd.DataFrame({
            "Mã PAKN": ids, "Nội dung": _pick(rng, _FEEDBACK_TOPICS, n), "Ngày tiếp nhận": recv_at,
            "Hạn trả lời": pd.to_datetime(due), "Ngày trả lời": ans.to_numpy(), "Kết quả xử lý": result,
        })
    return frame.sort_values(frame.columns[0], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# chi_tieu


def declared_indicators(
    values: Mapping[str, float] | Sequence[tuple[Any, ...]],
    period: str | Period = "2026-10",
    *,
    titles: Mapping[str, str] | None = None,
    style: str = "igate",
) -> pd.DataFrame:
    """Declared indicators (`chi_tieu`), one row per item keyed by a rule id (`vneid`, `cashless`)
    or an indicator's name. `values` is `{key: value}` (all for `period`) or a sequence of
    `(key, value)` / `(key, value, kỳ)` items, so one sheet can hold several months. iGate style
    writes numbers with a unit column; Viettel style writes Vietnamese-notation text `87,35 %`."""
    style = _check_style(style)
    p = parse_period(period)
    titles = dict(titles or {})
    items = [(k, v, p.label) for k, v in values.items()] if isinstance(values, Mapping) else \
        [(it[0], it[1], it[2] if len(it) > 2 else p.label) for it in values]
    keys = [it[0] for it in items]
    if style == "igate":
        return pd.DataFrame({
            "Mã chỉ tiêu": keys,
            "Nội dung chỉ tiêu": [titles.get(k) for k in keys],
            "Đơn vị tính": ["%"] * len(items),
            "Giá trị": [float(it[1]) for it in items],
            "Kỳ": [it[2] for it in items],
        })
    return pd.DataFrame({
        "Chỉ tiêu": keys,
        "Diễn giải": [titles.get(k) for k in keys],
        "Kết quả": [f"{float(it[1]):.2f}".replace(".", ",") + " %" for it in items],
        "Kỳ báo cáo": [it[2] for it in items],
    })
