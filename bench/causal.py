"""The causal-tree builder: Root cause step reruns with a 150-node tree against a 10-node one, and
the pure checks (coverage, validation) on the 150-node tree.

The figure for the builder is the whole step's rerun, an upper bound of the fragment's own rerun
(AppTest cannot rerun a fragment alone): if the step meets the fragment's target, so does the tree.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import storage
from bench import fixtures
from bench.report import Figure, median, median_ms, ratio
from bench.steps import open_page, quiet_streamlit
from postmortem import causal, causal_layout
from postmortem.models import CausalTree

RERUN_MS, RERUN_RATIO, CHECK_MS = 100.0, 2.0, 5.0
LAYOUT_MS = 20.0  # a fifth of the rerun budget


def tree_of(size: int) -> CausalTree:
    """A bushy tree of `size` nodes, at most three levels of factors below the outcome."""
    tree = causal.set_outcome(CausalTree(), "Checkout API returned errors for 22 minutes")
    frontier, level = [causal.root(tree).id], 0
    while len(tree.nodes) < size:
        nxt = []
        for parent in frontier:
            for n in range(5):
                if len(tree.nodes) >= size:
                    break
                tree, new = causal.add_child(
                    tree,
                    parent,
                    f"Factor {len(tree.nodes)} at level {level + 1}, branch {n}: a condition in the system",
                )
                nxt.append(new)
        frontier, level = nxt, level + 1
    return tree


def _document(size: int):
    tree = tree_of(size)
    doc = causal.with_tree(fixtures.large_postmortem(f"INC-2026-9{size:03d}"), tree)
    leaves = [leaf.id for leaf in causal.leaves(tree)]
    items = [
        item.model_copy(update={"factor_ids": leaves[n :: len(doc.action_items)][:3]})
        for n, item in enumerate(doc.action_items)
    ]
    return doc.model_copy(update={"action_items": items})


def run(reruns: int = 15, warmups: int = 2, **_: object) -> list[Figure]:
    quiet_streamlit()
    figures, pages = [], {}
    with tempfile.TemporaryDirectory(prefix="debrief-bench-causal-") as tmp:
        for size in (150, 10):
            path = str(Path(tmp) / f"tree{size}.db")
            doc_id = storage.create(db=storage.connect(path, actor=storage.LOCAL), doc=_document(size)).id
            pages[size] = open_page(f"tree {size}", path, doc_id, "pages/08_root_cause.py", "Root cause")
        for n in range(warmups + reruns):
            for opened in pages.values():
                opened.run(record=n >= warmups)
    big, small = median(pages[150].samples), median(pages[10].samples)
    problems = pages[150].problems + pages[10].problems
    ok = big <= RERUN_MS and ratio(big, small) <= RERUN_RATIO and not problems
    figures.append(
        Figure(
            "causal:root-cause step rerun, 150 nodes",
            big,
            "ms",
            small,
            ratio(big, small),
            f"<= {RERUN_RATIO:g}x and <= {RERUN_MS:g} ms",
            ok,
            note="; ".join(problems) or "baseline: the same step with a 10-node tree",
        )
    )
    doc = _document(150)
    cover = median_ms(lambda: causal.coverage(doc), 50)
    check = median_ms(lambda: causal.validate(doc.root_cause.causal_tree), 50)
    figures.append(
        Figure(
            "causal:coverage, 150 nodes, 60 actions",
            cover,
            "ms",
            None,
            None,
            f"<= {CHECK_MS:g} ms",
            cover <= CHECK_MS,
        )
    )
    figures.append(
        Figure(
            "causal:validation, 150 nodes", check, "ms", None, None, f"<= {CHECK_MS:g} ms", check <= CHECK_MS
        )
    )
    figures.append(_layout_figure(doc.root_cause.causal_tree))
    return figures


def _layout_figure(tree: CausalTree) -> Figure:
    """The tidy layout of 150 boxes against walking the same tree: cold, every label wrapped afresh
    (a rerun with unchanged labels takes the wrapping from a cache)."""

    def cold() -> None:
        causal_layout.wrap_label.cache_clear()
        causal_layout.layout(tree, across=True)

    placed = median_ms(cold, 50)
    walked = median_ms(lambda: list(causal.walk(tree)), 50)
    return Figure(
        "causal:layout, 150 boxes, cold",
        placed,
        "ms",
        walked,
        ratio(placed, walked),
        f"<= {LAYOUT_MS:g} ms",
        placed <= LAYOUT_MS,
        note="baseline: walking the same tree once",
    )
