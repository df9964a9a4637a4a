"""`dxcheck init` for a data folder: write its `dxcheck.toml`, explained line by line in
Vietnamese and English, from the options given and what the folder's exports show (the commune's
name in a banner such as `ỦY BAN NHÂN DÂN XÃ BÌNH MINH`). Nothing is asked; nothing is overwritten
without `force`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .config import COMMUNE_KINDS, CONFIG_FILE
from .errors import UsageError
from .evaluation.period import folder_period
from .messages import t

#: a banner line naming the commune's People's Committee
_BANNER = re.compile(r"(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s+(XÃ|PHƯỜNG|THỊ\s+TRẤN|ĐẶC\s+KHU)\s+(.+)|"
                     r"UBND\s+(XÃ|PHƯỜNG|THỊ\s+TRẤN|ĐẶC\s+KHU)\s+(.+)", re.IGNORECASE)
#: only the top of a few files is read: this is a convenience, never worth a slow start
_MAX_FILES = 20
_MAX_ROWS = 6
_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_SIGNERS = ("NGƯỜI LẬP BIỂU", "CHỦ TỊCH")
DEFAULT_REPORT_DIR = "bao-cao"


@dataclass
class Settings:
    """What `init` writes; None leaves a key commented out."""

    commune: str | None = None
    commune_kind: str | None = None
    issuer: str | None = None
    signers: list[str] = field(default_factory=lambda: list(DEFAULT_SIGNERS))
    packs: list[str] = field(default_factory=list)
    language: str = "vi"
    report_dir: str = DEFAULT_REPORT_DIR
    mapping_file: str | None = None
    #: the export whose banner named the commune, when it was read from one
    found_in: Path | None = None


def target_folder(folder: Path) -> Path:
    """Where the file goes: the folder, or its parent when the folder is named after a month
    (`du-lieu/2026-10`), so that next month's folder finds the same file."""
    folder = Path(folder)
    return folder.absolute().parent if folder_period(folder.absolute().name) else folder


def banner_commune(folder: Path) -> tuple[str, str, Path] | None:
    """(name, kind, file) from the exports' banners in `folder` and its subfolders, when every
    banner found names the same commune; else None."""
    found: dict[tuple[str, str], Path] = {}
    for path in top_exports(folder):
        if named := banner_in_file(path):
            found.setdefault(named, path)
    if len(found) != 1:
        return None
    (name, kind), path = next(iter(found.items()))
    return name, kind, path


def banner_in_file(path: Path) -> tuple[str, str] | None:
    """(name, kind) from the first banner line at the top of one export; None when it has none."""
    for line in _top_lines(path):
        if match := _BANNER.search(unicodedata.normalize("NFC", line)):
            kind = re.sub(r"\s+", " ", (match[1] or match[3])).lower()
            name = re.split(r"\s{2,}|[,;(]", (match[2] or match[4]).strip())[0].strip()
            return (name.title() if name.isupper() else name, kind) if name else None
    return None


def top_exports(folder: Path) -> list[Path]:
    paths = []
    for depth in ("*", "*/*", "*/*/*"):
        for path in sorted(folder.glob(depth)):
            if path.suffix.lower() in (".xlsx", ".xlsm", ".csv") and path.is_file() and not path.name.startswith("~$"):
                paths.append(path)
                if len(paths) >= _MAX_FILES:
                    return paths
    return paths


def _top_lines(path: Path) -> list[str]:
    """The first rows' cells' text, or nothing for a file that cannot be read cheaply."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            return []
        if path.suffix.lower() == ".csv":
            with open(path, encoding="utf-8-sig", errors="replace") as handle:
                lines = [next(handle, "") for _ in range(_MAX_ROWS)]
            return [cell.strip().strip('"') for line in lines for cell in re.split(r"[,;\t]", line)]
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # cell by cell: the national motto often sits beside the banner on the same row
            return [cell for row in sheet.iter_rows(max_row=_MAX_ROWS, values_only=True)
                    for cell in row if isinstance(cell, str)]
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - a file we cannot peek into simply names no commune
        return []


def shipped_pack_for(commune: str) -> str | None:
    """The shipped pack made for this commune (`Bình Minh` → `binh-minh-2030`), if exactly one."""
    from .packs.loader import shipped_rules_dir
    from .scaffold import slugify

    slug = slugify(commune)
    matches = [path.stem for path in shipped_rules_dir().glob("*.yaml") if path.stem.startswith(slug + "-")]
    return matches[0] if len(matches) == 1 and slug else None


def _toml(value: object) -> str:
    """A TOML value: JSON's string escapes are TOML's basic-string escapes."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _explain(key: str) -> str:
    return f"# {t(f'config.init.{key}', lang='vi')}\n# {t(f'config.init.{key}', lang='en')}\n"


