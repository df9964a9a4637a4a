"""The message catalogue: every user-facing sentence, in Vietnamese and English.

Text lives in `vi/*.yaml` and `en/*.yaml` beside this file (one file per area: core, load,
report, …; merged), keyed by dotted ids; code asks for
`t("error.file_missing", path=...)`. The language is a context variable so the library stays
re-entrant (a notebook can render the same result in both languages).
"""

from __future__ import annotations

import contextvars
from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from ..trees import dotted

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("dxcheck_language", default=DEFAULT_LANGUAGE)


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = resources.files(__package__).joinpath(lang)
    yaml = YAML(typ="safe")  # one for all the files: setting one up costs as much as a file's parse
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml"):
            tree = yaml.load(entry.read_text(encoding="utf-8")) or {}
            merged.update({key: str(value) for key, value in dotted(tree).items()})
    return merged


def get_language() -> str:
    return _language.get()


def set_language(lang: str) -> contextvars.Token:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return _language.set(lang)


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """The sentence `key` in `lang` (default: the current language), filled with `params`.

    A key missing from the chosen language falls back to English, then to the key itself, so a
    half-translated catalogue never crashes a run.
    """
    lang = lang or _language.get()
    template = catalogue(lang).get(key) or catalogue("en").get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
