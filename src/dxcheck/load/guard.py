"""Measure a workbook before it is read: zip bombs, far-away cells, formulas, macros, links.

The spreadsheet reader underneath (calamine, through fastexcel) builds each sheet as a dense
grid from its first to its last used cell: a 3 KB file with one value in A1 and another in
XFD1048576 asks for 17 billion cells and kills the process. It also unpacks whatever the zip
holds, whatever sizes the zip directory declares. So before any reader sees a workbook:

* the zip directory is checked (entry count, declared unpacked size), then every part a reader
  may open is unpacked once as a stream — its real size counted against the cap and compared
  with the directory's, nothing kept — so a directory that lies is caught too;
* each worksheet's used extent is measured from its cell references. A fast pass checks, with a
  few RE2 searches per chunk (in threads, while the next chunk is unpacked), that no reference
  lies outside a bound that fits the caps (taken from the sheet's `<dimension>` and its first
  rows) and that no cell is written in a way the bound cannot see; only then is the sheet walked
  tag by tag to find the real extent of the cells holding values;
* formula cells without a saved (cached) value are listed — dxcheck never computes formulas —
  and cells holding an Excel error (`#N/A`) keep their text, which the reader would drop;
* macros (`vbaProject.bin`, ODS `Basic/`) and links to other workbooks are noted: macros are
  never run and linked files never opened; the values saved in the file are what is read.

ODS `content.xml` is walked with expat (rows and cells can be repeated thousands of times);
xlsb sheets record by record.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

import pyarrow as pa
import pyarrow.compute as pc

try:  # ISA-L inflates about three times faster than zlib: the guard unpacks every sheet once
    from isal.isal_zlib import decompressobj as _raw_inflater
    from isal.isal_zlib import error as _InflateError
except ImportError:  # pragma: no cover - a platform without isal wheels
    from zlib import decompressobj as _raw_inflater
    from zlib import error as _InflateError

from ..errors import InputError
from . import percent
from .limits import Limits
from .text import shown

#: zip entries a workbook may have (a workbook with a hundred sheets has a few hundred)
MAX_ZIP_ENTRIES = 10_000
#: bytes read at once when streaming a zip entry
CHUNK = 4 * 1024 * 1024
#: metadata parts (workbook.xml, relationships) read whole: never near this in real files
MAX_META_BYTES = 32 * 1024 * 1024
#: threads checking unpacked chunks while the next ones are unpacked
_WORKERS = 3
#: formula cells listed by name in the warning
MAX_CELLS_LISTED = 20
#: Excel's own number of rows
EXCEL_ROWS = 1_048_576

_PREFIX = r"(?:[A-Za-z_][\w.\-]*:)?"
_WS = r"[\t\n\r ]"
_DIMENSION = re.compile(rb"<" + _PREFIX.encode() + rb"dimension\s+ref\s*=\s*[\"']([^\"']*)[\"']")
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?(?:worksheet|dialogsheet|macrosheet|chartsheet)[\t\n\r />]")
_CELL_REF = re.compile(r"^\$?([A-Za-z]+)\$?(\d+)$")
_LAST_REF = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]+)\$?(\d+)[\"']")
# the exact walk: row and cell start tags, the `r` attribute, whether the tag closes at once
_TAG = re.compile(rb"<" + _PREFIX.encode() + rb"(row|c)(?=[\s/>])([^>]*?)(/?)>")
_R_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([^\"']*)[\"']")
# a cell of type "e" (an Excel error), its formula if any, and its value: the error's text
_ERROR_CELL = re.compile(
    (r"<{p}c(\s[^>]*?\bt\s*=\s*[\"']e[\"'][^>]*)>\s*(?:<{p}f\b[^>]*/>|<{p}f\b[^>]*>[^<]*</{p}f>)?\s*"
     r"<{p}v>([^<]*)</{p}v>").format(p=_PREFIX).encode()
)
_ERROR_TEXTS: dict[str, str] = {}
# a formula cell that ends without a value, or with an empty one (`<v/>`, `<v></v>`)
_FORMULA_NO_VALUE_RE = re.compile(
    (r"<{p}f[\t\n\r />][^<]*(?:</{p}f>)?[\t\n\r ]*(?:<{p}v[\t\n\r ]*/>|<{p}v[^>]*></{p}v>)?[\t\n\r ]*</{p}c>")
    .format(p=_PREFIX).encode()
)


@dataclass
class SheetScan:
    """What was measured in one sheet before reading it."""

    name: str
    part: str
    #: the sheet had to be walked tag by tag (something lay outside the fast bound)
    exact: bool = False
    #: the extent of the cells holding values, when walked exactly
    rows: int = 0
    columns: int = 0
    #: formula cells without a saved value: their references (first MAX_CELLS_LISTED) and rows
    formula_cells: list[str] = field(default_factory=list)
    formula_rows: list[int] = field(default_factory=list)
    formula_count: int = 0
    #: cells holding an Excel error: (row, column, text such as "#N/A"), 1-based
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    #: number cells formatted as a percentage (shown 97,29% for 0.9729): (row, column), 1-based
    percent_cells: list[tuple[int, int]] = field(default_factory=list)
    #: the workbook's `state` of the sheet, as the reader spells it: "visible", "hidden", "veryhidden"
    state: str = "visible"
    #: a cell of column A holds a value in the sheet's first rows: the reader's grid then starts
    #: at column A, whatever lies below (the reader needs not be asked where it starts)
    starts_at_a: bool = False


@dataclass
class WorkbookScan:
    sheets: list[SheetScan] = field(default_factory=list)
    macros: bool = False
    #: where the workbook's external links point (file names or addresses, as written)
    external_links: list[str] = field(default_factory=list)

    def sheet(self, name: str) -> SheetScan | None:
        for scan in self.sheets:
            if scan.name == name:
                return scan
        return None


# ----------------------------------------------------------------------------------------------
# cell references


def column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ord(ch) - 64)
    return number


def parse_ref(text: str) -> tuple[int, int] | None:
    """`AB12` -> (column 28, row 12); None when it is no cell reference."""
    match = _CELL_REF.match(text.strip())
    if not match:
        return None
    return column_number(match.group(1)), int(match.group(2))


def _greater_letters(letters: str) -> str:
    """A regex for upper-case column letters after `letters` (lower-case ones are caught apart)."""
    letters = letters.upper()
    k = len(letters)
    options = [f"[A-Z]{{{k + 1},}}"]
    for i, ch in enumerate(letters):
        if ch == "Z":
            continue
        rest = f"[A-Z]{{{k - i - 1}}}" if k - i - 1 else ""
        options.append(letters[:i] + f"[{chr(ord(ch) + 1)}-Z]" + rest)
    return "(?:" + "|".join(options) + ")"


def _greater_number(number: int) -> str:
    """A regex for digit strings (no leading zero) of a number above `number`."""
    digits = str(number)
    n = len(digits)
    options = [f"[1-9][0-9]{{{n},}}"]
    for i, ch in enumerate(digits):
        if ch == "9":
            continue
        rest = f"[0-9]{{{n - i - 1}}}" if n - i - 1 else ""
        low = chr(ord(ch) + 1)
        options.append(digits[:i] + f"[{low}-9]" + rest)
    # leading zeros are unusual: let the exact walk judge them
    options.append("0[0-9]*")
    return "(?:" + "|".join(options) + ")"


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters or "A"


def _re2_literal(text: str) -> str:
    return "".join("\\" + ch if ch in ".-" else ch for ch in text)


def _other_names(name: str) -> str:
    """A regex for XML names other than `name` (used for element prefixes)."""
    options = [f"{_re2_literal(name)}[\\w.\\-]+"]
    for i, ch in enumerate(name):
        options.append(_re2_literal(name[:i]) + f"[^{_re2_literal(ch)}:<>/\\t\\n\\r ][\\w.\\-]*")
    return "(?:" + "|".join(options) + ")"


@dataclass(frozen=True)
class SheetPatterns:
    """RE2 patterns over a sheet's XML, each starting with a literal so RE2 skips ahead quickly.

    A match of `refs` or of `rless` means the fast bound cannot be trusted — a cell reference
    right of column `columns` or below row `rows`, one written in an unusual way (lower case,
    spaces, single quotes, another prefix), a cell without `r` — and the sheet is walked exactly.
    `formula` finds a formula cell that ends without a saved value. `tags` is `rless` or
    `formula` in one pass (both rare): only when it matches are they told apart.
    """

    refs: tuple[str, ...]
    rless: str
    formula: str
    tags: str
    #: a cell holding an Excel error (`t="e"`: #N/A, #REF!, #DIV/0! …)
    error: str = r' t="e"'


def sheet_patterns(prefix: str, columns: int, rows: int) -> SheetPatterns:
    p = _re2_literal(prefix)
    ws = _WS
    refs = [
        r' r(?:="(?:\$?(?:' + _greater_letters(column_letters(columns)) + r'\$?[0-9]|[A-Z]*\$?'
        + _greater_number(rows) + '")|[A-Z$]*[a-z])|' + ws + "+=|=[\\t\\n\\r \\x27])",
        r"\nr" + ws + "*=",
        r"\tr" + ws + "*=",
        r"\rr" + ws + "*=",
    ]
    if prefix:
        refs.append(r"<c" + ws[:-1] + "/>]")
        refs.append("<" + _other_names(prefix[:-1]) + ":c" + ws[:-1] + "/>]")
    else:
        refs.append(r":c" + ws[:-1] + "/>]")
    rless_body = r"c(?:/?>|" + ws + r"+(?:[^r>\t\n\r ]|r[^=\t\n\r >]))"
    formula_body = (
        "f" + ws[:-1] + "/>][^<]*(?:</" + p + "f>)?" + ws + "*(?:<" + p + "v" + ws + "*/>|<" + p
        + "v[^>]*></" + p + "v>)?" + ws + "*</" + p + "c>"
    )
    return SheetPatterns(
        refs=tuple(refs), rless="<" + p + rless_body, formula="<" + p + formula_body,
        tags="<" + p + "(?:" + rless_body + "|" + formula_body + ")",
    )


# ----------------------------------------------------------------------------------------------
# the zip directory


def _declared_entries(data: bytes) -> int | None:
    """The entry count the end-of-central-directory record declares (zip64 aware)."""
    tail_start = max(0, len(data) - 65_557)
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or at + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, at + 10)
    if count != 0xFFFF:
        return count
    locator = at - 20
    if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if offset + 40 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            (count64,) = struct.unpack_from("<Q", data, offset + 32)
            return count64
    return count


def open_zip(name: str, data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, once its directory is within the caps."""
    declared = _declared_entries(data)
    if declared is not None and declared > MAX_ZIP_ENTRIES:
        raise InputError("load.too_many_parts", path=name, count=declared, limit=MAX_ZIP_ENTRIES)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError) as exc:
        raise InputError("load.damaged", path=name, reason=_reason(exc)) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError("load.too_many_parts", path=name, count=len(infos), limit=MAX_ZIP_ENTRIES)
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        raise _unzipped_error(name, total, limits)
    return archive


