"""What `dxcheck rules draft` does, apart from parsing its options (cli.py stays thin)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import UsageError
from ..output_guard import refuse_overlap
from ..packs.loader import pack_files, read_yaml, shipped_rules_dir
from ..packs.model import is_slug
from .build import DraftPack, draft_pack
from .check import CheckResult, check
from .plantext import read_plan
from .write import to_yaml


def shipped_packs() -> dict[str, dict]:
    """Raw data of every shipped pack, by id (the catalogue copies their measurements)."""
    packs = {}
    for path in pack_files([shipped_rules_dir()]):
        data, _positions = read_yaml(path)
        packs[data["id"]] = data
    return packs


def _learn_from(names: list[str], shipped: dict[str, dict]) -> list[dict]:
    chosen = []
    for name in names:
        if name in shipped:
            chosen.append(shipped[name])
        elif Path(name).is_file():
            chosen.append(read_yaml(Path(name))[0])
        else:
            raise UsageError("authoring.draft.unknown_from", value=name, choices=", ".join(sorted(shipped)))
    return chosen


def default_id(plan: Path) -> str:
    text = unicodedata.normalize("NFD", plan.stem.lower())
    slug = "".join(char if char.isascii() and char.isalnum() else "-" for char in text if unicodedata.category(char) != "Mn")
    slug = "-".join(part for part in slug.split("-") if part)
    return slug or "draft"


@dataclass
class Drafted:
    pack: DraftPack
    yaml: str
    output: Path | None
    source: Path | None


def seed_name(plan: Path) -> str:
    """The plan's text is kept as sources/<stem>.txt whatever its format (lint reads text)."""
    return plan.stem + ".txt"


def run_draft(plan: Path, pack_id: str | None, learn_from: list[str], output: Path | None,
              deadline: int | None, force: bool) -> Drafted:
    pack_id = pack_id or default_id(plan)
    if not is_slug(pack_id):
        raise UsageError("authoring.draft.bad_id", value=pack_id)
    refuse_overlap([output], [plan])  # the plan is read-only, even with --force
    text = read_plan(plan)
    shipped = shipped_packs()
    pack = draft_pack(text, seed_name(plan), pack_id, shipped, _learn_from(learn_from, shipped), deadline)
    rendered = to_yaml(pack, plan.name, deadline)
    if output is None:
        return Drafted(pack, rendered, None, None)
    source = output.parent / "sources" / seed_name(plan)
    for path, content in ((output, rendered), (source, text)):
        if path.exists() and not force and not (path == source and path.read_text(encoding="utf-8") == content):
            raise UsageError("authoring.draft.exists", path=str(path))
    try:
        if plan.resolve() != source.resolve():  # a plan already in sources/ is left as it is
            write_atomic(source, text)
        write_atomic(output, rendered)
    except OSError as error:
        raise UsageError("cli.output_unwritable", path=str(output), reason=error.strerror or str(error)) from None
    return Drafted(pack, rendered, output, source)


def run_check(pack_path: Path, plan: Path) -> tuple[str, CheckResult]:
    data, _positions = read_yaml(pack_path)
    return str(data.get("id", pack_path.stem)) if isinstance(data, dict) else pack_path.stem, check(
        data if isinstance(data, dict) else {}, read_plan(plan))
