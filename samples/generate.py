"""Generate the shipped October-2026 sample exports of Bình Minh and Hoàng Sơn.

    python samples/generate.py [OUTPUT_DIR]      (default: the folder of this script)

Deterministic: every run writes byte-identical files (fixed seeds; the writer fixes workbook
timestamps and zip dates). Besides the workbooks it writes README.md, whose tables of true
figures are computed straight from the generated records (not by the evaluator), so they can
serve as expected values for `dxcheck evaluate`.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the data generator lives with the tests
from dxcheck_synth import records as R  # noqa: E402
from dxcheck_synth.report import ReportSheet, write_plain_xlsx, write_workbook  # noqa: E402

PERIOD = "2026-10"
P = R.parse_period(PERIOD)


@dataclass
class Commune:
    slug: str
    name: str
    pack: str
    style: str
    village_kind: str
    seed: int
    n_dossiers: int
    rates: dict[str, float]
    n_staff: int
    staff_lacking: dict[str, int]
    n_villages: int
    village_lacking: dict[str, int]
    catalogue: dict[str, float]
    n_documents: int
    signed: float
    secret_documents: int
    n_feedback: int
    feedback_on_time: float
    declared: list[tuple[str, str | None, float, str]]  # (chỉ tiêu, diễn giải, value, kỳ)
    n_work_records: int = 0
    files: dict[str, str] = field(default_factory=dict)


BINH_MINH = Commune(
    slug="binh-minh", name="Bình Minh", pack="binh-minh-2030", style="igate", village_kind="Ấp", seed=20261001,
    n_dossiers=3200,
    # near seed 002 §II.1 (online > 99%, on time 99%, digitised 99.95%, online fee payment 97.29%)
    rates=dict(online=0.9925, full_online=0.80, on_time=0.99, digitized=0.9995, e_result=0.93, reuse=0.84,
               online_payment=0.9729, satisfaction=0.935, rated=0.38),
    n_staff=42, staff_lacking={"co_chu_ky_so": 1},
    n_villages=14, village_lacking={},
    catalogue=dict(online_payment=0.85, full_online=0.88),
    n_documents=160, signed=0.97, secret_documents=1,
    n_feedback=18, feedback_on_time=17 / 18,
    declared=[
        ("vneid", "Tỷ lệ người dân có tài khoản định danh điện tử (VNeID)", 86.9, "09/2026"),
        ("cashless", "Tỷ lệ giao dịch không dùng tiền mặt", 77.8, "09/2026"),
        ("vneid", "Tỷ lệ người dân có tài khoản định danh điện tử (VNeID)", 87.35, "10/2026"),
        ("cashless", "Tỷ lệ giao dịch không dùng tiền mặt", 78.6, "10/2026"),
        ("citizen-digital-signature", "Tỷ lệ dân số trưởng thành có và dùng chữ ký số cá nhân", 12.4, "10/2026"),
        ("business-digital-adoption", "Tỷ lệ doanh nghiệp ứng dụng công nghệ số", 63.5, "10/2026"),
        ("databases-digitized", "Tỷ lệ cơ sở dữ liệu của xã được số hóa, liên thông với tỉnh", 81.5, "10/2026"),
        ("data-integrated", "Tỷ lệ dữ liệu được tích hợp với nền tảng chia sẻ", 85.0, "10/2026"),
        ("digital-services-access", "Tỷ lệ dân số trưởng thành tiếp cận dịch vụ số", 91.2, "10/2026"),
        ("procedures-published", "TTHC được công bố, công khai đúng thời gian", 100.0, "10/2026"),
        ("no-resubmission", "Người dân không phải cung cấp lại giấy tờ đã có", 100.0, "10/2026"),
        ("legal-docs-on-schedule", "Văn bản QPPL hoàn thành đúng tiến độ", 100.0, "10/2026"),
        ("legal-docs-reviewed", "Văn bản QPPL được rà soát", 100.0, "10/2026"),
        ("location-independent-province", "TTHC không phụ thuộc địa giới hành chính trong tỉnh", 96.8, "10/2026"),
        ("location-independent-national", "TTHC giải quyết phi địa giới hành chính", 41.5, "10/2026"),
        ("internal-procedures-simplified", "TTHC nội bộ được rà soát, đơn giản hóa", 100.0, "10/2026"),
        ("public-spending-digital-accounting", "Chi tiêu công quản lý qua kế toán số", 100.0, "10/2026"),
        ("broadband-1gbps", "Truy cập băng rộng cố định trên 1 Gb/s", 64.0, "10/2026"),
        # the provincial satisfaction survey's figure for the commune (SIPAS): the official figure
        # comes first; Hoàng Sơn has none, so its satisfaction rests on the dossiers' ratings
        ("Chỉ số SIPAS", "Chỉ số hài lòng về sự phục vụ hành chính (khảo sát của tỉnh)", 93.8, "10/2026"),
    ],
)

HOANG_SON = Commune(
    slug="hoang-son", name="Hoàng Sơn", pack="hoang-son-2030", style="viettel", village_kind="Thôn",
    seed=20261002, n_dossiers=2400,
    rates=dict(online=0.985, full_online=0.915, on_time=0.9935, digitized=1.0, e_result=0.95, reuse=0.90,
               online_payment=0.96, satisfaction=0.993, rated=0.45),
    n_staff=38, staff_lacking={"dung_hop_khong_giay": 2},
    n_villages=12, village_lacking={"phu_song_5g": 1},
    catalogue=dict(online_payment=0.9, full_online=0.9),
    n_documents=120, signed=1.0, secret_documents=2,
    n_feedback=10, feedback_on_time=1.0,
    declared=[
        ("Hoạt động trên môi trường số", "100% hoạt động của cơ quan quản lý nhà nước thực hiện qua môi trường số",
         92.5, "10/2026"),
        ("CSDL chuyên ngành kết nối", "Các cơ sở dữ liệu chuyên ngành được kết nối, chia sẻ", 100.0, "10/2026"),
        ("Chuyển đổi số khối Đảng, đoàn thể", "Chuyển đổi số trong các cơ quan đảng, Mặt trận Tổ quốc và tổ chức "
         "chính trị - xã hội", 85.0, "10/2026"),
    ],
    n_work_records=64,
)

COMMUNES = (BINH_MINH, HOANG_SON)
FIELD_ORDER = {lbl: i for i, v in enumerate(R._FIELDS.values()) for lbl in v[:2]}


# ----------------------------------------------------------------------------------------------
# realism: what real exports get wrong


def _nfd(text: Any) -> Any:
    return unicodedata.normalize("NFD", text) if isinstance(text, str) else text


def _damage_binh_minh(frame: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, list[str]]:
    out = frame.copy()
    notes = []
    received = (out["Ngày › Tiếp nhận"] >= P.start) & (out["Trạng thái"] != "Đã hủy")
    # one unreadable deadline, on a dossier whose `Tiến độ` still decides it
    row = rng.choice(np.flatnonzero(received & (out["Tiến độ"] == "Trước hạn")))
    out["Ngày › Hẹn trả"] = out["Ngày › Hẹn trả"].astype(object)
    out.loc[row, "Ngày › Hẹn trả"] = "không rõ"
    notes.append(f"`không rõ` in `Ngày › Hẹn trả` of dossier {out.loc[row, 'Mã hồ sơ']}")
    # one channel value no vocabulary knows (the dossier was filed in person)
    row = rng.choice(np.flatnonzero(received & (out["Hình thức nộp"] == "Trực tiếp")))
    out.loc[row, "Hình thức nộp"] = "Khác"
    notes.append(f"unknown channel `Khác` on dossier {out.loc[row, 'Mã hồ sơ']} (filed in person)")
    # a few rows typed on a Mac: decomposed (NFD) text
    rows = rng.choice(len(out), size=6, replace=False)
    for col in ("Tên thủ tục", "Trạng thái", "Hình thức nộp"):
        out.loc[rows, col] = out.loc[rows, col].map(_nfd)
    notes.append("6 rows with NFD text in `Tên thủ tục`, `Trạng thái`, `Hình thức nộp`")
    return out, notes


def _damage_hoang_son(frame: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, list[str]]:
    out = frame.copy()
    notes = []
    received = (out["Ngày nhận hồ sơ"] >= P.start) & (out["Tình trạng hồ sơ"] != "Hủy hồ sơ")
    # the deadline column exported as text dd/mm/yyyy (no time of day: the end of that day)
    out["Hạn giải quyết"] = [None if pd.isna(d) else f"{d:%d/%m/%Y}" for d in out["Hạn giải quyết"]]
    notes.append("`Hạn giải quyết` is text dd/mm/yyyy")
    row = rng.choice(np.flatnonzero(received & (out["Tiến độ giải quyết"] == "Sớm hạn")))
    out.loc[row, "Hạn giải quyết"] = "31/09/2026"
    notes.append(f"impossible date `31/09/2026` in `Hạn giải quyết` of dossier {out.loc[row, 'Số hồ sơ']}")
    row = rng.choice(np.flatnonzero(received & (out["Tình trạng hồ sơ"] == "Đang giải quyết")
                                    & (out["Tiến độ giải quyết"] == "Trong hạn")))
    out.loc[row, "Tình trạng hồ sơ"] = "Chờ ký duyệt"
    notes.append(f"unknown status `Chờ ký duyệt` on open dossier {out.loc[row, 'Số hồ sơ']}")
    return out, notes


# ----------------------------------------------------------------------------------------------
# true figures of the non-dossier files


def _share(num: int, den: int) -> dict[str, Any]:
    return {"numerator": int(num), "denominator": int(den), "value": 100.0 * num / den if den else float("nan")}


def _yes(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, str) and unicodedata.normalize("NFC", v).strip()
                      in ("Có", "x", "Ký số", "Đã ký số"))


def _figures(c: Commune, frames: dict[str, pd.DataFrame], dossier_figs: dict) -> dict[str, dict[str, Any]]:
    f: dict[str, dict[str, Any]] = {}
    d = dossier_figs
    cat = frames["thu_tuc"]
    staff = frames["can_bo"]
    vil = frames["thon"]
    docs = frames["van_ban_di"]
    fb = frames["phan_anh"]
    if c.style == "igate":
        fee, pay = _yes(cat["Có phí, lệ phí"]), _yes(cat["Đã triển khai thanh toán trực tuyến"])
        elig, level, biz = _yes(cat["Đủ điều kiện toàn trình"]), cat["Mức độ DVC"], _yes(cat["Liên quan doanh nghiệp"])
        staff_cols = R._STAFF_HEADERS["igate"]
        vil_cols = R._VILLAGE_HEADERS["igate"]
        fb_recv, fb_due, fb_done = fb["Ngày tiếp nhận"], fb["Hạn xử lý"], fb["Ngày xử lý"]
        doc_date, doc_signed, doc_secret = docs["Ngày ban hành"], _yes(docs["Hình thức ký"]), docs["Độ mật"].notna()
    else:
        fee, pay = _yes(cat["Nghĩa vụ tài chính"]), _yes(cat["Thanh toán trực tuyến"])
        elig, level, biz = _yes(cat["Đủ điều kiện cung cấp toàn trình"]), cat["Mức độ dịch vụ công"], \
            _yes(cat["Liên quan doanh nghiệp"])
        staff_cols = R._STAFF_HEADERS["viettel"]
        vil_cols = R._VILLAGE_HEADERS["viettel"]
        fb_recv, fb_due, fb_done = fb["Ngày tiếp nhận"], fb["Hạn trả lời"], fb["Ngày trả lời"]
        doc_date, doc_signed, doc_secret = docs["Ngày văn bản"], _yes(docs["Ký số"]), docs["Mức độ mật"].eq("Mật")
    full = level.isin(["Toàn trình", "DVC toàn trình"])
    online_level = full | level.isin(["Một phần", "DVC một phần"])
    due_end = fb_due + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)  # a date-only deadline: end of that day
    handled = (fb_recv <= P.end) & (fb_done.isna() | (fb_done >= P.start))
    finished = fb_done.notna() & (fb_done <= P.end)
    fb_ok = (finished & (fb_done <= due_end)) | (~finished & (due_end >= P.end))
    issued = (doc_date >= P.start) & (doc_date <= P.end) & ~doc_secret
    if c.pack == "binh-minh-2030":
        f["on-time"] = d["on_time"]
        f["time-reduction"] = d["time_reduction"]
        f["online-payment-procedures"] = _share((fee & pay).sum(), fee.sum())
        f["online-payment-transactions"] = d["online_payment"]
        f["business-procedures-online"] = _share((biz & online_level).sum(), biz.sum())
        f["full-online-services"] = _share((elig & full).sum(), elig.sum())
        f["full-online-services-all"] = f["full-online-services"]
        f["online-dossiers"] = d["online"]
        f["online-processing"] = d["online"]
        f["digitized"] = d["digitized_with_result"]
        f["digitized-results"] = d["result_digitised"]
        f["electronic-results"] = d["e_result"]
        f["data-reuse"] = d["reuse"]
        f["feedback-on-time"] = _share((handled & fb_ok).sum(), handled.sum())
        for rule, key in (("staff-digital-skills", "da_boi_duong_so"), ("staff-digital-signature", "co_chu_ky_so"),
                          ("staff-paperless-meetings", "dung_hop_khong_giay")):
            f[rule] = _share(_yes(staff[staff_cols[key]]).sum(), len(staff))
        for rule, key in (("village-digital-team", "to_cong_nghe_so"), ("village-support-point", "diem_ho_tro_so")):
            f[rule] = _share(_yes(vil[vil_cols[key]]).sum(), len(vil))
    else:
        f["online-submission"] = d["online"]
        f["full-online-processing"] = d["full_online_processing"]
        f["satisfaction"] = d["satisfaction"]
        f["digitized"] = d["digitized"]
        f["on-time"] = d["on_time"]
        wr = frames["ho_so_cong_viec"]
        open_rows = wr["Độ mật"] != "Mật"
        f["work-records-online"] = _share((open_rows & _yes(wr["Xử lý trên môi trường mạng"])).sum(), open_rows.sum())
        f["staff-document-workflow"] = _share(_yes(staff[staff_cols["dung_quy_trinh_van_ban"]]).sum(), len(staff))
        f["outgoing-signed"] = _share((issued & doc_signed).sum(), issued.sum())
        for rule, key in (("village-5g", "phu_song_5g"), ("village-meeting-room", "phong_hop_truc_tuyen")):
            f[rule] = _share(_yes(vil[vil_cols[key]]).sum(), len(vil))
        for rule, key in (("staff-trained", "da_boi_duong_so"), ("digital-signatures-complete", "co_chu_ky_so")):
            f[rule] = _share(_yes(staff[staff_cols[key]]).sum(), len(staff))
        f.update(_staff_use_figures(staff))
    return f


# ----------------------------------------------------------------------------------------------
# what the rule-meaning revision (REFERENCE rev. 2 §4) needs in the files


def _result_digitisation(dossiers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """iGate's `Số hóa kết quả` beside `Kết quả điện tử`: an electronic result is digital already
    (`Có`); of the paper results about nine in ten were scanned into the system; blank while a
    dossier has no result."""
    out = dossiers.copy()
    has_result = out["Ngày › Có kết quả"].notna().to_numpy()
    electronic = (out["Kết quả điện tử"] == "Có").to_numpy()
    scanned = rng.random(len(out)) < 0.9
    values = np.where(electronic | scanned, "Có", "Không").astype(object)
    values[~has_result] = None
    out.insert(out.columns.get_loc("Kết quả điện tử") + 1, "Số hóa kết quả", values)
    return out


def _statutory_times(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The iGate catalogue with its handling times as catalogues print them: the statutory time
    (`05 ngày làm việc`) and the time the commune publishes after its cut (procedures of more than
    two days cut by about a third). The one-stop system still sets appointments at the statutory
    time, so the dossiers measure the cut actually achieved."""
    out = catalogue.copy()
    days = out.pop("Số ngày giải quyết").astype(int)
    published = days.where(days <= 2, (days * 2 / 3).round().astype(int))
    position = out.columns.get_loc("Lĩnh vực") + 1
    out.insert(position, "Thời hạn giải quyết theo quy định", [f"{d:02d} ngày làm việc" for d in days])
    out.insert(position + 1, "Thời hạn giải quyết công bố", [f"{d:02d} ngày làm việc" for d in published])
    return out


