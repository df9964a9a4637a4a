"""The column choices made on the page, saved to the mapping file `--mapping` reads (load/api.py:
`{dataset: {field: header}}`), so that the next run and next month read the columns the same way."""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..atomic import write_atomic


def save_choices(path: Path, choices: dict[str, str]) -> None:
    """Add `dataset.field -> header` to the file at `path` (made if missing), keeping its comments
    and other entries; a field chosen again replaces its earlier header."""
    yaml = YAML()  # round trip: the commune's own comments and order stay
    yaml.indent(mapping=2, sequence=4, offset=2)
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    tree = yaml.load(text) if text.strip() else None
    if tree is None:
        tree = CommentedMap()
    for key, header in choices.items():
        dataset, _, name = key.partition(".")
        tree.pop(name, None)  # a bare `field: header` would say otherwise for this dataset
        if not isinstance(tree.get(dataset), dict):
            tree[dataset] = CommentedMap()
        tree[dataset][name] = header
    out = io.StringIO()
    yaml.dump(tree, out)
    body = out.getvalue()
    if text.strip() and not _has_entries(text):
        body = text.rstrip("\n") + "\n" + body  # a template of comments only: keep it above
    write_atomic(path, body)


def _has_entries(text: str) -> bool:
    return YAML(typ="safe").load(text) is not None
