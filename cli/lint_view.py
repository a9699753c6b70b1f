"""`debrief lint`: the blameless-language findings of a document or a text, as lines or JSON."""

from __future__ import annotations

import json

from cli.text import plain
from postmortem import language

BLOCKING_EXIT = 1


def names_option(text: str | None) -> list[str]:
    """ "A B,C D" → ["A B", "C D"]."""
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def format_findings(findings: list[language.Finding], as_json: bool) -> str:
    if as_json:
        return json.dumps([f.to_json() for f in findings], indent=1, ensure_ascii=False)
    if not findings:
        return "No findings."
    lines = []
    for f in findings:
        kind = f.rule if f.blocking else f"{f.rule}, suggestion"  # a suggestion never fails the command
        lines.append(
            f"{f.path}:{f.start}-{f.end}: {language.CATEGORY_TITLES[f.category]} ({kind}): “{plain(f.text)}”"
        )
        lines.append(f"  why: {f.why}")
        lines.append(f"  try: {f.rewrite}")
    blocking = sum(f.blocking for f in findings)
    lines.append(f"{len(findings)} finding(s), {blocking} blocking.")
    return "\n".join(lines)


def exit_code(findings: list[language.Finding]) -> int:
    return BLOCKING_EXIT if any(f.blocking for f in findings) else 0
