"""Names are data (issue 16, item 4): whatever a file, folder, sheet, commune, pack or cell is
called, every output shows it as text and nothing else.

A property test writes a real CSV export under a hostile file name (its stem is the sheet name),
with hostile record ids and values in it, evaluates it through the library, gives the result a
hostile pack title, rule title, record id and breakdown group (lone surrogates included, which no
file can carry), and renders every format. Each output is parsed — HTML with html.parser,
Markdown with markdown-it-py, JUnit with an XML parser, the workbook with openpyxl, JSON with
json — and compared, element for element, with the same report of a run with plain names: a
hostile name may change the text, never the structure (no injected element, heading, table cell,
code span, formula or escape sequence). The terminal output (no colour) holds no control
character at all. A plain regression test runs the command line on `xa-a[/b].csv`.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import dxcheck
from dxcheck.packs.loader import load_packs, resolve_rule_paths
from dxcheck.render import escape, renderer
from dxcheck.results import GroupResult

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "corpus" / "make_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

# no shrinking: a failing example is shown as generated (shrinking five renderers took minutes)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    phases=(Phase.explicit, Phase.generate), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NASTY = ["[/b]", "[bold]", "[/]", "\x1b[31m", "\x1b]8;;http://x\x07", "\x9b2J", "|", "\n", "\r\n", "\t", "`", "``",
         "#", "# ", "> ", "- ", "1. ", "<script>alert(1)</script>", "<b>", "&amp;", "*a*", "_a_", "~~s~~",
         "[x](javascript:alert(1))", "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\ufffe", "\uffff", "\x00",
         "\x08", "\x7f", "\u202e", "]]>", '"', "'", "\\", "$x$", ":smile:", "{{ 1 }}", "Xã Bình Minh"]
SURROGATES = ["\ud800", "\udcff", "\udfff"]


def _hostile(extra: list[str] = ()) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(NASTY + list(extra)), st.text(min_size=1, max_size=6))
    return st.lists(piece, min_size=1, max_size=4).map("".join)


def _file_name(text: str) -> str:
    """A name the file system takes: `/` makes folders (as in `xa-a[/b].csv`), NUL cannot be stored."""
    parts = []
    for part in text.replace("\x00", "\ufffd").split("/"):
        part = part.encode("utf-8", "surrogatepass")[:80].decode("utf-8", "ignore")
        if part in ("", ".", "..") or part.startswith((".", "~")):
            part = "_" + part
        parts.append(part)
    return "/".join(parts)


def _record_id(text: str) -> str:
    # a CSV cell: a name with at least one letter so the row is a record; NUL and CR/LF cannot be in a cell
    return "Ngô " + re.sub("[\x00\r\n]", "?", text).strip() + " Nga"


@cache
def _packs():
    return load_packs(resolve_rule_paths(["binh-minh-2030"]))


def _evaluate(folder: Path, name: str, record_id: str, role: str):
    path = folder / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [corpus.STAFF_HEADER, *corpus.STAFF_ROWS, [record_id, role, "Không"]]
    with path.open("w", encoding="utf-8", newline="") as out:  # every cell quoted: `;` and `"` are data too
        csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    result = dxcheck.evaluate([path], packs=_packs(), timestamp=False, samples=5)
    assert [sheet.dataset for item in result.inputs for sheet in item.sheets] == ["can_bo"], result.inputs
    return result


def _staff_rule(result):
    return next(item for item in result.results if item.status == "fail" and item.samples)


def _poison(result, title: str, record_id: str, group: str) -> None:
    """Strings no file can carry (lone surrogates, NUL) put where pack text and data land."""
    result.packs[0].title = {"vi": title, "en": title}
    rule = _staff_rule(result)
    rule.title = {"vi": title, "en": title}
    rule.samples.append(rule.samples[0].model_copy(update={"record_id": record_id}))
    rule.samples_total += 1
    rule.breakdown_by = "chuc_vu"
    rule.breakdown = [GroupResult(group=group, value=50.0, numerator=1, denominator=2, status="fail")]


def _render_all(result) -> dict[str, str | bytes]:
    return {name: renderer(name)(result) for name in ("terminal", "md", "html", "json", "junit", "xlsx")}


# --- parsers: the structure of each output, and its text ----------------------------------------


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.in_script = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.in_script += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)
        self.in_script -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.in_script:
            self.text.append(data)


def _html(document: str) -> tuple[list[str], str]:
    parser = _Html()
    parser.feed(document)
    parser.close()
    return parser.tags, _squash("".join(parser.text))


_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _markdown(document: str) -> tuple[list[str], str]:
    """Block and inline token types, text aside (escaped punctuation splits text tokens), and the
    text a reader sees."""
    kinds = []
    for token in _MARKDOWN.parse(document):
        kinds.append(token.type)
        kinds += [child.type for child in token.children or () if child.type not in ("text", "text_special")]
    return kinds, _html(_MARKDOWN.render(document))[1]


def _xml(document: str) -> tuple[list[str], str]:
    root = ET.fromstring(document.encode("utf-8"))
    tags = [element.tag for element in root.iter()]
    text = " ".join(filter(None, [piece for element in root.iter()
                                  for piece in (element.text, *element.attrib.values())]))
    return tags, _squash(text)


def _workbook(data: bytes) -> tuple[list[str], list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells), [cell.value for cell in cells if cell.data_type == "f"]
    return [sheet.title for sheet in book.worksheets], [_squash(str(cell.value)) for cell in cells]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _shown(value: str) -> str:
    """How a value reads once written: XML's forbidden characters as U+FFFD, whitespace squashed."""
    return _squash(escape.xml(value))


