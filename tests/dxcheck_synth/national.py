"""A nation of communes for the distributed benchmark: one month of exports per commune.

Commune `i` is generated from seed `i` alone, so a run of 200 communes is the first 200 of the
3,321 and the same files come back byte for byte on every machine (write_workbook fixes zip dates).
Sizes follow a commune office's month (REFERENCE §3 samples: 2,400 to 3,200 dossiers for a large
merged commune): dossiers drawn between `dossiers` bounds, 60 to 200 outgoing documents, 18 to 45
staff; half the communes export iGate-style reports, half Viettel-style.
"""

from __future__ import annotations

import calendar
import shutil
from pathlib import Path

import numpy as np

from . import records
from .report import ReportSheet, write_workbook

PERIOD = "2026-10"
_FIRST = ["An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Phước", "Mỹ", "Đông", "Tây", "Nam", "Bắc", "Hưng",
          "Thuận", "Quang", "Minh", "Hoàng", "Sơn", "Xuân"]
_SECOND = ["Lợi", "Thịnh", "Hải", "Lộc", "Điền", "Thành", "Tiến", "Khánh", "Đức", "Yên", "Lạc", "Hưng", "Phong",
           "Trung", "Vinh", "Hà", "Giang", "Lâm", "Xá", "Cường"]


def commune_name(index: int) -> str:
    """A distinct, pronounceable name for commune `index` (0-based)."""
    first, second = _FIRST[index % len(_FIRST)], _SECOND[(index // len(_FIRST)) % len(_SECOND)]
    rest = index // (len(_FIRST) * len(_SECOND))
    return f"{first} {second}" + (f" {rest + 1}" if rest else "")


def write_commune(folder: Path, index: int, dossiers: tuple[int, int] = (600, 2400), period: str = PERIOD) -> Path:
    """Commune `index`'s folder: dossier list, outgoing-document register and staff list."""
    rng = np.random.default_rng(index)
    name = commune_name(index)
    style = "igate" if index % 2 == 0 else "viettel"
    count = int(rng.integers(dossiers[0], dossiers[1] + 1))
    out = folder / f"xa-{index + 1:04d}"
    out.mkdir(parents=True, exist_ok=True)
    year, month = int(period[:4]), int(period[5:])
    line = f"(Từ ngày 01/{month:02d}/{year} đến ngày {calendar.monthrange(year, month)[1]}/{month:02d}/{year})"
    frame = records.dossiers(count, period, rng, style=style, commune=name, code_prefix=f"H{index + 1:04d}")
    write_workbook(out / f"ho-so-{period}.xlsx", [ReportSheet(
        name="Danh sách hồ sơ", frame=frame, title="DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH", commune=name,
        period_line=line)])
    documents = records.outgoing_documents(int(rng.integers(60, 201)), period, rng, style=style)
    write_workbook(out / f"van-ban-di-{period}.xlsx", [ReportSheet(
        name="Sổ văn bản đi", frame=documents, title="SỔ ĐĂNG KÝ VĂN BẢN ĐI", commune=name, period_line=line,
        numbered_row="paren", total_row=False)])
    staff = records.staff(int(rng.integers(18, 46)), rng, style=style)
    write_workbook(out / "can-bo.xlsx", [ReportSheet(
        name="Cán bộ", frame=staff, title="DANH SÁCH CÁN BỘ, CÔNG CHỨC", commune=name, period_line=None,
        numbered_row=None, total_row=False)])
    return out


def write_communes(folder: Path, count: int, dossiers: tuple[int, int] = (600, 2400),
                   period: str = PERIOD) -> list[Path]:
    """The first `count` communes under `folder` (those already there are kept, not rewritten)."""
    folder = Path(folder)
    paths = []
    for index in range(count):
        out = folder / f"xa-{index + 1:04d}"
        if not out.exists():
            # written aside and renamed: a commune interrupted half-way is generated again next time
            staging = folder / ".partial"
            shutil.rmtree(staging, ignore_errors=True)
            written = write_commune(staging, index, dossiers, period)
            written.rename(out)
        paths.append(out)
    shutil.rmtree(folder / ".partial", ignore_errors=True)
    return paths
