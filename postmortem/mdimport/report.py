"""Reading an uploaded file as text, and the import described for people (CLI) and scripts (JSON)."""

from __future__ import annotations

from typing import Any

from postmortem.mdimport.headings import TARGETS
from postmortem.mdimport.importer import ImportResult
from postmortem.mdimport.window import LABELS

MAX_BYTES = 2 * 1024 * 1024  # a long post-mortem is ~100 KB; this leaves room and bounds the work


def decode(data: bytes, name: str) -> str:
    """The text of an uploaded file, or ValueError with one line saying why it cannot be read."""
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"{name} is larger than {MAX_BYTES // 2**20} MB, the most Debrief imports from Markdown."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{name} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8 and try again."
        ) from exc


def shown(result: ImportResult) -> list:
    """The mapping without an empty 'before the first heading' row."""
    return [m for m in result.mapping if m.index or m.lines]


def mapping_rows(result: ImportResult) -> list[dict[str, Any]]:
    return [
        {
            "index": m.index,
            "line": m.line,
            "level": m.level,
            "heading": m.heading,
            "lines": m.lines,
            "target": m.target,
            "section": TARGETS[m.target],
            "confidence": m.confidence,
            "reason": m.reason,
        }
        for m in shown(result)
    ]


def time_rows(result: ImportResult) -> list[dict[str, str]]:
    """The header times read from sentences that made it into the header, with their sentences."""
    return [
        {"field": t.field, "label": LABELS[t.field], "at": t.at.isoformat(), "sentence": t.sentence}
        for t in result.times_found
    ]


def as_json(result: ImportResult) -> dict[str, Any]:
    return {
        "times": time_rows(result),
        "title": result.doc.header.title,
        "mapping": mapping_rows(result),
        "counts": result.counts(),
        "warnings": list(result.warnings),
        "findings": [f.to_json() for f in result.findings],
        "source_incident_id": result.source_incident_id or None,
    }


def as_text(result: ImportResult, clean: Any = str) -> str:
    """The mapping as a table, then the counts, warnings and language findings. `clean` makes user
    text safe for one terminal line."""
    rows = [
        (
            str(m.line),
            "#" * min(m.level, 6) + " " + clean(m.heading) if m.level else clean(m.heading),
            TARGETS[m.target],
            f"{m.confidence:.0%}",
            m.reason,
        )
        for m in shown(result)
    ]
    widths = [max(len(r[i]) for r in rows + [("Line", "Heading", "Section", "Sure", "")]) for i in range(4)]
    lines = [f"Title: {clean(result.doc.header.title)}", ""]
    for row in [("Line", "Heading", "Section", "Sure", "Why")] + rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[4])
    lines += ["", "Found: " + ", ".join(f"{n} {what}" for what, n in result.counts().items())]
    lines += [
        f'Time: {row["label"]} {row["at"]} (from: "{clean(row["sentence"])}")' for row in time_rows(result)
    ]
    lines += [f"Note: {clean(w)}" for w in result.warnings]
    if result.findings:
        lines.append(
            f"Language: {len(result.findings)} finding(s); 'debrief lint ID' lists them."
        )
    return "\n".join(lines)
