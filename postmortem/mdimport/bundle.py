"""What came with a Markdown post-mortem: a folder upload (each file named by its path in the folder)
or a zip holding `post.md` beside `images/graph.png`. Sorted into the Markdown documents and the other
files, by their path inside the folder or zip. Pure: bytes in; a zip is read in memory, never unpacked
to a disk, and its entries are bounded in number and size before any is read."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from postmortem.evidence.limits import MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, MIB

MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")
MAX_ZIP_ENTRIES = 1000
_SKIPPED_PARTS = ("__MACOSX",)  # macOS's resource forks beside every file of a zip made in Finder


@dataclass(frozen=True)
class Bundle:
    documents: list[tuple[str, bytes]] = field(default_factory=list)  # (path, bytes) of each post-mortem
    files: dict[str, bytes] = field(default_factory=dict)  # every other file, by its normalised path
    problems: list[str] = field(default_factory=list)  # what was left out, one line each


def normalised(path: str) -> str | None:
    """A path inside the folder or zip in one spelling ("a/./b/../c.png" -> "a/c.png"), or None
    when it points outside (an absolute path, or ".." past the top)."""
    path = path.replace("\\", "/").strip()
    if not path or path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None
    clean = posixpath.normpath(path)
    return None if clean == ".." or clean.startswith("../") or clean == "." else clean


def _hidden(path: str) -> bool:
    parts = path.split("/")
    return any(p in _SKIPPED_PARTS or p.startswith(".") for p in parts)


def _add(bundle: Bundle, path: str, data: bytes) -> None:
    clean = normalised(path)
    if clean is None or _hidden(clean):
        return
    if clean.lower().endswith(MARKDOWN_SUFFIXES):
        bundle.documents.append((clean, data))
    else:
        bundle.files[clean] = data


def _zip_entries(data: bytes, name: str, bundle: Bundle) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        bundle.problems.append(f"{name}: not a readable zip file.")
        return
    # Sizes are the archive's own claims, checked before a byte is inflated (a zip bomb claims little
    # and inflates to much: zipfile stops reading at the claimed size, so the claim is the bound).
    if len(entries) > MAX_ZIP_ENTRIES:
        bundle.problems.append(f"{name}: holds {len(entries)} files; Debrief reads up to {MAX_ZIP_ENTRIES}.")
        return
    if sum(i.file_size for i in entries) > MAX_DOCUMENT_BYTES:
        bundle.problems.append(
            f"{name}: unpacks to more than {MAX_DOCUMENT_BYTES // MIB} MB, the most one post-mortem holds."
        )
        return
    for info in entries:
        if info.file_size > MAX_FILE_BYTES:
            bundle.problems.append(f"{name}: {info.filename} is larger than {MAX_FILE_BYTES // MIB} MB.")
            continue
        try:
            _add(bundle, info.filename, archive.read(info))
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            bundle.problems.append(f"{name}: {info.filename} could not be read (damaged or encrypted).")


def gather(uploads: Iterable[tuple[str, bytes]]) -> Bundle:
    """Uploaded files (a folder's files named by their path in it, or a zip) sorted into documents
    and the files beside them."""
    bundle = Bundle()
    for name, data in uploads:
        if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
            _zip_entries(data, name, bundle)
        else:
            _add(bundle, name, data)
    return bundle
