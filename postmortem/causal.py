"""The causal tree: its shape, edits that keep it a tree, coverage by action items, renderings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from postmortem.errors import DebriefError
from postmortem.models import CausalNode, CausalTree, NodeKind, PostMortem

EM_SPACE = "\u2003"
MAX_DEPTH = 3  # levels of factors below the outcome before a branch gets hard to act on


class TreeError(DebriefError, ValueError):
    """An edit that would break the tree (a cycle, a second outcome, an unknown node)."""


# --- Reading the shape -----------------------------------------------------------------------


def by_id(tree: CausalTree) -> dict[str, CausalNode]:
    return {node.id: node for node in tree.nodes}


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


def nodes_get(tree: CausalTree, node_id: str) -> CausalNode | None:
    return by_id(tree).get(node_id)


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
            labels[node.id], numbers[node.id] = f"Outcome: {_short(node.text, limit)}", ""
            continue
        numbers[node.id] = ".".join(filter(None, [numbers.get(node.parent_id, ""), str(position[node.id])]))
        labels[node.id] = f"{EM_SPACE * (depth - 1)}{numbers[node.id]}  {_short(node.text, limit)}"
    return labels


def leaves(tree: CausalTree) -> list[CausalNode]:
    """Factors with no factors below them, reachable from the outcome."""
    kids = children_of(tree)
    return [node for node, depth in walk(tree) if depth > 0 and not kids.get(node.id)]


# --- Validation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    level: str  # "error" or "warning"
    message: str
    node_id: str | None = None


def validate(tree: CausalTree) -> list[Issue]:
    """What is wrong with the shape, in the author's words; an empty tree has nothing wrong."""
    if not tree.nodes:
        return []
    issues: list[Issue] = []
    nodes = by_id(tree)
    tops = [n for n in tree.nodes if n.parent_id is None]
    if len(tops) != 1:
        issues.append(Issue("error", f"The tree needs exactly one outcome at the top; it has {len(tops)}."))
    reachable = {node.id for node, _ in walk(tree)}
    for node in tree.nodes:
        if node.id in reachable or node.parent_id is None:
            continue
        if node.parent_id not in nodes:
            issues.append(
                Issue("error", f"“{_short(node.text)}” hangs under a node that no longer exists.", node.id)
            )
        elif node.id in ancestors(tree, node.id, nodes):
            issues.append(
                Issue(
                    "error", f"“{_short(node.text)}” is part of a loop: a cause cannot cause itself.", node.id
                )
            )
        else:
            issues.append(Issue("error", f"“{_short(node.text)}” is not connected to the outcome.", node.id))
    for node, depth in walk(tree):
        if depth == MAX_DEPTH + 1:
            issues.append(
                Issue(
                    "warning",
                    f"“{_short(node.text)}” is {depth} levels below the outcome; "
                    "branches deeper than three levels are hard to turn into actions.",
                    node.id,
                )
            )
    return issues


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Edits (each returns a new tree) ---------------------------------------------------------


def _with(tree: CausalTree, nodes: list[CausalNode]) -> CausalTree:
    return CausalTree(nodes=nodes)


def _require(tree: CausalTree, node_id: str) -> CausalNode:
    node = nodes_get(tree, node_id)
    if node is None:
        raise TreeError("That node no longer exists; someone may have deleted it.")
    return node


def set_outcome(tree: CausalTree, text: str) -> CausalTree:
    """Name the outcome, creating it when the tree is empty."""
    top = root(tree)
    if top is None:
        return _with(tree, [CausalNode(text=text, kind=NodeKind.OUTCOME), *tree.nodes])
    return update(tree, top.id, text=text)


def add_child(
    tree: CausalTree, parent_id: str, text: str, kind: NodeKind = NodeKind.CONTRIBUTING, **fields: object
) -> tuple[CausalTree, str]:
    """A new factor under `parent_id`; returns the tree and the new node's id."""
    _require(tree, parent_id)
    node = CausalNode(parent_id=parent_id, text=text, kind=kind, **fields)
    return _with(tree, [*tree.nodes, node]), node.id


def add_sibling(tree: CausalTree, node_id: str, text: str) -> tuple[CausalTree, str]:
    node = _require(tree, node_id)
    if node.parent_id is None:
        raise TreeError("The outcome has no siblings: add a factor below it instead.")
    return add_child(tree, node.parent_id, text, node.kind)


def update(tree: CausalTree, node_id: str, **fields: object) -> CausalTree:
    _require(tree, node_id)
    nodes = [
        CausalNode.model_validate({**n.model_dump(), **fields}) if n.id == node_id else n for n in tree.nodes
    ]
    return _with(tree, nodes)


def move(tree: CausalTree, node_id: str, new_parent_id: str) -> CausalTree:
    """Hang a node and its subtree under another parent, refusing anything that makes a loop."""
    node = _require(tree, node_id)
    _require(tree, new_parent_id)
    if node.parent_id is None:
        raise TreeError("The outcome stays at the top; move its factors instead.")
    if new_parent_id == node_id or new_parent_id in descendants(tree, node_id):
        raise TreeError("A factor cannot move under itself or under one of its own causes.")
    return update(tree, node_id, parent_id=new_parent_id)


def delete(tree: CausalTree, node_id: str) -> CausalTree:
    """Remove a node with everything below it (the revision history keeps the old tree)."""
    _require(tree, node_id)
    gone = descendants(tree, node_id) | {node_id}
    return _with(tree, [n for n in tree.nodes if n.id not in gone])


def with_tree(doc: PostMortem, tree: CausalTree) -> PostMortem:
    return doc.model_copy(update={"root_cause": doc.root_cause.model_copy(update={"causal_tree": tree})})


