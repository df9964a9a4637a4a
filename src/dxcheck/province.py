"""A province's folder of communes: finding the commune folders under it and naming each commune.

`evaluate PROVINCE` where PROVINCE holds no exports of its own but one sub-folder per commune
evaluates the communes side by side. Each commune is named from its data (the exports' banner
`ỦY BAN NHÂN DÂN XÃ …`), else from its own `dxcheck.toml`, and only as a last resort from its
folder or file name: a roll-up listing `/data/tinh/x03` teaches a reader nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import CONFIG_FILE, load_config
from .config_init import banner_in_file, top_exports


def _data_files(folder: Path) -> list[Path]:
    from .load.formats import read_from_folder

    return [path for path in folder.iterdir() if path.is_file() and read_from_folder(path)]


def commune_folders(folder: Path) -> list[Path] | None:
    """The sub-folders holding exports, sorted, when `folder` holds none of its own (a province's
    folder); None when `folder` is a commune's folder (or no folder at all)."""
    folder = Path(folder)
    if not folder.is_dir() or _data_files(folder):
        return None
    found = sorted(sub for sub in folder.iterdir()
                   if sub.is_dir() and not sub.name.startswith(".") and _data_files(sub))
    return found or None


def expand_units(units: list) -> list:
    """Each province folder among `units` replaced by its commune folders; anything else kept."""
    out: list = []
    for unit in units:
        communes = commune_folders(Path(unit)) if isinstance(unit, (str, Path)) else None
        out.extend(communes if communes else [unit])
    return out


def _title(name: str, kind: str) -> str:
    """`Bình Minh`, `xã` → `Xã Bình Minh` (as the commune writes itself at the head of a list)."""
    return f"{kind[:1].upper()}{kind[1:]} {name}"


#: banners read per commune folder, smallest files first: every export of a commune carries the
#: same banner, and reading a large dossier list's top costs a second (its shared strings)
_BANNERS_READ = 2


def _folder_banner(folder: Path) -> tuple[str, str] | None:
    """(name, kind) named alike by the banners of the folder's smallest exports; None when none
    has one or they disagree (a folder mixing communes' files is not named by either)."""
    found = []
    for path in sorted(top_exports(folder), key=lambda path: path.stat().st_size):
        if banner := banner_in_file(path):
            found.append(banner)
            if len(found) == _BANNERS_READ:
                break
    return found[0] if found and all(banner == found[0] for banner in found) else None


def commune_name(unit: str | Path) -> str | None:
    """The commune a file or folder is about: its exports' banner, else its own dxcheck.toml's
    `commune` (never a parent's: a province's file names no commune); None when neither says."""
    path = Path(unit)
    banner = _folder_banner(path) if path.is_dir() else banner_in_file(path)
    if banner:
        return _title(banner[0], banner[1])
    config = _own_config(path)
    if config is not None and config.commune:
        return _title(config.commune, config.commune_kind or "xã")
    return None


def _own_config(folder: str | Path):
    """A folder's own dxcheck.toml, read once per version of the file (a province run asks each
    commune's for its name, mapping and packs); None when the folder has none."""
    own = Path(folder) / CONFIG_FILE
    if not (Path(folder).is_dir() and own.is_file()):
        return None
    return _config_at(own, own.stat().st_mtime_ns)


@lru_cache(maxsize=4096)
def _config_at(path: Path, _version: int):
    return load_config(path)


def own_mapping(folder: str | Path) -> dict[str, str]:
    """The column mapping a commune folder's own dxcheck.toml gives (`[map]`, then its mapping
    file's pairs under them), for that commune's files only; {} when it has none."""
    from .load import parse_mapping

    config = _own_config(folder)
    return {} if config is None else parse_mapping(config.map_pairs(), config.mapping_file)


def own_packs(folder: str | Path) -> list[str]:
    """The packs a commune folder's own dxcheck.toml names (ids, or pack files as absolute paths)."""
    config = _own_config(folder)
    return [] if config is None else list(config.packs)


@dataclass(frozen=True)
class CommuneFiles:
    """Some of one commune folder's files, named one by one (as a pre-commit hook names them)."""

    folder: Path
    files: tuple[Path, ...]


def group_by_commune_folder(units: list) -> list:
    """Files named one by one from several sub-folders of a common folder (a pre-commit hook gives
    the files of a commit, not the communes) grouped by that sub-folder: one unit per commune
    folder, whatever month folder below it a file sits in. Files all in one folder, folders, and
    files at the top of the common folder are kept as given (each its own unit)."""
    paths = [Path(unit) for unit in units if isinstance(unit, (str, Path))]
    if len(paths) < 2 or len(paths) != len(units) or any(not path.is_file() for path in paths):
        return units
    absolute = [path.absolute() for path in paths]
    top = Path(os.path.commonpath(absolute))
    keys = [top / path.relative_to(top).parts[0] if len(path.relative_to(top).parts) > 1 else None
            for path in absolute]
    if len({key for key in keys if key is not None}) < 2:
        return units
    grouped: dict[Path, list[Path]] = {}
    out: list = []
    for unit, key in zip(paths, keys):
        if key is None:
            out.append(unit)
        elif key not in grouped:
            grouped[key] = [unit]
            out.append(key)
        else:
            grouped[key].append(unit)
    return [CommuneFiles(folder=item, files=tuple(grouped[item])) if isinstance(item, Path) and item in grouped
            else item for item in out]
