"""`dxcheck init`: scaffold a commune's folder from a shipped (or any) rule pack.

The folder gets everything a commune needs to start its monthly routine without edits:

    <pack-id>.yaml      the pack, copied with the commune's name and a pack id of its own
    sources/<seed>      the plan's text beside the pack, so `dxcheck rules lint` can check quotes
    mapping.yaml        a template of column-header mappings (all commented out: reads as empty)
    README.md           the monthly routine, in the chosen language

The copy is a YAML round trip (comments, quoting and layout kept); only `id` and `title` change.
Existing files are never overwritten unless `force` is given.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .atomic import write_atomic
from .datasets import vocabulary
from .errors import UsageError
from .messages import t
from .packs.loader import LoadedPack, load_pack, resolve_rule_paths, shipped_rules_dir
from .packs.model import DeclaredMeasurement, is_slug

#: How a commune-level unit names itself (cấp xã: xã, phường, đặc khu; older: thị trấn).
UNIT_KINDS = {"xã": "commune", "phường": "ward", "đặc khu": "special zone", "thị trấn": "township"}
MAPPING_FILE = "mapping.yaml"
README_FILE = "README.md"


@dataclass(frozen=True)
class Commune:
    """`Xã Bình Minh` → kind `Xã`, name `Bình Minh`."""

    kind: str
    name: str

    @property
    def full(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def english(self) -> str:
        return f"{self.name} {UNIT_KINDS[self.kind.lower()]}"


def parse_commune(text: str) -> Commune:
    """The unit's kind and name; a bare name (`Bình Minh`) is a xã."""
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip(" ,;:")
    for kind in sorted(UNIT_KINDS, key=len, reverse=True):
        if cleaned.lower().startswith(kind + " "):
            name = cleaned[len(kind):].strip(" ,;:")
            if name:
                return Commune(kind=kind[:1].upper() + kind[1:], name=name)
    if not cleaned or not slugify(cleaned):
        raise UsageError("authoring.init.bad_commune", name=text)
    return Commune(kind="Xã", name=cleaned)


def slugify(text: str) -> str:
    """`Bình Minh - Bắc Sơn` → `binh-minh-bac-son` (no diacritics, đ → d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def default_pack_id(commune: Commune, pack: LoadedPack) -> str:
    """`binh-minh` plus the plan's last year (`2025-2030` → `binh-minh-2030`) when it has one."""
    years = re.findall(r"(?:19|20)\d\d", pack.pack.plan.period or "")
    slug = slugify(commune.name)
    return f"{slug}-{years[-1]}" if years else slug


def _title_rest(title: str) -> str:
    """`Xã Hoàng Sơn: Kế hoạch …` → `Kế hoạch …`; a title without a `…:` prefix stays whole."""
    head, sep, rest = title.partition(":")
    return rest.strip() if sep and rest.strip() and len(head) <= 80 else title.strip()


def _source_text_path(pack: LoadedPack) -> Path | None:
    for base in (pack.path.parent / "sources", shipped_rules_dir() / "sources"):
        candidate = base / pack.pack.plan.seed
        if candidate.is_file():
            return candidate
    return None


def _resolve_source(source: str | None) -> LoadedPack:
    shipped = sorted(path.stem for path in shipped_rules_dir().glob("*.yaml"))
    if not source:
        raise UsageError("authoring.init.missing_from", choices=", ".join(shipped))
    (path,) = resolve_rule_paths([source]) or [Path(source)]
    if not path.is_file():
        raise UsageError("authoring.init.unknown_from", value=source, choices=", ".join(shipped))
    return load_pack(path)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never re-wrap a quote
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def pack_text(source: LoadedPack, commune: Commune, pack_id: str) -> str:
    """The source pack's text with the new id and titles, a header comment naming its origin."""
    yaml = _yaml()
    document = yaml.load(source.path.read_text(encoding="utf-8-sig"))
    document["id"] = pack_id
    title = document["title"]
    title["vi"] = DoubleQuotedScalarString(f"{commune.full}: {_title_rest(source.pack.title.vi)}")
    title["en"] = DoubleQuotedScalarString(f"{commune.english}: {_title_rest(source.pack.title.en)}")
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    header = t("authoring.init.pack_header", commune=commune.full, source=source.id,
               seed=source.pack.plan.seed, file=f"{pack_id}.yaml")
    return _comment(header) + "\n" + buffer.getvalue()