# --- Coverage by action items ----------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    factors: tuple[str, ...]  # leaf ids, in tree order
    addressed: dict[str, str]  # leaf id -> how ("A2", "accepted", "via <ancestor>")

    @property
    def unaddressed(self) -> list[str]:
        return [leaf for leaf in self.factors if leaf not in self.addressed]

    @property
    def summary(self) -> str:
        return f"{len(self.addressed)} of {len(self.factors)} factors addressed"


def _items_by_key(doc: PostMortem) -> dict[str, list[str]]:
    """Each node or factor id with the labels (A1, A2…) of the open action items that name it."""
    found: dict[str, list[str]] = {}
    for n, item in enumerate(doc.action_items, start=1):
        if item.status.value != "cancelled":
            for key in item.factor_ids:
                found.setdefault(key, []).append(f"A{n}")
    return found


def _direct(node: CausalNode, items: dict[str, list[str]]) -> str | None:
    """How a node is addressed on its own: an action item names it, or it is accepted."""
    labels = items.get(node.id, []) + (items.get(node.factor_id, []) if node.factor_id else [])
    if labels:
        return ", ".join(sorted(set(labels), key=lambda label: int(label[1:])))
    return "accepted" if node.accepted_rationale.strip() else None


def coverage(doc: PostMortem) -> Coverage:
    """Each leaf is addressed by an action item or accepted, itself or through a factor above it."""
    tree = doc.root_cause.causal_tree
    nodes, items = by_id(tree), _items_by_key(doc)
    factors, addressed = [], {}
    for leaf in leaves(tree):
        factors.append(leaf.id)
        how = _direct(leaf, items)
        for ancestor_id in ancestors(tree, leaf.id, nodes):
            if how:
                break
            ancestor = nodes.get(ancestor_id)
            if ancestor is not None and ancestor.parent_id is not None and _direct(ancestor, items):
                how = f"through “{_short(ancestor.text, 40)}”"
        if how:
            addressed[leaf.id] = how
    return Coverage(tuple(factors), addressed)


def addressing(doc: PostMortem, node_id: str) -> list[int]:
    """Positions (0-based) of the action items that name this node."""
    return [n for n, item in enumerate(doc.action_items) if node_id in item.factor_ids]


def set_addressing(doc: PostMortem, node_id: str, item_positions: list[int]) -> PostMortem:
    """Make exactly these action items address the node."""
    items = []
    for n, item in enumerate(doc.action_items):
        ids = [i for i in item.factor_ids if i != node_id]
        if n in item_positions:
            ids.append(node_id)
        items.append(item.model_copy(update={"factor_ids": ids}) if ids != item.factor_ids else item)
    return doc.model_copy(update={"action_items": items})


def factors_missing_from_tree(doc: PostMortem) -> list:
    """Contributing factors (section 7) that no node of the tree stands for."""
    tree = doc.root_cause.causal_tree
    linked = {node.factor_id for node in tree.nodes if node.factor_id}
    texts = {_normal(node.text) for node in tree.nodes}
    return [f for f in doc.contributing_factors if f.id not in linked and _normal(f.text) not in texts]


def add_missing_factors(doc: PostMortem) -> PostMortem:
    """Hang every missing contributing factor under the outcome, linked to its section-7 entry."""
    tree = doc.root_cause.causal_tree
    top = root(tree)
    if top is None:
        tree = set_outcome(tree, doc.header.title)
        top = root(tree)
    for factor in factors_missing_from_tree(doc):
        tree, _ = add_child(tree, top.id, factor.text, factor_id=factor.id)
    return with_tree(doc, tree)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


# --- 5 Whys and hybrid -----------------------------------------------------------------------

_PERSON_END = re.compile(
    r"\b(human error|operator error|mistake|careless(ness)?|forgot|training|trained|did ?n[o']t (know|notice|check)"
    r"|should have|engineer|operator|developer|on-?call|person|he|she|they)\b",
    re.IGNORECASE,
)


def chain_end_warning(doc: PostMortem) -> str | None:
    """A warning when the chain stops at a person or at training, which are never the end."""
    answers = [step.answer for step in doc.root_cause.five_whys.steps if step.answer.strip()]
    if not answers:
        return None
    match = _PERSON_END.search(answers[-1])
    if match is None:
        return None
    return (
        f"The last answer stops at “{match.group(0)}”. A person or their training is not where a chain "
        "ends: ask what made that action reasonable at the time, and what in the system allowed it."
    )


def five_whys_as_branch(doc: PostMortem, parent_id: str | None = None) -> PostMortem:
    """Hybrid: the 5 Whys chain becomes one branch under `parent_id` (the outcome when None),
    the last answer its root cause."""
    chain = [step for step in doc.root_cause.five_whys.steps if step.answer.strip()]
    if not chain:
        raise TreeError("Answer at least one why first.")
    tree = doc.root_cause.causal_tree
    if root(tree) is None:
        tree = set_outcome(tree, doc.root_cause.five_whys.problem or doc.header.title)
    parent = _require(tree, parent_id).id if parent_id else root(tree).id
    for n, step in enumerate(chain):
        kind = NodeKind.ROOT_CAUSE if n == len(chain) - 1 else NodeKind.CONTRIBUTING
        tree, parent = add_child(tree, parent, step.answer, kind)
    return with_tree(doc, tree)


# The text renderings live beside this module; importing them here keeps `causal.to_outline` etc.
from postmortem.causal_text import (  # noqa: E402, F401
    TreeDiff,
    outline_line,
    parse_outline,
    to_mermaid,
    to_outline,
    to_text,
    tree_diff,
)
