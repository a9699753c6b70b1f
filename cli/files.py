"""Reading the files a command imports (bounded in size) and writing what it exports."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from pydantic import ValidationError

import storage
from cli.errors import UserError
from cli.text import problems_line
from postmortem.models import PostMortem

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _too_large(name: str, limit: int) -> UserError:
    return UserError(f"{name} is larger than {limit // 2**20} MB, the most Debrief imports.")


def read_limited(name: str, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of a file (or stdin for '-'), refusing anything larger than `limit`."""
    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "standard input"
    else:
        try:
            if os.stat(name).st_size > limit:  # refuse before reading a huge file into memory
                raise _too_large(name, limit)
            with open(name, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise UserError(f"cannot read {name}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise _too_large(name, limit)
    return data


def parse_document(data: bytes, name: str) -> PostMortem:
    """A validated post-mortem from JSON bytes, or a UserError saying in one line what is wrong."""
    try:
        return storage.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{name} is not UTF-8 text (byte {exc.start} cannot be read).") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise UserError(f"{name} is not valid JSON: {exc.msg} at {where}.") from exc
    except RecursionError as exc:
        raise UserError(f"{name} is nested too deeply to be a post-mortem.") from exc
    except ValidationError as exc:
        raise UserError(f"{name} is not a Debrief post-mortem: {problems_line(exc)}") from exc
    except ValueError as exc:  # e.g. an integer of thousands of digits (Python refuses to convert it)
        raise UserError(f"{name} cannot be read as a post-mortem: {exc}") from exc


def write_output(data: bytes, output: str | None) -> None:
    """The bytes to a file (saying how many), or to standard output for None or '-'."""
    if output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(f"Wrote {len(data):,} bytes to {output}.")
