"""The action-item table's "Addresses" column: causal-tree boxes and contributing factors by label."""

from __future__ import annotations

from postmortem.causal_tree import walk
from postmortem.models import PostMortem


def choices(doc: PostMortem) -> dict[str, str]:
    """Label → id for every factor an action item can address; labels are unique by their number."""
    labels = {}
    for n, (node, depth) in enumerate(walk(doc.root_cause.causal_tree)):
        if depth > 0:
            labels[f"T{n} · {_short(node.text)}"] = node.id
    for n, factor in enumerate(doc.contributing_factors, start=1):
        labels[f"C{n} · {_short(factor.text)}"] = factor.id
    return labels


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:49] + "…"


def to_labels(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    by_id = {v: k for k, v in labels.items()}
    return [{**row, "addresses": [by_id[i] for i in row.get("factor_ids", []) if i in by_id]} for row in rows]


def to_ids(rows: list[dict], labels: dict[str, str], before: list[dict]) -> list[dict]:
    """Back to ids, keeping links this table cannot show (e.g. to a box deleted since)."""
    shown = set(labels.values())
    kept = {
        row["id"]: [i for i in row.get("factor_ids", []) if i not in shown] for row in before if "id" in row
    }
    result = []
    for row in rows:
        row = dict(row)
        picked = [labels[label] for label in row.pop("addresses", []) or [] if label in labels]
        row["factor_ids"] = kept.get(row.get("id"), []) + picked
        result.append(row)
    return result
