"""A zip archive read defensively: every member name, type and size is checked against limits
before anything is decompressed, and again while reading (the sizes in a zip's directory can lie)."""

from __future__ import annotations

import stat
import zipfile
from typing import BinaryIO

from postmortem.chat import limits
from postmortem.chat.messages import ChatImportError


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\")) or "\x00" in name or ".." in parts or (len(name) > 1 and name[1] == ":")
    )  # a Windows drive, C:...


def _check(info: zipfile.ZipInfo) -> None:
    if _unsafe_name(info.filename):
        raise ChatImportError(f"The zip holds an unsafe path ({info.filename[:80]!r}); nothing was imported.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ChatImportError(
            f"The zip holds a symbolic link ({info.filename[:80]!r}); nothing was imported."
        )
    if info.flag_bits & 0x1:
        raise ChatImportError("The zip is encrypted; export it again without a password.")
    if info.file_size > limits.MAX_MEMBER_BYTES:
        raise ChatImportError(
            f"{info.filename[:80]} in the zip is larger than "
            f"{limits.MAX_MEMBER_BYTES // 2**20} MB unpacked; nothing was imported."
        )
    if info.file_size > limits.RATIO_FLOOR_BYTES and info.file_size > limits.MAX_RATIO * max(
        info.compress_size, 1
    ):
        raise ChatImportError(
            f"{info.filename[:80]} in the zip unpacks to more than {limits.MAX_RATIO} times "
            "its size (a zip bomb?); nothing was imported."
        )


class SafeZip:
    """The members of a zip, checked; `read(name)` returns at most the declared size."""

    def __init__(self, file: BinaryIO):
        try:
            self._zip = zipfile.ZipFile(file)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise ChatImportError(f"This is not a readable zip file ({exc}).") from exc
        if len(infos) > limits.MAX_MEMBERS:
            raise ChatImportError(
                f"The zip holds {len(infos):,} files, more than the {limits.MAX_MEMBERS:,} Debrief reads."
            )
        total = 0
        for info in infos:
            _check(info)
            total += info.file_size
        if total > limits.MAX_UNCOMPRESSED_BYTES:
            raise ChatImportError(
                f"The zip unpacks to {total // 2**20:,} MB, more than the "
                f"{limits.MAX_UNCOMPRESSED_BYTES // 2**20} MB Debrief reads."
            )
        self._infos = {i.filename: i for i in infos if not i.is_dir()}
        self._read_total = 0

    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, name: str) -> bytes:
        info = self._infos[name]
        try:
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ChatImportError(f"{name[:80]} in the zip cannot be read ({exc}).") from exc
        self._read_total += len(data)
        if len(data) > info.file_size or self._read_total > limits.MAX_UNCOMPRESSED_BYTES:
            raise ChatImportError(
                f"{name[:80]} in the zip unpacks to more than it declares; nothing was imported."
            )
        return data

    def close(self) -> None:
        self._zip.close()
