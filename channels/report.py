"""The `notify` command's plain-text and JSON views of a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from channels.run import Outcome


def as_json(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    counts = Counter(o.status for o in outcomes)
    return {"counts": dict(sorted(counts.items())), "outcomes": [asdict(o) for o in outcomes]}


def as_text(outcomes: Sequence[Outcome], plain: Callable[[object], str]) -> str:
    """One line per delivery sent, failed or (dry run) to be sent; skipped ones only counted."""
    shown = [o for o in outcomes if o.status != "skipped"]
    lines = [
        f"{o.status:<10} {o.channel:<7} {plain(o.target)}: {plain(o.subject)}"
        + (f" ({plain(o.detail)})" if o.detail else "")
        for o in shown
    ]
    counts = Counter(o.status for o in outcomes)
    summary = ", ".join(f"{counts[s]} {s}" for s in ("sent", "would send", "failed", "skipped") if counts[s])
    return "\n".join([*lines, summary or "Nothing to send."])
