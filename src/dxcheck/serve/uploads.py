"""Uploaded files, streamed straight into a private temporary folder under the CLI's size caps.

Starlette's own form parser spools files to the system's temporary folder with no cap on a file's
size; here every part is written as it arrives into a folder made by `mkdtemp` (mode 0700, the
user's alone) and the upload is refused as soon as one file passes `max_file_bytes`, the same cap
`dxcheck evaluate` applies (load/limits.py). The caller deletes the folder after the run.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from python_multipart.multipart import MultipartParser, parse_options_header

from ..load.api import LoadOptions

#: more files than any commune's month holds; a request with more is refused
MAX_FILES = 500
#: bytes of a plain (non-file) form field
MAX_FIELD_BYTES = 10_000


class UploadRefused(Exception):
    """The request is not an acceptable upload; `key`/`params` name the message to show."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Upload:
    folder: Path
    fields: dict[str, str] = field(default_factory=dict)
    #: the names shown to the user (the file's own name), in the order received
    names: list[str] = field(default_factory=list)


def private_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="dxcheck-serve-"))
    folder.chmod(0o700)  # mkdtemp makes it so already; said again because the whole design rests on it
    return folder


def remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def safe_name(raw: str) -> str:
    """The file's own name, without any folder part (a folder upload sends `binh-minh/ho-so.xlsx`),
    reduced to characters every file system accepts."""
    name = PurePosixPath(raw.replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r'[\x00-\x1f<>:"|?*]', "_", name).strip(" .")
    return name or "tep"


def _unique(folder: Path, name: str) -> Path:
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


async def receive_upload(content_type: str, chunks, folder: Path, options: LoadOptions | None = None) -> Upload:
    """Parse a multipart body from the async iterator `chunks`, files into `folder`."""
    limit = (options or LoadOptions()).limits().max_file_bytes
    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused("serve.upload_not_form")
    upload = Upload(folder=folder)
    state: dict = {"headers": [], "field": b"", "value": b""}

    def on_part_begin() -> None:
        state.update(headers=[], disposition=b"", name="", filename=None, handle=None, size=0, data=bytearray())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def on_header_end() -> None:
        if state["field"].lower() == b"content-disposition":
            state["disposition"] = state["value"]
        state["field"], state["value"] = b"", b""

    def on_headers_finished() -> None:
        _, options_ = parse_options_header(state["disposition"])
        state["name"] = options_.get(b"name", b"").decode("utf-8", "replace")
        filename = options_.get(b"filename")
        if filename is None:
            return
        shown = safe_name(filename.decode("utf-8", "replace"))
        if not filename.strip():  # an empty file input sends a part with no name and no bytes
            return
        if len(upload.names) >= MAX_FILES:
            raise UploadRefused("serve.upload_too_many", limit=MAX_FILES)
        path = _unique(folder, shown)
        state.update(filename=shown, handle=path.open("xb"))
        upload.names.append(path.name)

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["handle"] is not None:
            state["size"] += end - start
            if state["size"] > limit:
                raise UploadRefused("serve.upload_too_large", name=state["filename"], limit=limit,
                                    env="DXCHECK_MAX_FILE_BYTES")
            state["handle"].write(data[start:end])
        elif state["filename"] is None:
            state["data"] += data[start:end]
            if len(state["data"]) > MAX_FIELD_BYTES:
                raise UploadRefused("serve.upload_not_form")

    def on_part_end() -> None:
        if state.get("handle") is not None:
            state["handle"].close()
        elif state.get("filename") is None and state.get("name"):
            upload.fields[state["name"]] = state["data"].decode("utf-8", "replace")

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
    })
    try:
        async for chunk in chunks:
            parser.write(chunk)
        parser.finalize()
    except UploadRefused:
        raise
    except Exception as exc:
        raise UploadRefused("serve.upload_not_form") from exc
    finally:
        if state.get("handle") is not None and not state["handle"].closed:
            state["handle"].close()
    return upload
