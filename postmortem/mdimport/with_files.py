"""One Markdown post-mortem of a folder or zip imported with the pictures it shows from files beside
it: the draft, the files to store, and what the author should know. Pure: the caller stores."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from postmortem.evidence import Accepted, accept
from postmortem.mdimport import report
from postmortem.mdimport.importer import ImportResult, import_markdown
from postmortem.mdimport.local_pictures import LocalPictures, attach_local_pictures


@dataclass(frozen=True)
class WithFiles:
    path: str  # of the Markdown file in the folder or zip
    result: ImportResult | None  # None when the file could not be read as text
    files: list[Accepted]
    pictures: list[str]  # one line per picture: attached, missing or refused
    error: str = ""


def with_local_pictures(
    result: ImportResult,
    text: str,
    path: str,
    files: Mapping[str, bytes],
    check: Callable[[bytes, str], Accepted] = accept,
) -> tuple[ImportResult, LocalPictures]:
    """The import with the pictures it shows from `files` attached; the ones left out are among its warnings."""
    local = attach_local_pictures(result.doc, text, path, files, check)
    warnings = tuple(dict.fromkeys((*result.warnings, *local.left_out)))
    return replace(result, doc=local.doc, warnings=warnings), local


def import_with_files(
    path: str,
    data: bytes,
    files: Mapping[str, bytes],
    tz: str = "UTC",
    targets: Mapping[int, str] | None = None,
) -> WithFiles:
    """Import the Markdown file at `path` and attach the pictures it shows from `files` (by path)."""
    try:
        text = report.decode(data, path)
    except ValueError as error:
        return WithFiles(path, None, [], [], str(error))
    result = import_markdown(text, tz=tz, targets=targets or {}, name=path)
    result, local = with_local_pictures(result, text, path, files)
    return WithFiles(path, result, local.files, local.report)