#: Hoàng Sơn's staff list as the account system exports it: who signed in when, and how much each
#: person handled. Row positions (from the end) of the staff whose use is planted.
_OLD_SIGN_IN_IDLE, _OLD_SIGN_IN_BUSY, _NEVER_SIGNED_IN, _PERSONAL_MAIL = -2, -3, -4, -1


def _staff_usage(staff: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Account names and official addresses instead of `x`, and the usage columns: most staff
    signed in during October or early November and handled documents and mail; two signed in
    last in August (one of them still handled documents in October), one never signed in, and
    one gives a personal gmail address."""
    from dxcheck.textnorm import fold

    out = staff.copy()
    n = len(out)
    names = [fold(str(name)).split() for name in out["Họ tên"]]
    accounts, seen = [], set()
    for parts in names:
        base = "".join(part[0] for part in parts[:-1]) + parts[-1]
        account, k = base, 1
        while account in seen:
            k += 1
            account = f"{base}{k}"
        seen.add(account)
        accounts.append(account)
    out["Tài khoản hệ thống"] = accounts
    mails = [f"{account}@hoangson.thanhhoa.gov.vn" for account in accounts]
    mails[_PERSONAL_MAIL] = f"{accounts[_PERSONAL_MAIL]}1987@gmail.com"
    out["Thư điện tử công vụ"] = mails
    days = rng.integers(0, 36, n)  # 01/10 .. 05/11
    signed_in = [pd.Timestamp(2026, 10, 1, 7, 30) + pd.Timedelta(days=int(d), minutes=int(m))
                 for d, m in zip(days, rng.integers(0, 600, n))]
    signed_in[_OLD_SIGN_IN_IDLE] = pd.Timestamp(2026, 8, 14, 9, 5)
    signed_in[_OLD_SIGN_IN_BUSY] = pd.Timestamp(2026, 8, 27, 15, 40)
    signed_in[_NEVER_SIGNED_IN] = None
    documents = rng.integers(3, 120, n)
    sent = rng.integers(1, 80, n)
    documents[[_OLD_SIGN_IN_IDLE, _NEVER_SIGNED_IN]] = 0
    sent[[_OLD_SIGN_IN_IDLE, _OLD_SIGN_IN_BUSY, _NEVER_SIGNED_IN]] = 0
    out["Lần đăng nhập cuối"] = signed_in
    out["Số văn bản đã xử lý"] = documents
    out["Số thư đã gửi"] = sent
    return out


def _staff_use_figures(staff: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """staff-account and staff-official-email on Hoàng Sơn's list, written out: an account (a
    user name) or an official (.gov.vn) address, used in the period: last sign-in on or after its
    start, or documents handled / mail sent."""
    signed = pd.to_datetime(staff["Lần đăng nhập cuối"]) >= P.start
    account = staff["Tài khoản hệ thống"].notna()
    official = staff["Thư điện tử công vụ"].str.endswith(".gov.vn")
    return {"staff-account": _share((account & (signed | (staff["Số văn bản đã xử lý"] > 0))).sum(), len(staff)),
            "staff-official-email": _share((official & (signed | (staff["Số thư đã gửi"] > 0))).sum(), len(staff))}


# ----------------------------------------------------------------------------------------------
# writing


def _sheet(c: Commune, name: str, frame: pd.DataFrame, title: str, **kw: Any) -> ReportSheet:
    kw.setdefault("period_line", P.line)
    return ReportSheet(name=name, frame=frame, title=title, commune=c.name, **kw)


def build(c: Commune, out: Path) -> dict[str, Any]:
    """Generate and write one commune's files; return what README.md reports about them."""
    out.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(c.seed).spawn(12)
    g = [np.random.default_rng(s) for s in seeds]
    igate = c.style == "igate"

    clean = R.dossiers(c.n_dossiers, PERIOD, g[0], c.rates, style=c.style, commune=c.name)
    stats = R.statistics_report(clean, PERIOD, style=c.style)
    damage = _damage_binh_minh if igate else _damage_hoang_son
    dossiers, notes = damage(clean, g[1])
    if igate:
        dossiers = _result_digitisation(dossiers, g[9])
    field_col = "Lĩnh vực" if igate else "Tên lĩnh vực"
    order = dossiers[field_col].map(lambda v: FIELD_ORDER.get(v, 99))
    dossiers = dossiers.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)

    frames = {
        "van_ban_di": R.outgoing_documents(c.n_documents, PERIOD, g[2], signed=c.signed, secret=c.secret_documents,
                                           style=c.style),
        "can_bo": R.staff(c.n_staff, g[3], lacking=c.staff_lacking, style=c.style),
        "thon": R.villages(c.n_villages, g[4], kind=c.village_kind, lacking=c.village_lacking, style=c.style),
        "thu_tuc": R.procedures(g[5], style=c.style, **c.catalogue),
        "phan_anh": R.feedback(c.n_feedback, PERIOD, g[6], on_time=c.feedback_on_time, style=c.style),
    }
    if igate:
        frames["thu_tuc"] = _statutory_times(frames["thu_tuc"])
    else:
        frames["can_bo"] = _staff_usage(frames["can_bo"], g[8])
    decl = pd.DataFrame(c.declared, columns=["key", "title", "value", "ky"])
    chi_tieu = R.declared_indicators([(k, v, ky) for k, _, v, ky in c.declared], PERIOD,
                                     titles={k: t for k, t, _, _ in c.declared if t}, style=c.style)
    if c.n_work_records:
        frames["ho_so_cong_viec"] = R.work_records(c.n_work_records, PERIOD, g[7], online=1.0, secret=2,
                                                   style=c.style)

    files: dict[str, str] = {}

    def put(name: str, what: str) -> Path:
        files[name] = what
        return out / name

    if igate:
        grouped = dossiers.assign(Nhóm="Lĩnh vực " + dossiers["Lĩnh vực"].map(lambda v: unicodedata.normalize("NFC", v)))
        write_workbook(put(f"ho-so-{PERIOD}.xlsx", "dossiers (ho_so), iGate-style report: merged `Ngày › …` header, "
                           "column numbers 1 2 3, group rows per lĩnh vực, total, signature"),
                       [_sheet(c, "Danh sách hồ sơ", grouped, "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                               group_by="Nhóm", drop_group_column=True, numbered_row="plain")])
        write_workbook(put(f"van-ban-di-{PERIOD}.xlsx", "outgoing-document register (van_ban_di), report style"),
                       [_sheet(c, "Sổ văn bản đi", frames["van_ban_di"], "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
                               numbered_row="paren", total_row=False)])
        write_workbook(put("can-bo.xlsx", "staff list (can_bo), report style, `Có`/`Không`"),
                       [_sheet(c, "Cán bộ", frames["can_bo"], "DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ BÌNH MINH",
                               period_line="(Tính đến ngày 31/10/2026)", numbered_row=None, total_row=False)])
        write_workbook(put("thon.xlsx", "villages (thon), `Tên ấp`, report style with a total of households"),
                       [_sheet(c, "Ấp", frames["thon"], "DANH SÁCH ẤP VÀ HẠ TẦNG SỐ",
                               period_line="(Tính đến ngày 31/10/2026)", numbered_row="plain")])
        write_plain_xlsx(put("thu-tuc.xlsx", "procedure catalogue (thu_tuc), a plain table"), frames["thu_tuc"],
                         sheet="Danh mục TTHC")
        write_workbook(put(f"phan-anh-{PERIOD}.xlsx", "citizen feedback (phan_anh), report style"),
                       [_sheet(c, "PAKN", frames["phan_anh"], "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ",
                               numbered_row="plain", total_row=False)])
        write_workbook(put(f"chi-tieu-{PERIOD}.xlsx", "declared indicators (chi_tieu) keyed by rule id, "
                           "September and October rows"),
                       [_sheet(c, "Chỉ tiêu", chi_tieu, "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ",
                               numbered_row=None, total_row=False)])
        write_workbook(put(f"thong-ke-{PERIOD}.xlsx", "statistics report (thong_ke) aggregated from the same "
                           "dossiers, merged two-level header, column numbers (1) (2) …, total row"),
                       [_sheet(c, "Thống kê", stats, "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                               numbered_row="paren")])
    else:
        write_workbook(put(f"ho-so-{PERIOD}.xlsx", "dossiers (ho_so), Viettel-style report: flat headers, "
                           "column numbers (1) (2) …, group rows per lĩnh vực, total, signature; "
                           "deadlines as text dd/mm/yyyy, fees as text `50.000`"),
                       [_sheet(c, "DS hồ sơ T10", dossiers, "BÁO CÁO CHI TIẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
                               group_by=field_col, numbered_row="paren")])
        write_plain_xlsx(put(f"van-ban-di-{PERIOD}.xlsx", "outgoing-document register (van_ban_di), a plain table"),
                         frames["van_ban_di"], sheet="Văn bản đi")
        write_workbook(put("can-bo.xlsx", "staff list (can_bo), `x`/blank, every text cell in NFD"),
                       [_sheet(c, "Cán bộ", frames["can_bo"], "DANH SÁCH CÁN BỘ, CÔNG CHỨC",
                               period_line=None, numbered_row="plain", total_row=False, nfd_values=True)])
        write_workbook(put("thon.xlsx", "villages (thon), `Tên thôn`, NFD headers"),
                       [_sheet(c, "Thôn", frames["thon"], "TỔNG HỢP HẠ TẦNG SỐ CÁC THÔN", period_line=None,
                               numbered_row="plain", header_style="nfd")])
        write_workbook(put("thu-tuc.xlsx", "procedure catalogue (thu_tuc), upper-case headers, grouped by lĩnh vực"),
                       [_sheet(c, "Danh mục", frames["thu_tuc"], "DANH MỤC THỦ TỤC HÀNH CHÍNH CẤP XÃ",
                               period_line=None, group_by="Tên lĩnh vực", header_style="upper",
                               numbered_row=None, total_row=False)])
        write_workbook(put(f"phan-anh-{PERIOD}.xlsx", "citizen feedback (phan_anh), dates as text"),
                       [_sheet(c, "PAKN", frames["phan_anh"], "TỔNG HỢP PHẢN ÁNH, KIẾN NGHỊ", date_mode="text",
                               numbered_row=None, total_row=False)])
        write_workbook(put(f"chi-tieu-{PERIOD}.xlsx", "declared indicators (chi_tieu) keyed by the indicator's "
                           "name, values as text `92,50 %`"),
                       [_sheet(c, "Chỉ tiêu", chi_tieu, "KẾT QUẢ THỰC HIỆN CHỈ TIÊU", numbered_row=None,
                               total_row=False)])
        write_workbook(put(f"thong-ke-{PERIOD}.xlsx", "statistics report (thong_ke) aggregated from the same "
                           "dossiers, `Trả trước hạn`/`Chưa đến hạn` spellings, total row"),
                       [_sheet(c, "Mẫu 06", stats, "THỐNG KÊ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                               numbered_row="plain")])
        write_workbook(put(f"ho-so-cong-viec-{PERIOD}.xlsx", "work records (ho_so_cong_viec), 2 classified"),
                       [_sheet(c, "HSCV", frames["ho_so_cong_viec"], "DANH MỤC HỒ SƠ CÔNG VIỆC",
                               numbered_row=None, total_row=False)])

    figs = R.dossier_figures(dossiers, PERIOD, R.canonical_catalogue(frames["thu_tuc"]))
    stat_tot = stats.iloc[:, 1:].sum()
    return {"commune": c, "files": files, "notes": notes, "dossier_figures": figs,
            "rules": _figures(c, frames, figs), "declared": decl, "rows": len(dossiers),
            "stats_total": stat_tot}


# ----------------------------------------------------------------------------------------------
# history: the three months before October, as `dxcheck evaluate --history` stores them

HISTORY_MONTHS = ("2026-07", "2026-08", "2026-09")
#: how much lower each rate was a month earlier: the communes improve month by month
MONTHLY_GAIN = dict(online=0.003, full_online=0.01, on_time=0.002, e_result=0.01, reuse=0.015,
                    online_payment=0.004, satisfaction=0.006, rated=0.02)


def history(c: Commune, out: Path) -> list[Path]:
    """Evaluate the commune's dossiers of July–September (generated with slightly lower rates)
    beside its staff, village and procedure lists, then October's files, and store each run in
    `out/lich-su/` exactly as `dxcheck evaluate --history` does: `dxcheck trend samples/lich-su`
    then shows each rule's trend and projection."""
    import shutil
    import tempfile

    import dxcheck
    from dxcheck.history import store

    pack = Path(__file__).resolve().parent.parent / "rules" / f"{c.pack}.yaml"
    folder = out / "lich-su"
    written = []
    lists = [out / c.slug / name for name in ("can-bo.xlsx", "thon.xlsx", "thu-tuc.xlsx")]
    for k, month in enumerate(HISTORY_MONTHS):
        earlier = len(HISTORY_MONTHS) - k
        rates = {key: max(0.0, value - earlier * MONTHLY_GAIN.get(key, 0.0)) for key, value in c.rates.items()}
        rng = np.random.default_rng(np.random.SeedSequence([c.seed, k]))
        frame = R.dossiers(c.n_dossiers, month, rng, rates, style=c.style, commune=c.name)
        if c.style == "igate":
            frame = _result_digitisation(frame, rng)
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / f"ho-so-{month}.xlsx"
            write_plain_xlsx(data, frame, sheet="Danh sách hồ sơ")
            copies = [Path(shutil.copy(path, tmp)) for path in lists]
            result = dxcheck.evaluate([data, *copies], rules=[pack], period=month, timestamp=False,
                                      group_by="combine")
        result.inputs = []  # where the month's files were is nothing the history keeps
        written += store(result, folder)
    result = dxcheck.evaluate([out / c.slug], rules=[pack], period=PERIOD, timestamp=False)
    written += store(result, folder)
    return written


# ----------------------------------------------------------------------------------------------
# README


def _pack(pack: str) -> tuple[dict[str, tuple[str, float]], dict[str, str]]:
    """(rule id -> (op, target value), declared key or title -> rule id) of a shipped pack."""
    from ruamel.yaml import YAML

    from dxcheck.textnorm import fold

    path = Path(__file__).resolve().parent.parent / "rules" / f"{pack}.yaml"
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    targets = {r["id"]: (r["target"]["op"], float(r["target"]["value"])) for r in data["rules"]}
    names = {}
    for r in data["rules"]:
        for name in [r["id"], r["title"]["vi"], *(k for m in r.get("measurements", []) for k in m.get("keys", []))]:
            names[fold(name)] = r["id"]
    return targets, names


def _status(value: float, op: str, target: float, num: int | None = None, den: int | None = None) -> str:
    v = Fraction(100 * num, den) if den else Fraction(value).limit_denominator(10**6)
    ok = {">=": v >= Fraction(target), ">": v > Fraction(target), "<=": v <= Fraction(target),
          "<": v < Fraction(target), "==": v == Fraction(target)}[op]
    return "pass" if ok else "fail"


def _fmt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def readme(results: list[dict[str, Any]], out: Path) -> str:
    lines = [
        "# Sample exports, October 2026",
        "",
        "Synthetic but realistic month-end exports of the two communes whose plans dxcheck ships as rule",
        "packs: **Bình Minh** (Đồng Nai, pack `binh-minh-2030`, iGate-style spellings) and **Hoàng Sơn**",
        "(pack `hoang-son-2030`, Viettel-style spellings). Every file is written by `samples/generate.py`",
        "(`python samples/generate.py [OUTPUT_DIR]`) from fixed seeds with `dxcheck_synth.records` and",
        "`dxcheck_synth.report`; running it again gives byte-identical files (tests check this). This",
        "README is generated too: do not edit it by hand.",
        "",
        "Names, record ids and procedure codes are invented; procedure names, fields, fees and time limits",
        "follow the national catalogue of commune-level procedures. The dossier figures start from",
        "seed 002 §II.1 (online processing above 99%, on time 99%, digitisation 99.95%, online fee payment",
        "97.29%) and are tuned so that some rules pass and some fail for each commune.",
        "",
        "Try: `dxcheck evaluate samples/binh-minh/*.xlsx --rules rules/binh-minh-2030.yaml --period 2026-10`.",
        "",
        "`lich-su/` is the history folder of both communes as `dxcheck evaluate --history` keeps it: "
        "July–September 2026 (dossier lists generated with slightly lower rates, evaluated beside the "
        "staff, village and procedure lists) and October 2026 (the files above). "
        "`dxcheck trend samples/lich-su --rules binh-minh-2030` shows each rule's trend, the month it "
        "would meet its target and whether it is on the path from the 2020–2025 baseline to the 2030 "
        "target. Copy the folder before you pass it to `--history`: a run adds its period to it.",
        "",
    ]
    for res in results:
        c: Commune = res["commune"]
        out_dir = out / c.slug
        lines += [f"## {c.name} (`samples/{c.slug}/`)", "", "| file | size | what it is |", "|---|---|---|"]
        for name, what in res["files"].items():
            size = (out_dir / name).stat().st_size if (out_dir / name).exists() else 0
            lines.append(f"| `{name}` | {size / 1024:.0f} KB | {what} |")
        rates = ", ".join(f"{k}={v}" for k, v in c.rates.items())
        lines += ["", f"Generated with: {c.n_dossiers} dossier rows (`{c.style}` style, seed {c.seed}), "
                      f"rates {rates}; {c.n_staff} staff lacking {c.staff_lacking or 'nothing'}; "
                      f"{c.n_villages} villages lacking {c.village_lacking or 'nothing'}; catalogue {c.catalogue}; "
                      f"{c.n_documents} outgoing documents ({c.secret_documents} classified, signed share "
                      f"{c.signed}); {c.n_feedback} petitions (on-time share {c.feedback_on_time:.4f})"
                      + (f"; {c.n_work_records} work records (2 classified)" if c.n_work_records else "") + ".",
                  "", "Data-quality problems planted on purpose (the loader should warn about each):", ""]
        lines += [f"- {note}" for note in res["notes"]]
        lines += ["", f"True figures for the October 2026 period, computed from the generated records "
                      f"(REFERENCE §4 definitions), against pack `{c.pack}`:", "",
                  "| rule | target | numerator / denominator | value | expected |", "|---|---|---|---|---|"]
        targets, names = _pack(c.pack)
        for rule, fig in res["rules"].items():
            op, tv = targets[rule]
            if rule == "time-reduction":
                value = fig["value"]
                st = _status(value, op, tv, int(fig["denominator"] - fig["numerator"]), int(fig["denominator"]))
                allowed = "statutory" if fig.get("method") == "statutory" else "allowed"
                nd = f"working days used {fig['numerator']} / {allowed} {_fmt(fig['denominator'])}"
            else:
                value = fig["value"]
                st = _status(value, op, tv, fig["numerator"], fig["denominator"])
                nd = f"{fig['numerator']} / {fig['denominator']}"
            lines.append(f"| `{rule}` | {op} {_fmt(tv)} | {nd} | {_fmt(round(value, 4))} | {st} |")
        from dxcheck.textnorm import fold

        period_rows = res["declared"][res["declared"]["ky"] == P.label]
        for _, row in period_rows.iterrows():
            rule = names.get(fold(row["key"]))
            if rule:
                op, tv = targets[rule]
                how = "declared" if rule == row["key"] else f"declared as “{row['key']}”"
                lines.append(f"| `{rule}` ({how}) | {op} {_fmt(tv)} | – | {_fmt(row['value'])} | "
                             f"{_status(row['value'], op, tv)} |")
            else:
                lines.append(f"| declared “{row['key']}” (no rule) | – | – | {_fmt(row['value'])} | – |")
        missing = [r for r in targets if r not in res["rules"]
                   and not any(names.get(fold(k)) == r for k in period_rows["key"])]
        if missing:
            lines.append("")
            lines.append("No data in these files (expected `no_data`): " + ", ".join(f"`{r}`" for r in missing) + ".")
        t = res["stats_total"]
        cols = list(t.index)
        lines += ["", f"`thong-ke-{PERIOD}.xlsx` totals: received {t[cols[0]]} (online {t[cols[2]]}, in person "
                      f"{t[cols[3]]}, post {t[cols[4]]}, carried over {t[cols[1]]}); finished {t[cols[5]]} "
                      f"(early {t[cols[6]]}, on time {t[cols[7]]}, late {t[cols[8]]}); open {t[cols[9]]} "
                      f"(within deadline {t[cols[10]]}, overdue {t[cols[11]]}). Its on-time and online shares "
                      "equal the dossier list's (it was aggregated before the planted problems).", ""]
        figs = res["dossier_figures"]
        lines += [f"All dossier figures of `ho-so-{PERIOD}.xlsx` ({res['rows']} rows):", "",
                  "| metric | numerator / denominator | value |", "|---|---|---|"]
        for key, fig in figs.items():
            lines.append(f"| {key} | {fig['numerator']} / {fig['denominator']} | {_fmt(round(fig['value'], 4))} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    results = [build(c, out / c.slug) for c in COMMUNES]
    for c in COMMUNES:
        history(c, out)
    (out / "README.md").write_text(readme(results, out), encoding="utf-8")
    for res in results:
        print(res["commune"].name, ", ".join(res["files"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