def _unzipped_error(name: str, size: int, limits: Limits) -> InputError:
    return InputError("load.too_large_unzipped", path=name, size=size, limit=limits.max_unzipped_bytes,
                      env=Limits.env_name("max_unzipped_bytes"))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


class _Budget:
    """Bytes unpacked so far, against the cap."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.used = 0

    def spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limits.max_unzipped_bytes:
            raise _unzipped_error(self.name, self.used, self.limits)


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget):
    """Yield the entry's bytes chunk by chunk, never more than CHUNK at once; an entry that
    unpacks to another size than the directory declares is a damaged file."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
        yield from _stream_zipfile(archive, info, name, budget)
        return
    data = archive.fp.getbuffer() if isinstance(archive.fp, io.BytesIO) else None
    if data is None:
        yield from _stream_zipfile(archive, info, name, budget)
        return
    offset = info.header_offset
    if bytes(data[offset : offset + 4]) != b"PK\x03\x04":
        raise InputError("load.damaged", path=name, reason=f"{info.filename}: bad local header")
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    packed = data[start : start + info.compress_size]
    total = 0
    try:
        if info.compress_type == zipfile.ZIP_STORED:
            for at in range(0, len(packed), CHUNK):
                chunk = bytes(packed[at : at + CHUNK])
                total += len(chunk)
                budget.spend(len(chunk))
                yield chunk
        else:
            inflate = _raw_inflater(-15)
            for at in range(0, len(packed), 1024 * 1024):
                pending = packed[at : at + 1024 * 1024]
                while pending:
                    chunk = inflate.decompress(pending, CHUNK)
                    pending = inflate.unconsumed_tail
                    if not chunk:
                        continue
                    total += len(chunk)
                    if total > info.file_size:
                        raise InputError("load.damaged", path=name,
                                         reason=f"{info.filename}: more data than the zip directory declares")
                    budget.spend(len(chunk))
                    yield chunk
                if inflate.eof:
                    break
            if not inflate.eof:
                raise InputError("load.damaged", path=name, reason=f"{info.filename}: truncated")
    except (zlib.error, _InflateError) as exc:
        raise InputError("load.damaged", path=name, reason=f"{info.filename}: {_reason(exc)}") from None
    if total != info.file_size:
        raise InputError("load.damaged", path=name,
                         reason=f"{info.filename}: {total} bytes, the zip directory declares {info.file_size}")