def config_text(settings: Settings) -> str:
    """The file: a header in both languages, then every key explained; unknown values commented out."""
    header = "".join(f"# {line}".rstrip() + "\n" for line in t("config.init.header", lang="vi").strip().splitlines())
    header += "#\n" + "".join(f"# {line}".rstrip() + "\n"
                             for line in t("config.init.header", lang="en").strip().splitlines())
    unit = f"{settings.commune_kind or 'xã'} {settings.commune}" if settings.commune else "xã …"
    entries = [
        ("commune", settings.commune, "Bình Minh"),
        ("commune_kind", settings.commune_kind, "xã"),
        ("issuer", settings.issuer or (f"Ủy ban nhân dân {unit}" if settings.commune else None),
         "Ủy ban nhân dân xã Bình Minh"),
        ("signers", settings.signers or None, list(DEFAULT_SIGNERS)),
        ("packs", settings.packs or None, ["binh-minh-2030"]),
        ("language", settings.language, "vi"),
        ("report_dir", settings.report_dir, DEFAULT_REPORT_DIR),
        ("mapping_file", settings.mapping_file, "mapping.yaml"),
    ]
    body = [header]
    for key, value, example in entries:
        line = f"{key} = {_toml(value)}" if value else f"# {key} = {_toml(example)}"
        body.append("\n" + _explain(key) + line + "\n")
    body.append("\n" + _explain("mapping") + "[mapping]\n" + '# ngay_hen_tra = "Hạn trả"\n'
                + '# ngay_co_ket_qua = "Ngày > Có kết quả"\n')
    return "".join(body)


def write_config(folder: Path, settings: Settings, *, force: bool = False) -> Path:
    """Write `folder/dxcheck.toml`; a UsageError (exit 2) if it exists and not `force`."""
    if folder.exists() and not folder.is_dir():
        raise UsageError("config.init.not_a_folder", path=str(folder))
    path = folder / CONFIG_FILE
    if path.exists() and not force:
        raise UsageError("config.init.exists", path=str(path))
    try:
        from .atomic import write_atomic

        write_atomic(path, config_text(settings))
    except OSError as exc:
        raise UsageError("cli.output_unwritable", path=str(path), reason=exc.strerror or str(exc)) from None
    return path


def settings_for(folder: Path, *, commune: str | None, kind: str | None, issuer: str | None,
                 signers: list[str] | None, packs: list[str] | None, language: str) -> Settings:
    """The options given, completed from the folder's exports where they are silent."""
    if kind is not None:
        kind = re.sub(r"\s+", " ", unicodedata.normalize("NFC", kind)).strip().lower()
        if kind not in COMMUNE_KINDS:
            raise UsageError("config.init.bad_kind", value=kind, choices=", ".join(COMMUNE_KINDS))
    found_in = None
    if commune:
        from .scaffold import parse_commune

        unit = parse_commune(commune)
        name, given_kind = unit.name, unit.kind.lower()
        # a bare name parses as a xã: only a kind written in the name itself counts as given
        if not commune.strip().lower().startswith(given_kind):
            given_kind = None
    else:
        banner = banner_commune(folder) if folder.is_dir() else None
        name, given_kind, found_in = banner if banner else (None, None, None)
    return Settings(commune=name, commune_kind=kind or given_kind, issuer=issuer,
                    signers=list(signers) if signers else list(DEFAULT_SIGNERS),
                    packs=list(packs) if packs else ([pack] if name and (pack := shipped_pack_for(name)) else []),
                    language=language, found_in=found_in)
