"""The causal tree as text: an editable outline (both ways), the ├── drawing, and Mermaid."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from postmortem.causal_tree import by_id, children_of, normal, one_line, root, walk
from postmortem.models import CausalNode, CausalTree, NodeKind, Relation

# --- Outline: the tree as indented text, both ways -------------------------------------------

_KIND_MARK = {NodeKind.ROOT_CAUSE: "[root cause]", NodeKind.CONDITION: "[condition]"}
_MARK_KIND = {
    "root cause": NodeKind.ROOT_CAUSE,
    "condition": NodeKind.CONDITION,
    "contributing factor": NodeKind.CONTRIBUTING,
    "contributing": NodeKind.CONTRIBUTING,
    "outcome": NodeKind.OUTCOME,
}
_PREFIX = re.compile(r"^[\s│|├└─—\-*•+>]*(?:\d+[.)]\s+)?")
REWORD_SIMILARITY = 0.6  # how alike a changed line must be to count as the same box reworded
_MARKS = re.compile(r"\s*(\[(?P<kind>[a-z ]+)\]|\((?P<rel>any of|all of|or|and)\))\s*$", re.IGNORECASE)


def to_outline(tree: CausalTree) -> str:
    """Two spaces per level; kind and 'any of' marked at the end of the line."""
    return "\n".join("  " * depth + outline_line(node) for node, depth in walk(tree))


def outline_line(node: CausalNode) -> str:
    """One box as an outline line without its indent: the text, then its kind and relation marks."""
    marks = [_KIND_MARK[node.kind]] if node.kind in _KIND_MARK else []
    if node.relation is Relation.OR:
        marks.append("(any of)")
    return " ".join([" ".join(node.text.split()), *marks])


def _indent_of(line: str) -> int:
    prefix = _PREFIX.match(line).group(0)
    return len(prefix.replace("\t", "    "))


def _strip_marks(text: str) -> tuple[str, NodeKind | None, Relation | None]:
    kind = relation = None
    while match := _MARKS.search(text):
        if match.group("kind") and match.group("kind").lower() in _MARK_KIND:
            kind = _MARK_KIND[match.group("kind").lower()]
        elif match.group("rel"):
            relation = Relation.OR if match.group("rel").lower() in ("any of", "or") else Relation.AND
        else:
            break
        text = text[: match.start()]
    return text.strip(), kind, relation


@dataclass(frozen=True)
class _Line:
    indent: int
    label: str
    kind: NodeKind | None
    relation: Relation | None


def _read_lines(text: str) -> list[_Line]:
    lines = [line for line in text.splitlines() if _PREFIX.sub("", line).strip()]
    result = []
    for n, line in enumerate(lines):
        label, kind, relation = _strip_marks(_PREFIX.sub("", line))
        if n == 0:
            label = re.sub(r"^outcome\s*:\s*", "", label, flags=re.IGNORECASE)
        result.append(_Line(_indent_of(line), label, kind, relation))
    return result


def _match_previous(lines: list[_Line], previous: CausalTree | None) -> list[CausalNode | None]:
    """The earlier node each line stands for: same text first, then the most alike of the rest
    (a reworded box keeps its id, and with it its links to action items and evidence)."""
    unused = list(previous.nodes if previous else [])
    matches: list[CausalNode | None] = [None] * len(lines)
    for n, line in enumerate(lines):
        same = next((node for node in unused if normal(node.text) == normal(line.label)), None)
        if same is not None:
            matches[n] = same
            unused.remove(same)
    for n, line in enumerate(lines):
        if matches[n] is not None or not unused:
            continue
        score, best = max(
            (SequenceMatcher(None, normal(node.text), normal(line.label)).ratio(), k)
            for k, node in enumerate(unused)
        )
        if score >= REWORD_SIMILARITY:
            matches[n] = unused.pop(best)
    return matches


def parse_outline(text: str, previous: CausalTree | None = None) -> CausalTree:
    """Read an indented outline (spaces, tabs, bullets or ├── └── lines); the first line is the outcome.

    Nodes whose text is unchanged or only reworded keep their ids, so links to action items and
    evidence survive.
    """
    lines = _read_lines(text)
    if not lines:
        return CausalTree()
    nodes: list[CausalNode] = []
    stack: list[tuple[int, str]] = []  # (indent, id) of the open ancestors
    for n, (line, old) in enumerate(zip(lines, _match_previous(lines, previous), strict=True)):
        if n == 0:
            parent_id, kind = None, NodeKind.OUTCOME
        else:
            while len(stack) > 1 and stack[-1][0] >= line.indent:
                stack.pop()
            parent_id, kind = stack[-1][1], line.kind
        base = old.model_dump() if old else {}
        node = CausalNode.model_validate(
            {
                **base,
                "text": line.label,
                "parent_id": parent_id,
                "kind": kind or (old.kind if old and old.parent_id else NodeKind.CONTRIBUTING),
                "relation": line.relation or Relation.AND,
            }
        )
        nodes.append(node)
        stack.append((line.indent, node.id))
    return CausalTree(nodes=nodes)


# --- What applying an outline would change ---------------------------------------------------


@dataclass(frozen=True)
class TreeDiff:
    """Boxes an edit adds, moves to another parent, rewords or re-kinds, and removes."""

    added: tuple[CausalNode, ...]
    moved: tuple[CausalNode, ...]
    changed: tuple[tuple[CausalNode, CausalNode], ...]  # (before, after)
    removed: tuple[CausalNode, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.moved or self.changed or self.removed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.moved) + len(self.changed) + len(self.removed)


def tree_diff(before: CausalTree, after: CausalTree) -> TreeDiff:
    """What replacing `before` with `after` does, box by box (matched by id)."""
    old, new = by_id(before), by_id(after)
    kept = [(old[n.id], n) for n in after.nodes if n.id in old]
    return TreeDiff(
        added=tuple(n for n in after.nodes if n.id not in old),
        moved=tuple(b for a, b in kept if a.parent_id != b.parent_id),
        changed=tuple(
            (a, b)
            for a, b in kept
            if (normal(a.text), a.kind, a.relation) != (normal(b.text), b.kind, b.relation)
            or a.text != b.text
        ),
        removed=tuple(n for n in before.nodes if n.id not in new),
    )


# --- Renderings for exports ------------------------------------------------------------------


def to_text(tree: CausalTree) -> str:
    """The tree drawn with ├── and └── lines, as the source document writes it."""
    top = root(tree)
    if top is None:
        return ""
    kids = children_of(tree)
    lines = [f"Outcome: {one_line(top.text)}{_relation_note(top, kids)}"]

    def draw(node_id: str, prefix: str, seen: set[str]) -> None:
        family = kids.get(node_id, [])
        for n, child in enumerate(family):
            if child.id in seen:
                continue
            last = n == len(family) - 1
            kind = f" ({child.kind.value})" if child.kind is not NodeKind.CONTRIBUTING else ""
            lines.append(
                f"{prefix}{'└── ' if last else '├── '}{one_line(child.text)}{kind}"
                f"{_relation_note(child, kids)}"
            )
            draw(child.id, prefix + ("    " if last else "│   "), seen | {child.id})

    draw(top.id, "", {top.id})
    return "\n".join(lines)


def _relation_note(node: CausalNode, kids: dict) -> str:
    return f" [{node.relation.value}]" if len(kids.get(node.id, [])) > 1 else ""


def _mermaid_label(text: str) -> str:
    # Inside quotes Mermaid reads entity codes; these keep user text from closing the label or
    # becoming HTML in renderers that allow it.
    safe = one_line(text)
    for char, code in (
        ("&", "#amp;"),
        ('"', "#quot;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("`", "#96;"),
        ("[", "#91;"),
        ("]", "#93;"),
        ("{", "#123;"),
        ("}", "#125;"),
        ("|", "#124;"),
    ):
        safe = safe.replace(char, code)
    return f'"{safe}"'


_MERMAID_CLASS = {
    NodeKind.OUTCOME: "outcome",
    NodeKind.ROOT_CAUSE: "rootcause",
    NodeKind.CONTRIBUTING: "factor",
    NodeKind.CONDITION: "condition",
}


def to_mermaid(tree: CausalTree, unaddressed: set[str] = frozenset()) -> str:
    """Mermaid `graph TD` text; node ids are our own (n1, n2…), never user text."""
    names = {node.id: f"n{n}" for n, (node, _) in enumerate(walk(tree), start=1)}
    kids = children_of(tree)
    lines = ["graph TD"]
    for node, _ in walk(tree):
        lines.append(f"    {names[node.id]}[{_mermaid_label(node.text)}]:::{_MERMAID_CLASS[node.kind]}")
    for node, _ in walk(tree):
        if node.parent_id in names:
            parent = by_id(tree)[node.parent_id]
            label = f"|{parent.relation.value}|" if len(kids.get(parent.id, [])) > 1 else ""
            lines.append(f"    {names[parent.id]} -->{label} {names[node.id]}")
    lines += [
        "    classDef outcome fill:#fde2e1,stroke:#b42318,color:#111",
        "    classDef rootcause fill:#fff1c2,stroke:#b54708,color:#111",
        "    classDef factor fill:#e0ecff,stroke:#1849a9,color:#111",
        "    classDef condition fill:#eeeeee,stroke:#555,color:#111",
    ]
    missing = [names[i] for i in unaddressed if i in names]
    if missing:
        lines.append("    classDef open stroke:#d92d20,stroke-width:3px,stroke-dasharray:4 3")
        lines.append(f"    class {','.join(missing)} open")
    return "\n".join(lines)