def _stream_zipfile(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget):
    """The same through zipfile (other compression methods, encrypted entries), CRC checked."""
    try:
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(CHUNK)
                if not chunk:
                    return
                budget.spend(len(chunk))
                yield chunk
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise InputError("load.encrypted", path=name) from None
        raise InputError("load.damaged", path=name, reason=_reason(exc)) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise InputError("load.damaged", path=name, reason=_reason(exc)) from None


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget) -> bytes:
    parts = []
    size = 0
    for chunk in _stream(archive, info, name, budget):
        size += len(chunk)
        if size > MAX_META_BYTES:
            raise InputError("load.damaged", path=name, reason=f"{info.filename}: {size} bytes")
        parts.append(chunk)
    return b"".join(parts)


def _xml(data: bytes, name: str, part: str) -> ElementTree.Element:
    """A small XML part, parsed; document type declarations (entity tricks) are refused."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError("load.damaged", path=name, reason=f"{part}: DOCTYPE")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise InputError("load.damaged", path=name, reason=f"{part}: {_reason(exc)}") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element: ElementTree.Element, local: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == local:
            return value
    return None


# ----------------------------------------------------------------------------------------------
# xlsx / xlsm


def _relationships(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], rels_part: str, base: str,
                   name: str, budget: _Budget) -> list[tuple[str, str, str, bool]]:
    """(id, type, resolved target, external) of a relationships part."""
    info = infos.get(rels_part)
    if info is None:
        return []
    root = _xml(_read_small(archive, info, name, budget), name, rels_part)
    out = []
    for rel in root.iter():
        if _local(rel.tag) != "Relationship":
            continue
        target = rel.get("Target") or ""
        external = (rel.get("TargetMode") or "").lower() == "external"
        if not external:
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out.append((rel.get("Id") or "", rel.get("Type") or "", target, external))
    return out


def scan_xlsx(name: str, data: bytes, limits: Limits) -> WorkbookScan:
    """Measure an xlsx/xlsm: raise InputError when over a cap; return what was found."""
    archive = open_zip(name, data, limits)
    budget = _Budget(name, limits)
    infos = {info.filename: info for info in archive.infolist()}
    scan = WorkbookScan()
    scan.macros = any(part.lower().endswith("vbaproject.bin") for part in infos)

    workbook_part = "xl/workbook.xml"
    for _, rtype, target, external in _relationships(archive, infos, "_rels/.rels", "", name, budget):
        if rtype.endswith("/officeDocument") and not external and target in infos:
            workbook_part = target
    base = posixpath.dirname(workbook_part)
    rels_part = posixpath.join(base, "_rels", posixpath.basename(workbook_part) + ".rels")
    relationships = _relationships(archive, infos, rels_part, base, name, budget)
    targets = {rid: (rtype, target) for rid, rtype, target, external in relationships if not external}

    sheet_parts: list[tuple[str, str]] = []
    states: dict[str, str] = {}  # sheet part -> its state in workbook.xml
    binary = workbook_part.lower().endswith(".bin") or ("xl/workbook.bin" in infos and workbook_part not in infos)
    if binary:
        workbook_part = workbook_part if workbook_part.lower().endswith(".bin") else "xl/workbook.bin"
        base = posixpath.dirname(workbook_part)
        rels_part = posixpath.join(base, "_rels", posixpath.basename(workbook_part) + ".rels")
        relationships = _relationships(archive, infos, rels_part, base, name, budget)
        targets = {rid: (rtype, target) for rid, rtype, target, external in relationships if not external}
        workbook = _read_small(archive, infos[workbook_part], name, budget) if workbook_part in infos else b""
        for rid, sheet_name in _biff12_sheets(workbook):
            if rid in targets and targets[rid][1] in infos:
                sheet_parts.append((sheet_name or targets[rid][1], targets[rid][1]))
    elif workbook_part in infos:
        root = _xml(_read_small(archive, infos[workbook_part], name, budget), name, workbook_part)
        for element in root.iter():
            if _local(element.tag) != "sheet":
                continue
            rid = _attr(element, "id")
            if rid in targets and targets[rid][1] in infos:
                sheet_parts.append((element.get("name") or targets[rid][1], targets[rid][1]))
                states[targets[rid][1]] = (element.get("state") or "visible").lower()
    seen = {part for _, part in sheet_parts}
    for part in sorted(infos):
        if re.match(r"(?i)^xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.(xml|bin)$", part) and part not in seen:
            sheet_parts.append((part, part))
            seen.add(part)

    # external links: never fetched; say where they point
    for rid, rtype, target, external in relationships:
        if rtype.endswith("/externalLink") and target in infos:
            link_rels = posixpath.join(posixpath.dirname(target), "_rels", posixpath.basename(target) + ".rels")
            for _, ltype, ltarget, _ in _relationships(archive, infos, link_rels, posixpath.dirname(target),
                                                         name, budget):
                if ltype.endswith("/externalLinkPath") or "externalLinkPath" in ltype:
                    scan.external_links.append(ltarget)
            if not any(True for _ in scan.external_links):
                scan.external_links.append(posixpath.basename(target))
    scan.external_links = list(dict.fromkeys(scan.external_links))

    styles_part = next((target for _, rtype, target, external in relationships
                        if rtype.endswith("/styles") and not external and target in infos),
                       "xl/styles.xml" if "xl/styles.xml" in infos else None)
    wanted = percent.markers(percent.percent_styles(_read_small(archive, infos[styles_part], name, budget))) \
        if styles_part and not binary else []
    for sheet_name, part in sheet_parts:
        if part.lower().endswith(".bin"):
            scan.sheets.append(_scan_biff12_sheet(archive, infos[part], sheet_name, part, name, limits, budget))
        else:
            scan.sheets.append(_scan_sheet(archive, infos[part], sheet_name, part, name, limits, budget, wanted))
            scan.sheets[-1].state = states.get(part, "visible")
    # every other part a reader may open is unpacked once too: its real size counts
    for part, info in infos.items():
        if part not in seen and part.lower().endswith((".xml", ".rels", ".bin")):
            for _ in _stream(archive, info, name, budget):
                pass
    return scan


def too_big(name: str, sheet: str, rows: int, columns: int, limits: Limits) -> InputError | None:
    if rows > limits.max_rows:
        return InputError("load.too_many_rows", path=name, sheet=sheet, rows=rows, limit=limits.max_rows,
                          env=Limits.env_name("max_rows"))
    if columns > limits.max_columns:
        return InputError("load.too_many_columns", path=name, sheet=sheet, columns=columns,
                          limit=limits.max_columns, env=Limits.env_name("max_columns"))
    if rows * columns > limits.max_cells:
        return InputError("load.too_many_cells", path=name, sheet=sheet, rows=rows, columns=columns,
                          cells=rows * columns, limit=limits.max_cells, env=Limits.env_name("max_cells"))
    return None


_BOUNDARIES = (b"</row>", b":row>", b"</c>", b":c>", b">")


def _boundary(data: bytes, last: bool) -> int:
    """Just after the first (or last) tag boundary in `data` (a `</row>` when there is one);
    -1 when there is none."""
    for marker in _BOUNDARIES:
        at = data.rfind(marker) if last else data.find(marker)
        if at >= 0:
            return at + len(marker)
    return -1


def _pieces(stream, first: bytes):
    """The stream as pieces that start and end at tag boundaries, so no pattern is cut in two.

    Each chunk gives a small seam (the previous chunk's tail and this one's head, copied) and
    its middle, passed on without a copy as a memoryview.
    """
    carry = b""
    chunk = first
    while chunk:
        head = _boundary(chunk, last=False)
        tail = _boundary(chunk, last=True)
        if head < 0:
            carry += chunk
            if len(carry) > 64 * 1024 * 1024:  # no tag at all in 64 MB: nothing to keep apart
                yield carry
                carry = b""
        else:
            yield carry + chunk[:head]
            if tail > head:
                yield memoryview(chunk)[head:tail]
            carry = chunk[tail:]
        chunk = next(stream, b"")
    if carry:
        yield carry


def binary_view(piece) -> pa.Array:
    """A one-value binary array over `piece` (bytes or a memoryview), without copying it."""
    import numpy as np

    offsets = pa.py_buffer(np.array([0, len(piece)], dtype=np.int64))
    return pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(piece)])


def _check_piece(piece, patterns: SheetPatterns, safety: bool) -> tuple[bool, bool, bool]:
    """(the bound cannot be trusted, some formula lacks its value, some cell holds an Excel
    error) — RE2, without the GIL."""
    array = binary_view(piece)

    def found(pattern: str) -> bool:
        return bool(pc.match_substring_regex(array, pattern)[0].as_py())

    # one pass for everything: a clean piece (the usual case) is read once, not once per pattern
    if not found("|".join(f"(?:{pattern})" for pattern in (*(patterns.refs if safety else ()),
                                                            patterns.tags, patterns.error))):
        return False, False, False
    unsafe = safety and any(found(pattern) for pattern in patterns.refs)
    formula = False
    if found(patterns.tags):
        unsafe = unsafe or (safety and found(patterns.rless))
        formula = found(patterns.formula)
    return unsafe, formula, found(patterns.error)


class _Walk:
    """The exact extent of the cells holding values, tag by tag (rows and cells may lack `r`)."""

    def __init__(self) -> None:
        self.row = 0
        self.column = 0
        self.rows = 0
        self.columns = 0
        #: a cell of column A holds a value
        self.column_a = False

    def feed(self, buffer) -> None:
        buffer = bytes(buffer)
        row, column, rows, columns = self.row, self.column, self.rows, self.columns
        for match in _TAG.finditer(buffer):
            kind, attrs, closed = match.group(1), match.group(2), match.group(3)
            ref = _R_ATTR.search(attrs) if attrs else None
            if kind == b"row":
                number = ref.group(1) if ref else b""
                row = int(number) if number.isdigit() else row + 1
                column = 0
                continue
            place = parse_ref(ref.group(1).decode("ascii", "replace")) if ref else None
            if place:
                column, row = place
            else:
                column += 1
                row = row or 1
            if closed or buffer.startswith(b"</", match.end()):
                continue  # <c .../> or <c ...></c>: no value
            if row > rows:
                rows = row
            if column > columns:
                columns = column
            if column == 1 and not self.column_a:
                self.column_a = _holds_value(buffer, match.end())
        self.row, self.column, self.rows, self.columns = row, column, rows, columns


# what makes the reader keep a cell in its grid: a value with some text, or an inline string
# (an empty `<v></v>` or a formula without a value is dropped — tests/test_xlsx_eager.py)
_KEPT_VALUE = re.compile(rb"<" + _PREFIX.encode() + rb"(?:v>[^<]|is[\t\n\r />])")


def _holds_value(buffer: bytes, start: int) -> bool:
    """Whether the cell whose start tag ends at `start` holds what the reader keeps."""
    end = buffer.find(b"c>", start)
    return bool(_KEPT_VALUE.search(buffer, start, end if end >= 0 else len(buffer)))


def _first_rows(buffer: bytes) -> _Walk:
    walk = _Walk()
    walk.feed(buffer[: 64 * 1024])  # the header rows; a wider sheet only makes the exact walk run
    return walk


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, part: str, name: str,
                limits: Limits, budget: _Budget, percent_markers: list[bytes] = ()) -> SheetScan:
    scan = SheetScan(name=shown(sheet), part=part)
    stream = _stream(archive, info, name, budget)
    first = next(stream, b"")
    head = first[: 256 * 1024]
    root = _ROOT.search(head)
    prefix = root.group(1).decode("ascii", "replace") if root and root.group(1) else ""
    declared = None
    match = _DIMENSION.search(head)
    if match:
        declared = parse_ref(match.group(1).decode("ascii", "replace").split(":")[-1])
    # A bound that fits the caps: what the first rows use, or the declared extent when it fits,
    # and at least as many columns as leave Excel's 1,048,576 rows within the cell cap.
    base_columns = max(1, min(limits.max_columns, limits.max_cells // EXCEL_ROWS))
    head_walk = _first_rows(first)
    scan.starts_at_a = head_walk.column_a
    columns = max(base_columns, head_walk.columns)
    if declared and declared[0] <= limits.max_columns and declared[0] * declared[1] <= limits.max_cells:
        columns = max(columns, declared[0])
    columns = min(columns, limits.max_columns)
    rows = min(limits.max_rows, limits.max_cells // columns)
    exact = _check_all(_pieces(stream, first), sheet_patterns(prefix, columns, rows), scan, list(percent_markers))
    if not exact:
        return scan
    # Something lies outside the bound, or is written unusually: walk the sheet again, exactly.
    walk = _Walk()
    again = _stream(archive, info, name, _Budget(name, limits))
    for piece in _pieces(again, next(again, b"")):
        walk.feed(piece)
        problem = too_big(name, sheet, walk.rows, walk.columns, limits)
        if problem:
            raise problem
    scan.exact = True
    scan.rows, scan.columns = walk.rows, walk.columns
    return scan


def _check_all(pieces, patterns: SheetPatterns, scan: SheetScan, percent_markers: list[bytes] = ()) -> bool:
    """Check every piece (in a few threads while the next ones are unpacked); collect formulas.
    True when a safety pattern matched somewhere."""
    from concurrent.futures import ThreadPoolExecutor

    unsafe = False
    pending: list[tuple[bytes, object]] = []

    def settle(entry) -> None:
        nonlocal unsafe
        piece, future = entry
        bad, formulas, errors = future.result()
        unsafe = unsafe or bad
        if formulas:
            _collect_formulas(piece, scan)
        if errors:
            _collect_errors(piece, scan)
        if percent_markers:
            percent.collect(piece, percent_markers, scan.percent_cells)

    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for piece in pieces:
            pending.append((piece, pool.submit(_check_piece, piece, patterns, not unsafe)))
            while len(pending) > _WORKERS:
                settle(pending.pop(0))
        while pending:
            settle(pending.pop(0))
    return unsafe


def _collect_errors(buffer, scan: SheetScan) -> None:
    """Cells holding an Excel error: the reader gives them as blank, so their text is kept here
    (and put back as text, as a CSV export of the same sheet would hold it)."""
    buffer = bytes(buffer)
    for match in _ERROR_CELL.finditer(buffer):
        ref = _R_ATTR.search(match.group(1))
        place = parse_ref(ref.group(1).decode("ascii", "replace")) if ref else None
        if place is None:
            continue
        text = match.group(2).decode("utf-8", "replace").strip()
        scan.errors.append((place[1], place[0], _ERROR_TEXTS.setdefault(text, text)))


def _collect_formulas(buffer, scan: SheetScan) -> None:
    buffer = bytes(buffer)
    for match in _FORMULA_NO_VALUE_RE.finditer(buffer):
        scan.formula_count += 1
        if len(scan.formula_cells) >= MAX_CELLS_LISTED and len(scan.formula_rows) >= 50:
            continue
        window = buffer[max(0, match.start() - 4096) : match.start()]
        refs = list(_LAST_REF.finditer(window))
        if not refs:
            continue
        letters, row = refs[-1].group(1).decode().upper(), int(refs[-1].group(2))
        if len(scan.formula_cells) < MAX_CELLS_LISTED:
            scan.formula_cells.append(f"{letters}{row}")
        if row not in scan.formula_rows and len(scan.formula_rows) < 50:
            scan.formula_rows.append(row)


# ----------------------------------------------------------------------------------------------
# xlsb: BIFF12 records (MS-XLSB), walked one by one — the format is rare, the walk is exact

#: BrtRowHdr, and the cell records that hold a value (BrtCellBlank, 1, holds none)
_BRT_ROW = 0
_BRT_VALUE_CELLS = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 62})
_BRT_ERRORS = frozenset({3, 11})  # BrtCellError, BrtFmlaError: the value is an error code
_BRT_BUNDLE_SHEET = 156
_ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
                0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def _biff12_records(buffer: bytes, start: int = 0):
    """(type, data start, data end) of each complete record from `start`; stops before a cut one."""
    n = len(buffer)
    pos = start
    while pos < n:
        b0 = buffer[pos]
        p = pos + 1
        kind = b0 & 0x7F
        if b0 & 0x80:
            if p >= n:
                return
            kind |= (buffer[p] & 0x7F) << 7
            p += 1
        size = shift = 0
        for _ in range(4):
            if p >= n:
                return
            byte = buffer[p]
            p += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if p + size > n:
            return
        yield kind, p, p + size
        pos = p + size


def _wide_string(buffer: bytes, at: int) -> tuple[str | None, int]:
    (length,) = struct.unpack_from("<I", buffer, at)
    if length == 0xFFFFFFFF:
        return None, at + 4
    end = at + 4 + 2 * length
    return buffer[at + 4 : end].decode("utf-16-le", "replace"), end


def _biff12_sheets(workbook: bytes) -> list[tuple[str, str]]:
    """(relationship id, sheet name) of each BrtBundleSh in workbook.bin."""
    out = []
    for kind, start, end in _biff12_records(workbook):
        if kind != _BRT_BUNDLE_SHEET or end - start < 12:
            continue
        try:
            rid, at = _wide_string(workbook, start + 8)
            sheet_name, _ = _wide_string(workbook, at)
        except (struct.error, IndexError):
            continue
        if rid:
            out.append((rid, sheet_name or ""))
    return out


def _scan_biff12_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, part: str, name: str,
                       limits: Limits, budget: _Budget) -> SheetScan:
    scan = SheetScan(name=shown(sheet), part=part, exact=True)
    buffer = b""
    row = rows = columns = 0
    for chunk in _stream(archive, info, name, budget):
        buffer += chunk
        consumed = 0
        for kind, start, end in _biff12_records(buffer):
            consumed = end
            if kind == _BRT_ROW and end - start >= 4:
                row = int.from_bytes(buffer[start : start + 4], "little") + 1
            elif kind in _BRT_VALUE_CELLS and end - start >= 4:
                column = int.from_bytes(buffer[start : start + 4], "little") + 1
                rows = max(rows, row)
                columns = max(columns, column)
                if kind in _BRT_ERRORS and end - start >= 9:
                    text = _ERROR_CODES.get(buffer[start + 8], "#ERROR")
                    scan.errors.append((row, column, text))
        buffer = buffer[consumed:]
        problem = too_big(name, scan.name, rows, columns, limits)
        if problem:
            raise problem
    scan.rows, scan.columns = rows, columns
    return scan


# ----------------------------------------------------------------------------------------------
# ods


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class _OdsWalk:
    """Extent of the cells holding values in an ODS content.xml, repeats included."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.sheets: list[SheetScan] = []
        self.sheet: SheetScan | None = None
        self.row = 0
        self.row_repeat = 1
        self.row_has_value = False
        self.column = 0
        self.row_columns = 0
        self.cell_repeat = 0
        self.cell_has_value = False
        self.in_cell = 0

    @staticmethod
    def _repeat(attrs: dict, key: str) -> int:
        text = attrs.get(key, "1")
        return int(text) if text.isdigit() else 1

    def start(self, tag: str, attrs: dict) -> None:
        if self.in_cell:
            self.in_cell += 1
            self.cell_has_value = True
            return
        if tag == f"{_TABLE_NS} table":
            name = attrs.get(f"{_TABLE_NS} name", f"Sheet{len(self.sheets) + 1}")
            self.sheet = SheetScan(name=shown(name), part="content.xml")
            self.sheets.append(self.sheet)
            self.row = 0
        elif tag == f"{_TABLE_NS} table-row" and self.sheet is not None:
            self.row_repeat = self._repeat(attrs, f"{_TABLE_NS} number-rows-repeated")
            self.row_has_value = False
            self.column = 0
            self.row_columns = 0
        elif tag in (f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell") and self.sheet is not None:
            self.cell_repeat = self._repeat(attrs, f"{_TABLE_NS} number-columns-repeated")
            self.cell_has_value = f"{_OFFICE_NS} value-type" in attrs
            self.in_cell = 1

    def end(self, tag: str) -> None:
        if self.in_cell > 1:
            self.in_cell -= 1
            return
        if self.in_cell == 1:
            self.in_cell = 0
            self.column += self.cell_repeat
            if self.cell_has_value:
                self.row_has_value = True
                self.row_columns = self.column
            return
        if tag == f"{_TABLE_NS} table-row" and self.sheet is not None:
            self.row += self.row_repeat
            if self.row_has_value:
                self.sheet.rows = max(self.sheet.rows, self.row)
                self.sheet.columns = max(self.sheet.columns, self.row_columns)
                problem = too_big(self.name, self.sheet.name, self.sheet.rows, self.sheet.columns, self.limits)
                if problem:
                    raise problem


def scan_ods(name: str, data: bytes, limits: Limits) -> WorkbookScan:
    import xml.parsers.expat

    archive = open_zip(name, data, limits)
    budget = _Budget(name, limits)
    infos = {info.filename: info for info in archive.infolist()}
    scan = WorkbookScan()
    scan.macros = any(part.startswith(("Basic/", "Scripts/")) for part in infos)
    walk = _OdsWalk(name, limits)
    if "content.xml" in infos:
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

        def refuse(*_args) -> None:
            raise InputError("load.damaged", path=name, reason="content.xml: DOCTYPE")

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.StartElementHandler = walk.start
        parser.EndElementHandler = walk.end
        try:
            for chunk in _stream(archive, infos["content.xml"], name, budget):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError as exc:
            raise InputError("load.damaged", path=name, reason=f"content.xml: {_reason(exc)}") from None
    scan.sheets = walk.sheets
    for part, info in infos.items():
        if part != "content.xml":
            for _ in _stream(archive, info, name, budget):
                pass
    return scan


# ----------------------------------------------------------------------------------------------
# xls (OLE)


def ole_has_macros(data: bytes) -> bool:
    """An xls holding a VBA project (its `_VBA_PROJECT_CUR` storage)."""
    return "_VBA_PROJECT".encode("utf-16-le") in data
