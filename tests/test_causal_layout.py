"""The tidy layout of the causal tree: no overlaps, parents centred, rows by depth, labels wrapped whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem import causal, causal_text, causal_tree
from postmortem import causal_layout as layout_
from postmortem.models import CausalTree, Relation

OUTLINE = """Replica fell 9 hours behind
  Vacuum could not keep up (any of)
    Long-running analytics query held back the xmin horizon
    Autovacuum cost limit left at the default
  Failover promoted the lagging replica [root cause]
    Health check looked only at liveness
"""


def random_tree(parents: list[int], words: list[int]) -> CausalTree:
    """Node n + 1 hangs under node parents[n] % (n + 1): any shape, always a tree."""
    tree = causal.set_outcome(CausalTree(), "Outcome")
    ids = [causal_tree.root(tree).id]
    for n, parent in enumerate(parents):
        text = " ".join(["word"] * words[n % len(words)]) if words else "cause"
        tree, new = causal.add_child(tree, ids[parent % (n + 1)], text)
        ids.append(new)
    return tree


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 10_000), max_size=60), st.lists(st.integers(1, 40), min_size=1, max_size=8))
def test_no_two_boxes_overlap_and_parents_sit_over_their_children(parents, words):
    tree = random_tree(parents, words)
    kids = causal_tree.children_of(tree)
    for across in (False, True):
        boxes = layout_.layout(tree, across=across)
        assert len(boxes) == len(tree.nodes)
        assert layout_.overlapping(boxes) == []
        for node in tree.nodes:
            parent, children = boxes[node.id], [boxes[c.id] for c in kids.get(node.id, [])]
            if not children:
                continue
            if across:  # parents centred beside their causes, causes to the right
                assert parent.y == pytest.approx((children[0].y + children[-1].y) / 2)
                assert all(c.left > parent.right for c in children)
            else:
                assert parent.x == pytest.approx((children[0].x + children[-1].x) / 2)
                assert all(c.top > parent.bottom for c in children)


def test_each_depth_is_one_row_and_a_box_is_as_tall_as_its_label():
    boxes = layout_.layout(causal_text.parse_outline(OUTLINE))
    tops = {}
    for box in boxes.values():
        tops.setdefault(box.depth, set()).add(box.top)
        assert box.width == layout_.BOX_WIDTH
        assert box.height == layout_.box_height(len(box.lines))
    assert all(len(row) == 1 for row in tops.values())
    assert sorted(tops) == [0, 1, 2]


def test_the_relation_is_written_on_a_parent_with_several_causes():
    tree = causal_text.parse_outline(OUTLINE)
    boxes = layout_.layout(tree)
    by_text = {n.text: boxes[n.id] for n in tree.nodes}
    assert by_text["Vacuum could not keep up"].lines[-1] == "▼ any one sufficed (OR)"
    assert by_text["Replica fell 9 hours behind"].lines[-1] == "▼ all were needed (AND)"
    assert not any("▼" in line for line in by_text["Failover promoted the lagging replica"].lines)
    assert causal_tree.nodes_get(tree, by_text["Vacuum could not keep up"].id).relation is Relation.OR


@pytest.mark.parametrize(
    "text",
    [
        "Long-running analytics query held back the xmin horizon",
        "Supercalifragilisticexpialidocious_identifier_without_spaces_at_all",
        "a",
    ],
)
def test_labels_wrap_whole_within_the_width(text):
    lines, cut = layout_.wrap_label(text)
    assert not cut
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(len(line) <= layout_.CHARS_PER_LINE for line in lines)
    assert all(
        layout_.text_width(line) * layout_.FONT_SIZE / 1000 <= layout_.BOX_WIDTH - 2 * layout_.SIDE
        for line in lines
    )


@given(st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=400))
def test_any_label_wraps_into_lines_that_fit_the_box(text):
    lines, cut = layout_.wrap_label(text, "▼ any one sufficed (OR)")
    assert all(
        layout_.text_width(line) * layout_.FONT_SIZE / 1000 <= layout_.BOX_WIDTH - 2 * layout_.SIDE
        for line in lines
    )
    assert len(lines) <= layout_.MAX_LINES + 1
    if not cut:
        assert "".join(lines[:-1]).replace(" ", "") == "".join(text.split())


def test_a_very_long_label_shows_its_start_and_says_it_continues():
    text = " ".join(f"word{n}" for n in range(80))
    lines, cut = layout_.wrap_label(text)
    assert cut and len(lines) == layout_.MAX_LINES
    assert lines[0].startswith("word0 word1") and lines[-1].endswith("…")
    assert all(len(line) <= layout_.CHARS_PER_LINE for line in lines)


def test_a_deep_chain_lays_out_without_recursion_limits():
    tree = random_tree(list(range(400)), [2])  # node n + 1 under node n: one 400-deep chain
    boxes = layout_.layout(tree)
    assert len({round(b.x) for b in boxes.values()}) == 1 and layout_.overlapping(boxes) == []
    assert len({round(b.y) for b in layout_.layout(tree, across=True).values()}) == 1


def test_drawn_across_a_wide_tree_stays_narrow():
    tree = random_tree([0] * 12, [4])  # twelve causes under the outcome
    wide, tall = layout_.extent(layout_.layout(tree)), layout_.extent(layout_.layout(tree, across=True))
    assert wide[0] >= 12 * layout_.BOX_WIDTH and tall[0] < 3 * layout_.BOX_WIDTH


def test_an_empty_tree_has_no_boxes():
    assert layout_.layout(CausalTree()) == {} and layout_.extent({}) == (0.0, 0.0)


def test_overlapping_finds_intersecting_rectangles():
    first = layout_.Box("a", 0, 0, 100, 40, ("a",), 1, False)
    assert layout_.overlapping({"a": first, "b": layout_.Box("b", 99, 0, 100, 40, ("b",), 1, False)}) == [
        ("a", "b")
    ]
    assert layout_.overlapping({"a": first, "b": layout_.Box("b", 100, 0, 100, 40, ("b",), 1, False)}) == []
