"""The causal tree's shape: who hangs under whom, the outcome, the walk in tree order, and the text
normalisation that matching boxes by their words relies on.

Edits and coverage (causal.py) and every rendering (causal_text.py, causal_layout.py, the exports'
picture) read the tree through this module, so none of them needs another.
"""

from __future__ import annotations

from collections.abc import Iterator

from postmortem.models import CausalNode, CausalTree

EM_SPACE = "\u2003"


def by_id(tree: CausalTree) -> dict[str, CausalNode]:
    return {node.id: node for node in tree.nodes}


def nodes_get(tree: CausalTree, node_id: str) -> CausalNode | None:
    return by_id(tree).get(node_id)


def children_of(tree: CausalTree) -> dict[str | None, list[CausalNode]]:
    """Each parent id (None for the top) with its children, in stored order."""
    result: dict[str | None, list[CausalNode]] = {}
    for node in tree.nodes:
        result.setdefault(node.parent_id, []).append(node)
    return result


def root(tree: CausalTree) -> CausalNode | None:
    tops = children_of(tree).get(None, [])
    return tops[0] if tops else None


def walk(tree: CausalTree) -> Iterator[tuple[CausalNode, int]]:
    """Every node reachable from the outcome with its depth (0 for the outcome), depth first."""
    kids = children_of(tree)
    top = root(tree)
    stack = [(top, 0)] if top else []
    seen: set[str] = set()
    while stack:
        node, depth = stack.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(kids.get(node.id, [])))


def descendants(tree: CausalTree, node_id: str) -> set[str]:
    kids = children_of(tree)
    found, stack = set(), [node_id]
    while stack:
        for child in kids.get(stack.pop(), []):
            if child.id not in found:
                found.add(child.id)
                stack.append(child.id)
    return found


def ancestors(tree: CausalTree, node_id: str, nodes: dict[str, CausalNode] | None = None) -> list[str]:
    """Parent, grandparent, … up to the outcome (stops on a cycle)."""
    nodes = nodes if nodes is not None else by_id(tree)
    chain, current = [], nodes.get(node_id)
    while current is not None and current.parent_id and current.parent_id not in chain:
        chain.append(current.parent_id)
        current = nodes.get(current.parent_id)
    return chain


def leaves(tree: CausalTree) -> list[CausalNode]:
    """Factors with no factors below them, reachable from the outcome."""
    kids = children_of(tree)
    return [node for node, depth in walk(tree) if depth > 0 and not kids.get(node.id)]


def depth_labels(tree: CausalTree, limit: int = 70) -> dict[str, str]:
    """Each box, in tree order, labelled with its outline number (1, 1.2, 1.2.1) and indented by depth.

    The number says the depth and the branch in words a screen reader reads; em spaces indent
    because selectboxes collapse ordinary ones.
    """
    position = {
        child.id: n for family in children_of(tree).values() for n, child in enumerate(family, start=1)
    }
    numbers: dict[str, str] = {}
    labels: dict[str, str] = {}
    for node, depth in walk(tree):
        if depth == 0:
            labels[node.id], numbers[node.id] = f"Outcome: {short(node.text, limit)}", ""
            continue
        numbers[node.id] = ".".join(filter(None, [numbers.get(node.parent_id, ""), str(position[node.id])]))
        labels[node.id] = f"{EM_SPACE * (depth - 1)}{numbers[node.id]}  {short(node.text, limit)}"
    return labels


# --- Text normalisation ----------------------------------------------------------------------


def one_line(text: str) -> str:
    """The text with every run of whitespace (newlines too) as one space."""
    return " ".join(text.split())


def normal(text: str) -> str:
    """What two box texts are compared by: case and spacing do not make them different."""
    return one_line(text.lower())


def short(text: str, limit: int = 60) -> str:
    """One line of at most `limit` characters, cut with an ellipsis."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
