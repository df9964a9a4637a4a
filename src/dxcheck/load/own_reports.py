"""dxcheck's own reports are never data (REFERENCE §3): recognise them by content, before reading.

A user who saves `bao-cao.xlsx` from `dxcheck evaluate -o` into the data folder must not have it
read next month as an export (its sheets look like datasets). Each renderer leaves a mark that no
system's export carries, and this module looks for it in what a reader would look at first:

- xlsx: the custom document property `dxcheck-report` (docProps/custom.xml), or, in reports written
  before it existed, the creator `dxcheck <version>` (docProps/core.xml);
- html: `<meta name="generator" content="dxcheck…">`;
- md: a first line `<!-- generator: dxcheck … -->`;
- json: an object whose first key is `dxcheck_version`;
- junit: `<testsuites name="dxcheck"`.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

from ..render import XLSX_PROPERTY

#: bytes of a text file looked at: every mark sits in the first few hundred
HEAD_BYTES = 65536
#: document-property parts larger than this are no report of ours (and are not unpacked)
MAX_PROPERTIES_BYTES = 1 << 20

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_TEXT_MARKS = (
    ("json", re.compile(rb'\A\s*\{\s*"dxcheck_version"\s*:')),
    ("md", re.compile(rb"\A\s*<!--\s*generator:\s*dxcheck\b")),
    ("junit", re.compile(rb"\A\s*(?:<\?xml[^>]*\?>\s*)?<testsuites\b[^>]*\bname\s*=\s*[\"']dxcheck[\"']")),
    ("html", re.compile(
        rb"<meta\b(?=[^>]*\bname\s*=\s*[\"']?generator\b)[^>]*\bcontent\s*=\s*[\"']dxcheck(?:[\s\"'])", re.I)),
)
_CUSTOM = re.compile(rb"<(?:\w+:)?property\b[^>]*\bname\s*=\s*[\"']" + re.escape(XLSX_PROPERTY.encode()) + rb"[\"']")
_CREATOR = re.compile(rb"<dc:creator[^>]*>\s*dxcheck \d[\w.+\-]*\s*</dc:creator>")


def is_dxcheck_report(path: str | Path, data: bytes | None = None) -> str | None:
    """The format of the dxcheck report the file holds ('xlsx', 'html', 'md', 'json', 'junit'), or
    None when it is no report of ours. `data`: the file's bytes if already read (its first
    HEAD_BYTES suffice for every format but xlsx, whose marks sit in the zip's directory);
    without them the file is opened, and only what is needed is read."""
    if data is None:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
        if head.startswith(_ZIP):
            return "xlsx" if _marked_workbook(path) else None
    else:
        head = data[:HEAD_BYTES]
        if head.startswith(_ZIP):
            return "xlsx" if _marked_workbook(BytesIO(data)) else None
    head = head.removeprefix(b"\xef\xbb\xbf")
    for name, mark in _TEXT_MARKS:
        if mark.search(head):
            return name
    return None


def _marked_workbook(source) -> bool:
    """Whether a zip holds a workbook with dxcheck's report mark; a damaged zip is left to the
    reader, which says what is wrong with it."""
    try:
        with zipfile.ZipFile(source) as archive:
            for part, mark in (("docProps/custom.xml", _CUSTOM), ("docProps/core.xml", _CREATOR)):
                try:
                    info = archive.getinfo(part)
                except KeyError:
                    continue
                with archive.open(info) as stream:
                    content = stream.read(MAX_PROPERTIES_BYTES + 1)
                if len(content) <= MAX_PROPERTIES_BYTES and mark.search(content):
                    return True
    except Exception:  # noqa: BLE001 - bad zip, zlib error, encryption: not ours to report
        return False
    return False
