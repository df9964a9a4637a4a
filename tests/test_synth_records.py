"""The synthetic record generators (dxcheck_synth.records) and the shipped samples they produce."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dxcheck_synth import records as R
from dxcheck.textnorm import fold

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

RATE_KEYS = {  # DossierRates field -> dossier_figures metric
    "online": "online", "full_online": "full_online", "digitized": "digitized", "reuse": "reuse",
    "online_payment": "online_payment", "e_result": "e_result", "satisfaction": "satisfaction",
    "on_time": "on_time",
}

RATE_SETS = [
    {},  # the defaults (seed 002's baseline)
    dict(online=0.985, full_online=0.915, on_time=0.9935, digitized=1.0, e_result=0.95, reuse=0.9,
         online_payment=0.96, satisfaction=0.993),
    dict(online=0.62, full_online=0.31, on_time=0.87, digitized=0.75, e_result=0.5, reuse=0.4,
         online_payment=0.55, satisfaction=0.8, cancelled=0.02, withdrawn=0.01, carried_over=0.15),
]


@pytest.fixture(scope="module")
def frames() -> dict[tuple[str, int], pd.DataFrame]:
    return {(style, i): R.dossiers(6000, "2026-10", 100 + i, rates, style=style)
            for style in R.STYLES for i, rates in enumerate(RATE_SETS)}


# ---- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("style", R.STYLES)
def test_same_seed_same_frames(style):
    pd.testing.assert_frame_equal(R.dossiers(800, "2026-10", 5, style=style), R.dossiers(800, "2026-10", 5, style=style))
    assert not R.dossiers(800, "2026-10", 5, style=style).equals(R.dossiers(800, "2026-10", 6, style=style))
    same = [
        lambda s: R.outgoing_documents(50, "2026-10", s, style=style),
        lambda s: R.work_records(20, "2026-10", s, style=style),
        lambda s: R.staff(30, s, lacking={"co_chu_ky_so": 2}, style=style),
        lambda s: R.villages(10, s, kind="Ấp", lacking={"phu_song_5g": 1}, style=style),
        lambda s: R.procedures(s, style=style),
        lambda s: R.feedback(15, "2026-10", s, on_time=0.8, style=style),
    ]
    for make in same:
        pd.testing.assert_frame_equal(make(9), make(9))


def test_generator_seed_is_accepted():
    a = R.dossiers(300, "2026-10", np.random.default_rng(11))
    b = R.dossiers(300, "2026-10", np.random.default_rng(11))
    pd.testing.assert_frame_equal(a, b)


# ---- requested rates --------------------------------------------------------------------------


@pytest.mark.parametrize("style", R.STYLES)
@pytest.mark.parametrize("i", range(len(RATE_SETS)))
def test_rates_are_met_to_a_record(frames, style, i):
    rates = R._as_rates(RATE_SETS[i])
    figs = R.dossier_figures(frames[(style, i)], "2026-10")
    for field, metric in RATE_KEYS.items():
        want = getattr(rates, field)
        got = figs[metric]
        assert got["denominator"] > 0, metric
        # exact to a whole record: numerator = round(rate × denominator)
        assert abs(got["numerator"] - want * got["denominator"]) <= 0.5 + 1e-9, (metric, got, want)


@pytest.mark.parametrize("style", R.STYLES)
def test_population_shape(frames, style):
    f = frames[(style, 2)]
    c = R.canonical_dossiers(f)
    n = len(f)
    counts = c["trang_thai"].value_counts()
    assert counts["da_huy"] == round(0.02 * n)
    assert counts["rut_ho_so"] == round(0.01 * n)
    p = R.parse_period("2026-10")
    carried = (c["ngay_tiep_nhan"] < p.start).sum()
    assert carried == round(0.15 * n)
    # next month's results and still-open dossiers are present
    assert (c["ngay_co_ket_qua"] > p.end).sum() > 0
    assert c["ngay_co_ket_qua"].isna().sum() > counts["da_huy"]
    # the blank channel cells, counted as in person
    channel_col = R._STYLE[style].dossier_headers["hinh_thuc_nop"]
    assert f[channel_col].isna().sum() == 2
    # some fees are zero, some 50.000 and the like
    assert (c["le_phi"] == 0).mean() > 0.3
    assert {50000, 2000, 8000} <= set(c["le_phi"].astype(int))


@pytest.mark.parametrize("n", [1, 2, 7, 40, 333])
def test_row_counts(n):
    for style in R.STYLES:
        assert len(R.dossiers(n, "2026-10", 1, style=style)) == n
    assert len(R.outgoing_documents(n, "2026-10", 1, secret=min(1, n))) == n
    assert len(R.staff(n, 1)) == n
    assert len(R.villages(n, 1)) == n
    assert len(R.feedback(n, "2026-10", 1, carried_over=min(2, n))) == n
    assert len(R.work_records(n, "2026-10", 1, secret=min(1, n))) == n


@pytest.mark.parametrize("period", ["2026-02", "2026-09", "2026-12", "2027-01"])
def test_other_months(period):
    f = R.dossiers(3000, period, 4, style="viettel")
    figs = R.dossier_figures(f, period)
    assert abs(figs["on_time"]["numerator"] - 0.99 * figs["on_time"]["denominator"]) <= 0.5
    assert abs(figs["online"]["numerator"] - 0.992 * figs["online"]["denominator"]) <= 0.5
    _check_dates(f, period)


# ---- internal consistency ---------------------------------------------------------------------


def _check_dates(frame: pd.DataFrame, period: str) -> None:
    p = R.parse_period(period)
    c = R.canonical_dossiers(frame)
    hol = R._hol(p)
    tn, ht, kq = c["ngay_tiep_nhan"], c["ngay_hen_tra"], c["ngay_co_ket_qua"]
    assert (tn <= p.end).all()
    # received and due on working days; results after receipt
    assert np.is_busday(tn.to_numpy("datetime64[D]"), holidays=hol).all()
    assert np.is_busday(ht.to_numpy("datetime64[D]"), holidays=hol).all()
    done = kq.notna()
    assert (kq[done] >= tn[done]).all()
    # the system's own verdict agrees with the dates (so evaluating with or without `tien_do` agrees)
    labelled = c["tien_do"].notna()
    no_verdict = c.assign(tien_do=None)
    by_dates = R._on_time(no_verdict, p)
    verdict = c["tien_do"].isin(["truoc_han", "dung_han"])
    handled = R._handled(c, p)
    assert (by_dates[labelled & handled] == verdict[labelled & handled]).all()


@pytest.mark.parametrize("style", R.STYLES)
def test_dates_and_verdicts_are_consistent(frames, style):
    for i in range(len(RATE_SETS)):
        _check_dates(frames[(style, i)], "2026-10")


@pytest.mark.parametrize("style", R.STYLES)
def test_statistics_report_is_consistent(frames, style):
    f = frames[(style, 0)]
    s = R.statistics_report(f, "2026-10", style=style)
    h = R._STAT_HEADERS[style]
    col = {k: s[v] for k, v in h.items()}
    assert (col["tiep_nhan"] == col["truc_tuyen"] + col["truc_tiep"] + col["buu_chinh"] + col["ky_truoc"]).all()
    assert (col["da_giai_quyet"] == col["truoc_han"] + col["dung_han"] + col["qua_han"]).all()
    assert (col["dang_giai_quyet"] == col["dang_trong_han"] + col["dang_qua_han"]).all()
    assert (col["tiep_nhan"] == col["da_giai_quyet"] + col["dang_giai_quyet"]).all()
    assert s[h["linh_vuc"]].is_unique
    figs = R.dossier_figures(f, "2026-10")
    t = {k: int(v.sum()) for k, v in col.items() if k != "linh_vuc"}
    # REFERENCE §3.2's thong_ke formulas give the dossier list's own figures
    assert t["truoc_han"] + t["dung_han"] + t["dang_trong_han"] == figs["on_time"]["numerator"]
    assert t["da_giai_quyet"] + t["dang_giai_quyet"] == figs["on_time"]["denominator"]
    assert t["truc_tuyen"] == figs["online"]["numerator"]
    assert t["truc_tuyen"] + t["truc_tiep"] + t["buu_chinh"] == figs["online"]["denominator"]
    assert t["ky_truoc"] > 0 and t["buu_chinh"] > 0 and t["dang_qua_han"] > 0


def test_figures_oracle_on_a_hand_made_frame():
    """dossier_figures follows REFERENCE §4 on a case worked out by hand."""
    ts = pd.Timestamp
    f = pd.DataFrame({
        "Mã hồ sơ": ["A", "B", "C", "D", "E", "F"],
        "Ngày tiếp nhận": [ts("2026-10-05 08:00"), ts("2026-10-06 09:00"), ts("2026-09-28 10:00"),
                           ts("2026-10-20 10:00"), ts("2026-10-07 10:00"), ts("2026-10-08 10:00")],
        "Ngày hẹn trả": ["07/10/2026", "08/10/2026 17:00", ts("2026-10-02"), ts("2026-11-03"), "không rõ",
                         ts("2026-10-09")],
        "Ngày có kết quả": [ts("2026-10-07 20:00"), ts("2026-10-08 17:30"), ts("2026-10-01 09:00"), None,
                            ts("2026-10-09 09:00"), None],
        "Hình thức nộp": ["Trực tuyến", None, "Trực tiếp", "Trực tuyến toàn trình", "Qua dịch vụ BCCI", "Trực tuyến"],
        "Mức độ": ["Một phần", None, None, None, None, "Toàn trình"],
        "Trạng thái": ["Đã trả kết quả", "Đã trả kết quả", "Chờ trả kết quả", "Đang xử lý", "Đã trả kết quả",
                       "Đã hủy"],
        "Tiến độ": [None, None, None, None, "Quá hạn", None],
        "Số hóa": ["Có", "Không", "Có", "x", None, "Có"],
        "Đánh giá": ["Hài lòng", "Bình thường", None, None, "Rất hài lòng", None],
        "Phí, lệ phí": ["50.000", "0", 8000, None, "10.000", "50.000"],
        "Hình thức thanh toán": ["Trực tuyến", None, "Tiền mặt", None, "Tiền mặt", "Trực tuyến"],
    })
    figs = R.dossier_figures(f, "2026-10")
    # received: A B D E (C before P, F cancelled); online: A, D (compound value); blank channel B in person
    assert (figs["online"]["numerator"], figs["online"]["denominator"]) == (2, 4)
    assert (figs["full_online"]["numerator"], figs["full_online"]["denominator"]) == (1, 4)
    assert (figs["digitized"]["numerator"], figs["digitized"]["denominator"]) == (2, 4)
    assert (figs["online_payment"]["numerator"], figs["online_payment"]["denominator"]) == (1, 2)
    # handled: A B C D E. A: date-only deadline = end of day → on time; B: 17:30 > 17:00 → late;
    # C: on time; D: open, deadline after P → on time; E: `Tiến độ` says late
    assert (figs["on_time"]["numerator"], figs["on_time"]["denominator"]) == (3, 5)
    # rated with a result in P: A, B, E → satisfied A, E
    assert (figs["satisfaction"]["numerator"], figs["satisfaction"]["denominator"]) == (2, 3)
    # time reduction over completed rows with both dates (A, B, C; E's deadline unreadable)
    # used: A 2, B 2, C 3 (Mon 28/9 → Thu 1/10) = 7; allowed: A 2, B 2, C 4 = 8
    assert (figs["time_reduction"]["numerator"], figs["time_reduction"]["denominator"]) == (7, 8)


# ---- real export vocabulary -------------------------------------------------------------------


def _fields(frame: pd.DataFrame, ds: str) -> dict[str, str]:
    lookup = R._field_lookup(ds)
    return {lookup[R._header_key(c)]: c for c in frame.columns if R._header_key(c) in lookup}


@pytest.mark.parametrize("style", R.STYLES)
def test_headers_and_values_come_from_the_vocabulary(frames, style):
    f = frames[(style, 2)]
    found = _fields(f, "ho_so")
    assert set(found) == {"ma_ho_so", "ten_thu_tuc", "ma_thu_tuc", "linh_vuc", "don_vi", "ngay_tiep_nhan",
                          "ngay_hen_tra", "ngay_co_ket_qua", "hinh_thuc_nop", "muc_do_dvc", "trang_thai", "tien_do",
                          "so_hoa", "ket_qua_dien_tu", "tai_su_dung", "le_phi", "thanh_toan_truc_tuyen", "danh_gia"}
    c = R.canonical_dossiers(f)
    for name in ("hinh_thuc_nop", "muc_do_dvc", "trang_thai", "tien_do", "danh_gia"):
        assert "?" not in set(c[name].dropna()), name  # every cell maps to a code
    # spelled as exports spell them, not as codes
    assert not set(f[found["trang_thai"]].dropna()) & set(R._ST)
    assert set(c["trang_thai"].dropna()) == set(R._ST)
    assert set(c["hinh_thuc_nop"]) == {"truc_tuyen", "truc_tiep", "buu_chinh"}
    if style == "igate":
        assert {"Ngày › Tiếp nhận", "Ngày › Hẹn trả", "Ngày › Có kết quả"} <= set(f.columns)
        assert {"Trực tuyến", "Trực tiếp", "Qua dịch vụ BCCI"} <= set(f["Hình thức nộp"].dropna())
    text = [v for col in f.columns for v in f[col] if isinstance(v, str)]
    assert all(unicodedata.is_normalized("NFC", v) for v in text)


@pytest.mark.parametrize("style", R.STYLES)
def test_statistics_headers_are_recognised(frames, style):
    s = R.statistics_report(frames[(style, 0)], "2026-10", style=style)
    assert set(_fields(s, "thong_ke")) == set(R._STAT_HEADERS[style])


@pytest.mark.parametrize("style", R.STYLES)
def test_other_generators_use_real_headers(style):
    expect = {
        "van_ban_di": (R.outgoing_documents(40, "2026-10", 1, style=style),
                       {"so_ky_hieu", "ngay_ban_hanh", "trich_yeu", "nguoi_ky", "ky_so", "do_mat"}),
        "ho_so_cong_viec": (R.work_records(10, "2026-10", 1, style=style), {"ma", "ten", "xu_ly_tren_mang", "do_mat"}),
        "can_bo": (R.staff(20, 1, style=style), {"ho_ten", "chuc_vu", *R._STAFF_FIELDS}),
        "thon": (R.villages(8, 1, style=style), {"ten_thon", *R._VILLAGE_FIELDS}),
        "thu_tuc": (R.procedures(1, style=style), {"ma_thu_tuc", "ten_thu_tuc", "linh_vuc", "muc_do_dvc",
                                                    "du_dieu_kien_toan_trinh", "co_nghia_vu_tai_chinh",
                                                    "thanh_toan_truc_tuyen", "lien_quan_doanh_nghiep"}),
        "phan_anh": (R.feedback(10, "2026-10", 1, style=style), {"ma", "noi_dung", "ngay_tiep_nhan", "han_xu_ly",
                                                                  "ngay_xu_ly"}),
        "chi_tieu": (R.declared_indicators({"vneid": 87.35}, "2026-10", style=style), {"chi_tieu", "gia_tri", "ky"}),
    }
    for ds, (frame, fields) in expect.items():
        assert set(_fields(frame, ds)) == fields, ds


def test_other_generators_meet_their_shares():
    docs = R.outgoing_documents(200, "2026-10", 3, signed=0.9, secret=3)
    open_docs = docs["Độ mật"].isna()
    assert (~open_docs).sum() == 3 and (docs.loc[~open_docs, "Hình thức ký"] == "Ký tay").all()
    assert (docs.loc[open_docs, "Hình thức ký"] == "Ký số").sum() == round(0.9 * 197)
    assert docs["Số, ký hiệu văn bản"].is_unique
    staff = R.staff(40, 3, lacking={"co_chu_ky_so": 1, "co_email_cong_vu": 3}, style="viettel")
    assert staff["Đã cấp chữ ký số"].isna().sum() == 1 and staff["Thư điện tử công vụ"].isna().sum() == 3
    assert staff.iloc[0]["Chức danh"] == "Chủ tịch UBND xã" and staff.iloc[0]["Đã cấp chữ ký số"] == "x"
    vil = R.villages(12, 3, kind="Thôn", lacking={"phu_song_5g": 1})
    assert (vil["Sóng 5G"] == "Chưa").sum() == 1 and vil["Tên thôn"].str.startswith("Thôn ").all()
    assert R.villages(5, 3, kind="Ấp")["Tên ấp"].str.startswith("Ấp ").all()
    cat = R.procedures(3, online_payment=0.5, full_online=0.75)
    fee = cat["Có phí, lệ phí"] == "Có"
    assert (cat.loc[fee, "Đã triển khai thanh toán trực tuyến"] == "Có").sum() == round(0.5 * fee.sum())
    elig = cat["Đủ điều kiện toàn trình"] == "Có"
    assert (cat.loc[elig, "Mức độ DVC"] == "Toàn trình").sum() == round(0.75 * elig.sum())
    fb = R.feedback(20, "2026-10", 3, on_time=0.9)
    p = R.parse_period("2026-10")
    due_end = fb["Hạn xử lý"] + pd.Timedelta(days=1)
    late = fb["Ngày xử lý"].notna() & (fb["Ngày xử lý"] >= due_end)
    assert late.sum() == 2 and (fb["Ngày tiếp nhận"] < p.start).sum() == 2
    ct = R.declared_indicators([("vneid", 86.9, "09/2026"), ("vneid", 87.35)], "2026-10", style="viettel")
    assert ct["Kết quả"].tolist() == ["86,90 %", "87,35 %"] and ct["Kỳ báo cáo"].tolist() == ["09/2026", "10/2026"]


def test_large_frames_keep_unique_ids():
    # Speed is measured by the benchmarks, not asserted here; this checks ids stay unique at scale.
    f = R.dossiers(200_000, "2026-10", 1)
    assert len(f) == 200_000 and f["Mã hồ sơ"].is_unique


def test_bad_arguments():
    with pytest.raises(ValueError):
        R.dossiers(10, "October", 1)
    with pytest.raises(ValueError):
        R.dossiers(10, "2026-10", 1, style="vnpt")
    with pytest.raises(ValueError):
        R.dossiers(10, "2026-10", 1, rates={"onlin": 0.9})
    with pytest.raises(ValueError):
        R.staff(5, 1, lacking={"signature": 1})


# ---- the shipped samples ----------------------------------------------------------------------


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in (".xlsx", ".md", ".json")}


def test_samples_are_what_generate_py_writes(tmp_path):
    result = subprocess.run([sys.executable, str(SAMPLES / "generate.py"), str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    shipped, fresh = _digests(SAMPLES), _digests(tmp_path)
    assert set(shipped) == set(fresh)
    stale = [name for name in shipped if shipped[name] != fresh[name]]
    assert not stale, f"run `python samples/generate.py` to refresh: {stale}"


def test_samples_are_small_and_complete():
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 3 * 1024 * 1024
    names = {"ho-so-2026-10.xlsx", "van-ban-di-2026-10.xlsx", "can-bo.xlsx", "thon.xlsx", "thu-tuc.xlsx",
             "phan-anh-2026-10.xlsx", "chi-tieu-2026-10.xlsx", "thong-ke-2026-10.xlsx"}
    for commune in ("binh-minh", "hoang-son"):
        assert names <= {p.name for p in (SAMPLES / commune).iterdir()}
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert "| `satisfaction` (declared as “Chỉ số SIPAS”) | >= 95 |" in readme and "| `full-online-processing` | >= 98 |" in readme


def test_sample_dossiers_plant_the_promised_problems():
    bm = pd.read_excel(SAMPLES / "binh-minh" / "ho-so-2026-10.xlsx", header=None, dtype=object, engine="openpyxl")
    cells = [v for v in bm.to_numpy().ravel() if isinstance(v, str)]
    assert "không rõ" in cells and "Khác" in cells
    assert any(not unicodedata.is_normalized("NFC", v) for v in cells)
    assert any(fold(v) == "ngay" for v in cells)  # the merged `Ngày` group header
    hs = pd.read_excel(SAMPLES / "hoang-son" / "ho-so-2026-10.xlsx", header=None, dtype=object, engine="openpyxl")
    cells = [v for v in hs.to_numpy().ravel() if isinstance(v, str)]
    assert "31/09/2026" in cells and "Chờ ký duyệt" in cells and "50.000" in cells


def _expected(commune: str) -> dict[str, tuple[str, str, str]]:
    """README's table for one commune: rule id -> (numerator / denominator, value, status)."""
    import re

    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## ")[1 if commune == "binh-minh" else 2]
    rows = re.finditer(r"^\| `([a-z0-9-]+)`[^|]*\| [^|]+ \| ([^|]+) \| ([^|]+) \| (pass|fail) \|", section, re.M)
    return {m[1]: (m[2].strip(), m[3].strip(), m[4]) for m in rows}


