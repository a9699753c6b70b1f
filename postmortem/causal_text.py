"""The causal tree as text: an editable outline (both ways), the ├── drawing, and Mermaid."""

from __future__ import annotations

import re

from postmortem.causal import _normal, by_id, children_of, root, walk
from postmortem.models import CausalNode, CausalTree, NodeKind, Relation

# --- Outline: the tree as indented text, both ways -------------------------------------------

_KIND_MARK = {NodeKind.ROOT_CAUSE: "[root cause]", NodeKind.CONDITION: "[condition]"}
_MARK_KIND = {"root cause": NodeKind.ROOT_CAUSE, "condition": NodeKind.CONDITION,
              "contributing factor": NodeKind.CONTRIBUTING, "contributing": NodeKind.CONTRIBUTING,
              "outcome": NodeKind.OUTCOME}
_PREFIX = re.compile(r"^[\s│|├└─—\-*•+>]*(?:\d+[.)]\s+)?")
_MARKS = re.compile(r"\s*(\[(?P<kind>[a-z ]+)\]|\((?P<rel>any of|all of|or|and)\))\s*$", re.IGNORECASE)


def to_outline(tree: CausalTree) -> str:
    """Two spaces per level; kind and 'any of' marked at the end of the line."""
    lines = []
    for node, depth in walk(tree):
        marks = [_KIND_MARK[node.kind]] if node.kind in _KIND_MARK else []
        if node.relation is Relation.OR:
            marks.append("(any of)")
        text = " ".join(node.text.split())
        lines.append("  " * depth + " ".join([text, *marks]))
    return "\n".join(lines)


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


def parse_outline(text: str, previous: CausalTree | None = None) -> CausalTree:
    """Read an indented outline (spaces, tabs, bullets or ├── └── lines); the first line is the outcome.

    Nodes whose text is unchanged keep their ids, so links to action items and evidence survive.
    """
    lines = [line for line in text.splitlines() if _PREFIX.sub("", line).strip()]
    if not lines:
        return CausalTree()
    reuse: dict[str, list[CausalNode]] = {}
    for node in (previous.nodes if previous else []):
        reuse.setdefault(_normal(node.text), []).append(node)
    nodes: list[CausalNode] = []
    stack: list[tuple[int, str]] = []  # (indent, id) of the open ancestors
    for n, line in enumerate(lines):
        indent = _indent_of(line)
        label, kind, relation = _strip_marks(_PREFIX.sub("", line))
        if n == 0:
            label = re.sub(r"^outcome\s*:\s*", "", label, flags=re.IGNORECASE)
        old = reuse.get(_normal(label), [None]).pop(0) if reuse.get(_normal(label)) else None
        if n == 0:
            parent_id, kind = None, NodeKind.OUTCOME
        else:
            while len(stack) > 1 and stack[-1][0] >= indent:
                stack.pop()
            parent_id = stack[-1][1]
        base = old.model_dump() if old else {}
        node = CausalNode.model_validate({
            **base, "text": label, "parent_id": parent_id,
            "kind": kind or (old.kind if old and parent_id else NodeKind.CONTRIBUTING if parent_id else NodeKind.OUTCOME),
            "relation": relation or (old.relation if old else Relation.AND),
        })
        nodes.append(node)
        stack.append((indent, node.id))
    return CausalTree(nodes=nodes)


# --- Renderings for exports ------------------------------------------------------------------


def to_text(tree: CausalTree) -> str:
    """The tree drawn with ├── and └── lines, as the source document writes it."""
    top = root(tree)
    if top is None:
        return ""
    kids = children_of(tree)
    lines = [f"Outcome: {_one_line(top.text)}{_relation_note(top, kids)}"]

    def draw(node_id: str, prefix: str, seen: set[str]) -> None:
        family = kids.get(node_id, [])
        for n, child in enumerate(family):
            if child.id in seen:
                continue
            last = n == len(family) - 1
            kind = f" ({child.kind.value})" if child.kind is not NodeKind.CONTRIBUTING else ""
            lines.append(f"{prefix}{'└── ' if last else '├── '}{_one_line(child.text)}{kind}"
                         f"{_relation_note(child, kids)}")
            draw(child.id, prefix + ("    " if last else "│   "), seen | {child.id})

    draw(top.id, "", {top.id})
    return "\n".join(lines)


def _relation_note(node: CausalNode, kids: dict) -> str:
    return f" [{node.relation.value}]" if len(kids.get(node.id, [])) > 1 else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _mermaid_label(text: str) -> str:
    # Inside quotes Mermaid reads entity codes; these keep user text from closing the label or
    # becoming HTML in renderers that allow it.
    safe = _one_line(text)
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;"),
                       ("[", "#91;"), ("]", "#93;"), ("{", "#123;"), ("}", "#125;"), ("|", "#124;")):
        safe = safe.replace(char, code)
    return f'"{safe}"'


_MERMAID_CLASS = {NodeKind.OUTCOME: "outcome", NodeKind.ROOT_CAUSE: "rootcause",
                  NodeKind.CONTRIBUTING: "factor", NodeKind.CONDITION: "condition"}


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
    lines += ["    classDef outcome fill:#fde2e1,stroke:#b42318,color:#111",
              "    classDef rootcause fill:#fff1c2,stroke:#b54708,color:#111",
              "    classDef factor fill:#e0ecff,stroke:#1849a9,color:#111",
              "    classDef condition fill:#eeeeee,stroke:#555,color:#111"]
    missing = [names[i] for i in unaddressed if i in names]
    if missing:
        lines.append("    classDef open stroke:#d92d20,stroke-width:3px,stroke-dasharray:4 3")
        lines.append(f"    class {','.join(missing)} open")
    return "\n".join(lines)
