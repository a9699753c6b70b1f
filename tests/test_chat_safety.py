"""Untrusted uploads: unsafe zips, zip bombs, huge or binary files are refused with one clear
sentence, quickly, before anything is stored."""

from __future__ import annotations

import io
import os
import stat
import time
import zipfile

import pytest
from chat_samples import slack_export_bytes

from postmortem import chat
from postmortem.chat import limits


def zip_with(
    entries: list[tuple[zipfile.ZipInfo | str, bytes]], compression=zipfile.ZIP_DEFLATED
) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    buffer.seek(0)
    return buffer


DAY = ("general/2026-03-04.json", b'[{"ts": "1772618160.0", "user": "U1", "text": "x"}]')


@pytest.mark.parametrize(
    "name",
    [
        "../evil.json",
        "general/../../evil.json",
        "/etc/passwd",
        "\\windows\\x.json",
        "C:/x/2026-03-04.json",
        "..\\..\\evil.json",
    ],
)
def test_path_traversal_is_refused(name):
    with pytest.raises(chat.ChatImportError, match="unsafe path"):
        chat.parse_file(zip_with([DAY, (name, b"[]")]), "e.zip")


def test_a_symlink_member_is_refused():
    link = zipfile.ZipInfo("general/2026-03-05.json")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(chat.ChatImportError, match="symbolic link"):
        chat.parse_file(zip_with([DAY, (link, b"/etc/passwd")]), "e.zip")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_with([DAY, ("general/2026-03-05.json", b"[" + b" " * (40 * 2**20) + b"]")])
    assert len(bomb.getvalue()) < 100_000  # 40 MB of spaces compress ~1000x
    started = time.perf_counter()
    with pytest.raises(chat.ChatImportError, match="zip bomb"):
        chat.parse_file(bomb, "e.zip")
    assert time.perf_counter() - started < 5  # generous: it must not have inflated 40 MB


def test_too_many_members_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MEMBERS", 3)
    entries = [DAY] + [(f"general/2026-03-0{n}.json", b"[]") for n in range(5, 8)]
    with pytest.raises(chat.ChatImportError, match="more than the 3"):
        chat.parse_file(zip_with(entries), "e.zip")


def test_total_unpacked_size_is_bounded(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(chat.ChatImportError, match="unpacks to 0 MB, more than"):
        chat.parse_file(zip_with([DAY, ("general/2026-03-05.json", b"[" + b" " * 2000 + b"]")]), "e.zip")


def test_a_member_that_unpacks_to_more_than_it_declares_is_refused():
    honest = zip_with(
        [DAY, ("general/2026-03-05.json", b"[" + b" " * 5000 + b"]")], compression=zipfile.ZIP_STORED
    ).getvalue()
    # Lower the declared size in the central directory (and local header): the data stays longer.
    lying = honest.replace((5002).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    with pytest.raises(chat.ChatImportError, match="general/2026-03-05.json"):
        chat.parse_file(io.BytesIO(lying), "e.zip")


def test_an_encrypted_member_is_refused():
    data = bytearray(zip_with([DAY], compression=zipfile.ZIP_STORED).getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" bit of the general-purpose flags
    with pytest.raises(chat.ChatImportError, match="encrypted"):
        chat.parse_file(io.BytesIO(bytes(data)), "e.zip")


def test_a_truncated_zip_is_not_readable():
    data = slack_export_bytes()
    with pytest.raises(chat.ChatImportError, match="not a readable zip"):
        chat.parse_file(io.BytesIO(data[: len(data) // 2]), "e.zip")


def test_a_file_over_the_input_limit_is_refused_before_reading():
    class Huge(io.RawIOBase):
        """100 MB of random bytes, without holding them: only the size is ever asked."""

        def __init__(self):
            self.pos, self.size = 0, 100 * 2**20

        def seek(self, offset, whence=0):
            self.pos = {0: offset, 1: self.pos + offset, 2: self.size + offset}[whence]
            return self.pos

        def tell(self):
            return self.pos

        def read(self, n=-1):
            raise AssertionError("a file over the limit is read")

    with pytest.raises(chat.ChatImportError, match="100 MB; Debrief reads chat files up to 50 MB"):
        chat.parse_file(Huge(), "x.zip")


def test_100_mb_of_random_garbage_is_refused_quickly():
    garbage = io.BytesIO(os.urandom(100 * 2**20))
    started = time.perf_counter()
    with pytest.raises(chat.ChatImportError, match="up to 50 MB"):
        chat.parse_file(garbage, "chat.txt")
    assert time.perf_counter() - started < 2


def test_random_binary_under_the_limit_is_neither_zip_nor_text():
    started = time.perf_counter()
    with pytest.raises(chat.ChatImportError, match="neither a zip nor"):
        chat.parse_file(io.BytesIO(os.urandom(5 * 2**20)), "chat.log")
    assert time.perf_counter() - started < 2


def test_pasted_text_over_the_limit_is_refused():
    with pytest.raises(chat.ChatImportError, match="up to 50 MB"):
        chat.parse_text("x" * (limits.MAX_INPUT_BYTES + 1))


def test_a_zip_given_as_a_text_format_is_refused():
    with pytest.raises(chat.ChatImportError, match="only Slack exports come as zips"):
        chat.parse_file(io.BytesIO(slack_export_bytes()), "e.zip", "irc")
