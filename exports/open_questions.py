"""The opt-in "Open questions" appendix: the open comment threads, for the owning team's document only.
Threads are a working conversation; no other audience ever sees them. Who asked is left out: the
appendix is about the questions, and people's names stay in the contacts table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from exports.escape import md_block, md_inline


@dataclass(frozen=True)
class OpenQuestion:
    where: str  # the step and what the thread is about
    question: str
    replies: tuple[str, ...] = ()


def from_threads(threads: Iterable) -> list[OpenQuestion]:
    """Open threads (storage.comments.Thread) as questions: the first comment asks, the rest reply."""
    return [
        OpenQuestion(
            f"{t.step.replace('-', ' ').capitalize()} · {t.target_label}",
            t.comments[0].body,
            tuple(c.body for c in t.comments[1:]),
        )
        for t in threads
        if t.is_open and t.comments
    ]


def _indented(text: str, prefix: str) -> str:
    return prefix + md_block(text).replace("\n", "\n" + " " * len(prefix))


def appendix(questions: Sequence[OpenQuestion]) -> str:
    """The appendix as Markdown (empty without questions); every question and reply is user text, escaped."""
    if not questions:
        return ""
    lines = [
        "## Appendix: Open questions",
        "",
        f"{len(questions)} question{'' if len(questions) == 1 else 's'} still open when this was exported.",
        "",
    ]
    for q in questions:
        lines.append(f"- **{md_inline(q.where)}**: {md_block(q.question).replace(chr(10), chr(10) + '  ')}")
        lines += [_indented(reply, "  - Reply: ") for reply in q.replies]
    return "\n".join(lines) + "\n"


def with_appendix(markdown: str, audience: str, questions: Sequence[OpenQuestion]) -> str:
    """The owning team's Markdown with the appendix at the end; every other audience's unchanged."""
    if audience != "team" or not questions:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + appendix(questions)