@cache
def _plain_outputs() -> dict[str, object]:
    """The structure of every output for a run with plain names: what the hostile runs must match."""
    with tempfile.TemporaryDirectory() as folder:
        result = _evaluate(Path(folder), "xa-a/thon-mot", "Ngô Văn Nga", "Công chức")
        _poison(result, "Kế hoạch", "Ngô Văn Nga", "Công chức")
        outputs = _render_all(result)
    return {"md": _markdown(outputs["md"])[0], "html": _html(outputs["html"])[0], "junit": _xml(outputs["junit"])[0],
            "xlsx": len(_workbook(outputs["xlsx"])[0])}


@SETTINGS
@given(name=_hostile(), cell=_hostile(), role=_hostile(), title=_hostile(SURROGATES), poisoned_id=_hostile(SURROGATES),
       group=_hostile(SURROGATES))
def test_every_format_shows_hostile_names_as_text(name, cell, role, title, poisoned_id, group):
    with tempfile.TemporaryDirectory() as folder:
        result = _evaluate(Path(folder), _file_name(name), _record_id(cell), re.sub("[\x00\r\n]", "?", role))
        source = result.inputs[0]
        path, sheet = source.path, source.sheets[0].sheet
        read_id = _staff_rule(result).samples[0].record_id
        _poison(result, title, poisoned_id, group)
        outputs = _render_all(result)
    plain = _plain_outputs()

    # terminal, no colour: not one control character, escape sequence or surrogate; the names readable
    terminal = outputs["terminal"]
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]", terminal), repr(terminal[:200])
    flat = "".join(terminal.split())
    for value in (path, sheet):
        assert "".join(escape.terminal(value).split()) in flat, value

    # HTML: the same elements as a plain run's report; the values there as text
    tags, text = _html(outputs["html"])
    assert tags == plain["html"]
    for value in (path, sheet, read_id, title, poisoned_id, group):
        assert _shown(value) in text, value

    # Markdown: the same headings, tables, cells, code spans, emphasis and links as a plain run's
    kinds, text = _markdown(outputs["md"])
    assert kinds == plain["md"]
    for value in (read_id, title, poisoned_id):
        assert _shown(value) in text, value

    # JSON: every value exactly as read (a lone surrogate included)
    document = json.loads(outputs["json"])
    assert document["inputs"][0]["path"] == path and document["inputs"][0]["sheets"][0]["sheet"] == sheet
    assert poisoned_id in [sample["record_id"] for rule in document["results"] for sample in rule.get("samples", [])]

    # JUnit: well-formed XML 1.0, the same elements; the values there, forbidden characters replaced
    tags, text = _xml(outputs["junit"])
    assert tags == plain["junit"]
    for value in (path, read_id, title, poisoned_id, group):
        assert _shown(value) in text, value

    # xlsx: opens, the same sheets, no formula anywhere; the values in cells as text
    sheets, cells = _workbook(outputs["xlsx"])
    assert len(sheets) == plain["xlsx"]
    for value in (path, read_id, title, poisoned_id):  # (the workbook has no breakdown)
        assert any(_shown(value) in cell for cell in cells), value


