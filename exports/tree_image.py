"""The causal tree as a PNG (for DOCX), drawn with Pillow: no browser, no system package needed."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from postmortem.causal import children_of, root, walk
from postmortem.models import CausalTree, NodeKind

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 230, 84, 24, 56, 24
FILL = {NodeKind.OUTCOME: "#fde2e1", NodeKind.ROOT_CAUSE: "#fff1c2",
        NodeKind.CONTRIBUTING: "#e0ecff", NodeKind.CONDITION: "#eeeeee"}
EDGE = {NodeKind.OUTCOME: "#b42318", NodeKind.ROOT_CAUSE: "#b54708",
        NodeKind.CONTRIBUTING: "#1849a9", NodeKind.CONDITION: "#555555"}
MAX_NODES = 400  # beyond this the picture is unreadable; the outline carries the tree instead


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font still works
        return ImageFont.load_default()


def _layout(tree: CausalTree) -> dict[str, tuple[float, int]]:
    """(x slot, depth) per node: leaves take consecutive slots, parents sit over their children."""
    kids = children_of(tree)
    depth_of = {node.id: depth for node, depth in walk(tree)}
    slots: dict[str, float] = {}
    next_slot = 0.0

    def place(node_id: str, seen: frozenset) -> float:
        nonlocal next_slot
        family = [c for c in kids.get(node_id, []) if c.id in depth_of and c.id not in seen]
        if not family:
            slots[node_id] = next_slot
            next_slot += 1
        else:
            xs = [place(child.id, seen | {child.id}) for child in family]
            slots[node_id] = (xs[0] + xs[-1]) / 2
        return slots[node_id]

    top = root(tree)
    if top is not None:
        place(top.id, frozenset({top.id}))
    return {node_id: (x, depth_of[node_id]) for node_id, x in slots.items()}


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))


def png(tree: CausalTree, unaddressed: set[str] = frozenset()) -> bytes | None:
    """A top-down picture of the tree, or None when there is nothing (or too much) to draw."""
    positions = _layout(tree)
    if not positions or len(positions) > MAX_NODES:
        return None
    width = int(max(x for x, _ in positions.values()) + 1) * (BOX_W + GAP_X) - GAP_X + 2 * MARGIN
    height = (max(d for _, d in positions.values()) + 1) * (BOX_H + GAP_Y) - GAP_Y + 2 * MARGIN
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font, small = _font(15), _font(12)
    nodes = {node.id: node for node in tree.nodes}
    kids = children_of(tree)

    def box(node_id: str) -> tuple[int, int, int, int]:
        x, depth = positions[node_id]
        left = MARGIN + int(x * (BOX_W + GAP_X))
        top = MARGIN + depth * (BOX_H + GAP_Y)
        return left, top, left + BOX_W, top + BOX_H

    for node_id in positions:
        parent = nodes[node_id].parent_id
        if parent in positions:
            l1, t1, r1, b1 = box(parent)
            l2, t2, r2, _ = box(node_id)
            draw.line([((l1 + r1) // 2, b1), ((l1 + r1) // 2, b1 + GAP_Y // 2),
                       ((l2 + r2) // 2, b1 + GAP_Y // 2), ((l2 + r2) // 2, t2)], fill="#888888", width=2)
    for node_id in positions:
        node = nodes[node_id]
        left, top, right, bottom = box(node_id)
        open_factor = node_id in unaddressed
        draw.rounded_rectangle((left, top, right, bottom), radius=10, fill=FILL[node.kind],
                               outline="#d92d20" if open_factor else EDGE[node.kind], width=4 if open_factor else 2)
        lines = textwrap.wrap(_printable(node.text), width=28, max_lines=3, placeholder=" …") or [""]
        for n, line in enumerate(lines):
            draw.text((left + 10, top + 8 + n * 19), line, fill="#111111", font=font)
        label = node.kind.value + (f" · {node.relation.value}" if len(kids.get(node_id, [])) > 1 else "")
        label += " · not addressed" if open_factor else ""
        draw.text((left + 10, bottom - 18), label, fill="#444444", font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