@pytest.mark.parametrize("commune,pack,planted", [
    ("binh-minh", "binh-minh-2030", {"ngay_hen_tra", "hinh_thuc_nop"}),
    ("hoang-son", "hoang-son-2030", {"ngay_hen_tra", "trang_thai"}),
])
def test_evaluating_the_samples_gives_the_readme_figures(tmp_path, commune, pack, planted):
    """End to end: `dxcheck evaluate` on a commune's sample files reproduces the true figures."""
    import json

    out = tmp_path / "report.json"
    files = sorted(str(p) for p in (SAMPLES / commune).glob("*.xlsx"))
    run = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", *files, "--rules",
                          str(ROOT / "rules" / f"{pack}.yaml"), "--period", "2026-10", "--format", "json",
                          "--output", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1, run.stderr  # some rules fail
    report = json.loads(out.read_text(encoding="utf-8"))
    results = {r["id"].split("/", 1)[1]: r for r in report["results"]}
    expected = _expected(commune)
    assert expected
    for rule, (counts, value, status) in expected.items():
        got = results[rule]
        assert got["status"] == status, (rule, got)
        if counts[0].isdigit():
            assert f"{got['numerator']} / {got['denominator']}" == counts, (rule, got)
        assert got["value"] == pytest.approx(float(value), abs=5e-5), (rule, got)
    for rule, got in results.items():
        if rule not in expected:
            assert got["status"] == "no_data", (rule, got)
    assert planted <= {w["field"] for w in report["warnings"] if w["path"].endswith("ho-so-2026-10.xlsx")}