def _comment(text: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in text.strip("\n").splitlines())


def mapping_text() -> str:
    """A mapping file that reads as empty until a line is uncommented: every field, by dataset.

    Uncommenting means deleting the leading `# ` of a dataset's line and of the field lines wanted.
    """
    lang = _lang()
    placeholder = t("authoring.init.mapping_placeholder")
    lines = [_comment(t("authoring.init.mapping_header"))]
    for name, spec in vocabulary().datasets.items():
        lines.append(f"# --- {name}: {spec.title.get(lang)} ---")
        lines.append(f"# {name}:")
        for field_name, field in spec.fields.items():
            lines.append(f"#   # {t('authoring.init.mapping_known', headers='; '.join(field.headers))}")
            lines.append(f'#   {field_name}: "{placeholder}"')
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _lang() -> str:
    from .messages import get_language

    return get_language()


def readme_text(source: LoadedPack, commune: Commune, pack_id: str) -> str:
    lang = _lang()
    rows = []
    for rule in source.pack.rules:
        kinds = [isinstance(item, DeclaredMeasurement) for item in rule.measurements]
        if any(kinds):
            fallback = "" if kinds[0] else " " + t("authoring.init.readme_fallback")
            rows.append(f"| `{rule.id}` | {rule.title.get(lang)}{fallback} |")
    declared_lines = "\n".join(rows)
    return t("authoring.init.readme", commune=commune.full, pack_file=f"{pack_id}.yaml", pack_id=pack_id,
             source=source.id, seed=source.pack.plan.seed, mapping=MAPPING_FILE,
             declared=declared_lines or t("authoring.init.readme_no_declared")).rstrip("\n") + "\n"


def plan_files(source: LoadedPack, commune: Commune, pack_id: str) -> dict[str, str]:
    """Relative path → text of every file `init` writes."""
    source_path = _source_text_path(source)
    if source_path is None:
        raise UsageError("authoring.init.no_source_text", seed=source.pack.plan.seed, pack=str(source.path))
    return {
        f"{pack_id}.yaml": pack_text(source, commune, pack_id),
        f"sources/{source.pack.plan.seed}": source_path.read_text(encoding="utf-8"),
        MAPPING_FILE: mapping_text(),
        README_FILE: readme_text(source, commune, pack_id),
    }


def scaffold(folder: Path, *, source: str | None, commune: str | None, pack_id: str | None = None,
             force: bool = False, also_written: tuple[str, ...] = ()) -> list[Path]:
    """Write the commune folder; return the files written. Raise UsageError (exit 2) on a conflict,
    also when one of `also_written` (files the caller writes next, e.g. dxcheck.toml) exists."""
    if not commune or not commune.strip():
        raise UsageError("authoring.init.missing_commune")
    if pack_id is not None and not is_slug(pack_id):
        raise UsageError("authoring.init.bad_id", value=pack_id)
    loaded = _resolve_source(source)
    unit = parse_commune(commune)
    chosen_id = pack_id or default_pack_id(unit, loaded)
    if not is_slug(chosen_id):
        raise UsageError("authoring.init.bad_commune", name=commune)
    if folder.exists() and not folder.is_dir():
        raise UsageError("authoring.init.not_a_folder", path=str(folder))
    files = plan_files(loaded, unit, chosen_id)
    from .output_guard import refuse_overlap

    # --force never writes over the plan it starts from (a pack file inside the folder, say)
    refuse_overlap([folder / name for name in [*files, *also_written]], [loaded.path, _source_text_path(loaded)])
    existing = [folder / name for name in [*files, *also_written] if (folder / name).exists()]
    if existing and not force:
        raise UsageError("authoring.init.exists", count=len(existing), paths=", ".join(map(str, existing)))
    written = []
    for name, text in files.items():
        path = folder / name
        try:
            write_atomic(path, text)
        except OSError as exc:
            raise UsageError("cli.output_unwritable", path=str(path), reason=exc.strerror or str(exc)) from None
        written.append(path)
    return written
