"""`dxcheck.toml`: what a commune's data folder remembers from month to month.

`find_config(start)` looks for the file in the data folder, then its parents, and stops at the
filesystem root or at a folder holding `.git` (as ruff and sqlfluff do). The file is read with
the standard library's `tomllib` and validated with pydantic; a mistake is a `UsageError` (exit 2)
naming the file and, where the key can be found, its line.

The reporting period is never in the file: it comes from the data folder's name
(`du-lieu/2026-11`, `thang-11-2026`, `T11-2026`, `2026-Q4`) or not at all — never from the data.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import UsageError
from .evaluation.period import Period, folder_period
from .results import DataWarning
from .trees import dotted

CONFIG_FILE = "dxcheck.toml"
#: a config file is a few hundred bytes; anything far larger is not one
MAX_BYTES = 256 * 1024
#: how a commune-level unit names itself (cấp xã), lower case
COMMUNE_KINDS = ("xã", "phường", "đặc khu", "thị trấn")


class _Settings(BaseModel):
    """The keys of `dxcheck.toml`, as written (paths still relative to the file)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    commune: str | None = None
    commune_kind: str | None = None
    issuer: str | None = None
    signers: list[str] = Field(default_factory=list, max_length=4)
    packs: list[str] = Field(default_factory=list)
    mapping: dict[str, str] = Field(default_factory=dict)
    mapping_file: str | None = None
    language: str | None = None
    report_dir: str | None = None

    @field_validator("mapping", mode="before")
    @classmethod
    def _dotted_keys(cls, value: Any) -> Any:
        """TOML reads an unquoted `ho_so.ngay_tiep_nhan = …` (and `[mapping.ho_so]`) as tables:
        their keys are joined back with dots, so they mean what `--map ho_so.ngay_tiep_nhan=…`
        means, and a key with too many dots reaches `_check_mapping` as written."""
        return dotted(value) if isinstance(value, dict) else value

    @field_validator("packs", "signers", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("commune", "issuer", "mapping_file", "report_dir")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value:
            raise ValueError("blank")
        return unicodedata.normalize("NFC", value) if value else value

    @field_validator("signers", "packs")
    @classmethod
    def _no_blank_item(cls, value: list[str]) -> list[str]:
        if any(not item.strip() for item in value):
            raise ValueError("blank")
        return [unicodedata.normalize("NFC", item.strip()) for item in value]

    @field_validator("commune_kind")
    @classmethod
    def _kind(cls, value: str | None) -> str | None:
        if value is None:
            return None
        kind = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).lower()
        if kind not in COMMUNE_KINDS:
            raise ValueError("kind")
        return kind

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        from .messages import LANGUAGES

        if value is not None and value not in LANGUAGES:
            raise ValueError("language")
        return value


class Config(BaseModel):
    """A commune folder's settings; paths are absolute (resolved against the file's folder)."""

    # Period is a plain dataclass of pandas timestamps
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    path: Path
    commune: str | None = None
    #: "xã", "phường", "đặc khu" or "thị trấn" (lower case); None when the file says nothing
    commune_kind: str | None = None
    #: the issuing body of the report heading, e.g. "Ủy ban nhân dân xã Bình Minh"
    issuer: str | None = None
    #: signature titles left to right, e.g. ["NGƯỜI LẬP BIỂU", "CHỦ TỊCH"]
    signers: list[str] = Field(default_factory=list)
    #: shipped pack ids as written; pack files as absolute paths
    packs: list[str] = Field(default_factory=list)
    #: FIELD → HEADER, the same meaning as --map
    mapping: dict[str, str] = Field(default_factory=dict)
    mapping_file: Path | None = None
    language: str | None = None
    report_dir: Path | None = None
    #: from the data folder's name (never from the data); None when the name is no period
    period: Period | None = None
    #: the data folder the file was found for
    data_folder: Path | None = None

    def map_pairs(self) -> list[str]:
        """`mapping` as --map's `FIELD=HEADER` strings."""
        return [f"{field}={header}" for field, header in self.mapping.items()]

    def heading(self) -> dict[str, Any]:
        """The report heading's options for the renderers (only what the file gives)."""
        given = {"commune": self.commune, "commune_kind": self.commune_kind, "issuer": self.issuer,
                 "signers": list(self.signers) or None}
        return {key: value for key, value in given.items() if value}


