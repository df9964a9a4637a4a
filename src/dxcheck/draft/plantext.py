"""A plan's text from the file a rule author has: .txt/.md (UTF-8), .docx, or a PDF's text layer.

Word's automatic numbering ("II.", "2.1.") is not part of a paragraph's text; a plan whose
headings are numbered that way loses its section numbers (the docs say so).

A PDF's text layer often comes out with Vietnamese words cut at every composed letter
("T ỷ l ệ h ồ s ơ"): quotes drafted from it would not be the plan's words, and lint would check
them against the same broken text. Such a text is refused, never drafted from.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import InputError, UsageError

TEXT_SUFFIXES = (".txt", ".md", ".text")
#: share of one-letter words above which an extracted text is taken as split letter by letter
#: (about 0.1% in a plan's own text; about 59% in Chromium's PDF of it read back by pypdf)
SPLIT_LETTERS = 0.2


def read_plan(path: Path) -> str:
    """The plan's text, NFC. Raises InputError / UsageError (exit 2) with what to do."""
    if not path.is_file():
        raise InputError("authoring.draft.not_found", path=str(path))
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = _text(path)
    elif suffix == ".docx":
        text = _docx(path)
    elif suffix == ".pdf":
        text = _pdf(path)
    else:
        raise UsageError("authoring.draft.unsupported", path=str(path))
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError("authoring.draft.no_text", path=str(path))
    return text


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError("authoring.draft.not_utf8", path=str(path), offset=error.start) from None


def _docx(path: Path) -> str:
    try:
        import docx  # python-docx: the `draft` extra
    except ImportError:
        raise UsageError("authoring.draft.no_docx", path=str(path)) from None
    try:
        document = docx.Document(str(path))
    except Exception as error:  # a damaged or mislabelled file: say so, never a traceback
        raise InputError("authoring.draft.unreadable", path=str(path), problem=type(error).__name__) from None
    lines: list[str] = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):  # a table: each cell's paragraphs, row by row
            for row in item.rows:
                for cell in row.cells:
                    lines += [paragraph.text for paragraph in cell.paragraphs]
        else:
            lines.append(item.text)
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    try:
        import pypdf
    except ImportError:
        raise UsageError("authoring.draft.no_pdf", path=str(path)) from None
    try:
        reader = pypdf.PdfReader(str(path))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:
        raise InputError("authoring.draft.unreadable", path=str(path), problem=type(error).__name__) from None
    words = text.split()
    if words and sum(1 for word in words if len(word) == 1 and word.isalpha()) / len(words) > SPLIT_LETTERS:
        raise InputError("authoring.draft.pdf_split", path=str(path))
    return text
