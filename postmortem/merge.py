"""Three-way merge of one text field: both people's changes, each against the text they both started from.

Edits that touch different parts of the text are both kept. Edits to the same part become a
`Conflict` that the author settles hunk by hunk; nothing is dropped without being shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch

Choice = Literal["mine", "theirs", "both"]


@dataclass(frozen=True)
class Edit:
    """Replace base[start:end] with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Conflict:
    base: str
    mine: str
    theirs: str


Piece = str | Conflict


def edits(base: str, changed: str) -> list[Edit]:
    """The changes that turn `base` into `changed`, as non-overlapping replacements in base order."""
    dmp = diff_match_patch()
    diffs = dmp.diff_main(base, changed)
    dmp.diff_cleanupSemantic(diffs)  # whole words, not scattered letters: hunks a person can read
    found: list[Edit] = []
    pos = 0
    for op, text in diffs:
        if op == diff_match_patch.DIFF_EQUAL:
            pos += len(text)
            continue
        joined = found and found[-1].end == pos
        start = found[-1].start if joined else pos
        end = pos + len(text) if op == diff_match_patch.DIFF_DELETE else pos
        replacement = (found[-1].text if joined else "") + (
            text if op == diff_match_patch.DIFF_INSERT else ""
        )
        if joined:
            found[-1] = Edit(start, max(end, found[-1].end), replacement)
        else:
            found.append(Edit(start, end, replacement))
        if op == diff_match_patch.DIFF_DELETE:
            pos += len(text)
    return found


def _apply(base: str, offset: int, changes: list[Edit]) -> str:
    out, pos = [], offset
    for edit in changes:
        out += [base[pos : edit.start], edit.text]
        pos = edit.end
    return "".join(out)


def _clusters(mine: list[Edit], theirs: list[Edit]) -> list[tuple[int, int, list[Edit], list[Edit]]]:
    """Group edits whose base ranges overlap or start at the same place (two inserts at one point clash)."""
    tagged = sorted(
        [(e, "mine") for e in mine] + [(e, "theirs") for e in theirs],
        key=lambda pair: (pair[0].start, pair[0].end),
    )
    groups: list[tuple[int, int, list[Edit], list[Edit]]] = []
    for edit, side in tagged:
        if groups and (edit.start < groups[-1][1] or edit.start == groups[-1][0]):
            start, end, ours, others = groups[-1]
            groups[-1] = (start, max(end, edit.end), ours, others)
        else:
            groups.append((edit.start, edit.end, [], []))
        (groups[-1][2] if side == "mine" else groups[-1][3]).append(edit)
    return groups


def merge(base: str, mine: str, theirs: str) -> list[Piece]:
    """The merged text as pieces: plain strings where the two changes agree or do not meet, `Conflict`s where
    both changed the same part differently."""
    pieces: list[Piece] = []
    pos = 0
    for start, end, ours, others in _clusters(edits(base, mine), edits(base, theirs)):
        pieces.append(base[pos:start])
        mine_text, their_text = _apply(base[:end], start, ours), _apply(base[:end], start, others)
        if not others or not ours or mine_text == their_text:
            pieces.append(mine_text if ours else their_text)
        else:
            pieces.append(Conflict(base[start:end], mine_text, their_text))
        pos = end
    pieces.append(base[pos:])
    return [p for p in pieces if p != ""]


def conflicts(pieces: list[Piece]) -> list[Conflict]:
    return [p for p in pieces if isinstance(p, Conflict)]


def resolve(pieces: list[Piece], choices: list[Choice]) -> str:
    """The text with each conflict settled by the choice at its position: mine, theirs, or both (mine first)."""
    if len(choices) != len(conflicts(pieces)):
        raise ValueError("Choose a version for every part both of you changed.")
    picks = iter(choices)
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        choice = next(picks)
        out.append(
            {"mine": piece.mine, "theirs": piece.theirs, "both": f"{piece.mine} {piece.theirs}"}[choice]
        )
    return "".join(out)


def merged_text(base: str, mine: str, theirs: str) -> str | None:
    """Both changes in one text, or None when they meet and the author has to choose."""
    pieces = merge(base, mine, theirs)
    return None if conflicts(pieces) else "".join(pieces)


def _row_outcome(key: str, base: dict, mine: dict, theirs: dict) -> tuple[bool, dict | None]:
    """(clean, row or None when deleted) for one row id, from the three versions of the row."""
    old, new_mine, new_theirs = base.get(key), mine.get(key), theirs.get(key)
    if old is None:  # added on one side (ids are random, so never on both)
        return True, new_mine if new_mine is not None else new_theirs
    if new_mine == old:
        return True, new_theirs
    if new_theirs in (old, new_mine):
        return True, new_mine
    return False, None  # both changed it, or one changed what the other deleted


def merge_rows(base: list[dict], mine: list[dict], theirs: list[dict]) -> list[dict] | None:
    """Both people's changes to a table whose rows carry an "id": rows each added are all kept, a row only
    one of them changed takes that change, a row one deleted and the other left alone goes. None when both
    changed (or one changed and the other deleted) the same row: the author has to choose."""
    if not all(isinstance(row, dict) and "id" in row for row in (*base, *mine, *theirs)):
        return None
    by_id = [{row["id"]: row for row in rows} for rows in (base, mine, theirs)]
    merged: dict[str, dict] = {}
    for key in [*by_id[2], *(k for k in by_id[1] if k not in by_id[2])]:
        clean, row = _row_outcome(key, *by_id)
        if not clean:
            return None
        if row is not None:
            merged[key] = row
    order = [row["id"] for row in theirs if row["id"] in merged]
    for n, row in enumerate(mine):  # my new rows go where they stood in my table: after their predecessor,
        if row["id"] in merged and row["id"] not in order:  # else before their successor, else at the end
            before = next((mine[m]["id"] for m in range(n - 1, -1, -1) if mine[m]["id"] in order), None)
            after = next((r["id"] for r in mine[n + 1 :] if r["id"] in order), None)
            at = order.index(before) + 1 if before else order.index(after) if after else len(order)
            order.insert(at, row["id"])
    return [merged[key] for key in order]