def test_escapers_keep_what_was_right():
    """The per-format functions, on the characters each format reserves (render/escape.py)."""
    assert escape.terminal("a\x1b[31m\x00\x7f\n\x9b\u202e\udcff") == "a␛[31m␀␡␊\\u009b\\u202e\ufffd"
    assert escape.terminal("a\nb", newlines=True) == "a\nb"
    assert escape.terminal_markup("xa-a[/b]") == "xa-a\\[/b]"
    assert escape.xml("a\ufffe\uffff\x00\x0b\ud800\tb\n") == "a\ufffd\ufffd\ufffd\ufffd\ufffd\tb\n"
    assert escape.markdown("# a|b\n`c` <s> *d*") == "# a\\|b \\`c\\` \\<s\\> \\*d\\*"
    assert escape.markdown_block("# a") == "\\# a" and escape.markdown_block("1. a") == "1\\. a"
    assert escape.markdown_code("a`b|c") == "``a`b\\|c``"
    assert escape.html("<b title=\"x\">&\ufffe") == "&lt;b title=&#34;x&#34;&gt;&amp;\ufffd"
    assert escape.spreadsheet("=cmd|' /C calc'!A0") == ("=cmd|' /C calc'!A0", True)
    assert escape.spreadsheet("＝1\ufffe") == ("＝1\ufffd", True) and escape.spreadsheet("a=1") == ("a=1", False)
    assert json.loads(escape.json(json.dumps("x\udcff", ensure_ascii=False))) == "x\udcff"


# --- the command line on `xa-a[/b].csv` ------------------------------------------------------------


def test_cli_reports_on_a_file_named_like_rich_markup(tmp_path):
    """`xa-a[/b].csv` (folder `xa-a[`, file `b].csv`), its banner naming the commune `Xã A[/b]`, beside
    a second commune: the commune table used to parse the name as markup and stop with an internal
    error; ESC sequences in a name reached the terminal raw."""
    (tmp_path / "xa-a[").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "xa-a[" / "b].csv").write_text(corpus.csv_text(
        [["ỦY BAN NHÂN DÂN XÃ A[/b]"], [], corpus.STAFF_HEADER, *corpus.STAFF_ROWS]), encoding="utf-8")
    (tmp_path / "b" / "[bold]c\x1b[31m.csv").write_text(corpus.csv_text(
        [["ỦY BAN NHÂN DÂN XÃ [bold]B\x1b[31m"], [], corpus.STAFF_HEADER, *corpus.STAFF_ROWS,
         ["Ngô Thị Nga", "[/i]", "Không"]]), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DXCHECK_")}
    done = subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", "xa-a[/b].csv", "b/[bold]c\x1b[31m.csv",
                           "--rules", "binh-minh-2030", "--no-timestamp", "--verbose"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 1, done.stderr  # a failing target: the run went through
    assert "Traceback" not in done.stderr and "MarkupError" not in done.stderr
    assert "\x1b" not in done.stdout + done.stderr
    assert "Xã A[/b]" in done.stdout and "xa-a[/b].csv" in done.stdout
    assert "[bold]c␛[31m.csv" in done.stdout and "[bold]c␛[31m.csv" in done.stderr  # report and --verbose


def test_rules_and_inspect_show_names_as_text(tmp_path):
    """`inspect` on a hostile file, and the rules listing of a pack titled with markup."""
    name = "xa-a[/b]\x1b[2J"
    (tmp_path / "xa-a[").mkdir()
    (tmp_path / f"{name}.csv").write_text(corpus.csv_text([corpus.STAFF_HEADER, ["[/b] Ngô <b>|", "x", "Không"]]),
                                          encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DXCHECK_")}
    done = subprocess.run([sys.executable, "-m", "dxcheck", "inspect", f"{name}.csv"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "xa-a[/b]␛[2J.csv" in done.stdout

    from rich.console import Console

    from dxcheck.render.rules import rule_details, rules_table

    pack = copy.deepcopy(load_packs(resolve_rule_paths(["binh-minh-2030"]))[0])  # loaded packs are cached: a copy
    pack.pack.title.vi = "Kế hoạch [/b] \x1b[31mđỏ"
    rule = pack.pack.rules[0]
    rule.title.vi = "[bold]x[/i]"
    console = Console(file=io.StringIO(), width=200, color_system=None)
    with contextlib.redirect_stderr(io.StringIO()):
        console.print(rules_table([pack]))
        console.print(rule_details(pack, rule))
    shown = console.file.getvalue()
    assert "\x1b" not in shown and "Kế hoạch [/b] ␛[31mđỏ" in shown and "[bold]x[/i]" in shown
