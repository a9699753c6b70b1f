"""Printing: JSON for scripts, one line for what was created."""

from __future__ import annotations

import json
from typing import Any

import storage
from cli.context import Runtime
from cli.text import plain


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def created(stored: storage.Stored) -> dict[str, Any]:
    return {
        "id": stored.id,
        "version": stored.version,
        "incident_id": stored.doc.header.incident_id,
        "title": stored.doc.header.title,
    }


def report_created(rt: Runtime, stored: storage.Stored) -> None:
    if rt.json:
        print_json(created(stored))
    else:
        header = stored.doc.header
        print(f"Created #{stored.id} {plain(header.incident_id)}: {plain(header.title)}")
