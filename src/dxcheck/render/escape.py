"""Names are data: one escaping function per output format, used by every renderer.

A file, folder, sheet or field name, a header, a cell or a rule pack's text can hold anything —
`[/b]`, an ESC sequence, `|`, a newline, `<script>`, `=cmd|' /C calc'!A0`, U+FFFE, NUL, or a lone
surrogate (how Python reads a file name that is not valid UTF-8). Each function here turns such a
string into inert text of one format; nothing else in `render/` (or `cli.py`, `load/inspect.py`)
escapes on its own.

What cannot be written is replaced *visibly*, never dropped, so a reader sees that something was
there:
- terminal: C0 controls, DEL, ESC → their Unicode control pictures (ESC → ␛, NUL → ␀);
  C1 controls and bidirectional overrides → `\\u009b`-style notation; lone surrogates → U+FFFD.
- XML (JUnit, xlsx): characters XML 1.0 forbids (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F,
  lone surrogates, U+FFFE, U+FFFF) → U+FFFD, the replacement character.
- Markdown: punctuation that starts inline markup backslash-escaped, line breaks folded to a
  space, a line-starting `#`, `>`, `-`, `+`, `=` or `1.` escaped; code spans fenced longer than any
  backtick run inside.
- HTML: the characters XML forbids → U+FFFD, then `& < > " '` as entities (jinja's autoescape,
  with `html_finalize`, in the templates).
- JSON: values kept exactly; only a lone surrogate is written as its `\\udcXX` escape.
- spreadsheet cells: a text starting like a formula (`= + - @`, tab, CR, LF, full-width forms) is
  marked to stay text (the renderer stores it as a string with Excel's quote prefix).
"""

from __future__ import annotations

import re

from markupsafe import Markup
from markupsafe import escape as _html_escape
from rich.markup import escape as _rich_escape

# --- terminal -------------------------------------------------------------------------------------

_C0 = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_C0_AND_NEWLINE = re.compile("[\x00-\x1f\x7f]")
# C1 controls (U+009B is a one-byte CSI on some terminals), bidi embeddings/overrides/isolates
# (they reorder what follows, "Trojan source"), and lone surrogates (cannot be encoded for output)
_INVISIBLE = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _picture(match: re.Match) -> str:
    code = ord(match[0])
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def _notation(match: re.Match) -> str:
    code = ord(match[0])
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def terminal(value: object, *, newlines: bool = False) -> str:
    """Data as plain terminal text (for `Text(...)` or `print(..., markup=False)`): no control or
    escape sequence reaches the terminal. `newlines=True` keeps line breaks (whole messages)."""
    if value is None:
        return ""
    text = (_C0 if newlines else _C0_AND_NEWLINE).sub(_picture, str(value))
    return _INVISIBLE.sub(_notation, text)


def terminal_markup(value: object) -> str:
    """Data inside a string that rich parses as markup (table titles, cells given as `str`)."""
    return _rich_escape(terminal(value))


# --- XML (JUnit, xlsx) ----------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml(value: object) -> str:
    """Text XML 1.0 can carry: forbidden characters become U+FFFD (the writer escapes `<&>"`)."""
    return _NOT_XML.sub("\ufffd", "" if value is None else str(value))


# --- spreadsheets -------------------------------------------------------------------------------

#: what makes a spreadsheet read a text as a formula (or DDE) when it starts a cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def spreadsheet(value: object) -> tuple[str, bool]:
    """A cell's text (XML-safe) and whether it starts like a formula, so must be kept as text."""
    text = xml(value)
    return text, text.startswith(FORMULA_START)


# --- JSON ---------------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def json(document: str) -> str:
    """A JSON text (from `json.dumps(..., ensure_ascii=False)`) that can be written as UTF-8: a lone
    surrogate (a file name that was not valid UTF-8) becomes its `\\udcXX` escape, which JSON allows
    and which parses back to the same string, so the value is kept exactly."""
    return _SURROGATE.sub(lambda match: f"\\u{ord(match[0]):04x}", document)


# --- HTML -----------------------------------------------------------------------------------------


def html(value: object) -> str:
    """Data as HTML text (the templates do the same: jinja's autoescape, after `html_finalize`)."""
    return str(_html_escape(xml("" if value is None else value)))


def html_finalize(value: object) -> object:
    """Jinja's `finalize` for every HTML environment (report, serve): each `{{ … }}` value loses the
    characters HTML forbids too (controls, noncharacters, lone surrogates → U+FFFD) before
    autoescape turns `& < > " '` into entities; a value already marked safe stays safe."""
    if not isinstance(value, str):
        return value
    cleaned = xml(value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


# --- Markdown -----------------------------------------------------------------------------------

# What can start markup inside a line: code, emphasis, links, HTML, table cells, strike-through,
# entities, GitHub's math. `_` only at a word's edge (GFM never emphasises inside a word).
_MD_ESCAPED = re.compile(r"([\\`*\[\]<>|~&$])|(?<![^\W_])_|_(?![^\W_])")
_MD_NEWLINES = re.compile(r"\s*(?:\r\n|\r|\n|\t|\v|\f|\x1c|\x1d|\x1e|\x85|\u2028|\u2029)\s*")
# What makes a line a heading, quote, list item, rule or setext underline when it starts one.
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def _md_plain(value: object) -> str:
    # NUL, U+FFFE, surrogates: as in XML (CommonMark turns NUL into U+FFFD anyway; surrogates cannot be written)
    return _MD_NEWLINES.sub(" ", xml(value))


def markdown(value: object) -> str:
    """Data as inert Markdown text: punctuation backslash-escaped, line breaks and tabs folded."""
    if value is None:
        return ""
    return _MD_ESCAPED.sub(lambda match: "\\" + match[0], _md_plain(value))


def markdown_block(value: object) -> str:
    """Data that starts a line: `markdown()` plus an escaped leading `#`, `>`, `-`, `+`, `=` or `1.`."""
    escaped = markdown(value)
    match = _MD_LINE_START.match(escaped)
    if not match:
        return escaped
    if match[2].isdigit():  # `1.` → `1\.`: escape the punctuation after the number
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return f"{match[1]}\\{escaped[len(match[1]):]}"


def markdown_code(value: object) -> str:
    """Data as a code span (fence longer than any backtick run inside; pipes escaped for tables)."""
    content = _md_plain(value)
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or not content.strip() else ""
    return f"{fence}{pad}{content.replace('|', chr(92) + '|')}{pad}{fence}"