def find_config(start: Path) -> Config | None:
    """The `dxcheck.toml` of the data folder `start` (a file: its folder) or of its nearest parent
    that has one; None when there is none before the filesystem root or a `.git` folder."""
    start = Path(start).absolute()
    folder = start if start.is_dir() else start.parent
    current = folder
    while True:
        candidate = current / CONFIG_FILE
        if candidate.is_file():
            return load_config(candidate, data_folder=folder)
        if (current / ".git").exists() or current.parent == current:
            return None
        current = current.parent


def load_config(path: Path, data_folder: Path | None = None) -> Config:
    """Read and check one `dxcheck.toml`; `data_folder` (default: the file's folder) names the period."""
    text = _read(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, problem = _toml_position(str(exc))
        raise UsageError("config.syntax", path=str(path), line=line, problem=problem) from None
    try:
        settings = _Settings.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, text, exc.errors()[0]) from None
    base = path.parent
    if settings.commune:
        settings = _split_commune(settings)
    mapping_file = None
    if settings.mapping_file:
        mapping_file = (base / settings.mapping_file).absolute()
        if not mapping_file.is_file():
            raise UsageError("config.missing_file", path=str(path), line=_line_of(text, ("mapping_file",)),
                             name="mapping_file", value=settings.mapping_file)
    _check_mapping(path, text, settings.mapping)
    folder = Path(data_folder) if data_folder is not None else base
    return Config(
        path=path.absolute(), commune=settings.commune, commune_kind=settings.commune_kind, issuer=settings.issuer,
        signers=settings.signers, packs=[_pack(base, pack) for pack in settings.packs], mapping=settings.mapping,
        mapping_file=mapping_file, language=settings.language,
        report_dir=(base / settings.report_dir).absolute() if settings.report_dir else None,
        period=folder_period(folder.name), data_folder=folder.absolute(),
    )


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError("config.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_BYTES:
        raise UsageError("config.too_large", path=str(path), limit=MAX_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError("config.not_utf8", path=str(path), offset=exc.start) from None


def _toml_position(message: str) -> tuple[str, str]:
    """tomllib says `Expected '=' … (at line 3, column 7)`: the line, and the problem without it."""
    match = re.search(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)", message)
    if not match:
        return "?", message
    return (match[1] or "?"), (message[:match.start()] + message[match.end():]).strip()


def _split_commune(settings: _Settings) -> _Settings:
    """`commune = "Xã Bình Minh"` → name `Bình Minh`, kind `xã` (unless the kind is given apart)."""
    name = settings.commune or ""
    lowered = name.lower()
    for kind in sorted(COMMUNE_KINDS, key=len, reverse=True):
        if lowered.startswith(kind + " ") and name[len(kind):].strip():
            return settings.model_copy(update={"commune": name[len(kind):].strip(),
                                               "commune_kind": settings.commune_kind or kind})
    return settings


def _pack(base: Path, pack: str) -> str:
    """A pack file or folder beside the config becomes an absolute path; anything else (a shipped
    pack id) is kept as written and resolved like --rules."""
    candidate = base / pack
    return str(candidate.absolute()) if candidate.exists() else pack


def _check_mapping(path: Path, text: str, mapping: dict[str, str]) -> None:
    from .load import parse_mapping

    for field, header in mapping.items():
        line = _line_of(text, ("mapping", field))
        if field.count(".") > 1:
            # `ho_so.ngay_tiep_nhan.cu`: say what a key may be, and what was probably meant
            meant = ".".join(field.split(".")[:2])
            try:
                parse_mapping([f"{meant}=-"], None, source="[mapping]")
                suggestions = [meant]
            except UsageError as error:
                suggestions = list(error.suggestions)
            raise UsageError("config.mapping_key_dots", path=str(path), line=line, name=field,
                             dots=field.count("."), suggestions=suggestions)
        try:
            parse_mapping([f"{field}={header}"], None, source="[mapping]")
        except UsageError as error:
            raise UsageError("config.bad_mapping", path=str(path), line=line, problem=str(error)) from None


def _explain(path: Path, text: str, error: dict) -> UsageError:
    """The first pydantic error as one sentence with file:line."""
    location = tuple(str(part) for part in error.get("loc", ()))
    key = ".".join(location) or "?"
    line = _line_of(text, location)
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        known = list(_Settings.model_fields)
        close = difflib.get_close_matches(location[-1], known, n=1)
        if not close:
            return UsageError("config.unknown_key_no_hint", path=str(path), line=line, name=key, known=", ".join(known))
        return UsageError("config.unknown_key", path=str(path), line=line, name=key, hint=close[0],
                          known=", ".join(known))
    reason = str(error.get("ctx", {}).get("error", "")) if error.get("ctx") else ""
    if reason == "kind":
        return UsageError("config.bad_kind", path=str(path), line=line, value=error.get("input"),
                          choices=", ".join(COMMUNE_KINDS))
    if reason == "language":
        from .messages import LANGUAGES

        return UsageError("config.bad_language", path=str(path), line=line, value=error.get("input"),
                          choices=", ".join(LANGUAGES))
    if reason == "blank":
        return UsageError("config.blank", path=str(path), line=line, name=key)
    if kind == "too_long":
        return UsageError("config.too_many", path=str(path), line=line, name=key,
                          limit=error.get("ctx", {}).get("max_length"))
    expected = _SHAPES.get(location[0], "?") if location else "?"
    return UsageError("config.bad_value", path=str(path), line=line, name=key, expected=expected)


#: what each key holds, for "expected …" (TOML spelling, language-neutral)
_SHAPES = {"commune": '"Bình Minh"', "commune_kind": '"xã"', "issuer": '"Ủy ban nhân dân xã Bình Minh"',
           "signers": '["NGƯỜI LẬP BIỂU", "CHỦ TỊCH"]', "packs": '["binh-minh-2030"]',
           "mapping": '{ ngay_hen_tra = "Hạn trả" }', "mapping_file": '"mapping.yaml"', "language": '"vi"',
           "report_dir": '"bao-cao"'}


def _line_of(text: str, location: tuple[str, ...]) -> str:
    """The line where the key at `location` is written, its parts split at dots (a `[mapping]` key
    `ho_so.ngay_tiep_nhan` is three parts): under the `[table]` that holds the first parts, as the
    rest, bare or quoted (`"a.b" =`, `a . b =`), or at the top level dotted (`mapping.a.b =`); else
    the line of an inline table or array holding it, else its table's header; "?" when none."""
    parts = [piece for part in location for piece in str(part).split(".")]
    if not parts:
        return "?"
    table: list[str] = []
    found_table = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if header := re.match(r"^\[\s*([^\]]+?)\s*\]", stripped):
            table = re.sub(r"\s+|[\"']", "", header[1]).split(".")
            if table == parts[:1] and found_table is None:
                found_table = number
            continue
        depth = len(table)
        if parts[:depth] == table[:depth] and len(parts) > depth and _assigns(stripped, parts[depth:]):
            return str(number)
        if len(parts) > 1 and table == parts[:1] and parts[0] == "signers":
            return str(number)
        if depth == 0 and len(parts) > 1 and _assigns(stripped, parts[:1]):
            return str(number)  # inline table or array: the key's own line
    return str(found_table) if found_table else "?"


def _assigns(line: str, names: list[str]) -> bool:
    """Whether `line` assigns the dotted key `names`: each part bare or quoted, or the whole quoted."""
    def one(name: str) -> str:
        return rf"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"

    whole = ".".join(names)
    spelled = r"\s*\.\s*".join(one(name) for name in names)
    return re.match(rf"^(?:{spelled}|\"{re.escape(whole)}\"|'{re.escape(whole)}')\s*=", line) is not None


def period_note(config: Config, shown: str | Path | None = None) -> DataWarning:
    """The report's note that the period was taken from the data folder's name (never guessed);
    `shown` is the folder as the user named it (default: its absolute path)."""
    folder = config_data_folder(config)
    return DataWarning(path=str(shown if shown is not None else folder), code="period.from_folder",
                       params={"folder": folder.name, "label": config.period.label if config.period else ""})


def config_data_folder(config: Config) -> Path:
    """The data folder the config was found for (where the period's name was read)."""
    return config.data_folder or config.path.parent
